package ui

import (
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// The Custom path's steps as the wizard drives them: Enter on Issuer
// discovers the endpoints, tab types them in. What was found is custom.go's.

// startDiscovery reads the issuer's metadata, with the spinner.
func (m *wizard) startDiscovery(issuer string) tea.Cmd {
	m.notice.clear()
	ctx, attempt := m.custom.discovery.begin(m.opts.Timeout)
	return tea.Batch(m.custom.discovery.spinner.Tick, discoverCmd(ctx, issuer, attempt))
}

// submitIssuer checks the issuer typed and discovers its endpoints.
func (m *wizard) submitIssuer() tea.Cmd {
	in := m.inputs[stepIssuer]
	issuer, err := flow.Fields[stepIssuer].Parse(m.base(), in.Value())
	in.SetValue(issuer)
	if err != nil {
		m.setError(err)
		m.notice.hint = "Or press tab to type the authorization and token endpoints."
		return nil
	}
	return m.startDiscovery(issuer)
}

// discovered applies the metadata and moves on, or says why it can't.
func (m *wizard) discovered(msg discoveredMsg) tea.Cmd {
	if !m.custom.discovery.current(msg.attempt) {
		return nil
	}
	m.custom.discovery.end()
	if msg.err != nil {
		m.notice.fail(msg.err)
		m.notice.err = "Could not read the issuer's metadata: " + m.notice.err
		m.notice.hint = "Check the issuer URL (the address before /.well-known), or press tab to type the endpoints."
		return nil
	}
	base := m.base()
	p, err := msg.md.Apply(base, m.opts.NoPKCE)
	if errors.Is(err, auth.ErrNoS256) {
		m.notice.fail(err)
		m.notice.hint = "Quit (ctrl+c) and run again with --no-pkce, or press tab to type the endpoints (PKCE stays on)."
		return nil
	}
	if base.DeviceURL == "" && !msg.md.OffersDevice() {
		p.DeviceURL = "" // named, but its grant is not listed
	}
	m.custom.found, m.custom.manual = &p, false
	if in, scopes := m.inputs[stepScopes], msg.md.DefaultScopes(); !m.fixed[stepScopes] && in.Value() == "" && scopes != nil {
		in.SetValue(strings.Join(scopes, " "))
	}
	cmd := m.goTo(m.nextStep())
	m.notice.status = "Found the endpoints in " + auth.Sanitize(msg.md.Source) + "."
	return cmd
}

// typeEndpoints switches the Issuer step for the two endpoint steps, with
// what is known of them already.
func (m *wizard) typeEndpoints() tea.Cmd {
	m.custom.discovery.end()
	m.custom.manual = true
	known := m.base()
	if m.custom.found != nil {
		known = *m.custom.found
	}
	for s, v := range map[step]string{stepAuthEndpoint: known.AuthURL, stepTokenEndpoint: known.TokenURL} {
		if in := m.inputs[s]; in.Value() == "" {
			in.SetValue(v)
		}
	}
	return m.goTo(stepAuthEndpoint)
}

// cancelDiscovery stops a running discovery; the Issuer step stays.
func (m *wizard) cancelDiscovery() {
	m.custom.discovery.end()
	m.notice.clear()
	m.notice.err = "Canceled."
	m.notice.hint = "Enter tries again; tab types the endpoints instead."
}
