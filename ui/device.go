package ui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// The device authorization grant (RFC 8628): the person approves a short
// code on another device while the wizard polls the token endpoint, one
// poll at a time, at the server's interval.

// What the device flow's commands send back, each tagged with the session
// (one per code) it belongs to.
type (
	deviceCodeMsg struct {
		session int
		code    *auth.DeviceCode
		err     error
	}
	// devicePollMsg: the interval has passed, time to poll.
	devicePollMsg   struct{ session int }
	devicePolledMsg struct {
		session int
		token   *auth.Token
		next    time.Duration
		err     error
	}
	// deviceTickMsg: a second of the countdown has passed.
	deviceTickMsg struct{ session int }
)

func deviceAuthCmd(ctx context.Context, df flow.DeviceFlow, cfg auth.Config, session int) tea.Cmd {
	return func() tea.Msg {
		dc, err := df.DeviceAuth(ctx, cfg)
		return deviceCodeMsg{session: session, code: dc, err: err}
	}
}

func devicePollCmd(ctx context.Context, df flow.DeviceFlow, cfg auth.Config, dc auth.DeviceCode, session int) tea.Cmd {
	return func() tea.Msg {
		tok, next, err := df.PollOnce(ctx, cfg, &dc)
		return devicePolledMsg{session: session, token: tok, next: next, err: err}
	}
}

// pollAfter schedules the next poll: only once the previous one answered,
// so one poll is in flight at a time.
func pollAfter(d time.Duration, session int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return devicePollMsg{session: session} })
}

func countdownTick(session int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return deviceTickMsg{session: session} })
}

// device is the device flow's state: asking for a code, then a live code
// being polled for, or an ended one (the notice says why; enter asks anew).
type device struct {
	session int // tags a code's requests, polls and ticks; stop moves on
	asking  bool
	polling bool
	cancel  context.CancelFunc // of the request in flight
	code    *auth.DeviceCode   // the live code
	spinner spinner.Model
}

// start asks for a fresh code, with the spinner.
func (d *device) start(df flow.DeviceFlow, cfg auth.Config, timeout time.Duration) tea.Cmd {
	d.stop()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	d.asking, d.cancel = true, cancel
	return tea.Batch(d.spinner.Tick, deviceAuthCmd(ctx, df, cfg, d.session))
}

// stop ends the session: a request in flight is canceled, and whatever it
// or a scheduled poll or tick brings later is ignored.
func (d *device) stop() {
	d.settle()
	d.session++
	d.asking, d.polling, d.code = false, false, nil
}

// settle releases the request that just answered.
func (d *device) settle() {
	if d.cancel != nil {
		d.cancel()
	}
	d.cancel = nil
}

// tick animates the spinner while asking or waiting for approval.
func (d *device) tick(msg spinner.TickMsg) tea.Cmd {
	if !d.asking && d.code == nil {
		return nil
	}
	var cmd tea.Cmd
	d.spinner, cmd = d.spinner.Update(msg)
	return cmd
}

// phase is the device step's state for its help line.
func (d *device) phase() int {
	switch {
	case d.asking:
		return 1
	case d.code != nil:
		return 2
	}
	return 3
}

// verificationPage is the page to open: with the code filled in when the
// server gives one.
func verificationPage(dc *auth.DeviceCode) string {
	if dc.VerificationURIComplete != "" {
		return dc.VerificationURIComplete
	}
	return dc.VerificationURI
}

// clock is a countdown as m:ss, never negative.
func clock(d time.Duration) string {
	s := max(int(d.Round(time.Second).Seconds()), 0)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
