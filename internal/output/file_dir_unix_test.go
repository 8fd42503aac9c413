//go:build unix

package output

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The temporary file is made beside the target, not in the working
// directory: here the working directory no longer exists.
func TestWriteFileAtomicTempBesideTheTarget(t *testing.T) {
	dir := t.TempDir()
	gone := filepath.Join(t.TempDir(), "gone")
	if err := os.Mkdir(gone, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Chdir(gone)
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "token.json"), []byte("x"), false); err != nil {
		t.Fatalf("WriteFileAtomic with a removed working directory: %v", err)
	}
	if n := names(t, dir); !slices.Equal(n, []string{"token.json"}) {
		t.Errorf("the directory holds %v", n)
	}
}
