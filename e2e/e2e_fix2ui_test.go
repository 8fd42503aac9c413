package e2e

import (
	"strings"
	"testing"
)

// esc on the token step asks before dropping a token that went nowhere;
// ctrl+c after the drop aborts (130) and says the token was dropped.
func TestE2EEscAsksBeforeDroppingTheToken(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	tm.paste(fake.IssueCode())
	tm.keys("Enter")
	tokenOnScreen(t, tm, "Step 5 of 5 · Access token")

	tm.keys("Escape")
	waitFor(t, tm, "Get another code? The token on screen will be dropped")
	waitFor(t, tm, "y drop it")
	tm.keys("n")
	waitFor(t, tm, "Kept the token")
	tm.keys("Escape")
	waitFor(t, tm, "Get another code?")
	tm.keys("y")
	waitFor(t, tm, "Dropped the token.")
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 130 || out != "" {
		t.Errorf("exit %d, stdout %q; want 130 and nothing", code, out)
	}
	s := tm.screen()
	if !strings.Contains(s, "Aborted: the earlier token was dropped") || strings.Contains(s, "no token was fetched") {
		t.Errorf("the last frame after a drop:\n%s", s)
	}
}

// ctrl+c while esc's question is open keeps the token, as q does.
func TestE2ECtrlCAtTheDropQuestionKeepsTheToken(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	tm.paste(fake.IssueCode())
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	tm.keys("Escape")
	waitFor(t, tm, "Get another code?")
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and the token", code, out)
	}
}

// At 50 columns a placeholder is whole or absent, never cut mid-word; the
// Issuer step gives no step total, the endpoint steps after tab do.
func TestE2ENarrowPlaceholdersAndStepTotals(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{width: 50, height: 30, env: map[string]string{"NO_COLOR": "1"}, args: []string{"--provider", "custom"}})
	waitFor(t, tm, "Step 1 · Issuer")
	tm.keys("Tab")
	s := waitFor(t, tm, "Authorization endpoint")
	if !strings.Contains(s, "> (https://login.example.com/oauth2/authorize)") || !strings.Contains(s, "Step 2 of 10") {
		t.Errorf("at 50 columns, the endpoint step:\n%s", s)
	}
}
