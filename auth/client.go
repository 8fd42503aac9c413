package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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

// Errors of a configuration's endpoints. Nothing is sent.
var (
	ErrNoEndpoint  = errors.New("the provider has no endpoint: set --auth-url and --token-url")
	ErrOOBRedirect = errors.New("the out-of-band redirect urn:ietf:wg:oauth:2.0:oob has been blocked by Google since 2023: " +
		"use a loopback redirect such as http://127.0.0.1:8085/callback with a Desktop app client, or https://www.google.com with a Web application client")
)

// Validate checks the configuration before anything is sent.
func (c Config) Validate() error {
	if err := checkClientID(c.ClientID); err != nil {
		return err
	}
	if _, err := c.ParseSecret(c.ClientSecret); err != nil {
		return err
	}
	if c.NeedsProjectID {
		if err := checkProjectID(c.ProjectID); err != nil {
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
	if u, err := url.Parse(c.RedirectURI); err == nil {
		if err := checkPort(u); err != nil {
			return fmt.Errorf("the redirect URI: %w", err)
		}
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
	if !c.ShortAuthURL {
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
	return context.WithValue(ctx, oauth2.HTTPClient, c.recordingClient(rec))
}

// recordingClient is c's HTTP client, following no redirects and recording
// the answer in rec, where nestauth reads it itself.
func (c Config) recordingClient(rec *recorder) *http.Client {
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
	return &hc
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// request is what a token request about to be sent carries, for reading
// its answer. refreshToken is empty for a code exchange.
func (c Config) request(refreshToken string) tokenRequest {
	return tokenRequest{start: c.now(), redirectURI: c.RedirectURI, refreshToken: refreshToken,
		redact: newRedactor(c.ClientID, c.ClientSecret, refreshToken)}
}

// Exchange trades an authorization code for a token with exactly one POST.
// verifier is the PKCE code verifier, or empty. Errors are *Error.
// x/oauth2 sends the request; nestauth reads the answer (request.read).
func (c Config) Exchange(ctx context.Context, code, verifier string) (*Token, error) {
	if err := c.ValidateTokenEndpoint(); err != nil {
		return nil, &Error{Kind: KindUsage, Err: err}
	}
	var opts []oauth2.AuthCodeOption
	if verifier != "" {
		opts = append(opts, oauth2.VerifierOption(verifier))
	}
	req, rec := c.request(""), &recorder{}
	_, err := c.oauth2Config().Exchange(c.context(ctx, rec), code, opts...)
	return req.read(ctx, rec, err)
}

// Refresh trades a refresh token for a new access token.
func (c Config) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	if err := c.ValidateTokenEndpoint(); err != nil {
		return nil, &Error{Kind: KindUsage, Err: err}
	}
	req, rec := c.request(refreshToken), &recorder{}
	_, err := c.oauth2Config().TokenSource(c.context(ctx, rec), &oauth2.Token{RefreshToken: refreshToken}).Token()
	return req.read(ctx, rec, err)
}
