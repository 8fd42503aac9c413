package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// What an exchange ends with, tagged with its attempt.
type (
	tokenMsg struct {
		attempt int
		token   *auth.Token
	}
	exchangeErrMsg struct {
		attempt int
		err     error
	}
)

// exchangeCmd runs one token request in the background.
func exchangeCmd(ctx context.Context, ex flow.Exchanger, cfg auth.Config, code, verifier string, attempt int) tea.Cmd {
	return func() tea.Msg {
		tok, err := ex.Exchange(ctx, cfg, code, verifier)
		if err != nil {
			return exchangeErrMsg{attempt: attempt, err: err}
		}
		return tokenMsg{attempt: attempt, token: tok}
	}
}

// exchange is the token request in flight, if any: one at a time.
type exchange struct{ inflight }

// start sends one token request, with the spinner, under a timeout.
func (e *exchange) start(ex flow.Exchanger, cfg auth.Config, code, verifier string, timeout time.Duration) tea.Cmd {
	ctx, attempt := e.begin(timeout)
	return tea.Batch(e.spinner.Tick, exchangeCmd(ctx, ex, cfg, code, verifier, attempt))
}
