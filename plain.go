package main

// Plain mode: the wizard's steps as line-by-line prompts on stderr, answers
// read from stdin one line at a time. No redraw, no cursor movement, no
// escape code: for screen readers, dumb terminals, CI logs and scripts.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"nestauth/auth"
	"nestauth/ui"
)

// plainWanted reports whether the wizard runs in plain mode: asked for with
// --plain or ACCESSIBLE, on a terminal that takes no escape codes, or with
// no terminal to type in.
func plainWanted(plain bool, stdin io.Reader, getenv func(string) string) bool {
	return plain || getenv("ACCESSIBLE") != "" || getenv("TERM") == "dumb" || terminalIn(stdin) == nil
}

// terminalIn is stdin when it is a terminal, else nil.
func terminalIn(stdin io.Reader) *os.File {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return f
	}
	return nil
}

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
	projectID, clientID, secret string
	state, verifier             string

	capture  *auth.Capture      // the loopback listener, if any
	captures chan auth.Captured // redirects it caught; nil without one
	done     chan struct{}      // closed when the run ends
}

// runPlain walks the wizard's steps with opts, the options the wizard would
// get, and prints its result as the wizard does: the access token alone on
// stdout, the refresh token where only the person sees it.
func runPlain(opts ui.Options, sink tokenSink, stdin io.Reader, stdout, stderr io.Writer) int {
	if opts.Exchanger == nil {
		opts.Exchanger = ui.ConfigExchanger{}
	}
	if opts.Listen == nil {
		opts.Listen = auth.ListenLoopback
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	p := &plainRun{opts: opts, sink: sink, stdout: stdout, stderr: stderr, in: newLineReader(stdin), done: make(chan struct{}),
		projectID: opts.ProjectID, clientID: opts.ClientID, secret: opts.ClientSecret,
		state: auth.NewState(), verifier: auth.NewVerifier()}
	defer p.end()
	tok, err := p.run()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	if status := p.printResult(tok); status != exitOK || !opts.AutoSave || opts.Save == nil {
		return status
	}
	saved, err := opts.Save(p.config(), tok) // --save
	if err != nil {
		failf(stderr, "profile %s was not saved: %s", opts.Profile, auth.Sanitize(err.Error()))
		return exitFailure
	}
	p.say(fmt.Sprintf("Saved profile %s: settings in %s; secrets in %s.", opts.Profile, saved.SettingsPath, saved.SecretsWhere))
	return exitOK
}

// end releases what the run holds: the listener (a redirect waiting to be
// taken is told it was not) and the reader.
func (p *plainRun) end() {
	close(p.done)
	if p.capture != nil {
		_ = p.capture.Close()
	}
	p.in.close()
}

func (p *plainRun) run() (*auth.Token, error) {
	if err := p.chooseProvider(); err != nil {
		return nil, err
	}
	p.base = p.provider
	if err := p.askCustom(); err != nil {
		return nil, err
	}
	project, clientID, secret, _ := ui.Prompts()
	if p.opts.Prefill {
		p.say("Demo mode: the client ID and secret are the demo server's, filled in for you.")
	}
	if p.provider.NeedsProjectID && p.projectID == "" {
		p.heading(project.Title)
		p.say(project.Intro)
		if err := p.askField(project.Title, &p.projectID, false, auth.ParseProjectID); err != nil {
			return nil, err
		}
	}
	if p.clientID == "" {
		if err := p.askClientID(clientID, true); err != nil {
			return nil, err
		}
	}
	if p.secret == "" {
		if err := p.askSecret(secret, true); err != nil {
			return nil, err
		}
	}
	if p.useDevice() {
		return p.deviceLoop()
	}
	p.authorize()
	return p.exchangeLoop()
}

// flow is the titles of the steps for the chosen provider, as the wizard
// numbers them.
func (p *plainRun) flow() []string {
	var f []string
	if len(p.opts.Providers) > 1 {
		f = append(f, "Provider")
	}
	if p.asksEndpoints() {
		f = append(f, titleIssuer)
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

// heading names a step: "Step 2 of 5: Client ID", on a line of its own.
func (p *plainRun) heading(title string) {
	f := p.flow()
	for i, t := range f {
		if t == title {
			p.say("", fmt.Sprintf("Step %d of %d: %s", i+1, len(f), title))
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

func (p *plainRun) askClientID(w ui.Prompt, intro bool) error {
	if intro {
		p.heading(w.Title)
		p.say(w.Intro)
	}
	return p.askField(w.Title, &p.clientID, false, auth.ParseClientID)
}

func (p *plainRun) askSecret(w ui.Prompt, intro bool) error {
	if intro {
		p.heading(w.Title)
		p.say(w.Intro)
	}
	prompt := w.Title
	if p.provider.PublicClient {
		prompt += ", or Enter for none"
	}
	return p.askField(prompt, &p.secret, true, p.provider.ParseSecret)
}

// chooseProvider takes the only provider, or asks for one from a numbered
// list.
func (p *plainRun) chooseProvider() error {
	ps := p.opts.Providers
	if len(ps) == 1 {
		p.provider = ps[0]
		return nil
	}
	p.provider, p.base = ps[0], ps[0] // the flow is counted as the wizard's is, from its first
	p.heading("Provider")
	p.say("Which service is the token for?")
	for i, pr := range ps {
		p.say(fmt.Sprintf("%d. %s (%s)", i+1, pr.Name, pr.ID), "   "+pr.Summary)
	}
	prompt := fmt.Sprintf("Number, 1 to %d (Enter for 1)", len(ps))
	for {
		line, err := p.ask(prompt, false)
		if err != nil && !errors.Is(err, errLineTooLong) {
			return errStopped
		}
		i, ok := providerIndex(ps, line)
		if err != nil || !ok {
			p.say(fmt.Sprintf("Error: type a number from 1 to %d, or a provider's name in parentheses.", len(ps)))
			continue
		}
		p.provider = ps[i]
		return nil
	}
}

// providerIndex reads a provider choice: its number, its ID, or nothing
// for the first, as Enter takes the first in the wizard.
func providerIndex(ps []auth.Provider, s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(ps) {
		return n - 1, true
	}
	for i, pr := range ps {
		if strings.EqualFold(s, pr.ID) {
			return i, true
		}
	}
	return 0, false
}

func (p *plainRun) config() auth.Config {
	return auth.Config{Provider: p.provider, ClientID: p.clientID, ClientSecret: p.secret,
		ProjectID: p.projectID, Now: p.opts.Now}
}

func (p *plainRun) authURL() string { return p.config().AuthCodeURL(p.state, p.pkceVerifier()) }

func (p *plainRun) pkceVerifier() string {
	if p.provider.PKCE {
		return p.verifier
	}
	return ""
}

// authorize shows the authorization URL and where the code will come from,
// listening for the redirect when it comes back to this machine.
func (p *plainRun) authorize() {
	cfg := p.config()
	p.heading("Authorize")
	p.say("Open this URL in a browser, sign in and press Allow:")
	p.verbatim(p.authURL())
	p.say("")
	lb, loopback := auth.ParseLoopbackRedirect(cfg.RedirectURI)
	switch {
	case loopback:
		p.listen(lb, cfg.RedirectURI)
	case cfg.RedirectURI == "" && cfg.ShortAuthURL:
		p.say("The page then shows a PIN: type or paste it at the next prompt.")
	case cfg.RedirectURI == "":
		p.say("No --redirect-uri was given: the server picks the client's registered one, and many refuse a request without it. Paste the code or the address you land on.")
	default:
		p.say(fmt.Sprintf("The browser then lands on %s?code=…: copy that whole address and paste it at the next prompt.", landing(cfg.RedirectURI)))
	}
	if cfg.ShortAuthURL && cfg.AuthURL == auth.NestAuthURL {
		p.say(nestShutDown)
	}
	if p.opts.Open != nil && p.in.tty != nil {
		p.say("To open it in your browser from here, type o at the next prompt.")
	}
	if p.opts.Approve != nil {
		p.say("Demo mode: this URL is served by nestauth itself. No browser? Type a at the next prompt to approve as the demo user.")
	}
}

// listen starts the loopback listener; what it catches arrives on captures.
func (p *plainRun) listen(lb auth.Loopback, uri string) {
	c, err := p.opts.Listen(lb, p.state)
	if err != nil {
		p.say("Cannot catch the redirect: " + auth.Sanitize(err.Error()) + ". Paste the address instead.")
		return
	}
	p.say("Listening on " + uri + ": the browser's redirect brings the code here. Pasting works too.")
	if p.opts.SSHHost != "" {
		p.say("Over SSH, forward the port from your computer first:")
		p.verbatim(fmt.Sprintf("  ssh -L %s:127.0.0.1:%s %s", lb.Port, lb.Port, p.opts.SSHHost))
	}
	p.capture, p.captures = c, make(chan auth.Captured)
	go func() {
		for {
			r := c.Wait(context.Background())
			if errors.Is(r.Err, auth.ErrCaptureClosed) {
				return
			}
			select {
			case p.captures <- r:
			case <-p.done:
				r.Answer(auth.NotTaken)
				return
			}
		}
	}()
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

// exchangeLoop asks for codes and trades them until one gives a token. A
// code the server did not spend is kept: an empty line sends it again, and
// after a rejected client it is sent again as soon as the client is fixed.
func (p *plainRun) exchangeLoop() (*auth.Token, error) {
	_, _, _, codeWords := ui.Prompts()
	p.heading(codeWords.Title)
	p.say(codeWords.Intro)
	var kept auth.Code
	retry := false
	for {
		code := kept
		if !retry {
			var err error
			if code, err = p.readCode(codeWords.Title, kept); err != nil {
				return nil, err
			}
		}
		tok, err := p.exchange(code)
		if err == nil {
			return tok, nil
		}
		if kept, retry, err = p.exchangeFailed(err, code); err != nil {
			return nil, err
		}
	}
}

// readCode returns the next code: typed or pasted, caught by the loopback
// listener, or (demo) approved by the demo server. An empty line sends kept
// again, when there is one.
func (p *plainRun) readCode(title string, kept auth.Code) (auth.Code, error) {
	prompt := title
	if kept.Value != "" {
		prompt += " (Enter tries the same code again)"
	}
	for {
		p.prompt(prompt, false)
		p.in.request(false)
		select {
		case r := <-p.captures:
			p.say("")
			if r.Err != nil {
				p.fail(fmt.Errorf("a redirect reached the listener but was refused: %w", r.Err), "")
				continue
			}
			p.say("Took the code from the browser's redirect.")
			r.Answer(auth.Taken)
			return r.Code, nil
		case a := <-p.in.answers:
			p.in.pending = false
			p.answered(false)
			code, ok, err := p.takeCode(a, kept)
			if ok || err != nil {
				return code, err
			}
		}
	}
}

// takeCode reads one answer at the code prompt; ok is false when the prompt
// should be asked again.
func (p *plainRun) takeCode(a lineAnswer, kept auth.Code) (code auth.Code, ok bool, err error) {
	switch {
	case errors.Is(a.err, errLineTooLong):
		p.fail(a.err, "")
		return auth.Code{}, false, nil
	case a.err != nil:
		return auth.Code{}, false, errStopped
	case a.text == "" && kept.Value != "":
		return kept, true, nil
	case a.text == "o" && p.opts.Open != nil && p.in.tty != nil:
		if err := p.opts.Open(p.authURL()); err != nil {
			p.say("No browser could be opened here: copy the URL above instead.")
		} else {
			p.say("Opened the authorization URL in your browser.")
		}
		return auth.Code{}, false, nil
	case a.text == "a" && p.opts.Approve != nil:
		pin, err := p.opts.Approve(p.authURL())
		if err != nil {
			p.fail(err, "")
			return auth.Code{}, false, nil
		}
		p.say(fmt.Sprintf("The demo server approved and showed PIN %s; exchanging it.", pin))
		return auth.Code{Value: pin}, true, nil
	}
	code, err = auth.ParseCode(a.text, p.state)
	if err != nil {
		p.fail(err, "")
		return auth.Code{}, false, nil
	}
	switch {
	case code.FromURL && !code.StateChecked:
		p.say("Took the code out of the URL (it carried no state to check).")
	case code.Value != a.text:
		p.say("Took the code out of what you pasted.")
	}
	return code, true, nil
}

// exchange trades code for a token with one request. A redirect caught
// meanwhile is told the terminal is busy, as the wizard tells it.
func (p *plainRun) exchange(code auth.Code) (*auth.Token, error) {
	p.say("Exchanging the code for a token…")
	type result struct {
		tok *auth.Token
		err error
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.Timeout)
	defer cancel()
	done := make(chan result, 1)
	go func() {
		tok, err := p.opts.Exchanger.Exchange(ctx, p.config(), code.Value, p.pkceVerifier())
		done <- result{tok, err}
	}()
	for {
		select {
		case r := <-done:
			return r.tok, r.err
		case c := <-p.captures:
			if c.Err == nil {
				c.Answer(auth.Busy)
			}
		}
	}
}

// exchangeFailed says what went wrong and asks for what can fix it: the
// secret or client ID again (then code is tried again at once, retry), or
// a new code. kept is the code still worth sending.
func (p *plainRun) exchangeFailed(err error, code auth.Code) (kept auth.Code, retry bool, _ error) {
	var e *auth.Error
	if !errors.As(err, &e) {
		p.fail(err, "")
		return code, false, nil
	}
	msg := "The server said: " + e.Error() + "."
	if e.Kind == auth.KindNetwork {
		msg = "No answer from the token endpoint: " + e.Error() + "."
	}
	p.say("Error: "+msg, e.Hint())
	_, clientID, secret, _ := ui.Prompts()
	switch {
	case e.Kind == auth.KindCode:
		p.say("The authorization URL again:")
		p.verbatim(p.authURL())
		return auth.Code{}, false, nil
	case e.Kind == auth.KindSecret:
		p.say("Your code is kept: type the client secret again and it is tried at once.")
		return code, true, p.askSecret(secret, false)
	case e.Kind == auth.KindClientID:
		p.say("Your code is kept: type the client ID again and it is tried at once.")
		return code, true, p.askClientID(clientID, false)
	case e.Kind == auth.KindRedirect:
		p.say("Your code is kept (it may still be good): Enter tries it again.")
	case e.Retryable():
		p.say("Press Enter to retry.")
	}
	return code, false, nil
}

// printResult prints the token as the wizard does: on stdout alone, then
// the refresh token where only the person sees it.
func (p *plainRun) printResult(tok *auth.Token) int {
	p.heading("Access token")
	status := "Got an access token"
	if life := tok.Lifetime(p.now()); life != "" {
		status += " that " + life
	}
	status += "; " + p.opts.TokenNote + "."
	if p.opts.Deliver == nil {
		p.say(status) // stdout is this terminal: the token follows
	}
	write := p.opts.Deliver
	if write == nil {
		write = func(t *auth.Token) error { _, err := p.sink.write(t, p.stdout); return err }
	}
	if err := write(tok); err != nil {
		failf(p.stderr, "the token could not be written to %s: %v", p.sink.where(), err)
		if isTerminal(p.stderr) { // a person is watching: better here than lost
			p.say("Here it is on the terminal instead:")
			p.verbatim(tok.AccessToken)
		}
		return exitFailure
	}
	if p.opts.Deliver != nil {
		p.say(status)
	}
	if note := p.sink.fallbackNote(tok); note != "" {
		p.say("Note: " + note)
	}
	if tok.RefreshToken != "" {
		p.printRefreshToken(tok.RefreshToken)
	}
	return exitOK
}

// printRefreshToken shows the refresh token where the wizard would: on
// stderr when it is a terminal, else on the terminal itself. Never into a
// log, where it would outlive the run.
func (p *plainRun) printRefreshToken(rt string) {
	screen, closeScreen, err := wizardScreen(p.stderr)
	if err != nil {
		p.say("The server also issued a refresh token. It is shown only on a terminal, and there is none here: for the whole token response as JSON, use 'nestauth exchange' with a new code.")
		return
	}
	defer closeScreen()
	if screen != p.stderr {
		p.say("The server also issued a refresh token: it is on the terminal, not in stderr.")
	}
	fmt.Fprintln(screen, "Refresh token (for nestauth refresh):")
	fmt.Fprintln(screen, rt)
	if warn := p.provider.RefreshTokenWarning(); warn != "" {
		fmt.Fprintln(screen, warn)
	}
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
