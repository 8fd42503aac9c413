package ui

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

func (m *wizard) init() tea.Cmd {
	var discover tea.Cmd
	if m.step == stepIssuer && m.opts.Issuer != "" {
		discover = m.submitIssuer() // after the first frame, in view
	}
	return tea.Batch(tea.RequestBackgroundColor, m.enterCmd(), discover)
}

func (m *wizard) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		m.qrResized()
		return nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.applyStyles()
		return nil
	case spinner.TickMsg:
		return tea.Batch(m.exchange.tick(msg), m.actions.call.tick(msg), m.custom.discovery.tick(msg), m.device.tick(msg))
	case discoveredMsg:
		return m.discovered(msg)
	case deviceCodeMsg:
		return m.gotDeviceCode(msg)
	case devicePollMsg:
		return m.pollDue(msg)
	case devicePolledMsg:
		return m.polled(msg)
	case deviceTickMsg:
		return m.countdown(msg)
	case tokenMsg:
		return m.gotToken(msg)
	case exchangeErrMsg:
		return m.exchangeFailed(msg)
	case copiedMsg:
		m.notice.status = msg.status()
		return nil
	case openedMsg:
		m.opened(msg)
		return nil
	case listeningMsg:
		return m.listener.started(msg)
	case capturedMsg:
		return m.captured(msg)
	case approvedMsg:
		return m.approved(msg)
	case deliveredMsg:
		return m.delivered(msg)
	case savedMsg:
		return m.savedProfile(msg)
	case checkedMsg:
		return m.checked(msg)
	case revokedMsg:
		return m.revokeDone(msg)
	case wroteFileMsg:
		return m.wroteFile(msg)
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			if m.step == stepToken && !m.delivering {
				return m.finish() // the code is spent: keep the token, as q does
			}
			m.aborted = true
			return tea.Quit
		}
		return m.updateStep(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	}
	return m.updateField(msg)
}

func (m *wizard) updateStep(msg tea.KeyPressMsg) tea.Cmd {
	if m.exchange.running {
		if key.Matches(msg, keys.Cancel) {
			m.exchange.end()
			m.notice.err = "Canceled."
			m.notice.hint = "If the request reached the server the code may be used up; press Enter to try it anyway."
		}
		return nil // one Enter, one request: nothing else while it runs
	}
	if m.custom.discovery.running {
		if key.Matches(msg, keys.Cancel) {
			m.cancelDiscovery()
		}
		return nil
	}
	switch m.step {
	case stepProvider:
		return m.updateProvider(msg)
	case stepAuthorize:
		return m.updateAuthorize(msg)
	case stepToken:
		return m.updateToken(msg)
	case stepDevice:
		return m.updateDevice(msg)
	}
	switch {
	case key.Matches(msg, keys.Next):
		if m.step == stepCode {
			return m.submitCode()
		}
		if m.step == stepIssuer {
			return m.submitIssuer()
		}
		return m.submitField()
	case key.Matches(msg, keys.Back):
		return m.back()
	case flow.Fields[m.step].Masked && key.Matches(msg, keys.Reveal):
		in := m.inputs[m.step]
		if in.EchoMode == textinput.EchoPassword {
			in.EchoMode = textinput.EchoNormal
		} else {
			in.EchoMode = textinput.EchoPassword
		}
		return nil
	case m.step == stepCode && key.Matches(msg, keys.Reopen):
		return openCmd(m.opts.Open, m.authURL())
	case m.step == stepIssuer && key.Matches(msg, keys.Endpoints):
		return m.typeEndpoints()
	}
	return m.updateField(msg)
}

// paste cleans a bracketed paste: no surrounding white space or newline
// reaches a field, and a pasted redirect URL becomes its code at once.
func (m *wizard) paste(msg tea.PasteMsg) tea.Cmd {
	if m.exchange.running || m.custom.discovery.running {
		return nil // the field holds the code being exchanged, or the issuer read
	}
	if m.step == stepToken {
		return m.pasteWrite(strings.TrimSpace(msg.Content))
	}
	var cmd tea.Cmd
	if m.step == stepAuthorize {
		cmd = m.goTo(stepCode) // the person has the code already
	}
	return tea.Batch(cmd, m.pasteText(strings.TrimSpace(msg.Content)))
}

func (m *wizard) pasteText(text string) tea.Cmd {
	in, ok := m.inputs[m.step]
	if !ok {
		return nil // no field takes it: the notice still says what to do
	}
	m.notice.clear()
	if m.pasteTooLong(in, text, true) {
		return nil
	}
	if m.step == stepCode && text != "" {
		code, err := auth.ParseCode(text, m.state)
		var denied *auth.AuthorizationError
		switch {
		case errors.Is(err, auth.ErrStateMismatch) || errors.As(err, &denied):
			m.setError(err) // nothing in it can be used: keep the field as it was
			return nil
		case err != nil:
			m.setError(err)
		default:
			m.notice.status = flow.TookCode(code, text)
			m.code = code // parsed once: Enter sends it as it is
			in.SetValue(code.Value)
			in.CursorEnd()
			return nil
		}
	}
	if m.pasteTooLong(in, text, false) {
		return nil
	}
	if m.step == stepClientID {
		if _, err := flow.Fields[stepClientID].Parse(m.Provider(), text); errors.Is(err, auth.ErrClientIDIsSecret) {
			m.setError(err) // never on screen, not even until Enter
			return nil
		}
	}
	return m.updateField(tea.PasteMsg{Content: text})
}

