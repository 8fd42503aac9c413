package plain

// The Authorize and Authorization code steps: the URL, then codes read,
// pasted or caught on loopback, traded until one gives a token.

import (
	"context"
	"errors"
	"fmt"

	"nestauth/auth"
	"nestauth/ui/flow"
)

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
		p.say(flow.CannotListen(auth.Sanitize(err.Error())))
		return
	}
	p.say(flow.Listening(uri))
	if p.opts.SSHHost != "" {
		p.say(flow.ForwardPortIntro)
		p.verbatim(flow.ForwardPort(lb.Port, p.opts.SSHHost))
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
		code, err := auth.ParseCode(pin, p.state)
		if err != nil || !code.FromURL {
			code = auth.Code{Value: pin}
		}
		p.say(flow.DemoApproved(pin, code, "exchanging it."))
		return code, true, nil
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
