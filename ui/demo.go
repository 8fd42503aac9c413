package ui

import tea "charm.land/bubbletea/v2"

// approvedMsg carries the PIN the demo server showed on approving.
type approvedMsg struct {
	code string
	err  error
}

// approveCmd approves the authorization URL as the demo user would.
func approveCmd(approve func(string) (string, error), url string) tea.Cmd {
	return func() tea.Msg {
		code, err := approve(url)
		return approvedMsg{code: code, err: err}
	}
}
