package profile

import (
	"regexp"
	"strings"
	"testing"
)

// ValidateName and isKey are hand-written versions of these patterns, so that
// nothing compiles at start-up; they must agree with them.
var (
	namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	keyPattern  = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
)

func TestNameAndKeyMatchTheirPatterns(t *testing.T) {
	inputs := []string{"", "default", "home", "a", "A.b_c-d", ".hidden", "-x", "_x", "x y", "x/y", "ünï",
		"nest\x00", strings.Repeat("a", 64), strings.Repeat("a", 65), "9lives", "a:b", "a\nb",
		"z", "Z", "0", "9", "zZ09", "`", "{", "@", "[", "/", ":"} // the ends of each character range, and their neighbours
	for _, s := range inputs {
		if got, want := ValidateName(s) == nil, namePattern.MatchString(s); got != want {
			t.Errorf("ValidateName(%q) ok = %v, want %v", s, got, want)
		}
		if got, want := isKey(s), keyPattern.MatchString(s); got != want {
			t.Errorf("isKey(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzNameAndKey(f *testing.F) {
	f.Add("default")
	f.Add(".x")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidateName(s) == nil, namePattern.MatchString(s); got != want {
			t.Errorf("ValidateName(%q) ok = %v, want %v", s, got, want)
		}
		if got, want := isKey(s), keyPattern.MatchString(s); got != want {
			t.Errorf("isKey(%q) = %v, want %v", s, got, want)
		}
	})
}
