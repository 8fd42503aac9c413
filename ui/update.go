package ui

import (
	"context"
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
)

// Messages that commands send back.
type (
	tokenMsg struct {
		attempt int
		token   *auth.Token
	}
	exchangeErrMsg struct {
		attempt int
		err     error
	}
	copiedMsg struct {
		what string
		err  error
	}
	openedMsg    struct{ err error }
	listeningMsg struct {
		capture *auth.Capture
		uri     string
		err     error
	}
	capturedMsg struct {
		capture *auth.Capture
		result  auth.Captured
	}
	approvedMsg struct {
		code string
		err  error
	}
)

// Update dispatches a message to the current step.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.applyStyles()
		return m, nil
	case spinner.TickMsg:
		if !m.exchanging {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case tokenMsg:
		return m.gotToken(msg)
	case exchangeErrMsg:
		return m.exchangeFailed(msg)
	case copiedMsg:
		m.status = copyStatus(msg)
		return m, nil
	case openedMsg:
		if msg.err != nil {
			m.status = "No browser could be opened here: press c to copy the URL instead."
			if m.step == stepCode {
				m.status = "No browser could be opened here: go back (esc) and copy the URL."
			}
		} else {
			m.status = "Opened the authorization URL in your browser."
		}
		return m, nil
	case listeningMsg:
		return m.listening(msg)
	case capturedMsg:
		return m.captured(msg)
	case approvedMsg:
		return m.approved(msg)
	case deliveredMsg:
		return m.delivered(msg)
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			if m.step == stepToken && !m.delivering {
				return m.finish() // the code is spent: keep the token, as q does
			}
			m.aborted = true
			return m, tea.Quit
		}
		return m.updateStep(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	}
	return m.updateField(msg)
}

func (m Model) updateStep(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.exchanging {
		if key.Matches(msg, keys.Cancel) {
			m.cancel()
			m.exchanging = false
			m.attempt++
			m.errMsg = "Canceled."
			m.hint = "If the request reached the server the code may be used up; press Enter to try it anyway."
		}
		return m, nil // one Enter, one request: nothing else while it runs
	}
	switch m.step {
	case stepProvider:
		return m.updateProvider(msg)
	case stepAuthorize:
		return m.updateAuthorize(msg)
	case stepToken:
		return m.updateToken(msg)
	}
	switch {
	case key.Matches(msg, keys.Next):
		return m.submitField()
	case key.Matches(msg, keys.Back):
		return m.back()
	case m.step == stepSecret && key.Matches(msg, keys.Reveal):
		in := &m.inputs[fieldSecret]
		if in.EchoMode == textinput.EchoPassword {
			in.EchoMode = textinput.EchoNormal
		} else {
			in.EchoMode = textinput.EchoPassword
		}
		return m, nil
	case m.step == stepCode && key.Matches(msg, keys.Reopen):
		return m, openCmd(m.opts.Open, m.authURL())
	}
	return m.updateField(msg)
}

// updateField passes a message to the focused text field.
func (m Model) updateField(msg tea.Msg) (tea.Model, tea.Cmd) {
	f, ok := stepField[m.step]
	if !ok || m.exchanging {
		return m, nil
	}
	var cmd tea.Cmd
	m.inputs[f], cmd = m.inputs[f].Update(msg)
	return m, cmd
}

func (m Model) back() (tea.Model, tea.Cmd) {
	prev, ok := m.prevStep()
	if !ok {
		m.hint = "This is the first step: ctrl+c quits."
		return m, nil
	}
	m.resume = false
	return m, m.goTo(prev)
}

// paste cleans a bracketed paste: no surrounding white space or newline
// reaches a field, and a pasted redirect URL becomes its code at once.
func (m Model) paste(msg tea.PasteMsg) (tea.Model, tea.Cmd) {
	if m.exchanging {
		return m, nil // the field holds the code being exchanged
	}
	var cmd tea.Cmd
	if m.step == stepAuthorize {
		cmd = m.goTo(stepCode) // the person has the code already
	}
	next, pasteCmd := m.pasteText(strings.TrimSpace(msg.Content))
	return next, tea.Batch(cmd, pasteCmd)
}

