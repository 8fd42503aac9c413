package ui

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
)

// View renders the current step.
func (m Model) View() tea.View {
	if m.aborted {
		return tea.NewView(m.styles.Faint.Render("Aborted: no token was fetched.") + "\n")
	}
	var b strings.Builder
	switch m.step {
	case stepProvider:
		m.viewProvider(&b)
	case stepAuthorize:
		m.viewAuthorize(&b)
	case stepToken:
		m.viewToken(&b)
	default:
		m.viewField(&b)
	}
	m.writeMessages(&b)
	if !m.done {
		b.WriteString("\n" + m.helpView())
	}
	return tea.NewView(m.fitHeight(m.header(), b.String()) + "\n")
}

// fitHeight keeps a frame within the window: an inline frame taller than the
// window is redrawn over and over, flooding the scrollback. Blank lines go
// first, from the top, as many as needed; then the lines under the header, so
// the field, messages and keys stay.
func (m Model) fitHeight(head, body string) string {
	top := strings.Split(head, "\n")
	rest := append([]string{""}, strings.Split(body, "\n")...) // the gap under the header, then the body
	excess := len(top) + len(rest) - (m.height - 1)            // the final newline takes a row
	if m.height <= 0 || excess <= 0 {
		return head + "\n\n" + body
	}
	var dense []string
	for _, l := range rest {
		if excess > 0 && strings.TrimSpace(ansi.Strip(l)) == "" {
			excess--
			continue
		}
		dense = append(dense, l)
	}
	if excess > 0 {
		dense = dense[min(excess, len(dense)):]
	}
	return strings.Join(slices.Concat(top, dense), "\n")
}

// header names the app and the provider, then the step; in a narrow window
// it wraps between words rather than being cut.
func (m Model) header() string {
	app := "nestauth"
	if m.step != stepProvider {
		app += " · " + m.Provider().Name
	}
	head := fmt.Sprintf("Step %d of %d ·", m.index(m.step)+1, len(m.flow()))
	return m.styles.Header.Render(m.wrap(app)) + "\n" +
		m.twoTone(head, m.step.String(), m.styles.Header, m.styles.Title)
}

// twoTone wraps "first second" to the window, first in one style and second
// in the other.
func (m Model) twoTone(first, second string, style1, style2 lipgloss.Style) string {
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

// wrap fits prose to the window, breaking only at spaces (lipgloss.Wrap
// also breaks at hyphens, which splits UUIDs, flags and commands); a word
// wider than the window is broken where it must be.
func (m Model) wrap(s string) string { return wrapWords(s, m.width) }

func wrapWords(s string, width int) string {
	var b strings.Builder
	for i, para := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		col := 0
		for _, word := range strings.Fields(para) {
			w := ansi.StringWidth(word)
			switch {
			case col > 0 && col+1+w <= width:
				b.WriteByte(' ')
				col++
			case col > 0:
				b.WriteByte('\n')
				col = 0
			}
			if w > width {
				word = ansi.Hardwrap(word, width, true)
				w = ansi.StringWidth(word[strings.LastIndexByte(word, '\n')+1:])
				col = 0
			}
			b.WriteString(word)
			col += w
		}
	}
	return b.String()
}

// hardwrap breaks a long unbroken string (a URL, a token) at the window edge.
func (m Model) hardwrap(s string) string { return ansi.Hardwrap(s, m.width, true) }

func (m Model) para(b *strings.Builder, style lipgloss.Style, s string) {
	b.WriteString(style.Render(m.wrap(s)) + "\n")
}

var fieldIntro = map[step]string{
	stepProject:  "Your Device Access project ID: the UUID under your project's name in the Device Access Console (console.nest.google.com/device-access), not the Google Cloud project ID.",
	stepClientID: "Your OAuth client's ID, from its page in the provider's console.",
	stepSecret:   "Your OAuth client's secret. It is masked, and stays in memory: never logged or saved.",
	stepCode:     "Paste the PIN or code, or the whole address the browser landed on.",
}

func (m Model) viewField(b *strings.Builder) {
	m.para(b, m.styles.Text, fieldIntro[m.step])
	b.WriteString("\n" + m.inputs[stepField[m.step]].View() + "\n")
	if m.step == stepCode {
		if m.exchanging {
			// Wrapped beside the spinner, so a narrow window cuts no word.
			spin := m.spinner.View() + " "
			indent := strings.Repeat(" ", lipgloss.Width(spin))
			text := wrapWords("Exchanging the code for a token… (esc cancels)", max(m.width-len(indent), 10))
			b.WriteString(spin + strings.ReplaceAll(m.styles.Faint.Render(text), "\n", "\n"+indent) + "\n")
		}
		m.writeListening(b)
	}
}

func (m Model) viewProvider(b *strings.Builder) {
	m.para(b, m.styles.Text, "Which service is the token for?")
	b.WriteString("\n")
	for i, p := range m.opts.Providers {
		name := fmt.Sprintf("%d. %s", i+1, p.Name)
		if i == m.provider {
			b.WriteString(m.styles.Selected.Render("> "+name) + "\n")
		} else {
			b.WriteString("  " + name + "\n")
		}
		summary := wrapWords(p.Summary, max(m.width-5, 10))
		b.WriteString(m.styles.Faint.PaddingLeft(5).Render(summary) + "\n")
	}
}

