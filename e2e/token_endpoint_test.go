package e2e

// What nestauth makes of a token endpoint's answers, odd or hostile: a
// scripted loopback endpoint, and what oidc-provider really answers.

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

const hostileE2ESecret = "e2e-S3CR3T-Zq8"

func TestE2EExchangeReadsTheServerRight(t *testing.T) {
	t.Parallel()
	jsonErr := func(code, desc string) string {
		b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
		return string(b)
	}
	tests := []struct {
		name      string
		reply     tokenReply
		wantExit  int
		wantToken string
		want      []string // in stderr
		not       []string // not in stderr
		maxStderr int
	}{
		{
			name:     "fractional expires_in",
			reply:    tokenReply{status: 200, contentType: "application/json", body: `{"access_token":"c.FRACTION","expires_in":3600.5}`},
			wantExit: 0, wantToken: "c.FRACTION",
		},
		{
			name:     "JSON served as text/plain",
			reply:    tokenReply{status: 200, contentType: "text/plain", body: `{"access_token":"c.PLAIN","token_type":"Bearer","expires_in":60}`},
			wantExit: 0, wantToken: "c.PLAIN",
		},
		{
			name:     "200 without access_token",
			reply:    tokenReply{status: 200, contentType: "application/json", body: `{"token_type":"Bearer"}`},
			wantExit: 5, want: []string{"(HTTP 200)", `token_type`, "--token-url"},
			not: []string{"missing access_token", "oauth2:", "try again"},
		},
		{
			name:     "302",
			reply:    tokenReply{status: 302, location: "https://idp.example/v2/token", contentType: "text/html"},
			wantExit: 5, want: []string{"redirects to https://idp.example/v2/token (HTTP 302)", "--token-url"},
			not: []string{"try again"},
		},
		{
			name:     "the secret echoed",
			reply:    tokenReply{status: 401, contentType: "application/json", body: jsonErr("invalid_client", "secret "+hostileE2ESecret+" is wrong")},
			wantExit: 4, want: []string{"secret [redacted] is wrong"}, not: []string{hostileE2ESecret},
		},
		{
			name:     "a 900 KB description",
			reply:    tokenReply{status: 400, contentType: "application/json", body: jsonErr("invalid_grant", strings.Repeat("long ", 180<<10))},
			wantExit: 3, want: []string{"invalid_grant: long long", "…"}, maxStderr: 1000,
		},
		{
			name:     "invalid_grant naming the redirect URI",
			reply:    tokenReply{status: 400, contentType: "application/json", body: jsonErr("invalid_grant", "Incorrect redirect_uri")},
			wantExit: 4, want: []string{"redirect URI rejected", "redirect_uri=https://www.google.com"},
		},
		{
			name:     "invalid_grant about the verifier",
			reply:    tokenReply{status: 400, contentType: "application/json", body: jsonErr("invalid_grant", "Invalid code verifier.")},
			wantExit: 3, want: []string{"--code-verifier must be the verifier of that URL"},
		},
		{
			name:     "missing scope",
			reply:    tokenReply{status: 400, contentType: "application/json", body: jsonErr("invalid_request", "Missing required parameter: scope")},
			wantExit: 4, want: []string{"scope rejected", "--scope"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, tokenURL := startScripted(t, tt.reply)
			out, errOut, code := runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": hostileE2ESecret,
				"NESTAUTH_CLIENT_ID": `"123-abc.apps.googleusercontent.com",`}, "",
				"exchange", "--provider", "sdm", "--project-id", "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b",
				"--token-url", tokenURL, "--code", "4/0AX", "--code-verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
			if code != tt.wantExit {
				t.Errorf("exit %d, want %d; stderr %.500s", code, tt.wantExit, errOut)
			}
			if tt.wantToken != "" {
				if tok := testkit.DecodeToken(t, out); tok.AccessToken != tt.wantToken {
					t.Errorf("access_token = %q, want %q", tok.AccessToken, tt.wantToken)
				}
			} else if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q: %.500s", w, errOut)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(errOut, w) {
					t.Errorf("stderr has %q: %.500s", w, errOut)
				}
			}
			if tt.maxStderr > 0 && len(errOut) > tt.maxStderr {
				t.Errorf("stderr is %d bytes, want at most %d", len(errOut), tt.maxStderr)
			}
			forms := st.received()
			if len(forms) != 1 {
				t.Fatalf("token requests = %d, want exactly 1", len(forms))
			}
			if got := forms[0].Get("client_id"); got != "123-abc.apps.googleusercontent.com" {
				t.Errorf("client_id sent = %q, want it without the quotes and comma it was copied with", got)
			}
		})
	}
}

// A Google client secret given as the client ID is refused, without being
// echoed, before anything is sent.
func TestE2EClientIDThatIsASecret(t *testing.T) {
	t.Parallel()
	const secret = "GOCSPX-e2eSecretValue1234567890ab"
	st, tokenURL := startScripted(t, tokenReply{status: 200, contentType: "application/json", body: `{"access_token":"c.X"}`})
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"flag", map[string]string{"NESTAUTH_CLIENT_SECRET": "s"}, []string{"--client-id", secret}},
		{"environment", map[string]string{"NESTAUTH_CLIENT_SECRET": "s", "NESTAUTH_CLIENT_ID": `"` + secret + `",`}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"exchange", "--provider", "nest", "--token-url", tokenURL, "--code", "TB39DWND"}, tt.args...)
			out, errOut, code := runBin(t, tt.env, "", args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			if strings.Contains(errOut, "e2eSecretValue") || !strings.Contains(errOut, "client secret") {
				t.Errorf("stderr = %q: want it to say this is a client secret without showing it", errOut)
			}
		})
	}
	if n := len(st.received()); n != 0 {
		t.Errorf("token requests = %d, want none", n)
	}
}

