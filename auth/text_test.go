package auth_test

import (
	"strings"
	"testing"

	"nestauth/auth"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "authorization code not found", "authorization code not found"},
		{"SGR colour", "\x1b[31mred\x1b[0m", "red"},
		{"OSC title with BEL", "a\x1b]0;title\x07b", "ab"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"clear screen", "\x1b[2J\x1b[Hx", "x"},
		{"bidi override", "abc\u202edef\u202c", "abcdef"},
		{"bidi isolates and marks", "\u2066a\u2069\u200fb\u200e", "ab"},
		{"zero width space", "a\u200bb", "ab"},
		{"C0 controls", "a\x00b\x07c\x08d\x7f", "abcd"},
		{"C1 controls", "a\u0085b\u009b31mc", "ab31mc"}, // a lone C1 CSI is dropped, not parsed
		{"newlines and tabs become spaces", "a\nb\tc\r\nd", "a b c  d"},
		{"invalid UTF-8", "a\xffb", "ab"},
		{"unicode kept", "Gerät für Wärme ✓", "Gerät für Wärme ✓"},
		{"the brief's example", "\x1b[31mred\x1b]0;title\x07\u202e", "red"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auth.Sanitize(tt.in)
			if got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := auth.Sanitize(got); again != got {
				t.Errorf("Sanitize is not idempotent: %q, then %q", got, again)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", 200)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"one line", "<h1>Bad\r\n  Gateway</h1>\n", "<h1>Bad Gateway</h1>"},
		{"long: 120 runes and an ellipsis", long, strings.Repeat("é", 120) + "…"},
		{"exactly 120", strings.Repeat("x", 120), strings.Repeat("x", 120)},
		{"escape sequences", "\x1b[1mbold\x1b[0m \u202eevil", "bold evil"},
		{"cut inside a rune", strings.Repeat("a", 479) + "é", strings.Repeat("a", 120) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.Excerpt([]byte(tt.in)); got != tt.want {
				t.Errorf("Excerpt(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
