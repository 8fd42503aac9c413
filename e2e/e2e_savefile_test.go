package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"nestauth/internal/profile"
)

// Without a keyring (no D-Bus session in the wizard's environment), s fails;
// f then saves the profile with its secrets in the secrets file, after a y,
// through main's wiring of Options.SaveToFile.
func TestE2ESaveToFileAfterTheKeyringFailed(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	dir := filepath.Join(t.TempDir(), "config")
	w := nestWizard(fake, nestSecret)
	w.env["NESTAUTH_CONFIG_DIR"] = dir
	w.args = append(w.args, "--profile", "nokeyring")
	tm := startWizard(t, w)
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	tm.paste(fake.IssueCode())
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	tm.keys("s")
	waitFor(t, tm, "f saves it")
	tm.keys("f")
	waitFor(t, tm, "y saves there")
	tm.keys("y")
	waitFor(t, tm, "Saved profile nokeyring")
	fi, err := os.Stat(filepath.Join(dir, profile.SecretsFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secrets file: %v, %v; want mode 0600", fi, err)
	}
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != tok+"\n" {
		t.Fatalf("the wizard: exit %d, stdout %q", code, out)
	}
}
