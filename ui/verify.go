package ui

import (
	"context"
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

// checkedMsg is what a verification ended with, tagged with its attempt.
type checkedMsg struct {
	attempt int
	result  *auth.CheckResult
	err     error
}

// verify proves the token works with one API call (v).
func (m *wizard) verify() tea.Cmd {
	cfg, token, check := m.config(), m.token.AccessToken, m.opts.Check
	if _, err := cfg.CheckTarget(); err != nil {
		m.missingEndpoint(err)
		return nil
	}
	m.notice.clear()
	what := "Verifying the token with one API call"
	if m.actions.revoked {
		what = "Trying the revoked token with one API call"
	}
	return m.actions.call.start(what, m.opts.Timeout, func(ctx context.Context, attempt int) tea.Msg {
		res, err := check(ctx, cfg, token)
		return checkedMsg{attempt: attempt, result: res, err: err}
	})
}

func (m *wizard) checked(msg checkedMsg) tea.Cmd {
	a := &m.actions
	if !a.call.current(msg.attempt) {
		return nil
	}
	a.call.end()
	a.checked = nil
	if msg.err != nil && a.revoked && auth.ErrorKind(msg.err) == auth.KindCode {
		// What revoking was for: no advice about expiry or refreshing.
		m.notice = notice{status: "✓ The API refused the revoked token, as it should: " + flow.Sentence(auth.Sanitize(msg.err.Error()))}
		return nil
	}
	if msg.err != nil {
		m.notice = notice{err: checkFailure(msg.err), hint: auth.Advice(msg.err)}
		return nil
	}
	a.checked = msg.result
	m.notice.clear()
	return nil
}

// checkFailure says in a sentence why a check or revoke failed.
func checkFailure(err error) string {
	var e *auth.Error
	switch {
	case !errors.As(err, &e):
		return flow.Sentence(auth.Sanitize(err.Error()))
	case e.Kind == auth.KindNetwork:
		return "No answer: " + flow.Sentence(e.Error())
	case e.Kind == auth.KindUsage:
		return flow.Sentence(e.Error())
	case e.Status != 0:
		return "The server refused: " + flow.Sentence(e.Error())
	}
	return "It failed: " + flow.Sentence(e.Error())
}

// writeChecked shows what a working token reaches, a line each, and why an
// answer lists nothing.
func (m *wizard) writeChecked(b *strings.Builder, r *auth.CheckResult) {
	b.WriteString("\n")
	head := "✓ The token works: " + auth.Sanitize(r.URL) + " answered"
	if r.Via != "" {
		head += " (via " + auth.Sanitize(r.Via) + ")"
	}
	m.para(b, m.styles.Status, head+".")
	for _, line := range r.Lines() {
		if line == r.Note {
			continue
		}
		text := tty.Wrap(auth.Sanitize(line), max(m.width-2, 10))
		b.WriteString(m.styles.Text.Render("  "+strings.ReplaceAll(text, "\n", "\n  ")) + "\n")
	}
	if r.Note != "" {
		m.para(b, m.styles.Warn, auth.Sanitize(r.Note))
	}
}
