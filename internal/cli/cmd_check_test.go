package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

const sdmProject = "0a1b2c3d-1234-5678-9abc-0123456789ab"

// apiStub answers every request with status and body, and records them.
func apiStub(t *testing.T, status int, body string) (url string, got *[]string) {
	t.Helper()
	var reqs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		reqs = append(reqs, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")+" "+r.PostForm.Encode())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &reqs
}

func writeTokenFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

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

func TestRunFormatAndOutput(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	refresh := func(stdin string, extra ...string) runResult {
		return runArgs(t, secret, stdin, append([]string{"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL}, extra...)...)
	}
	for format, want := range map[string]string{
		"token":  "at-2\n",
		"header": "Authorization: Bearer at-2\n",
		"env":    "NESTAUTH_ACCESS_TOKEN='at-2'\nNESTAUTH_REFRESH_TOKEN='rt-2'\nNESTAUTH_EXPIRY='",
	} {
		r := refresh("rt\n", "--format", format)
		if r.code != 0 || !strings.HasPrefix(r.stdout, want) {
			t.Errorf("--format %s: exit %d, stdout %q, stderr %q; want %q", format, r.code, r.stdout, r.stderr, want)
		}
	}
	if r := refresh("rt\n", "--format", "yaml"); r.code != 2 || !strings.Contains(r.stderr, "--format must be json, token, env or header") {
		t.Errorf("--format yaml: exit %d, stderr %q", r.code, r.stderr)
	}

	path := filepath.Join(t.TempDir(), "tok.json")
	r := refresh("rt\n", "--output", path)
	b, err := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if r.code != 0 || r.stdout != "" || err != nil || !strings.Contains(string(b), `"access_token": "at-2"`) || fi.Mode().Perm() != 0o600 ||
		!strings.Contains(r.stderr, "wrote the token to "+path+" (mode 0600)") {
		t.Fatalf("--output: exit %d, stdout %q, stderr %q, file %q (%v)", r.code, r.stdout, r.stderr, b, err)
	}
	// It exists now: refused before any request, unless --force.
	ep, tokenURL2 := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	r = runArgs(t, secret, "rt\n", "refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL2, "--output", path)
	if r.code != 2 || !strings.Contains(r.stderr, "exists") || ep.Count() != 0 {
		t.Errorf("existing --output: exit %d, stderr %q, %d requests; want 2 and none", r.code, r.stderr, ep.Count())
	}
	r = refresh("rt\n", "--output", path, "--force", "--format", "token")
	if b, _ := os.ReadFile(path); r.code != 0 || string(b) != "at-2\n" {
		t.Errorf("--force: exit %d, stderr %q, file %q", r.code, r.stderr, b)
	}
	if r := refresh("rt\n", "--force"); r.code != 2 || !strings.Contains(r.stderr, "--force goes with --output") {
		t.Errorf("--force alone: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := refresh("rt\n", "--output", filepath.Join(t.TempDir(), "no", "such", "dir", "f")); r.code != 2 || !strings.Contains(r.stderr, "cannot be written") {
		t.Errorf("--output in a missing directory: exit %d, stderr %q", r.code, r.stderr)
	}
}
