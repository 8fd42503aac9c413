package ui

// A frame in a small window keeps what matters: the token, the URL, no needless blank line.

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// At 30×10 the token step keeps the token whole, and Authorize its URL.
func TestSmallWindowKeepsTheTokenAndTheURL(t *testing.T) {
	m := toToken(t, demoRun())
	m = send(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	v := view(m)
	if n := strings.Count(v, "\n"); n > 9 {
		t.Errorf("%d lines in a 10-row window:\n%s", n, v)
	}
	if flat := strings.ReplaceAll(v, "\n", ""); !strings.Contains(flat, m.token.AccessToken) {
		t.Errorf("the token is not whole on screen:\n%s", v)
	}

	m, _, _ = newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	m = send(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	wantStep(t, m, stepAuthorize)
	if flat := strings.ReplaceAll(view(m), "\n", ""); !strings.Contains(flat, m.authURL()) {
		t.Errorf("the URL is not whole on screen:\n%s", view(m))
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
