package ui

import (
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// tookToken shows a new token: nothing done with an earlier one carries over.
func (m *wizard) tookToken(tok *auth.Token) tea.Cmd {
	m.token, m.dropped = tok, false
	m.tokens++
	m.save.reset()
	m.actions.reset()
	cmd := m.goTo(stepToken)
	if m.opts.AutoSave {
		cmd = tea.Batch(cmd, m.startSave(m.opts.Save))
	}
	return cmd
}
