package ui

import (
	"context"
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// The Custom path: a provider without endpoints gets them in the wizard,
// from its issuer's metadata (discovered in a command) or typed in, then
// its scopes and redirect URI. The presets that take any scope ask for it.

// scopeAsked lists the presets whose scopes are the person's choice.
var scopeAsked = map[string]bool{"google": true, "github": true}

// custom is the Custom path's state: what discovery found, or that the
// endpoints are typed in.
type custom struct {
	discovery inflight
	md        *auth.Metadata // the issuer's metadata, once discovered
	found     *auth.Provider // the provider with md applied
	manual    bool           // the endpoints are typed in (tab on Issuer)
}

// discoveredMsg is what a discovery ends with.
type discoveredMsg struct {
	attempt int
	md      *auth.Metadata
	err     error
}

// discoverCmd reads the issuer's metadata in the background.
func discoverCmd(ctx context.Context, issuer string, attempt int) tea.Cmd {
	return func() tea.Msg {
		md, err := auth.Discover(ctx, issuer, nil)
		return discoveredMsg{attempt: attempt, md: md, err: err}
	}
}

// base is the chosen provider as the options give it.
func (m *wizard) base() auth.Provider { return m.opts.Providers[m.provider] }

// asksEndpoints reports whether the wizard asks for the chosen provider's
// endpoints: it has none, or an issuer was given to discover them.
func (m *wizard) asksEndpoints() bool {
	p := m.base()
	return p.AuthURL == "" || p.TokenURL == "" || m.opts.Issuer != ""
}

// asksScopes reports whether the wizard asks for scopes.
func (m *wizard) asksScopes() bool { return m.asksEndpoints() || scopeAsked[m.base().ID] }

// withAnswers is p with what the Custom path's steps hold.
func (m *wizard) withAnswers(p auth.Provider) auth.Provider {
	if m.asksEndpoints() {
		switch {
		case m.custom.manual:
			p.AuthURL, p.TokenURL = m.value(stepAuthEndpoint), m.value(stepTokenEndpoint)
		case m.custom.found != nil:
			p = *m.custom.found
		}
		p.RedirectURI = m.value(stepRedirect)
	}
	if m.asksScopes() {
		p.Scopes = strings.Fields(m.value(stepScopes))
	}
	return p
}

// startDiscovery reads the issuer's metadata, with the spinner.
func (m *wizard) startDiscovery(issuer string) tea.Cmd {
	m.notice.clear()
	ctx, attempt := m.custom.discovery.begin(m.opts.Timeout)
	return tea.Batch(m.custom.discovery.spinner.Tick, discoverCmd(ctx, issuer, attempt))
}

// submitIssuer checks the issuer typed and discovers its endpoints.
func (m *wizard) submitIssuer() tea.Cmd {
	in := m.inputs[stepIssuer]
	issuer, err := fields[stepIssuer].parse(m.base(), in.Value())
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
	m.custom.md, m.custom.found, m.custom.manual = msg.md, &p, false
	if in := m.inputs[stepScopes]; !m.fixed[stepScopes] && in.Value() == "" && msg.md.HasScope("openid") {
		in.SetValue("openid")
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
