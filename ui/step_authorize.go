package ui

// The Authorize step: the URL to open, copy or show as a QR code, and in
// the demo a key that approves as the demo user would.

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

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
		// The person is typing the PIN already: keep every key, in the field,
		// as a new code, as a paste would be; a kept code is not extended.
		cmd := m.goTo(stepCode)
		if in := m.inputs[stepCode]; in.Value() != "" {
			in.SetValue("")
			m.code = auth.Code{}
			m.notice.status = "Typing started a new code: it replaced the code kept before."
		}
		return tea.Batch(cmd, m.updateField(msg))
	}
	return nil
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

// approvedMsg carries the PIN the demo server showed on approving.
type approvedMsg struct {
	code string
	err  error
}

// approveCmd approves the authorization URL as the demo user would.
func approveCmd(approve func(string) (string, error), url string) tea.Cmd {
	return func() tea.Msg {
		code, err := approve(url)
		return approvedMsg{code: code, err: err}
	}
}

func (m *wizard) approved(msg approvedMsg) tea.Cmd {
	if msg.err != nil {
		m.setError(msg.err)
		// The demo server knows only the values it filled in: say which one
		// was changed, its value, and the way back to it (the project is
		// checked first, as the server does).
		switch {
		case m.opts.ProjectID != "" && m.value(stepProject) != m.opts.ProjectID && slices.Contains(m.flow(), stepProject):
			m.notice.hint = fmt.Sprintf("The demo server knows only the project ID %s: %s to go back to Project ID.", m.opts.ProjectID, m.escTo(stepProject))
		case m.opts.ClientID != "" && m.value(stepClientID) != m.opts.ClientID && slices.Contains(m.flow(), stepClientID):
			m.notice.hint = fmt.Sprintf("The demo server knows only the client ID %s: %s to go back to Client ID.", m.opts.ClientID, m.escTo(stepClientID))
		}
		return nil
	}
	cmd := m.goTo(stepCode)
	in := m.inputs[stepCode]
	in.SetValue(msg.code)
	code, err := auth.ParseCode(msg.code, m.state)
	if err == nil && code.FromURL { // a redirect: its code, as a paste of it gives
		m.code = code
		in.SetValue(code.Value)
	}
	in.CursorEnd()
	m.notice.status = flow.DemoApproved(msg.code, code, "the code is in the field.")
	return cmd
}

// escTo says how many esc presses take the person from here back to s.
func (m *wizard) escTo(s step) string {
	switch n := m.index(m.step) - m.index(s); n {
	case 1:
		return "press esc"
	case 2:
		return "press esc twice"
	default:
		return fmt.Sprintf("press esc %d times", n)
	}
}
