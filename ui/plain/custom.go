package plain

// The Custom path, as the wizard's: a provider without endpoints gets them
// from its issuer's metadata or typed in, then its scopes and redirect
// URI; the presets that take any scope ask for it.

import (
	"context"
	"errors"
	"strings"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// askCustom asks the Custom path's questions the provider needs.
func (p *plainRun) askCustom() error {
	defaultScopes := strings.Join(p.provider.Scopes, " ")
	plan := p.plan()
	if plan.AsksEndpoints() {
		found, err := p.askEndpoints()
		if err != nil {
			return err
		}
		if found != nil && defaultScopes == "" {
			defaultScopes = strings.Join(found.DefaultScopes(), " ")
		}
	}
	if plan.AsksScopes() && !p.opts.Given(flow.Scopes) {
		if err := p.askScopes(defaultScopes); err != nil {
			return err
		}
	}
	if plan.AsksEndpoints() && !p.opts.Given(flow.Redirect) {
		p.intro(flow.Redirect)
		if err := p.askField(flow.Redirect.String()+" (Enter for none)", &p.provider.RedirectURI, false, p.parse(flow.Redirect)); err != nil {
			return err
		}
	}
	return nil
}

// askEndpoints asks for the issuer and discovers the endpoints from its
// metadata (returned), or, after an empty line, for the endpoints.
func (p *plainRun) askEndpoints() (*auth.Metadata, error) {
	issuer := p.opts.Issuer // --issuer: discovered at once, asked again if that fails
	for {
		if issuer == "" {
			if !p.askedIssuer { // a step only when asked: --issuer's discovery asks nothing
				p.askedIssuer = true
				p.intro(flow.Issuer)
			}
			line, err := p.ask(flow.Issuer.String()+" URL (Enter to type the endpoints)", false)
			switch {
			case errors.Is(err, errLineTooLong):
				p.fail(err, "")
				continue
			case err != nil:
				return nil, errStopped
			case line == "":
				return nil, p.askEndpointURLs()
			}
			if issuer, err = p.parse(flow.Issuer)(line); err != nil {
				p.fail(err, "Or press Enter on an empty line to type the authorization and token endpoints.")
				issuer = ""
				continue
			}
		}
		md, ok := p.discover(issuer)
		if ok {
			return md, nil
		}
		issuer = ""
	}
}

// discover reads the issuer's metadata and applies it, or says why not.
func (p *plainRun) discover(issuer string) (*auth.Metadata, bool) {
	p.say("Reading " + auth.Sanitize(issuer) + "'s metadata…")
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.Timeout)
	defer cancel()
	md, err := auth.Discover(ctx, issuer, nil)
	if err != nil {
		p.say("Error: Could not read the issuer's metadata: " + flow.Sentence(auth.Sanitize(err.Error())))
		p.say("Check the issuer URL (the address before /.well-known), or press Enter on an empty line to type the endpoints.")
		return nil, false
	}
	found, err := md.Apply(p.base, p.opts.NoPKCE)
	if errors.Is(err, auth.ErrNoS256) {
		p.fail(err, "Quit (ctrl+c) and run again with --no-pkce, or press Enter on an empty line to type the endpoints (PKCE stays on).")
		return nil, false
	}
	if p.base.DeviceURL == "" && !md.OffersDevice() {
		found.DeviceURL = "" // named, but its grant is not listed
	}
	p.provider = found
	p.say("Found the endpoints in " + auth.Sanitize(md.Source) + ".")
	return md, true
}

// askEndpointURLs asks for the two endpoints; Enter keeps one a flag gave.
func (p *plainRun) askEndpointURLs() error {
	p.manual = true
	for _, e := range []struct {
		step flow.Step
		v    *string
	}{
		{flow.AuthEndpoint, &p.provider.AuthURL},
		{flow.TokenEndpoint, &p.provider.TokenURL},
	} {
		p.intro(e.step)
		prompt, known := e.step.String(), *e.v
		if known != "" {
			prompt += " (Enter for " + known + ")"
		}
		parse := func(s string) (string, error) {
			if s == "" && known != "" {
				return known, nil
			}
			return p.parse(e.step)(s)
		}
		if err := p.askField(prompt, e.v, false, parse); err != nil {
			return err
		}
	}
	return nil
}

// askScopes asks for the scopes; Enter takes def, "-" the server's default.
func (p *plainRun) askScopes(def string) error {
	p.intro(flow.Scopes)
	prompt := flow.Scopes.String() + " (Enter for the server's default)" // the one rule: the prompt says what Enter takes
	if def != "" {
		prompt = flow.Scopes.String() + " (Enter for " + def + "; - for the server's default)"
	}
	var scopes string
	parse := func(s string) (string, error) {
		switch {
		case s == "":
			s = def
		case s == "-":
			s = ""
		}
		return p.parse(flow.Scopes)(s)
	}
	if err := p.askField(prompt, &scopes, false, parse); err != nil {
		return err
	}
	p.provider.Scopes = strings.Fields(scopes)
	return nil
}
