package ui

import (
	"errors"
	"strings"

	"charm.land/lipgloss/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

// notice is the line under a step: what went wrong, what to do about it,
// and what just happened. Each step starts with none.
type notice struct{ err, hint, status string }

func (n *notice) clear() { *n = notice{} }

// fail says err, sanitized, as a sentence, with the hint its kind has.
func (n *notice) fail(err error) {
	*n = notice{err: flow.Sentence(auth.Sanitize(err.Error()))}
	if errors.Is(err, auth.ErrCloudProjectID) || errors.Is(err, auth.ErrBadProjectID) || errors.Is(err, auth.ErrNoProjectID) {
		n.hint = auth.ProjectIDHelp
	}
}

// write renders the notice under a step, after a blank line, or nothing.
func (n notice) write(b *strings.Builder, s Styles, width int) {
	if n == (notice{}) {
		return
	}
	b.WriteString("\n")
	if n.err != "" {
		writePara(b, s.Error, "✗ "+n.err, width)
	}
	if n.hint != "" {
		writePara(b, s.Hint, n.hint, width)
	}
	if n.status != "" {
		writePara(b, s.Status, n.status, width)
	}
}

// writePara writes s wrapped to width in style, as one paragraph line.
func writePara(b *strings.Builder, style lipgloss.Style, s string, width int) {
	b.WriteString(style.Render(tty.Wrap(s, width)) + "\n")
}
