package e2e

// End-to-end tests of issue 6's command-line points: the real binary, real
// files and pipes for stdout, real child processes, real signals, and tmux
// for the terminal. Loopback only.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"nestauth/internal/testkit"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startScript runs body with sh in a fresh tmux server. In body, `nestauth
// ARGS` runs the binary under test with only PATH, TERM, HOME and env in its
// environment, and writes its PID to the file pid.
func startScript(t *testing.T, width, height int, env map[string]string, body string) *tmuxTerm {
	t.Helper()
	needTool(t, "tmux")
	tm := &tmuxTerm{
		t:      t,
		socket: fmt.Sprintf("nestauth-e2e-trust-%d-%d", os.Getpid(), tmuxSeq.Add(1)),
		dir:    t.TempDir(),
	}
	var run strings.Builder
	run.WriteString(`env -i PATH="$PATH" TERM="$TERM" HOME=` + shq(tm.dir))
	for k, v := range env {
		run.WriteString(" " + k + "=" + shq(v))
	}
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
	if err := syscall.Kill(pid, sig); err != nil {
		tm.t.Fatal(err)
	}
}

// runBinStdout runs the binary without a terminal, its stdout on out.
func runBinStdout(t *testing.T, env map[string]string, out *os.File, args ...string) (stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nestauthBin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var e bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &e
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("running nestauth %v: %v", args, err)
		}
	}
	return e.String(), cmd.ProcessState.ExitCode()
}

// ctrl+c on the Access token step finishes like q: the code is spent, the
// token goes to stdout.
func TestE2ECtrlCOnTokenStep(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo"}})
	waitFor(t, tm, "Step 1 of 5 · Client ID")
	tm.keys("Enter")
	waitFor(t, tm, "Step 2 of 5 · Client secret")
	tm.keys("Enter")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("a")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 0 || out != tok+"\n" {
		t.Errorf("ctrl+c on the token step: exit %d, stdout %q; want 0 and %q", code, out, tok+"\n")
	}
	if strings.Contains(tm.screen(), "Aborted") {
		t.Errorf("the screen says Aborted:\n%s", tm.screen())
	}
}

