package tty

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Wrap fits prose to width, breaking only at spaces (lipgloss.Wrap
// also breaks at hyphens, which splits UUIDs, flags and commands); a word
// wider than the window is broken where it must be.
func Wrap(s string, width int) string {
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

// breaksLine reports whether a line may break at r: at white space, but not
// at a no-break space, which keeps "OSC 52" together.
func breaksLine(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u2007' && r != '\u202f'
}
