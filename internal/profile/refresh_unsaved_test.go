package profile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
)

// lockingKeyring is the mock keyring, locked for writes from a moment on
// (a desktop session that locks the keyring while a refresh is out).
type lockingKeyring struct {
	*mockKeyring
	locked bool
}

func (k *lockingKeyring) Set(service, user, secret string) error {
	if k.locked {
		return errors.New("Cannot create an item in a locked collection")
	}
	return k.mockKeyring.Set(service, user, secret)
}

// A refresh that worked but could not be saved hands back its token, and
// says whether the refresh token it brought is lost; the mark stays for
// the next run.
func TestTokenRefreshedButUnsaved(t *testing.T) {
	st, kr := newStore(t)
	lk := &lockingKeyring{mockKeyring: kr}
	st.Keyring = lk
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	ts.Rotate = true
	saveCustom(t, st, "p", ts, profile.Keyring, time.Now().Add(-time.Hour))
	lk.locked = true
	_, err := st.Token(context.Background(), "p", time.Minute, nil)
	var u *profile.UnsavedError
	if !errors.As(err, &u) || u.Token.AccessToken != "access-1" || !u.Rotated {
		t.Fatalf("Token: %v (%#v), want an UnsavedError with access-1, rotated", err, u)
	}
	if _, err := os.Stat(filepath.Join(st.Dir, ".refreshing-p")); err != nil {
		t.Errorf("the mark of the unsaved refresh is gone: %v", err)
	}
}

// A refresh that was saved leaves no mark behind.
func TestTokenRefreshLeavesNoMark(t *testing.T) {
	st, _ := newStore(t)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "p", ts, profile.File, time.Now().Add(-time.Hour))
	if _, err := st.Token(context.Background(), "p", time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(st.Dir, ".refreshing-p")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a mark is left: %v", err)
	}
}
