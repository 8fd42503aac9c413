package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// revokedMsg is what a revocation ended with, tagged with its attempt.
type revokedMsg struct {
	attempt int
	err     error
}

// revoke revokes the token at the provider (x, then y).
func (m *wizard) revoke() tea.Cmd {
	cfg, tok, revoke := m.config(), *m.token, m.opts.Revoke
	if _, err := cfg.RevokeTarget(); err != nil {
		m.notice.fail(err)
		return nil
	}
	m.notice.clear()
	return m.actions.call.start("Revoking the token", m.opts.Timeout, func(ctx context.Context, attempt int) tea.Msg {
		return revokedMsg{attempt: attempt, err: revoke(ctx, cfg, &tok)}
	})
}

func (m *wizard) revokeDone(msg revokedMsg) tea.Cmd {
	a := &m.actions
	if !a.call.current(msg.attempt) {
		return nil
	}
	a.call.end()
	switch {
	case msg.err == nil:
		a.revoked, a.checked = true, nil
		m.notice = notice{status: "Revoked. Press v to see the API refuse it, esc for another code, or q to quit."}
	case auth.ErrorKind(msg.err) == auth.KindCode:
		// The server says the token is dead already: nothing pretends it works.
		a.revoked, a.checked = true, nil
		m.notice = notice{err: checkFailure(msg.err), hint: auth.Advice(msg.err)}
	default:
		m.notice = notice{err: "Not revoked. " + checkFailure(msg.err), hint: auth.Advice(msg.err) + " The token may still work."}
	}
	return nil
}
