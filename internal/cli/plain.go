package cli

// Plain mode: the wizard's steps as line-by-line prompts on stderr, answers
// read from stdin one line at a time. No redraw, no cursor movement, no
// escape code: for screen readers, dumb terminals, CI logs and scripts.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// plainWanted reports whether the wizard runs in plain mode: asked for with
// --plain or ACCESSIBLE, on a terminal that takes no escape codes, or with
// no terminal to type in.
func plainWanted(plain bool, stdin io.Reader, getenv func(string) string) bool {
	return plain || getenv("ACCESSIBLE") != "" || getenv("TERM") == "dumb" || terminalIn(stdin) == nil
}

// runPlain walks the wizard's steps with opts, the options the wizard would
// get, and prints its result as the wizard does: the access token alone on
// stdout, the refresh token where only the person sees it.
func runPlain(opts flow.Options, sink tokenSink, stdin io.Reader, stdout, stderr io.Writer) int {
	if opts.Exchanger == nil {
		opts.Exchanger = flow.ConfigExchanger{}
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
	p.base, p.chosen = p.provider, true
	if err := p.askCustom(); err != nil {
		return nil, err
	}
	p.customDone = true
	if p.opts.Prefill {
		p.say("Demo mode: the client ID and secret are the demo server's, filled in for you.")
	}
	if p.provider.NeedsProjectID && p.projectID == "" {
		p.intro(flow.Project)
		if err := p.askField(flow.Project.String(), &p.projectID, false, p.parse(flow.Project)); err != nil {
			return nil, err
		}
	}
	for _, s := range []flow.Step{flow.ClientID, flow.Secret} {
		if *p.client(s) == "" {
			p.intro(s)
			if err := p.askClient(s); err != nil {
				return nil, err
			}
		}
	}
	if p.plan().UseDevice() {
		return p.deviceLoop()
	}
	p.authorize()
	return p.exchangeLoop()
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
	p.heading(flow.Provider)
	p.say(flow.ProviderIntro)
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

func (p *plainRun) authURL() string { return p.config().AuthCodeURL(p.state, p.pkceVerifier()) }

// authorize shows the authorization URL and where the code will come from,
// listening for the redirect when it comes back to this machine.
func (p *plainRun) authorize() {
	cfg := p.config()
	p.heading(flow.Authorize)
	p.say(flow.AuthorizeIntro)
	p.verbatim(p.authURL())
	p.say("")
	lb, loopback := auth.ParseLoopbackRedirect(cfg.RedirectURI)
	switch {
	case loopback:
		p.listen(lb, cfg.RedirectURI)
	case cfg.RedirectURI == "" && cfg.ShortAuthURL:
		p.say("The page then shows a PIN: type or paste it at the next prompt.")
	case cfg.RedirectURI == "":
		p.say(flow.NoRedirectNote)
	default:
		p.say(fmt.Sprintf("The browser then lands on %s?code=…: copy that whole address and paste it at the next prompt.", flow.Landing(cfg.RedirectURI)))
	}
	if cfg.ShortAuthURL && cfg.AuthURL == auth.NestAuthURL {
		p.say(flow.NestShutDown)
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

// exchangeLoop asks for codes and trades them until one gives a token. A
// code the server did not spend is kept: an empty line sends it again, and
// after a rejected client it is sent again as soon as the client is fixed.
func (p *plainRun) exchangeLoop() (*auth.Token, error) {
	p.intro(flow.Code)
	var kept auth.Code
	retry := false
	for {
		code := kept
		if !retry {
			var err error
			if code, err = p.readCode(kept); err != nil {
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
func (p *plainRun) readCode(kept auth.Code) (auth.Code, error) {
	prompt := flow.Code.String()
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
	if took := flow.TookCode(code, a.text); took != "" {
		p.say(took)
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
	after, ok := flow.AfterExchange(err)
	if !ok {
		p.fail(err, "")
		return code, false, nil
	}
	p.say("Error: "+after.Said, after.Hint)
	switch {
	case after.NewCode:
		p.say("The authorization URL again:")
		p.verbatim(p.authURL())
		return auth.Code{}, false, nil
	case after.Resumes():
		p.say("Your code is kept: type the " + lowerFirst(after.Step.String()) + " again and it is tried at once.")
		return code, true, p.askClient(after.Step)
	case after.Then != "":
		p.say(after.Then)
	}
	return code, false, nil
}

// printResult prints the token as the wizard does: on stdout alone, then
// the refresh token where only the person sees it.
func (p *plainRun) printResult(tok *auth.Token) int {
	p.heading(flow.Token)
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
		p.printRefreshToken(tok.RefreshToken, p.refreshKept(tok))
	}
	return exitOK
}

// printRefreshToken shows the refresh token where the wizard would: on
// stderr when it is a terminal, else on the terminal itself. Never into a
// log, where it would outlive the run.
func (p *plainRun) printRefreshToken(rt, kept string) {
	screen, closeScreen, err := wizardScreen(p.stderr)
	switch {
	case err != nil && kept != "":
		p.say("The server also issued a refresh token: " + kept + ".")
		return
	case err != nil:
		p.say("The server also issued a refresh token. It is shown only on a terminal, and there is none here: to keep it next time, add --save (a profile) or --format json (the whole token response).")
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

// refreshKept says where, besides the terminal, tok's refresh token is
// kept: in the profile --save writes, or in what went to stdout or
// --output (json, env); "" when nowhere.
func (p *plainRun) refreshKept(tok *auth.Token) string {
	if p.opts.AutoSave && p.opts.Save != nil {
		return "--save keeps it in profile " + p.opts.Profile
	}
	if b, _, err := p.sink.render(tok); err == nil && strings.Contains(string(b), tok.RefreshToken) {
		return "it is in the token response written to " + p.sink.where()
	}
	return ""
}
