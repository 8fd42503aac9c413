package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/spinner"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
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
		m.para(b, m.styles.Warn, "Cannot catch the redirect: "+m.listener.err+". Paste the address instead.")
	case m.listener.capture != nil:
		m.para(b, m.styles.Faint, "Listening on "+uri+": the browser's redirect brings the code here. Pasting works too.")
		if m.opts.SSHHost != "" {
			m.para(b, m.styles.Warn, "Over SSH, forward the port from your computer first:")
			b.WriteString(m.hardwrap(fmt.Sprintf("  ssh -L %s:127.0.0.1:%s %s", lb.Port, lb.Port, m.opts.SSHHost)) + "\n")
		}
	}
}
