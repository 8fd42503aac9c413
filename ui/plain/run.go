package plain

// A plain-mode run: its state, its steps and how it asks and tells.
// plain.go walks the steps; a file per step drives each.

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

// errStopped: stdin ended before a token was fetched.
var errStopped = errors.New("stopped before a token was fetched")

// Run's exit statuses, as nestauth's usage lists them.
const (
	exitOK      = 0
	exitFailure = 1 // no token, or it could not be written or saved
)

// Sink is where the token goes and how it is written: the command's
// --format, and --output instead of stdout.
type Sink interface {
	// Render is tok as it is written; note says why it is JSON when the
	// format could not show it.
	Render(tok *auth.Token) (b []byte, note string, err error)
	// Write writes tok where it goes, stdout or the file.
	Write(tok *auth.Token, stdout io.Writer) error
	// Where says where that is, for messages: "stdout", or the file.
	Where() string
}

// plainRun is one run of plain mode: the values gathered so far and the
// authorization request they belong to.
type plainRun struct {
	opts           flow.Options
	sink           Sink // --format, --output
	saved          bool // --save kept the token
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
func (p *plainRun) heading(s flow.Step) {
	f := p.steps()
	total := fmt.Sprintf(" of %d", len(f))
	if !p.chosen || p.plan().AsksEndpoints() && !p.customDone {
		total = ""
	}
	for i, t := range f {
		if t == s {
			p.say("", fmt.Sprintf("Step %d%s: %s", i+1, total, s))
			return
		}
	}
}

// say prints lines of prose on stderr, wrapped at spaces on a terminal
// (where a screen reader reads what shows, line by line), not in a log.
func (p *plainRun) say(lines ...string) {
	for _, l := range lines {
		tty.Say(p.stderr, l)
	}
}

// verbatim prints a line that must copy whole (a URL, a token) unwrapped.
func (p *plainRun) verbatim(line string) { fmt.Fprintln(p.stderr, line) }

// fail says what went wrong, sanitized, as a sentence, and what to do.
func (p *plainRun) fail(err error, hint string) {
	p.say("Error: " + flow.Sentence(auth.Sanitize(err.Error())))
	if hint != "" {
		p.say(hint)
	}
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
	var refused error // the value refused before, if any
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
		p.fail(err, fieldHint(err, refused))
		refused = err
	}
}

// fieldHint says what to do about a refused value, when the error does
// not; before is the value refused before it, if any.
func fieldHint(err, before error) string {
	switch {
	case errors.Is(err, auth.ErrNoClientID) && errors.Is(before, auth.ErrClientIDIsSecret):
		return flow.SecretTakenOut
	case errors.Is(err, auth.ErrCloudProjectID), errors.Is(err, auth.ErrBadProjectID), errors.Is(err, auth.ErrNoProjectID):
		return auth.ProjectIDHelp
	case errors.Is(err, auth.ErrClientIDIsSecret):
		return "It was not taken: the secret goes in the next step."
	}
	return ""
}

// plan is what decides the steps now: the provider as chosen, and with
// the answers so far.
func (p *plainRun) plan() flow.Plan {
	return flow.Plan{Options: p.opts, Base: p.base, Provider: p.provider, Manual: p.manual}
}

// steps is the flow's steps as plain mode numbers them: an issuer given is
// discovered without a step (the wizard shows it as discovery runs),
// unless that fails and the issuer is asked.
func (p *plainRun) steps() []flow.Step {
	var f []flow.Step
	for _, s := range p.plan().Steps() {
		if s != flow.Issuer || p.opts.Issuer == "" || p.askedIssuer {
			f = append(f, s)
		}
	}
	return f
}

// client is where the answer to the client's step s is kept.
func (p *plainRun) client(s flow.Step) *string {
	if s == flow.Secret {
		return &p.secret
	}
	return &p.clientID
}

// askClient asks the client ID or secret (s), the secret unseen.
func (p *plainRun) askClient(s flow.Step) error {
	prompt := s.String()
	if s == flow.Secret && p.provider.PublicClient {
		prompt += ", or Enter for none"
	}
	return p.askField(prompt, p.client(s), flow.Fields[s].Masked, p.parse(s))
}

// lowerFirst is a title inside a sentence: "Client ID" becomes "client ID".
func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// parse is step s's parse for the chosen provider.
func (p *plainRun) parse(s flow.Step) func(string) (string, error) {
	return func(v string) (string, error) { return flow.Fields[s].Parse(p.provider, v) }
}

// intro names step s on a line of its own and says what it asks.
func (p *plainRun) intro(s flow.Step) {
	p.heading(s)
	p.say(flow.Intro(s, p.provider, true))
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

// failf prints an error line, "nestauth: " and the message, as the
// commands do.
func failf(w io.Writer, format string, a ...any) {
	tty.Say(w, "nestauth: "+fmt.Sprintf(format, a...))
}
