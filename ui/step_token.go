package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"nestauth/auth"
	"nestauth/internal/output"
	"nestauth/ui/flow"
)

// The Access token step's keys as the wizard drives them: v and x (verify.go,
// revoke.go), w's prompt (writefile.go), s (save.go), h and u; the question,
// the help line and what shows under the token (tokenactions.go's state).

// deadToken says that a revoked token is not copied or written.
const deadToken = "The token is revoked: it no longer works, so it is not copied or written. Press esc for another code, or q to quit."

// deadTokenNotSaved says that a revoked token is not saved as a profile.
const deadTokenNotSaved = "The token is revoked: it no longer works, so it is not saved as a profile. Press esc for another code, or q to quit."

// tokenAction handles the token step's keys beyond copy and done, and the
// keys of its prompts and questions; ok is false for a key it leaves to
// updateToken.
func (m *wizard) tokenAction(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	a := &m.actions
	switch {
	case m.save.running && !m.save.gaveUp && key.Matches(msg, keys.Cancel) && !a.call.running && a.confirm == confirmNone && !a.write.open:
		m.giveUpSave()
		return nil, true
	case a.call.running:
		if key.Matches(msg, keys.Cancel) {
			a.call.end()
			m.notice = notice{err: a.call.what + ": canceled."}
		}
		return nil, true // one call at a time, and nothing else meanwhile
	case a.confirm != confirmNone:
		return m.answer(msg), true
	case a.write.open:
		return m.updateWrite(msg), true
	}
	switch {
	case key.Matches(msg, keys.Verify):
		return m.verify(), true
	case key.Matches(msg, keys.Revoke):
		if a.revoked {
			m.notice = notice{status: "The token is revoked already."}
			return nil, true
		}
		if _, err := m.config().RevokeTarget(); err != nil {
			m.missingEndpoint(err) // before the question: y could do nothing
			return nil, true
		}
		a.confirm = confirmRevoke
		m.notice.clear()
		return nil, true
	case a.revoked && (key.Matches(msg, keys.WriteFile) || key.Matches(msg, keys.CopyHeader) ||
		key.Matches(msg, keys.CopyCurl) || key.Matches(msg, keys.CopyToken) || key.Matches(msg, keys.CopyRefresh)):
		m.notice = notice{err: deadToken}
		return nil, true
	case a.revoked && m.opts.Save != nil && key.Matches(msg, keys.Save):
		m.notice = notice{err: deadTokenNotSaved}
		return nil, true
	case m.fileOffer() != "" && key.Matches(msg, keys.SaveToFile):
		return m.askSaveToFile(), true
	case key.Matches(msg, keys.WriteFile):
		return m.openWrite(), true
	case key.Matches(msg, keys.CopyHeader):
		h, err := output.Header(m.token)
		if err != nil {
			m.notice.fail(err)
			return nil, true
		}
		return copyCmd(m.opts.Copy, h, "the Authorization header"), true
	case key.Matches(msg, keys.CopyCurl):
		return m.copyCurl(), true
	}
	return nil, false
}

// copyCurl copies a curl command that makes the provider's first API call.
func (m *wizard) copyCurl() tea.Cmd {
	target, err := m.config().CheckTarget()
	if err != nil {
		m.missingEndpoint(err)
		return nil
	}
	c, err := output.Curl(target, m.token)
	if err != nil {
		m.notice.fail(err)
		return nil
	}
	return copyCmd(m.opts.Copy, c, "a curl command for "+target)
}

// answer takes y or n (esc) to the open question.
func (m *wizard) answer(msg tea.KeyPressMsg) tea.Cmd {
	a := &m.actions
	q := a.confirm
	switch {
	case key.Matches(msg, keys.Yes):
		a.confirm = confirmNone
		if q == confirmRevoke {
			return m.revoke()
		}
		if q == confirmDrop {
			return m.anotherCode()
		}
		if q == confirmFileSave {
			return m.startSave(m.opts.SaveToFile)
		}
		return m.writeFile(true)
	case key.Matches(msg, keys.No):
		a.confirm = confirmNone
		if q == confirmRevoke {
			m.notice = notice{status: "Kept the token: nothing was revoked."}
			return nil
		}
		if q == confirmDrop {
			m.notice = notice{status: "Kept the token: copy it (c) or write it (w); esc then gets another code."}
			return nil
		}
		if q == confirmFileSave {
			m.notice = notice{status: "Nothing was saved: the token is still here, copy it (c) before you quit."}
			return nil
		}
		a.write.close() // back to the token, not to the name: the next key is a key
		m.notice = notice{status: "Kept " + auth.Sanitize(a.write.path) + " as it is."}
		return nil
	}
	return nil
}

