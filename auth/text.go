package auth

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Sanitize makes untrusted text safe to show in a terminal: it drops escape
// sequences, control characters and invisible formatting characters (such as
// bidirectional overrides), and turns newlines and tabs into spaces.
func Sanitize(s string) string {
	s = ansi.Strip(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case r == unicode.ReplacementChar, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// maxExcerpt bounds the piece of an unexpected body shown to a person.
const maxExcerpt = 120

// Excerpt returns the start of an untrusted body, sanitized and on one line.
func Excerpt(body []byte) string {
	return oneLine(Sanitize(string(body[:min(len(body), 4*maxExcerpt)])))
}

// oneLine joins sanitized text's words with single spaces and cuts it to
// maxExcerpt runes.
func oneLine(s string) string { return cut(strings.Join(strings.Fields(s), " "), maxExcerpt) }

// cut shortens s to n runes and an ellipsis.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if r := []rune(s); len(r) > n {
		return strings.TrimRightFunc(string(r[:n]), unicode.IsSpace) + "…"
	}
	return s
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }
