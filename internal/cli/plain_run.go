package cli

// A plain-mode run: its state, its steps and how it asks and tells.
// plain.go, plain_custom.go and plain_device.go drive it.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"nestauth/auth"
	"nestauth/ui"
)

// errStopped: stdin ended before a token was fetched.
var errStopped = errors.New("stopped before a token was fetched")

// plainRun is one run of plain mode: the values gathered so far and the
// authorization request they belong to.
type plainRun struct {
	opts           ui.Options
	sink           tokenSink // --format, --output
	stdout, stderr io.Writer
	in             *lineReader

	base                        auth.Provider // the provider chosen, before the Custom path's answers
	provider                    auth.Provider // base with those answers
	manual                      bool          // the endpoints were typed in, not discovered
	askedIssuer                 bool          // the Issuer step was asked: no --issuer, or its discovery failed
	chosen, customDone          bool          // the provider is chosen; the Custom path's questions are answered
	projectID, clientID, secret string
	state, verifier             string

	capture  *auth.Capture      // the loopback listener, if any
	captures chan auth.Captured // redirects it caught; nil without one
	done     chan struct{}      // closed when the run ends
}

// heading names a step: "Step 2 of 5: Client ID", on a line of its own.
// While the steps still depend on answers not yet given (the provider, the
// Custom path's), the total is left out: "Step 2: Issuer".
func (p *plainRun) heading(title string) {
	f := p.flow()
	total := fmt.Sprintf(" of %d", len(f))
	if !p.chosen || p.asksEndpoints() && !p.customDone {
		total = ""
	}
	for i, t := range f {
		if t == title {
			p.say("", fmt.Sprintf("Step %d%s: %s", i+1, total, title))
			return
		}
	}
}

// say prints lines of prose on stderr, wrapped at spaces on a terminal
// (where a screen reader reads what shows, line by line), not in a log.
func (p *plainRun) say(lines ...string) {
	for _, l := range lines {
		say(p.stderr, l)
	}
}

// verbatim prints a line that must copy whole (a URL, a token) unwrapped.
func (p *plainRun) verbatim(line string) { fmt.Fprintln(p.stderr, line) }

// fail says what went wrong, sanitized, as a sentence, and what to do.
func (p *plainRun) fail(err error, hint string) {
	p.say("Error: " + sentence(auth.Sanitize(err.Error())))
	if hint != "" {
		p.say(hint)
	}
}

// sentence capitalizes s and ends it with one full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.TrimSuffix(strings.ToUpper(s[:1])+s[1:]+".", "..")
}

// ask prints a prompt and returns the next line of stdin, trimmed; hidden
// reads it without echo when stdin is a terminal.
func (p *plainRun) ask(prompt string, hidden bool) (string, error) {
	if hidden && p.in.tty != nil && p.in.pending && !p.in.pendingHidden {
		// A code prompt's read is still open, with echo on: finish it first.
		p.say("Press Enter first: the line open now would show what you type.")
		if a := p.in.wait(); a.err != nil || a.text != "" {
			return a.text, a.err
		}
	}
	p.prompt(prompt, hidden)
	p.in.request(hidden)
	a := p.in.wait()
	p.answered(hidden)
	return a.text, a.err
}

func (p *plainRun) prompt(prompt string, hidden bool) {
	if hidden && p.in.tty != nil {
		prompt += " (input hidden)"
	}
	fmt.Fprint(p.stderr, prompt+": ")
}

// answered ends the prompt's line where no echo did.
func (p *plainRun) answered(hidden bool) {
	if p.in.tty == nil || hidden {
		fmt.Fprintln(p.stderr)
	}
}

// askField asks for a value until parse accepts it, and stores it in v.
func (p *plainRun) askField(prompt string, v *string, hidden bool, parse func(string) (string, error)) error {
	for {
		line, err := p.ask(prompt, hidden)
		switch {
		case errors.Is(err, errLineTooLong):
			p.fail(err, "")
			continue
		case err != nil:
			return errStopped
		}
		value, err := parse(line)
		if err == nil {
			*v = value
			return nil
		}
		p.fail(err, fieldHint(err))
	}
}

// fieldHint says what to do about a refused value, when the error does not.
func fieldHint(err error) string {
	switch {
	case errors.Is(err, auth.ErrCloudProjectID), errors.Is(err, auth.ErrBadProjectID), errors.Is(err, auth.ErrNoProjectID):
		return auth.ProjectIDHelp
	case errors.Is(err, auth.ErrClientIDIsSecret):
		return "It was not taken: the secret goes in the next step."
	}
	return ""
}

func (p *plainRun) config() auth.Config {
	return auth.Config{Provider: p.provider, ClientID: p.clientID, ClientSecret: p.secret,
		ProjectID: p.projectID, Now: p.opts.Now}
}

func (p *plainRun) pkceVerifier() string {
	if p.provider.PKCE {
		return p.verifier
	}
	return ""
}

func (p *plainRun) now() time.Time {
	if p.opts.Now != nil {
		return p.opts.Now()
	}
	return time.Now()
}

// errLineTooLong: a line over maxValue was dropped whole.
var errLineTooLong = fmt.Errorf("that line is over %d KiB, so nothing of it was taken", maxValue>>10)

// lineReader reads stdin one line at a time, on request, in the background:
// a redirect caught on loopback can then win over a code not yet typed.
type lineReader struct {
	tty     *os.File // stdin when it is a terminal: hidden reads turn its echo off
	buf     *bufio.Reader
	asks    chan bool // a read is wanted; true: without echo
	answers chan lineAnswer

	pending, pendingHidden bool // a read was asked for and not yet taken
}

type lineAnswer struct {
	text string
	err  error
}

func newLineReader(stdin io.Reader) *lineReader {
	r := &lineReader{tty: terminalIn(stdin), buf: bufio.NewReader(stdin), asks: make(chan bool), answers: make(chan lineAnswer, 1)}
	go func() {
		for hidden := range r.asks {
			r.answers <- r.read(hidden)
		}
	}()
	return r
}

// request starts a read unless one is under way.
func (r *lineReader) request(hidden bool) {
	if !r.pending {
		r.pending, r.pendingHidden = true, hidden
		r.asks <- hidden
	}
}

// wait takes the answer to the read under way.
func (r *lineReader) wait() lineAnswer {
	a := <-r.answers
	r.pending = false
	return a
}

func (r *lineReader) close() { close(r.asks) }

// read reads one line: without echo from a terminal when hidden. A last
// line without a newline counts; after it, io.EOF.
func (r *lineReader) read(hidden bool) lineAnswer {
	if hidden && r.tty != nil {
		b, err := readHidden(r.tty)
		return lineAnswer{trimValue(string(b)), err}
	}
	var line []byte
	tooLong := false
	for {
		chunk, err := r.buf.ReadSlice('\n')
		if len(line)+len(chunk) > maxValue {
			tooLong, line = true, nil
		} else if !tooLong {
			line = append(line, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case tooLong && (err == nil || errors.Is(err, io.EOF)):
			return lineAnswer{err: errLineTooLong}
		case errors.Is(err, io.EOF) && len(line) > 0:
			return lineAnswer{text: trimValue(string(line))}
		}
		return lineAnswer{trimValue(string(line)), err}
	}
}

// flow is the titles of the steps for the chosen provider, as the wizard
// numbers them.
func (p *plainRun) flow() []string {
	var f []string
	if len(p.opts.Providers) > 1 {
		f = append(f, "Provider")
	}
	if p.asksEndpoints() {
		if p.opts.Issuer == "" || p.askedIssuer {
			f = append(f, titleIssuer)
		}
		if p.manual {
			f = append(f, titleAuthEndpoint, titleTokenEndpoint)
		}
	}
	if p.asksScopes() {
		f = append(f, titleScopes)
	}
	if p.asksEndpoints() && p.opts.RedirectURI == "" {
		f = append(f, titleRedirect)
	}
	project, clientID, secret, code := ui.Prompts()
	if p.provider.NeedsProjectID {
		f = append(f, project.Title)
	}
	f = append(f, clientID.Title, secret.Title)
	if p.useDevice() {
		return append(f, titleDevice, "Access token")
	}
	return append(f, "Authorize", code.Title, "Access token")
}

// plainScopeAsked lists the presets whose scopes are the person's choice,
// as the wizard's scopeAsked does.
var plainScopeAsked = map[string]bool{"google": true, "github": true}

// The titles and intros of the Custom path's steps: the wizard's (ui's
// fields rows), with what a line prompt takes instead of tab.
const (
	titleIssuer        = "Issuer"
	titleAuthEndpoint  = "Authorization endpoint"
	titleTokenEndpoint = "Token endpoint"
	titleScopes        = "Scopes"
	titleRedirect      = "Redirect URI"

	introIssuer   = "Your authorization server's issuer URL: nestauth reads its endpoints from ISSUER/.well-known/openid-configuration. No such document? Press Enter on an empty line to type the endpoints."
	introAuth     = "The authorization endpoint: the page where you sign in and allow access."
	introToken    = "The token endpoint: where nestauth trades the code for a token."
	introScopes   = "The scopes to ask for, separated by spaces."
	introSecret   = "Your OAuth client's secret. It is never logged, and stored only if you save a profile (--save)."
	introRedirect = "The redirect URI registered on your OAuth client: http://127.0.0.1:PORT/… is caught here by itself. Leave it empty for the client's default, or for the device flow when the server offers it."
)

// asksEndpoints reports whether plain mode asks for the chosen provider's
// endpoints: it has none, or an issuer was given to discover them.
func (p *plainRun) asksEndpoints() bool {
	return p.base.AuthURL == "" || p.base.TokenURL == "" || p.opts.Issuer != ""
}

// asksScopes reports whether plain mode asks for scopes; --scope answers.
func (p *plainRun) asksScopes() bool {
	return (p.asksEndpoints() || plainScopeAsked[p.base.ID]) && len(p.opts.Scopes) == 0
}

const titleDevice = "Device code"

// useDevice reports whether plain mode runs the device flow: --device,
// else when the provider has a device endpoint and no redirect URI.
func (p *plainRun) useDevice() bool {
	switch p.opts.Device {
	case ui.DeviceNever:
		return false
	case ui.DeviceAlways:
		return true
	}
	return p.provider.DeviceURL != "" && p.provider.RedirectURI == ""
}

// terminalIn is stdin when it is a terminal, else nil.
func terminalIn(stdin io.Reader) *os.File {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return f
	}
	return nil
}