func (m Model) viewAuthorize(b *strings.Builder) {
	cfg := m.config()
	m.para(b, m.styles.Text, "Open this URL in a browser, sign in and press Allow:")
	u := m.authURL()
	// Each wrapped line is a link to the whole URL, for terminals that click.
	link := m.styles.URL.Hyperlink(u)
	for line := range strings.SplitSeq(m.hardwrap(u), "\n") {
		b.WriteString("\n" + link.Render(line))
	}
	b.WriteString("\n\n")
	_, loopback := auth.ParseLoopbackRedirect(cfg.RedirectURI)
	switch {
	case loopback:
		// writeListening says where the code will arrive.
	case cfg.RedirectURI == "" && cfg.ShortAuthURL:
		m.para(b, m.styles.Faint, "The page then shows a PIN: paste it in the next step.")
	case cfg.RedirectURI == "":
		m.para(b, m.styles.Warn, "No --redirect-uri was given: the server picks the client's registered one, and many refuse a request without it. Paste the code or the address you land on.")
	default:
		m.para(b, m.styles.Faint, fmt.Sprintf("The browser then lands on %s?code=…: copy that whole address and paste it in the next step.", landing(cfg.RedirectURI)))
	}
	m.writeListening(b)
	if cfg.ShortAuthURL && cfg.AuthURL == auth.NestAuthURL {
		m.para(b, m.styles.Warn, "Works with Nest was shut down in 2023: its servers no longer answer. Google Nest Device Access (--provider sdm) is today's API.")
	}
	if m.opts.Approve != nil {
		m.para(b, m.styles.Warn, "Demo mode: this URL is served by nestauth itself. No browser? Press a to approve as the demo user.")
	}
}

func (m Model) writeListening(b *strings.Builder) {
	lb, ok := auth.ParseLoopbackRedirect(m.config().RedirectURI)
	switch {
	case !ok:
	case m.listenErr != "":
		m.para(b, m.styles.Warn, "Cannot catch the redirect: "+m.listenErr+". Paste the address instead.")
	case m.capture != nil:
		m.para(b, m.styles.Faint, "Listening on "+m.config().RedirectURI+": the browser's redirect brings the code here. Pasting works too.")
		if m.opts.SSHHost != "" {
			m.para(b, m.styles.Warn, "Over SSH, forward the port from your computer first:")
			b.WriteString(m.hardwrap(fmt.Sprintf("  ssh -L %s:127.0.0.1:%s %s", lb.Port, lb.Port, m.opts.SSHHost)) + "\n")
		}
	}
}

func (m Model) viewToken(b *strings.Builder) {
	t := m.token
	if m.done && m.opts.TokenNote != "" && m.deliverErr == nil {
		msg := "✓ Got an access token"
		if life := t.Lifetime(m.opts.Now()); life != "" {
			msg += " that " + life
		}
		m.para(b, m.styles.Status, msg+"; "+m.opts.TokenNote+".")
		return
	}
	b.WriteString(m.styles.Token.Render(m.hardwrap(t.AccessToken)) + "\n\n")
	if life := t.Lifetime(m.opts.Now()); life != "" {
		m.para(b, m.styles.Text, strings.ToUpper(life[:1])+life[1:]+".")
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
}

func (m Model) writeMessages(b *strings.Builder) {
	if m.errMsg != "" || m.hint != "" || m.status != "" {
		b.WriteString("\n")
	}
	if m.errMsg != "" {
		m.para(b, m.styles.Error, "✗ "+m.errMsg)
	}
	if m.hint != "" {
		m.para(b, m.styles.Hint, m.hint)
	}
	if m.status != "" {
		m.para(b, m.styles.Status, m.status)
	}
}

// helpView renders the step's keys on as many lines as the width needs,
// evenly filled: help.Model alone would cut the line short and hide keys in
// narrow windows, and a greedy wrap leaves one key alone on the last line.
func (m Model) helpView() string {
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
	var out []string
	for _, r := range breakLines(widths, sep, limit) {
		out = append(out, m.help.ShortHelpView(ks[r[0]:r[1]]))
	}
	return strings.Join(out, "\n")
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
func (m Model) helpKeys() bindingList {
	if m.exchanging {
		return bindingList{keys.Cancel, keys.Quit}
	}
	switch m.step {
	case stepProvider:
		return bindingList{keys.Up, keys.Down, keys.ProviderNext, keys.ListQuit}
	case stepAuthorize:
		l := bindingList{keys.Open, keys.CopyURL}
		if m.opts.Approve != nil {
			l = append(l, keys.Approve)
		}
		return append(l, keys.Next, keys.Back, keys.Quit)
	case stepCode:
		return bindingList{keys.SubmitCode, keys.Reopen, keys.Back, keys.Quit}
	case stepToken:
		l := bindingList{keys.CopyToken}
		if m.token.RefreshToken != "" {
			l = append(l, keys.CopyRefresh)
		}
		return append(l, keys.Done, keys.NewCode)
	case stepSecret:
		return bindingList{keys.Next, keys.Reveal, keys.Back, keys.Quit}
	}
	l := bindingList{keys.Next, keys.Back, keys.Quit}
	if m.index(m.step) == 0 {
		l = bindingList{keys.Next, keys.Quit}
	}
	return l
}

// landing is the address a browser shows for a redirect URI: a bare host
// gets its "/" (https://www.google.com becomes https://www.google.com/).
func landing(uri string) string {
	if u, err := url.Parse(uri); err == nil && u.Host != "" && u.Path == "" {
		u.Path = "/"
		return u.String()
	}
	return uri
}
