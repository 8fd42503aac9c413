package cli

import (
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/auth/fakenest"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// RFC 6749 §A.12: an access token is 1*VSCHAR, and VSCHAR (%x20-7E) has the
// space. exchange prints such a token in every format.
func TestRunExchangeTokenWithSpace(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "x"}
	for format, want := range map[string]string{"token": "a b\n", "header": "Authorization: Bearer a b\n"} {
		t.Run(format, func(t *testing.T) {
			_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"a b","token_type":"Bearer"}`)
			r := runArgs(t, secret, "", "exchange", "--provider", "nest", "--client-id", "X", "--code", "abc", "--token-url", tokenURL, "--format", format)
			if r.code != 0 || r.stdout != want || r.stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and %q", r.code, r.stdout, r.stderr, want)
			}
		})
	}
}

// A token the format cannot show goes out as JSON with a note: its code is
// spent, so losing it would cost the person a new one.
func TestRunExchangeFormatFallsBackToJSON(t *testing.T) {
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"mac-1","token_type":"mac","expires_in":60}`)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "x"}, "", "exchange", "--provider", "nest", "--client-id", "X",
		"--code", "abc", "--token-url", tokenURL, "--format", "header")
	if r.code != 0 || testkit.DecodeJSON(t, r.stdout)["access_token"] != "mac-1" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and the JSON", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"--format header cannot show this token", "not a Bearer token", "went to stdout as JSON instead"} {
		if !strings.Contains(testkit.SquashSpace(r.stderr), want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "stdout it can write") {
		t.Errorf("stderr blames stdout, which took the token:\n%s", r.stderr)
	}
}