func (m Model) pasteText(text string) (tea.Model, tea.Cmd) {
	m.errMsg, m.hint, m.status = "", "", ""
	f, ok := stepField[m.step]
	if !ok {
		return m, nil
	}
	if m.pasteTooLong(f, text, true) {
		return m, nil
	}
	if m.step == stepCode && text != "" {
		code, err := auth.ParseCode(text, m.state)
		var denied *auth.AuthorizationError
		if errors.Is(err, auth.ErrStateMismatch) || errors.As(err, &denied) {
			m.setError(err) // nothing in it can be used: keep the field as it was
			return m, nil
		}
		if err != nil {
			m.setError(err)
		} else {
			switch {
			case code.FromURL && !code.StateChecked:
				m.status = "Took the code out of the URL (it carried no state to check)."
			case code.Value != text:
				m.status = "Took the code out of what you pasted."
			}
			m.code = code // parsed once: Enter sends it as it is
			m.inputs[fieldCode].SetValue(code.Value)
			m.inputs[fieldCode].CursorEnd()
			return m, nil
		}
	}
	if m.pasteTooLong(f, text, false) {
		return m, nil
	}
	if m.step == stepClientID && errors.Is(auth.ValidateClientID(auth.NormalizeClientID(text)), auth.ErrClientIDIsSecret) {
		m.setError(auth.ErrClientIDIsSecret) // never on screen, not even until Enter
		return m, nil
	}
	return m.updateField(tea.PasteMsg{Content: text})
}

// pasteTooLong refuses, and says so, a paste that would not fit field f,
// alone (replacing the value) or added to what the field holds; a text
// input would cut it silently.
func (m *Model) pasteTooLong(f int, text string, replacing bool) bool {
	limit, n := m.inputs[f].CharLimit, utf8.RuneCountInString(text)
	held := utf8.RuneCountInString(m.inputs[f].Value())
	switch {
	case limit <= 0:
		return false
	case n > limit:
		m.errMsg = fmt.Sprintf("Refused a paste of %d characters: this field takes at most %d, so nothing was pasted.", n, limit)
	case !replacing && n+held > limit:
		m.errMsg = fmt.Sprintf("Refused a paste of %d characters: with the %d already in this field it would pass its limit of %d, so nothing was pasted.", n, held, limit)
	default:
		return false
	}
	return true
}

func (m Model) updateProvider(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	n := len(m.opts.Providers)
	switch {
	case key.Matches(msg, keys.Up):
		m.provider = (m.provider + n - 1) % n
	case key.Matches(msg, keys.Down):
		m.provider = (m.provider + 1) % n
	case key.Matches(msg, keys.Next):
		if err := m.config().ValidateEndpoints(); errors.Is(err, auth.ErrNoEndpoint) {
			m.errMsg = m.Provider().Name + " needs its endpoints from flags."
			m.hint = "Quit (ctrl+c) and run: nestauth --provider " + m.Provider().ID + " --auth-url URL --token-url URL"
			return m, nil
		}
		return m, m.goTo(m.nextStep())
	case key.Matches(msg, keys.Back):
		return m.back()
	case key.Matches(msg, keys.ListQuit):
		m.aborted = true // nothing chosen, nothing fetched: an abort like ctrl+c
		return m, tea.Quit
	default:
		if d := msg.String(); len(d) == 1 && d[0] >= '1' && int(d[0]-'1') < n {
			m.provider = int(d[0] - '1')
		}
	}
	m.errMsg, m.hint = "", ""
	return m, nil
}

// submitField validates the current field and moves on.
func (m Model) submitField() (tea.Model, tea.Cmd) {
	f := stepField[m.step]
	value := strings.TrimSpace(m.inputs[f].Value())
	if m.step == stepClientID {
		value = auth.NormalizeClientID(value)
	}
	if m.step == stepProject {
		value = auth.NormalizeProjectID(value)
	}
	m.inputs[f].SetValue(value)
	m.errMsg, m.hint = "", ""
	var err error
	switch m.step {
	case stepProject:
		err = auth.ValidateProjectID(value)
	case stepClientID:
		err = auth.ValidateClientID(value)
	case stepSecret:
		if value == "" && !m.Provider().PublicClient {
			err = auth.ErrNoClientSecret
		}
	case stepCode:
		return m.submitCode()
	}
	if err != nil {
		m.setError(err)
		return m, nil
	}
	if m.resume {
		m.resume = false
		if m.config().Validate() == nil {
			return m, m.goTo(stepCode)
		}
	}
	return m, m.goTo(m.nextStep())
}

