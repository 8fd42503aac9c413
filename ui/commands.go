package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// errUnavailable is returned by a missing clipboard or browser.
var errUnavailable = errors.New("not available here")

// exchangeCmd runs one token request in the background.
func exchangeCmd(ctx context.Context, ex Exchanger, cfg auth.Config, code, verifier string, attempt int) tea.Cmd {
	return func() tea.Msg {
		tok, err := ex.Exchange(ctx, cfg, code, verifier)
		if err != nil {
			return exchangeErrMsg{attempt: attempt, err: err}
		}
		return tokenMsg{attempt: attempt, token: tok}
	}
}

// copyCmd writes text to the system clipboard and says how it went.
func copyCmd(copyFn func(string) error, text, what string) tea.Cmd {
	return func() tea.Msg {
		if copyFn == nil {
			return copiedMsg{what: what, err: errUnavailable}
		}
		return copiedMsg{what: what, err: copyFn(text)}
	}
}

func openCmd(open func(string) error, url string) tea.Cmd {
	return func() tea.Msg {
		if open == nil {
			return openedMsg{err: errUnavailable}
		}
		return openedMsg{err: open(url)}
	}
}

func listenCmd(listen func(auth.Loopback, string) (*auth.Capture, error), lb auth.Loopback, uri, state string) tea.Cmd {
	return func() tea.Msg {
		c, err := listen(lb, state)
		return listeningMsg{capture: c, uri: uri, err: err}
	}
}

// waitCmd waits for the next redirect to reach the listener.
func waitCmd(c *auth.Capture) tea.Cmd {
	return func() tea.Msg {
		return capturedMsg{capture: c, result: c.Wait(context.Background())}
	}
}

func closeCmd(c *auth.Capture) tea.Cmd {
	return func() tea.Msg {
		_ = c.Close()
		return nil
	}
}

func approveCmd(approve func(string) (string, error), url string) tea.Cmd {
	return func() tea.Msg {
		code, err := approve(url)
		return approvedMsg{code: code, err: err}
	}
}

var (
	errNoClipboard = errors.New("install xclip, xsel or wl-clipboard for it")
	errNoDisplay   = errors.New("no display to hold it (over SSH?)")
)
