//go:build ignore

// filegraph checks that, inside each package, files use each other one way:
// no file uses (a declaration of) a file that uses it, directly or through
// others. It type-checks each package's non-test files from source and
// prints the file-to-file edges of any cycle.
//
// usage: go run .ci/filegraph.go DIR...        (exit 1 on a cycle)
//
//	go run .ci/filegraph.go -edges DIR    (print every edge)
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	edgesOnly := flag.Bool("edges", false, "print every file-to-file edge")
	flag.Parse()
	failed := false
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil) // shared: each dependency is checked once
	for _, dir := range flag.Args() {
		edges, err := fileEdges(fset, imp, dir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
			os.Exit(2)
		}
		if *edgesOnly {
			for _, from := range sortedKeys(edges) {
				for _, to := range sortedKeys(edges[from]) {
					fmt.Printf("%s -> %s (%d)\n", from, to, edges[from][to])
				}
			}
			continue
		}
		for _, c := range cycles(edges) {
			failed = true
			fmt.Printf("%s: files use each other in a circle: %s\n", dir, strings.Join(c, ", "))
			for _, from := range c {
				for _, to := range c {
					if n := edges[from][to]; n > 0 {
						fmt.Printf("    %s -> %s (%d uses)\n", from, to, n)
					}
				}
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

// fileEdges maps each file of the package in dir to the files whose
// declarations it uses, with a count.
func fileEdges(fset *token.FileSet, imp types.Importer, dir string) (map[string]map[string]int, error) {
	bp, err := build.ImportDir(dir, 0) // the files this platform builds
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: imp}
	pkg, err := conf.Check(bp.Name, fset, files, info)
	if err != nil {
		return nil, err
	}
	edges := map[string]map[string]int{}
	for id, obj := range info.Uses {
		if obj.Pkg() != pkg || !obj.Pos().IsValid() {
			continue
		}
		from := filepath.Base(fset.Position(id.Pos()).Filename)
		to := filepath.Base(fset.Position(obj.Pos()).Filename)
		if from == to || !strings.HasSuffix(to, ".go") {
			continue
		}
		if edges[from] == nil {
			edges[from] = map[string]int{}
		}
		edges[from][to]++
	}
	return edges, nil
}

// cycles returns the strongly connected components of more than one file
// (Tarjan's algorithm).
func cycles(edges map[string]map[string]int) [][]string {
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = len(index), len(index)
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range sortedKeys(edges[v]) {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var c []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				c = append(c, w)
				if w == v {
					break
				}
			}
			if len(c) > 1 {
				slices.Sort(c)
				out = append(out, c)
			}
		}
	}
	for _, v := range sortedKeys(edges) {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
