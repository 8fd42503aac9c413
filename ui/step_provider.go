package ui

// The Provider step: the list to choose from, with ↑/↓ (or j/k) and
// enter, or a number.

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

func (m *wizard) updateProvider(msg tea.KeyPressMsg) tea.Cmd {
	n := len(m.opts.Providers)
	switch {
	case key.Matches(msg, keys.Up):
		m.provider = (m.provider + n - 1) % n
	case key.Matches(msg, keys.Down):
		m.provider = (m.provider + 1) % n
	case key.Matches(msg, keys.Next):
		return m.goTo(m.nextStep()) // one without endpoints gets them at Issuer
	case key.Matches(msg, keys.Back):
		return m.back()
	case key.Matches(msg, keys.ListQuit):
		m.aborted = true // nothing chosen, nothing fetched: an abort like ctrl+c
		return tea.Quit
	case key.Matches(msg, providerNumbers(n)):
		m.provider = int(msg.String()[0] - '1')
		return m.goTo(m.nextStep()) // a number chooses, as enter does
	case typesText(msg):
		// Not a field: other letters do nothing but say which keys work.
		m.notice = notice{hint: fmt.Sprintf("Choose with ↑/↓ (or j/k) and enter, or type a number 1-%d; q quits.", min(n, 9))}
		return nil
	}
	m.notice.err, m.notice.hint = "", ""
	return nil
}

func (m *wizard) viewProvider(b *strings.Builder) {
	m.para(b, m.styles.Text, flow.ProviderIntro)
	b.WriteString("\n")
	for i, p := range m.opts.Providers {
		// A long name wraps under itself, never cut at the window's edge.
		name := strings.ReplaceAll(tty.Wrap(fmt.Sprintf("%d. %s", i+1, p.Name), max(m.width-5, 10)), "\n", "\n     ")
		if i == m.provider {
			b.WriteString(m.styles.Selected.Render("> "+name) + "\n")
		} else {
			b.WriteString("  " + name + "\n")
		}
		summary := tty.Wrap(p.Summary, max(m.width-5, 10))
		b.WriteString(m.styles.Faint.PaddingLeft(5).Render(summary) + "\n")
	}
}
