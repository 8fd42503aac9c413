//go:build linux

package cli

import (
	"fmt"
	"testing"

	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// TestLockHolderProcess holds the profile lock when HoldLock runs it.
func TestLockHolderProcess(*testing.T) { profiletest.LockHolderProcess() }

// While another process holds the profile lock, forget and exchange --save
// say so after about a second, naming it, and give up after --timeout; the
// exchanged token is printed all the same.
func TestProfileLockWaitSaysSoAndHonoursTimeout(t *testing.T) {
	env, st := profiletest.Env(t)
	env["NESTAUTH_CLIENT_SECRET"] = "cs"
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1"}`)
	exchange := []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", "id", "--token-url", tokenURL,
		"--code", "c", "--save", "--profile", "p", "--store", "file", "--timeout", "3s"}
	if r := runArgs(t, env, "", exchange...); r.code != 0 {
		t.Fatalf("exchange --save: exit %d, stderr %s", r.code, r.stderr)
	}
	holder := profiletest.HoldLock(t, st.Dir, "TestLockHolderProcess")
	waiting := fmt.Sprintf("pid %d) holds the profile lock", holder.Pid)

	r := runArgs(t, env, "", "forget", "--profile", "p", "--timeout", "3s")
	if r.code != exitFailure {
		t.Fatalf("forget: exit %d, stderr %s", r.code, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "nestauth: waiting: another process", waiting, "Giving up after --timeout 3s", "forgetting profile p: gave up waiting", "deadline exceeded")
	if _, err := st.Load("p"); err != nil {
		t.Errorf("forget that gave up deleted the profile: %v", err)
	}

	r = runArgs(t, env, "", exchange...)
	if r.code != exitFailure || testkit.DecodeToken(t, r.stdout).AccessToken != "at-1" {
		t.Fatalf("exchange --save: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), waiting, "profile p was not saved: gave up waiting", "The token goes to stdout all the same, and is good")
}
