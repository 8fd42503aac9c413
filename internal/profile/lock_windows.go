//go:build windows

package profile

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// fileLock is LockFileEx on the lock file: Windows drops it when the
// process dies, so a crash never leaves a stale lock.
type fileLock struct{ f *os.File }

func openLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &fileLock{f}, nil
}

func (l *fileLock) tryLock() (bool, error) {
	err := windows.LockFileEx(windows.Handle(l.f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, new(windows.Overlapped))
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return false, nil
	}
	return err == nil, err
}

// close releases the lock with the handle.
func (l *fileLock) close() { l.f.Close() }

// markHeld does nothing: the locked byte cannot be read by a waiter.
func (l *fileLock) markHeld() {}

// holder is unknown on Windows.
func (l *fileLock) holder() int { return 0 }
