package ui

// The Provider step: its keys, and its list in narrow windows.

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

// A number chooses its provider at once; letters other than j, k and q
// only say which keys work.
func TestProviderNumbersChoose(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: auth.Providers()})
	wantView(t, m, "1-5 choose", "enter choose", "q quit")
	m = typeString("abcdefghilmnoprstuvwxyzJKQ", m, t)
	wantStep(t, m, stepProvider)
	if m.provider != 0 || m.aborted {
		t.Fatalf("letters moved the cursor to %d or quit (%v)", m.provider, m.aborted)
	}
	wantView(t, m, "type a number 1-5")
	m = send(t, m, char('2'))
	wantStep(t, m, stepClientID)
	wantView(t, m, "nestauth · Works with Nest")
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

// In a narrow window a provider's name wraps under itself: every line
// fits, and the whole name is there.
func TestProviderNamesWrapInNarrowWindows(t *testing.T) {
	p := sdmProvider()
	p.Name = "Google Nest Device Access (demo server on this machine)"
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{p, nestProvider()}})
	m = send(t, m, tea.WindowSizeMsg{Width: 40, Height: 24})
	v := view(m)
	for _, line := range strings.Split(v, "\n") {
		if w := lipgloss.Width(line); w > 40 {
			t.Errorf("a line of %d columns in a 40-column window: %q", w, line)
		}
	}
	if !strings.Contains(testkit.SquashSpace(v), "> 1. Google Nest Device Access (demo server on this machine)") {
		t.Errorf("the name is cut:\n%s", v)
	}
}
