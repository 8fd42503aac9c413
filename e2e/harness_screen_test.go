package e2e

// Reading what the wizard shows: the current step, the authorization URL
// however it wrapped, a field's value, the token, and the colours in force.

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// afterLast returns the part of s from the last occurrence of marker on: an
// inline program's earlier frames may linger above its current one.
func afterLast(s, marker string) string {
	if i := strings.LastIndex(s, marker); i >= 0 {
		return s[i:]
	}
	return ""
}

// screenURL reassembles the authorization URL the Authorize step shows,
// wrapped over several lines, and returns it with its lines.
func screenURL(s string) (string, []string) {
	s = afterLast(s, "· Authorize")
	var lines []string
	in := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " ")
		switch {
		case !in && (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")):
			in = true
			lines = append(lines, l)
		case in && l == "":
			return strings.Join(lines, ""), lines
		case in:
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, ""), lines
}

func fieldLine(value string) *regexp.Regexp {
	if value == "" { // tmux trims the prompt's trailing space
		return regexp.MustCompile(`(?m)^>\s*$`)
	}
	return regexp.MustCompile(`(?m)^> ` + regexp.QuoteMeta(value) + `\s*$`)
}

var nestTokenRE = regexp.MustCompile(`c\.[A-Z2-9]{40}`)

// tokenOnScreen waits for the Access token step and returns the token shown.
func tokenOnScreen(t *testing.T, tm *tmuxTerm, header string) string {
	t.Helper()
	s := waitFor(t, tm, header)
	tok := nestTokenRE.FindString(afterLast(s, header))
	if tok == "" {
		t.Fatalf("no c.… token on the token step:\n%s", s)
	}
	return tok
}

var sgrRE = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

// colourSGRs lists the SGR sequences in s that set a foreground or
// background colour (not those that reset it to the default).
func colourSGRs(s string) []string {
	var found []string
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, _ := strconv.Atoi(p)
			if (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				found = append(found, strconv.Quote(m[0]))
				break
			}
		}
	}
	return found
}

// fgAt returns the foreground colour SGR parameter ("91", or "" for the
// default) in force where the last text occurs in a capture-pane -e screen.
func fgAt(t *testing.T, screen, text string) string {
	t.Helper()
	i := strings.LastIndex(screen, text)
	if i < 0 {
		t.Fatalf("the screen lacks %q:\n%s", text, screen)
	}
	fg := ""
	for _, m := range sgrRE.FindAllStringSubmatch(screen[:i], -1) {
		params := strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' })
		if len(params) == 0 {
			fg = ""
		}
		for _, p := range params {
			switch n, _ := strconv.Atoi(p); {
			case n == 0 || n == 39:
				fg = ""
			case n >= 30 && n <= 37 || n >= 90 && n <= 97:
				fg = p
			}
		}
	}
	return fg
}
