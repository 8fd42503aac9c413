package ui

import (
	"fmt"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/ui/flow"
)

// wizard is the wizard's state.
type wizard struct {
	opts     flow.Options
	provider int                       // index into opts.Providers
	inputs   map[step]*textinput.Model // one per row of fields
	fixed    map[step]bool             // the value came from a flag: the step is skipped

	step     step
	state    string // the OAuth state of this run
	verifier string // the PKCE verifier of this run

	// resume: after the client was rejected, Enter on a credentials step goes
	// straight back to the code, which was not consumed.
	resume bool
	// secretTakenOut: a client secret was entered as the client ID and
	// taken out; an empty client ID still says where it goes.
	secretTakenOut bool

	exchange exchange
	code     auth.Code // the code in the field as parsed; Enter sends it as is
	custom   custom    // the Custom path: discovered or typed endpoints
	device   device    // the device flow (RFC 8628)
	listener listener
	token    *auth.Token
	tokens   int          // how many tokens this run fetched
	dropped  bool         // esc, y dropped an unkept token; none came since
	actions  tokenActions // v, w, x, h, u on the token step
	qr       qrCode       // Q on the Authorize step

	delivering, wrote bool  // Options.Deliver is running; it wrote the token
	deliverErr        error // why Options.Deliver failed
	save              saving

	notice    notice
	noBrowser bool // an open failed: hints point to copying the URL instead

	width, height int
	isDark        bool
	styles        Styles
	help          help.Model
	frame         frame // rendered parts kept between frames
	aborted, done bool
	signal        os.Signal // held back while a request was out (signal.go)
}

