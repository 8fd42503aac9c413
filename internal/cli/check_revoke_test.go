package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

func TestRunCheckSDM(t *testing.T) {
	devices := `{"devices":[{"name":"enterprises/P/devices/D","type":"sdm.devices.types.THERMOSTAT",
	  "traits":{"sdm.devices.traits.Info":{"customName":"Hall"}},"parentRelations":[{"parent":"p","displayName":"Hallway"}]}]}`
	googleErr := func(code int, status string) string {
		b, _ := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": "m", "status": status}})
		return string(b)
	}
	tests := []struct {
		name       string
		status     int
		body       string
		code       int
		stdout     string
		stderrHas  string
		stdinToken string // else --token-file with a JSON token response
	}{
		{name: "devices", status: 200, body: devices, code: 0, stdout: "THERMOSTAT  Hall  (Hallway)\n"},
		{name: "devices, token on stdin", status: 200, body: devices, code: 0, stdout: "THERMOSTAT  Hall  (Hallway)\n", stdinToken: "at-1\n"},
		{name: "empty list", status: 200, body: `{}`, code: 0, stdout: "", stderrHas: "Partner Connections Manager"},
		{name: "expired", status: 401, body: googleErr(401, "UNAUTHENTICATED"), code: 3, stderrHas: "token rejected: UNAUTHENTICATED: m (HTTP 401). Google did not accept the access token: it has expired"},
		{name: "other project", status: 403, body: googleErr(403, "PERMISSION_DENIED"), code: 4, stderrHas: "another project"},
		{name: "wrong project", status: 404, body: googleErr(404, "NOT_FOUND"), code: 4, stderrHas: "not the Google Cloud project ID"},
		{name: "server", status: 503, body: `oops`, code: 5, stderrHas: "HTTP 503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, reqs := apiStub(t, tt.status, tt.body)
			args := []string{"check", "--provider", "sdm", "--project-id", sdmProject, "--api-url", api}
			if tt.stdinToken == "" {
				args = append(args, "--token-file", writeTokenFile(t, `{"access_token":"at-1","token_type":"Bearer","refresh_token":"rt-1"}`))
			}
			r := runArgs(t, nil, tt.stdinToken, args...)
			if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderrHas) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q and %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderrHas)
			}
			if want := "GET /v1/enterprises/" + sdmProject + "/devices Bearer at-1 "; len(*reqs) != 1 || (*reqs)[0] != want {
				t.Errorf("API got %q, want %q", *reqs, want)
			}
		})
	}
}

func TestRunCheckAndRevokeNestFake(t *testing.T) {
	fake := fakenest.NewTest(t, "id", "secret")
	tok := fake.IssueToken()
	file := writeTokenFile(t, "NESTAUTH_ACCESS_TOKEN='"+tok+"'\n")
	api := []string{"--provider", "nest", "--api-url", fake.APIURL(), "--revoke-url", fake.RevokeURL(), "--token-file", file}

	r := runArgs(t, nil, "", append([]string{"check"}, api...)...)
	want := "Homes: " + fakenest.DemoStructure + "\nTHERMOSTAT  " + fakenest.DemoThermostat + "  (" + fakenest.DemoRoom + ")\n"
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Fatalf("check: exit %d, stdout %q, stderr %q; want 0 and %q", r.code, r.stdout, r.stderr, want)
	}
	r = runArgs(t, nil, "", append([]string{"revoke"}, api...)...)
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "revoked: the access token no longer works") || fake.TokenValid(tok) {
		t.Fatalf("revoke: exit %d, stdout %q, stderr %q, still valid %v", r.code, r.stdout, r.stderr, fake.TokenValid(tok))
	}
	r = runArgs(t, nil, "", append([]string{"check"}, api...)...)
	if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "revoked") {
		t.Errorf("check of the revoked token: exit %d, stdout %q, stderr %q; want 3 and 'revoked'", r.code, r.stdout, r.stderr)
	}
	r = runArgs(t, nil, "", append([]string{"revoke"}, api...)...)
	if r.code != 3 || !strings.Contains(r.stderr, "already expired or revoked") {
		t.Errorf("revoking again: exit %d, stderr %q; want 3", r.code, r.stderr)
	}
}

