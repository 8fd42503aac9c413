package auth

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Errors from ParseCode.
var (
	ErrEmptyCode     = errors.New("paste the code, or the whole address the browser landed on")
	ErrNoCodeInURL   = errors.New("that URL has no code parameter: copy the address after you press Allow")
	ErrStateMismatch = errors.New("that URL's state does not match this session's: it belongs to another attempt, so it was refused; open the authorization URL again")
)

// AuthorizationError is an error the authorization server put in the
// redirect (RFC 6749 §4.1.2.1), such as access_denied.
type AuthorizationError struct {
	Code        string
	Description string
}

var authorizationErrorText = map[string]string{
	"access_denied":             "access was denied on the consent page: open the URL again and press Allow",
	"invalid_request":           "the server called the authorization request malformed: check the client ID and flags",
	"unauthorized_client":       "this client may not use the authorization-code flow: check its type in the provider's console",
	"unsupported_response_type": "the server does not hand out codes to this client",
	"invalid_scope":             "the server refused a requested scope: check --scope",
	"server_error":              "the authorization server failed: try again",
	"temporarily_unavailable":   "the authorization server is busy: try again in a moment",
}

func (e *AuthorizationError) Error() string {
	msg, ok := authorizationErrorText[e.Code]
	if !ok {
		msg = "the authorization server refused"
	}
	if e.Description != "" {
		return fmt.Sprintf("%s (%s: %s)", msg, e.Code, e.Description)
	}
	return fmt.Sprintf("%s (%s)", msg, e.Code)
}

// Code is an authorization code as parsed from what a person pasted or the
// browser brought back. It is parsed once: Value is what the token request
// sends, never decoded again.
type Code struct {
	Value string
	// FromURL: taken out of a redirect URL (its query was %-decoded once).
	FromURL bool
	// StateChecked: the URL carried a state, and it was this session's.
	StateChecked bool
}

// ParseCode turns whatever a person pasted into an authorization code. It
// trims white space and quotes, takes the code out of a whole redirect URL
// (checking its state against wantState), and decodes %-escapes such as %2F.
func ParseCode(input, wantState string) (Code, error) {
	s := strings.Trim(clean(input), `"'<>`+"`")
	if s == "" {
		return Code{}, ErrEmptyCode
	}
	if looksLikeRedirect(s) {
		return codeFromURL(s, wantState)
	}
	if strings.Contains(s, "%") {
		if dec, err := url.PathUnescape(s); err == nil {
			s = clean(dec)
		}
	}
	if s == "" {
		return Code{}, ErrEmptyCode
	}
	return Code{Value: s}, nil
}

// clean drops what no code contains: control characters, escape sequences
// and white space (a wrapped copy may add some).
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, Sanitize(s))
}

func looksLikeRedirect(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "?") ||
		strings.Contains(s, "code=") || strings.Contains(s, "error=")
}

func codeFromURL(s, wantState string) (Code, error) {
	raw := s
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		raw = s[i+1:]
	}
	q, err := url.ParseQuery(strings.ReplaceAll(raw, "#", "&"))
	if err != nil {
		return Code{}, fmt.Errorf("could not read that URL: %w", err)
	}
	for _, st := range q["state"] { // every copy must match, not just the first
		if wantState != "" && st != wantState {
			return Code{}, ErrStateMismatch
		}
	}
	checked := wantState != "" && len(q["state"]) > 0
	if code := q.Get("error"); code != "" {
		// Anyone can send an error redirect: its text is shown only when it
		// answers this session's request.
		if wantState != "" && !checked {
			return Code{}, ErrStateMismatch
		}
		return Code{}, &AuthorizationError{Code: Sanitize(code), Description: Sanitize(q.Get("error_description"))}
	}
	code := clean(q.Get("code"))
	if code == "" {
		return Code{}, ErrNoCodeInURL
	}
	return Code{Value: code, FromURL: true, StateChecked: checked}, nil
}

// Loopback is a redirect URI on this machine that nestauth can listen on.
type Loopback struct {
	Host string // as written: 127.0.0.1, ::1 or localhost
	Port string
	Path string
}

// Addr is the address to listen on.
func (l Loopback) Addr() string {
	host := l.Host
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, l.Port)
}

// ParseLoopbackRedirect reports whether uri is an http redirect URI on a
// loopback host with an explicit port (RFC 8252 §7.3), and splits it.
func ParseLoopbackRedirect(uri string) (Loopback, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.Port() == "" || !IsLoopbackHost(u.Hostname()) {
		return Loopback{}, false
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return Loopback{Host: u.Hostname(), Port: u.Port(), Path: path}, true
}

// RedirectHint says what to do about redirect_uri_mismatch: register exactly
// the URI this configuration sends, on the client type that allows it.
func (c Config) RedirectHint() string {
	if c.RedirectURI == "" {
		return "No redirect_uri was sent: pass --redirect-uri with one the OAuth client has registered."
	}
	kind := "a Web application client"
	if _, ok := ParseLoopbackRedirect(c.RedirectURI); ok {
		kind = "a Desktop app client"
	}
	return fmt.Sprintf("The request sent redirect_uri=%s: register exactly that on the OAuth client (%s), or pass the --redirect-uri it has.", c.RedirectURI, kind)
}
