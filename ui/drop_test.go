package ui

import (
	"path/filepath"
	"testing"

	"nestauth/auth"
	"nestauth/internal/profile"
)

func TestEscAsksBeforeDroppingATokenThatWentNowhere(t *testing.T) {
	m := atToken(t, Options{})
	m = send(t, m, esc)
	wantStep(t, m, stepToken)
	wantView(t, m, "c.token-for-X", dropQuestion, "y drop it", "n/esc keep")

	m = send(t, m, char('n'))
	wantStep(t, m, stepToken)
	wantView(t, m, "Kept the token", "esc another code")
	m = send(t, m, esc)
	m = send(t, m, esc) // esc answers as n does
	wantStep(t, m, stepToken)

	m = send(t, m, esc)
	m = send(t, m, char('y'))
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "Dropped the token.")
	if m.Token() != nil {
		t.Fatal("the dropped token is still the wizard's token")
	}
	m = send(t, m, ctrlC)
	if !m.Aborted() {
		t.Fatal("ctrl+c with no token on screen did not abort")
	}
	wantView(t, m, "Aborted: the earlier token was dropped")
	if got := view(m); got == "Aborted: no token was fetched.\n" {
		t.Fatalf("the last frame says no token was fetched: %q", got)
	}
}

func TestCtrlCDuringTheDropQuestionKeepsTheToken(t *testing.T) {
	m := atToken(t, Options{})
	m = send(t, m, esc)
	m = send(t, m, ctrlC)
	if m.Aborted() || m.Token() == nil || !m.done {
		t.Fatalf("aborted %v, token %v, done %v: want the token kept, as q does", m.Aborted(), m.Token(), m.done)
	}
}

func TestEscDoesNotAskForAKeptToken(t *testing.T) {
	tests := []struct {
		name string
		keep func(t *testing.T, m Model) Model
	}{
		{"written to a file", func(t *testing.T, m Model) Model {
			m = send(t, m, char('w'))
			m.actions.write.input.SetValue(filepath.Join(t.TempDir(), "tok.json"))
			return send(t, m, enter)
		}},
		{"saved", func(t *testing.T, m Model) Model { return send(t, m, char('s')) }},
		{"revoked", func(t *testing.T, m Model) Model { m.actions.revoked = true; return m }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := &fakeSaver{where: profile.Saved{SettingsPath: "/s/profiles.conf"}}
			m := atToken(t, Options{Save: fs.save, Profile: "p"})
			m = tt.keep(t, m)
			m = send(t, m, esc)
			wantStep(t, m, stepAuthorize)
			m = send(t, m, ctrlC)
			wantView(t, m, "Aborted: no new token was fetched.")
		})
	}
}

func TestANewTokenIsAskedAboutAgain(t *testing.T) {
	m := atToken(t, Options{})
	m = send(t, m, char('w'))
	m.actions.write.input.SetValue(filepath.Join(t.TempDir(), "tok.json"))
	m = send(t, m, enter)
	m = send(t, m, esc) // written: no question
	m = send(t, m, enter)
	m = typeString("Y", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	m = send(t, m, esc) // the new token went nowhere
	wantStep(t, m, stepToken)
	wantView(t, m, dropQuestion)
}

func TestADeviceTokenStartsFresh(t *testing.T) {
	f := &fakeDevice{answers: []pollAnswer{{token: &auth.Token{AccessToken: "one"}}, {token: &auth.Token{AccessToken: "two"}}}}
	m, _ := atDevice(t, f)
	m = poll(t, m)
	wantStep(t, m, stepToken)
	m.actions.wrote = true // as w does
	m = deliver(t, m, esc)
	wantStep(t, m, stepDevice)
	m = poll(t, m)
	wantStep(t, m, stepToken)
	m = deliver(t, m, esc)
	wantStep(t, m, stepToken)
	wantView(t, m, dropQuestion)
}
