package e2e

// The programs nestauth starts (the browser, xclip): what they inherit,
// and that nestauth starts no tmux of its own.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

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
	tm := startScript(t, 80, 24, env, "nestauth --version\n"+exitLine+"\nnestauth --demo --provider nest")
	if code := tm.exitCode(); code != 0 {
		t.Fatalf("--version: exit %d", code)
	}
	demoToAuthorize(t, tm)
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