func TestRunRevokeSDM(t *testing.T) {
	revokeURL, reqs := apiStub(t, 200, `{}`)
	r := runArgs(t, nil, `{"access_token":"at-1","refresh_token":"rt-1"}`, "revoke", "--provider", "sdm", "--revoke-url", revokeURL+"/revoke")
	if r.code != 0 || !strings.Contains(r.stderr, "the refresh token, and the access tokens issued with it, no longer work") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if want := "POST /revoke  token=rt-1"; len(*reqs) != 1 || (*reqs)[0] != want {
		t.Errorf("revocation endpoint got %q, want %q", *reqs, want)
	}
}

func TestRunCheckRevokeUsage(t *testing.T) {
	file := writeTokenFile(t, "at-1")
	tests := []struct {
		name  string
		stdin string
		args  []string
		has   string
	}{
		{"no provider", "", []string{"check", "--token-file", file}, "check needs --provider"},
		{"sdm without project", "", []string{"check", "--provider", "sdm", "--token-file", file}, "--project-id"},
		{"custom without check URL", "", []string{"check", "--provider", "custom", "--token-file", file}, "--check-url"},
		{"custom without revoke URL", "", []string{"revoke", "--provider", "custom", "--client-id", "c", "--token-file", file}, "--revoke-url"},
		{"custom revoke without client", "", []string{"revoke", "--provider", "custom", "--revoke-url", "https://idp.test/revoke", "--token-file", file}, "--client-id"},
		{"plain http API", "", []string{"check", "--provider", "nest", "--api-url", "http://api.example.com", "--token-file", file}, "--api-url"},
		{"plain http revoke", "", []string{"revoke", "--provider", "nest", "--revoke-url", "http://api.example.com/r", "--token-file", file}, "--revoke-url"},
		{"no token", "", []string{"check", "--provider", "nest"}, "no token"},
		{"missing file", "", []string{"check", "--provider", "nest", "--token-file", file + ".none"}, "--token-file"},
		{"not a token", "{\"nope\": 1}", []string{"check", "--provider", "nest"}, "no token found"},
	}
	for _, tt := range tests {
		r := runArgs(t, nil, tt.stdin, tt.args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tt.has) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", tt.name, r.code, r.stdout, r.stderr, tt.has)
		}
	}
}

// Works with Nest's endpoints no longer answer: a network error there says
// why. An unreachable loopback port stands in for the default API URL.
func TestRunCheckNestShutDown(t *testing.T) {
	p := auth.Nest()
	p.APIURL = deadURL(t)
	o := &options{providers: []auth.Provider{p}, timeout: 5 * time.Second, tokenFile: writeTokenFile(t, "garbage\n")}
	var stdout, stderr bytes.Buffer
	if code := (&app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}).runCheck(o); code != exitServer || !strings.Contains(testkit.SquashSpace(stderr.String()), "Works with Nest was shut down in 2023") {
		t.Errorf("exit %d, stderr %q; want 5 and the shutdown", code, stderr.String())
	}
	// With --api-url the person points elsewhere: no word of the shutdown.
	r := runArgs(t, nil, "garbage\n", "check", "--provider", "nest", "--api-url", p.APIURL)
	if r.code != exitServer || strings.Contains(r.stderr, "shut down") {
		t.Errorf("--api-url: exit %d, stderr %q", r.code, r.stderr)
	}
}

