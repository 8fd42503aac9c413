//go:build linux || darwin || freebsd

package cli

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// roomFor fails when f is a file on a file system with less than n bytes
// free: a write of nothing finds no full disk. A pipe or terminal passes.
func roomFor(f *os.File, n int64) error {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &st); err != nil {
		return nil
	}
	if free := uint64(st.Bavail) * uint64(st.Bsize); free < uint64(n) {
		return fmt.Errorf("%w: %d bytes free", syscall.ENOSPC, free)
	}
	return nil
}