// A code from a URL with a PKCE challenge cannot be redeemed without its
// verifier: exchange says so, and sends nothing (the code stays good).
func TestRunExchangePKCENeedsVerifier(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "x"}
	for name, args := range map[string][]string{
		"sdm":    {"--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab"},
		"custom": {"--provider", "custom"},
	} {
		t.Run(name, func(t *testing.T) {
			ep, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at"}`)
			r := runArgs(t, secret, "", append([]string{"exchange", "--client-id", "X", "--code", "abc", "--token-url", tokenURL}, args...)...)
			if r.code != exitUsage || ep.Count() != 0 || r.stdout != "" {
				t.Fatalf("exit %d, %d requests, stdout %q; want 2 and nothing sent", r.code, ep.Count(), r.stdout)
			}
			for _, want := range []string{"PKCE challenge", "--code-verifier-file", "--no-pkce", "Nothing was sent"} {
				if !strings.Contains(testkit.SquashSpace(r.stderr), want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			r = runArgs(t, secret, "", append([]string{"exchange", "--client-id", "X", "--code", "abc", "--token-url", tokenURL, "--code-verifier", "v"}, args...)...)
			if r.code != 0 || ep.Only(t).Form.Get("code_verifier") != "v" {
				t.Errorf("with the verifier: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}

func TestRunExchangeWithIssuer(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	t.Run("the token endpoint comes from the metadata", func(t *testing.T) {
		ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		ms := testkit.NewMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = tokenURL })
		r := runArgs(t, secret, "", "exchange", "--no-pkce", "--issuer", ms.URL, "--client-id", "cid", "--code", "abc")
		if r.code != 0 || !strings.Contains(r.stdout, `"access_token": "at-2"`) {
			t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		if f := ep.Only(t).Form; f.Get("code") != "abc" {
			t.Errorf("form %v", f)
		}
	})
	t.Run("--token-url wins over the metadata", func(t *testing.T) {
		discovered, discoveredURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		given, givenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		ms := testkit.NewMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = discoveredURL })
		r := runArgs(t, secret, "rt\n", "refresh", "--provider", "custom", "--issuer", ms.URL, "--client-id", "cid", "--token-url", givenURL)
		if r.code != 0 || given.Count() != 1 || discovered.Count() != 0 {
			t.Fatalf("exit %d (stderr %q); given endpoint %d requests, discovered %d", r.code, r.stderr, given.Count(), discovered.Count())
		}
	})
	t.Run("no S256 stops no token request", func(t *testing.T) {
		_, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		ms := testkit.NewMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = tokenURL; delete(d, "code_challenge_methods_supported") })
		if r := runArgs(t, secret, "rt\n", "refresh", "--issuer", ms.URL, "--client-id", "cid"); r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
	failures := []struct {
		name string
		edit func(d map[string]any)
		code int
		want []string
	}{
		{name: "no metadata", code: 5, want: []string{"reading the metadata of --issuer", "HTTP 404"}},
		{name: "another issuer", edit: func(d map[string]any) { d["issuer"] = "https://evil.example" }, code: 5, want: []string{"another issuer", "evil.example"}},
		{name: "no token endpoint", edit: func(d map[string]any) { delete(d, "token_endpoint") }, code: 5, want: []string{"lacks an endpoint", "--token-url"}},
		{name: "plain http endpoint off this machine", edit: func(d map[string]any) { d["token_endpoint"] = "http://idp.example/token" }, code: 5, want: []string{"plain http://"}},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			ms := testkit.NewMetadataServer(t, tt.edit)
			r := runArgs(t, secret, "", "exchange", "--no-pkce", "--issuer", ms.URL, "--client-id", "cid", "--code", "abc")
			if r.code != tt.code || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d", r.code, r.stdout, tt.code)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
		})
	}
}

func TestRunExchangeSave(t *testing.T) {
	env, st := profiletest.Env(t)
	env["NESTAUTH_CLIENT_SECRET"] = "cs-exchange"
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1"}`)
	r := runArgs(t, env, "", "exchange", "--no-pkce", "--provider", "custom", "--client-id", "id", "--token-url", tokenURL,
		"--code", "c0de", "--save", "--profile", "scripts", "--store", "file")
	if r.code != 0 || ep.Count() != 1 || testkit.DecodeToken(t, r.stdout).AccessToken != "at-1" {
		t.Fatalf("exit %d, %d requests, stdout %q, stderr %s", r.code, ep.Count(), r.stdout, r.stderr)
	}
	dir := env["NESTAUTH_CONFIG_DIR"]
	for _, want := range []string{"saved profile scripts", filepath.Join(dir, profile.SettingsFile), filepath.Join(dir, profile.SecretsFile), "not encrypted", "nestauth token --profile scripts"} {
		if !strings.Contains(testkit.SquashSpace(r.stderr), want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	settings := testkit.ReadFile(t, filepath.Join(dir, profile.SettingsFile))
	for _, secret := range []string{"cs-exchange", "at-1", "rt-1"} {
		if strings.Contains(settings, secret) {
			t.Errorf("the settings file holds the secret %q:\n%s", secret, settings)
		}
	}
	for path, mode := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, profile.SettingsFile): 0o600, filepath.Join(dir, profile.SecretsFile): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v, %v; want mode %04o", path, fi.Mode(), err, mode)
		}
	}
	p, err := st.Load("scripts")
	if err != nil || p.Secrets.ClientSecret != "cs-exchange" || p.Secrets.RefreshToken != "rt-1" || p.Settings.TokenURL != tokenURL || p.Settings.SecretsIn != profile.File {
		t.Errorf("saved %+v, %v", p, err)
	}
	// The token command now works from it, with no request.
	if r = runArgs(t, env, "", "token", "--profile", "scripts"); r.stdout != "at-1\n" || ep.Count() != 1 {
		t.Errorf("token: %q, %d requests", r.stdout, ep.Count())
	}
}

func TestRunExchangeSaveNoKeyring(t *testing.T) {
	env, _ := profiletest.Env(t)
	keyring.MockInitWithError(errors.New("exec: \"dbus-launch\": executable file not found in $PATH"))
	env["NESTAUTH_CLIENT_SECRET"] = "cs"
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-1","token_type":"Bearer","expires_in":3600}`)
	r := runArgs(t, env, "", "exchange", "--no-pkce", "--provider", "custom", "--client-id", "id", "--token-url", tokenURL, "--code", "c", "--save")
	// The code is spent: the token is printed even though saving failed.
	if r.code != exitFailure || testkit.DecodeToken(t, r.stdout).AccessToken != "at-1" {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
	// The message says the printed token is good, and how to save next time.
	for _, want := range []string{"profile default was not saved", "no Secret Service", "--store file", "not encrypted",
		"The token goes to stdout all the same, and is good", "exchange needs a new code"} {
		if !strings.Contains(testkit.SquashSpace(r.stderr), want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(env["NESTAUTH_CONFIG_DIR"], profile.SettingsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a half-saved profile: %v", err)
	}
}

func TestRunExchangeFake(t *testing.T) {
	fake := fakenest.NewTest(t, "fake-client", "fake-secret")
	good := map[string]string{"NESTAUTH_CLIENT_SECRET": "fake-secret"}
	exchange := func(getenv map[string]string, code string, extra ...string) runResult {
		args := append([]string{"exchange", "--provider", "nest", "--client-id", "fake-client", "--code", code, "--token-url", fake.TokenURL()}, extra...)
		return runArgs(t, getenv, "", args...)
	}
	oneLine := func(t *testing.T, r runResult, code int, has string) {
		t.Helper()
		if r.code != code || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.Contains(r.stderr, has) {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, no stdout and one line with %q", r.code, r.stdout, r.stderr, code, has)
		}
	}

	t.Run("ok", func(t *testing.T) {
		code := fake.IssueCode()
		before := time.Now()
		r := exchange(good, code)
		after := time.Now()
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
		}
		if tok, _ := got["access_token"].(string); !regexp.MustCompile(`^c\.[A-Z2-9]{40}$`).MatchString(tok) {
			t.Errorf("access_token = %v", got["access_token"])
		}
		if got["expires_in"] != float64(315360000) {
			t.Errorf("expires_in = %v, want 315360000", got["expires_in"])
		}
		exp, err := time.Parse(time.RFC3339, got["expiry"].(string))
		if err != nil {
			t.Fatalf("expiry %v: %v", got["expiry"], err)
		}
		life := 315360000 * time.Second
		if exp.Before(before.Add(life).Truncate(time.Second)) || exp.After(after.Add(life)) {
			t.Errorf("expiry %v is not 315360000 s after the request (%v..%v)", exp, before, after)
		}
		if _, ok := got["refresh_token"]; ok {
			t.Errorf("Works with Nest has no refresh token, got %v", got["refresh_token"])
		}
		// The same code again: used up.
		oneLine(t, exchange(good, code), 3, "code rejected")
	})
	t.Run("secret from file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "secret")
		if err := os.WriteFile(path, []byte("fake-secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := exchange(nil, fake.IssueCode(), "--client-secret-file", path)
		if r.code != 0 || !strings.Contains(r.stdout, `"access_token": "c.`) {
			t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("whole PIN page value with spaces and quotes", func(t *testing.T) {
		code := fake.IssueCode()
		r := exchange(good, ` "`+code+`"`+"\n")
		if r.code != 0 {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("unknown code", func(t *testing.T) {
		oneLine(t, exchange(good, "NOSUCHCD"), 3, "authorization code not found")
	})
	t.Run("expired code", func(t *testing.T) {
		code := fake.IssueCode()
		fake.Advance(fakenest.PINLifetime + time.Hour)
		oneLine(t, exchange(good, code), 3, "authorization code expired")
	})
	// A rejected client spends no code: the line says so, and the same
	// code then gets a token.
	t.Run("wrong secret", func(t *testing.T) {
		code := fake.IssueCode()
		oneLine(t, exchange(map[string]string{"NESTAUTH_CLIENT_SECRET": "wrong"}, code), 4, "client rejected")
		oneLine(t, exchange(map[string]string{"NESTAUTH_CLIENT_SECRET": "wrong"}, code), 4, "The code was not used: it is still good")
		if r := exchange(good, code); r.code != 0 {
			t.Errorf("the same code with the right secret: exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("wrong client id", func(t *testing.T) {
		code := fake.IssueCode()
		r := runArgs(t, good, "", "exchange", "--provider", "nest", "--client-id", "other", "--code", code, "--token-url", fake.TokenURL())
		oneLine(t, r, 4, "client rejected")
		oneLine(t, r, 4, "The code was not used: it is still good")
		if r := exchange(good, code); r.code != 0 {
			t.Errorf("the same code with the right client ID: exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("server down", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := "http://" + ln.Addr().String() + "/oauth2/access_token"
		ln.Close()
		r := runArgs(t, good, "", "exchange", "--provider", "nest", "--client-id", "fake-client", "--code", "ABCDEFGH", "--token-url", closed)
		oneLine(t, r, 5, "network error")
	})
}

func TestRunExchangeRequest(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	verifier := strings.Repeat("v", 43)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "",
		"exchange", "--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab", "--client-id", "cid",
		"--token-url", tokenURL, "--code-verifier", verifier,
		"--code", "https://www.google.com/?code=4%2F0AX4XfWh-abc&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fsdm.service")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	req := ep.Only(t)
	want := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {"4/0AX4XfWh-abc"},
		"redirect_uri":  {"https://www.google.com"},
		"client_id":     {"cid"},
		"client_secret": {"cs"},
		"code_verifier": {verifier},
	}
	if req.Form.Encode() != want.Encode() || req.RawQuery != "" || req.Authorization != "" {
		t.Errorf("form %v (query %q, Authorization %q), want exactly %v", req.Form, req.RawQuery, req.Authorization, want)
	}
}

// exchange and refresh make one token request: they need the token endpoint,
// never the authorization endpoint (their help lists no --auth-url).
func TestRunCustomWithoutAuthURL(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	t.Run("refresh", func(t *testing.T) {
		ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		r := runArgs(t, secret, "rt-1\n", "refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL)
		if r.code != 0 || !strings.Contains(r.stdout, `"access_token": "at-2"`) {
			t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and the token JSON", r.code, r.stdout, r.stderr)
		}
		if f := ep.Only(t).Form; f.Get("refresh_token") != "rt-1" {
			t.Errorf("form %v", f)
		}
	})
	t.Run("exchange", func(t *testing.T) {
		ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		r := runArgs(t, secret, "", "exchange", "--no-pkce", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL,
			"--redirect-uri", "http://127.0.0.1:8765/callback", "--code", "abc")
		if r.code != 0 || !strings.Contains(r.stdout, `"access_token": "at-2"`) {
			t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and the token JSON", r.code, r.stdout, r.stderr)
		}
		if f := ep.Only(t).Form; f.Get("code") != "abc" || f.Get("redirect_uri") != "http://127.0.0.1:8765/callback" {
			t.Errorf("form %v", f)
		}
	})
}

func TestRunExchangeCodeSources(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	verifier := strings.Repeat("w", 43)
	codeFile := write("code", "https://app.example/cb?code=FROM%2FFILE&state=x\n")
	verifierFile := write("verifier", verifier+"\n")
	empty := write("empty", "\n")
	tests := []struct {
		name         string
		stdin        string
		extra        []string
		wantCode     string
		wantVerifier string
		exit         int
		stderrHas    string
	}{
		{name: "code file", extra: []string{"--code-file", codeFile}, wantCode: "FROM/FILE"},
		{name: "stdin first line", stdin: "  PIN12345 \nsecond line\n", wantCode: "PIN12345"},
		{name: "stdin redirect URL", stdin: "https://app.example/cb?code=A%2FB&state=x", wantCode: "A/B"},
		{name: "verifier file", stdin: "C1\n", extra: []string{"--code-verifier-file", verifierFile}, wantCode: "C1", wantVerifier: verifier},
		{name: "flag beats stdin", stdin: "IGNORED\n", extra: []string{"--code", "FLAG"}, wantCode: "FLAG"},
		{name: "empty stdin", exit: 2, stderrHas: "--code-file PATH, or the code on stdin"},
		{name: "empty code file", extra: []string{"--code-file", empty}, exit: 2, stderrHas: "--code-file " + empty + " is empty"},
		{name: "missing code file", extra: []string{"--code-file", filepath.Join(dir, "nope")}, exit: 2, stderrHas: "--code-file"},
		{name: "both code flags", extra: []string{"--code", "X", "--code-file", codeFile}, exit: 2, stderrHas: "not both"},
		{name: "both verifier flags", stdin: "C\n", extra: []string{"--code-verifier", verifier, "--code-verifier-file", verifierFile}, exit: 2, stderrHas: "not both"},
		{name: "empty verifier file", stdin: "C\n", extra: []string{"--code-verifier-file", empty}, exit: 2, stderrHas: "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
			args := append([]string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL}, tt.extra...)
			r := runArgs(t, secret, tt.stdin, args...)
			if r.code != tt.exit || !strings.Contains(r.stderr, tt.stderrHas) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.exit, tt.stderrHas)
			}
			if tt.exit != 0 {
				if n := ep.Count(); n != 0 {
					t.Errorf("%d token requests, want none", n)
				}
				return
			}
			f := ep.Only(t).Form
			if f.Get("code") != tt.wantCode || f.Get("code_verifier") != tt.wantVerifier {
				t.Errorf("sent code %q verifier %q; want %q and %q", f.Get("code"), f.Get("code_verifier"), tt.wantCode, tt.wantVerifier)
			}
		})
	}
}

// An error redirect given to exchange is the server's refusal: exit 3 with
// what it means, nothing sent.
func TestRunExchangeErrorRedirect(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "exchange", "--no-pkce", "--provider", "custom", "--client-id", "cid",
		"--token-url", tokenURL, "--code", "http://127.0.0.1:8085/callback?error=access_denied&error_description=The+user+said+no&state=S")
	if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "access was denied on the consent page") ||
		!strings.Contains(r.stderr, "The user said no") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 3 and one line saying access was denied", r.code, r.stdout, r.stderr)
	}
	if n := ep.Count(); n != 0 {
		t.Errorf("%d token requests, want none", n)
	}
}

// Google's out-of-band redirect is refused before anything is sent.
func TestRunRefusesOOBRedirect(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	env := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	oob := []string{"--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab", "--client-id", "cid",
		"--token-url", tokenURL, "--redirect-uri", "urn:ietf:wg:oauth:2.0:oob"}
	for name, args := range map[string][]string{
		"wizard":   oob,
		"exchange": append([]string{"exchange", "--code", "4/abc"}, oob...),
		"refresh":  append([]string{"refresh"}, oob...),
	} {
		t.Run(name, func(t *testing.T) {
			r := runArgs(t, env, "rt\n", args...)
			if r.code != 2 || !strings.Contains(r.stderr, "out-of-band") ||
				!strings.Contains(r.stderr, "http://127.0.0.1:8085/callback") || !strings.Contains(r.stderr, "https://www.google.com") {
				t.Errorf("exit %d, stderr %q; want 2, naming a loopback redirect and https://www.google.com", r.code, r.stderr)
			}
		})
	}
	if n := ep.Count(); n != 0 {
		t.Errorf("%d token requests, want none", n)
	}
}

// Every string in the JSON output has its control and format characters
// escaped: a terminal showing it is not steered, a JSON reader gets the value.
func TestRunJSONEscapesInvisible(t *testing.T) {
	scope := "read\u202e\u2066evil\u2069\u0085\u009b31m\u200b\U000e0041 write"
	body, _ := json.Marshal(map[string]any{"access_token": "at", "token_type": "Bearer\u202d", "scope": scope, "expires_in": 60})
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, string(body))
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "rt\n", "refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, bad := range []string{"\u202e", "\u2066", "\u2069", "\u0085", "\u009b", "\u200b", "\u202d", "\U000e0041"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("stdout holds %U raw:\n%s", []rune(bad)[0], r.stdout)
		}
	}
	for _, esc := range []string{`\u202e`, `\u2066`, `\u0085`, `\u009b`, `\udb40\udc41`} {
		if !strings.Contains(r.stdout, esc) {
			t.Errorf("stdout lacks %s:\n%s", esc, r.stdout)
		}
	}
	var got struct{ Scope, TokenType string }
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Scope != scope {
		t.Errorf("decoded scope %q (err %v), want %q", got.Scope, err, scope)
	}
}

// Signing in again with exchange --save, from an answer without a refresh
// token, keeps the saved refresh token and says so.
func TestRunExchangeSaveKeepsRefreshToken(t *testing.T) {
	env, st := profiletest.Env(t)
	env["NESTAUTH_CLIENT_SECRET"] = "cs"
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1"}`)
	args := []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", "id", "--token-url", tokenURL,
		"--code", "c", "--save", "--profile", "p", "--store", "file"}
	if r := runArgs(t, env, "", args...); r.code != 0 {
		t.Fatalf("first sign-in: exit %d, stderr %s", r.code, r.stderr)
	}
	ep.Mu.Lock()
	ep.Body = `{"access_token":"at-2","token_type":"Bearer","expires_in":3600}` // no refresh token the second time
	ep.Mu.Unlock()
	r := runArgs(t, env, "", args...)
	if r.code != 0 {
		t.Fatalf("second sign-in: exit %d, stderr %s", r.code, r.stderr)
	}
	wantStderr(t, r.stderr, "saved profile p", "no refresh token, so the saved one (same client and token URL) was kept")
	p, err := st.Load("p")
	if err != nil || p.Secrets.RefreshToken != "rt-1" || p.Secrets.AccessToken != "at-2" {
		t.Errorf("saved %+v, %v", p.Secrets, err)
	}
}
