package e2e

// The wizard and the commands against oidc-provider, a real, independent
// authorization server: SDM and custom providers, PKCE, the loopback
// capture, single-use codes, wrong secrets, denied consent, Basic auth, and
// the Custom path's Issuer step.

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

func TestE2EOIDC(t *testing.T) {
	issuer := startOIDC(t)

	t.Run("SDMPasteRedirectURL", func(t *testing.T) {
		t.Parallel()
		tm := startWizard(t, wizardRun{
			env: map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
			args: []string{"--provider", "sdm", "--project-id", "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b", "--client-id", oidcID,
				"--auth-url", issuer + "/auth", "--token-url", issuer + "/token"},
		})
		authURL := copyAuthURL(t, tm, "Step 4 of 6 · Authorize")
		u, err := url.Parse(authURL)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if u.Scheme+"://"+u.Host+u.Path != issuer+"/auth" || q.Get("redirect_uri") != "https://www.google.com" ||
			q.Get("scope") != "https://www.googleapis.com/auth/sdm.service" || q.Get("access_type") != "offline" ||
			q.Get("prompt") != "consent" || q.Get("response_type") != "code" || q.Get("state") == "" ||
			len(q.Get("code_challenge")) != 43 || q.Get("code_challenge_method") != "S256" {
			t.Errorf("SDM authorization URL lacks a part (PKCE S256, state, scope, offline, consent): %s", authURL)
		}

		redirect, _ := browse(t, authURL)
		if !strings.HasPrefix(redirect, "https://www.google.com?code=") && !strings.HasPrefix(redirect, "https://www.google.com/?code=") {
			t.Fatalf("browse.js redirect = %q", redirect)
		}
		pasteRedirect(t, tm, "Step 5 of 6 · Authorization code", redirect)
		s := waitFor(t, tm, "Step 6 of 6 · Access token")
		for _, want := range []string{"Refresh token:", "Scope: https://www.googleapis.com/auth/sdm.service", "Type: Bearer", "dies after 7 days"} {
			if !strings.Contains(testkit.SquashSpace(s), want) {
				t.Errorf("token step lacks %q:\n%s", want, s)
			}
		}
		tm.keys("r")
		refresh := tm.clipboard(authURL)
		tm.keys("c")
		access := tm.clipboard(refresh)
		if access == "" || refresh == "" || access == refresh {
			t.Fatalf("copied access %q, refresh %q", access, refresh)
		}
		s = tm.screen()
		if !strings.Contains(s, access) || !strings.Contains(strings.ReplaceAll(s, "\n", ""), refresh) {
			t.Errorf("the token step should show the copied access %q and refresh %q tokens:\n%s", access, refresh, s)
		}
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
		// stdout went to a file; the refresh token stays on the screen, whole
		// (the terminal soft-wraps lines anywhere, so compare without newlines).
		s = tm.screen()
		if !strings.Contains(s, "Refresh token (for nestauth refresh):") || !strings.Contains(strings.ReplaceAll(s, "\n", ""), refresh) || !strings.Contains(testkit.SquashSpace(s), "dies after 7 days") {
			t.Errorf("after the wizard the screen should keep the refresh token and the 7-day note:\n%s", s)
		}

		t.Run("RefreshFromStdin", func(t *testing.T) {
			out, errOut, code := runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}, refresh+"\n",
				"refresh", "--provider", "sdm", "--client-id", oidcID, "--token-url", issuer+"/token")
			if code != 0 {
				t.Fatalf("refresh: exit %d, stderr %s", code, errOut)
			}
			tok := testkit.DecodeToken(t, out)
			if tok.AccessToken == access || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
				t.Errorf("refreshed token %+v: want a new Bearer access token for 3600 s", tok)
			}
			if errOut != "" {
				t.Errorf("stderr: %q", errOut)
			}
		})
	})

	t.Run("LoopbackCapture", func(t *testing.T) {
		t.Parallel()
		port := testkit.FreePort(t)
		redirectURI := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
		tm := startWizard(t, wizardRun{
			// Over SSH the wizard says how to forward the port.
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret, "SSH_CONNECTION": "192.0.2.7 50022 198.51.100.9 22"},
			args: oidcCustomArgs(issuer, "--redirect-uri", redirectURI, "--scope", "read"),
		})
		waitFor(t, tm, "Listening on "+redirectURI)
		waitFor(t, tm, fmt.Sprintf("ssh -L %d:127.0.0.1:%d 198.51.100.9", port, port))
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		if q, _ := url.ParseQuery(authURL[strings.Index(authURL, "?")+1:]); q.Get("redirect_uri") != redirectURI || q.Get("code_challenge") == "" {
			t.Errorf("authorization URL %s: want redirect_uri %s and a PKCE challenge", authURL, redirectURI)
		}
		_, page := browse(t, "--follow", authURL)
		if !strings.Contains(page, "HTTP 200") || !strings.Contains(page, "the terminal has the code") {
			t.Errorf("the listener's page: %q", page)
		}
		s := waitFor(t, tm, "Step 5 of 5 · Access token")
		waitFor(t, tm, "Scope: read")
		tm.keys("c")
		access := tm.clipboard(authURL)
		if !strings.Contains(s, access) {
			t.Errorf("token %q not on screen:\n%s", access, s)
		}
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
	})

	t.Run("LoopbackPortBusy", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		port := ln.Addr().(*net.TCPAddr).Port
		redirectURI := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
		tm := startWizard(t, wizardRun{
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
			args: oidcCustomArgs(issuer, "--redirect-uri", redirectURI, "--scope", "read"),
		})
		waitFor(t, tm, fmt.Sprintf("port %d is in use", port))
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		redirect, _ := browse(t, authURL)
		if !strings.HasPrefix(redirect, redirectURI+"?code=") {
			t.Fatalf("browse.js redirect = %q", redirect)
		}
		pasteRedirect(t, tm, "Step 4 of 5 · Authorization code", redirect)
		waitFor(t, tm, "Step 5 of 5 · Access token")
		tm.keys("c")
		access := tm.clipboard(authURL)
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
	})

	t.Run("SDMExchangeWithPKCE", func(t *testing.T) {
		t.Parallel()
		// The authorization URL as nestauth builds it for sdm, pointed at the
		// independent server; the person pasted the redirect to exchange.
		p := auth.SDM()
		p.AuthURL = issuer + "/auth"
		verifier := auth.NewVerifier()
		authURL := auth.Config{Provider: p, ClientID: oidcID, ProjectID: "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b"}.AuthCodeURL("sdm-state", verifier)
		redirect, _ := browse(t, authURL)
		env := map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}
		args := []string{"exchange", "--provider", "sdm", "--project-id", "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b",
			"--client-id", oidcID, "--token-url", issuer + "/token", "--code", redirect}
		if _, errOut, code := runBin(t, env, "", append(args, "--code-verifier", "wrong-"+verifier)...); code != 3 {
			t.Fatalf("a wrong PKCE verifier: exit %d, want 3; stderr %s", code, errOut)
		}
		out, errOut, code := runBin(t, env, "", append(args, "--code-verifier", verifier)...)
		if code != 0 {
			t.Fatalf("exchange: exit %d, stderr %s", code, errOut)
		}
		tok := testkit.DecodeToken(t, out)
		if tok.Scope != auth.SDMScope || tok.RefreshToken == "" || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
			t.Errorf("token %+v: want the sdm scope, a refresh token, Bearer, 3600 s", tok)
		}
		if !strings.Contains(errOut, "7 days") {
			t.Errorf("stderr %q: want the 7-day refresh token note", errOut)
		}
		out, _, code = runBin(t, env, tok.RefreshToken+"\n", "refresh", "--provider", "sdm", "--client-id", oidcID, "--token-url", issuer+"/token")
		if code != 0 || testkit.DecodeToken(t, out).AccessToken == "" {
			t.Fatalf("refresh: exit %d, stdout %q", code, out)
		}
	})

	t.Run("SingleUseCode", func(t *testing.T) {
		t.Parallel()
		redirect := oidcRedirect(t, issuer, oidcID, "https://www.google.com")
		env := map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}
		args := []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", oidcID, "--auth-url", issuer + "/auth", "--token-url", issuer + "/token",
			"--redirect-uri", "https://www.google.com", "--code", redirect}
		out, errOut, code := runBin(t, env, "", args...)
		if code != 0 {
			t.Fatalf("first exchange: exit %d, stderr %s", code, errOut)
		}
		tok := testkit.DecodeToken(t, out)
		if tok.Scope != "read" || tok.RefreshToken == "" {
			t.Errorf("token %+v: want scope read and a refresh token", tok)
		}
		out, errOut, code = runBin(t, env, "", args...)
		if code != 3 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "invalid_grant") {
			t.Errorf("second exchange: exit %d, stdout %q, stderr %q; want 3, nothing, one line with invalid_grant", code, out, errOut)
		}

		// The wizard says so too.
		usedCode, _ := url.Parse(redirect)
		bare := usedCode.Query().Get("code")
		tm := startWizard(t, wizardRun{env: env, args: oidcCustomArgs(issuer, "--redirect-uri", "https://www.google.com", "--scope", "read")})
		waitFor(t, tm, "Step 3 of 5 · Authorize")
		tm.keys("Enter")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.paste(bare)
		waitForScreen(t, tm, "the used code in the field", func(s string) bool { return fieldLine(bare).MatchString(s) })
		tm.keys("Enter")
		s := waitFor(t, tm, "invalid_grant")
		waitFor(t, tm, "Codes are single-use")
		if cur := afterLast(s, "Step 4 of 5 · Authorization code"); cur == "" || strings.Contains(cur, bare) {
			t.Errorf("want Authorization code with the field cleared:\n%s", s)
		}
		tm.keys("C-c")
		tm.waitExit()
	})

	t.Run("WrongSecret", func(t *testing.T) {
		t.Parallel()
		redirect := oidcRedirect(t, issuer, oidcID, "https://www.google.com")
		args := []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", oidcID, "--auth-url", issuer + "/auth", "--token-url", issuer + "/token",
			"--redirect-uri", "https://www.google.com", "--code", redirect}
		out, errOut, code := runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "wrong"}, "", args...)
		if code != 4 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "invalid_client") {
			t.Errorf("wrong secret: exit %d, stdout %q, stderr %q; want 4, nothing, one line with invalid_client", code, out, errOut)
		}
		// The rejected client did not use the code up.
		out, errOut, code = runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}, "", args...)
		if code != 0 {
			t.Errorf("the right secret after a wrong one: exit %d, stderr %s", code, errOut)
		} else {
			testkit.DecodeToken(t, out)
		}

		// In the wizard: to Client secret, fix it, back to the kept code.
		tm := startWizard(t, wizardRun{
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": "wrong"},
			args: oidcCustomArgs(issuer, "--redirect-uri", "https://www.google.com", "--scope", "read"),
		})
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		redirect, _ = browse(t, authURL)
		tm.keys("Enter")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.paste(redirect)
		waitFor(t, tm, "Took the code out of what you pasted")
		code2 := afterLast(tm.screen(), "· Authorization code")
		tm.keys("Enter")
		s := waitFor(t, tm, "invalid_client")
		if !strings.Contains(s, "Step 2 of 5 · Client secret") {
			t.Fatalf("want the Client secret step:\n%s", s)
		}
		for range len("wrong") {
			tm.keys("BSpace")
		}
		waitForScreen(t, tm, "an empty secret field", func(s string) bool { return fieldLine("").MatchString(s) })
		tm.typeText(oidcSecret)
		waitFor(t, tm, "> "+strings.Repeat("•", len(oidcSecret)))
		tm.keys("Enter")
		s = waitFor(t, tm, "Step 4 of 5 · Authorization code")
		codeLine := regexp.MustCompile(`(?m)^> \S+`).FindString(code2)
		if codeLine == "" || !strings.Contains(afterLast(s, "· Authorization code"), codeLine) {
			t.Fatalf("the code (%q) should still be in the field:\n%s", codeLine, s)
		}
		tm.keys("Enter")
		waitFor(t, tm, "Step 5 of 5 · Access token")
		tm.keys("c")
		access := tm.clipboard(authURL)
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
	})

	t.Run("AccessDenied", func(t *testing.T) {
		t.Parallel()
		tm := startWizard(t, wizardRun{
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
			args: oidcCustomArgs(issuer, "--redirect-uri", "https://www.google.com", "--scope", "read"),
		})
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		redirect, _ := browse(t, "--deny", authURL)
		if !strings.Contains(redirect, "error=access_denied") {
			t.Fatalf("browse.js --deny gave %q", redirect)
		}
		tm.keys("Enter")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.paste(redirect)
		s := waitFor(t, tm, "Access was denied on the consent page")
		if !strings.Contains(s, "Step 4 of 5 · Authorization code") {
			t.Errorf("want to stay on Authorization code:\n%s", s)
		}
		tm.keys("C-c")
		if out, code := tm.waitExit(); code != 130 || out != "" {
			t.Errorf("exit %d, stdout %q", code, out)
		}
	})

	t.Run("BasicAuthStyle", func(t *testing.T) {
		t.Parallel()
		const basicID = oidcID + "-basic"
		env := map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}
		exchange := func(style ...string) (string, string, int) {
			redirect := oidcRedirect(t, issuer, basicID, "https://www.google.com")
			args := append([]string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", basicID, "--auth-url", issuer + "/auth", "--token-url", issuer + "/token",
				"--redirect-uri", "https://www.google.com", "--code", redirect}, style...)
			return runBin(t, env, "", args...)
		}
		out, errOut, code := exchange("--auth-style", "basic")
		if code != 0 {
			t.Fatalf("--auth-style basic: exit %d, stderr %s", code, errOut)
		}
		testkit.DecodeToken(t, out)
		// The server takes only Basic from this client: the default (post) fails.
		if _, errOut, code := exchange(); code != 4 || !strings.Contains(errOut, "invalid_client") {
			t.Errorf("post style with a basic-only client: exit %d, stderr %q; want 4 invalid_client", code, errOut)
		}
	})
}

