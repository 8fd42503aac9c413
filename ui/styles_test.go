package ui

import (
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

var sgrParams = regexp.MustCompile("\x1b\\[([0-9;]*)m")

// fg16 renders s through a 16-colour terminal's profile (TERM=xterm, no
// COLORTERM) and returns the SGR foreground it ends up with ("" for none).
func fg16(t *testing.T, s lipgloss.Style) string {
	t.Helper()
	var out strings.Builder
	w := &colorprofile.Writer{Forward: &out, Profile: colorprofile.ANSI}
	if _, err := w.WriteString(s.Render("x")); err != nil {
		t.Fatal(err)
	}
	for _, m := range sgrParams.FindAllStringSubmatch(out.String(), -1) {
		for _, p := range strings.Split(m[1], ";") {
			var n int
			if _, err := fmt.Sscan(p, &n); err == nil && (n >= 30 && n <= 37 || n >= 90 && n <= 97) {
				return p
			}
		}
	}
	return ""
}

func TestSixteenColourStylesStayApart(t *testing.T) {
	for _, dark := range []bool{true, false} {
		t.Run(fmt.Sprintf("dark=%v", dark), func(t *testing.T) {
			st := NewStyles(dark)
			errFG, warnFG, hintFG := fg16(t, st.Error), fg16(t, st.Warn), fg16(t, st.Hint)
			if errFG == warnFG || errFG == hintFG || warnFG == hintFG {
				t.Errorf("with 16 colours error %q, warning %q and hint %q must differ", errFG, warnFG, hintFG)
			}
			keyFG, descFG, sepFG := fg16(t, st.Help.ShortKey), fg16(t, st.Help.ShortDesc), fg16(t, st.Help.ShortSeparator)
			if keyFG == descFG {
				t.Errorf("with 16 colours help keys and descriptions are both %q", keyFG)
			}
			for name, fg := range map[string]string{"key": keyFG, "description": descFG, "separator": sepFG} {
				if dark && fg == "30" || !dark && fg == "97" { // black on dark, white on light
					t.Errorf("with 16 colours the help %s is %q: invisible on this background", name, fg)
				}
			}
		})
	}
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		ch := func(v uint32) float64 {
			s := float64(v) / 0xffff
			if s <= 0.03928 {
				return s / 12.92
			}
			return math.Pow((s+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestHelpContrast(t *testing.T) {
	backgrounds := map[bool][]string{
		// black, VS Code, One Dark, Nord, Solarized dark, Ubuntu's terminal
		true: {"#000000", "#1E1E1E", "#282C34", "#2E3440", "#002B36", "#300A24"},
		// white, Solarized light, GitHub light
		false: {"#FFFFFF", "#FDF6E3", "#F6F8FA"},
	}
	for dark, bgs := range backgrounds {
		st := NewStyles(dark)
		for _, bg := range bgs {
			for name, s := range map[string]lipgloss.Style{"key": st.Help.ShortKey, "description": st.Help.ShortDesc} {
				if c := contrast(s.GetForeground(), lipgloss.Color(bg)); c < 4.5 {
					t.Errorf("help %s on %s (dark=%v): contrast %.2f:1, want at least 4.5:1", name, bg, dark, c)
				}
			}
		}
	}
}

// darkBackground is a terminal's answer to the background query: black.
type darkBackground struct{}

func (darkBackground) RGBA() (r, g, b, a uint32) { return 0, 0, 0, 0xffff }

// sgrBefore is the foreground (30–37, 90–97) of the last SGR sequence
// before index i of s that sets one.
func sgrBefore(s string, i int) string {
	fg := ""
	for _, m := range sgrParams.FindAllStringSubmatchIndex(s[:i], -1) {
		for _, p := range strings.Split(s[m[2]:m[3]], ";") {
			var n int
			if _, err := fmt.Sscan(p, &n); err == nil && (n >= 30 && n <= 37 || n >= 90 && n <= 97) {
				fg = p
			}
		}
	}
	return fg
}

// The "> " prompt and the cursor, as a 16-colour terminal (TERM=xterm)
// draws them on the background the terminal reported: never white or light
// grey on a light one, never black on a dark one.
func TestSixteenColourPromptAndCursorReadable(t *testing.T) {
	for _, dark := range []bool{true, false} {
		t.Run(fmt.Sprintf("dark=%v", dark), func(t *testing.T) {
			m, _, _ := newModel(t, Options{})
			var bg color.Color = lightBackground{}
			if dark {
				bg = darkBackground{}
			}
			m = send(t, m, tea.BackgroundColorMsg{Color: bg})
			m = typeString("ab", m, t)
			var out strings.Builder
			w := &colorprofile.Writer{Forward: &out, Profile: colorprofile.ANSI}
			if _, err := w.WriteString(m.View().Content); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			prompt := strings.Index(s, "> ")
			cursor := regexp.MustCompile("\x1b\\[[0-9;]*\\b7\\b[0-9;]*m ").FindStringIndex(s) // reversed: the cursor cell
			if prompt < 0 || cursor == nil {
				t.Fatalf("no prompt or no cursor in %q", s)
			}
			unreadable := map[string]bool{"37": true, "97": true} // on white
			if dark {
				unreadable = map[string]bool{"30": true}
			}
			for name, fg := range map[string]string{"prompt": sgrBefore(s, prompt), "cursor": sgrBefore(s, cursor[1])} {
				if unreadable[fg] {
					t.Errorf("with 16 colours the %s is %q on this background: unreadable\n%q", name, fg, s)
				}
			}
		})
	}
}

// In full colour, the prompt reads at 4.5:1 and the cursor block at 3:1 (a
// component, not text) on common backgrounds.
func TestPromptAndCursorContrast(t *testing.T) {
	backgrounds := map[bool][]string{
		true:  {"#000000", "#1E1E1E", "#282C34", "#2E3440", "#002B36", "#300A24"},
		false: {"#FFFFFF", "#FDF6E3", "#F6F8FA"},
	}
	for dark, bgs := range backgrounds {
		st := NewStyles(dark)
		for _, bg := range bgs {
			if c := contrast(st.Input.Focused.Prompt.GetForeground(), lipgloss.Color(bg)); c < 4.5 {
				t.Errorf("prompt on %s (dark=%v): contrast %.2f:1, want at least 4.5:1", bg, dark, c)
			}
			if c := contrast(st.Input.Cursor.Color, lipgloss.Color(bg)); c < 3 {
				t.Errorf("cursor on %s (dark=%v): contrast %.2f:1, want at least 3:1", bg, dark, c)
			}
		}
	}
}
