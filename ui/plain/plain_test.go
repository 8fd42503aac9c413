package plain_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/internal/profile"
	"nestauth/internal/testkit"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

var authURLRE = regexp.MustCompile(`(?m)^http://127\.0\.0\.1:\d+/login/oauth2\?\S+$`)

func nestArgs(fake *fakenest.Server, extra ...string) []string {
	return append([]string{"--plain", "--provider", "nest", "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()}, extra...)
}

func TestPlainHappyPath(t *testing.T) {
	fake := fakenest.NewTest(t, "pid", "psecret")
	s := startPlain(t, nil, nestArgs(fake)...)
	s.answer("Client ID", 1, " pid ")
	s.answer("Client secret", 1, "psecret")
	s.waitFor("Authorization code: ", 1)
	// The code comes from the URL shown, as a person's browser would get it.
	u := authURLRE.FindString(s.stderr.String())
	pin, err := fake.Approve(u)
	if err != nil {
		t.Fatalf("the URL shown %q: %v", u, err)
	}
	s.answer("Authorization code", 1, pin)
	if code := s.wait(); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, s.stderr.String())
	}
	if !regexp.MustCompile(`^c\.[A-Z2-9]{40}\n$`).MatchString(s.stdout.String()) {
		t.Errorf("stdout = %q, want the token alone", s.stdout.String())
	}
	errOut := s.stderr.String()
	for _, want := range []string{
		"Step 1 of 5: Client ID\nYour OAuth client's ID, from its page in the provider's console.\nClient ID: \n",
		"Step 3 of 5: Authorize\nOpen this URL in a browser, sign in and press Allow:\n" + u + "\n",
		"The page then shows a PIN",
		"Step 5 of 5: Access token\nGot an access token that expires in 3650 days",
		"; it went to stdout.\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "psecret") || strings.Contains(errOut, "c.") {
		t.Errorf("stderr shows the secret or the token:\n%s", errOut)
	}
	noEscapes(t, errOut)
	if n := fake.TokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

func TestPlainScripted(t *testing.T) {
	fake := fakenest.NewTest(t, "pid", "psecret")
	t.Run("wrong secret, then the right one with the same code", func(t *testing.T) {
		before := fake.TokenRequests()
		code := fake.IssueCode()
		r := runArgs(t, nil, "pid\nwrong\n"+code+"\npsecret\n", nestArgs(fake)...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "c.") {
			t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
		}
		if n := fake.TokenRequests() - before; n != 2 {
			t.Errorf("%d token requests, want 2: one per attempt", n)
		}
		for _, want := range []string{"Error: The server said: oauth2_error: client secret not found (HTTP 400).",
			"Your code is kept: type the client secret again and it is tried at once.\nClient secret: \nExchanging"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if strings.Count(r.stderr, "Authorization code: ") != 1 {
			t.Errorf("the code was asked for again:\n%s", r.stderr)
		}
	})
	t.Run("expired code, then a new one", func(t *testing.T) {
		before := fake.TokenRequests()
		old := fake.IssueCode()
		fake.Advance(fakenest.PINLifetime + time.Hour)
		fresh := fake.IssueCode()
		r := runArgs(t, nil, "pid\npsecret\n"+old+"\n"+fresh+"\n", nestArgs(fake)...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "c.") {
			t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
		}
		if n := fake.TokenRequests() - before; n != 2 {
			t.Errorf("%d token requests, want 2", n)
		}
		u := authURLRE.FindString(r.stderr)
		want := "Error: The server said: oauth2_error: authorization code expired (HTTP 400).\n" +
			"Codes are single-use and expire within minutes: open the authorization URL again for a new one.\n" +
			"The authorization URL again:\n" + u + "\nAuthorization code: "
		if u == "" || !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	})
	t.Run("a rejected value is asked again", func(t *testing.T) {
		code := fake.IssueCode()
		long := strings.Repeat("x", tty.MaxValue+10)
		r := runArgs(t, nil, long+"\nGOCSPX-abc\npid\n\npsecret\n"+code+"\n", nestArgs(fake)...)
		if r.code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		for _, want := range []string{
			"Error: That line is over 64 KiB, so nothing of it was taken.\nClient ID: ",
			"It was not taken: the secret goes in the next step.\nClient ID: ",
			"Client secret: \nError: Client secret is empty.\nClient secret: ", // the empty line
		} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if strings.Contains(r.stderr, "GOCSPX-abc") {
			t.Errorf("a secret typed as the client ID is shown:\n%s", r.stderr)
		}
	})
	t.Run("an empty client ID after a secret still says where the secret goes", func(t *testing.T) {
		code := fake.IssueCode()
		r := runArgs(t, nil, "GOCSPX-abc\n\npid\npsecret\n"+code+"\n", nestArgs(fake)...)
		if r.code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		want := "Error: Client ID is empty.\n" + flow.SecretTakenOut + "\nClient ID: "
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	})
	t.Run("a URL's state is checked", func(t *testing.T) {
		code := fake.IssueCode()
		r := runArgs(t, nil, "pid\npsecret\nhttp://127.0.0.1/cb?code=X&state=other\n"+code+"\n", nestArgs(fake)...)
		if r.code != 0 || !strings.Contains(r.stderr, "Error: That URL's state does not match") {
			t.Errorf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
	})
	t.Run("provider from a numbered list", func(t *testing.T) {
		code := fake.IssueCode()
		args := []string{"--plain", "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()}
		r := runArgs(t, nil, "9\nnest\npid\npsecret\n"+code+"\n", args...)
		if r.code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		for _, want := range []string{"Step 1: Provider\nWhich service is the token for?\n1. Google Nest Device Access (sdm)\n",
			"2. Works with Nest (legacy) (nest)\n", "5. Custom OAuth 2.0 provider (custom)\n",
			"Number, 1 to 5 (Enter for 1): \nError: type a number from 1 to 5",
			"Step 2 of 6: Client ID"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
	})
	t.Run("project ID", func(t *testing.T) {
		r := runArgs(t, nil, "1\nmy-project-123456\n", "--plain", "--token-url", fake.TokenURL())
		if r.code != 1 || !strings.Contains(r.stderr, "Device Access project ID: \nError: ") || !strings.Contains(r.stderr, auth.ProjectIDHelp) {
			t.Errorf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
	})
}

func TestPlainEOF(t *testing.T) {
	fake := fakenest.NewTest(t, "pid", "psecret")
	for _, stdin := range []string{"", "pid\n", "pid\npsecret\n", "pid\npsecret\nNOSUCHCD\n", "pid\nwrong\nNOSUCHCD\n", "pid\npsecret\nNOSUCHCD"} {
		t.Run(fmt.Sprintf("%q", stdin), func(t *testing.T) {
			r := runArgs(t, nil, stdin, nestArgs(fake)...)
			if r.code != 1 || r.stdout != "" || !strings.HasSuffix(r.stderr, "\nnestauth: stopped before a token was fetched\n") {
				t.Errorf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// Without --plain: ACCESSIBLE, TERM=dumb or a stdin that is no terminal.
func TestPlainWanted(t *testing.T) {
	for _, env := range []map[string]string{{"ACCESSIBLE": "1"}, {"TERM": "dumb"}, {}} {
		r := runArgs(t, env, "", "--provider", "nest")
		if r.code != 1 || !strings.Contains(r.stderr, "Step 1 of 5: Client ID\n") || !strings.Contains(r.stderr, "stopped before a token was fetched") {
			t.Errorf("env %v: exit %d; stderr:\n%s", env, r.code, r.stderr)
		}
	}
}

func TestPlainDemo(t *testing.T) {
	r := runArgs(t, nil, "a\n", "--demo", "--provider", "nest", "--plain")
	if r.code != 0 || !regexp.MustCompile(`^c\.[A-Z2-9]{40}\n$`).MatchString(r.stdout) {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Demo mode: the client ID and secret are the demo server's",
		"No browser? Type a at the next prompt to approve as the demo user.",
		"The demo server approved and showed PIN "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, demoClientSecret) {
		t.Errorf("stderr shows the demo secret:\n%s", r.stderr)
	}
}

// --demo offers Device Access first: Enter chooses it, the project ID and
// the client are the demo's, and a has the demo server approve, which
// redirects with a code (PKCE-bound) that is taken out and exchanged.
func TestPlainDemoDeviceAccess(t *testing.T) {
	r := runArgs(t, nil, "\na\n", "--demo", "--plain")
	if r.code != 0 || !regexp.MustCompile(`^ya29\.[A-Za-z0-9]+\n$`).MatchString(r.stdout) {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, r.stderr, "1. Google Nest Device Access (demo server on this machine) (sdm)",
		"2. Works with Nest (demo server on this machine) (nest)",
		"/partnerconnections/5e1f0d3a-7c2b-4e9a-8d61-2b4f9c0a7e13/auth?",
		"code_challenge_method=S256",
		"The demo server approved and redirected to https://www.google.com/?code=…; exchanging it.")
	if strings.Contains(r.stderr, demoClientSecret) {
		t.Errorf("stderr shows the demo secret:\n%s", r.stderr)
	}
}

// The redirect caught on loopback wins over a code not yet typed.
func TestPlainLoopback(t *testing.T) {
	fake := fakenest.New("pid", "psecret")
	redirect := fmt.Sprintf("http://127.0.0.1:%d/cb", testkit.FreePort(t))
	fake.RedirectURI = redirect
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	s := startPlain(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "psecret"}, nestArgs(fake, "--client-id", "pid", "--redirect-uri", redirect)...)
	errOut := s.waitFor("Authorization code: ", 1)
	if !strings.Contains(errOut, "Listening on "+redirect+": the browser's redirect brings the code here. Pasting works too.") {
		t.Errorf("no word of the listener:\n%s", errOut)
	}
	u := authURLRE.FindString(errOut)
	state := regexp.MustCompile(`state=([^&]+)`).FindStringSubmatch(u)
	if state == nil {
		t.Fatalf("no state in the URL shown %q", u)
	}
	// A redirect of another attempt is refused and said; the prompt stays.
	resp, err := http.Get(redirect + "?code=X&state=other")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s.waitFor("Error: A redirect reached the listener but was refused", 1)
	s.waitFor("Authorization code: ", 2)

	resp, err = http.Get(redirect + "?code=" + fake.IssueCode() + "&state=" + state[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the browser got %d, want 200", resp.StatusCode)
	}
	if code := s.wait(); code != 0 || !strings.HasPrefix(s.stdout.String(), "c.") {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", code, s.stdout.String(), s.stderr.String())
	}
	if !strings.Contains(s.stderr.String(), "Took the code from the browser's redirect.\nExchanging the code for a token…\n") {
		t.Errorf("stderr:\n%s", s.stderr.String())
	}
}

// A server that wants the code again after a network failure gets it from
// an empty line: nothing typed is lost.
func TestPlainRetryAfterServerError(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, http.StatusServiceUnavailable, `oops`)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "CODE1\n\n",
		"--plain", "--provider", "custom", "--client-id", "cid", "--auth-url", "https://a.example/auth", "--token-url", tokenURL)
	if r.code != 1 || !strings.Contains(r.stderr, "Press Enter to retry.\nAuthorization code (Enter tries the same code again): ") {
		t.Errorf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	ep.Mu.Lock()
	defer ep.Mu.Unlock()
	if len(ep.Requests) != 2 || ep.Requests[0].Form.Get("code") != "CODE1" || ep.Requests[1].Form.Get("code") != "CODE1" {
		t.Errorf("requests %+v, want CODE1 twice", ep.Requests)
	}
}

func TestPlainStdoutFails(t *testing.T) {
	fake := fakenest.NewTest(t, "pid", "psecret")
	var errOut testkit.LockedBuffer
	code := runCLI(nestArgs(fake), strings.NewReader("pid\npsecret\n"+fake.IssueCode()+"\n"), failingWriter{}, &errOut, fixedEnv(nil))
	if code != 1 || !strings.Contains(errOut.String(), "nestauth: the token could not be written to stdout: no space left on device") {
		t.Errorf("exit %d; stderr:\n%s", code, errOut.String())
	}
	if strings.Contains(errOut.String(), "it went to stdout") {
		t.Errorf("stderr says the token went to stdout:\n%s", errOut.String())
	}
}

// Plain mode writes where --format and --output say, and --save saves, as
// the wizard does.
func TestPlainFormatAndSave(t *testing.T) {
	fake := fakenest.NewTest(t, "pid", "psecret")
	dir := t.TempDir()
	env := map[string]string{"NESTAUTH_CONFIG_DIR": filepath.Join(dir, "config")}
	r := runArgs(t, env, "pid\npsecret\n"+fake.IssueCode()+"\n",
		nestArgs(fake, "--format", "env", "--profile", "p", "--save", "--store", "file")...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "NESTAUTH_ACCESS_TOKEN='c.") {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "Saved profile p:") || !strings.Contains(r.stderr, "not encrypted") {
		t.Errorf("stderr does not say where the profile went:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "secrets.json")); err != nil {
		t.Errorf("no secrets file: %v", err)
	}
	out := filepath.Join(dir, "token.json")
	r = runArgs(t, nil, "pid\npsecret\n"+fake.IssueCode()+"\n", nestArgs(fake, "--output", out)...)
	if b, err := os.ReadFile(out); r.code != 0 || err != nil || !strings.Contains(string(b), `"access_token": "c.`) {
		t.Fatalf("--output: exit %d, file %q, %v; stderr:\n%s", r.code, b, err, r.stderr)
	}
}

// The secret's intro is true in plain mode: no s key here, --save is the way.
func TestPlainSecretIntro(t *testing.T) {
	r := runArgs(t, nil, "cid\n", "--plain", "--provider", "nest")
	wantStderr(t, r.stderr, "never logged, and stored only if you save a profile (--save).")
	if strings.Contains(r.stderr, "s on the token step") {
		t.Errorf("plain has no s key:\n%s", r.stderr)
	}
}

// Plain mode keeps a token --format cannot show: JSON on stdout, a note.
func TestPlainFormatFallsBackToJSON(t *testing.T) {
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"mac-1","token_type":"mac"}`)
	r := runArgs(t, nil, "cid\ncs\nabc\n", "--plain", "--provider", "custom", "--auth-url", "https://login.example.com/authorize",
		"--token-url", tokenURL, "--redirect-uri", "https://example.com/cb", "--format", "header")
	if r.code != 0 || testkit.DecodeJSON(t, r.stdout)["access_token"] != "mac-1" {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "Note: --format header cannot show this token", "went to stdout as JSON instead")
}

// A refresh token the server garbled is dropped with a note; the access
// token is printed, exit 0, as the other commands do.
func TestPlainDroppedRefreshToken(t *testing.T) {
	_, tokenURL := testkit.NewTokenEndpoint(t, http.StatusOK, `{"access_token":"okAT","refresh_token":"r'\n$(x)","token_type":"Bearer"}`)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "CODE1\n",
		"--plain", "--no-pkce", "--provider", "custom", "--client-id", "cid", "--auth-url", "https://a.example/auth", "--token-url", tokenURL, "--format", "token")
	if r.code != 0 || r.stdout != "okAT\n" {
		t.Fatalf("exit %d, stdout %q; want 0 and okAT; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, r.stderr, "Note: The server sent a refresh token", "dropped")
	if strings.Contains(r.stderr, "$(x)") {
		t.Errorf("stderr shows the dropped token:\n%s", r.stderr)
	}
}

// Plain mode's --save of an answer without a refresh token (Works with Nest
// sends none) keeps the one saved for the same client and token URL, and
// says so.
func TestPlainSaveKeepsRefreshToken(t *testing.T) {
	fake := fakenest.NewTest(t, "pid", "psecret")
	dir := filepath.Join(t.TempDir(), "config")
	p := auth.Nest()
	p.AuthURL, p.TokenURL = fake.AuthURL(), fake.TokenURL()
	cfg := auth.Config{Provider: p, ClientID: "pid", ClientSecret: "psecret"}
	st := profile.Store{Dir: dir}
	if _, err := st.Save("p", profile.SettingsFor(cfg, profile.File), profile.Secrets{ClientSecret: "psecret", RefreshToken: "rt-saved"}); err != nil {
		t.Fatal(err)
	}
	r := runArgs(t, map[string]string{"NESTAUTH_CONFIG_DIR": dir}, "pid\npsecret\n"+fake.IssueCode()+"\n",
		nestArgs(fake, "--profile", "p", "--save")...)
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(testkit.SquashSpace(r.stderr), "no refresh token, so the saved one (same client and token URL) was kept") {
		t.Errorf("stderr does not say the refresh token was kept:\n%s", r.stderr)
	}
	if got, err := st.Load("p"); err != nil || got.Secrets.RefreshToken != "rt-saved" || !strings.HasPrefix(got.Secrets.AccessToken, "c.") {
		t.Errorf("saved %+v, %v", got.Secrets, err)
	}
}
