package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

func (m *wizard) view() tea.View {
	if m.aborted {
		return tea.NewView(m.styles.Faint.Render(m.abortNote()) + "\n")
	}
	if m.qr.shown {
		return m.viewQR()
	}
	var b strings.Builder
	var keep []string // what stays when lines must go: the token, the URL, the field
	switch m.step {
	case stepProvider:
		m.viewProvider(&b)
	case stepAuthorize:
		keep = m.viewAuthorize(&b)
	case stepToken:
		keep = m.viewToken(&b)
	case stepDevice:
		keep = m.viewDevice(&b)
	default:
		keep = m.viewField(&b)
	}
	var n strings.Builder
	m.notice.write(&n, m.styles, m.width)
	var help string
	if !m.done {
		help = "\n" + m.helpView()
	}
	return tea.NewView(m.fitHeight(m.header(), frameParts{b.String(), n.String(), help}, keep) + "\n")
}

// header names the app and the provider, then the step; in a narrow window
// it wraps between words rather than being cut.
func (m *wizard) header() string {
	return m.frame.header.get(headerKey{m.step, m.provider, len(m.flow()), m.flowSettled()}, func() string {
		app := "nestauth"
		if m.step != stepProvider {
			app += " · " + m.Provider().Name
		}
		head := m.stepCount()
		return m.styles.Header.Render(m.wrap(app)) + "\n" +
			m.twoTone(head, m.step.String(), m.styles.Header, m.styles.Title)
	})
}

// twoTone wraps "first second" to the window, first in one style and second
// in the other.
func (m *wizard) twoTone(first, second string, style1, style2 lipgloss.Style) string {
	n := len(strings.Fields(first)) // words still in the first style
	var lines []string
	for line := range strings.SplitSeq(m.wrap(first+" "+second), "\n") {
		words := strings.Fields(line)
		k := min(n, len(words))
		n -= k
		var parts []string
		if k > 0 {
			parts = append(parts, style1.Render(strings.Join(words[:k], " ")))
		}
		if k < len(words) {
			parts = append(parts, style2.Render(strings.Join(words[k:], " ")))
		}
		lines = append(lines, strings.Join(parts, " "))
	}
	return strings.Join(lines, "\n")
}

func (m *wizard) viewField(b *strings.Builder) (keep []string) {
	b.WriteString(m.frame.intro.get(m.step, func() string {
		var intro strings.Builder
		m.para(&intro, m.styles.Text, flow.Fields[m.step].Intro)
		return intro.String()
	}))
	if m.step == stepSecret && m.Provider().PublicClient {
		m.para(b, m.styles.Text, flow.PublicSecretNote)
	}
	field := m.inputs[m.step].View()
	b.WriteString("\n" + field + "\n")
	if m.step == stepCode {
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

func (m *wizard) viewProvider(b *strings.Builder) {
	m.para(b, m.styles.Text, flow.ProviderIntro)
	b.WriteString("\n")
	for i, p := range m.opts.Providers {
		name := fmt.Sprintf("%d. %s", i+1, p.Name)
		if i == m.provider {
			b.WriteString(m.styles.Selected.Render("> "+name) + "\n")
		} else {
			b.WriteString("  " + name + "\n")
		}
		summary := tty.Wrap(p.Summary, max(m.width-5, 10))
		b.WriteString(m.styles.Faint.PaddingLeft(5).Render(summary) + "\n")
	}
}

func (m *wizard) viewAuthorize(b *strings.Builder) (keep []string) {
	cfg := m.config()
	m.para(b, m.styles.Text, flow.AuthorizeIntro)
	u := m.frame.url.get(m.authURL(), m.renderURL)
	b.WriteString(u)
	b.WriteString("\n\n")
	_, loopback := auth.ParseLoopbackRedirect(cfg.RedirectURI)
	switch {
	case loopback:
		// writeListening says where the code will arrive.
	case cfg.RedirectURI == "" && cfg.ShortAuthURL:
		m.para(b, m.styles.Faint, "The page then shows a PIN: paste it in the next step.")
	case cfg.RedirectURI == "":
		m.para(b, m.styles.Warn, flow.NoRedirectNote)
	default:
		m.para(b, m.styles.Faint, fmt.Sprintf("The browser then lands on %s?code=…: copy that whole address and paste it in the next step.", flow.Landing(cfg.RedirectURI)))
	}
	m.writeListening(b)
	if cfg.ShortAuthURL && cfg.AuthURL == auth.NestAuthURL {
		m.para(b, m.styles.Warn, flow.NestShutDown)
	}
	if m.opts.Approve != nil {
		m.para(b, m.styles.Warn, "Demo mode: this URL is served by nestauth itself. No browser? Press a to approve as the demo user.")
	}
	return []string{strings.TrimPrefix(u, "\n")}
}

// renderURL wraps the authorization URL at the window edge; each wrapped
// line is a link to the whole URL, for terminals that click.
func (m *wizard) renderURL() string {
	u := m.authURL()
	link := m.styles.URL.Hyperlink(u)
	var b strings.Builder
	for line := range strings.SplitSeq(m.hardwrap(u), "\n") {
		b.WriteString("\n" + link.Render(line))
	}
	return b.String()
}

func (m *wizard) writeListening(b *strings.Builder) {
	uri := m.config().RedirectURI
	lb, ok := auth.ParseLoopbackRedirect(uri)
	switch {
	case !ok:
	case m.listener.err != "":
		m.para(b, m.styles.Warn, "Cannot catch the redirect: "+m.listener.err+". Paste the address instead.")
	case m.listener.capture != nil:
		m.para(b, m.styles.Faint, "Listening on "+uri+": the browser's redirect brings the code here. Pasting works too.")
		if m.opts.SSHHost != "" {
			m.para(b, m.styles.Warn, "Over SSH, forward the port from your computer first:")
			b.WriteString(m.hardwrap(fmt.Sprintf("  ssh -L %s:127.0.0.1:%s %s", lb.Port, lb.Port, m.opts.SSHHost)) + "\n")
		}
	}
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
	m.writeTokenActions(b)
	return []string{token}
}
