package cli

import (
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
)

// check and revoke with --profile (and no --token-file) work on the saved
// profile's token, as issue 9 asks of every command.
func TestCheckAndRevokeFromProfile(t *testing.T) {
	env, st := profiletest.Env(t)
	fake := fakenest.NewTest(t, "pid", "psecret")
	p := auth.Nest()
	p.AuthURL, p.TokenURL, p.RevokeURL = fake.AuthURL(), fake.TokenURL(), fake.RevokeURL()
	cfg := auth.Config{Provider: p, ClientID: "pid", ClientSecret: "psecret"}
	tok := &auth.Token{AccessToken: fake.IssueToken(), Expiry: time.Now().Add(time.Hour)}
	if _, err := st.Save("home", profile.SettingsFor(cfg, profile.File), profile.SecretsFor(cfg, tok)); err != nil {
		t.Fatal(err)
	}
	api := "--api-url=" + fake.APIURL() // the API origin is not a saved setting

	r := runArgs(t, env, "", "check", "--profile", "home", api)
	if r.code != 0 || !strings.Contains(r.stdout, "Living Room Thermostat") {
		t.Fatalf("check --profile: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runArgs(t, env, "", "revoke", "--profile", "home")
	if r.code != 0 || !strings.Contains(r.stderr, "revoked") {
		t.Fatalf("revoke --profile: exit %d, stderr %q", r.code, r.stderr)
	}
	if fake.TokenValid(tok.AccessToken) {
		t.Error("the saved token still works after revoke --profile")
	}
	r = runArgs(t, env, "", "check", "--profile", "home", api)
	if r.code != 3 {
		t.Errorf("check after revoking: exit %d, want 3; stderr %q", r.code, r.stderr)
	}
	if r = runArgs(t, env, "", "check", "--profile", "nobody", api); r.code != 2 || !strings.Contains(r.stderr, "no saved profile") {
		t.Errorf("check --profile nobody: exit %d, stderr %q; want 2 and the reason", r.code, r.stderr)
	}
}
