package ui

// What the copy status says.

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/ui/tty"
)

// At 80 columns the copy status keeps "(OSC 52)" on one line.
func TestOSC52StaysTogether(t *testing.T) {
	for _, err := range []error{nil, errors.New("install xclip, xsel or wl-clipboard for it")} {
		for w := 40; w <= 100; w++ {
			got := tty.Wrap(copiedMsg{what: "the access token", err: err}.status(), w)
			if !strings.Contains(got, "(OSC\u00a052)") {
				t.Errorf("at %d columns: %q", w, got)
			}
		}
	}
	m := toToken(t, Options{})
	m.opts.Copy = func(string) error { return errors.New("install xclip, xsel or wl-clipboard for it") }
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = send(t, m, char('c'))
	if v := view(m); !strings.Contains(v, "(OSC\u00a052)") {
		t.Errorf("the status breaks OSC 52:\n%s", v)
	}
}