// tokenHelp lists the token step's keys in its current state.
func (m *wizard) tokenHelp() bindingList {
	a := &m.actions
	switch {
	case a.call.running:
		return bindingList{keys.Cancel}
	case a.confirm == confirmRevoke:
		return bindingList{keys.YesRevoke, keys.No}
	case a.confirm == confirmReplace:
		return bindingList{keys.YesReplace, keys.No}
	case a.confirm == confirmDrop:
		return bindingList{keys.YesDrop, keys.No}
	case a.confirm == confirmFileSave:
		return bindingList{keys.YesSaveFile, keys.No}
	case a.write.open:
		return bindingList{keys.SaveFile, keys.CancelPrompt}
	}
	_, noAPI := m.config().CheckTarget()
	_, noRevoke := m.config().RevokeTarget()
	if a.revoked {
		if noAPI != nil {
			return bindingList{keys.Done, keys.NewCode}
		}
		return bindingList{keys.Verify, keys.Done, keys.NewCode}
	}
	l := bindingList{keys.CopyToken}
	if m.token.RefreshToken != "" {
		l = append(l, keys.CopyRefresh)
	}
	l = append(l, keys.CopyHeader)
	if noAPI == nil {
		l = append(l, keys.CopyCurl, keys.Verify)
	}
	l = append(l, keys.WriteFile)
	if noRevoke == nil {
		l = append(l, keys.Revoke)
	}
	if m.opts.Save != nil {
		l = append(l, keys.Save)
	}
	if m.fileOffer() != "" {
		l = append(l, keys.SaveToFile)
	}
	if m.save.running && !m.save.gaveUp {
		return append(l, keys.Done, keys.GiveUpSave)
	}
	return append(l, keys.Done, keys.NewCode)
}

// tokenStyle is the token's style: faint once it is revoked.
func (m *wizard) tokenStyle() lipgloss.Style {
	if m.actions.revoked {
		return m.styles.Faint.Strikethrough(true)
	}
	return m.styles.Token
}

// writeTokenAsk shows, under the token, what v and x are doing, or the
// question or file prompt open: the frame keeps it whole, with its keys.
// It reports whether one is shown.
func (m *wizard) writeTokenAsk(b *strings.Builder) bool {
	a := &m.actions
	switch {
	case a.call.running:
		b.WriteString("\n")
		m.spinnerLine(b, a.call.spinner, a.call.what+"… (esc cancels)")
	case a.confirm == confirmRevoke:
		b.WriteString("\n")
		what := "Revoke this token at the provider? It stops working for good, wherever it is used."
		if m.token.RefreshToken != "" {
			what = "Revoke this token at the provider? The refresh token and its access tokens stop working for good, wherever they are used."
		}
		m.para(b, m.styles.Warn, what+" y revokes, n keeps it.")
	case a.confirm == confirmReplace:
		b.WriteString("\n")
		m.para(b, m.styles.Warn, a.write.path+" exists. Replace it? y replaces it, n keeps it.")
	case a.confirm == confirmDrop:
		b.WriteString("\n")
		m.para(b, m.styles.Warn, dropQuestion)
	case a.confirm == confirmFileSave:
		b.WriteString("\n")
		m.para(b, m.styles.Warn, m.fileQuestion())
	case a.write.open:
		b.WriteString("\n")
		m.para(b, m.styles.Text, "Write the token (JSON, as nestauth exchange prints it) to this file, with mode 0600 (yours alone):")
		b.WriteString(a.write.input.View() + "\n")
	default:
		return false
	}
	return true
}

// writeTokenResults shows what the last verification found: the first
// thing a short window gives up.
func (m *wizard) writeTokenResults(b *strings.Builder) {
	if a := &m.actions; a.checked != nil && !a.call.running {
		m.writeChecked(b, a.checked)
	}
}

// openWrite opens the prompt (w) with the default name.
func (m *wizard) openWrite() tea.Cmd {
	p := &m.actions.write
	p.open = true
	p.input.SetValue(DefaultTokenFile)
	p.input.CursorEnd()
	m.notice.clear()
	return p.input.Focus()
}

