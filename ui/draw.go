package ui

import (
	"strings"

	"charm.land/bubbles/v2/spinner"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/ui/tty"
)

// What the steps' views draw with: text wrapped to the window, a paragraph,
// a spinner with its text beside it.

func (m *wizard) wrap(s string) string { return tty.Wrap(s, m.width) }

// hardwrap breaks a long unbroken string (a URL, a token) at the window edge.
func (m *wizard) hardwrap(s string) string { return ansi.Hardwrap(s, m.width, true) }

func (m *wizard) para(b *strings.Builder, style lipgloss.Style, s string) {
	writePara(b, style, s, m.width)
}

// spinnerLine writes a spinner and text wrapped beside it, so a narrow
// window cuts no word.
func (m *wizard) spinnerLine(b *strings.Builder, s spinner.Model, text string) {
	spin := s.View() + " "
	indent := strings.Repeat(" ", lipgloss.Width(spin))
	wrapped := tty.Wrap(text, max(m.width-len(indent), 10))
	b.WriteString(spin + strings.ReplaceAll(m.styles.Faint.Render(wrapped), "\n", "\n"+indent) + "\n")
}
