package profile

import (
	"fmt"
	"io"
	"os"
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