func (m *wizard) updateWrite(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.actions.write
	switch {
	case p.writing:
		return nil
	case key.Matches(msg, keys.SaveFile):
		return m.writeFile(false)
	case key.Matches(msg, keys.CancelPrompt):
		p.close()
		m.notice = notice{status: "Nothing was written."}
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// pasteWrite pastes into the open prompt.
func (m *wizard) pasteWrite(text string) tea.Cmd {
	p := &m.actions.write
	if !p.open || p.writing || m.actions.confirm != confirmNone {
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(tea.PasteMsg{Content: text})
	return cmd
}

// writeFile writes the token as JSON to the named file; force replaces it.
func (m *wizard) writeFile(force bool) tea.Cmd {
	p := &m.actions.write
	p.path = strings.TrimSpace(p.input.Value())
	if p.path == "" {
		m.notice = notice{err: "Name a file to write the token to."}
		return nil
	}
	data, err := output.JSON(m.token)
	if err != nil {
		m.notice.fail(err)
		return nil
	}
	p.writing = true
	return writeFileCmd(p.path, data, force)
}

func (m *wizard) wroteFile(msg wroteFileMsg) tea.Cmd {
	p := &m.actions.write
	p.writing = false
	switch {
	case errors.Is(msg.err, fs.ErrExist):
		m.actions.confirm = confirmReplace
		p.input.Blur()
		m.notice.clear()
	case msg.err != nil:
		m.notice = notice{err: "Could not write the file: " + flow.Sentence(auth.Sanitize(msg.err.Error())), hint: "Fix the name, or esc to cancel."}
	default:
		p.close()
		m.actions.wrote = true
		m.notice = notice{status: fmt.Sprintf("Wrote the token to %s (mode %04o: yours alone).", auth.Sanitize(msg.path), output.FileMode)}
	}
	return nil
}

// startSave saves the token as Options.Profile with save (Options.Save, or
// Options.SaveToFile after f); one save at a time.
func (m *wizard) startSave(save flow.Saver) tea.Cmd {
	if save == nil || m.save.running {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.opts.Timeout)
	m.save.running, m.save.cancel, m.save.gaveUp = true, cancel, false
	m.notice = notice{status: fmt.Sprintf("Saving profile %s…", m.opts.Profile)}
	return saveCmd(ctx, save, m.config(), m.token)
}

// saveWaiting says that the save waits for another run's lock, and how to
// give up; the save goes on.
func (m *wizard) saveWaiting(msg saveWaitingMsg) tea.Cmd {
	if msg.tok == m.token && m.save.running && !m.save.gaveUp {
		m.notice = notice{status: fmt.Sprintf("Saving profile %s: waiting, %s.", m.opts.Profile, msg.wait),
			hint: "esc gives up the save; the token stays here."}
	}
	return msg.next
}

// giveUpSave ends the save's wait for the lock (esc): the token stays.
func (m *wizard) giveUpSave() {
	m.save.gaveUp = true
	m.save.stop()
	m.notice = notice{status: fmt.Sprintf("Giving up saving profile %s…", m.opts.Profile)}
}

func (m *wizard) savedProfile(msg savedMsg) tea.Cmd {
	if msg.tok != m.token {
		return nil // the save of a token since replaced
	}
	m.save.running = false
	m.save.stop()
	m.notice.clear()
	if msg.err != nil && m.save.gaveUp && errors.Is(msg.err, context.Canceled) {
		m.save.err = msg.err
		m.notice = notice{status: fmt.Sprintf("Gave up saving profile %s: nothing was saved.", m.opts.Profile),
			hint: "The token is still here: copy it (c) before you quit, or s tries again."}
		return nil
	}
	if msg.err != nil {
		m.save.err = msg.err
		m.notice.err = flow.Sentence(fmt.Sprintf("Profile %s was not saved: %s", m.opts.Profile, auth.Sanitize(msg.err.Error())))
		m.notice.hint = "The token is still here: copy it (c) before you quit."
		if file := m.fileOffer(); file != "" {
			m.offerFile(file)
		}
		return nil
	}
	m.save.saved, m.save.err = &msg.saved, nil
	m.notice.status = msg.status(m.opts.Profile)
	return nil
}

// noSaving says why s saves nothing: this run has no Saver.
func (m *wizard) noSaving() string {
	if m.opts.Approve != nil {
		return "The demo's tokens are not saved: they only work with the demo server."
	}
	return "This run cannot save a profile."
}

// tookToken shows a new token: nothing done with an earlier one carries over.
func (m *wizard) tookToken(tok *auth.Token) tea.Cmd {
	m.token, m.dropped = tok, false
	m.tokens++
	m.save.reset()
	m.actions.reset()
	cmd := m.goTo(stepToken)
	if m.opts.AutoSave {
		cmd = tea.Batch(cmd, m.startSave(m.opts.Save))
	}
	return cmd
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

func (m *wizard) viewToken(b *strings.Builder) (keep []string) {
	t := m.token
	if m.done && m.actions.revoked {
		return nil // main says that nothing went out, and what to do
	}
	if m.done && m.opts.TokenNote != "" && m.deliverErr == nil {
		msg := "✓ Got an access token"
		if life := t.Lifetime(m.opts.Now()); life != "" {
			msg += " that " + life
		}
		m.para(b, m.styles.Status, msg+"; "+m.opts.TokenNote+".")
		return nil
	}
	token := m.tokenStyle().Render(m.hardwrap(t.AccessToken))
	b.WriteString(token + "\n\n")
	if m.actions.revoked {
		m.para(b, m.styles.Error, "✗ Revoked: this token no longer works.") // its lifetime means nothing now
	} else if life := t.Lifetime(m.opts.Now()); life != "" {
		m.para(b, m.styles.Text, flow.Sentence(life))
	}
	var facts []string
	if t.TokenType != "" {
		facts = append(facts, "Type: "+auth.Sanitize(t.TokenType))
	}
	if t.Scope != "" {
		facts = append(facts, "Scope: "+auth.Sanitize(t.Scope))
	}
	if len(facts) > 0 {
		m.para(b, m.styles.Faint, strings.Join(facts, " · "))
	}
	if t.RefreshToken != "" {
		b.WriteString("\n" + m.styles.Text.Render("Refresh token:") + "\n" + m.hardwrap(t.RefreshToken) + "\n")
		if warn := m.Provider().RefreshTokenWarning(); warn != "" {
			m.para(b, m.styles.Warn, warn)
		}
	}
	if t.Dropped != "" {
		m.para(b, m.styles.Warn, flow.Sentence(t.Dropped))
	}
	return []string{token}
}
