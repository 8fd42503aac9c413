//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package profile

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// staleLock is how old a lock file must be to be taken for the leftover of
// a crashed run: far longer than one refresh request takes.
const staleLock = 2 * time.Minute

// fileLock is a lock file created with O_EXCL, for systems without flock:
// it exists while the lock is held. A crash leaves it behind, so one older
// than staleLock is removed.
type fileLock struct {
	path string
	held bool
}

func openLock(path string) (*fileLock, error) { return &fileLock{path: path}, nil }

func (l *fileLock) tryLock() (bool, error) {
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		fmt.Fprintf(f, "%d\n", os.Getpid())
		f.Close()
		l.held = true
		return true, nil
	}
	if !errors.Is(err, os.ErrExist) {
		return false, err
	}
	if fi, err := os.Stat(l.path); err == nil && time.Since(fi.ModTime()) > staleLock {
		os.Remove(l.path)
	}
	return false, nil
}

func (l *fileLock) close() {
	if l.held {
		os.Remove(l.path)
		l.held = false
	}
}

// markHeld does nothing: tryLock wrote the process ID.
func (l *fileLock) markHeld() {}

// holder is the process ID the holder wrote into the lock file.
func (l *fileLock) holder() int {
	b, _ := readLimited(l.path, 32)
	return pidIn(b)
}
