package auth

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
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

// Retryable reports whether the same request may simply be sent again.
func (k Kind) Retryable() bool { return k == KindNetwork || k == KindServer || k == KindUnknown }

// Error is a failed exchange or refresh. Its text fields are sanitized.
type Error struct {
	Kind        Kind
	Status      int    // HTTP status, 0 when there was no answer
	Code        string // the server's "error"
	Description string // the server's "error_description"
	Excerpt     string // the start of a body that was not an OAuth error
	Location    string // where a redirect (3xx) of the token request points
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
	case e.Location != "":
		fmt.Fprintf(&b, "the token endpoint redirects to %s", e.Location)
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

// Retryable reports whether sending the same request again may help: not
// after a 2xx (the code may be used up) or a redirect (the URL is wrong).
func (e *Error) Retryable() bool {
	return e.Kind.Retryable() && (e.Status < 200 || e.Status >= 400)
}

// Hint says what to do about e, in one sentence.
func (e *Error) Hint() string {
	facts := statedFacts(e.Description)
	switch e.Kind {
	case KindCode:
		switch {
		case e.Refresh:
			return "The refresh token was refused: run the wizard again for a new one."
		case pkceRE.MatchString(facts):
			return pkceHint
		case strings.Contains(facts, "malformed"):
			return "The code was mangled in the paste (still %2F-encoded, cut short, or with spaces): get a new code and paste it whole."
		}
		return "Codes are single-use and expire within minutes: open the authorization URL again for a new one."
	case KindClientID:
		if unknownClient(facts) || e.Code == "oauth2_error" {
			return "The server does not know this client ID: copy it again from the OAuth client's page, and check that the endpoints are that provider's."
		}
		return "Check the client ID, and that the client may use the authorization-code grant."
	case KindSecret:
		if strings.Contains(facts, "secret") {
			return "The server did not accept the client secret: copy it again from the OAuth client's page (or the client wants the other --auth-style, basic or post)."
		}
		return "The server refused the client without saying which part is wrong: check both the client ID and the client secret (copy them again from the OAuth client's page), or try the other --auth-style (basic or post)."
	case KindRedirect:
		return "Register the exact redirect URI on the OAuth client (a Desktop client for loopback URIs, a Web client for https)."
	case KindScope:
		if missingRE.MatchString(facts) {
			return "The server wants a scope: pass --scope with one the client may ask for."
		}
		return "The server refused a scope: check --scope and what the client may ask for."
	case KindRequest:
		if pkceRE.MatchString(facts) {
			return pkceHint
		}
		return "The server called the request malformed: check the endpoints and flags."
	case KindNetwork:
		return "Check the network and the token URL, then try again."
	case KindServer:
		switch {
		case e.Location != "":
			return "If that is the token endpoint, pass it as --token-url: nestauth follows no redirect, which would send the code and the secret on."
		case e.Status >= 200 && e.Status < 400:
			return "The answer held no token: check that --token-url is the provider's token endpoint (the code may be used up)."
		}
		return "Wait a moment and try again, or check the token URL."
	}
	return ""
}

const pkceHint = "The PKCE code_verifier does not match the code_challenge of the URL the code came from: " +
	"with exchange, --code-verifier must be the verifier of that URL; otherwise get a new code from the authorization URL."

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

func isNetError(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

// classifyAnswer fills e from an answer that held no token. a is the parsed
// body, when it parsed.
func classifyAnswer(e *Error, resp *http.Response, a answer, parsed bool, body []byte, red redactor) {
	e.Status = resp.StatusCode
	if parsed {
		e.Code, e.Description = red.clean(a.Code, maxCode), red.clean(a.Description, maxDescription)
	}
	switch {
	case e.Code != "":
	case e.Status >= 300 && e.Status < 400 && resp.Header.Get("Location") != "":
		e.Location = red.clean(location(resp), maxDescription)
	default:
		e.Excerpt = red.excerpt(body)
	}
	e.Kind = kindOf(e.Code, e.Description, e.Status)
}

// location is where a redirect points, made absolute.
func location(resp *http.Response) string {
	loc := resp.Header.Get("Location")
	if resp.Request == nil {
		return loc
	}
	u, err := resp.Request.URL.Parse(loc)
	if err != nil {
		return loc
	}
	return u.String()
}

// kindOf reads an OAuth error (RFC 6749 §5.2) as what would fix it. Servers
// say more in the description than the code does; Nest's codes say nothing.
func kindOf(code, desc string, status int) Kind {
	facts := statedFacts(desc)
	switch {
	case code == "invalid_grant" && redirectRE.MatchString(facts):
		return KindRedirect // the code may still be good
	case code == "invalid_grant":
		return KindCode
	case code == "invalid_client" && unknownClient(facts):
		return KindClientID
	case code == "invalid_client":
		return KindSecret
	case code == "invalid_scope", code != "" && status < 500 && scopeRE.MatchString(facts):
		return KindScope
	case strings.Contains(facts, "missing required"):
		return KindRequest // Nest: "missing required parameters: PARAM"
	case code == "oauth2_error" && strings.Contains(facts, "authorization code"):
		return KindCode // Nest: "authorization code not found" / "expired"
	case code == "oauth2_error" && strings.Contains(facts, "secret"):
		return KindSecret // Nest: "client secret not found"
	case code == "oauth2_error" && strings.Contains(facts, "client"):
		return KindClientID
	case code == "" && status == 401:
		return KindSecret
	case code == "unauthorized_client":
		return KindClientID
	case code == "redirect_uri_mismatch", redirectRE.MatchString(facts):
		return KindRedirect
	case code != "" && status < 500:
		return KindRequest
	}
	return KindServer
}

var (
	// RFC 6749's own wording, which some servers (fosite, Hydra) put before
	// the fact: a list of what might be wrong states none of it.
	rfcListsRE = regexp.MustCompile(`\(e\.g\.[^)]*\)|does not match the redirection uri used in the authorization request`)
	redirectRE = regexp.MustCompile(`redirect(ion)?[ _]?ur[il]`)
	pkceRE     = regexp.MustCompile(`code[ _]?verifier|code[ _]?challenge|pkce`)
	scopeRE    = regexp.MustCompile(`\bscopes?\b`)
	missingRE  = regexp.MustCompile(`missing|required|must (contain|include)|no scope|empty`)
	// unknownClientRE: "The OAuth client was not found.", "client not found",
	// "The requested OAuth 2.0 Client does not exist.", "Unknown client".
	unknownClientRE = regexp.MustCompile(`\b(unknown|unregistered|no such)( oauth( ?2(\.0)?)?)? client|\binvalid client[ _]id\b|` +
		`\bclient([ _]id)?\b.*\b(not found|unknown|does not exist|doesn't exist|not registered|cannot be found|could not be found)\b`)
)

// statedFacts is a description, lowercased, without RFC 6749's lists of what
// might be wrong.
func statedFacts(desc string) string {
	return rfcListsRE.ReplaceAllString(strings.ToLower(desc), "")
}

// unknownClient reports whether a description says the client ID is unknown,
// and only that ("invalid client or invalid client credentials" says nothing).
func unknownClient(facts string) bool {
	return !strings.Contains(facts, "secret") && !strings.Contains(facts, " or ") && unknownClientRE.MatchString(facts)
}

// Excerpt returns the start of an untrusted body, sanitized and on one line.
func Excerpt(body []byte) string { return redactor(nil).excerpt(body) }

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
