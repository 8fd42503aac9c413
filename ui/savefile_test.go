package ui

import (
	"errors"
	"strings"
	"testing"

	"nestauth/internal/profile"
)

// keyringDown is the error a save gets with no Secret Service running.
var keyringDown = &profile.KeyringError{Op: "save", SecretsFile: "/s/secrets.json", Err: errors.New("the name org.freedesktop.secrets was not provided by any .service files")}

func TestSaveToFileAfterTheKeyringFailed(t *testing.T) {
	ring := &fakeSaver{err: keyringDown}
	file := &fakeSaver{where: profile.Saved{SettingsPath: "/s/profiles.conf", SecretsIn: profile.File, SecretsWhere: "/s/secrets.json (mode 0600, not encrypted)"}}
	m := toToken(t, Options{Save: ring.save, SaveToFile: file.save, Profile: "work"})
	if strings.Contains(view(m), "f save to file") {
		t.Fatal("f is offered before any save failed")
	}
	m = send(t, m, char('f'))
	if m.actions.confirm != confirmNone || len(file.toks) != 0 {
		t.Fatal("f did something before the keyring failed")
	}

	m = send(t, m, char('s'))
	wantView(t, m, "Profile work was not saved: cannot save the secrets", "f saves it with the secrets in /s/secrets.json instead (not encrypted)", "f save to file")
	if v := view(m); strings.Contains(v, "--store") {
		t.Errorf("the notice offers a flag for the next run:\n%s", v)
	}

	m = send(t, m, char('f'))
	wantView(t, m, "Save profile work with its secrets", "in /s/secrets.json?", "not encrypted", "mode 0600", "y save to file", "n/esc keep")
	if len(file.toks) != 0 {
		t.Fatal("f saved before y")
	}
	m = send(t, m, char('n'))
	wantView(t, m, "Nothing was saved")
	if len(file.toks) != 0 {
		t.Fatal("n saved")
	}

	m = send(t, m, char('f'))
	m = send(t, m, char('y'))
	if len(file.toks) != 1 || file.toks[0] != m.token || file.saved[0].ClientSecret != "client-secret" {
		t.Fatalf("SaveToFile got %v", file.toks)
	}
	wantView(t, m, "Saved profile work", "secrets in /s/secrets.json (mode 0600, not encrypted)")
	if m.Saved() == nil || m.SaveErr() != nil {
		t.Errorf("Saved() = %v, SaveErr() = %v", m.Saved(), m.SaveErr())
	}
	if strings.Contains(view(m), "f save to file") {
		t.Error("f is still offered once saved")
	}
	if v := view(m); strings.Contains(v, "give up saving") || !strings.Contains(v, "esc another code") {
		t.Errorf("once saved, the keys still offer to give up the save:\n%s", v)
	}
}

func TestNoFileOfferWithoutSaveToFile(t *testing.T) {
	ring := &fakeSaver{err: keyringDown}
	m := toToken(t, Options{Save: ring.save, Profile: "work"})
	m = send(t, m, char('s'))
	wantView(t, m, "save with --store file") // the flag is all there is
	m = send(t, m, char('f'))
	if m.actions.confirm != confirmNone {
		t.Fatal("f asked with no SaveToFile")
	}
}

func TestNoFileOfferForOtherFailures(t *testing.T) {
	ring := &fakeSaver{err: errors.New("disk full")}
	file := &fakeSaver{}
	m := toToken(t, Options{Save: ring.save, SaveToFile: file.save, Profile: "work"})
	m = send(t, m, char('s'))
	m = send(t, m, char('f'))
	if m.actions.confirm != confirmNone || strings.Contains(view(m), "f save to file") {
		t.Fatal("f offered after a failure that is not the keyring's")
	}
}

func TestWithoutFlagAdviceCutsProfileText(t *testing.T) {
	for _, err := range []error{keyringDown, &profile.KeyringError{Op: "save", SecretsFile: "/s/secrets.json", Err: errors.New("locked collection")}} {
		got := withoutFlagAdvice(err.Error())
		if strings.Contains(got, "--store") || got == "" {
			t.Errorf("withoutFlagAdvice(%q) = %q", err.Error(), got)
		}
	}
}

func TestQuitLeavesNoHintOfKeys(t *testing.T) {
	ring := &fakeSaver{err: keyringDown}
	m := toToken(t, Options{Save: ring.save, Profile: "work"})
	m = send(t, m, char('s'))
	wantView(t, m, "copy it (c) before you quit")
	m = send(t, m, char('q'))
	if !m.done {
		t.Fatal("q did not finish")
	}
	if v := view(m); strings.Contains(v, "before you quit") {
		t.Errorf("the last frame still says what to do before quitting:\n%s", v)
	}
}
