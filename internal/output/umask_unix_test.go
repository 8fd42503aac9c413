//go:build unix

package output

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The mode is 0600 whatever the umask lets through: a permissive umask does
// not widen it.
func TestWriteFileAtomicModeUnderUmask(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0))
	path := filepath.Join(t.TempDir(), "t")
	if err := WriteFileAtomic(path, []byte("x"), false); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}
