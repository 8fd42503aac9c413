package ui

import (
	tea "charm.land/bubbletea/v2"

	"nestauth/ui/tty"
)

// esc on the token step gets another code. A token that went nowhere yet
// (not written out, not to a file, not saved) is asked about first: the
// code that brought it is spent, so a dropped token is gone for good.

// dropQuestion is the question esc asks about a token that went nowhere.
const dropQuestion = "Get another code? The token on screen will be dropped: copy or write it first. y drops it, n keeps it."

// tokenUnkept reports whether the token on screen is nowhere else yet. A
// revoked token is worth nothing: it is dropped without a question.
func (m *wizard) tokenUnkept() bool {
	return m.token != nil && !m.wrote && !m.actions.wrote && m.save.saved == nil && !m.actions.revoked
}

// askDrop asks before esc drops an unkept token.
func (m *wizard) askDrop() tea.Cmd {
	m.actions.confirm = confirmDrop
	m.notice.clear()
	return nil
}

// anotherCode leaves the token for a fresh authorization: the token is off
// the screen, so ctrl+c from here on aborts.
func (m *wizard) anotherCode() tea.Cmd {
	m.dropped = m.tokenUnkept()
	m.token = nil
	m.newAuthorization()
	m.deliverErr = nil // a new token gets its own write
	if m.useDevice() {
		return m.goTo(stepDevice) // a fresh device code
	}
	m.inputs[stepCode].SetValue("")
	cmd := m.goTo(stepAuthorize)
	m.notice.hint = "That code is used up: here is a new URL for another one."
	if m.dropped {
		m.notice.hint = "Dropped the token. That code is used up: here is a new URL for another one."
	}
	return cmd
}

// abortNote is the last frame after ctrl+c, wrapped: whether a token was
// ever on screen, and what became of it.
func (m *wizard) abortNote() string {
	note := "Aborted: no token was fetched."
	switch {
	case m.dropped:
		note = "Aborted: the earlier token was dropped, and no other was fetched."
	case m.tokens > 0:
		note = "Aborted: no new token was fetched."
	}
	return tty.Wrap(note, max(m.width, 10))
}
