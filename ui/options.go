package ui

import (
	"context"
	"time"

	"nestauth/auth"
)

// Options is what the wizard starts from, and what it may touch.
type Options struct {
	// Providers to choose from; with exactly one, the Provider step is skipped.
	// Each already carries the endpoint and redirect overrides from flags.
	Providers []auth.Provider

	// Values from flags or the environment; a non-empty one skips its step.
	ClientID, ClientSecret, ProjectID string
	// Prefill puts values in the fields without skipping their steps (demo).
	Prefill bool
	// For a provider without endpoints (Custom): the issuer to discover at
	// start (its step is shown, not skipped), the scopes and redirect URI.
	Issuer      string
	Scopes      []string
	RedirectURI string
	// NoPKCE lets a discovered server without S256 go on without PKCE.
	NoPKCE bool
	// Device says when the device flow (RFC 8628) replaces the browser's.
	Device DeviceMode

	Timeout time.Duration // of one token request

	Exchanger Exchanger
	// DeviceFlow asks for device codes and polls; tests swap it.
	DeviceFlow DeviceFlow
	// Copy writes to the system clipboard.
	Copy func(string) error
	// Open opens a URL in a browser.
	Open func(string) error
	// Listen starts a loopback listener for the redirect.
	Listen func(auth.Loopback, string) (*auth.Capture, error)
	// Approve, in demo mode, stands in for the browser: it approves the
	// authorization URL and returns the PIN the consent page shows.
	Approve func(authURL string) (string, error)
	// SSHHost is set when running over SSH: the host for an ssh -L line.
	SSHHost string
	Now     func() time.Time
	// TokenNote, when set, says where the token goes once the wizard ends
	// ("it went to stdout"); the final frame says so instead of showing it.
	TokenNote string
	// Deliver, when set, writes the token out (to stdout) as the person
	// finishes; when it fails, the wizard stays on the token and says so.
	Deliver func(*auth.Token) error

	// Save, when set, saves the token as profile Profile: the s key on the
	// token step. AutoSave saves each token as it arrives (--save).
	Save     Saver
	Profile  string
	AutoSave bool
	// SaveToFile saves as Save does, with the secrets in the secrets file
	// (--store file): f offers it after the keyring refused a save.
	SaveToFile Saver

	// Check and Revoke call the provider about the token (v and x); nil
	// means auth.Check and auth.Revoke.
	Check  func(context.Context, auth.Config, string) (*auth.CheckResult, error)
	Revoke func(context.Context, auth.Config, *auth.Token) error
}