// The Custom path from the provider list: the issuer typed on the Issuer
// step, openid prefilled, a loopback redirect, the code caught, PKCE.
func TestE2ECustomIssuerStepOIDC(t *testing.T) {
	issuer := startOIDC(t)
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
	tm := startWizard(t, wizardRun{
		width: 50, height: 24,
		env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
		args: []string{"--client-id", oidcID},
	})
	waitFor(t, tm, "5. Custom OAuth 2.0 provider")
	tm.keys("5", "Enter")
	waitFor(t, tm, "· Issuer")
	tm.keys("Enter") // nothing typed yet
	waitFor(t, tm, "Give the issuer URL")
	tm.typeText(issuer)
	tm.keys("Enter")
	waitFor(t, tm, "· Scopes")
	if s := tm.screen(); !fieldLine("openid").MatchString(afterLast(s, "· Scopes")) {
		t.Fatalf("Scopes should be prefilled with openid (the server lists it):\n%s", s)
	}
	tm.typeText(" read")
	tm.keys("Enter")
	waitFor(t, tm, "· Redirect URI")
	tm.paste(redirect)
	tm.keys("Enter")
	authURL := copyAuthURL(t, tm, "· Authorize")
	if !strings.HasPrefix(authURL, issuer+"/auth?") || !strings.Contains(authURL, "code_challenge=") || !strings.Contains(authURL, "scope=openid+read") {
		t.Fatalf("authorization URL %s: want the discovered endpoint, PKCE and the scopes", authURL)
	}
	waitFor(t, tm, "Listening on "+redirect)
	_, page := browse(t, "--follow", authURL)
	if !strings.Contains(page, "the terminal has the code") {
		t.Fatalf("the browser was told %q", page)
	}
	s := waitFor(t, tm, "· Access token")
	waitFor(t, tm, "Scope: openid read")
	tm.keys("q")
	out, exit := tm.waitExit()
	if tok := strings.TrimSpace(out); exit != 0 || tok == "" || !strings.Contains(testkit.SquashSpace(s), tok[:20]) {
		t.Errorf("exit %d, stdout %q:\n%s", exit, out, s)
	}
}