// pasteTooLong refuses, and says so, a paste that would not fit the field,
// alone (replacing the value) or added to what the field holds; a text
// input would cut it silently.
func (m *wizard) pasteTooLong(in *textinput.Model, text string, replacing bool) bool {
	limit, n := in.CharLimit, utf8.RuneCountInString(text)
	held := utf8.RuneCountInString(in.Value())
	switch {
	case limit <= 0:
		return false
	case n > limit:
		m.notice.err = fmt.Sprintf("Refused a paste of %d characters: this field takes at most %d, so nothing was pasted.", n, limit)
	case !replacing && n+held > limit:
		m.notice.err = fmt.Sprintf("Refused a paste of %d characters: with the %d already in this field it would pass its limit of %d, so nothing was pasted.", n, held, limit)
	default:
		return false
	}
	return true
}

func (m *wizard) updateProvider(msg tea.KeyPressMsg) tea.Cmd {
	n := len(m.opts.Providers)
	switch {
	case key.Matches(msg, keys.Up):
		m.provider = (m.provider + n - 1) % n
	case key.Matches(msg, keys.Down):
		m.provider = (m.provider + 1) % n
	case key.Matches(msg, keys.Next):
		return m.goTo(m.nextStep()) // one without endpoints gets them at Issuer
	case key.Matches(msg, keys.Back):
		return m.back()
	case key.Matches(msg, keys.ListQuit):
		m.aborted = true // nothing chosen, nothing fetched: an abort like ctrl+c
		return tea.Quit
	case key.Matches(msg, providerNumbers(n)):
		m.provider = int(msg.String()[0] - '1')
		return m.goTo(m.nextStep()) // a number chooses, as enter does
	case typesText(msg):
		// Not a field: other letters do nothing but say which keys work.
		m.notice = notice{hint: fmt.Sprintf("Choose with ↑/↓ (or j/k) and enter, or type a number 1-%d; q quits.", min(n, 9))}
		return nil
	}
	m.notice.err, m.notice.hint = "", ""
	return nil
}

// submitField parses the current field by its row and moves on.
func (m *wizard) submitField() tea.Cmd {
	in := m.inputs[m.step]
	value, err := flow.Fields[m.step].Parse(m.Provider(), in.Value())
	in.SetValue(value)
	m.notice.err, m.notice.hint = "", ""
	if err != nil {
		m.setError(err)
		return nil
	}
	if m.resume {
		m.resume = false
		if m.config().Validate() == nil {
			return m.goTo(stepCode)
		}
	}
	return m.goTo(m.nextStep())
}

func (m *wizard) submitCode() tea.Cmd {
	in, code := m.inputs[stepCode], m.code
	if value := in.Value(); code.Value == "" || value != code.Value {
		var err error // typed, or edited since the paste: parse it now, once
		if code, err = auth.ParseCode(value, m.state); err != nil {
			m.setError(err)
			return nil
		}
	}
	m.code = code
	in.SetValue(code.Value)
	return m.startExchange(code)
}

func (m *wizard) startExchange(code auth.Code) tea.Cmd {
	cfg := m.config()
	if err := cfg.Validate(); err != nil {
		m.setError(err)
		return nil
	}
	m.notice.clear()
	return m.exchange.start(m.opts.Exchanger, cfg, code.Value, m.pkceVerifier(), m.opts.Timeout)
}

func (m *wizard) gotToken(msg tokenMsg) tea.Cmd {
	if !m.exchange.current(msg.attempt) {
		return nil
	}
	m.exchange.end()
	return tea.Batch(m.tookToken(msg.token), m.listener.stop()) // listen again for another code
}

// exchangeFailed sends the person to the step that can fix the failure.
func (m *wizard) exchangeFailed(msg exchangeErrMsg) tea.Cmd {
	if !m.exchange.current(msg.attempt) {
		return nil
	}
	m.exchange.end()
	after, ok := flow.AfterExchange(msg.err)
	if !ok {
		m.setError(msg.err)
		return nil
	}
	var cmd tea.Cmd
	switch {
	case after.NewCode:
		m.inputs[stepCode].SetValue("")
	case after.Resumes():
		cmd = m.goTo(after.Step)
		m.resume = true
	}
	m.notice.err, m.notice.hint = after.Said, after.Hint
	switch {
	case after.NewCode:
		m.notice.hint += m.newCodeHint()
	case after.Resumes():
		m.notice.hint += " Your code is kept: Enter takes you back to it."
	case after.Then != "":
		m.notice.hint += " " + after.Then
	}
	return cmd
}

