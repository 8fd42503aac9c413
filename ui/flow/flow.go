// Package flow is nestauth's sign-in as data, read by both front ends: the
// wizard (package ui) draws it as screens, plain mode (package plain) asks
// it line by line. It holds the steps a provider needs and their order,
// each text step's row, whether the device flow runs, whether the scopes
// are asked, and what follows a failed request; it imports no terminal.
package flow

import "nestauth/auth"

// Plan is what decides the steps: the options, the provider chosen, and
// what the Custom path's answers made of it.
type Plan struct {
	Options
	Base     auth.Provider // the chosen provider as the options give it
	Provider auth.Provider // Base with the answers so far: endpoints found or typed, redirect URI
	Manual   bool          // the endpoints are typed in, not discovered
}

// Steps is the flow for the plan, in order: a step the options give is in
// it (a front end passes over it), one the provider does not need is not.
func (p Plan) Steps() []Step {
	var f []Step
	endpoints, device := p.AsksEndpoints(), p.UseDevice()
	for s := range Token + 1 {
		switch {
		case s == Provider && len(p.Providers) < 2:
		case s == Project && !p.Provider.NeedsProjectID:
		case s == Issuer || s == Redirect:
			if endpoints {
				f = append(f, s)
			}
		case s == AuthEndpoint || s == TokenEndpoint:
			if endpoints && p.Manual {
				f = append(f, s)
			}
		case s == Scopes && !p.AsksScopes():
		case (s == Authorize || s == Code) && device:
		case s == Device && !device:
		default:
			f = append(f, s)
		}
	}
	return f
}

// Asked is Steps without the steps the options answer: those they skip,
// and an issuer given, which is discovered without asking (unless that fails).
func (p Plan) Asked() []Step {
	var f []Step
	for _, s := range p.Steps() {
		if !p.Skips(s) && !(Fields[s].Run && p.Given(s)) {
			f = append(f, s)
		}
	}
	return f
}

// Given reports whether the options give step s's value, from a flag or
// the environment (or a profile, with Prefill), so that it need not be asked.
func (o Options) Given(s Step) bool {
	f := Fields[s]
	return f.Preset != nil && f.Preset(o) != ""
}

// Skips reports whether a front end passes over step s: the options give
// its value, not only to prefill it, and the step does not run it (Run).
func (o Options) Skips(s Step) bool { return o.Given(s) && !o.Prefill && !Fields[s].Run }

// AsksEndpoints reports whether the flow asks for the chosen provider's
// endpoints: it has none, or an issuer was given to discover them.
func (p Plan) AsksEndpoints() bool {
	return p.Base.AuthURL == "" || p.Base.TokenURL == "" || p.Issuer != ""
}

// AsksScopes reports whether the flow has a Scopes step: on the Custom
// path, and for the presets whose scopes are the person's choice.
func (p Plan) AsksScopes() bool { return p.AsksEndpoints() || scopeAsked[p.Base.ID] }

// scopeAsked lists the presets whose scopes are the person's choice.
var scopeAsked = map[string]bool{"google": true, "github": true}

// UseDevice reports whether the flow runs the device flow instead of the
// browser's redirect.
func (p Plan) UseDevice() bool { return UseDevice(p.Device, p.Provider) }

// UseDevice reports whether mode runs the device flow for provider p:
// --device, else when p has a device endpoint and no redirect URI.
func UseDevice(mode DeviceMode, p auth.Provider) bool {
	switch mode {
	case DeviceNever:
		return false
	case DeviceAlways:
		return true
	}
	return p.DeviceURL != "" && p.RedirectURI == ""
}
