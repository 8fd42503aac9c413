package ui

// The text steps, flow.Fields' rows, as the wizard drives them: enter
// parses the field by its row; a paste is cleaned, and on the code step
// read as the code or the address it came in.

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

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
	if m.step == stepClientID {
		m.secretTakenOut = false
	}
	if m.resume {
		m.resume = false
		if m.config().Validate() == nil {
			return m.goTo(stepCode)
		}
	}
	return m.goTo(m.nextStep())
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

func (m *wizard) viewField(b *strings.Builder) (keep []string) {
	b.WriteString(m.frame.intro.get(introKey{m.step, m.Provider().ID}, func() string {
		var intro strings.Builder
		m.para(&intro, m.styles.Text, flow.Intro(m.step, m.Provider(), false))
		return intro.String()
	}))
	if m.step == stepSecret && m.Provider().PublicClient {
		m.para(b, m.styles.Text, flow.PublicSecretNote)
	}
	field := m.inputs[m.step].View()
	b.WriteString("\n" + field + "\n")
	if m.step == stepCode {
		if m.opts.Approve != nil && m.inputs[stepCode].Value() == "" && !m.exchange.running {
			b.WriteString("\n")
			what := "code" // Device Access redirects with a code; Works with Nest shows a PIN
			if m.config().ShortAuthURL {
				what = "PIN"
			}
			m.para(b, m.styles.Warn, fmt.Sprintf("Demo mode: no %s yet? Press esc, then a on Authorize: the demo server approves as the demo user and puts its %s here.", what, what))
		}
		if m.exchange.running {
			m.spinnerLine(b, m.exchange.spinner, "Exchanging the code for a token… (esc cancels)")
		}
		var listening strings.Builder // apart from the field, as on Authorize
		if m.writeListening(&listening); listening.Len() > 0 {
			b.WriteString("\n" + listening.String())
		}
	}
	if m.step == stepIssuer && m.custom.discovery.running {
		m.spinnerLine(b, m.custom.discovery.spinner, "Reading the issuer's metadata… (esc cancels)")
	}
	return []string{field}
}
