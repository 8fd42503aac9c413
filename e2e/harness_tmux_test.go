package e2e

// The terminal: nestauth (or a shell script that runs it) in a pane of its
// own tmux server; keys and pastes in, the screen, the clipboard, files and
// the exit status out.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"nestauth/internal/testkit"
)

// shq quotes s for sh.
func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

var tmuxSeq atomic.Int64

// tmuxTerm is nestauth running in a pane of its own tmux server.
type tmuxTerm struct {
	t      *testing.T
	socket string
	dir    string
}

type wizardRun struct {
	width, height int
	env           map[string]string // the binary's whole environment, beyond PATH, HOME, TERM
	args          []string
}

// startWizard runs nestauth in a fresh tmux server; stdout goes to a file.
func startWizard(t *testing.T, w wizardRun) *tmuxTerm {
	t.Helper()
	if w.width == 0 {
		w.width, w.height = 80, 24
	}
	run := "nestauth"
	for _, a := range w.args {
		run += " " + shq(a)
	}
	return startScript(t, w.width, w.height, w.env, run+" > stdout\n"+exitLine)
}

// startScript runs body with sh in a fresh tmux server. In body, `nestauth
// ARGS` runs the binary under test with only PATH, TERM, HOME and env in its
// environment, and writes its PID to the file pid.
func startScript(t *testing.T, width, height int, env map[string]string, body string) *tmuxTerm {
	t.Helper()
	needTool(t, testkit.Tmux)
	tm := &tmuxTerm{
		t:      t,
		socket: fmt.Sprintf("nestauth-e2e-%d-%d", os.Getpid(), tmuxSeq.Add(1)),
		dir:    t.TempDir(),
	}
	// env -i: no DISPLAY, BROWSER, SSH_CONNECTION, NO_COLOR or NESTAUTH_* leak in,
	// so no real browser or clipboard is touched.
	var run strings.Builder
	run.WriteString(`env -i PATH="$PATH" TERM="$TERM" HOME=` + shq(tm.dir))
	for k, v := range env {
		run.WriteString(" " + k + "=" + shq(v))
	}
	// The pane stays open afterwards, showing what nestauth left on the screen
	// (remain-on-exit would scroll its last line away for "Pane is dead").
	script := "cd " + shq(tm.dir) + "\n" +
		"nestauth() { sh -c 'echo $$ > pid.tmp && mv pid.tmp pid && exec \"$@\"' sh " + run.String() + " " + shq(nestauthBin) + ` "$@"; }` + "\n" +
		body + "\nexec sleep 600\n"
	path := filepath.Join(tm.dir, "run.sh")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			if s, err := tm.tmux("capture-pane", "-p", "-t", "s"); err == nil {
				t.Logf("screen at the end:\n%s", s)
			}
		}
		_, _ = tm.tmux("kill-server")
	})
	if _, err := tm.tmux("start-server", ";", "set-option", "-s", "set-clipboard", "on", ";",
		"new-session", "-d", "-s", "s", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "sh "+shq(path)); err != nil {
		t.Fatalf("tmux new-session: %v", err)
	}
	return tm
}

// exitLine is what a script writes to the file exit once nestauth ends.
const exitLine = `echo $? > exit.tmp && mv exit.tmp exit`

// sttyLine is what a script runs to leave the terminal's settings, as
// sttyFlags reads them, in the file stty.
const sttyLine = "stty -a > stty.tmp && mv stty.tmp stty"

func (tm *tmuxTerm) tmux(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-u", "-L", tm.socket, "-f", "/dev/null"}, args...)...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (tm *tmuxTerm) must(args ...string) string {
	tm.t.Helper()
	out, err := tm.tmux(args...)
	if err != nil {
		tm.t.Fatal(err)
	}
	return out
}

// screen is the visible pane as text.
func (tm *tmuxTerm) screen() string {
	tm.t.Helper()
	return tm.must("capture-pane", "-p", "-t", "s")
}

// screenANSI is the visible pane with its SGR attributes.
func (tm *tmuxTerm) screenANSI() string {
	tm.t.Helper()
	return tm.must("capture-pane", "-p", "-e", "-t", "s")
}

// keys sends tmux key names (Enter, Escape, C-c, BSpace, ...).
func (tm *tmuxTerm) keys(keys ...string) {
	tm.t.Helper()
	tm.must(append([]string{"send-keys", "-t", "s"}, keys...)...)
}

