package auth

import (
	"regexp"
	"strconv"
	"testing"
)

// The hand-written matchers (no regexp compiled at start) agree with the
// patterns they replace.
func FuzzHandWrittenMatchers(f *testing.F) {
	const uuid = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`
	uuidIn := regexp.MustCompile(uuid)
	uuidWhole := regexp.MustCompile("^" + uuid + "$")
	cloud := regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	percent := regexp.MustCompile(`%[0-9A-Fa-f]{2}`)
	for _, s := range []string{
		"0a1b2c3d-1234-5678-9abc-0123456789ab", "x0A1B2C3D-1234-5678-9ABC-0123456789ABx",
		"0a1b2c3d-1234-5678-9abc-0123456789a", "0a1b2c3d-1234-5678-9abc-0123456789ag0a1b2c3d-1234-5678-9abc-0123456789ab",
		"my-project-123456", "abcd-", "a-bcdefghijklmnopqrstuvwxyzabc1", "é-project-1",
		"%2F%2f%zz%%41%4", "a%2Fb%C3%A9%", "",
		// the ends of each character range, and their neighbours
		"9999999f-FFFF-aaaa-AAAA-000000000000", "0000000:-0000-0000-0000-000000000000", "0000000/-0000-0000-0000-000000000000",
		"0000000g-0000-0000-0000-000000000000", "0000000G-0000-0000-0000-000000000000", "0000000`-0000-0000-0000-000000000000",
		"0000000@-0000-0000-0000-000000000000", "zproject-09", "{project-09", "`project-09", "project-z", "project-{",
		"project-0", "project-/", "project-9", "project-:", "pro`ect-1", "pro{ect-1", "pro/ect-1", "pro:ect-1",
		"%FF%9A%0F%AZ", "%@0%G0%:0%/0%[0", "%F@%FG%9:%0/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isUUID(s), uuidWhole.MatchString(s); got != want {
			t.Errorf("isUUID(%q) = %v, the pattern says %v", s, got, want)
		}
		if got, want := findUUID(s), uuidIn.FindString(s); got != want {
			t.Errorf("findUUID(%q) = %q, the pattern says %q", s, got, want)
		}
		if got, want := isCloudProjectID(s), cloud.MatchString(s); got != want {
			t.Errorf("isCloudProjectID(%q) = %v, the pattern says %v", s, got, want)
		}
		d := identity(s).decode(false)
		want := percent.ReplaceAllStringFunc(s, func(x string) string {
			b, _ := strconv.ParseUint(x[1:], 16, 8)
			return string([]byte{byte(b)})
		})
		if d.text != want {
			t.Errorf("decode(%q) = %q, the pattern says %q", s, d.text, want)
		}
		if len(d.from) != len(d.text)+1 || d.from[0] != 0 || int(d.from[len(d.text)]) != len(s) {
			t.Errorf("decode(%q): offsets %v do not span the original", s, d.from)
		}
		for i := 1; i < len(d.from); i++ {
			if n := d.from[i] - d.from[i-1]; n != 1 && n != 3 {
				t.Errorf("decode(%q): byte %d stands for %d bytes", s, i-1, n)
			}
		}
	})
}

// cut counts runes, not bytes: a text of n runes in more bytes is whole.
func TestCutCountsRunes(t *testing.T) {
	for in, want := range map[string]string{"ééé": "ééé", "éééé": "ééé…", "abc": "abc", "abcd": "abc…", "ab d": "ab…"} {
		if got := cut(in, 3); got != want {
			t.Errorf("cut(%q, 3) = %q, want %q", in, got, want)
		}
	}
}