func (m Model) submitCode() (tea.Model, tea.Cmd) {
	code := m.code
	if value := m.inputs[fieldCode].Value(); code.Value == "" || value != code.Value {
		var err error // typed, or edited since the paste: parse it now, once
		if code, err = auth.ParseCode(value, m.state); err != nil {
			m.setError(err)
			return m, nil
		}
	}
	m.code = code
	m.inputs[fieldCode].SetValue(code.Value)
	return m.startExchange(code)
}

func (m Model) startExchange(code auth.Code) (tea.Model, tea.Cmd) {
	cfg := m.config()
	if err := cfg.Validate(); err != nil {
		m.setError(err)
		return m, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.opts.Timeout)
	m.cancel = cancel
	m.exchanging = true
	m.attempt++
	m.errMsg, m.hint, m.status = "", "", ""
	return m, tea.Batch(m.spinner.Tick, exchangeCmd(ctx, m.opts.Exchanger, cfg, code.Value, m.pkceVerifier(), m.attempt))
}

func (m Model) gotToken(msg tokenMsg) (tea.Model, tea.Cmd) {
	if msg.attempt != m.attempt || !m.exchanging {
		return m, nil
	}
	m.cancel()
	m.exchanging = false
	m.token = msg.token
	cmd := m.goTo(stepToken)
	if m.capture != nil {
		cmd = tea.Batch(cmd, closeCmd(m.capture))
		m.capture, m.listenAddr = nil, "" // listen again for another code
	}
	return m, cmd
}

// exchangeFailed sends the person to the step that can fix the failure.
func (m Model) exchangeFailed(msg exchangeErrMsg) (tea.Model, tea.Cmd) {
	if msg.attempt != m.attempt || !m.exchanging {
		return m, nil
	}
	m.cancel()
	m.exchanging = false
	var e *auth.Error
	if !errors.As(msg.err, &e) {
		m.setError(msg.err)
		return m, nil
	}
	var cmd tea.Cmd
	switch e.Kind {
	case auth.KindCode:
		m.inputs[fieldCode].SetValue("")
	case auth.KindSecret:
		cmd = m.goTo(stepSecret)
		m.resume = true
	case auth.KindClientID:
		cmd = m.goTo(stepClientID)
		m.resume = true
	}
	m.errMsg = "The server said: " + e.Error() + "."
	if e.Kind == auth.KindNetwork {
		m.errMsg = "No answer from the token endpoint: " + e.Error() + "."
	}
	m.hint = e.Hint()
	switch {
	case e.Kind == auth.KindCode:
		m.hint += " Press ctrl+o to open it, then paste the new code here."
	case e.Kind == auth.KindRedirect:
		m.hint = m.config().RedirectHint() + " Your code is kept (it may still be good): Enter tries it again."
	case m.resume:
		m.hint += " Your code is kept: Enter takes you back to it."
	case e.Retryable():
		m.hint += " Press Enter to retry."
	}
	return m, cmd
}

func (m *Model) setError(err error) {
	m.errMsg = auth.Sanitize(err.Error())
	m.hint, m.status = "", ""
	switch {
	case errors.Is(err, auth.ErrCloudProjectID), errors.Is(err, auth.ErrBadProjectID), errors.Is(err, auth.ErrNoProjectID):
		m.hint = auth.ProjectIDHelp
	case errors.Is(err, auth.ErrStateMismatch):
		m.inputs[fieldCode].SetValue("")
	case errors.Is(err, auth.ErrClientIDIsSecret):
		m.inputs[fieldClientID].SetValue("") // a secret is not shown in the clear
		m.hint = "It was taken out of the field: the secret goes in the next step."
	}
	if len(m.errMsg) > 0 {
		m.errMsg = strings.ToUpper(m.errMsg[:1]) + m.errMsg[1:] + "."
		m.errMsg = strings.TrimSuffix(m.errMsg, "..")
	}
}

