package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Config is everything needed to run the flow against one provider.
type Config struct {
	Provider
	ClientID     string
	ClientSecret string
	ProjectID    string

	// HTTPClient sends the token requests; nil means one that follows no
	// redirects. Its CheckRedirect is replaced so that redirects never are.
	HTTPClient *http.Client
	// Now is the clock used for expiry dates; nil means time.Now.
	Now func() time.Time
}

// Usage errors: a flag or field is missing or malformed. None is sent anywhere.
var (
	ErrNoClientID      = errors.New("client ID is empty")
	ErrClientIDSpaces  = errors.New("client ID contains spaces")
	ErrClientIDLong    = errors.New("client ID is too long (over 512 characters): paste the ID alone")
	ErrNoClientSecret  = errors.New("client secret is empty")
	ErrNoProjectID     = errors.New("the Device Access project ID is empty")
	ErrCloudProjectID  = errors.New("that looks like a Google Cloud project ID, not a Device Access project ID")
	ErrBadProjectID    = errors.New("that is not a Device Access project ID, which is a UUID")
	ErrNoEndpoint      = errors.New("the provider has no endpoint: set --auth-url and --token-url")
	ErrInsecureURL     = errors.New("refusing a plain http:// endpoint that is not on this machine (loopback)")
	ErrBadEndpointURL  = errors.New("the endpoint is not an absolute http(s) URL")
	ErrBadRedirectPort = errors.New("a loopback redirect URI needs a fixed port, not 0: register one such as http://127.0.0.1:8085/callback")
	ErrOOBRedirect     = errors.New("the out-of-band redirect urn:ietf:wg:oauth:2.0:oob has been blocked by Google since 2023: " +
		"use a loopback redirect such as http://127.0.0.1:8085/callback with a Desktop app client, or https://www.google.com with a Web application client")
)

// ErrClientIDIsSecret never quotes the value: it is a secret.
var ErrClientIDIsSecret = errors.New("that is a Google client secret (it starts with GOCSPX-), not a client ID, which ends in .apps.googleusercontent.com")

// ProjectIDHelp says where the Device Access project ID is found.
const ProjectIDHelp = "Find it in the Device Access Console (console.nest.google.com/device-access), " +
	"under your project's name: a UUID such as 0a1b2c3d-1234-5678-9abc-0123456789ab."

const uuidPattern = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`

var (
	uuidInRE       = regexp.MustCompile(uuidPattern)
	uuidRE         = regexp.MustCompile("^" + uuidPattern + "$")
	cloudProjectRE = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
)

// ValidateClientID checks a client ID as typed.
func ValidateClientID(id string) error {
	switch {
	case id == "":
		return ErrNoClientID
	case strings.ContainsFunc(id, isSpace):
		return ErrClientIDSpaces
	case len(id) > MaxClientID:
		return ErrClientIDLong
	case isGoogleSecret(id):
		return ErrClientIDIsSecret
	}
	return nil
}

// NormalizeClientID cleans a pasted client ID: surrounding blanks, quotes and
// a trailing comma (copied out of a JSON credentials file) and invisible
// characters go.
func NormalizeClientID(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(Sanitize(s)), ",")
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"'`+"`"))
}

// isGoogleSecret reports whether s is a Google OAuth client secret.
func isGoogleSecret(s string) bool {
	return len(s) >= 7 && strings.EqualFold(s[:7], "GOCSPX-")
}

// MaxClientID bounds a client ID; real ones are under 100 characters.
const MaxClientID = 512

// ValidateProjectID checks a Device Access project ID, catching the common
// mistake of pasting the Google Cloud project ID instead.
func ValidateProjectID(id string) error {
	switch {
	case id == "":
		return ErrNoProjectID
	case uuidRE.MatchString(id):
		return nil
	case cloudProjectRE.MatchString(id) && strings.Contains(id, "-"):
		return ErrCloudProjectID // such as my-project-123456
	}
	return ErrBadProjectID
}

// NormalizeProjectID takes the UUID out of what a person pasted: the ID
// itself with quotes or braces, or a Device Access Console URL that names it.
func NormalizeProjectID(s string) string {
	if id := uuidInRE.FindString(s); id != "" {
		return strings.ToLower(id)
	}
	return strings.Trim(strings.TrimSpace(s), `"'{}<>`+"`")
}

// ValidateEndpoint refuses what nestauth must never send a secret to:
// anything but https, or http on a loopback host.
func ValidateEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadEndpointURL, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: %s", ErrInsecureURL, raw)
	}
	return fmt.Errorf("%w: %q", ErrBadEndpointURL, raw)
}

// IsLoopbackHost reports whether host is localhost or a loopback IP literal.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Validate checks the configuration before anything is sent.
func (c Config) Validate() error {
	if err := ValidateClientID(c.ClientID); err != nil {
		return err
	}
	if c.ClientSecret == "" && !c.PublicClient {
		return ErrNoClientSecret
	}
	if c.NeedsProjectID {
		if err := ValidateProjectID(c.ProjectID); err != nil {
			return err
		}
	}
	return c.ValidateEndpoints()
}

// ValidateEndpoints checks the authorization and token URLs and the redirect
// URI: what the wizard needs.
func (c Config) ValidateEndpoints() error { return c.validateEndpoints(true) }

