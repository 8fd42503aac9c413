//go:build linux

package e2e

// A full disk, for real: a tmpfs of fixed size, mounted for the test (as
// root, which CI is), and filled to the last byte.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"nestauth/internal/testkit"
)

// smallDisk mounts a 256 KiB tmpfs on a directory of its own and returns
// the directory; it is unmounted when the test ends.
func smallDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=256k,mode=0700"); err != nil {
		unavailable(t, testkit.Need{Name: "root (to mount a tmpfs)", How: "Run them as root, as CI does."}, fmt.Sprintf("mounting a tmpfs needs root (mount: %v)", err))
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fillDisk fills the file system of dir until a write fails with ENOSPC;
// removing the file it returns makes room again.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	f, err := os.CreateTemp(dir, "filler-*")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	for n := 4095; n > 0; n /= 2 { // the last partial block
		_, _ = f.Write(block[:n])
	}
	_ = f.Sync()
	return f.Name()
}

// diskFullPath is a file on a full disk.
func diskFullPath(t *testing.T, name string) string {
	t.Helper()
	dir := smallDisk(t)
	fillDisk(t, dir)
	return filepath.Join(dir, name)
}
