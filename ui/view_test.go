package ui

// The header and the spinner's line: whole words, the app and the provider named.

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"nestauth/auth"
)

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
