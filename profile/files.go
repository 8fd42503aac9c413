package profile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"nestauth/auth"
)

// The ground of the package: files read and written, and where secrets go.
// Every other file of the package uses this one; it uses none of them.

const isWindows = runtime.GOOS == "windows"

// Backend says where a profile's secrets are kept.
type Backend int

const (
	// Keyring is the OS keyring: Secret Service on Linux, the Keychain on
	// macOS, the Credential Manager on Windows.
	Keyring Backend = iota
	// File is secrets.json in the settings directory, mode 0600, not
	// encrypted: for machines without a keyring, by choice only.
	File
)

func (b Backend) String() string {
	if b == File {
		return "file"
	}
	return "keyring"
}

// ParseBackend reads the --store flag's values "keyring" and "file".
func ParseBackend(s string) (Backend, error) {
	switch s {
	case "keyring":
		return Keyring, nil
	case "file":
		return File, nil
	}
	return Keyring, fmt.Errorf("%q is not keyring or file", auth.Sanitize(s))
}

// FileError is a damaged settings file: where, and what is wrong there.
type FileError struct {
	Path string
	Line int // 1-based; 0 when the error is about the whole file
	Err  error
}

func (e *FileError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// readLimited reads at most limit bytes of path, and refuses a longer file.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &FileError{Path: path, Err: fmt.Errorf("over %d KiB: is it the right file?", limit>>10)}
	}
	return b, nil
}

// writeAtomic replaces path with b, mode 0600: a temporary file in the same
// directory, synced, then renamed over path, and the directory synced, so a
// crash leaves the old file or the new one, never half of one.
func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(0o600); err != nil && !isWindows {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename durable. Windows cannot open a directory for that.
func syncDir(dir string) error {
	if isWindows {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
