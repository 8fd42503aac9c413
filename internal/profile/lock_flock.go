//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package profile

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// fileLock is flock(2) on the lock file: the kernel drops it when the
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
	err := unix.Flock(int(l.f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) || errors.Is(err, unix.EINTR) {
		return false, nil
	}
	return err == nil, err
}

// close releases the lock with the file. The file stays: removing it would
// let a waiter lock a file that a newcomer no longer sees.
func (l *fileLock) close() { l.f.Close() }
