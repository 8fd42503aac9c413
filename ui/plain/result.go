package plain

// The Access token step: the token on stdout (or where --output says), the
// refresh token where only the person sees it.

import (
	"fmt"
	"strings"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

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
		write = func(t *auth.Token) error { return p.sink.Write(t, p.stdout) }
	}
	if err := write(tok); err != nil {
		// The code is spent: the other stream gets the token.
		failf(p.stderr, "the token could not be written to %s: %v. Here it is on stderr instead:", p.sink.Where(), err)
		p.verbatim(tok.AccessToken)
		switch {
		case tok.RefreshToken == "":
		case p.saved:
			p.printRefreshToken(tok.RefreshToken, p.refreshKept(tok))
		default: // kept nowhere else
			p.say("Refresh token (for nestauth refresh):")
			p.verbatim(tok.RefreshToken)
		}
		return exitFailure
	}
	if p.opts.Deliver != nil {
		p.say(status)
	}
	if _, note, _ := p.sink.Render(tok); note != "" {
		p.say("Note: " + note)
	}
	if tok.Dropped != "" {
		p.say("Note: " + flow.Sentence(tok.Dropped))
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
	screen, closeScreen, err := tty.Screen(p.stderr)
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
	if p.saved {
		return "--save keeps it in profile " + p.opts.Profile
	}
	if b, _, err := p.sink.Render(tok); err == nil && strings.Contains(string(b), tok.RefreshToken) {
		return "it is in the token response written to " + p.sink.Where()
	}
	return ""
}