func (m Model) updateAuthorize(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, keys.Next):
		return m, m.goTo(stepCode)
	case key.Matches(msg, keys.Back):
		return m.back()
	case key.Matches(msg, keys.Open):
		return m, openCmd(m.opts.Open, m.authURL())
	case key.Matches(msg, keys.CopyURL):
		url := m.authURL()
		return m, tea.Batch(tea.SetClipboard(url), copyCmd(m.opts.Copy, url, "the URL"))
	case m.opts.Approve != nil && key.Matches(msg, keys.Approve):
		return m, approveCmd(m.opts.Approve, m.authURL())
	case typesText(msg):
		// The person is typing the PIN already: keep every key, in the field.
		cmd := m.goTo(stepCode)
		next, typed := m.updateField(msg)
		return next, tea.Batch(cmd, typed)
	}
	return m, nil
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

func (m Model) updateToken(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, keys.CopyToken):
		return m, tea.Batch(tea.SetClipboard(m.token.AccessToken), copyCmd(m.opts.Copy, m.token.AccessToken, "the access token"))
	case key.Matches(msg, keys.CopyRefresh) && m.token.RefreshToken != "":
		return m, tea.Batch(tea.SetClipboard(m.token.RefreshToken), copyCmd(m.opts.Copy, m.token.RefreshToken, "the refresh token"))
	case key.Matches(msg, keys.CopyRefresh):
		m.status = "There is no refresh token to copy: the server did not issue one."
		return m, nil
	case key.Matches(msg, keys.Done):
		return m.finish()
	case key.Matches(msg, keys.NewCode):
		m.newAuthorization()
		m.deliverErr = nil // a new token gets its own write
		m.inputs[fieldCode].SetValue("")
		cmd := m.goTo(stepAuthorize)
		m.hint = "That code is used up: here is a new URL for another one."
		return m, cmd
	}
	return m, nil
}

func (m Model) listening(msg listeningMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.listenErr = auth.Sanitize(msg.err.Error())
		m.listenAddr = msg.uri // don't retry on every visit
		return m, nil
	}
	m.capture, m.listenAddr, m.listenErr = msg.capture, msg.uri, ""
	return m, waitCmd(msg.capture)
}

// captured takes a redirect's code, answers the browser, and keeps waiting:
// a rejected code may be followed by a fresh one. The answer is a send that
// never blocks, made here so that it precedes any later close of the listener.
func (m Model) captured(msg capturedMsg) (tea.Model, tea.Cmd) {
	r := msg.result
	if msg.capture != m.capture || m.capture == nil {
		if m.token != nil {
			r.Answer(auth.HaveToken)
		} else {
			r.Answer(auth.NotTaken)
		}
		return m, nil
	}
	wait := waitCmd(m.capture)
	if r.Err != nil {
		if !m.exchanging && m.step != stepToken {
			typed := m.inputs[fieldCode].Value() // a refused redirect must not wipe it
			m.setError(fmt.Errorf("a redirect reached the listener but was refused: %w", r.Err))
			m.inputs[fieldCode].SetValue(typed)
		}
		return m, wait
	}
	switch {
	case m.step == stepToken:
		r.Answer(auth.HaveToken)
		return m, wait
	case m.exchanging:
		r.Answer(auth.Busy)
		return m, wait
	}
	if m.step != stepCode {
		m.step = stepCode
		m.focus()
	}
	m.code = r.Code
	m.inputs[fieldCode].SetValue(r.Code.Value)
	m.status = "The browser brought the code back."
	next, cmd := m.startExchange(r.Code)
	if next.(Model).exchanging {
		r.Answer(auth.Taken)
	} else {
		r.Answer(auth.NotTaken)
	}
	return next, tea.Batch(cmd, wait)
}

func (m Model) approved(msg approvedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setError(msg.err)
		return m, nil
	}
	cmd := m.goTo(stepCode)
	m.inputs[fieldCode].SetValue(msg.code)
	m.inputs[fieldCode].CursorEnd()
	m.status = fmt.Sprintf("The demo server approved and showed PIN %s; it is in the field.", msg.code)
	return m, cmd
}

func copyStatus(msg copiedMsg) string {
	if msg.err != nil {
		return fmt.Sprintf("Sent %s to the terminal's clipboard (OSC 52). No system clipboard: %s.", msg.what, auth.Sanitize(msg.err.Error()))
	}
	return fmt.Sprintf("Copied %s to the system clipboard and the terminal's (OSC 52).", msg.what)
}
