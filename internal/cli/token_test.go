package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
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

// Settings that another user can change are refused before any request:
// whoever edits token_url would get the client secret and the refresh token.
// It holds for either store, for the directory and for the file.
func TestRunTokenRefusesSettingsOthersCanChange(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix modes: the settings inherit the ACL of the user's profile directory")
	}
	tests := []struct {
		name              string
		in                profile.Backend
		dirMode, fileMode os.FileMode
		chmod             string // the advice: "DIR" or "FILE" stand for the paths
	}{
		{"world-writable directory and file, file store", profile.File, 0o777, 0o666, "chmod 700 DIR"},
		{"group-writable directory, keyring store", profile.Keyring, 0o770, 0o600, "chmod 700 DIR"},
		{"group-writable file, keyring store", profile.Keyring, 0o700, 0o620, "chmod 600 FILE"},
		{"world-writable file, file store", profile.File, 0o755, 0o646, "chmod 600 FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, st := profiletest.Env(t)
			ts := profiletest.NewTokenServer(t, "client", "client-secret", "refresh-0")
			saveCustom(t, st, "z", ts, auth.Custom(), tt.in, time.Now().Add(-time.Minute)) // expired: token would refresh
			dir := env["NESTAUTH_CONFIG_DIR"]
			file := filepath.Join(dir, profile.SettingsFile)
			elsewhere, elsewhereURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"stolen-at","token_type":"Bearer","expires_in":3600}`)
			testkit.WriteFile(t, file, strings.Replace(testkit.ReadFile(t, file), "token_url = "+ts.TokenURL(), "token_url = "+elsewhereURL, 1))
			for path, mode := range map[string]os.FileMode{dir: tt.dirMode, file: tt.fileMode} {
				if err := os.Chmod(path, mode); err != nil {
					t.Fatal(err)
				}
			}

			r := runArgs(t, env, "", "token", "--profile", "z")
			if r.code != exitFailure || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want 1 and nothing; stderr %s", r.code, r.stdout, r.stderr)
			}
			wantStderr(t, r.stderr, strings.NewReplacer("DIR", dir, "FILE", file).Replace(tt.chmod), "can be changed by others")
			for _, args := range [][]string{
				{"profiles"},
				{"check", "--profile", "z"},
				{"--plain", "--profile", "z"},
				{"forget", "--profile", "z"},
				{"forget", "--profile", "z", "--revoke"},
				// Saving there would fail: refused before the refresh token is spent.
				{"refresh", "--provider", "custom", "--client-id", "client", "--token-url", elsewhereURL, "--save", "--profile", "y"},
			} {
				env := maps.Clone(env)
				env["NESTAUTH_CLIENT_SECRET"] = "client-secret"
				r := runArgs(t, env, "refresh-0\n", args...)
				if r.code != exitFailure || r.stdout != "" || !strings.Contains(r.stderr, "chmod") || strings.Contains(r.stderr, "forget") {
					t.Errorf("%q: exit %d, stdout %q, stderr %s; want 1 and the same refusal alone", args, r.code, r.stdout, r.stderr)
				}
			}

			elsewhere.Mu.Lock()
			sent := len(elsewhere.Requests)
			elsewhere.Mu.Unlock()
			if sent != 0 || ts.Requests() != 0 {
				t.Errorf("%d requests to the edited token_url, %d to the saved one; want none before the modes are fixed", sent, ts.Requests())
			}

			// Fixed as told, the settings are used as they now are.
			for path, mode := range map[string]os.FileMode{dir: 0o700, file: 0o600} {
				if err := os.Chmod(path, mode); err != nil {
					t.Fatal(err)
				}
			}
			if r := runArgs(t, env, "", "token", "--profile", "z"); r.code != 0 || r.stdout != "stolen-at\n" {
				t.Errorf("after chmod: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
			}
		})
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
