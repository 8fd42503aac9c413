//go:build unix

package profile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"nestauth/internal/profile"
)

// A settings file of another user is refused, whatever its mode: its owner
// chooses where the secrets go. Root's are trusted, as ssh trusts them.
func TestSettingsOfAnotherUserRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nestauth")
	path := filepath.Join(dir, profile.SettingsFile)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("[profile a]\nprovider = sdm\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := profile.CheckTrusted(dir, os.Geteuid()); err != nil {
		t.Fatalf("our own settings: %v", err)
	}
	// As root the file really changes hands; otherwise nestauth is told it
	// runs as someone else, which is the same to it.
	me := os.Geteuid()
	if err := os.Chown(path, 4242, -1); err != nil {
		me++
	}
	err := profile.CheckTrusted(dir, me)
	var ue *profile.UntrustedError
	if !errors.As(err, &ue) || ue.Path != path || !strings.Contains(err.Error(), "belongs to another user") || !strings.Contains(err.Error(), "sudo chown "+strconv.Itoa(me)+" "+path) {
		t.Errorf("checkTrusted = %v; want %s refused as another user's, with the chown to run", err, path)
	}
}

// What is read is the link's target: a link (mode 0777 itself) to a private
// file is trusted, a link to a file others can change is not.
func TestSettingsLinkJudgedByItsTarget(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nestauth")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "dotfiles-profiles.conf")
	if err := os.WriteFile(target, []byte("[profile a]\nprovider = sdm\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, profile.SettingsFile)); err != nil {
		t.Fatal(err)
	}
	st := profile.Store{Dir: dir, Keyring: newMockKeyring()}
	if _, err := st.Load("a"); err != nil {
		t.Errorf("a link to a private file: %v", err)
	}
	if err := os.Chmod(target, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load("a"); err == nil || !strings.Contains(err.Error(), target+" can be changed by others (mode 0666)") {
		t.Errorf("a link to a file everyone can change: %v, want a refusal", err)
	}
}

// Save into a directory others can change writes nothing there; a
// directory that does not exist yet is made 0700.
func TestSaveRefusesALooseDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nestauth")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o775); err != nil {
		t.Fatal(err)
	}
	st := profile.Store{Dir: dir, Keyring: failingKeyring{errNoDBus}}
	set := sdmSettings()
	set.SecretsIn = profile.File
	_, err := st.Save("a", set, someSecrets())
	if err == nil || !strings.Contains(err.Error(), "chmod 700 "+dir) {
		t.Errorf("Save = %v, want a refusal saying chmod 700 %s", err, dir)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Save wrote %v into a directory others can change", entries)
	}

	fresh := profile.Store{Dir: filepath.Join(t.TempDir(), "new", "nestauth"), Keyring: failingKeyring{errNoDBus}}
	if _, err := fresh.Save("a", set, someSecrets()); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh.Dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the new directory: %v, %v; want mode 0700", fi.Mode(), err)
	}
}
