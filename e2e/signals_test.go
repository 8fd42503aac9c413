package e2e

// ctrl+c and signals: where an abort exits 130 and where it keeps the
// token, and the terminal restored after SIGHUP and SIGQUIT.

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"nestauth/internal/testkit"
)

func TestE2ECtrlC(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.typeText("ABC")
	waitForScreen(t, tm, "typed text", func(s string) bool { return fieldLine("ABC").MatchString(s) })
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 130 || out != "" {
		t.Errorf("ctrl+c: exit %d, stdout %q; want 130 and nothing", code, out)
	}
	waitFor(t, tm, "Aborted")
	if n := fake.TokenRequests(); n != 0 {
		t.Errorf("ctrl+c sent %d token requests", n)
	}
}

// ctrl+c on the Access token step finishes like q: the code is spent, the
// token goes to stdout.
func TestE2ECtrlCOnTokenStep(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "nest"}})
	tok := demoToToken(t, tm)
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 0 || out != tok+"\n" {
		t.Errorf("ctrl+c on the token step: exit %d, stdout %q; want 0 and %q", code, out, tok+"\n")
	}
	if strings.Contains(tm.screen(), "Aborted") {
		t.Errorf("the screen says Aborted:\n%s", tm.screen())
	}
}

// ctrl+c while esc's question is open keeps the token, as q does.
func TestE2ECtrlCAtTheDropQuestionKeepsTheToken(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))
	tok := fakeToToken(t, tm, fake)
	tm.keys("Escape")
	waitFor(t, tm, "Get another code?")
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and the token", code, out)
	}
}

// SIGHUP and SIGQUIT restore the terminal, as SIGTERM does: echo and
// canonical mode on, the cursor shown.
func TestE2ESignalsRestoreTerminal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run("wizard "+sig.String(), func(t *testing.T) {
			t.Parallel()
			tm := startScript(t, 80, 24, nil, "nestauth --demo --provider nest > stdout\n"+exitLine+"\n"+sttyLine)
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
				fmt.Sprintf("nestauth refresh --provider custom --client-id cid --token-url http://127.0.0.1:%d/token\n", testkit.FreePort(t))+exitLine+"\n"+sttyLine)
			waitFor(t, tm, "Refresh token (input hidden):")
			tm.signal(sig)
			code := tm.exitCode()
			if flags := sttyFlags(tm.waitFile("stty")); !flags["echo"] || !flags["icanon"] {
				t.Errorf("after %v (exit %d) the echo is still off: %v", sig, code, tm.waitFile("stty"))
			}
		})
	}
}