// check and revoke with --profile (and no --token-file) work on the saved
// profile's token, as issue 9 asks of every command.
func TestCheckAndRevokeFromProfile(t *testing.T) {
	env, st := profiletest.Env(t)
	fake := fakenest.NewTest(t, "pid", "psecret")
	p := auth.Nest()
	p.AuthURL, p.TokenURL, p.RevokeURL = fake.AuthURL(), fake.TokenURL(), fake.RevokeURL()
	cfg := auth.Config{Provider: p, ClientID: "pid", ClientSecret: "psecret"}
	tok := &auth.Token{AccessToken: fake.IssueToken(), Expiry: time.Now().Add(time.Hour)}
	if _, err := st.Save("home", profile.SettingsFor(cfg, profile.File), profile.SecretsFor(cfg, tok)); err != nil {
		t.Fatal(err)
	}
	api := "--api-url=" + fake.APIURL() // the API origin is not a saved setting

	r := runArgs(t, env, "", "check", "--profile", "home", api)
	if r.code != 0 || !strings.Contains(r.stdout, "Living Room Thermostat") {
		t.Fatalf("check --profile: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runArgs(t, env, "", "revoke", "--profile", "home")
	if r.code != 0 || !strings.Contains(r.stderr, "revoked") {
		t.Fatalf("revoke --profile: exit %d, stderr %q", r.code, r.stderr)
	}
	if fake.TokenValid(tok.AccessToken) {
		t.Error("the saved token still works after revoke --profile")
	}
	r = runArgs(t, env, "", "check", "--profile", "home", api)
	if r.code != 3 {
		t.Errorf("check after revoking: exit %d, want 3; stderr %q", r.code, r.stderr)
	}
	if r = runArgs(t, env, "", "check", "--profile", "nobody", api); r.code != 2 || !strings.Contains(r.stderr, "no saved profile") {
		t.Errorf("check --profile nobody: exit %d, stderr %q; want 2 and the reason", r.code, r.stderr)
	}
}

// A server that bends RFC 6749's error codes (Dex) is read by what its
// refusals say: these are its answers, word for word.
const (
	dexClaimed    = `{"error":"invalid_request","error_description":"Refresh token is invalid or has already been claimed by another client."}`
	dexNoRefresh  = `{"error":"invalid_request","error_description":"No refresh token is found in request."}`
	dexExpiredJWT = `{"error":"access_denied","error_description":"oidc: token is expired (Token Expiry: 2030-01-02 03:04:05 +0000 UTC)"}`
)

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

// apiRefusing is an API that refuses the bearer token dead with a 401
// invalid_token and takes every other.
func apiRefusing(t *testing.T, dead string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") == "Bearer "+dead {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"invalid_token"}`))
			return
		}
		w.Write([]byte(`{"sub":"someone"}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/userinfo"
}

// A saved token the API refuses (401) before its saved expiry is refreshed
// once by check --profile, which tries again; token --refresh forces the
// refresh that token alone would not do until the saved expiry.
func TestCheckProfileRefreshesAfter401(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "client-secret", "refresh-0")
	p := auth.Custom()
	p.AuthURL, p.TokenURL, p.CheckURL = ts.URL+"/authorize", ts.TokenURL(), apiRefusing(t, "access-0")
	cfg := auth.Config{Provider: p, ClientID: ts.ClientID, ClientSecret: ts.ClientSecret}
	save := func() {
		t.Helper()
		tok := &auth.Token{AccessToken: "access-0", TokenType: "Bearer", RefreshToken: ts.Current(), Expiry: time.Now().Add(time.Hour)}
		if _, err := st.Save("p", profile.SettingsFor(cfg, profile.File), profile.SecretsFor(cfg, tok)); err != nil {
			t.Fatal(err)
		}
	}
	save()

	r := runArgs(t, env, "", "check", "--profile", "p")
	if r.code != 0 || ts.Requests() != 1 || !strings.Contains(r.stdout, "200") {
		t.Fatalf("check --profile after a 401: exit %d, %d refreshes, stdout %q, stderr %s", r.code, ts.Requests(), r.stdout, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "refused profile p's saved token before its saved expiry: refreshed it")
	if r := runArgs(t, env, "", "token", "--profile", "p"); r.stdout != "access-1\n" {
		t.Errorf("token after check refreshed: %q, stderr %s", r.stdout, r.stderr)
	}

	// The same dead token again: token alone hands it out, --refresh does not.
	save()
	if r := runArgs(t, env, "", "token", "--profile", "p"); r.stdout != "access-0\n" {
		t.Fatalf("token: %q, stderr %s", r.stdout, r.stderr)
	}
	r = runArgs(t, env, "", "token", "--profile", "p", "--refresh")
	if r.code != 0 || r.stdout != "access-2\n" || ts.Requests() != 2 {
		t.Errorf("token --refresh: exit %d, %q, %d refreshes, stderr %s", r.code, r.stdout, ts.Requests(), r.stderr)
	}

	// A dead token from a file: the 401 message names token --refresh.
	r = runArgs(t, env, "", "check", "--provider", "custom", "--check-url", p.CheckURL, "--token-file", writeTokenFile(t, "access-0"))
	if r.code != exitRejectedCode {
		t.Fatalf("check of a dead token: exit %d, stderr %s", r.code, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "nestauth token --profile NAME --refresh")
}

// revoke --profile follows forget --revoke's rule: a profile whose tokens
// come from another server than the provider's is never revoked at the
// provider's default endpoint; --revoke-url says where.
func TestRunRevokeProfileNeedsAnEndpoint(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "n", ts, auth.Nest(), profile.File, time.Now().Add(time.Hour)) // Works with Nest, its token endpoint moved

	r := runArgs(t, env, "", "revoke", "--profile", "n", "--timeout", "2s")
	if r.code != exitUsage || r.stdout != "" {
		t.Errorf("revoke --profile n: exit %d, stdout %q; want 2 and nothing", r.code, r.stdout)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "profile n has no revocation endpoint", "not sent to "+auth.NestRevokeURL, "--revoke-url URL")

	revoke, revokeURL := testkit.NewTokenEndpoint(t, 200, "")
	r = runArgs(t, env, "", "revoke", "--profile", "n", "--revoke-url", revokeURL)
	if r.code != 0 || revoke.Count() == 0 {
		t.Errorf("revoke --profile n --revoke-url: exit %d, %d requests; stderr %s", r.code, revoke.Count(), r.stderr)
	}
}

// A profile keeps the --api-url it was saved with, so check --profile
// calls the API the token came for, not the provider's real one.
func TestCheckProfileKeepsItsAPIURL(t *testing.T) {
	env, _ := profiletest.Env(t)
	env["NESTAUTH_CLIENT_SECRET"] = "cs"
	devices := `{"devices":[{"name":"enterprises/P/devices/D","type":"sdm.devices.types.THERMOSTAT","traits":{"sdm.devices.traits.Info":{"customName":"Hall"}}}]}`
	api, reqs := apiStub(t, 200, devices)
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1"}`)
	r := runArgs(t, env, "CODE\n", "--plain", "--provider", "sdm", "--project-id", sdmProject, "--client-id", "cid",
		"--auth-url", "https://auth.example/o", "--token-url", tokenURL, "--api-url", api, "--no-pkce", "--save", "--profile", "p", "--store", "file")
	if r.code != 0 {
		t.Fatalf("the wizard with --save: exit %d, %s", r.code, r.stderr)
	}
	r = runArgs(t, env, "", "check", "--profile", "p", "--timeout", "5s")
	if r.code != 0 || !strings.Contains(r.stdout, "THERMOSTAT  Hall") || len(*reqs) != 1 {
		t.Errorf("check --profile: exit %d, stdout %q, %d requests at --api-url; stderr %s", r.code, r.stdout, len(*reqs), r.stderr)
	}
}
