package ui

// A frame in a small window keeps what matters: the token, the URL, no needless blank line.

import (
	"fmt"
	"os"
	"path/filepath"
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

// squash is s on one line, its words single-spaced: a wrapped sentence
// reads as one.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// fitsWindow fails unless the frame takes at most h-1 rows (the final
// newline takes the last).
func fitsWindow(t *testing.T, m Model, h int) string {
	t.Helper()
	v := view(m)
	if n := strings.Count(v, "\n"); n > h-1 {
		t.Errorf("%d lines in a %d-row window:\n%s", n, h, v)
	}
	return v
}

// In a short window, a question on the token step shows whole with its
// keys, and the verification's result before it gives way, said to be
// hidden.
func TestShortWindowKeepsTheWholeQuestion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tok.json")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	questions := []struct {
		name string
		ask  func(t *testing.T, m Model) Model
		want []string // the question and its keys
	}{
		{"x", func(t *testing.T, m Model) Model { return send(t, m, char('x')) },
			[]string{"Revoke this token at the provider? It stops working for good, wherever it is used. y revokes, n keeps it.", "y revoke", "n/esc keep"}},
		{"esc", func(t *testing.T, m Model) Model { return send(t, m, esc) },
			[]string{dropQuestion, "y drop it", "n/esc keep"}},
		{"w", func(t *testing.T, m Model) Model { return send(t, m, char('w')) },
			[]string{"Write the token (JSON, as nestauth exchange prints it) to this file, with mode 0600 (yours alone):", "> " + DefaultTokenFile, "enter write", "esc cancel"}},
		{"w to a file that exists", func(t *testing.T, m Model) Model {
			m = send(t, m, char('w'))
			m.actions.write.input.SetValue(path)
			return send(t, m, enter)
		}, []string{path + " exists. Replace it? y replaces it, n keeps it.", "y replace", "n/esc keep"}},
	}
	for _, size := range [][2]int{{80, 10}, {30, 10}} {
		for _, q := range questions {
			if size[0] == 30 && strings.Contains(q.name, "exists") {
				continue // the temporary path alone is taller than 30×10 allows
			}
			t.Run(fmt.Sprintf("%s at %d×%d", q.name, size[0], size[1]), func(t *testing.T) {
				m, _, _ := atFakeToken(t)
				m = send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = send(t, m, char('v'))
				m = q.ask(t, m)
				v := fitsWindow(t, m, size[1])
				for _, want := range q.want {
					if !strings.Contains(squash(v), squash(want)) {
						t.Errorf("the question is not whole: %q is missing\n%s", want, v)
					}
				}
				if !strings.Contains(squash(v), m.token.AccessToken[:10]) {
					t.Errorf("the token is gone:\n%s", v)
				}
				if strings.Contains(v, "✓ The token works") || !strings.Contains(squash(v), "result") {
					t.Errorf("the older result should give way, and be said to be hidden:\n%s", v)
				}
			})
		}
	}
}

// At 30×10 a header is whole or gone, and Authorize keeps every key.
func TestShortNarrowWindowDropsWholeUnits(t *testing.T) {
	var approvals int
	opts := demoOptions(&approvals)
	m, _, _ := newModel(t, opts)
	m = send(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	wantStep(t, m, stepAuthorize)
	v := fitsWindow(t, m, 10)
	if appLines := strings.Split(m.wrap("nestauth · "+m.Provider().Name), "\n"); len(appLines) > 1 {
		for _, l := range appLines {
			if strings.Contains(v, l) != strings.Contains(v, appLines[0]) {
				t.Errorf("the header is cut mid-wrap (%q):\n%s", l, v)
			}
		}
	}
	for _, k := range []string{"o open in browser", "c copy URL", "Q QR code", "a approve (demo)", "enter next", "esc back", "ctrl+c quit"} {
		if !strings.Contains(v, k) {
			t.Errorf("at 30×10 Authorize lacks %q:\n%s", k, v)
		}
	}
	if flat := strings.ReplaceAll(v, "\n", ""); !strings.Contains(flat, m.authURL()) {
		t.Errorf("the URL is not whole:\n%s", v)
	}
	if !strings.Contains(squash(v), "(hidden: text, header)") {
		t.Errorf("what is hidden is not said:\n%s", v)
	}
}

// The answer to the last key (v's result) is the last to give way: older
// text goes first.
func TestShortWindowShowsTheLatestResult(t *testing.T) {
	m, _, _ := atFakeToken(t)
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 10})
	m = send(t, m, char('v'))
	v := fitsWindow(t, m, 10)
	if !strings.Contains(v, "✓ The token works") || !strings.Contains(v, "Homes: ") {
		t.Errorf("the verification's result should show:\n%s", v)
	}
}
