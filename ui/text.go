package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"nestauth/ui/tty"
)

// WrapText fits prose to width columns, breaking only at spaces, as the
// wizard does; main uses it for what it prints after the wizard.
func WrapText(s string, width int) string { return tty.Wrap(s, width) }

// writePara writes s wrapped to width in style, as one paragraph line.
func writePara(b *strings.Builder, style lipgloss.Style, s string, width int) {
	b.WriteString(style.Render(tty.Wrap(s, width)) + "\n")
}
