package flow

import (
	"errors"

	"nestauth/auth"
)

// After is what follows a failed request: what to say, and the step that
// can fix it. Each front end adds what its keys or prompts do about it.
type After struct {
	// Step can fix the failure: Secret or ClientID for a rejected client
	// (the code is then sent again as soon as it is answered), else the
	// step the request was made from (Code, Device).
	Step Step
	Said string // what went wrong, as a sentence
	Hint string // what to do about it, by the error's kind
	// Then says what Enter does now, when the code is worth sending again
	// as it is; "" when the front end says what comes next.
	Then string
	// NewCode: the code is spent or refused, a new one is needed.
	NewCode bool
}

// Resumes reports whether the request is made again as soon as Step is
// answered: the client was rejected, the code was not spent.
func (a After) Resumes() bool { return a.Step == Secret || a.Step == ClientID }

// AfterExchange is what follows a failed exchange of a code. ok is false
// for an error that is not the token endpoint's answer (a check before
// sending): a front end says it as it says any other.
func AfterExchange(err error) (a After, ok bool) {
	var e *auth.Error
	if !errors.As(err, &e) {
		return After{}, false
	}
	a = After{Step: Code, Said: "The server said: " + e.Error() + ".", Hint: e.Hint()}
	if e.Kind == auth.KindNetwork {
		a.Said = "No answer from the token endpoint: " + e.Error() + "."
	}
	switch {
	case e.Kind == auth.KindCode, e.MaybeSpent(): // refused, or maybe spent at the server
		a.NewCode = true
	case e.Kind == auth.KindSecret:
		a.Step = Secret
	case e.Kind == auth.KindClientID:
		a.Step = ClientID
	case e.Kind == auth.KindRedirect:
		a.Then = "Your code is kept (it may still be good): Enter tries it again."
	case e.Retryable():
		a.Then = "Press Enter to retry."
	}
	return a, true
}

// AfterDevice is what follows a failed device flow, whose request sent
// scopes: a new code is needed, after the client is fixed if it was rejected.
func AfterDevice(err error, scopes []string) After {
	a := After{Step: Device, Said: Sentence(auth.Sanitize(err.Error())), Hint: DeviceHint(err, scopes), NewCode: true}
	var e *auth.Error
	if errors.As(err, &e) && e.Code != "" {
		a.Said = "The server said: " + e.Error() + "."
	}
	switch auth.ErrorKind(err) {
	case auth.KindSecret:
		a.Step = Secret
	case auth.KindClientID:
		a.Step = ClientID
	}
	return a
}

// DeviceHint is auth.DeviceHint, and for a refusal of a request that sent
// no scope, that a scope may be what the server wanted.
func DeviceHint(err error, scopes []string) string {
	hint := auth.DeviceHint(err)
	if errors.Is(err, auth.ErrAccessDenied) && len(scopes) == 0 {
		hint += " No scope was sent, and some servers refuse a request without one: a scope may be needed (--scope openid, say)."
	}
	return hint
}
