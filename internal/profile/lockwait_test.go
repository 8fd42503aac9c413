//go:build linux

package profile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
)

// TestLockHolderProcess holds the profile lock when HoldLock runs it.
func TestLockHolderProcess(*testing.T) { profiletest.LockHolderProcess() }

// A forget waiting for the lock that another process holds, stopped as by
// ctrl+Z, says after about a second who holds it and that it is stopped,
// and gives up when its context ends; the profile stays.
func TestLockWaitSaysWhoHoldsItAndGivesUp(t *testing.T) {
	st, _ := newStore(t)
	set := sdmSettings()
	set.SecretsIn = profile.File
	if _, err := st.Save("p", set, someSecrets()); err != nil {
		t.Fatal(err)
	}
	holder := profiletest.HoldLock(t, st.Dir, "TestLockHolderProcess")
	if err := holder.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // bounds a wait that never says so
	defer cancel()
	var waits []profile.LockWait
	ctx = profile.OnLockWait(ctx, func(w profile.LockWait) {
		waits = append(waits, w)
		cancel() // give up, as esc does
	})
	_, err := st.ForgetContext(ctx, "p")
	var le *profile.LockError
	if !errors.As(err, &le) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Forget: %v, want a *LockError", err)
	}
	if len(waits) != 1 || waits[0].PID != holder.Pid || !waits[0].Stopped {
		t.Fatalf("waits %+v; want one naming pid %d, stopped", waits, holder.Pid)
	}
	for _, want := range []string{fmt.Sprintf("pid %d) holds the profile lock", holder.Pid), "it is stopped", fmt.Sprintf("kill %d", holder.Pid)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if _, err := st.Load("p"); err != nil {
		t.Errorf("the profile went: %v", err)
	}

	// Once the holder is gone, the lock is free.
	_ = holder.Kill()
	ctx, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	if _, err := st.ForgetContext(ctx, "p"); err != nil {
		t.Errorf("Forget after the holder ended: %v", err)
	}
}
