// ptytime runs one program once and prints what .ci/speed.py measures, as
// one JSON line. Its own cost is a Go process: no interpreter is copied
// into the child, and the clock starts just before the program's exec.
//
//	ptytime -re Step [-answer] [-keys N] -- PROG ARGS   first frame on a pty
//	ptytime -- PROG ARGS                                 wall time, output to /dev/null
//
// On a pty it prints first_frame_ms (exec to the first output containing
// -re), cpu_ms (the program's user+system CPU: typing -keys keys, an "x"
// and a backspace in turn, then ctrl+c) and hwm_kib (the program's peak
// resident memory, VmHWM read from /proc before ctrl+c). Without -re it
// prints wall_ms and cpu_ms. Peak memory of a whole run, exit included,
// comes from GNU time (-f %M) around the program: a child's ru_maxrss keeps
// the memory of the process that forked it, which is why neither Python
// nor this harness reads it.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/creack/pty"
)

func main() {
	pattern := flag.String("re", "", "on a pty: the text of the first frame")
	answering := flag.Bool("answer", false, "answer terminal queries as a terminal does")
	keys := flag.Int("keys", 0, "keys to type after the first frame")
	flag.Parse()
	argv := flag.Args()
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "usage: ptytime [-re TEXT [-answer] [-keys N]] -- PROG ARGS")
		os.Exit(2)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var out map[string]float64
	var err error
	if *pattern == "" {
		out, err = plain(cmd)
	} else {
		out, err = onPty(cmd, []byte(*pattern), *answering, *keys)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ptytime:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func cpu(ps *os.ProcessState) float64 { return ms(ps.UserTime() + ps.SystemTime()) }

func plain(cmd *exec.Cmd) (map[string]float64, error) {
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v: %w", cmd.Args, err)
	}
	return map[string]float64{"wall_ms": ms(time.Since(start)), "cpu_ms": cpu(cmd.ProcessState)}, nil
}

// answer writes what a terminal answers to the queries in chunk: the
// background colour, the cursor position, DA1 and the modes asked about.
func answer(p *os.File, chunk []byte) {
	if bytes.Contains(chunk, []byte("\x1b]11;?")) {
		_, _ = p.Write([]byte("\x1b]11;rgb:0000/0000/0000\x07"))
	}
	if bytes.Contains(chunk, []byte("\x1b[6n")) {
		_, _ = p.Write([]byte("\x1b[1;1R"))
	}
	if bytes.Contains(chunk, []byte("\x1b[c")) || bytes.Contains(chunk, []byte("\x1b[0c")) {
		_, _ = p.Write([]byte("\x1b[?62;22c"))
	}
	for _, mode := range []string{"2026", "2027"} {
		if bytes.Contains(chunk, []byte("\x1b[?"+mode+"$p")) {
			_, _ = p.Write([]byte("\x1b[?" + mode + ";2$y"))
		}
	}
}

func onPty(cmd *exec.Cmd, pattern []byte, answering bool, keys int) (map[string]float64, error) {
	start := time.Now()
	p, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	chunks := make(chan []byte, 64)
	go func() {
		defer close(chunks)
		b := make([]byte, 65536)
		for {
			n, err := p.Read(b)
			if n > 0 {
				chunks <- append([]byte(nil), b[:n]...)
			}
			if err != nil {
				return
			}
		}
	}()
	// drain reads for d, answering, or until the pty closes.
	drain := func(d time.Duration) {
		timer := time.NewTimer(d)
		defer timer.Stop()
		for {
			select {
			case c, ok := <-chunks:
				if !ok {
					return
				}
				if answering {
					answer(p, c)
				}
			case <-timer.C:
				return
			}
		}
	}
	var seen []byte
	var first time.Duration
	deadline := time.After(10 * time.Second)
	for first == 0 {
		select {
		case c, ok := <-chunks:
			if !ok {
				return nil, fmt.Errorf("%v: ended before its first frame: %q", cmd.Args, seen)
			}
			seen = append(seen, c...)
			if answering {
				answer(p, c)
			}
			if bytes.Contains(seen, pattern) {
				first = time.Since(start)
			}
		case <-deadline:
			_ = cmd.Process.Kill()
			return nil, fmt.Errorf("%v: no frame within 10 s: %q", cmd.Args, seen)
		}
	}
	drain(50 * time.Millisecond)
	for i := range keys {
		key := "x"
		if i%2 == 1 {
			key = "\x7f"
		}
		_, _ = p.Write([]byte(key))
		drain(2 * time.Millisecond)
	}
	drain(50 * time.Millisecond)
	hwm := vmHWM(cmd.Process.Pid)
	_, _ = p.Write([]byte{3}) // ctrl+c
	go drain(time.Hour)
	_ = cmd.Wait() // ctrl+c is an exit status of its own
	return map[string]float64{"first_frame_ms": ms(first), "cpu_ms": cpu(cmd.ProcessState), "hwm_kib": hwm}, nil
}

// vmHWM is a live process's peak resident memory in KiB, 0 where /proc has none.
func vmHWM(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return n
		}
	}
	return 0
}
