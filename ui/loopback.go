package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// listener is the loopback server that catches the browser's redirect,
// when the redirect URI is a loopback one.
type listener struct {
	capture *auth.Capture
	uri     string // the redirect URI it serves, or failed to: not tried again
	err     string // why it could not listen, sanitized
}

// What the listener's commands send back.
type (
	listeningMsg struct {
		capture *auth.Capture
		uri     string
		err     error
	}
	capturedMsg struct {
		capture *auth.Capture
		result  auth.Captured
	}
)

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

// started records a listen's outcome and, once listening, waits.
func (l *listener) started(msg listeningMsg) tea.Cmd {
	if msg.err != nil {
		*l = listener{uri: msg.uri, err: auth.Sanitize(msg.err.Error())}
		return nil
	}
	*l = listener{capture: msg.capture, uri: msg.uri}
	return waitCmd(msg.capture)
}

// owns reports whether a redirect came through this listener.
func (l *listener) owns(msg capturedMsg) bool { return l.capture != nil && msg.capture == l.capture }

// stop closes the listener in the background, so a later visit listens again.
func (l *listener) stop() tea.Cmd {
	if l.capture == nil {
		return nil
	}
	c := l.capture
	*l = listener{}
	return closeCmd(c)
}

// close closes the listener now, once the program has ended.
func (l *listener) close() {
	if l.capture != nil {
		_ = l.capture.Close()
	}
}
