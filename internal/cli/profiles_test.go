package cli

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// These tests run in-process with go-keyring's in-memory mock. The real
// Secret Service is e2e/profile_test.go's, in other processes.

func TestRunProfilesAndForget(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client-k", "secret-k", "refresh-k")
	saveCustom(t, st, "k", ts, auth.Custom(), profile.Keyring, time.Now().Add(30*time.Minute))
	tf := profiletest.NewTokenServer(t, "client-f", "secret-f", "refresh-f")
	saveCustom(t, st, "f", tf, auth.Custom(), profile.File, time.Now().Add(-time.Hour))
	settings := filepath.Join(env["NESTAUTH_CONFIG_DIR"], profile.SettingsFile)
	f, err := os.OpenFile(settings, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString("\n[profile hand]\nprovider = sdm\nauth_style = digest\n")
	if err := errors.Join(err, f.Close()); err != nil {
		t.Fatal(err)
	}

	r := runArgs(t, env, "", "profiles")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "PROFILE") {
		t.Fatalf("want a header and three profiles:\n%s", r.stdout)
	}
	for i, want := range [][]string{
		{"k ", "custom", "client-k", "keyring", "expires in 30 minutes, on "},
		{"f ", "custom", "client-f", "file", "expired", "refreshed on use"},
		{"hand", "damaged", settings + ":", "auth_style"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("line %d lacks %q: %q", i+1, w, lines[i+1])
			}
		}
	}
	for _, secret := range []string{"secret-k", "secret-f", "refresh-k", "refresh-f", "access-0"} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("profiles shows the secret %q:\n%s", secret, r.stdout)
		}
	}

	r = runArgs(t, env, "", "forget", "--profile", "k")
	if r.code != 0 || !strings.Contains(r.stdout, "deleted keyring entry nestauth k/client_secret") || !strings.Contains(r.stdout, "deleted settings [profile k] in "+settings) {
		t.Errorf("forget k: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	for _, what := range []string{"client_secret", "refresh_token", "access_token"} {
		if _, err := keyring.Get(profile.Service, "k/"+what); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("keyring entry k/%s after forget: %v", what, err)
		}
	}
	r = runArgs(t, env, "", "forget", "--profile", "f")
	if r.code != 0 || !strings.Contains(r.stdout, "deleted secrets of f in") {
		t.Errorf("forget f: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(env["NESTAUTH_CONFIG_DIR"], profile.SecretsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the secrets file outlived its last profile: %v", err)
	}
	if r = runArgs(t, env, "", "forget", "--profile", "hand"); r.code != 0 {
		t.Errorf("a damaged profile cannot be forgotten: exit %d, %s", r.code, r.stderr)
	}
	if _, err := os.Stat(settings); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the settings file outlived its last profile: %v", err)
	}
	if r = runArgs(t, env, "", "forget", "--profile", "k"); r.code != exitUsage || !strings.Contains(r.stderr, "nothing to forget") {
		t.Errorf("forget twice: exit %d, %s", r.code, r.stderr)
	}
	if r = runArgs(t, env, "", "profiles"); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "No saved profiles") {
		t.Errorf("no profiles: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestRunForgetRevoke(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	revoke, revokeURL := testkit.NewTokenEndpoint(t, 200, "")
	p := auth.Custom()
	p.RevokeURL = revokeURL
	saveCustom(t, st, "p", ts, p, profile.Keyring, time.Now().Add(time.Hour))

	revoke.Status = 503
	r := runArgs(t, env, "", "forget", "--profile", "p", "--revoke")
	if r.code != exitServer || !strings.Contains(r.stderr, "was not deleted") {
		t.Errorf("a failed revocation: exit %d, stderr %s", r.code, r.stderr)
	}
	if _, err := st.Load("p"); err != nil {
		t.Fatalf("a failed revocation deleted the profile: %v", err)
	}

	// A token the server calls already dead leaves nothing to revoke: the
	// profile goes, with the server's word for it.
	saveCustom(t, st, "dead", ts, p, profile.Keyring, time.Now().Add(time.Hour))
	revoke.Mu.Lock()
	revoke.Status, revoke.Body = 400, `{"error":"invalid_token","error_description":"token expired"}`
	revoke.Mu.Unlock()
	r = runArgs(t, env, "", "forget", "--profile", "dead", "--revoke")
	if r.code != 0 || strings.Contains(r.stderr, "Codes are single-use") || !strings.Contains(r.stdout, "deleted settings [profile dead]") {
		t.Errorf("an already dead token: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}

	revoke.Mu.Lock()
	revoke.Status, revoke.Body = 200, ""
	revoke.Mu.Unlock()
	r = runArgs(t, env, "", "forget", "--profile", "p", "--revoke")
	if r.code != 0 || !strings.Contains(r.stdout, "revoked the tokens of profile p") || !strings.Contains(r.stdout, "deleted settings [profile p]") {
		t.Fatalf("exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	var sent []string
	revoke.Mu.Lock()
	for _, req := range revoke.Requests[len(revoke.Requests)-2:] {
		sent = append(sent, req.Form.Get("token_type_hint")+"="+req.Form.Get("token"))
	}
	revoke.Mu.Unlock()
	if strings.Join(sent, " ") != "refresh_token=refresh-0 access_token=access-0" {
		t.Errorf("revoked %q; want the refresh token, then the access token", sent)
	}
}

// Without a keyring, profiles shows a short cell (the reason once, on
// stderr), and forget deletes what it can reach and names what may remain
// in the keyring, for a forget once the keyring is back.
func TestRunProfilesAndForgetWithoutKeyring(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "secret-k2", "refresh-k2")
	saveCustom(t, st, "k2", ts, auth.Custom(), profile.Keyring, time.Now().Add(time.Hour))
	saveCustom(t, st, "f", ts, auth.Custom(), profile.File, time.Now().Add(time.Hour))
	settings := filepath.Join(env["NESTAUTH_CONFIG_DIR"], profile.SettingsFile)
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	t.Cleanup(keyring.MockInit)

	r := runArgs(t, env, "", "profiles")
	if r.code != 0 {
		t.Fatalf("profiles: exit %d, stderr %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "k2 ") || !strings.HasSuffix(lines[1], "keyring  keyring unavailable") || !strings.HasPrefix(lines[2], "f ") {
		t.Errorf("want k2 with a keyring unavailable cell, and f:\n%s", r.stdout)
	}
	for _, l := range lines {
		if len(l) > 100 {
			t.Errorf("a line of %d characters breaks the table: %q", len(l), l)
		}
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "keyring unavailable: ") || !strings.Contains(r.stderr, "no Secret Service on D-Bus") {
		t.Errorf("stderr %q: want the reason once", r.stderr)
	}

	r = runArgs(t, env, "", "forget", "--profile", "k2")
	if r.code != 0 || r.stdout != "deleted settings [profile k2] in "+settings+"\n" {
		t.Errorf("forget k2: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, testkit.SquashSpace(r.stderr), "warning:", "k2/client_secret, k2/refresh_token, k2/access_token (service nestauth) may remain",
		"no Secret Service on D-Bus", "run nestauth forget --profile k2 again to delete them")
	if strings.Contains(r.stderr, "--store file") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q: want one line, and no advice about saving", r.stderr)
	}
	if _, err := st.Load("k2"); !errors.Is(err, profile.ErrNoProfile) {
		t.Errorf("k2 after forget: %v, want no profile", err)
	}
	if p, err := st.Load("f"); err != nil || p.Secrets.ClientSecret != "secret-k2" {
		t.Errorf("f after forgetting k2: %+v, %v", p.Secrets, err)
	}

	// The keyring is back, with the entries forget could not reach.
	keyring.MockInit()
	for _, what := range []string{"client_secret", "refresh_token"} {
		if err := keyring.Set(profile.Service, "k2/"+what, "left"); err != nil {
			t.Fatal(err)
		}
	}
	r = runArgs(t, env, "", "forget", "--profile", "k2")
	if r.code != 0 || r.stdout != "deleted keyring entry nestauth k2/client_secret\ndeleted keyring entry nestauth k2/refresh_token\n" {
		t.Errorf("forget k2 again: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
}

// forget --revoke sends tokens only to a revocation endpoint the profile
// names, or to the provider's own while the profile gets its tokens from the
// provider's own server; else it says there is none, and --revoke-url gives one.
func TestRunForgetRevokeNeedsAnEndpoint(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "c", ts, auth.Custom(), profile.File, time.Now().Add(time.Hour))
	saveCustom(t, st, "n", ts, auth.Nest(), profile.File, time.Now().Add(time.Hour)) // Works with Nest, its token endpoint moved

	for _, name := range []string{"c", "n"} {
		r := runArgs(t, env, "", "forget", "--profile", name, "--revoke", "--timeout", "2s")
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("forget %s --revoke: exit %d, stdout %q; want 2 and nothing", name, r.code, r.stdout)
		}
		wantStderr(t, testkit.SquashSpace(r.stderr), "profile "+name+" has no revocation endpoint", "nothing was revoked or deleted", "--revoke-url URL")
		if _, err := st.Load(name); err != nil {
			t.Errorf("profile %s after a refused --revoke: %v", name, err)
		}
	}
	r := runArgs(t, env, "", "forget", "--profile", "n", "--revoke", "--timeout", "2s")
	wantStderr(t, testkit.SquashSpace(r.stderr), "it gets its tokens from "+ts.TokenURL(), "not sent to "+auth.NestRevokeURL)

	revoke, revokeURL := testkit.NewTokenEndpoint(t, 200, "")
	r = runArgs(t, env, "", "forget", "--profile", "c", "--revoke", "--revoke-url", revokeURL)
	if r.code != 0 || !strings.Contains(r.stdout, "revoked the tokens of profile c") || !strings.Contains(r.stdout, "deleted settings [profile c]") {
		t.Errorf("--revoke-url: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	revoke.Mu.Lock()
	sent := len(revoke.Requests)
	revoke.Mu.Unlock()
	if sent != 2 {
		t.Errorf("%d requests at --revoke-url; want the refresh token and the access token", sent)
	}

	for _, args := range [][]string{
		{"--revoke-url", revokeURL},                          // without --revoke
		{"--revoke", "--revoke-url", "http://example.com/r"}, // in the clear
	} {
		r := runArgs(t, env, "", append([]string{"forget", "--profile", "n"}, args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--revoke") {
			t.Errorf("forget %q: exit %d, stderr %s; want a usage error", args, r.code, r.stderr)
		}
	}
	if _, err := st.Load("n"); err != nil {
		t.Errorf("profile n after usage errors: %v", err)
	}
}

func TestRunProfileFlags(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "s3cret"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		has  []string
	}{
		{"help lists the commands", nil, []string{"--help"}, 0, []string{"token ", "profiles ", "forget ", "--profile", "--save", "--store", "NOT encrypted"}},
		{"token help", nil, []string{"token", "--help"}, 0, []string{"--profile", "--min-valid", "--timeout", "3 refresh token rejected", "2 usage or no such profile"}},
		{"profiles help", nil, []string{"profiles", "--help"}, 0, []string{"NESTAUTH_CONFIG_DIR", "Never a secret"}},
		{"forget help", nil, []string{"forget", "--help"}, 0, []string{"--profile home", "--revoke"}},
		{"exchange help", nil, []string{"exchange", "--help"}, 0, []string{"--save", "--profile", "--store"}},
		{"refresh help", nil, []string{"refresh", "--help"}, 0, []string{"--save", "--profile", "--store"}},
		{"bad name", nil, []string{"token", "--profile", "../x"}, 2, []string{"--profile", "letters, digits"}},
		{"bad store", nil, []string{"--provider", "nest", "--store", "cloud"}, 2, []string{"--store", "not keyring or file"}},
		{"token takes no provider flags", nil, []string{"token", "--token-url", "https://x.example/token"}, 2, []string{"--token-url does not apply to token"}},
		{"profiles takes no profile", nil, []string{"profiles", "--profile", "x"}, 2, []string{"unknown flag --profile"}},
		{"forget needs a name", nil, []string{"forget"}, 2, []string{"forget needs --profile NAME"}},
		{"negative min-valid", nil, []string{"token", "--min-valid", "-1s"}, 2, []string{"--min-valid"}},
		{"demo saves nothing", nil, []string{"--demo", "--save"}, 2, []string{"--demo"}},
		{"exchange profile without save", secret, []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c", "--profile", "p"}, 2, []string{"add --save"}},
		{"wizard profile of another provider", nil, nil, 2, []string{"saved for --provider custom, not sdm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			args := tt.args
			if args == nil { // a saved custom profile, asked for with --provider sdm
				var st profile.Store
				env, st = profiletest.Env(t)
				ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
				saveCustom(t, st, "c", ts, auth.Custom(), profile.Keyring, time.Now())
				args = []string{"--profile", "c", "--provider", "sdm"}
			}
			r := runArgs(t, env, "", args...)
			if slices.Contains(args, "--help") { // help goes to stdout
				r.stdout, r.stderr = r.stderr, r.stdout
			}
			if r.code != tt.code || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing; stderr:\n%s", r.code, r.stdout, tt.code, r.stderr)
			}
			wantStderr(t, r.stderr, tt.has...)
		})
	}
}

func TestSavedAgainKeepsItsStore(t *testing.T) {
	env, st := profiletest.Env(t)
	env["NESTAUTH_CLIENT_SECRET"] = "cs"
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at","token_type":"Bearer","expires_in":3600}`)
	args := []string{"refresh", "--provider", "custom", "--client-id", "id", "--token-url", tokenURL, "--save", "--profile", "f"}
	for i, extra := range [][]string{{"--store", "file"}, nil, {"--store", "keyring"}} {
		want := []profile.Backend{profile.File, profile.File, profile.Keyring}[i]
		if r := runArgs(t, env, "rt\n", append(args, extra...)...); r.code != 0 {
			t.Fatalf("save %d: exit %d, %s", i, r.code, r.stderr)
		}
		if p, err := st.Load("f"); err != nil || p.Settings.SecretsIn != want {
			t.Errorf("save %d (%q): secrets in %v, %v; want %v", i, extra, p.Settings.SecretsIn, err, want)
		}
	}
}
