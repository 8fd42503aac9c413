package ui

import (
	"strings"
	"unicode"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// WrapText fits prose to width columns, breaking only at spaces, as the
// wizard does; main uses it for what it prints after the wizard.
func WrapText(s string, width int) string { return wrapWords(s, width) }

// wrapWords fits prose to width, breaking only at spaces (lipgloss.Wrap
// also breaks at hyphens, which splits UUIDs, flags and commands); a word
// wider than the window is broken where it must be.
func wrapWords(s string, width int) string {
	var b strings.Builder
	for i, para := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		col := 0
		for _, word := range strings.FieldsFunc(para, breaksLine) {
			w := ansi.StringWidth(word)
			switch {
			case col > 0 && col+1+w <= width:
				b.WriteByte(' ')
				col++
			case col > 0:
				b.WriteByte('\n')
				col = 0
			}
			if w > width {
				word = ansi.Hardwrap(word, width, true)
				w = ansi.StringWidth(word[strings.LastIndexByte(word, '\n')+1:])
				col = 0
			}
			b.WriteString(word)
			col += w
		}
	}
	return b.String()
}

// writePara writes s wrapped to width in style, as one paragraph line.
func writePara(b *strings.Builder, style lipgloss.Style, s string, width int) {
	b.WriteString(style.Render(wrapWords(s, width)) + "\n")
}

// breaksLine reports whether a line may break at r: at white space, but not
// at a no-break space, which keeps "OSC 52" together.
func breaksLine(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u2007' && r != '\u202f'
}