// typeText types text literally, one key per character.
func (tm *tmuxTerm) typeText(text string) {
	tm.t.Helper()
	tm.must("send-keys", "-t", "s", "-l", text)
}

// paste delivers text as one bracketed paste, as a terminal does.
func (tm *tmuxTerm) paste(text string) {
	tm.t.Helper()
	tm.must("set-buffer", "-b", "e2e-paste", "--", text)
	tm.must("paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "s")
}

// pasteLong is paste for a text too long for a tmux command line.
func (tm *tmuxTerm) pasteLong(text string) {
	tm.t.Helper()
	f := filepath.Join(tm.t.TempDir(), "paste")
	if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
		tm.t.Fatal(err)
	}
	tm.must("load-buffer", "-b", "e2e-paste", f)
	tm.must("paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "s")
}

// waitFor polls the screen until it shows substr (as is, or across a wrap).
func waitFor(t *testing.T, tm *tmuxTerm, substr string) string {
	t.Helper()
	return waitForWithin(t, tm, testkit.WaitTimeout, substr)
}

// waitForWithin is waitFor with a time limit of its own.
func waitForWithin(t *testing.T, tm *tmuxTerm, limit time.Duration, substr string) string {
	t.Helper()
	return waitForScreenWithin(t, tm, limit, fmt.Sprintf("%q", substr), func(s string) bool {
		return strings.Contains(s, substr) || strings.Contains(testkit.SquashSpace(s), testkit.SquashSpace(substr))
	})
}

// waitForScreen polls the screen until ok accepts it, and fails with the
// screen it last saw.
func waitForScreen(t *testing.T, tm *tmuxTerm, what string, ok func(string) bool) string {
	t.Helper()
	return waitForScreenWithin(t, tm, testkit.WaitTimeout, what, ok)
}

func waitForScreenWithin(t *testing.T, tm *tmuxTerm, limit time.Duration, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := tm.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; the screen:\n%s", limit, what, s)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// clipboard polls tmux's newest automatic buffer (where OSC 52 lands) until
// it differs from prev, and returns it.
func (tm *tmuxTerm) clipboard(prev string) string {
	tm.t.Helper()
	deadline := time.Now().Add(testkit.WaitTimeout)
	var last string
	for {
		out, err := tm.tmux("show-buffer")
		if err == nil && out != prev {
			return out
		}
		last = out
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for a new clipboard value (OSC 52); last: %q; screen:\n%s", last, tm.screen())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitExit waits for nestauth to end and returns its stdout and exit status.
func (tm *tmuxTerm) waitExit() (string, int) {
	tm.t.Helper()
	deadline := time.Now().Add(testkit.WaitTimeout)
	for {
		b, err := os.ReadFile(filepath.Join(tm.dir, "exit"))
		if err == nil {
			code, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				tm.t.Fatalf("exit file: %q", b)
			}
			out, err := os.ReadFile(filepath.Join(tm.dir, "stdout"))
			if err != nil {
				tm.t.Fatal(err)
			}
			return string(out), code
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for nestauth to exit; screen:\n%s", tm.screen())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitFile waits for a file in the script's directory and returns it.
func (tm *tmuxTerm) waitFile(name string) string {
	tm.t.Helper()
	deadline := time.Now().Add(testkit.WaitTimeout)
	for {
		if b, err := os.ReadFile(filepath.Join(tm.dir, name)); err == nil {
			return string(b)
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %s; screen:\n%s", name, tm.screen())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func (tm *tmuxTerm) exitCode() int {
	tm.t.Helper()
	code, err := strconv.Atoi(strings.TrimSpace(tm.waitFile("exit")))
	if err != nil {
		tm.t.Fatal(err)
	}
	return code
}

// signal sends sig to the nestauth the script started.
func (tm *tmuxTerm) signal(sig syscall.Signal) {
	tm.t.Helper()
	pid, err := strconv.Atoi(strings.TrimSpace(tm.waitFile("pid")))
	if err != nil {
		tm.t.Fatal(err)
	}
	sendSignal(tm.t, pid, sig)
}

// sttyFlags returns the flags `stty -a` printed, one field each.
func sttyFlags(s string) map[string]bool {
	flags := map[string]bool{}
	for _, f := range strings.Fields(s) {
		flags[f] = true
	}
	return flags
}
