package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// demoOptions are the demo's provider and its a key that approves, with the
// credentials given (the wizard starts at Authorize); approvals counts a presses.
func demoOptions(approvals *int) Options {
	p := nestProvider()
	p.Name = "Works with Nest (demo server on this machine)"
	return Options{Providers: []auth.Provider{p}, ClientID: "nestauth-demo", ClientSecret: "s",
		Approve: func(string) (string, error) { *approvals++; return "DEMOPIN1", nil }}
}

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
			if got := m.inputs[fieldCode].Value(); got != tt.want {
				t.Errorf("code field = %q, want %q", got, tt.want)
			}
			if approvals != 0 || len(rec.copied) != 0 || len(rec.opened) != 0 || len(ex.codes()) != 0 {
				t.Errorf("typing ran actions: %d approvals, copied %q, opened %q, exchanged %q", approvals, rec.copied, rec.opened, ex.codes())
			}
		})
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
	if approvals != 1 || m.inputs[fieldCode].Value() != "DEMOPIN1" {
		t.Fatalf("a: %d approvals, field %q", approvals, m.inputs[fieldCode].Value())
	}
}

func keysOf(s string) []tea.KeyPressMsg {
	var ks []tea.KeyPressMsg
	for _, r := range s {
		ks = append(ks, char(r))
	}
	return ks
}

func TestRefreshKeyWithoutARefreshToken(t *testing.T) {
	m, _, rec := atCode(t, Options{})
	m = typeString("X", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if strings.Contains(view(m), "refresh") {
		t.Fatalf("no refresh token, yet the step offers one:\n%s", view(m))
	}
	m = send(t, m, char('r'))
	wantStep(t, m, stepToken)
	wantView(t, m, "no refresh token")
	if len(rec.copied) != 0 {
		t.Fatalf("copied %q", rec.copied)
	}
}

func TestQQuitsTheProviderList(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider(), nestProvider()}})
	wantStep(t, m, stepProvider)
	wantView(t, m, "q quit")
	next, cmd := m.Update(char('q'))
	m = next.(Model)
	if cmd == nil {
		t.Fatal("q did not quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok || !m.Aborted() || m.Token() != nil {
		t.Fatalf("q on the provider list: aborted %v, token %v; want an abort", m.Aborted(), m.Token())
	}
	wantView(t, m, "Aborted")
}
