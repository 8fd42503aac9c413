package auth

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Metadata is what nestauth takes from an authorization server's metadata
// document (OpenID Connect Discovery 1.0, RFC 8414). Every URL in it passed
// ValidateEndpoint; every scope is a valid scope-token.
type Metadata struct {
	// Issuer is the document's own issuer, which may differ from the URL
	// given to Discover by a trailing slash.
	Issuer      string
	AuthURL     string // authorization_endpoint
	TokenURL    string // token_endpoint
	RevokeURL   string // revocation_endpoint (RFC 7009)
	UserinfoURL string // userinfo_endpoint (OpenID Connect)
	DeviceURL   string // device_authorization_endpoint (RFC 8628)

	Scopes               []string // scopes_supported
	CodeChallengeMethods []string // code_challenge_methods_supported
	// GrantTypes is grant_types_supported; nil when the document leaves it
	// out (HasGrant then applies RFC 8414's default).
	GrantTypes []string

	// Source is the URL the document was read from.
	Source string
}

// GrantDeviceCode is the device authorization grant's grant_type (RFC 8628 §3.4).
const GrantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// Discovery failures. Discover wraps them in an *Error.
var (
	ErrIssuerURL        = errors.New("the issuer must be an absolute https URL without a query or fragment")
	ErrNoMetadata       = errors.New("the server publishes no OAuth metadata (.well-known/openid-configuration or oauth-authorization-server)")
	ErrBadMetadata      = errors.New("the metadata document is not a JSON object")
	ErrMetadataSize     = errors.New("the metadata document is larger than 1 MiB")
	ErrIssuerMismatch   = errors.New("the metadata names another issuer (RFC 8414 §3.3): refusing it")
	ErrMetadataRedirect = errors.New("the metadata URL redirects to another server: refusing it")
	ErrNoS256           = errors.New("the server does not list S256 in code_challenge_methods_supported, so PKCE may not work: pass --no-pkce to go on without it")
)

// maxRedirects bounds the same-origin redirects Discover follows.
const maxRedirects = 5

// Discover reads the metadata of the authorization server issuer: first
// ISSUER/.well-known/openid-configuration (OpenID Connect Discovery §4), then
// the RFC 8414 §3.1 locations of oauth-authorization-server (the well-known
// segment inserted between host and path, and, for servers such as Okta's,
// appended to the path). A location that answers anything but a JSON object
// with 200 is passed over; a document that is read is checked, never passed
// over. hc nil means a default client; ctx bounds the whole discovery.
// Redirects are followed only within the issuer's origin. Errors are *Error.
func Discover(ctx context.Context, issuer string, hc *http.Client) (*Metadata, error) {
	u, err := parseIssuer(issuer)
	if err != nil {
		return nil, &Error{Kind: KindUsage, Err: err}
	}
	client := discoveryClient(hc, u)
	var tried []string
	for _, loc := range wellKnown(u) {
		body, status, err := fetchMetadata(ctx, client, loc)
		if err != nil {
			return nil, discoveryError(ctx, err)
		}
		if status != http.StatusOK || !isJSONObject(body) {
			tried = append(tried, fmt.Sprintf("%s (HTTP %d)", loc, status))
			continue
		}
		m, err := parseMetadata(body, issuer)
		if err != nil {
			return nil, &Error{Kind: KindServer, Err: fmt.Errorf("%s: %w", loc, err)}
		}
		m.Source = loc
		return m, nil
	}
	return nil, &Error{Kind: KindServer, Err: fmt.Errorf("%w; tried %s", ErrNoMetadata, strings.Join(tried, ", "))}
}

// parseIssuer checks an issuer identifier (RFC 8414 §2): https, or http on
// a loopback host, with no query or fragment.
func parseIssuer(issuer string) (*url.URL, error) {
	if err := ValidateEndpoint(issuer); err != nil {
		if errors.Is(err, ErrInsecureURL) || errors.Is(err, ErrBadPort) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %q", ErrIssuerURL, Sanitize(issuer))
	}
	u, err := url.Parse(issuer)
	if err != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil || !printableASCII(issuer) {
		return nil, fmt.Errorf("%w: %q", ErrIssuerURL, Sanitize(issuer))
	}
	return u, nil
}

// wellKnown lists the metadata locations of an issuer, in the order tried.
// Both specifications drop a terminating "/" of the path first.
func wellKnown(u *url.URL) []string {
	origin := u.Scheme + "://" + u.Host
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	locs := []string{
		origin + path + "/.well-known/openid-configuration",
		origin + "/.well-known/oauth-authorization-server" + path,
		origin + path + "/.well-known/oauth-authorization-server",
	}
	return slices.Compact(locs) // without a path, the last two are one
}

// discoveryClient is hc following redirects only within the issuer's origin.
func discoveryClient(hc *http.Client, issuer *url.URL) *http.Client {
	c := http.Client{}
	if hc != nil {
		c = *hc
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != issuer.Scheme || !strings.EqualFold(req.URL.Host, issuer.Host) {
			return fmt.Errorf("%w: %s", ErrMetadataRedirect, Sanitize(req.URL.Redacted()))
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
	return &c
}

// fetchMetadata GETs one location; it reads at most maxBody bytes of the
// answer, and fails on a larger one.
func fetchMetadata(ctx context.Context, c *http.Client, loc string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("the connection broke while the metadata was read: %w", err)
	}
	if len(body) > maxBody {
		return nil, resp.StatusCode, ErrMetadataSize
	}
	return body, resp.StatusCode, nil
}

// discoveryError gives a failed fetch its kind.
func discoveryError(ctx context.Context, err error) *Error {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return &Error{Kind: KindCanceled, Err: err}
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &Error{Kind: KindNetwork, Err: errors.New("the metadata request timed out (see --timeout)")}
	case errors.Is(err, ErrMetadataSize), errors.Is(err, ErrMetadataRedirect):
		return &Error{Kind: KindServer, Err: err}
	}
	return &Error{Kind: KindNetwork, Err: err}
}

