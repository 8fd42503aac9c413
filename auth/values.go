package auth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Errors of the values the wizard's Custom path asks for.
var (
	ErrNoIssuer      = errors.New("give the issuer URL, such as https://login.example.com")
	ErrNoEndpointURL = errors.New("give the endpoint's URL")
	ErrBadScope      = errors.New("a scope is printable ASCII without quotes or backslashes")
	ErrBadRedirect   = errors.New("the redirect URI is not an absolute URI")
)

// ParseScopes reads scopes as a person types them: separated by spaces (or
// commas, as GitHub lists them), each a scope-token (RFC 6749 §3.3). Empty
// is no scope: the server's default.
func ParseScopes(s string) ([]string, error) {
	scopes := strings.Fields(strings.ReplaceAll(s, ",", " "))
	for _, sc := range scopes {
		if !isScopeToken(sc) {
			return scopes, fmt.Errorf("%w: %q", ErrBadScope, Sanitize(sc))
		}
	}
	return scopes, nil
}

// ParseIssuer trims an issuer URL as typed and checks it as Discover does.
func ParseIssuer(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrNoIssuer
	}
	_, err := parseIssuer(s)
	return s, err
}

// ParseEndpoint trims an endpoint URL as typed and refuses one nestauth
// must not send a secret to (ValidateEndpoint).
func ParseEndpoint(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrNoEndpointURL
	}
	return s, ValidateEndpoint(s)
}

// ParseRedirectURI trims a redirect URI as typed. Empty is none (the
// client's registered default); a loopback one needs a fixed port.
func ParseRedirectURI(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme == "" || !printableASCII(s):
		return s, fmt.Errorf("%w: %q", ErrBadRedirect, Sanitize(s))
	case u.Fragment != "":
		return s, fmt.Errorf("%w: it may not have a #fragment (RFC 6749 §3.1.2)", ErrBadRedirect)
	}
	if lb, ok := ParseLoopbackRedirect(s); ok && lb.Port == "0" {
		return s, ErrBadRedirectPort
	}
	return s, checkPort(u)
}
