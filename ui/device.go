package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
)

// The device authorization grant (RFC 8628): the person approves a short
// code on another device while the wizard polls the token endpoint, one
// poll at a time, at the server's interval.

// DeviceMode says when the wizard uses the device flow.
type DeviceMode int

const (
	// DeviceAuto: when the provider has a device authorization endpoint
	// (a discovered one only if the server lists the grant) and no
	// redirect URI.
	DeviceAuto DeviceMode = iota
	// DeviceAlways: --device.
	DeviceAlways
	// DeviceNever: --no-device.
	DeviceNever
)

// DeviceFlow asks for a device code and polls for the token; tests swap it.
type DeviceFlow interface {
	DeviceAuth(ctx context.Context, cfg auth.Config) (*auth.DeviceCode, error)
	PollOnce(ctx context.Context, cfg auth.Config, dc *auth.DeviceCode) (*auth.Token, time.Duration, error)
}

// ConfigDevice runs the device flow with auth.Config.
type ConfigDevice struct{}

// DeviceAuth runs cfg.DeviceAuth at the provider's device endpoint, with its scopes.
func (ConfigDevice) DeviceAuth(ctx context.Context, cfg auth.Config) (*auth.DeviceCode, error) {
	return cfg.DeviceAuth(ctx, cfg.DeviceURL, cfg.Scopes)
}

// PollOnce runs cfg.PollOnce.
func (ConfigDevice) PollOnce(ctx context.Context, cfg auth.Config, dc *auth.DeviceCode) (*auth.Token, time.Duration, error) {
	return cfg.PollOnce(ctx, dc)
}

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

func deviceAuthCmd(ctx context.Context, flow DeviceFlow, cfg auth.Config, session int) tea.Cmd {
	return func() tea.Msg {
		dc, err := flow.DeviceAuth(ctx, cfg)
		return deviceCodeMsg{session: session, code: dc, err: err}
	}
}