// Output that could not be written is a failure, said on stderr; where
// nestauth can tell beforehand, nothing is sent.
func TestE2EStdoutFailures(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	env := map[string]string{"NESTAUTH_CLIENT_SECRET": nestSecret}
	exchange := func(code string) []string {
		return []string{"exchange", "--provider", "nest", "--client-id", nestID, "--token-url", fake.TokenURL(), "--code", code}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"at-refreshed","token_type":"Bearer","expires_in":3600}`)
	}))
	t.Cleanup(srv.Close)

	// /dev/full refuses even a write of nothing: found before anything is sent.
	for _, cmd := range []string{"exchange", "refresh", "wizard"} {
		t.Run(cmd+" to /dev/full", func(t *testing.T) {
			full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer full.Close()
			args := map[string][]string{
				"exchange": exchange(fake.IssueCode()),
				"refresh":  {"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", srv.URL, "--refresh-token-file", "/dev/null"},
				"wizard":   {"--demo"},
			}[cmd]
			before := fake.TokenRequests()
			stderr, code := runBinStdout(t, env, full, args...)
			if code != 1 || !strings.Contains(stderr, "stdout cannot be written") || !strings.Contains(stderr, "no space left on device") {
				t.Errorf("exit %d, stderr %q; want 1 and why", code, stderr)
			}
			if n := fake.TokenRequests() - before; n != 0 {
				t.Errorf("%d token requests: the code was spent on a token with nowhere to go", n)
			}
		})
	}
	// A pipe whose reader is gone takes a write of nothing: the real write fails.
	for _, cmd := range []string{"exchange", "refresh"} {
		t.Run(cmd+" to a closed pipe", func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			defer w.Close()
			rt := filepath.Join(t.TempDir(), "rt")
			if err := os.WriteFile(rt, []byte("rt\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			args := map[string][]string{
				"exchange": exchange(fake.IssueCode()),
				"refresh":  {"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", srv.URL, "--refresh-token-file", rt},
			}[cmd]
			stderr, code := runBinStdout(t, env, w, args...)
			if code != 1 || !strings.Contains(stderr, "could not be written to stdout") || !strings.Contains(stderr, "broken pipe") {
				t.Errorf("exit %d, stderr %q; want 1 and why", code, stderr)
			}
			if nestTokenRE.MatchString(stderr) || strings.Contains(stderr, "at-refreshed") {
				t.Errorf("stderr, not a terminal, holds the token: %q", stderr)
			}
		})
	}
	t.Run("exchange to a read-only stdout", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "out")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		ro, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		before := fake.TokenRequests()
		stderr, code := runBinStdout(t, env, ro, exchange(fake.IssueCode())...)
		if code != 1 || !strings.Contains(stderr, "stdout cannot be written") || !strings.Contains(stderr, "nothing was sent") {
			t.Errorf("exit %d, stderr %q; want 1 and why", code, stderr)
		}
		if n := fake.TokenRequests() - before; n != 0 {
			t.Errorf("%d token requests: the code was spent on a token with nowhere to go", n)
		}
	})
	for _, cmd := range []string{"exchange", "wizard"} {
		t.Run(cmd+" with stdout closed", func(t *testing.T) {
			args := []string{"--provider", "nest", "--client-id", nestID, "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()}
			if cmd == "exchange" {
				args = exchange(fake.IssueCode())
			}
			var quoted []string
			for _, a := range args {
				quoted = append(quoted, shq(a))
			}
			sh := exec.Command("sh", "-c", "exec 1>&-; exec "+shq(nestauthBin)+" "+strings.Join(quoted, " "))
			sh.Env = []string{"PATH=" + os.Getenv("PATH"), "NESTAUTH_CLIENT_SECRET=" + nestSecret, "TERM=xterm"}
			var e bytes.Buffer
			sh.Stderr = &e
			before := fake.TokenRequests()
			_ = sh.Run()
			if code := sh.ProcessState.ExitCode(); code != 1 || !strings.Contains(e.String(), "stdout cannot be written") {
				t.Errorf("exit %d, stderr %q; want 1 and why", code, e.String())
			}
			if n := fake.TokenRequests() - before; n != 0 {
				t.Errorf("%d token requests with stdout closed", n)
			}
		})
	}
	t.Run("wizard to a closed pipe", func(t *testing.T) {
		tm := startScript(t, 80, 30, nil, "{ nestauth --demo; "+exitLine+"; } | true")
		waitFor(t, tm, "Step 1 of 5 · Client ID")
		tm.keys("Enter")
		waitFor(t, tm, "Step 2 of 5 · Client secret")
		tm.keys("Enter")
		waitFor(t, tm, "Step 3 of 5 · Authorize")
		tm.keys("a")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.keys("Enter")
		tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
		tm.keys("q")
		s := waitFor(t, tm, "Could not write the token out")
		if !strings.Contains(s, "broken pipe") || !strings.Contains(afterLast(s, "Step 5 of 5"), tok) || strings.Contains(s, "it went to stdout") {
			t.Fatalf("after a failed write the token step should stay, with the token and why:\n%s", s)
		}
		tm.keys("q")
		if code := tm.exitCode(); code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		s = tm.screen()
		if !strings.Contains(s, tok) || !strings.Contains(testkit.SquashSpace(s), "nestauth: the token could not be written to stdout") {
			t.Errorf("the screen should keep the token and say it was not written:\n%s", s)
		}
	})
}

// No child process nestauth starts (the browser, xclip) inherits the secret.
func TestE2ESecretNotInherited(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	bin := t.TempDir()
	dumps := t.TempDir()
	tool := func(name, extra string) {
		script := "#!/bin/sh\nenv > " + shq(filepath.Join(dumps, name+".tmp")) + "\n" + extra +
			"mv " + shq(filepath.Join(dumps, name+".tmp")) + " " + shq(filepath.Join(dumps, name)) + "\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	tool("browser", "")
	tool("xclip", "cat > /dev/null\n")
	w := nestWizard(fake, nestSecret)
	w.env["PATH"] = bin + ":" + os.Getenv("PATH")
	w.env["BROWSER"] = filepath.Join(bin, "browser")
	w.env["DISPLAY"] = ":99" // a display for the clipboard; the fake xclip needs none
	tm := startWizard(t, w)
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("o")
	waitFor(t, tm, "Opened the authorization URL")
	tm.keys("c")
	waitFor(t, tm, "Copied the URL to the system clipboard")
	for _, name := range []string{"browser", "xclip"} {
		env, err := os.ReadFile(filepath.Join(dumps, name))
		if err != nil {
			t.Fatalf("%s never ran: %v", name, err)
		}
		if strings.Contains(string(env), nestSecret) || strings.Contains(string(env), "NESTAUTH_CLIENT_SECRET") {
			t.Errorf("%s inherited the client secret:\n%s", name, env)
		}
	}
	// The secret still reaches the token endpoint.
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.typeText(fake.IssueCode())
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and the token", code, out)
	}
}

// sttyFlags returns the flags `stty -a` printed, one field each.
func sttyFlags(s string) map[string]bool {
	flags := map[string]bool{}
	for _, f := range strings.Fields(s) {
		flags[f] = true
	}
	return flags
}

// SIGHUP and SIGQUIT restore the terminal, as SIGTERM does: echo and
// canonical mode on, the cursor shown.
func TestE2ESignalsRestoreTerminal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run("wizard "+sig.String(), func(t *testing.T) {
			t.Parallel()
			tm := startScript(t, 80, 24, nil, "nestauth --demo > stdout\n"+exitLine+"\nstty -a > stty.tmp && mv stty.tmp stty")
			waitFor(t, tm, "Step 1 of 5 · Client ID")
			tm.signal(sig)
			code := tm.exitCode()
			flags := sttyFlags(tm.waitFile("stty"))
			if !flags["echo"] || !flags["icanon"] {
				t.Errorf("after %v (exit %d) the terminal is still raw: %v", sig, code, tm.waitFile("stty"))
			}
			if c := strings.TrimSpace(tm.must("display-message", "-p", "-t", "s", "#{cursor_flag}")); c != "1" {
				t.Errorf("after %v the cursor is hidden (cursor_flag %q)", sig, c)
			}
			if code != 1 {
				t.Errorf("exit %d, want 1 (stopped before a token)", code)
			}
		})
		t.Run("refresh prompt "+sig.String(), func(t *testing.T) {
			t.Parallel()
			tm := startScript(t, 80, 24, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"},
				"nestauth refresh --provider custom --client-id cid --token-url http://127.0.0.1:9/token\n"+exitLine+"\nstty -a > stty.tmp && mv stty.tmp stty")
			waitFor(t, tm, "Refresh token (input hidden):")
			tm.signal(sig)
			code := tm.exitCode()
			if flags := sttyFlags(tm.waitFile("stty")); !flags["echo"] || !flags["icanon"] {
				t.Errorf("after %v (exit %d) the echo is still off: %v", sig, code, tm.waitFile("stty"))
			}
		})
	}
}

// exchange asks for the code, hidden, when stdin is a terminal.
func TestE2EExchangeCodePrompt(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	code := fake.IssueCode()
	tm := startScript(t, 80, 24, map[string]string{"NESTAUTH_CLIENT_SECRET": nestSecret},
		"nestauth exchange --provider nest --client-id "+nestID+" --token-url "+shq(fake.TokenURL())+" > stdout\n"+exitLine)
	waitFor(t, tm, "Code or redirect URL (input hidden):")
	tm.typeText(code)
	tm.keys("Enter")
	if c := tm.exitCode(); c != 0 {
		t.Fatalf("exit %d", c)
	}
	if strings.Contains(tm.screen(), code) {
		t.Errorf("the code was echoed:\n%s", tm.screen())
	}
	testkit.DecodeToken(t, tm.waitFile("stdout"))
}

// Text printed after the wizard wraps at word boundaries to the terminal.
func TestE2EWrapAfterWizard(t *testing.T) {
	t.Parallel()
	t.Run("refresh token note", func(t *testing.T) {
		t.Parallel()
		stub := &sdmStub{codes: map[string]bool{"4/0AbC": true}}
		srv := httptest.NewServer(stub)
		t.Cleanup(srv.Close)
		tm := startWizard(t, wizardRun{width: 44, height: 30, env: map[string]string{"NESTAUTH_CLIENT_SECRET": "s"},
			args: []string{"--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab",
				"--client-id", "123-abc.apps.googleusercontent.com", "--token-url", srv.URL + "/token"}})
		waitFor(t, tm, "Step 4 of 6 · Authorize")
		tm.keys("Enter")
		waitFor(t, tm, "Step 5 of 6 · Authorization code")
		tm.paste("4/0AbC")
		tm.keys("Enter")
		waitFor(t, tm, "Step 6 of 6 · Access token")
		tm.keys("q")
		if _, code := tm.waitExit(); code != 0 {
			t.Fatalf("exit %d", code)
		}
		s := tm.screen()
		for _, want := range []string{"Refresh token (for nestauth refresh):", `While the OAuth consent screen is in "Testing", the refresh token dies after 7 days: publish the app to keep it.`} {
			if !strings.Contains(testkit.SquashSpace(afterLast(s, "Step 6 of 6")), want) {
				t.Errorf("%q is cut mid-word at 44 columns:\n%s", want, s)
			}
		}
		if !strings.Contains(s, "1//rt-4_0AbC") {
			t.Errorf("the refresh token is not on the screen whole:\n%s", s)
		}
	})
}

// Inside tmux, with stdout a terminal, nestauth runs no `tmux info` (which
// lipgloss's start-up colour detection would, with no time limit), and the
// programs it starts still see TMUX.
func TestE2ENoTmuxInfo(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	logFile := filepath.Join(bin, "tmux.log")
	fakeTmux := "#!/bin/sh\necho \"tmux $*\" >> " + shq(logFile) + "\n"
	browser := "#!/bin/sh\nenv > " + shq(filepath.Join(bin, "env.tmp")) + " && mv " + shq(filepath.Join(bin, "env.tmp")) + " " + shq(filepath.Join(bin, "env")) + "\n"
	for name, script := range map[string]string{"tmux": fakeTmux, "browser": browser} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	const tmuxVar = "/tmp/tmux-1000/default,4242,0"
	env := map[string]string{"PATH": bin + ":" + os.Getenv("PATH"), "TMUX": tmuxVar, "BROWSER": filepath.Join(bin, "browser"), "TERM": "xterm-256color"}
	tm := startScript(t, 80, 24, env, "nestauth --version\n"+exitLine+"\nnestauth --demo")
	if code := tm.exitCode(); code != 0 {
		t.Fatalf("--version: exit %d", code)
	}
	waitFor(t, tm, "Step 1 of 5 · Client ID")
	tm.keys("Enter")
	waitFor(t, tm, "Step 2 of 5 · Client secret")
	tm.keys("Enter")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("o")
	waitFor(t, tm, "Opened the authorization URL")
	if b, err := os.ReadFile(logFile); err == nil {
		t.Errorf("nestauth ran tmux:\n%s", b)
	}
	// The browser runs on its own after "Opened": wait for what it wrote.
	var childEnv []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var err error
		if childEnv, err = os.ReadFile(filepath.Join(bin, "env")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser never wrote its environment: %v", err)
		}
	}
	if !strings.Contains(string(childEnv), "TMUX="+tmuxVar+"\n") {
		t.Errorf("the browser lost TMUX:\n%s", childEnv)
	}
	tm.keys("C-c")
}
