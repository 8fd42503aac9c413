package ui

import (
	"nestauth/auth"
)

// tokenActions is what the Access token step does with the token besides
// copying it: verify (v), write to a file (w), revoke (x), copy a header (h)
// or a curl command (u). It belongs to one token: a new token resets it.
type tokenActions struct {
	call    call              // verify or revoke, in flight
	checked *auth.CheckResult // the last verification that worked
	confirm confirm           // a question awaiting y or n
	write   writePrompt       // the file name prompt of w
	// revoked: the provider no longer honours the token. Nothing pretends
	// it works: no copy, no file, nothing handed on at the end.
	revoked bool
	wrote   bool // w wrote the token to a file
}

// confirm is a yes/no question on the token step.
type confirm int

const (
	confirmNone confirm = iota
	confirmRevoke
	confirmReplace  // the file exists
	confirmDrop     // esc would drop a token that went nowhere
	confirmFileSave // f would save the secrets unencrypted
)

func newTokenActions() tokenActions { return tokenActions{call: newCall(), write: newWritePrompt()} }

// fit styles the spinner and the prompt, and fits the prompt to the width.
func (a *tokenActions) fit(s Styles, width int) {
	a.call.spinner.Style = s.Spinner
	a.write.input.SetStyles(s.Input)
	a.write.input.SetWidth(max(width-len("> ")-1, 10))
}

// reset forgets everything about the previous token.
func (a *tokenActions) reset() {
	a.call.end()
	a.checked, a.confirm, a.revoked, a.wrote = nil, confirmNone, false, false
	a.write.close()
}

// helpMode names the token step's state, for the help line's cache.
func (a *tokenActions) helpMode() int {
	switch {
	case a.call.running:
		return 1
	case a.confirm != confirmNone:
		return 10 + int(a.confirm)
	case a.write.open:
		return 5
	case a.revoked:
		return 6
	}
	return 0
}
