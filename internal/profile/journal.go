package profile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"nestauth/internal/output"
)

// A save or a forget changes two places, the settings file and the
// secrets; the journal makes them one step. Under the lock, before the first
// change, the journal file says what the step leaves behind; after the last
// it is removed. A journal found under the lock was left by a run that died
// mid-step: the next run finishes it (a forget; a save whose secrets were
// written) or drops it (a save whose secrets were not), so that a reader
// sees the old profile or the new one, never settings of one with secrets of
// the other.

// JournalFile is the journal's name in the settings directory: it exists
// while a save or a forget is under way, or was cut off.
const JournalFile = "pending.json"

// journal is one save or forget under way.
type journal struct {
	Op   string `json:"op"` // journalSave or journalForget
	Name string `json:"name"`
	// A save: the settings file it writes, where the secrets go (and were,
	// when they move), and a digest of them (not the secrets).
	Settings     string `json:"settings,omitempty"`
	SecretsIn    string `json:"secrets_in,omitempty"`
	OldSecretsIn string `json:"old_secrets_in,omitempty"`
	Digest       string `json:"secrets_sha256,omitempty"`
}

const (
	journalSave   = "save"
	journalForget = "forget"
)

// maxJournal bounds what is read: a settings file and a little more.
const maxJournal = 2 * maxSettingsFile

// digest identifies sec as a backend gives it back, without holding it:
// the parts of an access token go with it.
func digest(sec Secrets) string {
	if sec.AccessToken == "" {
		sec.TokenType, sec.Scope, sec.Expiry = "", "", sec.Expiry.UTC()
	}
	sec.Expiry = sec.Expiry.UTC()
	b, _ := json.Marshal(sec)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func journalPath(dir string) string { return filepath.Join(dir, JournalFile) }

// writeJournal records j durably before the step begins.
func writeJournal(dir string, j journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := output.WriteFileAtomic(journalPath(dir), b, true); err != nil {
		return fmt.Errorf("cannot begin the change: %w", err)
	}
	return nil
}

// readJournal reads the journal; nil when there is none.
func readJournal(dir string) (*journal, error) {
	b, err := readLimited(journalPath(dir), maxJournal)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil || j.Op != journalSave && j.Op != journalForget || ValidateName(j.Name) != nil {
		return nil, &FileError{Path: journalPath(dir), Err: errors.New("damaged: a save or forget was cut off; remove the file, then check the profile with 'nestauth profiles'")}
	}
	return &j, nil
}

// journalExists reports whether a save or forget is under way, or was cut off.
func journalExists(dir string) bool {
	_, err := os.Lstat(journalPath(dir))
	return !errors.Is(err, os.ErrNotExist)
}

// removeJournal ends the step.
func removeJournal(dir string) error {
	err := os.Remove(journalPath(dir))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// removeStaleTemps removes the temporary files a run killed mid-write left
// in dir: the secrets file's hold every secret. Only with the lock held,
// when no other run writes them.
func removeStaleTemps(dir string) {
	for _, file := range []string{SettingsFile, SecretsFile, JournalFile} {
		found, _ := filepath.Glob(filepath.Join(dir, "."+file+".tmp-*"))
		for _, f := range found {
			_ = os.Remove(f)
		}
	}
}
