package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/oauth2"
)

// Kind says which part of the flow an error sends the person back to.
type Kind int

const (
	KindUnknown  Kind = iota
	KindUsage         // a value is malformed; nothing was sent
	KindCode          // the code is expired, unknown, used or mangled: get a new one
	KindClientID      // the client ID is unknown or not allowed this grant
	KindSecret        // the client secret is wrong
	KindRedirect      // the redirect URI is not registered
	KindScope         // a scope was refused
	KindRequest       // the server called the request malformed
	KindNetwork       // no answer: connection, DNS, timeout
	KindServer        // an answer, but no token: 5xx, HTML, missing access_token
	KindCanceled      // the person canceled
)

var kindNames = [...]string{"unknown", "usage", "code", "client_id", "client_secret",
	"redirect_uri", "scope", "request", "network", "server", "canceled"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ExitCode is the exit status of the exchange and refresh commands for k:
// 2 usage, 3 code rejected, 4 client rejected, 5 network or server.
func (k Kind) ExitCode() int {
	switch k {
	case KindUsage:
		return 2
	case KindCode:
		return 3
	case KindClientID, KindSecret, KindRedirect, KindScope, KindRequest:
		return 4
	case KindCanceled:
		return 130
	}
	return 5
}

// Retryable reports whether the same request may simply be sent again.
func (k Kind) Retryable() bool { return k == KindNetwork || k == KindServer || k == KindUnknown }

// Error is a failed exchange or refresh. Its text fields are sanitized.
type Error struct {
	Kind        Kind
	Status      int    // HTTP status, 0 when there was no answer
	Code        string // the server's "error"
	Description string // the server's "error_description"
	Excerpt     string // the start of a body that was not an OAuth error
	Refresh     bool   // the request was a refresh, not a code exchange
	Err         error
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Code != "" && e.Description != "":
		fmt.Fprintf(&b, "%s: %s", e.Code, e.Description)
	case e.Code != "":
		b.WriteString(e.Code)
	case e.Err != nil:
		b.WriteString(Sanitize(e.Err.Error()))
	default:
		b.WriteString("the server answered without a token")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, ": %q", e.Excerpt)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Hint says what to do about e, in one sentence.
func (e *Error) Hint() string {
	switch e.Kind {
	case KindCode:
		if e.Refresh {
			return "The refresh token was refused: run the wizard again for a new one."
		}
		if strings.Contains(strings.ToLower(e.Description), "malformed") {
			return "The code was mangled in the paste (still %2F-encoded, cut short, or with spaces): get a new code and paste it whole."
		}
		return "Codes are single-use and expire within minutes: open the authorization URL again for a new one."
	case KindClientID:
		return "Check the client ID, and that the client may use the authorization-code grant."
	case KindSecret:
		return "The server did not accept the client secret: copy it again from the OAuth client's page (or the client wants the other --auth-style, basic or post)."
	case KindRedirect:
		return "Register the exact redirect URI on the OAuth client (a Desktop client for loopback URIs, a Web client for https)."
	case KindScope:
		return "The server refused a scope: check --scope and what the client may ask for."
	case KindRequest:
		return "The server called the request malformed: check the endpoints and flags."
	case KindNetwork:
		return "Check the network and the token URL, then try again."
	case KindServer:
		return "Wait a moment and try again, or check the token URL."
	}
	return ""
}

// ErrorKind returns the Kind of err, KindUnknown when it carries none.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// maxExcerpt bounds the piece of an unexpected body shown to a person.
const maxExcerpt = 120

func classify(ctx context.Context, err error, refresh bool) *Error {
	e := &Error{Err: err, Refresh: refresh}
	var re *oauth2.RetrieveError
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind = KindCanceled
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Kind = KindNetwork
		e.Err = errors.New("the request timed out (see --timeout)")
	case errors.As(err, &re):
		classifyResponse(e, re)
	case isNetError(err):
		e.Kind = KindNetwork
	default:
		// x/oauth2 parsed a 2xx answer that held no token.
		e.Kind = KindServer
	}
	return e
}

func isNetError(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

func classifyResponse(e *Error, re *oauth2.RetrieveError) {
	if re.Response != nil {
		e.Status = re.Response.StatusCode
	}
	e.Code, e.Description = Sanitize(re.ErrorCode), Sanitize(re.ErrorDescription)
	if e.Code == "" {
		// x/oauth2 reads OAuth errors only from JSON typed as such; some
		// servers send them as text/html or with no type at all.
		var body struct {
			Code        string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(re.Body, &body) == nil {
			e.Code, e.Description = Sanitize(body.Code), Sanitize(body.Description)
		}
	}
	if e.Code == "" {
		e.Excerpt = Excerpt(re.Body)
	}
	e.Err = nil
	desc := strings.ToLower(e.Description)
	switch {
	case e.Code == "invalid_grant":
		e.Kind = KindCode
	case strings.Contains(desc, "missing required"):
		e.Kind = KindRequest // Nest: "missing required parameters: PARAM"
	case e.Code == "oauth2_error" && strings.Contains(desc, "authorization code"):
		e.Kind = KindCode // Nest: "authorization code not found" / "expired"
	case e.Code == "oauth2_error" && strings.Contains(desc, "secret"):
		e.Kind = KindSecret // Nest: "client secret not found"
	case e.Code == "oauth2_error" && strings.Contains(desc, "client"):
		e.Kind = KindClientID
	case e.Code == "invalid_client", e.Code == "" && e.Status == 401:
		e.Kind = KindSecret
	case e.Code == "unauthorized_client":
		e.Kind = KindClientID
	case e.Code == "redirect_uri_mismatch", strings.Contains(desc, "redirect_uri"):
		e.Kind = KindRedirect
	case e.Code == "invalid_scope":
		e.Kind = KindScope
	case e.Code != "" && e.Status < 500:
		e.Kind = KindRequest
	default:
		e.Kind = KindServer
	}
}

// Excerpt returns the start of an untrusted body, sanitized and on one line.
func Excerpt(body []byte) string {
	s := strings.Join(strings.Fields(Sanitize(string(body[:min(len(body), 4*maxExcerpt)]))), " ")
	if r := []rune(s); len(r) > maxExcerpt {
		s = string(r[:maxExcerpt]) + "…"
	}
	return s
}

// Sanitize makes untrusted text safe to show in a terminal: it drops escape
// sequences, control characters and invisible formatting characters (such as
// bidirectional overrides), and turns newlines and tabs into spaces.
func Sanitize(s string) string {
	s = ansi.Strip(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case r == unicode.ReplacementChar, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }
