package plain_test

// Running nestauth in plain mode in-process, through the command line as
// a person or a script would, with what it wrote kept.

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"nestauth/internal/cli"
	"nestauth/internal/testkit"
)

// fixedEnv returns a getenv over a fixed map: nothing leaks in from the real environment.
func fixedEnv(kv map[string]string) func(string) string { return testkit.FixedEnv(kv) }

// runCLI is nestauth's command line.
func runCLI(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return cli.Main(args, stdin, stdout, stderr, getenv)
}

type runResult struct {
	code           int
	stdout, stderr string
}

// runArgs runs nestauth with args, stdin and the environment env (with a
// settings directory of the test's own), and returns what it did.
func runArgs(t *testing.T, env map[string]string, stdin string, args ...string) runResult {
	t.Helper()
	code, stdout, stderr := testkit.Run(t, runCLI, env, stdin, args...)
	return runResult{code, stdout, stderr}
}

// failingWriter is a stdout that takes nothing.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// demoClientSecret is --demo's client secret, which nothing may show.
const demoClientSecret = "demo-secret-not-real"

// wantStderr fails for each of wants stderr lacks.
func wantStderr(t *testing.T, stderr string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// plainSession is plain mode run in-process, its stdin a pipe the test
// writes as the prompts appear.
type plainSession struct {
	t              *testing.T
	stdin          *io.PipeWriter
	stdout, stderr testkit.LockedBuffer
	exit           chan int
}

func startPlain(t *testing.T, env map[string]string, args ...string) *plainSession {
	t.Helper()
	r, w := io.Pipe()
	s := &plainSession{t: t, stdin: w, exit: make(chan int, 1)}
	go func() { s.exit <- runCLI(args, r, &s.stdout, &s.stderr, fixedEnv(env)) }()
	t.Cleanup(func() { w.Close() })
	return s
}

// waitFor waits until stderr holds substr n times, and returns stderr.
func (s *plainSession) waitFor(substr string, n int) string {
	s.t.Helper()
	deadline := time.Now().Add(testkit.WaitTimeout)
	for {
		got := s.stderr.String()
		if strings.Count(got, substr) >= n {
			return got
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %q (×%d) on stderr:\n%s", substr, n, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// answer waits for the nth prompt ending in "prompt: " and types line.
func (s *plainSession) answer(prompt string, n int, line string) {
	s.t.Helper()
	s.waitFor(prompt+": ", n)
	if _, err := io.WriteString(s.stdin, line+"\n"); err != nil {
		s.t.Fatal(err)
	}
}

func (s *plainSession) wait() int {
	s.t.Helper()
	select {
	case code := <-s.exit:
		return code
	case <-time.After(testkit.WaitTimeout):
		s.t.Fatalf("plain mode did not end; stderr:\n%s", s.stderr.String())
	}
	return -1
}

// noEscapes fails when out holds any escape or control character but the newline.
func noEscapes(t *testing.T, out string) {
	t.Helper()
	if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 }); i >= 0 {
		t.Errorf("plain output holds control character %q at %d:\n%q", out[i], i, out)
	}
}
