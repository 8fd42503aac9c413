package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// A server that bends RFC 6749's error codes (Dex) is read by what its
// refusals say: these are its answers, word for word.
const (
	dexClaimed    = `{"error":"invalid_request","error_description":"Refresh token is invalid or has already been claimed by another client."}`
	dexNoRefresh  = `{"error":"invalid_request","error_description":"No refresh token is found in request."}`
	dexExpiredJWT = `{"error":"access_denied","error_description":"oidc: token is expired (Token Expiry: 2030-01-02 03:04:05 +0000 UTC)"}`
)

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

// saveDexProfile saves a custom profile named name whose token endpoint is
// tokenURL and check URL checkURL, with an access token that expired.
func saveDexProfile(t *testing.T, st profile.Store, name, tokenURL, checkURL string) {
	t.Helper()
	p := auth.Custom()
	p.AuthURL, p.TokenURL, p.CheckURL = strings.TrimSuffix(tokenURL, "/token")+"/auth", tokenURL, checkURL
	cfg := auth.Config{Provider: p, ClientID: "example-app", ClientSecret: "ZXhhbXBsZS1hcHAtc2VjcmV0"}
	tok := &auth.Token{AccessToken: "at-old", TokenType: "Bearer", RefreshToken: "rt-old", Expiry: time.Now().Add(-time.Minute)}
	if _, err := st.Save(name, profile.SettingsFor(cfg, profile.File), profile.SecretsFor(cfg, tok)); err != nil {
		t.Fatal(err)
	}
}

func TestRunTokenAndCheckClaimedRefreshToken(t *testing.T) {
	env, st := profiletest.Env(t)
	ep, tokenURL := testkit.NewTokenEndpoint(t, 400, dexClaimed)
	checkURL, checks := apiStub(t, 200, `{"sub":"x"}`)
	saveDexProfile(t, st, "dex", tokenURL, checkURL+"/userinfo")

	for _, args := range [][]string{{"token", "--profile", "dex"}, {"check", "--profile", "dex"}} {
		r := runArgs(t, env, "", args...)
		if r.code != exitRejectedCode || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q; want 3 and nothing; stderr:\n%s", args[0], r.code, r.stdout, r.stderr)
		}
		wantStderr(t, testkit.SquashSpace(r.stderr), "profile dex: refresh token rejected", "already been claimed", "Sign in again: nestauth --profile dex",
			"Signing in again elsewhere with the same client can cause this")
		if strings.Contains(r.stderr, "malformed") || strings.Contains(r.stderr, "rt-old") {
			t.Errorf("%s: stderr reads it as a malformed request, or shows the refresh token:\n%s", args[0], r.stderr)
		}
	}
	if n := ep.Count(); n != 2 {
		t.Errorf("the token endpoint got %d requests, want one refresh each", n)
	}
	if len(*checks) != 0 {
		t.Errorf("check called the API with a token it could not refresh: %q", *checks)
	}
}

// dexDevice answers as Dex does: its device endpoint takes the client from
// client_id in the body alone. Without it the code is issued, but the
// approval page fails, so the polls stay pending until the code expires.
type dexDevice struct {
	*httptest.Server
	mu      sync.Mutex
	devices []url.Values // the device requests' bodies
	auths   []string     // their Authorization headers
}

func newDexDevice(t *testing.T) *dexDevice {
	t.Helper()
	d := &dexDevice{}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(b))
		d.mu.Lock()
		defer d.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/device/code":
			d.devices = append(d.devices, form)
			d.auths = append(d.auths, r.Header.Get("Authorization"))
			_ = json.NewEncoder(w).Encode(map[string]any{"device_code": "dc-1", "user_code": "ABCD-EFGH",
				"verification_uri": d.URL + "/device", "expires_in": 2, "interval": 1})
		case "/token":
			if len(d.devices) == 0 || d.devices[len(d.devices)-1].Get("client_id") == "" {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error":"authorization_pending"}`) // the approval page failed: Invalid client_id ("")
				return
			}
			fmt.Fprint(w, `{"access_token":"at-dex","token_type":"bearer","expires_in":3600}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(d.Close)
	return d
}

func TestRunDeviceSendsClientIDInTheBody(t *testing.T) {
	for _, style := range []string{"post", "basic"} {
		t.Run(style, func(t *testing.T) {
			t.Parallel()
			d := newDexDevice(t)
			r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "device", "--provider", "custom",
				"--client-id", "example-app", "--auth-style", style, "--scope", "openid",
				"--device-url", d.URL+"/device/code", "--token-url", d.URL+"/token")
			if r.code != 0 || testkit.DecodeJSON(t, r.stdout)["access_token"] != "at-dex" {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			if len(d.devices) != 1 || d.devices[0].Get("client_id") != "example-app" {
				t.Fatalf("device requests %v: want one, with client_id=example-app in the body", d.devices)
			}
			basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("example-app:cs"))
			if style == "basic" && (d.auths[0] != basic || d.devices[0].Has("client_secret")) {
				t.Errorf("basic: Authorization %q, body %v; want %q and no client_secret in the body", d.auths[0], d.devices[0], basic)
			}
			if style == "post" && (d.auths[0] != "" || d.devices[0].Get("client_secret") != "cs") {
				t.Errorf("post: Authorization %q, body %v; want the credentials in the body only", d.auths[0], d.devices[0])
			}
		})
	}
}

func TestRunCheckTokenInvalidAt403(t *testing.T) {
	tokenFile := writeTokenFile(t, "at-expired\n")
	tests := []struct {
		name string
		body string
		code int
		want []string
	}{
		{name: "Dex: access_denied, token expired", body: dexExpiredJWT, code: exitRejectedCode,
			want: []string{"token rejected", "token is expired", "HTTP 403", "did not accept the access token"}},
		{name: "about a scope", body: `{"error":"insufficient_scope","error_description":"The token lacks the scope groups"}`, code: exitRejectedClient,
			want: []string{"scope rejected", "lacks a scope or a permission"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, _ := apiStub(t, http.StatusForbidden, tt.body)
			r := runArgs(t, nil, "", "check", "--provider", "custom", "--check-url", api+"/userinfo", "--token-file", tokenFile)
			if r.code != tt.code || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", r.code, r.stdout, tt.code)
			}
			wantStderr(t, testkit.SquashSpace(r.stderr), tt.want...)
		})
	}
}
