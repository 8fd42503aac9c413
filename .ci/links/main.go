// Command links checks the relative links and #anchors of Markdown files,
// without the network: every relative target must exist, and every #anchor
// must name a heading (by GitHub's slug rules) or an HTML id/name in the file
// it points into. External links (a scheme such as https:) are not checked.
//
//	go run ./.ci/links README.md docs
//
// Directories are searched for *.md files. It prints one line per broken
// link, FILE:LINE: TARGET: WHY, and exits 1 if there is any.
package main

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./.ci/links FILE.md|DIR ...")
		os.Exit(2)
	}
	var files []string
	for _, arg := range os.Args[1:] {
		found, err := markdownFiles(arg)
		if err != nil {
			fmt.Fprintln(os.Stderr, "links:", err)
			os.Exit(2)
		}
		files = append(files, found...)
	}
	problems := check(files)
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "links: %d broken in %d files\n", len(problems), len(files))
		os.Exit(1)
	}
	fmt.Printf("links: all relative links and anchors resolve in %d files\n", len(files))
}

// markdownFiles is path itself, or the *.md files under it.
func markdownFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// link is one link target and the line it is on.
type link struct {
	line   int
	target string
}

var (
	fence      = regexp.MustCompile("^ {0,3}(```|~~~)")
	codeSpan   = regexp.MustCompile("`+[^`]*`+")
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)`)
	refDef     = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$`)
	htmlAttr   = regexp.MustCompile(`(?i)<(?:a|img)\b[^>]*\b(?:href|src)\s*=\s*"([^"]*)"`)
	htmlID     = regexp.MustCompile(`(?i)<[a-z][^>]*\b(?:id|name)\s*=\s*"([^"]*)"`)
	heading    = regexp.MustCompile(`^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	scheme     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// parse returns a Markdown file's links and the anchors it defines.
func parse(text string) (links []link, anchors map[string]bool) {
	anchors = map[string]bool{}
	seen := map[string]int{}
	inFence := ""
	for i, line := range strings.Split(text, "\n") {
		if m := fence.FindStringSubmatch(line); m != nil {
			switch {
			case inFence == "":
				inFence = m[1]
			case inFence == m[1]:
				inFence = ""
			}
			continue
		}
		if inFence != "" {
			continue
		}
		for _, m := range htmlID.FindAllStringSubmatch(line, -1) {
			anchors[m[1]] = true
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			s := slug(m[1])
			if n := seen[s]; n > 0 {
				anchors[fmt.Sprintf("%s-%d", s, n)] = true
			} else {
				anchors[s] = true
			}
			seen[s]++
		}
		bare := codeSpan.ReplaceAllString(line, "")
		for _, re := range []*regexp.Regexp{inlineLink, refDef, htmlAttr} {
			for _, m := range re.FindAllStringSubmatch(bare, -1) {
				links = append(links, link{i + 1, m[1]})
			}
		}
	}
	return links, anchors
}

var (
	mdLink    = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	htmlTag   = regexp.MustCompile(`<[^>]*>`)
	entityAmp = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`)
)

// slug is GitHub's anchor for a heading: the rendered text, lower-cased,
// with every character that is not a letter, digit, space, hyphen or
// underscore removed and each space turned into a hyphen.
func slug(h string) string {
	h = mdLink.ReplaceAllString(h, "$1")
	h = htmlTag.ReplaceAllString(h, "")
	h = entityAmp.Replace(h)
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_':
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// doc is a parsed Markdown file.
type doc struct {
	links   []link
	anchors map[string]bool
}

// checker reads each file once.
type checker struct {
	docs map[string]*doc
}

func (c *checker) load(path string) (*doc, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if d, ok := c.docs[abs]; ok {
		return d, nil
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	links, anchors := parse(string(data))
	d := &doc{links, anchors}
	c.docs[abs] = d
	return d, nil
}

// check returns a line for every link in files that does not resolve.
func check(files []string) []string {
	c := &checker{docs: map[string]*doc{}}
	var problems []string
	for _, file := range files {
		d, err := c.load(file)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", file, err))
			continue
		}
		for _, l := range d.links {
			if why := c.resolve(file, l.target); why != "" {
				problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", file, l.line, l.target, why))
			}
		}
	}
	return problems
}

// resolve says why target, a link in file, does not resolve ("" if it does).
func (c *checker) resolve(file, target string) string {
	if target == "" {
		return "an empty link"
	}
	if scheme.MatchString(target) || strings.HasPrefix(target, "//") {
		return "" // external: not checked, no network
	}
	pathPart, fragment, hasFragment := strings.Cut(target, "#")
	if q := strings.IndexByte(pathPart, '?'); q >= 0 {
		pathPart = pathPart[:q]
	}
	dest := file
	if pathPart != "" {
		p, err := url.PathUnescape(pathPart)
		if err != nil {
			return "not a valid path"
		}
		if strings.HasPrefix(p, "/") {
			return "an absolute path: GitHub resolves it from the repository root, other viewers do not; use a relative one"
		}
		dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(p))
		info, err := os.Stat(dest)
		if err != nil {
			return "no such file or directory"
		}
		if info.IsDir() {
			if hasFragment {
				return "an anchor into a directory"
			}
			return ""
		}
	}
	if !hasFragment {
		return ""
	}
	if !strings.HasSuffix(dest, ".md") {
		return "an anchor into a file that is not Markdown"
	}
	d, err := c.load(dest)
	if err != nil {
		return err.Error()
	}
	a, err := url.PathUnescape(fragment)
	if err != nil {
		a = fragment
	}
	if !d.anchors[strings.ToLower(a)] && !d.anchors[a] {
		return "no heading or id makes this anchor in " + filepath.ToSlash(dest)
	}
	return ""
}
