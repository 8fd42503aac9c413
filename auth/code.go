package auth

import (
	"errors"
	"fmt"
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

func (e *AuthorizationError) Error() string {
	msg := authorizationErrorText(e.Code)
	if e.Description != "" {
		return fmt.Sprintf("%s (%s: %s)", msg, e.Code, e.Description)
	}
	return fmt.Sprintf("%s (%s)", msg, e.Code)
}

// authorizationErrorText says what an RFC 6749 §4.1.2.1 error code means.
func authorizationErrorText(code string) string {
	switch code {
	case "access_denied":
		return "access was denied on the consent page: open the URL again and press Allow"
	case "invalid_request":
		return "the server called the authorization request malformed: check the client ID and flags"
	case "unauthorized_client":
		return "this client may not use the authorization-code flow: check its type in the provider's console"
	case "unsupported_response_type":
		return "the server does not hand out codes to this client"
	case "invalid_scope":
		return "the server refused a requested scope: check --scope"
	case "server_error":
		return "the authorization server failed: try again"
	case "temporarily_unavailable":
		return "the authorization server is busy: try again in a moment"
	}
	return "the authorization server refused"
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