// ValidateTokenEndpoint checks what one token request needs (exchange and
// refresh): the token URL and the redirect URI; an authorization URL, if
// set, must be safe too.
func (c Config) ValidateTokenEndpoint() error { return c.validateEndpoints(false) }

// validateEndpoints refuses unsafe URLs before missing ones, so a provider
// still lacking one endpoint is not let off with an unsafe other.
func (c Config) validateEndpoints(needAuthURL bool) error {
	for _, u := range []string{c.TokenURL, strings.ReplaceAll(c.AuthURL, "{project}", "p")} {
		if u == "" {
			continue
		}
		if err := ValidateEndpoint(u); err != nil {
			return err
		}
	}
	if lb, ok := ParseLoopbackRedirect(c.RedirectURI); ok && lb.Port == "0" {
		return ErrBadRedirectPort
	}
	if isOOB(c.RedirectURI) && c.isGoogle() {
		return ErrOOBRedirect
	}
	if c.TokenURL == "" || needAuthURL && c.AuthURL == "" {
		return ErrNoEndpoint
	}
	return nil
}

// isOOB reports whether uri is the out-of-band redirect (or its :auto form).
func isOOB(uri string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(uri)), "urn:ietf:wg:oauth:2.0:oob")
}

// isGoogle reports whether the configuration talks to Google, which refuses
// the out-of-band redirect; other servers may still offer it.
func (c Config) isGoogle() bool {
	if c.ID == "sdm" {
		return true
	}
	for _, raw := range []string{c.AuthURL, c.TokenURL} {
		u, err := url.Parse(strings.ReplaceAll(raw, "{project}", "p"))
		if err != nil {
			continue
		}
		h := strings.ToLower(u.Hostname())
		for _, d := range []string{"google.com", "googleapis.com"} {
			if h == d || strings.HasSuffix(h, "."+d) {
				return true
			}
		}
	}
	return false
}

// NewState returns a non-guessable state value: 128 random bits, URL-safe.
func NewState() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewVerifier returns a PKCE code verifier (RFC 7636, 43 characters).
func NewVerifier() string { return oauth2.GenerateVerifier() }

// Challenge returns the S256 code challenge for a verifier.
func Challenge(verifier string) string { return oauth2.S256ChallengeFromVerifier(verifier) }

// AuthCodeURL builds the authorization URL. verifier is empty without PKCE.
func (c Config) AuthCodeURL(state, verifier string) string {
	v := url.Values{}
	v.Set("client_id", c.ClientID)
	if c.RedirectURI != "" {
		v.Set("redirect_uri", c.RedirectURI)
	}
	if !c.Legacy {
		v.Set("response_type", "code")
		if len(c.Scopes) > 0 {
			v.Set("scope", strings.Join(c.Scopes, " "))
		}
		for _, kv := range c.AuthParams {
			v.Set(kv[0], kv[1])
		}
		if verifier != "" {
			v.Set("code_challenge", Challenge(verifier))
			v.Set("code_challenge_method", "S256")
		}
	}
	v.Set("state", state)

	base := strings.ReplaceAll(c.AuthURL, "{project}", url.PathEscape(c.ProjectID))
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + v.Encode()
}

func (c Config) oauth2Config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  c.RedirectURI,
		Endpoint: oauth2.Endpoint{
			TokenURL:  c.TokenURL,
			AuthStyle: c.AuthStyle.oauth2(),
		},
	}
}

// context returns ctx carrying an HTTP client that follows no redirects
// and records the answer in rec.
func (c Config) context(ctx context.Context, rec *recorder) context.Context {
	hc := http.Client{}
	if c.HTTPClient != nil {
		hc = *c.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	rec.next = hc.Transport
	if rec.next == nil {
		rec.next = http.DefaultTransport
	}
	hc.Transport = rec
	return context.WithValue(ctx, oauth2.HTTPClient, &hc)
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Exchange trades an authorization code for a token with exactly one POST.
// verifier is the PKCE code verifier, or empty. Errors are *Error.
// x/oauth2 sends the request; the answer is read by c.read.
func (c Config) Exchange(ctx context.Context, code, verifier string) (*Token, error) {
	if err := c.ValidateTokenEndpoint(); err != nil {
		return nil, &Error{Kind: KindUsage, Err: err}
	}
	var opts []oauth2.AuthCodeOption
	if verifier != "" {
		opts = append(opts, oauth2.VerifierOption(verifier))
	}
	start, rec := c.now(), &recorder{}
	_, err := c.oauth2Config().Exchange(c.context(ctx, rec), code, opts...)
	return c.read(ctx, rec, err, start, "")
}

// Refresh trades a refresh token for a new access token.
func (c Config) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	if err := c.ValidateTokenEndpoint(); err != nil {
		return nil, &Error{Kind: KindUsage, Err: err}
	}
	start, rec := c.now(), &recorder{}
	_, err := c.oauth2Config().TokenSource(c.context(ctx, rec), &oauth2.Token{RefreshToken: refreshToken}).Token()
	return c.read(ctx, rec, err, start, refreshToken)
}

func checked(t *Token, refresh bool) (*Token, error) {
	if err := t.check(); err != nil {
		return nil, &Error{Kind: KindServer, Err: err, Refresh: refresh}
	}
	return t, nil
}
