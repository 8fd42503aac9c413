package ui

// The Authorize step: its keys act, and typing goes to the code.

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/auth/fakenest"
)

func TestTypingAtAuthorizeGoesToTheCode(t *testing.T) {
	shiftC := tea.KeyPressMsg{Code: 'c', ShiftedCode: 'C', Mod: tea.ModShift, Text: "C"} // as the kitty protocol reports it
	tests := []struct {
		name string
		keys []tea.KeyPressMsg
		want string
	}{
		{"a PIN", keysOf("TB39DWND"), "TB39DWND"},
		{"capitals of the action keys", keysOf("OCA9"), "OCA9"},
		{"shift held", []tea.KeyPressMsg{shiftC, char('1')}, "C1"},
		{"a lower-case letter that is no action", keysOf("xa"), "xa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var approvals int
			m, ex, rec := newModel(t, demoOptions(&approvals))
			wantStep(t, m, stepAuthorize)
			for _, k := range tt.keys {
				m = send(t, m, k)
			}
			wantStep(t, m, stepCode)
			if got := m.inputs[stepCode].Value(); got != tt.want {
				t.Errorf("code field = %q, want %q", got, tt.want)
			}
			if approvals != 0 || len(rec.copied) != 0 || len(rec.opened) != 0 || len(ex.codes()) != 0 {
				t.Errorf("typing ran actions: %d approvals, copied %q, opened %q, exchanged %q", approvals, rec.copied, rec.opened, ex.codes())
			}
		})
	}
}

func TestOutsideTheDemoAIsTyped(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	wantStep(t, m, stepAuthorize)
	m = typeString("abc", m, t)
	wantStep(t, m, stepCode)
	if got := m.inputs[stepCode].Value(); got != "abc" {
		t.Fatalf("code field = %q, want abc", got)
	}
}

func TestAuthorizeActionKeysStayActions(t *testing.T) {
	var approvals int
	m, _, rec := newModel(t, demoOptions(&approvals))
	wantStep(t, m, stepAuthorize)
	for _, k := range []tea.KeyPressMsg{char('o'), char('c'), char(' '), {Code: 'x', Mod: tea.ModAlt}} {
		m = send(t, m, k)
		wantStep(t, m, stepAuthorize)
	}
	if len(rec.opened) != 1 || len(rec.copied) != 1 {
		t.Fatalf("o and c: opened %q, copied %q", rec.opened, rec.copied)
	}
	m = send(t, m, char('a'))
	wantStep(t, m, stepCode)
	if approvals != 1 || m.inputs[stepCode].Value() != "DEMOPIN1" {
		t.Fatalf("a: %d approvals, field %q", approvals, m.inputs[stepCode].Value())
	}
}

func keysOf(s string) []tea.KeyPressMsg {
	var ks []tea.KeyPressMsg
	for _, r := range s {
		ks = append(ks, char(r))
	}
	return ks
}

// A code kept from before is not extended by typing on Authorize: the
// first key starts a new code, as a paste would, and the screen says so.
func TestTypingAtAuthorizeReplacesAKeptCode(t *testing.T) {
	var approvals int
	m, ex, _ := newModel(t, demoOptions(&approvals))
	m = send(t, m, char('a')) // the demo approves: its PIN DEMOPIN1 is in the field
	wantStep(t, m, stepCode)
	m = send(t, m, esc)
	wantStep(t, m, stepAuthorize)
	m = typeString("XY7", m, t)
	wantStep(t, m, stepCode)
	if got := m.inputs[stepCode].Value(); got != "XY7" {
		t.Fatalf("code field = %q, want XY7 (a new code, not added to DEMOPIN1)", got)
	}
	wantView(t, m, "replaced the code kept before")
	send(t, m, enter)
	if got := ex.codes(); len(got) != 1 || got[0] != "XY7" {
		t.Fatalf("codes sent = %q, want [XY7]", got)
	}
}

// Without a kept code there is nothing to replace, and nothing is said.
func TestTypingAtAuthorizeWithoutAKeptCodeSaysNothing(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	m = typeString("XY7", m, t)
	if v := view(m); strings.Contains(v, "replaced") {
		t.Fatalf("nothing was replaced, yet:\n%s", v)
	}
}

// The demo server knows one client ID: when another was typed, its
// refusal says how to get back to Client ID.
func TestDemoUnknownClientSaysHowBack(t *testing.T) {
	fake := startFake(t)
	p := nestProvider()
	p.AuthURL, p.TokenURL = fake.AuthURL(), fake.TokenURL()
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{p}, ClientID: flowClientID, ClientSecret: flowSecret,
		Prefill: true, Approve: fake.Approve})
	wantStep(t, m, stepClientID)
	m = send(t, m, ctrlU)
	m = send(t, typeString("someone-else", m, t), enter)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
	m = send(t, m, char('a'))
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "Unknown client_id", "press esc twice to go back to Client ID", flowClientID)
	m = send(t, send(t, m, esc), esc)
	wantStep(t, m, stepClientID)
}

// The Device Access demo refuses another project ID on its consent page:
// the hint names the project, not the client, and the way back to it.
func TestDemoUnknownProjectSaysHowBack(t *testing.T) {
	const project = "5e1f0d3a-7c2b-4e9a-8d61-2b4f9c0a7e13"
	sdm := fakenest.NewSDMTest(t, flowClientID, flowSecret, project)
	p := sdmProvider()
	p.AuthURL, p.TokenURL = sdm.AuthURL(), sdm.TokenURL()
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{p}, ClientID: flowClientID, ClientSecret: flowSecret,
		ProjectID: project, Prefill: true, Approve: sdm.Approve})
	wantStep(t, m, stepProject)
	m = send(t, m, ctrlU)
	m = send(t, typeString("5e1f0d3a-7c2b-4e9a-8d61-2b4f9c0a7e14", m, t), enter)
	m = send(t, send(t, m, enter), enter)
	wantStep(t, m, stepAuthorize)
	m = send(t, m, char('a'))
	wantView(t, m, "No Device Access project has this ID", "knows only the project ID "+project, "press esc 3 times to go back to Project ID")
	if v := view(m); strings.Contains(v, "go back to Client ID") {
		t.Errorf("the hint sends the person to Client ID:\n%s", v)
	}
	m = send(t, send(t, send(t, m, esc), esc), esc)
	wantStep(t, m, stepProject)
}
