package ui

import (
	"strings"

	"charm.land/bubbles/v2/spinner"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

// What the steps' views draw with: text wrapped to the window, a paragraph,
// a spinner with its text beside it, the loopback listener's line.

func (m *wizard) wrap(s string) string { return tty.Wrap(s, m.width) }

// hardwrap breaks a long unbroken string (a URL, a token) at the window edge.
func (m *wizard) hardwrap(s string) string { return ansi.Hardwrap(s, m.width, true) }

func (m *wizard) para(b *strings.Builder, style lipgloss.Style, s string) {
	writePara(b, style, s, m.width)
}

// spinnerLine writes a spinner and text wrapped beside it, so a narrow
// window cuts no word.
func (m *wizard) spinnerLine(b *strings.Builder, s spinner.Model, text string) {
	spin := s.View() + " "
	indent := strings.Repeat(" ", lipgloss.Width(spin))
	wrapped := tty.Wrap(text, max(m.width-len(indent), 10))
	b.WriteString(spin + strings.ReplaceAll(m.styles.Faint.Render(wrapped), "\n", "\n"+indent) + "\n")
}

// writeListening says where the code arrives by itself, on Authorize and
// the code step: the loopback listener, or why there is none.
func (m *wizard) writeListening(b *strings.Builder) {
	uri := m.config().RedirectURI
	lb, ok := auth.ParseLoopbackRedirect(uri)
	switch {
	case !ok:
	case m.listener.err != "":
		m.para(b, m.styles.Warn, flow.CannotListen(m.listener.err))
	case m.listener.capture != nil:
		m.para(b, m.styles.Faint, flow.Listening(uri))
		if m.opts.SSHHost != "" {
			m.para(b, m.styles.Warn, flow.ForwardPortIntro)
			b.WriteString(m.hardwrap(flow.ForwardPort(lb.Port, m.opts.SSHHost)) + "\n")
		}
	}
}
