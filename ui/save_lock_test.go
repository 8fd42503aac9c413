//go:build linux

package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
)

// TestLockHolderProcess holds the profile lock when HoldLock runs it.
func TestLockHolderProcess(*testing.T) { profiletest.LockHolderProcess() }

// While another process holds the profile lock, s says after about a
// second that the save waits and who holds the lock; esc gives up the save
// and keeps the token on screen.
func TestSaveWaitingForTheLockEscGivesUp(t *testing.T) {
	st := profile.Store{Dir: filepath.Join(t.TempDir(), "nestauth")}
	holder := profiletest.HoldLock(t, st.Dir, "TestLockHolderProcess")
	save := func(ctx context.Context, cfg auth.Config, tok *auth.Token) (profile.Saved, error) {
		return st.SaveContext(ctx, "work", profile.SettingsFor(cfg, profile.File), profile.SecretsFor(cfg, tok))
	}
	m := toToken(t, Options{Save: save, Profile: "work", Timeout: 20 * time.Second})
	_, cmd := m.Update(char('s'))
	wantView(t, m, "Saving profile work…")
	waiting, ok := cmd().(saveWaitingMsg) // about a second: the save waits
	if !ok {
		t.Fatalf("the save did not wait for the lock: %v", waiting)
	}
	_, end := m.Update(waiting)
	wantView(t, m, "Saving profile work: waiting, another process", fmt.Sprintf("pid %d) holds the profile lock", holder.Pid),
		"esc gives up the save", "esc give up saving")

	m = send(t, m, esc)
	wantStep(t, m, stepToken)
	m = send(t, m, end()) // the save's end, now that it gave up
	wantStep(t, m, stepToken)
	wantView(t, m, "Gave up saving profile work: nothing was saved", "The token is still here", m.token.AccessToken)
	if m.Saved() != nil {
		t.Errorf("Saved() = %+v after giving up", m.Saved())
	}
	if _, err := st.Load("work"); err == nil {
		t.Errorf("the profile was saved after giving up")
	}
}
