package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
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
	parts := frameParts{body: b.String()}
	if m.step == stepToken && !m.done {
		var ask, results strings.Builder
		parts.asking = m.writeTokenAsk(&ask)
		m.writeTokenResults(&results)
		parts.ask, parts.results = ask.String(), results.String()
	}
	var n strings.Builder
	m.notice.write(&n, m.styles, m.width)
	parts.notice = n.String()
	if !m.done {
		parts.help = "\n" + m.helpView()
	}
	return tea.NewView(m.fitHeight(m.header(), parts, keep) + "\n")
}

// header names the app and the provider, then the step; in a narrow window
// it wraps between words rather than being cut.
func (m *wizard) header() frameHead {
	return m.frame.header.get(headerKey{m.step, m.provider, len(m.flow()), m.flowSettled()}, func() frameHead {
		app := "nestauth"
		if m.step != stepProvider {
			app += " · " + m.Provider().Name
		}
		head := m.stepCount()
		return frameHead{m.styles.Header.Render(m.wrap(app)), m.twoTone(head, m.step.String(), m.styles.Header, m.styles.Title)}
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
