package e2e

// End-to-end: what the token step does with the token (v, w, h, x) in the
// demo, check and revoke from a script, and --format env through a shell.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nestauth/auth/fakenest"
)

func TestE2ETokenActionsDemo(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo"}, env: map[string]string{"NO_COLOR": "1"}})
	waitFor(t, tm, "Step 1 of 5 · Client ID")
	tm.keys("Enter")
	waitFor(t, tm, "Step 2 of 5 · Client secret")
	tm.keys("Enter")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("a")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	waitFor(t, tm, "v verify")

	// v: one API call, through the redirect to the per-user host.
	tm.keys("v")
	waitFor(t, tm, "THERMOSTAT "+fakenest.DemoThermostat+" ("+fakenest.DemoRoom+")")
	waitFor(t, tm, "Homes: "+fakenest.DemoStructure)

	// h: the header, through OSC 52.
	tm.keys("h")
	if got := tm.clipboard(""); got != "Authorization: Bearer "+tok {
		t.Errorf("h copied %q", got)
	}

	// w: the default name, in the working directory, mode 0600.
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	path := filepath.Join(tm.dir, "nestauth-token.json")
	waitFor(t, tm, "Wrote the token to "+path+" (mode 0600")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v (err %v), want mode 0600", fi, err)
	}
	var saved struct {
		AccessToken string `json:"access_token"`
	}
	if b, _ := os.ReadFile(path); json.Unmarshal(b, &saved) != nil || saved.AccessToken != tok {
		t.Errorf("the file holds %q, want the token's JSON", b)
	}
	// Again: it exists, so the wizard asks; n keeps it.
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	waitFor(t, tm, "nestauth-token.json exists. Replace it?")
	tm.keys("n")
	waitFor(t, tm, "Kept nestauth-token.json as it is.")

	// x, y: revoked; v then shows the API refusing it.
	tm.keys("x")
	waitFor(t, tm, "Revoke this token at the provider?")
	tm.keys("y")
	waitFor(t, tm, "✗ Revoked: this token no longer works.")
	tm.keys("v")
	waitFor(t, tm, "(HTTP 401)")
	waitFor(t, tm, "it was revoked")

	// q: a revoked token goes nowhere.
	tm.keys("q")
	out, code := tm.waitExit()
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	waitFor(t, tm, "nothing went to stdout")
}

// exchange --output, then check and revoke with --token-file, as a script
// would, against the fake's API.
func TestE2ECheckAndRevokeTokenFile(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	file := filepath.Join(t.TempDir(), "token.json")
	env := map[string]string{"NESTAUTH_CLIENT_SECRET": nestSecret}
	_, stderr, code := runBin(t, env, fake.IssueCode()+"\n", "exchange", "--provider", "nest", "--client-id", nestID,
		"--token-url", fake.TokenURL(), "--output", file)
	if code != 0 || !strings.Contains(stderr, "(mode 0600)") {
		t.Fatalf("exchange --output: exit %d, stderr %q", code, stderr)
	}
	api := []string{"--provider", "nest", "--api-url", fake.APIURL(), "--revoke-url", fake.RevokeURL(), "--token-file", file}
	stdout, stderr, code := runBin(t, nil, "", append([]string{"check"}, api...)...)
	if code != 0 || !strings.Contains(stdout, "THERMOSTAT  "+fakenest.DemoThermostat) {
		t.Fatalf("check: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, stderr, code = runBin(t, nil, "", append([]string{"revoke"}, api...)...); code != 0 {
		t.Fatalf("revoke: exit %d, stderr %q", code, stderr)
	}
	stdout, stderr, code = runBin(t, nil, "", append([]string{"check"}, api...)...)
	if code != 3 || stdout != "" || !strings.Contains(stderr, "revoked") {
		t.Errorf("check after revoke: exit %d, stdout %q, stderr %q; want 3 and 'revoked'", code, stdout, stderr)
	}
}

// eval "$(nestauth exchange … --format env)" in sh takes hostile server
// values as plain strings: nothing runs.
func TestE2EFormatEnvEval(t *testing.T) {
	t.Parallel()
	access := `at'; touch pwned1; echo '$(touch pwned2)` + "`touch pwned3`\"\\"
	refresh := `rt'"'"'$HOME;touch pwned4`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	script := shq(nestauthBin) + ` exchange --no-pkce --provider custom --client-id cid --token-url ` + shq(srv.URL+"/token") + ` --code X --format env > env.txt || exit 9
eval "$(cat env.txt)"
printf '%s\n%s\n%s\n' "$NESTAUTH_ACCESS_TOKEN" "$NESTAUTH_REFRESH_TOKEN" "$NESTAUTH_EXPIRY"`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "NESTAUTH_CLIENT_SECRET=cs"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh: %v\n%s", err, out)
	}
	lines := strings.Split(string(out), "\n")
	if len(lines) < 3 || lines[0] != access || lines[1] != refresh {
		t.Errorf("after eval: %q, want the access token %q and refresh token %q", out, access, refresh)
	}
	if _, err := time.Parse(time.RFC3339, lines[2]); err != nil {
		t.Errorf("NESTAUTH_EXPIRY = %q: %v", lines[2], err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "pwned*")); len(m) > 0 {
		t.Errorf("eval ran server text: %v", m)
	}
}
