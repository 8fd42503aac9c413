package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// inflight is one background request (an exchange, an API call, a
// discovery) with its spinner: one at a time, each tagged with an attempt so
// that the late answer of an ended one is ignored.
type inflight struct {
	running bool
	attempt int
	cancel  context.CancelFunc
	spinner spinner.Model
}

func newInflight() inflight { return inflight{spinner: spinner.New(spinner.WithSpinner(spinner.Dot))} }

// begin ends any request still running and starts a new attempt under a
// timeout; the caller runs its command with ctx, tagged with attempt.
func (r *inflight) begin(timeout time.Duration) (ctx context.Context, attempt int) {
	r.end()
	ctx, r.cancel = context.WithTimeout(context.Background(), timeout)
	r.running = true
	return ctx, r.attempt
}

// current reports whether an answer of attempt is the one awaited.
func (r *inflight) current(attempt int) bool { return r.running && attempt == r.attempt }

// end stops the running request, if any; whatever it answers later is ignored.
func (r *inflight) end() {
	if r.cancel != nil {
		r.cancel()
	}
	r.running, r.cancel = false, nil
	r.attempt++
}

// tick animates the spinner while a request runs.
func (r *inflight) tick(msg spinner.TickMsg) tea.Cmd {
	if !r.running {
		return nil
	}
	var cmd tea.Cmd
	r.spinner, cmd = r.spinner.Update(msg)
	return cmd
}

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
