package e2e

// Starting the wizard against a server, and walking it to a step.

import (
	"net/http/httptest"
	"net/url"
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

// demoAuthorize starts the demo and walks to its Authorize step.
func demoAuthorize(t *testing.T, w wizardRun) *tmuxTerm {
	t.Helper()
	w.args = append(w.args, "--demo")
	tm := startWizard(t, w)
	const app = "nestauth · Works with Nest (demo server on this machine)"
	for _, header := range []string{"Step 1 of 5 · Client ID", "Step 2 of 5 · Client secret", "Step 3 of 5 · Authorize"} {
		s := waitFor(t, tm, header)
		if !strings.Contains(afterLast(s, app), header) {
			t.Errorf("the screen does not name the app and the demo provider above %q:\n%s", header, s)
		}
		if !strings.Contains(header, "Authorize") {
			tm.keys("Enter")
		}
	}
	return tm
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
