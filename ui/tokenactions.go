package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"nestauth/auth"
	"nestauth/internal/output"
)

// tokenActions is what the Access token step does with the token besides
// copying it: verify (v), write to a file (w), revoke (x), copy a header (h)
// or a curl command (u). It belongs to one token: a new token resets it.
type tokenActions struct {
	call    call              // verify or revoke, in flight
	checked *auth.CheckResult // the last verification that worked
	confirm confirm           // a question awaiting y or n
	write   writePrompt       // the file name prompt of w
	// revoked: the provider no longer honours the token. Nothing pretends
	// it works: no copy, no file, nothing handed on at the end.
	revoked bool
}

// confirm is a yes/no question on the token step.
type confirm int

const (
	confirmNone confirm = iota
	confirmRevoke
	confirmReplace // the file exists
)

func newTokenActions() tokenActions { return tokenActions{call: newCall(), write: newWritePrompt()} }

// fit styles the spinner and the prompt, and fits the prompt to the width.
func (a *tokenActions) fit(s Styles, width int) {
	a.call.spinner.Style = s.Spinner
	a.write.input.SetStyles(s.Input)
	a.write.input.SetWidth(max(width-len("> ")-1, 10))
}

// reset forgets everything about the previous token.
func (a *tokenActions) reset() {
	a.call.end()
	a.checked, a.confirm, a.revoked = nil, confirmNone, false
	a.write.close()
}

// Revoked reports whether the person revoked the token in the wizard (or
// the provider said it was dead when asked to revoke it).
func (m *wizard) Revoked() bool { return m.actions.revoked }

// deadToken says that a revoked token is not copied or written.
const deadToken = "The token is revoked: it no longer works, so it is not copied or written. Press esc for another code, or q to quit."

// deadTokenNotSaved says that a revoked token is not saved as a profile.
const deadTokenNotSaved = "The token is revoked: it no longer works, so it is not saved as a profile. Press esc for another code, or q to quit."

// missingEndpoint says that a key needs an endpoint this run lacks; err
// names the flag, which only a new run can take.
func (m *wizard) missingEndpoint(err error) {
	m.notice = notice{err: sentence(auth.Sanitize(err.Error())), hint: "Flags take effect on the next run of nestauth, not in this one."}
}

// tokenAction handles the token step's keys beyond copy and done, and the
// keys of its prompts and questions; ok is false for a key it leaves to
// updateToken.
func (m *wizard) tokenAction(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	a := &m.actions
	switch {
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
		return m.writeFile(true)
	case key.Matches(msg, keys.No):
		a.confirm = confirmNone
		if q == confirmRevoke {
			m.notice = notice{status: "Kept the token: nothing was revoked."}
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
	return append(l, keys.Done, keys.NewCode)
}

// helpMode names the token step's state, for the help line's cache.
func (a *tokenActions) helpMode() int {
	switch {
	case a.call.running:
		return 1
	case a.confirm != confirmNone:
		return 2 + int(a.confirm)
	case a.write.open:
		return 5
	case a.revoked:
		return 6
	}
	return 0
}

// tokenStyle is the token's style: faint once it is revoked.
func (m *wizard) tokenStyle() lipgloss.Style {
	if m.actions.revoked {
		return m.styles.Faint.Strikethrough(true)
	}
	return m.styles.Token
}

// writeTokenActions shows, under the token, what v, w and x are doing or
// found: the spinner, a question, the file prompt, what the token reaches.
func (m *wizard) writeTokenActions(b *strings.Builder) {
	a := &m.actions
	switch {
	case a.call.running:
		b.WriteString("\n")
		spin := a.call.spinner.View() + " "
		indent := strings.Repeat(" ", lipgloss.Width(spin))
		text := wrapWords(a.call.what+"… (esc cancels)", max(m.width-len(indent), 10))
		b.WriteString(spin + strings.ReplaceAll(m.styles.Faint.Render(text), "\n", "\n"+indent) + "\n")
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
	case a.write.open:
		b.WriteString("\n")
		m.para(b, m.styles.Text, "Write the token (JSON, as nestauth exchange prints it) to this file, with mode 0600 (yours alone):")
		b.WriteString(a.write.input.View() + "\n")
	}
	if a.checked != nil && !a.call.running {
		m.writeChecked(b, a.checked)
	}
}
