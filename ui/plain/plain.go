// Package plain is nestauth's line-by-line front end: the wizard's steps
// (package flow's) as prompts on stderr, answers read from stdin one line
// at a time. No redraw, no cursor movement, no escape code: for screen
// readers, dumb terminals, CI logs and scripts.
package plain

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

// Wanted reports whether the wizard runs in plain mode: asked for with
// --plain or ACCESSIBLE, on a terminal that takes no escape codes, or with
// no terminal to type in.
func Wanted(plain bool, stdin io.Reader, getenv func(string) string) bool {
	return plain || getenv("ACCESSIBLE") != "" || getenv("TERM") == "dumb" || tty.In(stdin) == nil
}

// Run walks the wizard's steps with opts, the options the wizard would
// get, and prints its result as the wizard does: the access token alone on
// stdout (or where sink says), the refresh token where only the person
// sees it. It returns the exit status.
func Run(opts flow.Options, sink Sink, stdin io.Reader, stdout, stderr io.Writer) int {
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
	// --save is the second copy: saved first, so that a write that fails
	// does not skip it.
	status := exitOK
	if opts.AutoSave && opts.Save != nil {
		saved, err := p.save(tok)
		if err != nil {
			failf(stderr, "profile %s was not saved: %s. The token goes to %s all the same, and is good: keep it.", opts.Profile, auth.Sanitize(err.Error()), sink.Where())
			status = exitFailure
		} else {
			p.saved = true
			p.say(strings.TrimSpace(fmt.Sprintf("Saved profile %s: settings in %s; secrets in %s. %s", opts.Profile, saved.SettingsPath, saved.SecretsWhere, saved.KeptNote())))
		}
	}
	return max(p.printResult(tok), status)
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

// save saves tok as the profile, within the request timeout, saying when it
// waits for another run's lock.
func (p *plainRun) save(tok *auth.Token) (profile.Saved, error) {
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.Timeout)
	defer cancel()
	ctx = profile.OnLockWait(ctx, func(w profile.LockWait) {
		p.say(fmt.Sprintf("Waiting: %s. Giving up after %s.", w, auth.Duration(p.opts.Timeout)))
	})
	return p.opts.Save(ctx, p.config(), tok)
}
