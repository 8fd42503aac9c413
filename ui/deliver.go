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
func (m *wizard) finish() tea.Cmd {
	if m.delivering || m.save.running {
		return nil // one write of the token; a save half done is no save
	}
	if m.opts.Deliver == nil || m.deliverErr != nil || m.actions.revoked {
		m.done = true
		m.notice.hint = "" // its keys are gone with the program
		if m.deliverErr == nil {
			m.notice.status = "" // the last frame says where the token went, nothing stale
		}
		if m.actions.revoked {
			m.notice.clear() // the last frame says the token went nowhere
		}
		return tea.Quit
	}
	m.delivering = true
	return deliverCmd(m.opts.Deliver, m.token)
}

func (m *wizard) delivered(msg deliveredMsg) tea.Cmd {
	m.delivering = false
	if msg.err != nil {
		m.deliverErr = msg.err
		m.notice = notice{
			err:  "Could not write the token out: " + auth.Sanitize(msg.err.Error()) + ".",
			hint: "It is still here: copy it (c) before you quit (q).",
		}
		return nil
	}
	m.done, m.wrote = true, true
	m.notice.status, m.notice.hint = "", ""
	return tea.Quit
}
