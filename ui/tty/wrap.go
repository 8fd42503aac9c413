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
				word = breakWord(word, width)
				w = ansi.StringWidth(word[strings.LastIndexByte(word, '\n')+1:])
				col = 0
			}
			b.WriteString(word)
			col += w
		}
	}
	return b.String()
}

// breakWord breaks a word wider than width into lines that fit: a plain
// ASCII word (a URL, a path) after a '/', '?' or '&' where one falls in the
// second half of the line, so "…/devices" is not cut inside "devices";
// anything else, and a stretch with no such place, at the width.
func breakWord(word string, width int) string {
	if width < 2 || !printableASCII(word) {
		return ansi.Hardwrap(word, width, true)
	}
	var b strings.Builder
	for len(word) > width {
		cut := strings.LastIndexAny(word[:width], "/?&") + 1
		if cut <= width/2 {
			cut = width
		}
		b.WriteString(word[:cut])
		b.WriteByte('\n')
		word = word[cut:]
	}
	b.WriteString(word)
	return b.String()
}

// printableASCII reports whether s is printable ASCII alone: one byte, one
// column, no escape sequence.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// breaksLine reports whether a line may break at r: at white space, but not
// at a no-break space, which keeps "OSC 52" together.
func breaksLine(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u2007' && r != '\u202f'
}
