package profile

// The mark a refresh leaves in the settings directory from just before
// its request goes out until its answer is saved. It holds, while the
// request is out, the room the save will need (a full disk is found before
// the refresh token is sent, not after the server has replaced it), and if
// the run is killed, it tells the next run that a refresh was cut off.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"nestauth/auth"
)

// answerRoom is the room a refresh's answer needs besides what the secrets
// take now: a token response with an ID token is a few KiB.
const answerRoom = 64 << 10

// refreshMark is one refresh's mark; the zero time in earlier means no
// earlier refresh was cut off.
type refreshMark struct {
	path    string
	header  int64     // the mark without its reserved room
	earlier time.Time // when an earlier refresh, never finished, was sent
}

// markPath is profile name's mark in the settings directory dir.
func markPath(dir, name string) string { return filepath.Join(dir, ".refreshing-"+name) }

const markTime = time.RFC3339

// beginRefresh marks a refresh of profile name, whose secrets are in b,
// about to be sent, and reserves the room its answer will take when saved.
// A mark already there was left by a refresh that never finished. An error
// means nothing may be sent: the answer could not be kept.
func beginRefresh(dir, name string, b Backend) (*refreshMark, error) {
	m := &refreshMark{path: markPath(dir, name)}
	if f, err := os.Open(m.path); err == nil { // its first line: when
		head := make([]byte, 64)
		n, _ := io.ReadFull(f, head)
		f.Close()
		line, _, _ := strings.Cut(string(head[:n]), "\n")
		m.earlier, _ = time.Parse(markTime, strings.TrimSpace(line))
	}
	room := int64(answerRoom)
	if b == File {
		if fi, err := os.Stat(filepath.Join(dir, SecretsFile)); err == nil {
			room += fi.Size() // the file is written anew, beside the old one
		}
	}
	header := time.Now().UTC().Format(markTime) + "\nA refresh of profile " + name + " was sent then, and its answer is not saved yet.\n"
	m.header = int64(len(header))
	err := writeSynced(m.path, append([]byte(header), make([]byte, room)...))
	if err != nil {
		_ = os.Remove(m.path)
		if m.earlier.IsZero() {
			return nil, fmt.Errorf("there is no room in %s to save a refreshed token (%w): nothing was sent, and the saved refresh token still works. Free some space, then run again", dir, err)
		}
		// Keep the earlier mark: its refresh is still unexplained.
		_ = writeSynced(m.path, []byte(m.earlier.Format(markTime)+"\n"))
		return nil, fmt.Errorf("there is no room in %s to save a refreshed token (%w): nothing was sent. Free some space, then run again", dir, err)
	}
	return m, nil
}

// writeSynced writes b to path, mode 0600, and waits until it is on disk.
func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// saving gives the reserved room to the save that follows.
func (m *refreshMark) saving() { _ = os.Truncate(m.path, m.header) }

// done removes the mark: the answer is saved.
func (m *refreshMark) done() { _ = os.Remove(m.path) }

// failed ends the mark of a refresh that brought no token. A request that
// may have been answered (MaybeSpent) keeps it, for the next run; a
// refusal of the refresh token after an earlier refresh was cut off says so.
func (m *refreshMark) failed(err error) error {
	var e *auth.Error
	if errors.As(err, &e) && e.MaybeSpent() {
		m.saving()
		return err
	}
	m.done()
	if !m.earlier.IsZero() && e != nil && e.Kind == auth.KindCode && e.Refresh {
		return &CutOffError{At: m.earlier, Err: err}
	}
	return err
}

// CutOffError is a refresh token refused after an earlier refresh of the
// profile was cut off (killed, or its answer lost) once its request had
// gone out: the server most likely moved on to a refresh token that was
// never saved. It wraps the refusal.
type CutOffError struct {
	At  time.Time // when the earlier refresh was sent
	Err error
}

func (e *CutOffError) Error() string { return e.Err.Error() }

func (e *CutOffError) Unwrap() error { return e.Err }

// Why says what happened, as a sentence.
func (e *CutOffError) Why() string {
	return fmt.Sprintf("An earlier refresh of this profile, sent at %s, was cut off before its answer was saved: the server has moved on to a refresh token that was never kept.",
		e.At.Local().Format("2006-01-02 15:04:05"))
}

// UnsavedError is a refresh that worked but whose answer could not be
// saved. Token is good until it expires; a rotated refresh token is lost
// (Rotated), and the session with it once Token expires.
type UnsavedError struct {
	Token   *auth.Token
	Rotated bool // the server sent a new refresh token, which was not kept
	Err     error
}

func (e *UnsavedError) Error() string {
	return fmt.Sprintf("the refresh worked but its token could not be saved: %v", e.Err)
}

func (e *UnsavedError) Unwrap() error { return e.Err }
