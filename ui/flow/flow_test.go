package flow_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// plan is the plan for provider p chosen from the options' providers, with
// found standing in for what discovery or typed answers made of it.
func plan(o flow.Options, p auth.Provider, found func(*auth.Provider), manual bool) flow.Plan {
	if o.Providers == nil {
		o.Providers = []auth.Provider{p}
	}
	answered := p
	if found != nil {
		found(&answered)
	}
	return flow.Plan{Options: o, Base: p, Provider: answered, Manual: manual}
}

func discovered(p *auth.Provider) {
	p.AuthURL, p.TokenURL = "https://idp.example/auth", "https://idp.example/token"
	p.RedirectURI = "http://127.0.0.1:8085/cb"
}

// The steps each provider needs, in order, and those left to ask once the
// options' values are taken: what both front ends walk.
func TestSteps(t *testing.T) {
	const (
		P, I, AE, TE, S, R, Pr = flow.Provider, flow.Issuer, flow.AuthEndpoint, flow.TokenEndpoint, flow.Scopes, flow.Redirect, flow.Project
		C, Se, A, Co, D, T     = flow.ClientID, flow.Secret, flow.Authorize, flow.Code, flow.Device, flow.Token
	)
	tests := []struct {
		name      string
		plan      flow.Plan
		steps     []flow.Step
		asked     []flow.Step // nil: the same as steps
		device    bool
		scopes    bool
		endpoints bool
	}{
		{name: "sdm", plan: plan(flow.Options{}, auth.SDM(), nil, false), steps: []flow.Step{Pr, C, Se, A, Co, T}},
		{name: "nest", plan: plan(flow.Options{}, auth.Nest(), nil, false), steps: []flow.Step{C, Se, A, Co, T}},
		{name: "nest, client from flags", plan: plan(flow.Options{ClientID: "id", ClientSecret: "s"}, auth.Nest(), nil, false),
			steps: []flow.Step{C, Se, A, Co, T}, asked: []flow.Step{A, Co, T}},
		{name: "nest, prefilled from a profile: shown, not skipped", plan: plan(flow.Options{ClientID: "id", ClientSecret: "s", Prefill: true}, auth.Nest(), nil, false),
			steps: []flow.Step{C, Se, A, Co, T}},
		{name: "a choice of providers", plan: plan(flow.Options{Providers: auth.Providers()}, auth.SDM(), nil, false), steps: []flow.Step{P, Pr, C, Se, A, Co, T}},
		{name: "google: scopes asked", plan: plan(flow.Options{}, auth.Google(), nil, false), steps: []flow.Step{S, C, Se, A, Co, T}, scopes: true},
		{name: "custom with --issuer", plan: plan(flow.Options{Issuer: "https://idp.example"}, auth.Custom(), discovered, false),
			steps: []flow.Step{I, S, R, C, Se, A, Co, T}, asked: []flow.Step{S, R, C, Se, A, Co, T}, scopes: true, endpoints: true},
		{name: "custom with typed endpoints", plan: plan(flow.Options{}, auth.Custom(), discovered, true),
			steps: []flow.Step{I, AE, TE, S, R, C, Se, A, Co, T}, scopes: true, endpoints: true},
		{name: "custom with --issuer and --scope", plan: plan(flow.Options{Issuer: "https://idp.example", Scopes: []string{"openid"}}, auth.Custom(), discovered, false),
			steps: []flow.Step{I, S, R, C, Se, A, Co, T}, asked: []flow.Step{R, C, Se, A, Co, T}, scopes: true, endpoints: true},
		{name: "device flow: github", plan: plan(flow.Options{}, auth.GitHub(), nil, false),
			steps: []flow.Step{S, C, Se, D, T}, device: true, scopes: true},
		{name: "device flow: an issuer that offers it, no redirect URI", plan: plan(flow.Options{Issuer: "https://idp.example"}, auth.Custom(), func(p *auth.Provider) {
			discovered(p)
			p.RedirectURI, p.DeviceURL = "", "https://idp.example/device"
		}, false), steps: []flow.Step{I, S, R, C, Se, D, T}, asked: []flow.Step{S, R, C, Se, D, T}, device: true, scopes: true, endpoints: true},
		{name: "device flow: --device", plan: plan(flow.Options{Device: flow.DeviceAlways}, auth.Nest(), nil, false), steps: []flow.Step{C, Se, D, T}, device: true},
		{name: "--no-device: github's web flow", plan: plan(flow.Options{Device: flow.DeviceNever}, auth.GitHub(), nil, false),
			steps: []flow.Step{S, C, Se, A, Co, T}, scopes: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.plan.Steps(); !slices.Equal(got, tt.steps) {
				t.Errorf("Steps() = %v, want %v", got, tt.steps)
			}
			asked := tt.asked
			if asked == nil {
				asked = tt.steps
			}
			if got := tt.plan.Asked(); !slices.Equal(got, asked) {
				t.Errorf("Asked() = %v, want %v", got, asked)
			}
			if got := tt.plan.UseDevice(); got != tt.device {
				t.Errorf("UseDevice() = %v, want %v", got, tt.device)
			}
			if got := tt.plan.AsksScopes(); got != tt.scopes {
				t.Errorf("AsksScopes() = %v, want %v", got, tt.scopes)
			}
			if got := tt.plan.AsksEndpoints(); got != tt.endpoints {
				t.Errorf("AsksEndpoints() = %v, want %v", got, tt.endpoints)
			}
		})
	}
}