// newWizard returns the state of a wizard at its first step.
func newWizard(opts flow.Options) *wizard {
	if opts.Exchanger == nil {
		opts.Exchanger = flow.ConfigExchanger{}
	}
	if opts.DeviceFlow == nil {
		opts.DeviceFlow = flow.ConfigDevice{}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Listen == nil {
		opts.Listen = auth.ListenLoopback
	}
	if len(opts.Providers) == 0 {
		opts.Providers = auth.Providers()
	}
	if opts.Check == nil {
		opts.Check = auth.Check
	}
	if opts.Revoke == nil {
		opts.Revoke = auth.Revoke
	}
	m := &wizard{
		opts:     opts,
		inputs:   make(map[step]*textinput.Model, len(flow.Fields)),
		fixed:    make(map[step]bool, len(flow.Fields)),
		exchange: exchange{newInflight()},
		actions:  newTokenActions(),
		custom:   custom{discovery: newInflight()},
		device:   device{spinner: spinner.New(spinner.WithSpinner(spinner.Dot))},
		help:     help.New(),
		width:    80,
		isDark:   true,
	}
	// "•" would make the renderer build go-runewidth's 2 MB table for the
	// first frame, on a terminal that does not answer the grapheme query.
	m.help.ShortSeparator = " · "
	for s, f := range flow.Fields {
		in := textinput.New()
		in.Prompt = "> "
		in.Placeholder = f.Placeholder
		in.CharLimit = f.Limit
		if f.Masked {
			in.EchoMode, in.EchoCharacter = textinput.EchoPassword, '•'
		}
		if f.Preset != nil {
			in.SetValue(f.Preset(opts))
		}
		m.fixed[s] = opts.Skips(s)
		m.inputs[s] = &in
	}
	m.newAuthorization()
	m.applyStyles()
	m.resize()
	m.step = m.firstStep()
	m.focus()
	return m
}

// newAuthorization starts a fresh authorization request: a new state and
// PKCE verifier, so a used URL can't be replayed.
func (m *wizard) newAuthorization() {
	m.state, m.verifier = auth.NewState(), auth.NewVerifier()
}

// Token is the token the wizard got, or nil.
func (m *wizard) Token() *auth.Token { return m.token }

// Provider is the provider the wizard used, with the endpoints, scopes and
// redirect URI its steps asked for.
func (m *wizard) Provider() auth.Provider { return m.answered().Provider }

// Aborted reports whether the person quit with ctrl+c before the token step.
func (m *wizard) Aborted() bool { return m.aborted }

// Delivered reports whether Options.Deliver wrote the token.
func (m *wizard) Delivered() bool { return m.wrote }

// DeliverErr is why Options.Deliver could not write the token, or nil.
func (m *wizard) DeliverErr() error { return m.deliverErr }

// Revoked reports whether the person revoked the token in the wizard (or
// the provider said it was dead when asked to revoke it).
func (m *wizard) Revoked() bool { return m.actions.revoked }

// Saved is where the profile was saved, or nil when it was not.
func (m *wizard) Saved() *profile.Saved { return m.save.saved }

// SaveErr is why the last save failed, or nil.
func (m *wizard) SaveErr() error { return m.save.err }

// Close releases what the wizard still holds (a running request, the
// redirect listener); call it once the program has ended.
func (m *wizard) Close() {
	m.exchange.end()
	m.actions.call.end()
	m.custom.discovery.end()
	m.device.stop()
	m.listener.close()
}

func (m *wizard) value(s step) string { return m.inputs[s].Value() }

func (m *wizard) config() auth.Config {
	return auth.Config{
		Provider:     m.Provider(),
		ClientID:     m.value(stepClientID),
		ClientSecret: m.value(stepSecret),
		ProjectID:    m.value(stepProject),
		Now:          m.opts.Now,
	}
}

func (m *wizard) authURL() string { return m.config().AuthCodeURL(m.state, m.pkceVerifier()) }

func (m *wizard) pkceVerifier() string {
	if m.Provider().PKCE {
		return m.verifier
	}
	return ""
}

// base is the chosen provider as the options give it.
func (m *wizard) base() auth.Provider { return m.opts.Providers[m.provider] }

// asked is the plan before the answers: what the chosen provider and the
// options make the wizard ask.
func (m *wizard) asked() flow.Plan {
	return flow.Plan{Options: m.opts, Base: m.base(), Provider: m.base(), Manual: m.custom.manual}
}

// withAnswers is the plan's provider with what the Custom path's steps hold.
func (m *wizard) withAnswers(plan flow.Plan) auth.Provider {
	p := plan.Provider
	if plan.AsksEndpoints() {
		switch {
		case m.custom.manual:
			p.AuthURL, p.TokenURL = m.value(stepAuthEndpoint), m.value(stepTokenEndpoint)
		case m.custom.found != nil:
			p = *m.custom.found
		}
		p.RedirectURI = m.value(stepRedirect)
	}
	if plan.AsksScopes() {
		p.Scopes = strings.Fields(m.value(stepScopes))
	}
	return p
}

// answered is the plan with the answers the steps hold.
func (m *wizard) answered() flow.Plan {
	p := m.asked()
	p.Provider = m.withAnswers(p)
	return p
}

// useDevice reports whether the wizard runs the device flow instead of the
// browser's redirect.
func (m *wizard) useDevice() bool { return m.answered().UseDevice() }

// flow is the list of steps for the chosen provider.
func (m *wizard) flow() []step { return m.answered().Steps() }

func (m *wizard) index(s step) int {
	for i, fs := range m.flow() {
		if fs == s {
			return i
		}
	}
	return 0
}

func (m *wizard) firstStep() step {
	for _, s := range m.flow() {
		if !m.fixed[s] {
			return s
		}
	}
	return stepAuthorize
}

// nextStep is the step after the current one, passing over skipped steps.
func (m *wizard) nextStep() step {
	f := m.flow()
	for i := m.index(m.step) + 1; i < len(f); i++ {
		if !m.fixed[f[i]] {
			return f[i]
		}
	}
	return stepToken
}

func (m *wizard) prevStep() (step, bool) {
	i := m.index(m.step)
	if i == 0 {
		return m.step, false
	}
	return m.flow()[i-1], true
}

func (m *wizard) back() tea.Cmd {
	prev, ok := m.prevStep()
	if !ok {
		m.notice.hint = "This is the first step: ctrl+c quits."
		return nil
	}
	m.resume = false
	return m.goTo(prev)
}

// goTo moves to s, clearing the step's notice, and focuses its field. It is
// the one way to change step.
func (m *wizard) goTo(s step) tea.Cmd {
	if m.step == stepDevice {
		m.device.stop() // its code is not shown any more: no polls, no ticks
	}
	m.step = s
	m.qr = qrCode{}
	m.notice.clear()
	m.focus()
	return m.enterCmd()
}

func (m *wizard) focus() {
	for _, in := range m.inputs {
		in.Blur()
	}
	if in, ok := m.inputs[m.step]; ok {
		in.Focus()
		in.CursorEnd()
	}
}

// enterCmd starts what a step needs when it is shown: a device code, the
// loopback listener.
func (m *wizard) enterCmd() tea.Cmd {
	if m.step == stepDevice {
		return m.startDevice()
	}
	if m.step != stepAuthorize && m.step != stepCode {
		return nil
	}
	uri := m.config().RedirectURI
	lb, ok := auth.ParseLoopbackRedirect(uri)
	if !ok || m.listener.uri == uri {
		return nil
	}
	return listenCmd(m.opts.Listen, lb, uri, m.state)
}

func (m *wizard) startDevice() tea.Cmd {
	m.notice.clear()
	return m.device.start(m.opts.DeviceFlow, m.config(), m.opts.Timeout)
}

func (m *wizard) applyStyles() {
	m.styles = NewStyles(m.isDark)
	for _, in := range m.inputs {
		in.SetStyles(m.styles.Input)
	}
	m.help.Styles = m.styles.Help
	m.exchange.spinner.Style = m.styles.Spinner
	m.actions.fit(m.styles, m.width)
	m.custom.discovery.spinner.Style = m.styles.Spinner
	m.device.spinner.Style = m.styles.Spinner
	m.frame = frame{}
}

func (m *wizard) resize() {
	m.help.SetWidth(m.width)
	w := max(m.width-len("> ")-1, 10)
	for s, in := range m.inputs {
		in.SetWidth(w)
		in.Placeholder = placeholderFor(flow.Fields[s].Placeholder, w)
	}
	m.actions.fit(m.styles, m.width)
	m.frame = frame{}
}

// The header counts steps as "Step N of M" only once M is settled: while an
// answer still to come changes the flow (the provider not chosen yet, the
// Custom path's endpoints and redirect), it says "Step N" alone, rather
// than a total that jumps about.

// flowSettled reports whether no answer still to come changes the flow.
func (m *wizard) flowSettled() bool {
	switch {
	case m.step == stepProvider && len(m.opts.Providers) > 1:
		return false // the choice decides the rest
	case !m.asked().AsksEndpoints():
		return true
	case m.step <= stepIssuer:
		return false // discovery, or tab, decides the endpoints' steps
	}
	// With a device endpoint, an empty redirect URI means the device flow.
	redirectDecides := m.opts.Device == flow.DeviceAuto && !m.fixed[stepRedirect] && m.Provider().DeviceURL != ""
	return !redirectDecides || m.step > stepRedirect
}

// stepCount is the header's "Step N of M ·", or "Step N ·" while M may change.
func (m *wizard) stepCount() string {
	if !m.flowSettled() {
		return fmt.Sprintf("Step %d ·", m.index(m.step)+1)
	}
	return fmt.Sprintf("Step %d of %d ·", m.index(m.step)+1, len(m.flow()))
}

// placeholderFor is a field's placeholder as it fits a field of width
// columns (one kept for the cursor): whole, without its "such as", or none;
// a text input would cut it mid-word.
func placeholderFor(p string, width int) string {
	for _, try := range []string{p, strings.Replace(p, "(such as ", "(", 1)} {
		if ansi.StringWidth(try) < width {
			return try
		}
	}
	return ""
}
