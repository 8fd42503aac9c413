package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// call is an API call about the token in flight (verify or revoke), if
// any: one at a time, with a spinner, under the request timeout.
type call struct {
	inflight
	what string // "Verifying the token", for the spinner's line
}

func newCall() call { return call{inflight: newInflight()} }

// start runs do in the background, with the spinner; do gets the context
// and the attempt that tags its message.
func (c *call) start(what string, timeout time.Duration, do func(context.Context, int) tea.Msg) tea.Cmd {
	c.what = what
	ctx, attempt := c.begin(timeout)
	return tea.Batch(c.spinner.Tick, func() tea.Msg { return do(ctx, attempt) })
}
