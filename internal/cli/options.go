package cli

// The parsed command line, and the checks of it that flags.go, issuer.go,
// cmd_device.go and profile_options.go share.

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/ui"
)

// usageError is a bad command line; it exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// clientFlags say who the client is.
type clientFlags struct {
	id, secretFile, projectID string
}

// options is the parsed command line.
type options struct {
	cmd          *command // which command, and what that means
	client       clientFlags
	providers    []auth.Provider
	clientID     string
	clientSecret string
	projectID    string
	timeout      time.Duration
	demo         bool
	plain        bool // line-by-line prompts instead of the wizard's screen
	// Read on the way to the wizard's Options, and by discoverIssuer.
	issuer, redirectURI string
	scopes              []string
	noPKCE              bool
	device              ui.DeviceMode
	forceDevice         bool // --device
	noDevice            bool // --no-device

	code, verifier   string
	codeSource       string // where the code came from: --code, --code-file PATH, or "" (stdin)
	codeFile         string // --code-file
	verifierFile     string // --code-verifier-file
	refreshTokenFile string
	refreshToken     string

	profileOptions
	sink      tokenSink // --format, --output, --force
	tokenFile string    // check, revoke: --token-file
}

// config is the configuration for exchange and refresh: one provider.
func (o *options) config() auth.Config {
	return auth.Config{Provider: o.providers[0], ClientID: o.clientID, ClientSecret: o.clientSecret, ProjectID: o.projectID}
}

// providerFlags are the flags that shape a provider.
type providerFlags struct {
	id, authURL, tokenURL, redirectURI, authStyle string
	apiURL, checkURL, revokeURL                   string
	issuer, deviceURL                             string
	scopes, params                                []string
	noPKCE                                        bool
	saved                                         *auth.Provider
}

