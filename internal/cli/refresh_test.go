package cli

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

func TestRunRefreshSaveKeepsTheRefreshToken(t *testing.T) {
	env, st := profiletest.Env(t)
	env["NESTAUTH_CLIENT_SECRET"] = "cs"
	// Google answers a refresh without a refresh token: the one given stays.
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-2","token_type":"Bearer","expires_in":3600}`)
	r := runArgs(t, env, "rt-given\n", "refresh", "--provider", "custom", "--client-id", "id", "--token-url", tokenURL, "--save", "--profile", "r")
	if r.code != 0 || !strings.Contains(r.stderr, "saved profile r") {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	if p, err := st.Load("r"); err != nil || p.Secrets.RefreshToken != "rt-given" || p.Secrets.AccessToken != "at-2" || p.Settings.SecretsIn != profile.Keyring {
		t.Errorf("saved %+v, %v", p.Secrets, err)
	}
	if v, err := keyring.Get(profile.Service, "r/refresh_token"); err != nil || v != "rt-given" {
		t.Errorf("the keyring's refresh token = %q, %v", v, err)
	}
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

func TestRunRefreshClaimedRefreshToken(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	_, tokenURL := testkit.NewTokenEndpoint(t, 400, dexClaimed)
	r := runArgs(t, secret, "rt-old\n", "refresh", "--provider", "custom", "--client-id", "example-app", "--token-url", tokenURL)
	if r.code != exitRejectedCode || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 3 and nothing; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "refresh token rejected", "already been claimed", "sign in again", "nestauth --profile NAME", "same client")
	if strings.Contains(r.stderr, "malformed") || strings.Contains(r.stderr, "rt-old") {
		t.Errorf("stderr reads it as a malformed request, or shows the refresh token:\n%s", r.stderr)
	}

	// invalid_request about anything else is still a malformed request.
	_, tokenURL = testkit.NewTokenEndpoint(t, 400, dexNoRefresh)
	r = runArgs(t, secret, "rt-old\n", "refresh", "--provider", "custom", "--client-id", "example-app", "--token-url", tokenURL)
	if r.code != exitRejectedClient {
		t.Errorf("no refresh token found: exit %d, want 4; stderr:\n%s", r.code, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "request rejected", "malformed")
}
