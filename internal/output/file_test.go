package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// names lists dir, to see that no temporary file is left behind.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, e := range entries {
		n = append(n, e.Name())
	}
	return n
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name    string
		before  string // the file's content before, "" for none
		mode    fs.FileMode
		force   bool
		wantErr error
		want    string // the content after
	}{
		{name: "new file", want: "token"},
		{name: "existing file, no force: untouched", before: "old", mode: 0o644, wantErr: fs.ErrExist, want: "old"},
		{name: "existing world-readable file, force: replaced with 0600", before: "old", mode: 0o644, force: true, want: "token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "token.json")
			if tt.before != "" {
				if err := os.WriteFile(path, []byte(tt.before), tt.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.mode); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFileAtomic(path, []byte("token"), tt.force)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("WriteFileAtomic = %v, want %v", err, tt.wantErr)
			}
			got, rerr := os.ReadFile(path)
			if rerr != nil || string(got) != tt.want {
				t.Errorf("the file holds %q (%v), want %q", got, rerr, tt.want)
			}
			if n := names(t, dir); !slices.Equal(n, []string{"token.json"}) {
				t.Errorf("the directory holds %v, want token.json alone", n)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			wantMode := FileMode
			if tt.wantErr != nil {
				wantMode = tt.mode
			}
			if runtime.GOOS != "windows" && fi.Mode().Perm() != wantMode {
				t.Errorf("mode = %v, want %v", fi.Mode().Perm(), wantMode)
			}
		})
	}
}

// A symlink at the path is a file there: refused without force, replaced
// (not followed) with force.
func TestWriteFileAtomicSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatalf("symlink: %v", err)
	}
	if err := WriteFileAtomic(link, []byte("token"), false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("no force: error = %v, want fs.ErrExist", err)
	}
	if err := WriteFileAtomic(link, []byte("token"), true); err != nil {
		t.Fatalf("force: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the symlink's target now holds %q: it was followed", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink != 0 {
		t.Errorf("the link is still a symlink (%v)", err)
	}
}

// A failed write leaves no file and no temporary file.
func TestWriteFileAtomicFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
	}{
		{name: "a directory in the way, forced", path: dir},
		{name: "no such directory", path: filepath.Join(dir, "missing", "token.json")},
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	tests[0].path = filepath.Join(dir, "sub")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteFileAtomic(tt.path, []byte("token"), true); err == nil {
				t.Fatal("WriteFileAtomic succeeded")
			}
			if n := names(t, dir); !slices.Equal(n, []string{"sub"}) {
				t.Errorf("the directory holds %v, want only sub", n)
			}
			if n := names(t, filepath.Join(dir, "sub")); len(n) != 0 {
				t.Errorf("sub holds %v, want nothing", n)
			}
		})
	}
}

// A relative path lands in the working directory.
func TestWriteFileAtomicRelative(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := WriteFileAtomic("token.json", []byte("x"), false); err != nil {
		t.Fatal(err)
	}
	if n := names(t, dir); !slices.Equal(n, []string{"token.json"}) {
		t.Errorf("the directory holds %v", n)
	}
}
