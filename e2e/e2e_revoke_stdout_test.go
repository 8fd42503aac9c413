package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth/fakenest"
)

// revoke writes nothing to stdout, so a stdout that cannot be written is no
// reason to refuse it (the real binary, stdout on /dev/full).
func TestE2ERevokeIgnoresAFullStdout(t *testing.T) {
	t.Parallel()
	fake := fakenest.NewTest(t, nestID, nestSecret)
	tok := fake.IssueToken()
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(tok), 0o600); err != nil {
		t.Fatal(err)
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	stderr, code := runBinStdout(t, nil, full, "revoke", "--provider", "nest", "--revoke-url", fake.RevokeURL(), "--token-file", file)
	if code != 0 || !strings.Contains(stderr, "revoked") || fake.TokenValid(tok) {
		t.Errorf("revoke with stdout on /dev/full: exit %d, stderr %q, token still valid: %v", code, stderr, fake.TokenValid(tok))
	}
}
