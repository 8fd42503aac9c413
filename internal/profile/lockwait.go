package profile

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"nestauth/auth"
)

// What a run waiting for the settings directory's lock can say about it:
// who holds it, and when to speak up.

// lockNotice is how long a wait for the lock goes unsaid.
const lockNotice = time.Second

// LockWait says who holds the lock a run is waiting for.
type LockWait struct {
	Path    string // the lock file
	PID     int    // the holder's process ID; 0 when it cannot be known
	Command string // the holder's command name, when known
	Stopped bool   // the holder is stopped (ctrl+Z): it will not let go by itself
}

func (w LockWait) String() string {
	who, detail := "another nestauth", []string(nil)
	if w.Command != "" && w.Command != "nestauth" {
		who, detail = "another process", append(detail, auth.Sanitize(w.Command))
	}
	if w.PID > 0 {
		detail = append(detail, "pid "+strconv.Itoa(w.PID))
	}
	if len(detail) > 0 {
		who += " (" + strings.Join(detail, ", ") + ")"
	}
	s := who + " holds the profile lock " + w.Path
	if w.Stopped {
		s += fmt.Sprintf("; it is stopped (ctrl+Z?): resume it with fg, or end it with kill %d", w.PID)
	}
	return s
}

type lockWaitKey struct{}

// OnLockWait returns ctx with fn, which a save, a forget or a refresh
// under ctx calls once when its wait for the settings directory's lock has
// lasted about a second.
func OnLockWait(ctx context.Context, fn func(LockWait)) context.Context {
	return context.WithValue(ctx, lockWaitKey{}, fn)
}

func lockWaitFunc(ctx context.Context) func(LockWait) {
	fn, _ := ctx.Value(lockWaitKey{}).(func(LockWait))
	return fn
}

// LockError is a wait for the lock that ended, by its context, before the
// lock was free.
type LockError struct {
	Wait LockWait
	Err  error // the context's
}

func (e *LockError) Error() string {
	return fmt.Sprintf("gave up waiting: %s (%v)", e.Wait, e.Err)
}

func (e *LockError) Unwrap() error { return e.Err }

// newLockWait describes the holder pid of the lock at path: its command
// and whether it is stopped, where /proc says.
func newLockWait(path string, pid int) LockWait {
	w := LockWait{Path: path, PID: pid}
	if pid <= 0 {
		return w
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil {
		w.Command = string(bytes.TrimSpace(b))
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// pid (comm) S ...: the state follows the last ')'.
		if i := bytes.LastIndexByte(b, ')'); i >= 0 {
			f := strings.Fields(string(b[i+1:]))
			w.Stopped = len(f) > 0 && (f[0] == "T" || f[0] == "t")
		}
	}
	return w
}

// pidIn reads the process ID a lock holder wrote into the lock file; 0 when
// there is none.
func pidIn(b []byte) int {
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
