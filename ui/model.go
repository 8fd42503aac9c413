// Package ui is nestauth's wizard: one Bubble Tea model that walks a person
// from a client ID to an access token.
package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// step is where the wizard is.
type step int

const (
	stepProvider step = iota
	stepProject
	stepClientID
	stepSecret
	stepAuthorize
	stepCode
	stepToken
)

var stepTitles = [...]string{
	stepProvider:  "Provider",
	stepProject:   "Device Access project ID",
	stepClientID:  "Client ID",
	stepSecret:    "Client secret",
	stepAuthorize: "Authorize",
	stepCode:      "Authorization code",
	stepToken:     "Access token",
}

func (s step) String() string { return stepTitles[s] }

// Text fields, by step.
const (
	fieldProject = iota
	fieldClientID
	fieldSecret
	fieldCode
	numFields
)

var stepField = map[step]int{
	stepProject:  fieldProject,
	stepClientID: fieldClientID,
	stepSecret:   fieldSecret,
	stepCode:     fieldCode,
}

// Exchanger trades a code for a token; tests swap it.
type Exchanger interface {
	Exchange(ctx context.Context, cfg auth.Config, code, verifier string) (*auth.Token, error)
}

// ConfigExchanger exchanges with auth.Config.Exchange.
type ConfigExchanger struct{}

// Exchange runs cfg.Exchange.
func (ConfigExchanger) Exchange(ctx context.Context, cfg auth.Config, code, verifier string) (*auth.Token, error) {
	return cfg.Exchange(ctx, code, verifier)
}

// Options is what the wizard starts from, and what it may touch.
type Options struct {
	// Providers to choose from; with exactly one, the Provider step is skipped.
	// Each already carries the endpoint and redirect overrides from flags.
	Providers []auth.Provider

	// Values from flags or the environment; a non-empty one skips its step.
	ClientID, ClientSecret, ProjectID string
	// Prefill puts values in the fields without skipping their steps (demo).
	Prefill bool

	Timeout time.Duration // of one token request

	Exchanger Exchanger
	// Copy writes to the system clipboard.
	Copy func(string) error
	// Open opens a URL in a browser.
	Open func(string) error
	// Listen starts a loopback listener for the redirect.
	Listen func(auth.Loopback, string) (*auth.Capture, error)
	// Approve, in demo mode, stands in for the browser: it approves the
	// authorization URL and returns the PIN the consent page shows.
	Approve func(authURL string) (string, error)
	// SSHHost is set when running over SSH: the host for an ssh -L line.
	SSHHost string
	Now     func() time.Time
	// TokenNote, when set, says where the token goes once the wizard ends
	// ("it went to stdout"); the final frame says so instead of showing it.
	TokenNote string
	// Deliver, when set, writes the token out (to stdout) as the person
	// finishes; when it fails, the wizard stays on the token and says so.
	Deliver func(*auth.Token) error
}

// Model is the wizard's state.
type Model struct {
	opts     Options
	provider int // index into opts.Providers
	fixed    [numFields]bool
	inputs   [numFields]textinput.Model

	step     step
	state    string // the OAuth state of this run
	verifier string // the PKCE verifier of this run

	// resume: after the client was rejected, Enter on a credentials step goes
	// straight back to the code, which was not consumed.
	resume bool

	exchanging bool
	attempt    int // tags exchange results, so a canceled one is ignored
	cancel     context.CancelFunc
	spinner    spinner.Model

	code auth.Code // the code in the field as parsed; Enter sends it as is

	capture    *auth.Capture
	listenErr  string
	listenAddr string // the redirect URI the listener serves

	token *auth.Token

	delivering, wrote bool  // Options.Deliver is running; it wrote the token
	deliverErr        error // why Options.Deliver failed

	errMsg, hint, status string

	width, height int
	isDark        bool
	styles        Styles
	help          help.Model
	aborted, done bool
}

