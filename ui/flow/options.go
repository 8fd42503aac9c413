package flow

import (
	"context"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
)

// Options is what a front end starts from, and what it may touch.
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
	// TokenNote, when set, says where the token goes once the front end
	// ends ("it went to stdout"); the final frame says so instead of showing it.
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

// DeviceMode says when the device flow (RFC 8628) replaces the browser's.
type DeviceMode int

const (
	// DeviceAuto: when the provider has a device authorization endpoint
	// (a discovered one only if the server lists the grant) and no
	// redirect URI.
	DeviceAuto DeviceMode = iota
	// DeviceAlways: --device.
	DeviceAlways
	// DeviceNever: --no-device.
	DeviceNever
)

// Exchanger trades a code for a token; tests swap it.
type Exchanger interface {
	Exchange(ctx context.Context, cfg auth.Config, code, verifier string) (*auth.Token, error)
}

// ConfigExchanger exchanges with auth.Config.Exchange.
type ConfigExchanger struct{}

// Exchange runs cfg.Exchange.
func (ConfigExchanger) Exchange(ctx context.Context, cfg auth.Config, code, verifier string) (*auth.Token, error) {
	return cfg.Exchange(ctx, code, verifier)
}

// DeviceFlow asks for a device code and polls for the token; tests swap it.
type DeviceFlow interface {
	DeviceAuth(ctx context.Context, cfg auth.Config) (*auth.DeviceCode, error)
	PollOnce(ctx context.Context, cfg auth.Config, dc *auth.DeviceCode) (*auth.Token, time.Duration, error)
}

// ConfigDevice runs the device flow with auth.Config.
type ConfigDevice struct{}

// DeviceAuth runs cfg.DeviceAuth at the provider's device endpoint, with its scopes.
func (ConfigDevice) DeviceAuth(ctx context.Context, cfg auth.Config) (*auth.DeviceCode, error) {
	return cfg.DeviceAuth(ctx, cfg.DeviceURL, cfg.Scopes)
}

// PollOnce runs cfg.PollOnce.
func (ConfigDevice) PollOnce(ctx context.Context, cfg auth.Config, dc *auth.DeviceCode) (*auth.Token, time.Duration, error) {
	return cfg.PollOnce(ctx, dc)
}

// Saver saves a front end's result as a profile: settings in the settings
// file, secrets where the person chose.
// Its wait for the profile lock ends with ctx, and calls ctx's
// profile.OnLockWait function when it lasts.
type Saver func(context.Context, auth.Config, *auth.Token) (profile.Saved, error)
