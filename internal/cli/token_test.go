package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// token --min-valid longer than the server's tokens live refreshes every
// call: it says so on stderr, and still succeeds.
func TestRunTokenMinValidLongerThanTokens(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "client-secret", "refresh-0")
	saveCustom(t, st, "p", ts, auth.Custom(), profile.Keyring, time.Now().Add(time.Hour))
	r := runArgs(t, env, "", "token", "--profile", "p", "--min-valid", "10h")
	if r.code != 0 || r.stdout != "access-1\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: the new token lives 60 minutes, less than --min-valid 10 hours") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q: want one warning line", r.stderr)
	}
	if r := runArgs(t, env, "", "token", "--profile", "p", "--min-valid", "30m"); r.code != 0 || r.stderr != "" {
		t.Errorf("a token that lives long enough: exit %d, stderr %q; want no warning", r.code, r.stderr)
	}
}

func TestRunToken(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "client-secret", "refresh-0")
	saveCustom(t, st, "p", ts, auth.Custom(), profile.Keyring, time.Now().Add(time.Hour))

	r := runArgs(t, env, "", "token", "--profile", "p")
	if r.code != 0 || r.stdout != "access-0\n" || r.stderr != "" || ts.Requests() != 0 {
		t.Fatalf("the stored token: exit %d, stdout %q, stderr %q, %d requests; want access-0 and no request", r.code, r.stdout, r.stderr, ts.Requests())
	}
	if r := runArgs(t, env, "", "token", "--profile", "p", "--format", "header"); r.code != 0 || r.stdout != "Authorization: Bearer access-0\n" {
		t.Fatalf("--format header: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// It lives an hour, not two: one refresh, whose rotated refresh token is kept.
	r = runArgs(t, env, "", "token", "--profile", "p", "--min-valid", "2h")
	if r.code != 0 || r.stdout != "access-1\n" || ts.Requests() != 1 {
		t.Fatalf("refresh: exit %d, stdout %q, stderr %q, %d requests", r.code, r.stdout, r.stderr, ts.Requests())
	}
	if p, err := st.Load("p"); err != nil || p.Secrets.RefreshToken != "refresh-1" || p.Secrets.AccessToken != "access-1" {
		t.Errorf("after the refresh the profile holds %+v, %v", p.Secrets, err)
	}
	if r = runArgs(t, env, "", "token", "--profile", "p"); r.stdout != "access-1\n" || ts.Requests() != 1 {
		t.Errorf("the refreshed token was not reused: %q after %d requests", r.stdout, ts.Requests())
	}
}

func TestRunTokenDeadRefreshToken(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "123-abc.apps.googleusercontent.com", "GOCSPX-secret", "refresh-0")
	saveCustom(t, st, "home", ts, auth.SDM(), profile.Keyring, time.Now().Add(-time.Minute))
	ts.Revoke()
	r := runArgs(t, env, "", "token", "--profile", "home")
	if r.code != exitRejectedCode || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 3 and nothing", r.code, r.stdout)
	}
	for _, want := range []string{"refresh token rejected", "invalid_grant", "Sign in again: nestauth --profile home", "dies after 7 days"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "GOCSPX-secret") || strings.Contains(r.stderr, "refresh-0") {
		t.Errorf("stderr shows a secret: %s", r.stderr)
	}
}

func TestRunTokenFailures(t *testing.T) {
	env, st := profiletest.Env(t)
	r := runArgs(t, env, "", "token", "--profile", "nope")
	if r.code != exitUsage || !strings.Contains(r.stderr, `no saved profile "nope"`) || !strings.Contains(r.stderr, "nestauth --profile nope") || !strings.Contains(r.stderr, "press s") {
		t.Errorf("no profile: exit %d, stderr %s", r.code, r.stderr)
	}

	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "k", ts, auth.Custom(), profile.Keyring, time.Now().Add(time.Hour))
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	r = runArgs(t, env, "", "token", "--profile", "k")
	if r.code != exitFailure || !strings.Contains(r.stderr, "--store file") || r.stdout != "" {
		t.Errorf("no keyring: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}

	testkit.WriteFile(t, filepath.Join(env["NESTAUTH_CONFIG_DIR"], profile.SettingsFile), "[profile bad]\nprovider = sdm\npkce = maybe\n")
	r = runArgs(t, env, "", "token", "--profile", "bad")
	if r.code != exitFailure || !strings.Contains(r.stderr, profile.SettingsFile+":3:") {
		t.Errorf("damaged: exit %d, stderr %s; want the path and line", r.code, r.stderr)
	}
}

// A refresh that worked but could not be saved: the token is handed out,
// and stderr says plainly whether the session ends with it.
func TestRefreshUnsavedSaysWhatIsLost(t *testing.T) {
	tok := &auth.Token{AccessToken: "at-2", Expiry: time.Now().Add(time.Hour)}
	for _, rotated := range []bool{true, false} {
		var stderr bytes.Buffer
		got, ok := refreshUnsaved(fmt.Errorf("token: %w", &profile.UnsavedError{Token: tok, Rotated: rotated, Err: syscall.ENOSPC}), "p", &stderr)
		want := "the saved refresh token still works"
		if rotated {
			want = "its new refresh token could not be kept: no space left on device. The access token is good until"
		}
		if !ok || got != tok || !strings.Contains(stderr.String(), want) {
			t.Errorf("rotated %v: %v, %v, stderr %q; want the token and %q", rotated, got, ok, stderr.String(), want)
		}
	}
	if _, ok := refreshUnsaved(errors.New("other"), "p", io.Discard); ok {
		t.Error("another error taken for an unsaved refresh")
	}
}
