package ui

import "github.com/charmbracelet/x/ansi"

// helpView renders the step's keys on as many lines as the width needs,
// evenly filled: help.Model alone would cut the line short and hide keys in
// narrow windows, and a greedy wrap leaves one key alone on the last line.
// It is rendered once per step, width and styles.
func (m *wizard) helpView() string {
	key := helpKey{m.step, m.provider, m.exchange.running || m.custom.discovery.running, m.token != nil && m.token.RefreshToken != "", m.actions.helpMode(), m.device.phase(), m.fileOffer() != "", m.save.running && !m.save.gaveUp}
	return m.frame.help.get(key, m.renderHelp)
}

func (m *wizard) renderHelp() string {
	ks := m.helpKeys()
	widths := make([]int, len(ks))
	for i, k := range ks {
		widths[i] = ansi.StringWidth(k.Help().Key) + 1 + ansi.StringWidth(k.Help().Desc)
	}
	sep := ansi.StringWidth(m.help.ShortSeparator)
	// The fewest lines the width allows, then the narrowest width that
	// still fits the keys on that many lines.
	lines := len(breakLines(widths, sep, m.width))
	limit := m.width
	for l := 1; l < m.width; l++ {
		if len(breakLines(widths, sep, l)) <= lines {
			limit = l
			break
		}
	}
	var out string
	for i, r := range breakLines(widths, sep, limit) {
		if i > 0 {
			out += "\n"
		}
		out += m.help.ShortHelpView(ks[r[0]:r[1]])
	}
	return out
}

// breakLines fills lines of at most limit columns with items of the given
// widths, joined by sep columns; each line is an [start, end) index range.
// An item wider than limit gets a line of its own.
func breakLines(widths []int, sep, limit int) [][2]int {
	var lines [][2]int
	start, col := 0, 0
	for i, w := range widths {
		if i > start && col+sep+w > limit {
			lines = append(lines, [2]int{start, i})
			start, col = i, 0
		}
		if i > start {
			col += sep
		}
		col += w
	}
	return append(lines, [2]int{start, len(widths)})
}

// helpKeys lists the current step's keys for the help line.
func (m *wizard) helpKeys() bindingList {
	if m.exchange.running || m.custom.discovery.running {
		return bindingList{keys.Cancel, keys.Quit}
	}
	switch m.step {
	case stepProvider:
		return bindingList{keys.Up, keys.Down, providerNumbers(len(m.opts.Providers)), keys.ProviderNext, keys.ListQuit}
	case stepAuthorize:
		l := bindingList{keys.Open, keys.CopyURL, keys.QR}
		if m.opts.Approve != nil {
			l = append(l, keys.Approve)
		}
		return append(l, keys.Next, keys.Back, keys.Quit)
	case stepCode:
		return bindingList{keys.SubmitCode, keys.Reopen, keys.Back, keys.Quit}
	case stepToken:
		return m.tokenHelp()
	case stepSecret:
		return bindingList{keys.Next, keys.Reveal, keys.Back, keys.Quit}
	case stepIssuer:
		if m.index(m.step) == 0 {
			return bindingList{keys.Discover, keys.Endpoints, keys.Quit}
		}
		return bindingList{keys.Discover, keys.Endpoints, keys.Back, keys.Quit}
	case stepDevice:
		return m.deviceKeys()
	}
	l := bindingList{keys.Next, keys.Back, keys.Quit}
	if m.index(m.step) == 0 {
		l = bindingList{keys.Next, keys.Quit}
	}
	return l
}
