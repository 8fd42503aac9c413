package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

// fixedEnv returns a getenv over a fixed map: nothing leaks in from the real environment.
func fixedEnv(kv map[string]string) func(string) string { return testkit.FixedEnv(kv) }

type runResult struct {
	code           int
	stdout, stderr string
}

func runArgs(t *testing.T, getenv map[string]string, stdin string, args ...string) runResult {
	t.Helper()
	code, stdout, stderr := testkit.Run(t, runCLI, getenv, stdin, args...)
	return runResult{code, stdout, stderr}
}

func TestRunFlags(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "s3cret"}
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		code       int
		stdoutRE   string   // stdout must match; "" means it must be empty
		stderrHas  []string // stderr must contain each
		stderrNone bool     // stderr must be empty
		stdoutHas  []string // help: stdout must contain each, stderr be empty
	}{
		{name: "version", args: []string{"--version"}, code: 0, stdoutRE: `^nestauth \S+(, go\S+)?\n$`, stderrNone: true},
		{name: "help", args: []string{"--help"}, code: 0, stdoutHas: []string{
			"--provider", "--client-id", "NESTAUTH_CLIENT_ID", "--client-secret-file", "NESTAUTH_CLIENT_SECRET",
			"--project-id", "NESTAUTH_PROJECT_ID", "--auth-url", "--token-url", "--redirect-uri", "--scope", "--param",
			"--auth-style", "--no-pkce", "--timeout", "--demo", "--plain", "ACCESSIBLE", "--version", "--help", "exchange", "refresh", "130"}},
		{name: "exchange help", args: []string{"exchange", "--help"}, code: 0, stdoutHas: []string{
			"--provider", "--client-id", "--client-secret-file", "NESTAUTH_CLIENT_SECRET", "--project-id", "--token-url",
			"--redirect-uri", "--auth-style", "--code", "--code-file", "--code-verifier", "--code-verifier-file", "--timeout", "< redirect-url",
			"0 ok", "2 usage", "3 code rejected", "4 client rejected", "5 network"}},
		{name: "refresh help", args: []string{"refresh", "--help"}, code: 0, stdoutHas: []string{
			"--provider", "--client-id", "--client-secret-file", "--token-url", "--auth-style", "--refresh-token-file", "--timeout", "< rt"}},

		{name: "secret flag", args: []string{"--client-secret=x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET", "--client-secret-file"}},
		{name: "secret flag separate value", args: []string{"--provider", "nest", "--client-secret", "x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "secret flag single dash", args: []string{"-client-secret=x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "secret flag in exchange", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c", "--client-secret=x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "secret flag in refresh", args: []string{"refresh", "--client-secret", "x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},

		{name: "empty scope", args: []string{"--provider", "sdm", "--scope", ""}, code: 2, stderrHas: []string{"--scope is empty"}},
		{name: "timeout without unit", args: []string{"--timeout", "30"}, code: 2, stderrHas: []string{"--timeout", "such as 30s"}},
		{name: "unknown flag in --flag spelling", args: []string{"--bogus"}, code: 2, stderrHas: []string{"unknown flag --bogus"}},
		{name: "reserved param", args: []string{"--provider", "sdm", "--param", "state=x"}, code: 2, stderrHas: []string{"--param state", "nestauth sets state itself"}},
		{name: "demo with provider", args: []string{"--demo", "--provider", "sdm"}, code: 2, stderrHas: []string{"leave out --provider"}},
		{name: "env client ID blamed by name", env: map[string]string{"NESTAUTH_CLIENT_ID": "a b"}, args: []string{"--provider", "nest"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_ID: client ID contains spaces"}},
		{name: "dumb terminal: plain mode", env: map[string]string{"TERM": "dumb"}, args: []string{"--provider", "nest"}, code: 1, stderrHas: []string{"Client ID: ", "stopped before a token was fetched"}},
		{name: "exchange empty code", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "x", "--code", `""`}, code: 2, stderrHas: []string{"--code is empty"}},
		{name: "unknown provider", args: []string{"--provider", "acme"}, code: 2, stderrHas: []string{`unknown --provider "acme"`, "sdm", "nest", "custom"}},
		{name: "unknown provider in exchange", env: secret, args: []string{"exchange", "--provider", "acme", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"unknown --provider"}},
		{name: "unknown flag", args: []string{"--nope"}, code: 2, stderrHas: []string{"nope"}},
		{name: "stray argument", args: []string{"--provider", "nest", "extra"}, code: 2, stderrHas: []string{`"extra"`}},
		{name: "bad auth style", args: []string{"--provider", "nest", "--auth-style", "digest"}, code: 2, stderrHas: []string{"post or basic"}},
		{name: "port 0 redirect", args: []string{"--provider", "custom", "--auth-url", "https://a.example/auth", "--token-url", "https://a.example/token", "--redirect-uri", "http://127.0.0.1:0/cb"}, code: 2, stderrHas: []string{"not 0"}},

		{name: "cloud project id in wizard", args: []string{"--provider", "sdm", "--project-id", "my-project-123456"}, code: 2,
			stderrHas: []string{"my-project-123456", "Google Cloud project ID", "Device Access Console"}},
		{name: "cloud project id from env", env: map[string]string{"NESTAUTH_PROJECT_ID": "my-project-123456"}, args: []string{"--provider", "sdm"}, code: 2,
			stderrHas: []string{"Device Access Console"}},
		{name: "cloud project id in exchange", env: secret, args: []string{"exchange", "--provider", "sdm", "--client-id", "id", "--code", "c", "--project-id", "my-project-123456"}, code: 2,
			stderrHas: []string{"Device Access Console"}},
		{name: "cloud project id in refresh", env: secret, args: []string{"refresh", "--provider", "sdm", "--client-id", "id", "--project-id", "my-project-123456"}, code: 2,
			stderrHas: []string{"Device Access Console"}},

		{name: "plain http token URL in wizard", args: []string{"--provider", "nest", "--token-url", "http://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/token", "plain http://"}},
		{name: "plain http token URL in exchange", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c", "--token-url", "http://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/token", "plain http://"}},
		{name: "plain http token URL in refresh", env: secret, args: []string{"refresh", "--provider", "custom", "--client-id", "id", "--token-url", "http://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/token", "plain http://"}},
		{name: "plain http auth URL in wizard", args: []string{"--provider", "custom", "--auth-url", "http://example.com/auth", "--token-url", "https://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/auth", "plain http://"}},
		{name: "custom without endpoints", env: secret, args: []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"--token-url", "--issuer URL"}},

		{name: "exchange without provider", env: secret, args: []string{"exchange", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"--provider"}},
		{name: "exchange without client id", env: secret, args: []string{"exchange", "--provider", "nest", "--code", "c"}, code: 2, stderrHas: []string{"--client-id"}},
		{name: "exchange without secret", args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "exchange without code", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "id"}, code: 2, stderrHas: []string{"--code"}},
		{name: "secret file missing", args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c", "--client-secret-file", "/nonexistent/nestauth-secret"}, code: 2,
			stderrHas: []string{"--client-secret-file"}},
		{name: "refresh with empty stdin", env: secret, args: []string{"refresh", "--provider", "custom", "--client-id", "id", "--token-url", "https://example.com/token"}, code: 2,
			stderrHas: []string{"no refresh token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runArgs(t, tt.env, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if tt.stdoutRE == "" && tt.stdoutHas == nil && r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			for _, s := range tt.stdoutHas {
				if !strings.Contains(r.stdout, s) || r.stderr != "" {
					t.Errorf("stdout lacks %q (stderr %q):\n%s", s, r.stderr, r.stdout)
				}
			}
			if tt.stdoutRE != "" && !regexp.MustCompile(tt.stdoutRE).MatchString(r.stdout) {
				t.Errorf("stdout = %q, want it to match %s", r.stdout, tt.stdoutRE)
			}
			if tt.stderrNone && r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			// A secret given on the command line must never be echoed back.
			if strings.Contains(r.stderr, "client-secret=x") {
				t.Errorf("stderr repeats the secret flag: %s", r.stderr)
			}
		})
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
	t.Run("wrong secret", func(t *testing.T) {
		oneLine(t, exchange(map[string]string{"NESTAUTH_CLIENT_SECRET": "wrong"}, fake.IssueCode()), 4, "client rejected")
	})
	t.Run("wrong client id", func(t *testing.T) {
		r := runArgs(t, good, "", "exchange", "--provider", "nest", "--client-id", "other", "--code", fake.IssueCode(), "--token-url", fake.TokenURL())
		oneLine(t, r, 4, "client rejected")
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

const refreshedBody = `{"access_token":"at-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-2","scope":"read"}`

func TestRunRefresh(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	rtFile := filepath.Join(t.TempDir(), "rt")
	if err := os.WriteFile(rtFile, []byte("rt-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		stdin     string
		extra     []string
		wantRT    string
		wantBasic bool
	}{
		{name: "stdin", stdin: "rt-from-stdin\n", wantRT: "rt-from-stdin"},
		{name: "stdin without newline", stdin: "  rt-bare  ", wantRT: "rt-bare"},
		{name: "file", stdin: "ignored\n", extra: []string{"--refresh-token-file", rtFile}, wantRT: "rt-from-file"},
		{name: "basic", stdin: "rt-basic\n", extra: []string{"--auth-style", "basic"}, wantRT: "rt-basic", wantBasic: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
			args := append([]string{"refresh", "--provider", "sdm", "--client-id", "cid", "--token-url", tokenURL}, tt.extra...)
			before := time.Now()
			r := runArgs(t, secret, tt.stdin, args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var tok struct {
				AccessToken  string    `json:"access_token"`
				TokenType    string    `json:"token_type"`
				RefreshToken string    `json:"refresh_token"`
				Scope        string    `json:"scope"`
				ExpiresIn    int64     `json:"expires_in"`
				Expiry       time.Time `json:"expiry"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &tok); err != nil {
				t.Fatalf("stdout: %v\n%s", err, r.stdout)
			}
			if tok.AccessToken != "at-2" || tok.TokenType != "Bearer" || tok.RefreshToken != "rt-2" || tok.Scope != "read" ||
				tok.ExpiresIn != 3600 || tok.Expiry.Before(before.Add(time.Hour).Truncate(time.Second)) {
				t.Errorf("printed token %+v", tok)
			}

			req := ep.Only(t)
			f := req.Form
			if req.Method != http.MethodPost || req.ContentType != "application/x-www-form-urlencoded" || req.RawQuery != "" {
				t.Errorf("request %s %q query %q: want a form POST with nothing in the URL", req.Method, req.ContentType, req.RawQuery)
			}
			if f.Get("grant_type") != "refresh_token" || f.Get("refresh_token") != tt.wantRT {
				t.Errorf("form %v: want grant_type=refresh_token refresh_token=%s", f, tt.wantRT)
			}
			if tt.wantBasic {
				want := "Basic " + base64.StdEncoding.EncodeToString([]byte("cid:cs"))
				if req.Authorization != want || f.Has("client_secret") {
					t.Errorf("basic: Authorization %q, form %v; want %q and no client_secret in the body", req.Authorization, f, want)
				}
			} else if f.Get("client_id") != "cid" || f.Get("client_secret") != "cs" || req.Authorization != "" {
				t.Errorf("post: form %v, Authorization %q; want client_id and client_secret in the body only", f, req.Authorization)
			}
		})
	}

	t.Run("rejected", func(t *testing.T) {
		_, tokenURL := testkit.NewTokenEndpoint(t, 400, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`)
		r := runArgs(t, secret, "rt\n", "refresh", "--provider", "sdm", "--client-id", "cid", "--token-url", tokenURL)
		if r.code != 3 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "expired or revoked") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 3 and one line", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("client rejected", func(t *testing.T) {
		_, tokenURL := testkit.NewTokenEndpoint(t, 401, `{"error":"invalid_client"}`)
		r := runArgs(t, secret, "rt\n", "refresh", "--provider", "sdm", "--client-id", "cid", "--token-url", tokenURL)
		if r.code != 4 {
			t.Errorf("exit %d, stderr %q; want 4", r.code, r.stderr)
		}
	})
	t.Run("server error", func(t *testing.T) {
		_, tokenURL := testkit.NewTokenEndpoint(t, 502, `<html>Bad Gateway</html>`)
		r := runArgs(t, secret, "rt\n", "refresh", "--provider", "sdm", "--client-id", "cid", "--token-url", tokenURL)
		if r.code != 5 || !strings.Contains(r.stderr, "502") {
			t.Errorf("exit %d, stderr %q; want 5 naming HTTP 502", r.code, r.stderr)
		}
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

func TestReadSmallFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, want, wantErr string
	}{
		{"BOM and CRLF", write("bom", "\uFEFFs3cret\r\n"), "s3cret", ""},
		{"over 64 KiB", write("big", strings.Repeat("x", 64<<10+1)), "", "over 64 KiB"},
		{"exactly 64 KiB", write("edge", strings.Repeat("y", 64<<10)), strings.Repeat("y", 64<<10), ""},
		{"a directory", dir, "", "directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readSmallFile(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %d bytes, err %v; want %d bytes", len(got), err, len(tt.want))
			}
		})
	}
}

// The client secret is trimmed by one rule, from the environment or a file.
func TestClientSecretOneRule(t *testing.T) {
	for _, raw := range []string{" \uFEFFs3cret\r\n", "\uFEFF s3cret ", "s3cret\n"} {
		path := filepath.Join(t.TempDir(), "secret")
		if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
			t.Fatal(err)
		}
		fromEnv, errEnv := clientSecret("", fixedEnv(map[string]string{"NESTAUTH_CLIENT_SECRET": raw}))
		fromFile, errFile := clientSecret(path, fixedEnv(nil))
		if fromEnv != "s3cret" || fromFile != "s3cret" || errEnv != nil || errFile != nil {
			t.Errorf("%q: env gives %q (%v), file %q (%v); want s3cret from both", raw, fromEnv, errEnv, fromFile, errFile)
		}
	}
}

func TestRunRefreshPublicClient(t *testing.T) {
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form = r.PostForm
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"PUBLIC","token_type":"Bearer","expires_in":60}`)
	}))
	defer srv.Close()
	r := runArgs(t, nil, "rt-1\n", "refresh", "--provider", "custom", "--client-id", "public-app", "--token-url", srv.URL)
	if r.code != 0 || !strings.Contains(r.stdout, `"access_token": "PUBLIC"`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if form.Get("client_id") != "public-app" || form.Has("client_secret") || form.Get("refresh_token") != "rt-1" {
		t.Errorf("form = %v: want client_id and refresh_token, no client_secret", form)
	}
	// Google and Nest clients always have a secret.
	r = runArgs(t, nil, "rt-1\n", "refresh", "--provider", "sdm", "--client-id", "x", "--token-url", srv.URL)
	if r.code != 2 || !strings.Contains(r.stderr, "NESTAUTH_CLIENT_SECRET") {
		t.Errorf("sdm without a secret: exit %d, stderr %q", r.code, r.stderr)
	}
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

func TestRunRefreshNest(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "rt\n", "refresh", "--provider", "nest", "--client-id", "cid", "--token-url", tokenURL)
	if r.code != 2 || !strings.Contains(r.stderr, "Works with Nest never issued refresh tokens") {
		t.Errorf("exit %d, stderr %q; want 2 and why", r.code, r.stderr)
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

// failingWriter fails every write, as /dev/full does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestPrintResultWriteFails(t *testing.T) {
	var errOut bytes.Buffer
	code := printResult(&auth.Token{AccessToken: "at"}, nil, "What to do now.", tokenSink{format: "json"}, failingWriter{}, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "could not be written to stdout: no space left on device") ||
		!strings.Contains(errOut.String(), "What to do now.") || strings.Contains(errOut.String(), `"at"`) {
		t.Errorf("exit %d, stderr %q; want 1, the reason and the advice, no token", code, errOut.String())
	}
}

func TestExitStatus(t *testing.T) {
	tests := []struct {
		kind auth.Kind
		want int
	}{
		{auth.KindUsage, 2},
		{auth.KindCode, 3},
		{auth.KindClientID, 4},
		{auth.KindSecret, 4},
		{auth.KindRedirect, 4},
		{auth.KindScope, 4},
		{auth.KindRequest, 4},
		{auth.KindNetwork, 5},
		{auth.KindServer, 5},
		{auth.KindUnknown, 5},
		{auth.KindCanceled, 130},
	}
	for _, tt := range tests {
		if got := exitStatus(tt.kind); got != tt.want {
			t.Errorf("exitStatus(%v) = %d, want %d", tt.kind, got, tt.want)
		}
	}
}

// wantStderr fails for each of wants stderr lacks.
func wantStderr(t *testing.T, stderr string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