func devicePollCmd(ctx context.Context, flow DeviceFlow, cfg auth.Config, dc auth.DeviceCode, session int) tea.Cmd {
	return func() tea.Msg {
		tok, next, err := flow.PollOnce(ctx, cfg, &dc)
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
	ended   bool
	spinner spinner.Model
}

// start asks for a fresh code, with the spinner.
func (d *device) start(flow DeviceFlow, cfg auth.Config, timeout time.Duration) tea.Cmd {
	d.stop()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	d.asking, d.cancel = true, cancel
	return tea.Batch(d.spinner.Tick, deviceAuthCmd(ctx, flow, cfg, d.session))
}

// stop ends the session: a request in flight is canceled, and whatever it
// or a scheduled poll or tick brings later is ignored.
func (d *device) stop() {
	d.settle()
	d.session++
	d.asking, d.polling, d.code, d.ended = false, false, nil, false
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

// useDevice reports whether the wizard runs the device flow instead of the
// browser's redirect.
func (m *wizard) useDevice() bool {
	switch m.opts.Device {
	case DeviceNever:
		return false
	case DeviceAlways:
		return true
	}
	p := m.Provider()
	return p.DeviceURL != "" && p.RedirectURI == ""
}

func (m *wizard) startDevice() tea.Cmd {
	m.notice.clear()
	return m.device.start(m.opts.DeviceFlow, m.config(), m.opts.Timeout)
}

func (m *wizard) gotDeviceCode(msg deviceCodeMsg) tea.Cmd {
	d := &m.device
	if msg.session != d.session || !d.asking {
		return nil
	}
	d.asking = false
	d.settle()
	if msg.err != nil {
		return m.deviceFailed(msg.err)
	}
	d.code = msg.code
	return tea.Batch(pollAfter(d.code.Interval, d.session), countdownTick(d.session))
}

// pollDue sends the next poll, unless one is in flight or the code ended.
func (m *wizard) pollDue(msg devicePollMsg) tea.Cmd {
	d := &m.device
	if msg.session != d.session || d.code == nil || d.polling {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.opts.Timeout)
	d.polling, d.cancel = true, cancel
	return devicePollCmd(ctx, m.opts.DeviceFlow, m.config(), *d.code, d.session)
}

func (m *wizard) polled(msg devicePolledMsg) tea.Cmd {
	d := &m.device
	if msg.session != d.session || !d.polling {
		return nil
	}
	d.polling = false
	d.settle()
	switch {
	case msg.err == nil && msg.token != nil:
		m.token = msg.token
		return m.goTo(stepToken)
	case msg.err == nil: // authorization_pending, or slow_down with a longer wait
		if msg.next > d.code.Interval {
			m.notice.status = fmt.Sprintf("The server asked nestauth to slow down: it now asks every %d s.", int(msg.next.Seconds()))
		}
		d.code.Interval = msg.next
		m.notice.err, m.notice.hint = "", ""
		return pollAfter(msg.next, d.session)
	case auth.ErrorKind(msg.err) == auth.KindNetwork || auth.ErrorKind(msg.err) == auth.KindServer:
		m.notice.err = "No answer from the token endpoint: " + auth.Sanitize(msg.err.Error()) + "."
		m.notice.hint = fmt.Sprintf("nestauth asks again in %d s; the code stays valid.", int(d.code.Interval.Seconds()))
		return pollAfter(d.code.Interval, d.session)
	}
	return m.deviceFailed(msg.err)
}

// countdown keeps the expiry on screen current, once a second, only while
// the code is live and shown; at expiry the code ends.
func (m *wizard) countdown(msg deviceTickMsg) tea.Cmd {
	d := &m.device
	if msg.session != d.session || d.code == nil || m.step != stepDevice {
		return nil
	}
	if exp := d.code.Expiry; !exp.IsZero() && !m.opts.Now().Before(exp) {
		return m.deviceFailed(&auth.Error{Kind: auth.KindCode, Err: auth.ErrExpiredToken})
	}
	return countdownTick(d.session)
}

// deviceFailed ends the code and says why; a rejected client goes back to
// the step that fixes it.
func (m *wizard) deviceFailed(err error) tea.Cmd {
	m.device.stop()
	m.device.ended = true
	m.qr = qrCode{} // of a code that no longer works
	var cmd tea.Cmd
	switch auth.ErrorKind(err) {
	case auth.KindSecret:
		cmd = m.goTo(stepSecret)
	case auth.KindClientID:
		cmd = m.goTo(stepClientID)
	}
	m.notice.fail(err)
	var e *auth.Error
	if errors.As(err, &e) && e.Code != "" {
		m.notice.err = "The server said: " + e.Error() + "."
	}
	m.notice.hint = auth.DeviceHint(err)
	if m.step == stepDevice {
		m.notice.hint = strings.TrimSpace(m.notice.hint + " Press enter for a fresh code.")
	}
	return cmd
}

func (m *wizard) updateDevice(msg tea.KeyPressMsg) tea.Cmd {
	d := &m.device
	if m.qr.shown {
		m.qr.shown = false // any key goes back to the code
		return nil
	}
	switch {
	case key.Matches(msg, keys.Cancel):
		d.stop()
		return m.back()
	case d.code != nil && key.Matches(msg, keys.CopyCode):
		return copyCmd(m.opts.Copy, d.code.UserCode, "the code")
	case d.code != nil && key.Matches(msg, keys.OpenPage):
		return openCmd(m.opts.Open, verificationPage(d.code))
	case d.code != nil && key.Matches(msg, keys.QR):
		return m.showQR()
	case !d.asking && d.code == nil && key.Matches(msg, keys.FreshCode):
		return m.startDevice()
	}
	return nil
}

// verificationPage is the page to open: with the code filled in when the
// server gives one.
func verificationPage(dc *auth.DeviceCode) string {
	if dc.VerificationURIComplete != "" {
		return dc.VerificationURIComplete
	}
	return dc.VerificationURI
}

func (m *wizard) viewDevice(b *strings.Builder) (keep []string) {
	d := &m.device
	switch {
	case d.asking:
		m.spinnerLine(b, d.spinner, "Asking "+m.Provider().Name+" for a code… (esc cancels)")
		return nil
	case d.code == nil:
		return nil // ended: the notice says why
	}
	dc := d.code
	m.para(b, m.styles.Text, "On any device (a phone will do), open this page, sign in and enter the code:")
	b.WriteString("\n")
	link := m.styles.URL.Hyperlink(dc.VerificationURI)
	var page strings.Builder
	for line := range strings.SplitSeq(m.hardwrap(dc.VerificationURI), "\n") {
		page.WriteString(link.Render(line) + "\n")
	}
	box := m.codeBox(dc.UserCode)
	b.WriteString(page.String() + "\n" + box + "\n")
	var facts []string
	if !dc.Expiry.IsZero() {
		facts = append(facts, "Expires in "+clock(dc.Expiry.Sub(m.opts.Now())))
	}
	facts = append(facts, fmt.Sprintf("asks every %d s", int(dc.Interval.Seconds())))
	m.para(b, m.styles.Faint, strings.Join(facts, " · "))
	if dc.VerificationURIComplete != "" {
		m.para(b, m.styles.Faint, "o opens the page with the code filled in.")
	}
	b.WriteString("\n")
	m.spinnerLine(b, d.spinner, "Waiting for you to approve…")
	return []string{page.String(), box}
}

// codeBox shows the user code large: letters spaced, bold, in a box; plain
// when the window is too narrow for that.
func (m *wizard) codeBox(code string) string {
	text := strings.Join(strings.Split(code, ""), " ")
	frame := m.styles.Code.GetHorizontalFrameSize()
	if ansi.StringWidth(text)+frame > m.width {
		text = code
	}
	if ansi.StringWidth(text)+frame > m.width {
		return m.styles.Token.Render(m.hardwrap(code)) + "\n"
	}
	return m.styles.Code.Render(text) + "\n"
}

// clock is a countdown as m:ss, never negative.
func clock(d time.Duration) string {
	s := max(int(d.Round(time.Second).Seconds()), 0)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// spinnerLine writes a spinner and text wrapped beside it, so a narrow
// window cuts no word.
func (m *wizard) spinnerLine(b *strings.Builder, s spinner.Model, text string) {
	spin := s.View() + " "
	indent := strings.Repeat(" ", lipgloss.Width(spin))
	wrapped := wrapWords(text, max(m.width-len(indent), 10))
	b.WriteString(spin + strings.ReplaceAll(m.styles.Faint.Render(wrapped), "\n", "\n"+indent) + "\n")
}

// deviceKeys are the device step's keys in its phase.
func (m *wizard) deviceKeys() bindingList {
	switch m.device.phase() {
	case 1:
		return bindingList{keys.Cancel, keys.Quit}
	case 2:
		return bindingList{keys.CopyCode, keys.OpenPage, keys.QR, keys.Cancel, keys.Quit}
	}
	return bindingList{keys.FreshCode, keys.Back, keys.Quit}
}