// The wizard, end to end: a secret pasted as client ID is cleared, a client
// ID copied out of JSON is cleaned, a redirect URI mismatch keeps the code,
// and a token with a fractional expires_in reaches stdout.
func TestE2EWizardReadsTheServerRight(t *testing.T) {
	t.Parallel()
	st, tokenURL := startScripted(t,
		tokenReply{status: 400, contentType: "application/json", body: `{"error":"invalid_grant","error_description":"Incorrect redirect_uri"}`},
		tokenReply{status: 200, contentType: "text/plain", body: `{"access_token":"c.KEPTCODE","expires_in":3600.5}`},
	)
	tm := startWizard(t, wizardRun{
		env:  map[string]string{"NESTAUTH_CLIENT_SECRET": hostileE2ESecret},
		args: []string{"--provider", "nest", "--auth-url", "https://home.nest.test/login/oauth2", "--token-url", tokenURL},
	})
	waitFor(t, tm, "· Client ID")
	tm.paste("GOCSPX-e2eSecretValue1234567890ab") // refused at the paste, before Enter
	s := waitFor(t, tm, "not a client ID")
	if strings.Contains(s, "e2eSecretValue") || !fieldLine("").MatchString(s) {
		t.Fatalf("the secret should be gone from the Client ID field:\n%s", s)
	}
	tm.paste(`"123-abc.apps.googleusercontent.com",`)
	tm.keys("Enter")
	s = waitFor(t, tm, "· Authorize")
	if !strings.Contains(strings.ReplaceAll(s, "\n", ""), "client_id=123-abc.apps.googleusercontent.com&") {
		t.Fatalf("the URL should carry the clean client ID:\n%s", s)
	}
	tm.keys("Enter")
	waitFor(t, tm, "· Authorization code")
	tm.paste("TB39DWND")
	waitForScreen(t, tm, "the code in the field", func(s string) bool { return fieldLine("TB39DWND").MatchString(s) })
	tm.keys("Enter")
	s = waitFor(t, tm, "Your code is kept")
	if !strings.Contains(testkit.SquashSpace(s), "Incorrect redirect_uri") || !fieldLine("TB39DWND").MatchString(s) {
		t.Fatalf("a redirect URI mismatch should keep the code and say why:\n%s", s)
	}
	tm.keys("Enter")
	waitFor(t, tm, "c.KEPTCODE")
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != "c.KEPTCODE\n" {
		t.Errorf("exit %d, stdout %q; want 0 and the token", code, out)
	}
	forms := st.received()
	if len(forms) != 2 || forms[0].Get("code") != "TB39DWND" || forms[1].Get("code") != "TB39DWND" ||
		forms[1].Get("client_id") != "123-abc.apps.googleusercontent.com" {
		t.Errorf("token requests %v: want two with the same code and the clean client ID", forms)
	}
}

// What oidc-provider, a real server, answers: a wrong redirect_uri at the
// token endpoint is a bare invalid_grant (exit 3) that leaves the code good,
// and an unknown client is a bare invalid_client, which names both parts.
func TestE2EOIDCAnswers(t *testing.T) {
	t.Parallel()
	issuer := startOIDC(t)
	env := map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}
	red, err := url.Parse(oidcRedirect(t, issuer, oidcID, "https://www.google.com"))
	if err != nil {
		t.Fatal(err)
	}
	code := red.Query().Get("code")

	args := func(extra ...string) []string {
		return append([]string{"exchange", "--no-pkce"}, oidcCustomArgs(issuer, extra...)...)
	}
	_, errOut, exit := runBin(t, env, "", args("--code", code, "--redirect-uri", "http://127.0.0.1:8765/callback")...)
	if exit != 3 || !strings.Contains(errOut, "invalid_grant: grant request is invalid (HTTP 400)") {
		t.Errorf("wrong redirect_uri: exit %d, stderr %q; want 3 and oidc-provider's bare invalid_grant", exit, errOut)
	}
	out, errOut, exit := runBin(t, env, "", args("--code", code, "--redirect-uri", "https://www.google.com")...)
	if exit != 0 {
		t.Fatalf("the same code with the right redirect_uri: exit %d, stderr %q; want a token", exit, errOut)
	}
	testkit.DecodeToken(t, out)

	_, errOut, exit = runBin(t, env, "", append([]string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", "nobody",
		"--auth-url", issuer + "/auth", "--token-url", issuer + "/token"}, "--code", code)...)
	if exit != 4 || !strings.Contains(errOut, "invalid_client: client authentication failed (HTTP 401)") ||
		!strings.Contains(errOut, "both the client ID and the client secret") {
		t.Errorf("unknown client: exit %d, stderr %q; want 4, naming both the client ID and the secret", exit, errOut)
	}
}
