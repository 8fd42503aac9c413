package e2e

// Running the binary without a terminal: with its output in buffers, on a
// given file, at the end of a shell pipeline, or as nestauth device with
// browse.js answering its user code.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nestauth/internal/testkit"
)

// runBin runs the binary without a terminal.
func runBin(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o bytes.Buffer
	stderr, code = runBinWith(t, env, strings.NewReader(stdin), &o, args...)
	return o.String(), stderr, code
}

// runBinStdout runs the binary without a terminal, its stdout on out.
func runBinStdout(t *testing.T, env map[string]string, out *os.File, args ...string) (stderr string, code int) {
	t.Helper()
	return runBinWith(t, env, nil, out, args...)
}

// runBinWith runs the binary without a terminal, with only PATH, a HOME of
// its own and env in its environment.
func runBinWith(t *testing.T, env map[string]string, stdin io.Reader, stdout io.Writer, args ...string) (stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nestauthBin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var e bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, &e
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("running nestauth %v: %v", args, err)
		}
	}
	return e.String(), cmd.ProcessState.ExitCode()
}

// devFull opens /dev/full, a file that refuses every write, even of
// nothing; where there is none, the test stops as for a missing tool.
func devFull(t *testing.T) *os.File {
	t.Helper()
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		unavailable(t, testkit.Need{Name: "/dev/full", How: "Run them on Linux."}, "/dev/full not found")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { full.Close() })
	return full
}

// runPiped runs a shell pipeline ending in the binary (named "$NESTAUTH")
// with no controlling terminal at all, as in CI, stdout into the file out.
func runPiped(t *testing.T, env map[string]string, pipeline string) (stdout, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", pipeline+" > out")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "NESTAUTH=" + nestauthBin}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	newSession(t, cmd)
	var e bytes.Buffer
	cmd.Stderr = &e
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("running %s: %v", pipeline, err)
		}
	}
	out, err := os.ReadFile(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	return string(out), e.String(), cmd.ProcessState.ExitCode()
}

// deviceWait bounds a wait that spans device polls: oidc-provider sends no
// interval, so nestauth polls every 5 s.
const deviceWait = 40 * time.Second

// userCodeLineRE is the line nestauth device prints its user code on.
var userCodeLineRE = regexp.MustCompile(`^\s*[A-Z]{4}-[A-Z]{4}\s*$`)

// deviceAnswered runs nestauth with args and env, reads the user code it
// prints on stderr, and has browse.js approve it on the issuer's
// verification page, or refuse it unless approve. It returns stdout, all of
// stderr and the exit status.
func deviceAnswered(t *testing.T, issuer string, env []string, approve bool, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deviceWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, nestauthBin, args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var said strings.Builder
	code := ""
	lines := bufio.NewScanner(pipe)
	for code == "" && lines.Scan() {
		said.WriteString(lines.Text() + "\n")
		if userCodeLineRE.MatchString(lines.Text()) {
			code = strings.TrimSpace(lines.Text())
		}
	}
	if code == "" {
		t.Fatalf("no user code on stderr:\n%s", said.String())
	}
	answer := []string{"--user-code", code, issuer + "/device"}
	if !approve {
		answer = append([]string{"--deny"}, answer...)
	}
	browse(t, answer...)
	for lines.Scan() {
		said.WriteString(lines.Text() + "\n")
	}
	_ = cmd.Wait()
	return out.String(), said.String(), cmd.ProcessState.ExitCode()
}
