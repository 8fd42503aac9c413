// Package keyringtest tests the profile store against the machine's real
// keyring (Secret Service on Linux): .ci/run starts gnome-keyring-daemon in
// a D-Bus session for it. It lives apart from package profile's tests, which
// swap go-keyring's real keyring for its mock for the whole test binary.
package keyringtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// realKeyring fails the test in CI, and skips it elsewhere, when no keyring
// answers.
func realKeyring(t *testing.T) {
	t.Helper()
	_, err := keyring.Get(profile.Service, "nestauth-test-probe")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return
	}
	testkit.Unavailable(t, testkit.SecretService, fmt.Sprintf("no Secret Service answers (%v)", err))
}

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.ReportMissingAfterRun("profile/keyringtest") // the tests that skipped for want of a Secret Service
	os.Exit(code)
}

// uniqueName keeps the test's entries apart from a person's own profiles
// and from a parallel run's.
func uniqueName(t *testing.T) string {
	name := fmt.Sprintf("test-%d-%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		for _, what := range []string{"client_secret", "refresh_token", "access_token"} {
			_ = keyring.Delete(profile.Service, name+"/"+what)
		}
	})
	return name
}

func customSettings(ts *profiletest.TokenServer) profile.Settings {
	set := profile.SettingsFor(auth.Config{Provider: auth.Custom(), ClientID: ts.ClientID}, profile.Keyring)
	set.AuthURL, set.TokenURL = ts.URL+"/authorize", ts.TokenURL()
	return set
}

func TestRealKeyringSaveLoadTokenForget(t *testing.T) {
	realKeyring(t)
	st := profile.Store{Dir: filepath.Join(t.TempDir(), "nestauth")}
	name := uniqueName(t)
	ts := profiletest.NewTokenServer(t, "client", "client-secret-in-the-keyring", "refresh-0")
	sec := profile.Secrets{ClientSecret: ts.ClientSecret, RefreshToken: "refresh-0", AccessToken: "access-0", TokenType: "Bearer",
		Expiry: time.Now().Add(-time.Minute).UTC().Truncate(time.Second)}
	saved, err := st.Save(name, customSettings(ts), sec)
	if err != nil {
		t.Fatal(err)
	}
	if saved.SecretsIn != profile.Keyring {
		t.Errorf("saved = %+v", saved)
	}

	// The secrets are in the keyring itself, and nowhere on disk.
	if v, err := keyring.Get(profile.Service, name+"/refresh_token"); err != nil || v != "refresh-0" {
		t.Errorf("the keyring's refresh token = %q, %v", v, err)
	}
	if v, err := keyring.Get(profile.Service, name+"/client_secret"); err != nil || v != ts.ClientSecret {
		t.Errorf("the keyring's client secret = %q, %v", v, err)
	}
	filepath.WalkDir(st.Dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), ts.ClientSecret) || strings.Contains(string(b), "refresh-0") {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})

	p, err := st.Load(name)
	if err != nil || p.Secrets != sec {
		t.Fatalf("Load = %+v, %v; want %+v", p.Secrets, err, sec)
	}

	tok, err := st.Token(context.Background(), name, time.Minute, nil)
	if err != nil || tok.AccessToken != "access-1" || ts.Requests() != 1 {
		t.Fatalf("Token = %+v, %v after %d requests", tok, err, ts.Requests())
	}
	if v, err := keyring.Get(profile.Service, name+"/refresh_token"); err != nil || v != "refresh-1" {
		t.Errorf("the rotated refresh token was not saved: %q, %v", v, err)
	}
	if tok, err := st.Token(context.Background(), name, time.Minute, nil); err != nil || tok.AccessToken != "access-1" || ts.Requests() != 1 {
		t.Errorf("the cached token: %+v, %v after %d requests", tok, err, ts.Requests())
	}

	gone, err := st.Forget(name)
	if err != nil || len(gone) != 4 {
		t.Fatalf("Forget = %q, %v", gone, err)
	}
	for _, what := range []string{"client_secret", "refresh_token", "access_token"} {
		if _, err := keyring.Get(profile.Service, name+"/"+what); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("keyring entry %s/%s after Forget: %v", name, what, err)
		}
	}
	if _, err := os.Stat(filepath.Join(st.Dir, profile.SettingsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the settings file is still there: %v", err)
	}
}

func TestRealKeyringConcurrentRefresh(t *testing.T) {
	realKeyring(t)
	t.Run("goroutines", func(t *testing.T) {
		st := profile.Store{Dir: t.TempDir()}
		name := uniqueName(t)
		ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
		ts.Delay = 50 * time.Millisecond
		save(t, st, name, ts)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				tok, err := st.Token(context.Background(), name, time.Minute, nil)
				if err == nil && tok.AccessToken != "access-1" {
					err = fmt.Errorf("got %s", tok.AccessToken)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		check(t, ts, errs)
	})
	t.Run("processes", func(t *testing.T) {
		dir := t.TempDir()
		st := profile.Store{Dir: dir}
		name := uniqueName(t)
		ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
		ts.Delay = 50 * time.Millisecond
		save(t, st, name, ts)
		results := profiletest.RunHelpers(t, 8, "TestHelperProcess", "NESTAUTH_CONFIG_DIR="+dir, "HELPER_PROFILE="+name)
		errs := make([]error, len(results))
		for i, r := range results {
			if r.Err != nil || r.Stdout != "access-1\n" {
				errs[i] = fmt.Errorf("%v, stdout %q, stderr %q", r.Err, r.Stdout, r.Stderr)
			}
		}
		check(t, ts, errs)
		if v, err := keyring.Get(profile.Service, name+"/refresh_token"); err != nil || v != "refresh-1" {
			t.Errorf("the keyring's refresh token = %q, %v", v, err)
		}
	})
}

func save(t *testing.T, st profile.Store, name string, ts *profiletest.TokenServer) {
	t.Helper()
	sec := profile.Secrets{ClientSecret: ts.ClientSecret, RefreshToken: "refresh-0", AccessToken: "access-0", Expiry: time.Now().Add(-time.Minute)}
	if _, err := st.Save(name, customSettings(ts), sec); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, ts *profiletest.TokenServer, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Errorf("run %d: %v", i, err)
		}
	}
	if n, refused := ts.Requests(), ts.Refused(); n != 1 || refused != 0 {
		t.Errorf("%d requests (%d refused), want exactly one refresh", n, refused)
	}
}

// TestHelperProcess is one `nestauth token` run, when RunHelpers starts
// this binary as a helper; otherwise it does nothing.
func TestHelperProcess(t *testing.T) {
	if !profiletest.IsHelper() {
		return
	}
	profiletest.AwaitRelease()
	tok, err := profile.Store{Dir: os.Getenv("NESTAUTH_CONFIG_DIR")}.Token(context.Background(), os.Getenv("HELPER_PROFILE"), time.Minute, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(tok.AccessToken)
	os.Exit(0)
}
