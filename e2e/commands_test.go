package e2e

// The commands a script or a person at a prompt runs beside the wizard:
// exchange asking for the code unseen, exchange --output, check and revoke.

import (
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

// exchange asks for the code, hidden, when stdin is a terminal.
func TestE2EExchangeCodePrompt(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	code := fake.IssueCode()
	tm := startScript(t, 80, 24, map[string]string{"NESTAUTH_CLIENT_SECRET": nestSecret},
		"nestauth exchange --provider nest --client-id "+nestID+" --token-url "+shq(fake.TokenURL())+" > stdout\n"+exitLine)
	waitFor(t, tm, "Code or redirect URL (input hidden):")
	tm.typeText(code)
	tm.keys("Enter")
	if c := tm.exitCode(); c != 0 {
		t.Fatalf("exit %d", c)
	}
	if strings.Contains(tm.screen(), code) {
		t.Errorf("the code was echoed:\n%s", tm.screen())
	}
	testkit.DecodeToken(t, tm.waitFile("stdout"))
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
