package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// The device step as the wizard drives it: the code, its polls and its
// countdown (device.go's session), its keys, its view and its help.

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
		return m.tookToken(msg.token)
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
	m.qr = qrCode{} // of a code that no longer works
	after := flow.AfterDevice(err, m.config().Scopes)
	var cmd tea.Cmd
	if after.Resumes() {
		cmd = m.goTo(after.Step)
	}
	m.notice = notice{err: after.Said, hint: after.Hint}
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
