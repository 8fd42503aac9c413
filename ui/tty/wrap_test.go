package tty_test

import (
	"testing"

	"nestauth/ui/tty"
)

func TestWrapWords(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"a UUID 0a1b2c3d-1234-5678-9abc-0123456789ab here", 40, "a UUID\n0a1b2c3d-1234-5678-9abc-0123456789ab\nhere"},
		{"one two three", 7, "one two\nthree"},
		{"abcdefghij", 4, "abcd\nefgh\nij"},
		{"x abcdefghij y", 4, "x\nabcd\nefgh\nij y"},
		{"line one\nline two", 80, "line one\nline two"},
		// A URL wider than the window breaks after a '/' in the line's
		// second half, not inside a word; with none there, at the width.
		{"works: http://127.0.0.1:4/v1/enterprises/5e1f0d3a/devices answered.", 44,
			"works:\nhttp://127.0.0.1:4/v1/enterprises/5e1f0d3a/\ndevices answered."},
		{"http://h/aaaaaaaaaaaaaaaaaaaa", 12, "http://h/\naaaaaaaaaaaa\naaaaaaaa"},
		{"ab/cdefghijklmnopq", 10, "ab/cdefghi\njklmnopq"},
		{"a=1&b=2&c=3&d=4", 8, "a=1&b=2&\nc=3&d=4"},
	}
	for _, tt := range tests {
		if got := tty.Wrap(tt.in, tt.width); got != tt.want {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
