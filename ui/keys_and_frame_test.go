package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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

// flat is the view's words joined by single spaces: a sentence wrapped
// between words reads the same, one cut inside a word does not.
func flat(m Model) string { return strings.Join(strings.Fields(view(m)), " ") }

func TestNarrowHeaderAndSpinnerKeepWholeWords(t *testing.T) {
	for width := 20; width < 32; width++ {
		m, _, _ := atCode(t, Options{Providers: []auth.Provider{sdmProvider()}, ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"})
		m = send(t, m, tea.WindowSizeMsg{Width: width, Height: 40})
		m = typeString("ABC", m, t)
		next, _ := m.Update(enter) // the exchange is left running
		m = next.(Model)
		if !m.exchange.running {
			t.Fatal("no exchange running")
		}
		for _, l := range strings.Split(view(m), "\n") {
			if w := lipgloss.Width(l); w > width {
				t.Errorf("at %d columns a line is %d wide: %q", width, w, l)
			}
		}
		for _, s := range []string{"nestauth · Google Nest Device Access", "Step 5 of 6 · Authorization code", "Exchanging the code for a token… (esc cancels)"} {
			if !strings.Contains(flat(m), s) {
				t.Errorf("at %d columns %q is cut:\n%s", width, s, view(m))
			}
		}
		m.Close()
	}
}

func TestEveryScreenNamesTheAppAndTheProvider(t *testing.T) {
	var approvals int
	opts := demoOptions(&approvals)
	opts.Prefill = true
	m, _, _ := newModel(t, opts)
	const demo = "nestauth · Works with Nest (demo server on this machine)"
	for _, k := range []tea.Msg{nil, enter, enter, char('a'), enter, char('q')} {
		if k != nil {
			m = send(t, m, k)
		}
		if !strings.HasPrefix(view(m), demo+"\n") {
			t.Errorf("the %v screen does not start with %q:\n%s", m.step, demo, view(m))
		}
	}
	if !m.done {
		t.Fatal("the demo did not reach its end")
	}
	m, _, _ = newModel(t, Options{Providers: []auth.Provider{sdmProvider(), nestProvider()}})
	wantView(t, m, "nestauth\nStep 1 · Provider")
	m = send(t, m, enter)
	wantView(t, m, "nestauth · Google Nest Device Access\nStep 2 of 7 · Device Access project ID")
}

// helpLines are the lines of the view's help, the last ones of the frame.
func helpLines(m Model) []string {
	lines := strings.Split(strings.TrimSuffix(view(m), "\n"), "\n")
	i := len(lines)
	for i > 0 && strings.TrimSpace(lines[i-1]) != "" {
		i--
	}
	return lines[i:]
}

func TestHelpWrapsEvenly(t *testing.T) {
	var approvals int
	for width := 40; width <= 110; width++ {
		m, _, _ := newModel(t, demoOptions(&approvals))
		m = send(t, m, tea.WindowSizeMsg{Width: width, Height: 40})
		help := helpLines(m)
		if width >= 99 && len(help) != 1 { // the Authorize keys of the demo, on one line
			t.Errorf("at %d columns the help takes %d lines:\n%s", width, len(help), strings.Join(help, "\n"))
		}
		widest := 0
		for _, l := range help {
			widest = max(widest, lipgloss.Width(l))
		}
		for _, l := range help {
			if w := lipgloss.Width(l); w > width || w < widest/2 {
				t.Errorf("at %d columns a help line is %d wide (the widest %d):\n%s", width, w, widest, strings.Join(help, "\n"))
			}
		}
	}
}

func TestFrameLosesOnlyTheBlankLinesItMust(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 100})
	full := strings.Count(view(m), "\n")
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: full}) // one row short: the final newline's
	v := view(m)
	if n := strings.Count(v, "\n"); n != full-1 {
		t.Fatalf("%d lines in a %d-row window:\n%s", n, full, v)
	}
	if !strings.HasPrefix(v, "nestauth · Works with Nest (legacy)\nStep 3 of 5 · Authorize\nOpen") || !strings.Contains(v, "\n\no open in browser") {
		t.Fatalf("the gap under the header should go first, the one above the keys stay:\n%s", v)
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 3}) // smaller than the header and the keys
	if n := strings.Count(view(m), "\n"); n > 3 {
		t.Fatalf("%d lines in a 3-row window:\n%s", n, view(m))
	}
}