// New returns a wizard at its first step.
func New(opts Options) Model {
	if opts.Exchanger == nil {
		opts.Exchanger = ConfigExchanger{}
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
	m := Model{
		opts:    opts,
		spinner: spinner.New(spinner.WithSpinner(spinner.Dot)),
		help:    help.New(),
		width:   80,
		isDark:  true,
	}
	// Placeholders in parentheses: with NO_COLOR they are not faint, and
	// must not read as a value already typed.
	placeholders := [numFields]string{"(the project's UUID)", "", "", "(paste here)"}
	// Bounds keep a stray megabyte paste from slowing every keystroke.
	limits := [numFields]int{128, auth.MaxClientID, 4096, 16384}
	values := [numFields]string{opts.ProjectID, opts.ClientID, opts.ClientSecret, ""}
	for i := range m.inputs {
		in := textinput.New()
		in.Prompt = "> "
		in.Placeholder = placeholders[i]
		in.CharLimit = limits[i]
		in.SetValue(values[i])
		m.fixed[i] = values[i] != "" && !opts.Prefill
		m.inputs[i] = in
	}
	m.inputs[fieldSecret].EchoMode = textinput.EchoPassword
	m.inputs[fieldSecret].EchoCharacter = '•'
	m.newAuthorization()
	m.applyStyles()
	m.resize()
	m.step = m.firstStep()
	m.focus()
	return m
}

// newAuthorization starts a fresh authorization request: a new state and
// PKCE verifier, so a used URL can't be replayed.
func (m *Model) newAuthorization() {
	m.state, m.verifier = auth.NewState(), auth.NewVerifier()
}

// Token is the token the wizard got, or nil.
func (m Model) Token() *auth.Token { return m.token }

// Provider is the provider the wizard used.
func (m Model) Provider() auth.Provider { return m.opts.Providers[m.provider] }

// Aborted reports whether the person quit with ctrl+c before the token step.
func (m Model) Aborted() bool { return m.aborted }

// Init asks for the background colour; the answer restyles the wizard.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.enterCmd())
}

func (m Model) config() auth.Config {
	return auth.Config{
		Provider:     m.Provider(),
		ClientID:     m.inputs[fieldClientID].Value(),
		ClientSecret: m.inputs[fieldSecret].Value(),
		ProjectID:    m.inputs[fieldProject].Value(),
		Now:          m.opts.Now,
	}
}

func (m Model) authURL() string { return m.config().AuthCodeURL(m.state, m.pkceVerifier()) }

func (m Model) pkceVerifier() string {
	if m.Provider().PKCE {
		return m.verifier
	}
	return ""
}

// flow is the list of steps for the chosen provider.
func (m Model) flow() []step {
	var f []step
	if len(m.opts.Providers) > 1 {
		f = append(f, stepProvider)
	}
	if m.Provider().NeedsProjectID {
		f = append(f, stepProject)
	}
	return append(f, stepClientID, stepSecret, stepAuthorize, stepCode, stepToken)
}

func (m Model) index(s step) int {
	for i, fs := range m.flow() {
		if fs == s {
			return i
		}
	}
	return 0
}

// skipped reports whether a step's value came from a flag.
func (m Model) skipped(s step) bool {
	f, ok := stepField[s]
	return ok && s != stepCode && m.fixed[f]
}

func (m Model) firstStep() step {
	for _, s := range m.flow() {
		if !m.skipped(s) {
			return s
		}
	}
	return stepAuthorize
}

// nextStep is the step after the current one, passing over skipped steps.
func (m Model) nextStep() step {
	f := m.flow()
	for i := m.index(m.step) + 1; i < len(f); i++ {
		if !m.skipped(f[i]) {
			return f[i]
		}
	}
	return stepToken
}

func (m Model) prevStep() (step, bool) {
	i := m.index(m.step)
	if i == 0 {
		return m.step, false
	}
	return m.flow()[i-1], true
}

// goTo moves to s, clearing the step's messages, and focuses its field.
func (m *Model) goTo(s step) tea.Cmd {
	m.step = s
	m.errMsg, m.hint, m.status = "", "", ""
	m.focus()
	return m.enterCmd()
}

func (m *Model) focus() {
	for i := range m.inputs {
		m.inputs[i].Blur()
	}
	if f, ok := stepField[m.step]; ok {
		m.inputs[f].Focus()
		m.inputs[f].CursorEnd()
	}
}

// enterCmd starts what a step needs when it is shown: the loopback listener.
func (m Model) enterCmd() tea.Cmd {
	if m.step != stepAuthorize && m.step != stepCode {
		return nil
	}
	cfg := m.config()
	lb, ok := auth.ParseLoopbackRedirect(cfg.RedirectURI)
	if !ok || m.listenAddr == cfg.RedirectURI {
		return nil
	}
	return listenCmd(m.opts.Listen, lb, cfg.RedirectURI, m.state)
}

func (m *Model) applyStyles() {
	m.styles = NewStyles(m.isDark)
	for i := range m.inputs {
		m.inputs[i].SetStyles(m.styles.Input)
	}
	m.help.Styles = m.styles.Help
	m.spinner.Style = m.styles.Spinner
}

func (m *Model) resize() {
	m.help.SetWidth(m.width)
	w := max(m.width-len("> ")-1, 10)
	for i := range m.inputs {
		m.inputs[i].SetWidth(w)
	}
}

// Close releases what the wizard still holds (the redirect listener); call
// it once the program has ended.
func (m Model) Close() {
	if m.cancel != nil {
		m.cancel()
	}
	if m.capture != nil {
		_ = m.capture.Close()
	}
}