// providers returns the providers to offer (one when --provider is given),
// each with the flags' overrides, checked before anything is sent.
func (f providerFlags) providers(c *command, demo bool) ([]auth.Provider, error) {
	style, ok := auth.ParseAuthStyle(f.authStyle)
	if !ok {
		return nil, usagef("--auth-style must be post or basic, not %q", f.authStyle)
	}
	var extra [][2]string
	for _, p := range f.params {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usagef("--param takes key=value, not %q", p)
		}
		if reservedParams[k] {
			return nil, usagef("--param %s: nestauth sets %s itself (use --client-id, --redirect-uri or --scope for those)", k, k)
		}
		extra = append(extra, [2]string{k, v})
	}
	scopes := strings.Fields(strings.Join(f.scopes, " "))
	if len(f.scopes) > 0 && len(scopes) == 0 {
		return nil, usagef("--scope is empty: leave it out for the provider's default")
	}

	if err := f.checkIssuer(demo); err != nil {
		return nil, err
	}

	var base []auth.Provider
	switch {
	case f.id != "":
		p, ok := auth.LookupProvider(f.id)
		if !ok {
			return nil, usagef("unknown --provider %q: use sdm, nest, google, github or custom", f.id)
		}
		base = []auth.Provider{p}
	case f.issuer != "":
		base = []auth.Provider{auth.Custom()}
	case f.saved != nil: // a saved profile's, under the flags
		base = []auth.Provider{*f.saved}
	case !c.wizard:
		return nil, usagef("%s needs --provider sdm, nest, google, github or custom (or --issuer URL)", c.title())
	case demo:
		base = demoProviders()
	default:
		base = auth.Providers()
	}
	for _, u := range [][2]string{{"api-url", f.apiURL}, {"check-url", f.checkURL}, {"revoke-url", f.revokeURL}} {
		if err := auth.ValidateEndpoint(u[1]); u[1] != "" && err != nil {
			return nil, usagef("--%s: %v", u[0], err)
		}
	}
	var out []auth.Provider
	for _, p := range base {
		p.AuthURL = cmp.Or(f.authURL, p.AuthURL)
		p.TokenURL = cmp.Or(f.tokenURL, p.TokenURL)
		p.DeviceURL = cmp.Or(f.deviceURL, p.DeviceURL)
		p.RedirectURI = cmp.Or(f.redirectURI, p.RedirectURI)
		p.APIURL = cmp.Or(f.apiURL, p.APIURL)
		p.CheckURL = cmp.Or(f.checkURL, p.CheckURL)
		p.RevokeURL = cmp.Or(f.revokeURL, p.RevokeURL)
		if len(scopes) > 0 {
			p.Scopes = scopes
		}
		if f.authStyle != "" {
			p.AuthStyle = style
		}
		p.AuthParams = append(p.AuthParams, extra...)
		p.PKCE = p.PKCE && !f.noPKCE
		// The wizard asks for missing endpoints; --issuer brings them.
		if err := checkEndpoints(p, c, len(base) == 1 && !c.wizard && f.issuer == ""); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// checkEndpoints refuses, before any request, endpoints that are missing or
// that would send a secret in the clear. chosen is false when a provider may
// still lack its endpoints: the wizard asks for them, --issuer brings them.
func checkEndpoints(p auth.Provider, c *command, chosen bool) error {
	if c.callsAPI {
		return nil // no token request: the API and revocation URLs are checked where used
	}
	cfg := auth.Config{Provider: p}
	check, flags := cfg.ValidateEndpoints, "--auth-url and --token-url"
	if !c.wizard {
		check, flags = cfg.ValidateTokenEndpoint, "--token-url"
	}
	switch err := check(); {
	case errors.Is(err, auth.ErrNoEndpoint) && !chosen:
		return nil
	case errors.Is(err, auth.ErrNoEndpoint):
		return usagef("--provider %s needs %s (or --issuer URL)", p.ID, flags)
	case err != nil:
		return usageError{err.Error()}
	}
	if p.DeviceURL != "" {
		if err := auth.ValidateEndpoint(p.DeviceURL); err != nil {
			return usagef("--device-url: %v", err)
		}
	}
	return nil
}

// profileOptions are the command line's profile flags.
type profileOptions struct {
	profile    string          // --profile
	profileSet bool            // --profile was given
	save       bool            // --save
	store      profile.Backend // --store: where saving puts the secrets
	storeSet   bool            // --store was given; else a saved profile keeps its own
	storeName  string          // --store as typed
	minValid   time.Duration   // token --min-valid
	refresh    bool            // token --refresh
	revoke     bool            // forget --revoke

	// saved is the profile a command started from (startFromProfile), nil
	// when none.
	saved *profile.Settings

	// settingsDir is the settings directory; settingsErr says why there is none.
	settingsDir string
	settingsErr error

	providerFlags providerFlags // applied again over a saved provider
}

// reservedParams are the authorization parameters nestauth sets itself: a
// --param could otherwise make the URL and the token request disagree.
var reservedParams = map[string]bool{
	"client_id": true, "redirect_uri": true, "state": true, "response_type": true,
	"scope": true, "code_challenge": true, "code_challenge_method": true,
}

// checkIssuer refuses, before anything is sent, an --issuer that is not a
// URL discovery may fetch, or that comes with a preset of its own.
func (f providerFlags) checkIssuer(demo bool) error {
	if f.issuer == "" {
		return nil
	}
	if demo {
		return usagef("--demo runs its own servers: leave out --issuer")
	}
	if f.id != "" && !strings.EqualFold(f.id, "custom") {
		return usagef("--issuer is for --provider custom (or no --provider): the %s preset knows its endpoints", f.id)
	}
	if _, err := auth.ParseIssuer(f.issuer); err != nil {
		return usagef("--issuer: %v", err)
	}
	return nil
}

// deviceMode reads --device and --no-device, refusing --device for a
// provider that cannot run the device flow.
func deviceMode(force, never bool, f providerFlags, providers []auth.Provider) (ui.DeviceMode, error) {
	switch {
	case force && never:
		return ui.DeviceAuto, usagef("give --device or --no-device, not both")
	case never:
		return ui.DeviceNever, nil
	case !force:
		return ui.DeviceAuto, nil
	}
	if len(providers) == 1 && providers[0].DeviceURL == "" && f.issuer == "" && providers[0].TokenURL != "" {
		return ui.DeviceAuto, usagef("--device: --provider %s has no device authorization endpoint: give --device-url URL or --issuer URL", providers[0].ID)
	}
	return ui.DeviceAlways, nil
}