// newCodeHint says how to get a new code from the code step: the demo
// approves again; without a browser, the URL is copied from Authorize.
func (m *wizard) newCodeHint() string {
	switch {
	case m.opts.Approve != nil:
		return " Press esc, then a: the demo server approves again and shows a new PIN."
	case m.noBrowser || m.opts.Open == nil:
		return " Press esc, then c to copy the URL; open it in any browser and paste the new code here."
	}
	return " Press ctrl+o to open it, then paste the new code here."
}

func (m *wizard) updateAuthorize(msg tea.KeyPressMsg) tea.Cmd {
	if m.qr.shown {
		return m.closeQR(msg)
	}
	switch {
	case key.Matches(msg, keys.Next):
		return m.goTo(stepCode)
	case key.Matches(msg, keys.Back):
		return m.back()
	case key.Matches(msg, keys.Open):
		return openCmd(m.opts.Open, m.authURL())
	case key.Matches(msg, keys.CopyURL):
		return copyCmd(m.opts.Copy, m.authURL(), "the URL")
	case m.opts.Approve != nil && key.Matches(msg, keys.Approve):
		return approveCmd(m.opts.Approve, m.authURL())
	case key.Matches(msg, keys.QR):
		return m.showQR()
	case typesText(msg):
		// The person is typing the PIN already: keep every key, in the field.
		return tea.Batch(m.goTo(stepCode), m.updateField(msg))
	}
	return nil
}

// typesText reports whether a key types a character into a field: printable
// text with no ctrl or alt (shift is part of the text). A space is not part
// of any code.
func typesText(msg tea.KeyPressMsg) bool {
	if msg.Text == "" || msg.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock) != 0 {
		return false
	}
	for _, r := range msg.Text {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func (m *wizard) updateToken(msg tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.tokenAction(msg); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, keys.CopyToken):
		return copyCmd(m.opts.Copy, m.token.AccessToken, "the access token")
	case key.Matches(msg, keys.CopyRefresh) && m.token.RefreshToken != "":
		return copyCmd(m.opts.Copy, m.token.RefreshToken, "the refresh token")
	case key.Matches(msg, keys.CopyRefresh):
		m.notice.status = "There is no refresh token to copy: the server did not issue one."
		return nil
	case m.opts.Save != nil && key.Matches(msg, keys.Save):
		return m.startSave(m.opts.Save)
	case key.Matches(msg, keys.Save):
		m.notice = notice{status: m.noSaving()}
		return nil
	case key.Matches(msg, keys.Done):
		return m.finish()
	case key.Matches(msg, keys.NewCode) && m.tokenUnkept():
		return m.askDrop()
	case key.Matches(msg, keys.NewCode):
		return m.anotherCode()
	}
	return nil
}

func (m *wizard) opened(msg openedMsg) {
	switch {
	case m.step == stepDevice && msg.err == nil:
		m.notice.status = "Opened the verification page in your browser."
	case m.step == stepDevice:
		m.notice.status = "No browser could be opened here: open the page on any device (c copies the code)."
	case msg.err == nil:
		m.notice.status = "Opened the authorization URL in your browser."
		m.noBrowser = false
	case m.step == stepCode:
		m.noBrowser = true
		m.notice.status = "No browser could be opened here: go back (esc) and copy the URL (c)."
	default:
		m.noBrowser = true
		m.notice.status = "No browser could be opened here: press c to copy the URL instead."
	}
}

// captured takes a redirect's code, answers the browser, and keeps waiting:
// a rejected code may be followed by a fresh one. The answer is a send that
// never blocks, made here so that it precedes any later close of the listener.
func (m *wizard) captured(msg capturedMsg) tea.Cmd {
	r := msg.result
	if !m.listener.owns(msg) {
		if m.token != nil {
			r.Answer(auth.HaveToken)
		} else {
			r.Answer(auth.NotTaken)
		}
		return nil
	}
	wait := waitCmd(m.listener.capture)
	switch {
	case r.Err != nil:
		if !m.exchange.running && m.step != stepToken {
			// Not setError: a refused redirect leaves what the person typed.
			m.notice.fail(fmt.Errorf("a redirect reached the listener but was refused: %w", r.Err))
		}
		return wait
	case m.step == stepToken:
		r.Answer(auth.HaveToken)
		return wait
	case m.exchange.running:
		r.Answer(auth.Busy)
		return wait
	}
	var enter tea.Cmd
	if m.step != stepCode {
		enter = m.goTo(stepCode)
	}
	m.code = r.Code
	m.inputs[stepCode].SetValue(r.Code.Value)
	cmd := m.startExchange(r.Code)
	if m.exchange.running {
		r.Answer(auth.Taken)
	} else {
		r.Answer(auth.NotTaken)
	}
	return tea.Batch(enter, cmd, wait)
}

func (m *wizard) approved(msg approvedMsg) tea.Cmd {
	if msg.err != nil {
		m.setError(msg.err)
		return nil
	}
	cmd := m.goTo(stepCode)
	in := m.inputs[stepCode]
	in.SetValue(msg.code)
	in.CursorEnd()
	m.notice.status = fmt.Sprintf("The demo server approved and showed PIN %s; it is in the field.", msg.code)
	return cmd
}