func isJSONObject(body []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\uFEFF"))), []byte("{"))
}

// parseMetadata reads a document and checks it against the issuer asked for.
func parseMetadata(body []byte, issuer string) (*Metadata, error) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimPrefix(body, []byte("\uFEFF")), &doc) != nil {
		return nil, ErrBadMetadata
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(doc[k], &s)
		return s
	}
	list := func(k string) []string {
		var l []string
		_ = json.Unmarshal(doc[k], &l)
		return l
	}
	m := &Metadata{
		Issuer:               str("issuer"),
		AuthURL:              str("authorization_endpoint"),
		TokenURL:             str("token_endpoint"),
		RevokeURL:            str("revocation_endpoint"),
		UserinfoURL:          str("userinfo_endpoint"),
		DeviceURL:            str("device_authorization_endpoint"),
		Scopes:               slices.DeleteFunc(list("scopes_supported"), func(s string) bool { return !isScopeToken(s) }),
		CodeChallengeMethods: list("code_challenge_methods_supported"),
		GrantTypes:           list("grant_types_supported"),
	}
	if !sameIssuer(m.Issuer, issuer) {
		// %+q escapes what Sanitize would drop: a difference made of
		// control or invisible characters shows.
		return nil, fmt.Errorf("%w: asked for %+q, the document says %+q", ErrIssuerMismatch, issuer, cut(m.Issuer, maxDescription))
	}
	// Every endpoint the document names, used by nestauth or not: one in
	// plain http off this machine means the document cannot be trusted.
	keys := make([]string, 0, len(doc))
	for k := range doc {
		if strings.HasSuffix(k, "_endpoint") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := str(k)
		if v == "" {
			continue // empty or not a string: nothing anyone could call
		}
		if err := ValidateEndpoint(v); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		if !printableASCII(v) {
			return nil, fmt.Errorf("%s: %w: %q", k, ErrBadEndpointURL, Sanitize(v))
		}
	}
	return m, nil
}

// sameIssuer compares the document's issuer with the one asked for exactly,
// forgiving only a terminating "/" on either: both forms name the same
// metadata location (the slash is dropped before the well-known segment is
// added), so the document cannot claim a different server that way.
func sameIssuer(doc, asked string) bool {
	return doc != "" && (doc == asked || strings.TrimSuffix(doc, "/") == strings.TrimSuffix(asked, "/"))
}

// isScopeToken reports whether s is a scope-token (RFC 6749 §3.3): printable
// ASCII without space, '"' or '\'.
func isScopeToken(s string) bool {
	return s != "" && !strings.ContainsAny(s, `"\`) && printableASCII(s)
}

// printableASCII reports whether s is made of visible ASCII characters only.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// S256 reports whether the server lists the S256 PKCE method.
func (m *Metadata) S256() bool { return slices.Contains(m.CodeChallengeMethods, "S256") }

// HasScope reports whether the server lists scope (openid, say).
func (m *Metadata) HasScope(scope string) bool { return slices.Contains(m.Scopes, scope) }

// HasGrant reports whether the server supports a grant type: listed in
// grant_types_supported, or, without that list, one of RFC 8414 §2's
// defaults (authorization_code and implicit).
func (m *Metadata) HasGrant(grant string) bool {
	if m.GrantTypes == nil {
		return grant == "authorization_code" || grant == "implicit"
	}
	return slices.Contains(m.GrantTypes, grant)
}

// OffersDevice reports whether the device flow can be offered: the server
// names a device authorization endpoint (RFC 8628 §4) and does not leave its
// grant out of a grant_types_supported list it gives.
func (m *Metadata) OffersDevice() bool {
	return m.DeviceURL != "" && (m.GrantTypes == nil || m.HasGrant(GrantDeviceCode))
}

// Apply fills p's endpoints (authorization, token, device, revocation,
// userinfo, and the check URL from userinfo) from the metadata where
// p has none (explicit flags win), and its PKCE: on when the server lists
// S256. Without S256 it returns ErrNoS256 (as a KindUsage *Error) unless
// noPKCE, which turns PKCE off.
func (m *Metadata) Apply(p Provider, noPKCE bool) (Provider, error) {
	if p.AuthURL == "" {
		p.AuthURL = m.AuthURL
	}
	if p.TokenURL == "" {
		p.TokenURL = m.TokenURL
	}
	p.DeviceURL = cmp.Or(p.DeviceURL, m.DeviceURL)
	p.RevokeURL = cmp.Or(p.RevokeURL, m.RevokeURL)
	p.UserinfoURL = cmp.Or(p.UserinfoURL, m.UserinfoURL)
	p.CheckURL = cmp.Or(p.CheckURL, m.UserinfoURL)
	switch {
	case noPKCE:
		p.PKCE = false
	case m.S256():
		p.PKCE = true
	default:
		return p, &Error{Kind: KindUsage, Err: ErrNoS256}
	}
	return p, nil
}

// DefaultScopes are the scopes to ask for when nothing names any: openid
// when the server lists it, for some servers (oidc-provider) refuse a
// request without a scope. nil otherwise: the server's default.
func (m *Metadata) DefaultScopes() []string {
	if m.HasScope("openid") {
		return []string{"openid"}
	}
	return nil
}
