//go:build unix

package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// closedAtStart reports whether f is what Go's runtime opens in place of a
// standard descriptor that was closed when the program started: /dev/null,
// for reading and writing. A shell's >/dev/null opens it write-only.
func closedAtStart(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	null, err := os.Stat(os.DevNull)
	if err != nil || !os.SameFile(fi, null) {
		return false
	}
	fl, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	return err == nil && fl&unix.O_ACCMODE == unix.O_RDWR
}
