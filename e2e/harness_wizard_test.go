package e2e

// Starting the wizard against a server, and walking it to a step.

import (
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nestauth/auth/fakenest"
)

func nestWizard(fake *fakenest.Server, secret string) wizardRun {
	return wizardRun{
		env:  map[string]string{"NESTAUTH_CLIENT_SECRET": secret},
		args: []string{"--provider", "nest", "--client-id", nestID, "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()},
	}
}

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

// demoApp heads every step of the Works with Nest demo (nestauth --demo
// --provider nest); demoSDMApp every step of the Device Access demo.
const (
	demoApp    = "nestauth · Works with Nest (demo server on this machine)"
	demoSDMApp = "nestauth · Google Nest Device Access (demo server on this machine)"
)

// sdmTokenRE is an access token of the demo's Device Access server.
var sdmTokenRE = regexp.MustCompile(`ya29\.a0[A-Z2-9]{60}`)

// demoPINField is the code field holding a PIN of the demo server's.
var demoPINField = regexp.MustCompile(`(?m)^> [A-Z2-9]{8}\s*$`)

// demoToAuthorize walks a demo wizard from its Client ID step to Authorize,
// taking the client ID and secret it fills in; each step names the app and
// the demo provider above its header.
func demoToAuthorize(t *testing.T, tm *tmuxTerm) {
	t.Helper()
	const authorize = "Step 3 of 5 · Authorize"
	for _, header := range []string{"Step 1 of 5 · Client ID", "Step 2 of 5 · Client secret", authorize} {
		s := waitFor(t, tm, header)
		if !strings.Contains(afterLast(s, demoApp), header) {
			t.Errorf("the screen does not name the app and the demo provider above %q:\n%s", header, s)
		}
		if header != authorize {
			tm.keys("Enter")
		}
	}
}

// demoToToken walks a demo wizard from its Client ID step to the token: at
// Authorize a has the demo server approve, which puts its PIN in the code
// field, and Enter exchanges it. It returns the token shown.
func demoToToken(t *testing.T, tm *tmuxTerm) string {
	t.Helper()
	demoToAuthorize(t, tm)
	tm.keys("a")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	waitForScreen(t, tm, "the demo's PIN in the code field", func(s string) bool {
		return demoPINField.MatchString(afterLast(s, "· Authorization code"))
	})
	tm.keys("Enter")
	return tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
}

// demoSDMToAuthorize walks a demo wizard (nestauth --demo) from its
// Provider step to Authorize: Enter takes the first choice, Device Access,
// then the project ID, client ID and secret it fills in. Each step after the
// Provider names the app and the demo provider above its header.
func demoSDMToAuthorize(t *testing.T, tm *tmuxTerm) {
	t.Helper()
	s := waitFor(t, tm, "Step 1 · Provider")
	if !strings.Contains(afterLast(s, "Step 1 · Provider"), "> 1. Google Nest Device Access (demo server on this machine)") {
		t.Errorf("Device Access is not the demo's first choice:\n%s", s)
	}
	tm.keys("Enter")
	const authorize = "Step 5 of 7 · Authorize"
	for _, header := range []string{"Step 2 of 7 · Device Access project ID", "Step 3 of 7 · Client ID", "Step 4 of 7 · Client secret", authorize} {
		s := waitFor(t, tm, header)
		if !strings.Contains(afterLast(s, demoSDMApp), header) {
			t.Errorf("the screen does not name the app and the demo provider above %q:\n%s", header, s)
		}
		if header != authorize {
			tm.keys("Enter")
		}
	}
}

// demoSDMToToken walks the Device Access demo from its Provider step to the
// token: at Authorize a has the demo server approve, which redirects with a
// code; the code is taken out into the field, and Enter exchanges it. It
// returns the token shown.
func demoSDMToToken(t *testing.T, tm *tmuxTerm) string {
	t.Helper()
	demoSDMToAuthorize(t, tm)
	tm.keys("a")
	s := waitFor(t, tm, "The demo server approved and redirected to https://www.google.com/?code=…; the code is in the field.")
	if !regexp.MustCompile(`(?m)^> 4/0A[A-Z2-9]{40}\s*$`).MatchString(afterLast(s, "· Authorization code")) {
		t.Fatalf("the demo's code is not alone in the field:\n%s", s)
	}
	tm.keys("Enter")
	s = waitFor(t, tm, "Step 7 of 7 · Access token")
	tok := sdmTokenRE.FindString(afterLast(s, "Step 7 of 7 · Access token"))
	if tok == "" {
		t.Fatalf("no ya29.… token on the token step:\n%s", s)
	}
	return tok
}

// fakeToToken walks a wizard started with nestWizard from Authorize to the
// token: Enter, a code the fake issued pasted, Enter. It returns the token
// shown.
func fakeToToken(t *testing.T, tm *tmuxTerm, fake *fakenest.Server) string {
	t.Helper()
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.paste(fake.IssueCode())
	tm.keys("Enter")
	return tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
}

// pasteRedirect goes on from Authorize to the code step, headed codeStep,
// pastes the browser's redirect there and sends the code taken out of it.
func pasteRedirect(t *testing.T, tm *tmuxTerm, codeStep, redirect string) {
	t.Helper()
	tm.keys("Enter")
	waitFor(t, tm, codeStep)
	tm.paste(redirect)
	waitFor(t, tm, "Took the code out of what you pasted")
	tm.keys("Enter")
}

// copyAuthURL presses c at Authorize and returns the URL it copied.
func copyAuthURL(t *testing.T, tm *tmuxTerm, header string) string {
	t.Helper()
	waitFor(t, tm, header)
	tm.keys("c")
	u := tm.clipboard("")
	if s, _ := screenURL(tm.screen()); s != u {
		t.Errorf("URL on screen %q differs from the copied %q", s, u)
	}
	return u
}