// Each text step has its row, and each row a title.
func TestFieldsHaveRows(t *testing.T) {
	for _, s := range []flow.Step{flow.Issuer, flow.AuthEndpoint, flow.TokenEndpoint, flow.Scopes, flow.Redirect, flow.Project, flow.ClientID, flow.Secret, flow.Code} {
		f, ok := flow.Fields[s]
		if !ok || f.Intro == "" || f.Line() == "" || f.Limit == 0 {
			t.Errorf("%v: row %+v", s, f)
		}
		if (f.Parse == nil) != (s == flow.Code) {
			t.Errorf("%v: a parse, or none, where the other was expected", s)
		}
	}
	if !flow.Fields[flow.Secret].Masked || flow.Fields[flow.ClientID].Masked {
		t.Error("the secret, and only it, is masked")
	}
}

// What follows a failed exchange, by the error's kind: the step, and what
// becomes of the code.
func TestAfterExchange(t *testing.T) {
	tests := []struct {
		kind    auth.Kind
		sent    bool // the request went out, and no answer came
		step    flow.Step
		newCode bool
		resumes bool
		then    string
	}{
		{kind: auth.KindCode, step: flow.Code, newCode: true},
		{kind: auth.KindSecret, step: flow.Secret, resumes: true},
		{kind: auth.KindClientID, step: flow.ClientID, resumes: true},
		{kind: auth.KindRedirect, step: flow.Code, then: "Your code is kept (it may still be good): Enter tries it again."},
		{kind: auth.KindNetwork, step: flow.Code, then: "Press Enter to retry."},
		{kind: auth.KindNetwork, sent: true, step: flow.Code, newCode: true}, // the code may be spent: no retry
		{kind: auth.KindScope, step: flow.Code},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.kind, tt.sent), func(t *testing.T) {
			a, ok := flow.AfterExchange(fmt.Errorf("exchange: %w", &auth.Error{Kind: tt.kind, Sent: tt.sent, Err: errors.New("refused")}))
			if !ok || a.Step != tt.step || a.NewCode != tt.newCode || a.Resumes() != tt.resumes || a.Then != tt.then || a.Said == "" {
				t.Errorf("AfterExchange = %+v, %v", a, ok)
			}
		})
	}
	if _, ok := flow.AfterExchange(errors.New("client ID is empty")); ok {
		t.Error("an error of nestauth's own read as the server's answer")
	}
	if a := flow.AfterDevice(&auth.Error{Kind: auth.KindSecret, Err: errors.New("bad secret")}, nil); a.Step != flow.Secret || !a.NewCode {
		t.Errorf("AfterDevice of a rejected secret = %+v", a)
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{"": "", "expires in 1 hour": "Expires in 1 hour.", "done.": "Done."} {
		if got := flow.Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

// The Client ID step says where the provider's client is made; the other
// steps and a provider with nothing to add keep the plain intro.
func TestIntroSaysWhereTheClientIsMade(t *testing.T) {
	if got := flow.Intro(flow.ClientID, auth.SDM(), false); !strings.Contains(got, "Web application") || !strings.Contains(got, "https://www.google.com") {
		t.Errorf("sdm's Client ID intro: %q", got)
	}
	if got := flow.Intro(flow.ClientID, auth.Custom(), true); got != flow.Fields[flow.ClientID].Line() {
		t.Errorf("custom's Client ID intro: %q", got)
	}
	if got := flow.Intro(flow.Secret, auth.SDM(), false); got != flow.Fields[flow.Secret].Intro {
		t.Errorf("sdm's secret intro: %q", got)
	}
}
