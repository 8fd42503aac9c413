package profiletest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
)

// A process that holds the settings directory's lock the way a nestauth
// stopped mid-refresh does: another process, a real lock.

// lockDirEnv names the settings directory whose lock a helper holds.
const lockDirEnv = "NESTAUTH_TEST_HOLD_LOCK"

// holderProfile is the profile the holder refreshes to hold the lock.
const holderProfile = "lock-holder"

// HoldLock starts this test binary's test named helper (which calls
// LockHolderProcess) as a process that holds dir's profile lock, and
// returns it once the lock is held. It holds it until the test ends, or
// until the process is ended. It saves a profile lock-holder in dir (secrets
// in the file) to refresh.
func HoldLock(t testing.TB, dir, helper string) *os.Process {
	t.Helper()
	set := profile.SettingsFor(auth.Config{Provider: auth.Custom(), ClientID: "holder"}, profile.File)
	set.AuthURL, set.TokenURL = "http://127.0.0.1:9/authorize", "http://127.0.0.1:9/token"
	expired := profile.Secrets{RefreshToken: "rt", AccessToken: "at", Expiry: time.Now().Add(-time.Hour)}
	if _, err := (profile.Store{Dir: dir}).Save(holderProfile, set, expired); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockDirEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("the lock holder said %q, %v: %s", line, err, stderr.String())
	}
	return cmd.Process
}

// LockHolderProcess is the body of the helper test HoldLock runs: in that
// process it takes the lock (a refresh that never ends) and holds it until
// its stdin closes; anywhere else it does nothing.
func LockHolderProcess() {
	dir := os.Getenv(lockDirEnv)
	if dir == "" {
		return
	}
	_, err := profile.Store{Dir: dir}.Token(context.Background(), holderProfile, 0,
		func(context.Context, auth.Config, string) (*auth.Token, error) {
			fmt.Println("locked")
			_, _ = io.Copy(io.Discard, os.Stdin)
			os.Exit(0)
			return nil, nil
		})
	fmt.Fprintln(os.Stderr, "lock holder:", err)
	os.Exit(1)
}
