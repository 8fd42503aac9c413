package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/profile"
)

// fakeSaver records what the wizard saves and answers as told.
type fakeSaver struct {
	saved []auth.Config
	toks  []*auth.Token
	where profile.Saved
	err   error
}

func (f *fakeSaver) save(_ context.Context, cfg auth.Config, tok *auth.Token) (profile.Saved, error) {
	f.saved, f.toks = append(f.saved, cfg), append(f.toks, tok)
	return f.where, f.err
}

// toToken walks a prefilled Nest wizard to its token step.
func toToken(t *testing.T, opts Options) Model {
	t.Helper()
	opts.ClientID, opts.ClientSecret = "client-id", "client-secret"
	m, _, _ := newModel(t, opts)
	m = send(t, m, enter) // authorize → code
	m = typeString("PIN12345", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	return m
}

func TestSaveKey(t *testing.T) {
	tests := []struct {
		name  string
		where profile.Saved
		err   error
		want  []string
		saved bool
	}{
		{
			name:  "keyring",
			where: profile.Saved{SettingsPath: "/home/u/.config/nestauth/profiles.conf", SecretsIn: profile.Keyring, SecretsWhere: `the OS keyring (Secret Service) (service "nestauth")`},
			want:  []string{"Saved profile work: settings in /home/u/.config/nestauth/profiles.conf; secrets in the OS keyring (Secret Service)", "nestauth token --profile work"},
			saved: true,
		},
		{
			name:  "file",
			where: profile.Saved{SettingsPath: "/s/profiles.conf", SecretsIn: profile.File, SecretsWhere: "/s/secrets.json (mode 0600, not encrypted: anyone who can read your files as you can use it)"},
			want:  []string{"secrets in /s/secrets.json (mode 0600, not encrypted"},
			saved: true,
		},
		{
			name:  "kept refresh token",
			where: profile.Saved{SettingsPath: "/s/profiles.conf", SecretsIn: profile.File, SecretsWhere: "/s/secrets.json", KeptRefreshToken: true},
			want:  []string{"secrets in /s/secrets.json", "no refresh token, so the saved one (same client and token URL) was kept"},
			saved: true,
		},
		{
			name: "no keyring",
			err:  &profile.KeyringError{Op: "save", SecretsFile: "/s/secrets.json", Err: errors.New("The name org.freedesktop.secrets was not provided by any .service files")},
			want: []string{"Profile work was not saved: cannot save the secrets", "save with --store file", "The token is still here: copy it (c)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := &fakeSaver{where: tt.where, err: tt.err}
			m := toToken(t, Options{Save: fs.save, Profile: "work"})
			wantView(t, m, "s save profile")
			if len(fs.saved) != 0 {
				t.Fatalf("saved before s was pressed: %d", len(fs.saved))
			}
			m = send(t, m, char('s'))
			if len(fs.saved) != 1 || fs.toks[0] != m.token || fs.saved[0].ClientSecret != "client-secret" || fs.saved[0].ClientID != "client-id" {
				t.Fatalf("saved %+v with %v; want the token and the wizard's config", fs.saved, fs.toks)
			}
			wantView(t, m, tt.want...)
			if got := m.Saved() != nil; got != tt.saved {
				t.Errorf("Saved() = %v, want saved %v", m.Saved(), tt.saved)
			}
			if tt.err != nil && !errors.Is(m.SaveErr(), profile.ErrNoKeyring) {
				t.Errorf("SaveErr() = %v", m.SaveErr())
			}
			wantStep(t, m, stepToken) // saving does not end the wizard
		})
	}
}

func TestNoSaveKeyWithoutSaver(t *testing.T) {
	m := toToken(t, Options{})
	if v := view(m); strings.Contains(v, "save profile") {
		t.Errorf("the help offers saving with no Saver:\n%s", v)
	}
	m = send(t, m, char('s'))
	wantStep(t, m, stepToken)
}

func TestAutoSaveEachToken(t *testing.T) {
	fs := &fakeSaver{where: profile.Saved{SettingsPath: "/s/profiles.conf", SecretsWhere: "the keyring"}}
	m := toToken(t, Options{Save: fs.save, Profile: "p", AutoSave: true})
	if len(fs.toks) != 1 || fs.toks[0] != m.token {
		t.Fatalf("--save saved %d tokens, want the one that arrived", len(fs.toks))
	}
	wantView(t, m, "Saved profile p")
	// Another code, another token: saved too, and the first save no longer counts.
	m = send(t, m, esc)
	m = send(t, m, enter)
	m = typeString("PIN67890", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if len(fs.toks) != 2 || fs.toks[1] != m.token || m.Saved() == nil {
		t.Errorf("the second token: %d saves, Saved() = %v", len(fs.toks), m.Saved())
	}
}

func TestStaleSaveIgnored(t *testing.T) {
	fs := &fakeSaver{}
	m := toToken(t, Options{Save: fs.save, Profile: "p"})
	m.save.running = true
	m = send(t, m, savedMsg{tok: &auth.Token{AccessToken: "an older one"}})
	if !m.save.running || m.Saved() != nil {
		t.Errorf("a save of a replaced token counted: %+v", m.save)
	}
	// A save in flight holds q: a half-done save would be no save.
	m = send(t, m, char('q'))
	if m.done {
		t.Error("q ended the wizard while the profile was being saved")
	}
	m = send(t, m, savedMsg{tok: m.token, saved: profile.Saved{SettingsPath: "/x", SecretsWhere: "y"}})
	m = send(t, m, char('q'))
	if !m.done {
		t.Error("q did not end the wizard after the save")
	}
}

func TestProfilePrefilledNotSkipped(t *testing.T) {
	p := auth.SDM()
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{p}, Prefill: true,
		ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab", ClientID: "123-abc.apps.googleusercontent.com", ClientSecret: "GOCSPX-saved-secret"})
	wantStep(t, m, stepProject)
	wantView(t, m, "> 0a1b2c3d-1234-5678-9abc-0123456789ab")
	m = send(t, m, enter)
	wantStep(t, m, stepClientID)
	wantView(t, m, "> 123-abc.apps.googleusercontent.com")
	m = send(t, m, enter)
	wantStep(t, m, stepSecret)
	if v := view(m); strings.Contains(v, "GOCSPX-saved-secret") || !strings.Contains(v, strings.Repeat("•", len("GOCSPX-saved-secret"))) {
		t.Errorf("the saved secret must be there, masked:\n%s", v)
	}
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
	wantView(t, m, fmt.Sprintf("client_id=%s", "123-abc.apps.googleusercontent.com"))
}

// In the demo (no Saver), s says why nothing is saved, and is not listed.
func TestSaveKeyInTheDemoSaysWhy(t *testing.T) {
	m := toToken(t, demoRun())
	if strings.Contains(view(m), "save profile") {
		t.Errorf("the demo lists s:\n%s", view(m))
	}
	m = send(t, m, char('s'))
	wantView(t, m, "The demo's tokens are not saved: they only work with the demo server.")
}

// The keys follow the save: esc gives up a save while it runs, and is
// "another code" again once it has ended, in the same window.
func TestSaveKeysFollowTheSave(t *testing.T) {
	fs := &fakeSaver{}
	m := toToken(t, Options{Save: fs.save, Profile: "p"})
	m.save.running = true
	wantView(t, m, "esc give up saving")
	m = send(t, m, savedMsg{tok: m.token, saved: profile.Saved{SettingsPath: "/x", SecretsWhere: "y"}})
	wantView(t, m, "Saved profile p", "esc another code")
	if v := view(m); strings.Contains(v, "give up saving") {
		t.Errorf("the save ended, the keys still offer to give it up:\n%s", v)
	}
}
