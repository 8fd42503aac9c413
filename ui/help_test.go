package ui

// The help line wraps evenly.

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

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
