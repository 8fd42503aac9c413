//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package profile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

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

// markHeld writes this process's ID into the lock file, for a waiter to name.
func (l *fileLock) markHeld() {
	if l.f.Truncate(0) == nil {
		_, _ = l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
}

// holder is the process that holds the lock: from /proc/locks where there
// is one (it names whoever took it, nestauth or not), else the ID the
// holder wrote into the file; 0 when neither says.
func (l *fileLock) holder() int {
	var st unix.Stat_t
	if unix.Fstat(int(l.f.Fd()), &st) == nil {
		if f, err := os.Open("/proc/locks"); err == nil {
			defer f.Close()
			id := fmt.Sprintf("%02x:%02x:%d", unix.Major(uint64(st.Dev)), unix.Minor(uint64(st.Dev)), st.Ino)
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				// 1: FLOCK  ADVISORY  WRITE 3012 00:2b:1234 0 EOF; a waiter's line has "->".
				fields := strings.Fields(sc.Text())
				if len(fields) >= 6 && fields[1] == "FLOCK" && fields[5] == id {
					if pid, err := strconv.Atoi(fields[4]); err == nil {
						return pid
					}
				}
			}
			return 0
		}
	}
	b, _ := io.ReadAll(io.LimitReader(io.NewSectionReader(l.f, 0, 32), 32))
	return pidIn(b)
}
