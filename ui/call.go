package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// call is an API call about the token in flight (verify or revoke), if
// any: one at a time, with a spinner, under the request timeout.
type call struct {
	running bool
	what    string // "Verifying the token", for the spinner's line
	attempt int    // tags results, so an ended call's late one is ignored
	cancel  context.CancelFunc
	spinner spinner.Model
}

func newCall() call { return call{spinner: spinner.New(spinner.WithSpinner(spinner.Dot))} }

// start runs do in the background, with the spinner; do gets the context
// and the attempt that tags its message.
func (c *call) start(what string, timeout time.Duration, do func(context.Context, int) tea.Msg) tea.Cmd {
	c.end()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	c.running, c.what, c.cancel = true, what, cancel
	attempt := c.attempt
	return tea.Batch(c.spinner.Tick, func() tea.Msg { return do(ctx, attempt) })
}

// current reports whether a result of attempt is the one awaited.
func (c *call) current(attempt int) bool { return c.running && attempt == c.attempt }

// end stops the running call, if any; whatever it answers later is ignored.
func (c *call) end() {
	if c.cancel != nil {
		c.cancel()
	}
	c.running, c.cancel = false, nil
	c.attempt++
}

// tick animates the spinner while a call runs.
func (c *call) tick(msg spinner.TickMsg) tea.Cmd {
	if !c.running {
		return nil
	}
	var cmd tea.Cmd
	c.spinner, cmd = c.spinner.Update(msg)
	return cmd
}
