//go:build unix

package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// checkTrusted refuses a settings directory, or a settings or secrets file
// in it, that another user could change: whoever edits the settings chooses
// where the client secret and the refresh token are sent. me is the user
// nestauth runs as; root's files are trusted too, as ssh trusts them. What
// does not exist yet is no risk: Save creates it, 0700 and 0600.
func checkTrusted(dir string, me int) error {
	if err := trusted(dir, me, "700"); err != nil {
		return err
	}
	for _, name := range []string{SettingsFile, SecretsFile, JournalFile} { // the journal holds settings the next run writes
		if err := trusted(filepath.Join(dir, name), me, "600"); err != nil {
			return err
		}
	}
	return nil
}

// trusted checks one path, following links: what is read is the target.
// mode is what the advice chmods it to.
func trusted(path string, me int, mode string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if li, err := os.Lstat(path); err == nil && li.Mode()&os.ModeSymlink != 0 {
		if real, err := filepath.EvalSymlinks(path); err == nil {
			path = real // name what to fix: the link's target
		}
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != me && st.Uid != 0 {
		return &UntrustedError{Path: path, Why: fmt.Sprintf("belongs to another user (uid %d)", st.Uid),
			Fix: fmt.Sprintf("If it is yours, take it over (sudo chown %d %s); else move it away.", me, path)}
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return &UntrustedError{Path: path, Why: fmt.Sprintf("can be changed by others (mode %04o)", perm),
			Fix: fmt.Sprintf("Run chmod %s %s", mode, path)}
	}
	return nil
}
