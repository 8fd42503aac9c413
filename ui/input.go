package ui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// What the steps' keys share: the focused field, and the notice for a value
// or a key that cannot be taken.

// updateField passes a message to the focused text field.
func (m *wizard) updateField(msg tea.Msg) tea.Cmd {
	in, ok := m.inputs[m.step]
	if !ok || m.exchange.running || m.custom.discovery.running {
		return nil
	}
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

// setError puts err on the notice line; an error that condemns a field's
// value takes it out of the field.
func (m *wizard) setError(err error) {
	m.notice.fail(err)
	switch {
	case errors.Is(err, auth.ErrStateMismatch):
		m.inputs[stepCode].SetValue("")
	case errors.Is(err, auth.ErrClientIDIsSecret):
		m.inputs[stepClientID].SetValue("") // a secret is not shown in the clear
		m.notice.hint = "It was taken out of the field: the secret goes in the next step."
		m.secretTakenOut = true
	case errors.Is(err, auth.ErrNoClientID) && m.secretTakenOut:
		m.notice.hint = flow.SecretTakenOut
	}
}

// missingEndpoint says that a key needs an endpoint this run lacks; err
// names the flag, which only a new run can take.
func (m *wizard) missingEndpoint(err error) {
	m.notice = notice{err: flow.Sentence(auth.Sanitize(err.Error())), hint: "Flags take effect on the next run of nestauth, not in this one."}
	if errors.Is(err, auth.ErrNoCheckURL) {
		m.notice.err = m.noCheckURL()
	}
}

// noCheckURL says why v and u have no API to call for a Custom provider:
// no --check-url, and no userinfo endpoint from discovery. It names both
// flags; with --issuer used already, only --check-url is left to try.
func (m *wizard) noCheckURL() string {
	if m.custom.found != nil {
		return "No API to call: --check-url is not set, and the issuer (--issuer) lists no userinfo endpoint. Set --check-url (an API or userinfo URL)."
	}
	return "No API to call: set --check-url (an API or userinfo URL), or --issuer for a server whose discovery lists a userinfo endpoint."
}
