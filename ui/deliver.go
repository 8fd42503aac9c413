package ui

import (
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// deliveredMsg says whether Options.Deliver wrote the token.
type deliveredMsg struct{ err error }

// deliverCmd hands the token to Options.Deliver.
func deliverCmd(deliver func(*auth.Token) error, tok *auth.Token) tea.Cmd {
	return func() tea.Msg { return deliveredMsg{err: deliver(tok)} }
}

// finish ends the wizard with its token. With Options.Deliver the token is
// written first, while the wizard still shows it: if the write fails, the
// person can still copy it. Once a write has failed, finishing just quits.
func (m Model) finish() (tea.Model, tea.Cmd) {
	if m.delivering {
		return m, nil // one write of the token
	}
	if m.opts.Deliver == nil || m.deliverErr != nil {
		m.done = true
		if m.deliverErr == nil {
			m.status = "" // the last frame says where the token went, nothing stale
		}
		return m, tea.Quit
	}
	m.delivering = true
	return m, deliverCmd(m.opts.Deliver, m.token)
}

func (m Model) delivered(msg deliveredMsg) (tea.Model, tea.Cmd) {
	m.delivering = false
	if msg.err != nil {
		m.deliverErr = msg.err
		m.errMsg = "Could not write the token out: " + auth.Sanitize(msg.err.Error()) + "."
		m.hint = "It is still here: copy it (c) before you quit (q)."
		m.status = ""
		return m, nil
	}
	m.done, m.wrote = true, true
	m.status = ""
	return m, tea.Quit
}

// Delivered reports whether Options.Deliver wrote the token.
func (m Model) Delivered() bool { return m.wrote }

// DeliverErr is why Options.Deliver could not write the token, or nil.
func (m Model) DeliverErr() error { return m.deliverErr }
