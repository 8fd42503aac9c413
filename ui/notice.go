package ui

import (
	"errors"
	"strings"

	"nestauth/auth"
	"nestauth/ui/flow"
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
