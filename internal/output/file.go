package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// FileMode is the mode of every file nestauth writes: it holds a token.
const FileMode fs.FileMode = 0o600

// WriteFileAtomic writes data to path with mode 0600: into a temporary file
// in the same directory, synced, then moved into place, so path never holds
// part of the data. Without force an existing path is left alone and the
// error satisfies errors.Is(err, fs.ErrExist): ask again, then pass force.
// With force a file (or a symlink, not what it points to) is replaced.
func WriteFileAtomic(path string, data []byte, force bool) (err error) {
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return &fs.PathError{Op: "write", Path: path, Err: fs.ErrExist}
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes 0600 files already; Chmod says so where it matters.
	if err = tmp.Chmod(FileMode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if force {
		err = os.Rename(tmp.Name(), path)
	} else {
		err = place(tmp.Name(), path)
	}
	if err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// place moves tmp to path unless path exists, atomically where the file
// system has hard links: a link fails on an existing name, where a rename
// would replace it.
func place(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		_ = os.Remove(tmp) // the file is in place; a stray link is harmless
		return nil
	case errors.Is(err, fs.ErrExist):
		return &fs.PathError{Op: "write", Path: path, Err: fs.ErrExist}
	}
	// No hard links here (some network and FUSE file systems): check, then
	// rename, which leaves a moment for another writer.
	if _, statErr := os.Lstat(path); statErr == nil {
		return &fs.PathError{Op: "write", Path: path, Err: fs.ErrExist}
	}
	return os.Rename(tmp, path)
}

// syncDir makes the new directory entry durable. Not every system can sync
// a directory (Windows cannot open one); the data itself is already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
