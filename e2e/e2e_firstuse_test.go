package e2e

// End-to-end: what a new user found trying the demo in a real terminal.

import (
	"nestauth/internal/testkit"
	"strings"
	"testing"
)

func TestE2EFirstUseDemo(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo"}, env: map[string]string{"NO_COLOR": "1"}})
	waitFor(t, tm, "Step 1 of 5 · Client ID")
	tm.keys("Enter")
	waitFor(t, tm, "Step 2 of 5 · Client secret")
	tm.keys("Enter")
	waitFor(t, tm, "Step 3 of 5 · Authorize")

	// A wrong PIN: the hint is the demo's way to a new one, not a browser.
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.typeText("WRONGPIN")
	tm.keys("Enter")
	s := waitFor(t, tm, "Press esc, then a: the demo server approves again and shows a new PIN.")
	if strings.Contains(testkit.SquashSpace(s), "Press ctrl+o") {
		t.Errorf("the demo's hint points to a browser:\n%s", s)
	}
	tm.keys("Escape")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("a")
	waitFor(t, tm, "The demo server approved")
	tm.keys("Enter")
	header := "Step 5 of 5 · Access token"
	tok := tokenOnScreen(t, tm, header)

	// s: the demo saves nothing, and says so.
	tm.keys("s")
	waitFor(t, tm, "The demo's tokens are not saved: they only work with the demo server.")

	// w over an existing file, n: back to the token; the next w is the key.
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	waitFor(t, tm, "Wrote the token to")
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	waitFor(t, tm, "nestauth-token.json exists. Replace it?")
	tm.keys("n")
	waitFor(t, tm, "Kept nestauth-token.json as it is.")
	tm.keys("w")
	s = waitFor(t, tm, "Write the token (JSON")
	if strings.Contains(s, "nestauth-token.jsonw") {
		t.Fatalf("w after n went into the file name:\n%s", s)
	}
	tm.keys("Escape")
	waitFor(t, tm, "Nothing was written.")

	// 30×10: the token stays whole on screen.
	tm.must("resize-window", "-t", "s", "-x", "30", "-y", "10")
	waitForScreen(t, tm, "the whole token at 30×10", func(s string) bool {
		return strings.Contains(strings.ReplaceAll(s, "\n", ""), tok)
	})
	tm.must("resize-window", "-t", "s", "-x", "80", "-y", "24")

	// x, y: the screen says revoked, not the lifetime.
	tm.keys("x")
	waitFor(t, tm, "Revoke this token at the provider?")
	tm.keys("y")
	s = waitFor(t, tm, "✗ Revoked: this token no longer works.")
	if strings.Contains(afterLast(s, header), "Expires in") {
		t.Errorf("a revoked token shows its lifetime:\n%s", s)
	}

	// q: one message says so, and what to do next.
	tm.keys("q")
	out, code := tm.waitExit()
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	s = waitFor(t, tm, "nothing went to stdout; run nestauth again for a new one")
	if n := strings.Count(strings.ToLower(afterLast(s, header)), "revoked"); n != 1 {
		t.Errorf("%d messages say revoked after q, want 1:\n%s", n, s)
	}
}

// The provider list: a number chooses at once; other letters only say
// which keys work.
func TestE2EProviderNumbers(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{env: map[string]string{"NO_COLOR": "1"}})
	waitFor(t, tm, "Step 1 · Provider")
	waitFor(t, tm, "1-5 choose")
	tm.typeText("abc")
	waitFor(t, tm, "type a number 1-5")
	tm.typeText("2")
	waitFor(t, tm, "nestauth · Works with Nest")
	waitFor(t, tm, "· Client ID")
	tm.keys("C-c")
	if out, code := tm.waitExit(); code != 130 || out != "" {
		t.Errorf("exit %d, stdout %q; want 130 and nothing", code, out)
	}
}
