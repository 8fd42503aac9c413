package ui

// SIGINT, SIGTERM and SIGHUP while a token request is out: the wizard
// finishes it first, then ends as if q were pressed on the token step
// (the token to stdout), or as before if the answer held no token.

import (
	"os"

	tea "charm.land/bubbletea/v2"
)

// SignalMsg is a signal the program got (SIGINT, SIGTERM, SIGHUP): the
// command sends it instead of letting Bubble Tea quit at once.
type SignalMsg struct{ Signal os.Signal }

// requestOut reports whether a request that may be issuing a token is at
// the server: an exchange, or a device poll.
func (m *wizard) requestOut() bool { return m.exchange.running || m.device.polling }

// signaled stops the wizard at once when nothing is out, as Bubble Tea
// would (ctrl+c's status for SIGINT); a token on screen goes out as q sends
// it; a request out is waited for (signalDue).
func (m *wizard) signaled(msg SignalMsg) tea.Cmd {
	switch {
	case m.requestOut():
		if m.signal == nil {
			m.signal = msg.Signal
			m.notice.status = "Stopping once the token request is answered, so that its token is not lost…"
		}
		return nil
	case m.step == stepToken && m.token != nil:
		m.signal = msg.Signal
		return m.signalDue()
	case msg.Signal == os.Interrupt:
		m.aborted = true
	}
	return tea.Quit
}

// signalDue ends the wizard for a signal held back, once no request is
// out and the token, if one came, is saved (--save) and delivered.
func (m *wizard) signalDue() tea.Cmd {
	switch {
	case m.signal == nil || m.requestOut() || m.done:
		return nil
	case m.step == stepToken && m.token != nil:
		return m.finish() // nil while a save or a write runs: the next message asks again
	}
	return tea.Quit
}

// HeldSignal is the signal the wizard held back until a request was
// answered, or nil: the command exits with its status.
func (m *wizard) HeldSignal() os.Signal { return m.signal }
