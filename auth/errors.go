package auth

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
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
	RedirectURI string // the redirect_uri the request sent, "" for none
	Refresh     bool   // the request was a refresh, not a code exchange
	DeviceAuth  bool   // the request went to the device authorization endpoint, not the token endpoint
	// Sent: the whole request went out, so the server may have issued a
	// token for it (MaybeSpent) even when no answer, or a cut one, came back.
	Sent bool
	Err  error
	cut  bool // a 2xx answer that began as JSON and broke off
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Code != "" && e.Description != "":
		fmt.Fprintf(&b, "%s: %s", e.Code, e.Description)
	case e.Code != "":
		b.WriteString(e.Code)
	case e.Location != "" && e.DeviceAuth:
		fmt.Fprintf(&b, "the device authorization endpoint redirects to %s", e.Location)
	case e.Location != "":
		fmt.Fprintf(&b, "the token endpoint redirects to %s", e.Location)
	case e.Err != nil:
		b.WriteString(Sanitize(e.Err.Error()))
	case e.DeviceAuth:
		b.WriteString("the server answered without a device code")
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
// after a 2xx (the code may be used up) or a redirect (the URL is wrong),
// nor when the request went out and no whole answer came (MaybeSpent).
func (e *Error) Retryable() bool {
	return e.Kind.Retryable() && (e.Status < 200 || e.Status >= 400) && !e.MaybeSpent()
}

// MaybeSpent reports whether the server may have issued a token that never
// arrived: the request went out, and no answer, a cut one, or a 2xx without
// a token came back. The code, or the refresh token, may be used up.
func (e *Error) MaybeSpent() bool {
	switch {
	case !e.Sent || e.DeviceAuth: // a device authorization request issues no token
		return false
	case e.Kind == KindServer:
		return e.Status == 0 || e.cut // a whole answer without a token issued none
	case e.Kind == KindNetwork || e.Kind == KindCanceled || e.Kind == KindUnknown:
		return e.Status == 0 || e.Status >= 200 && e.Status < 300
	}
	return false
}

// spentHint says what to do when the server may have issued a token that
// never arrived: not to send the same code again.
func (e *Error) spentHint() string {
	if e.Refresh {
		return "The request reached the server, which may have issued a token and replaced the refresh token: run again, and if the refresh token is then refused, sign in again."
	}
	return "The request reached the server, which may have issued a token: the code may be used up, so get a new one from the authorization URL instead of sending this one again."
}

// Hint says what to do about e, in one sentence.
func (e *Error) Hint() string {
	if e.MaybeSpent() {
		return e.spentHint()
	}
	facts := statedFacts(e.Description)
	switch e.Kind {
	case KindCode:
		switch {
		case e.Refresh:
			return "The refresh token was refused (expired, revoked or replaced): sign in again for a new one, " +
				"with nestauth --profile NAME for a saved profile, or the wizard. " + RefreshReplaced
		case patterns().pkce.MatchString(facts):
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
		return redirectHint(e.RedirectURI)
	case KindScope:
		if patterns().missing.MatchString(facts) {
			return "The server wants a scope: pass --scope with one the client may ask for."
		}
		return "The server refused a scope: check --scope and what the client may ask for."
	case KindRequest:
		if patterns().pkce.MatchString(facts) {
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

// RefreshReplaced says what can end a refresh token that nobody revoked.
const RefreshReplaced = "Signing in again elsewhere with the same client can cause this: " +
	"some servers keep one refresh token per user and client, and a new sign-in replaces it."

const pkceHint = "The PKCE code_verifier does not match the code_challenge of the URL the code came from: " +
	"with exchange, --code-verifier must be the verifier of that URL; otherwise get a new code from the authorization URL."

// redirectHint says what to do about redirect_uri_mismatch: register exactly
// the URI the request sent, on the client type that allows it.
func redirectHint(uri string) string {
	if uri == "" {
		return "No redirect_uri was sent: pass --redirect-uri with one the OAuth client has registered."
	}
	kind := "a Web application client"
	if u, err := url.Parse(uri); err == nil && isLoopbackRedirect(u) {
		kind = "a Desktop app client"
	}
	return fmt.Sprintf("The request sent redirect_uri=%s: register exactly that on the OAuth client (%s), or pass the --redirect-uri it has.", uri, kind)
}

// ErrorKind returns the Kind of err, KindUnknown when it carries none.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// kindOf reads an OAuth error (RFC 6749 §5.2) as what would fix it. Servers
// say more in the description than the code does; Nest's codes say nothing.
// refresh is whether the request was a refresh.
func kindOf(code, desc string, status int, refresh bool) Kind {
	facts := statedFacts(desc)
	switch {
	case code == "invalid_grant" && patterns().redirect.MatchString(facts):
		return KindRedirect // the code may still be good
	case code == "invalid_grant":
		return KindCode
	case code == "invalid_client" && unknownClient(facts):
		return KindClientID
	case code == "invalid_client":
		return KindSecret
	case refresh && code != "" && status < 500 && deadRefreshToken(facts):
		return KindCode // Dex: invalid_request "Refresh token is invalid or has already been claimed…"
	case code == "invalid_scope", code != "" && status < 500 && patterns().scope.MatchString(facts):
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
	case code == "redirect_uri_mismatch", patterns().redirect.MatchString(facts):
		return KindRedirect
	case code != "" && status < 500:
		return KindRequest
	}
	return KindServer
}

// descriptionPatterns read what a server's error description states. They
// are compiled when the first error is read, not at every start.
type descriptionPatterns struct {
	// rfcLists is RFC 6749's own wording, which some servers (fosite, Hydra)
	// put before the fact: a list of what might be wrong states none of it.
	rfcLists, redirect, pkce, scope, missing *regexp.Regexp
	// deadRefresh: "Refresh token is invalid or has already been claimed by
	// another client.", "Refresh token expired.", "Invalid refresh token".
	// noRefresh: the request lacked the refresh token ("No refresh token is
	// found in request."), which says nothing of the token.
	deadRefresh, noRefresh *regexp.Regexp
	// badToken: an access token refused for itself, not for what it may do:
	// "oidc: token is expired", "oidc: malformed jwt: …", "Invalid token".
	badToken *regexp.Regexp
	// unknownClient: "The OAuth client was not found.", "client not found",
	// "The requested OAuth 2.0 Client does not exist.", "Unknown client".
	unknownClient *regexp.Regexp
}

var (
	patternsOnce sync.Once
	compiled     descriptionPatterns
)

func patterns() *descriptionPatterns {
	patternsOnce.Do(func() {
		compiled = descriptionPatterns{
			rfcLists: regexp.MustCompile(`\(e\.g\.[^)]*\)|does not match the redirection uri used in the authorization request`),
			redirect: regexp.MustCompile(`redirect(ion)?[ _]?ur[il]`),
			pkce:     regexp.MustCompile(`code[ _]?verifier|code[ _]?challenge|pkce`),
			scope:    regexp.MustCompile(`\bscopes?\b`),
			missing:  regexp.MustCompile(`missing|required|must (contain|include)|no scope|empty`),
			deadRefresh: regexp.MustCompile(`\brefresh[ _]?token\b.*\b(invalid|expired|revoked|unknown|claimed|not found|does not exist|no longer valid|not valid|not active|inactive)\b|` +
				`\b(invalid|expired|revoked|unknown|stale|used) refresh[ _]?token\b`),
			noRefresh: regexp.MustCompile(`missing|\bno refresh[ _]?token\b|\brefresh[ _]?token\b (is |was )?(required|empty)`),
			badToken: regexp.MustCompile(`\b(token|jwt)\b.*\b(invalid|malformed|expired|revoked|not valid|not active|inactive)\b|` +
				`\b(invalid|malformed|expired|revoked|bad)( (access|bearer|id))? (token|jwt)\b`),
			unknownClient: regexp.MustCompile(`\b(unknown|unregistered|no such)( oauth( ?2(\.0)?)?)? client|\binvalid client[ _]id\b|` +
				`\bclient([ _]id)?\b.*\b(not found|unknown|does not exist|doesn't exist|not registered|cannot be found|could not be found)\b`),
		}
	})
	return &compiled
}

// statedFacts is a description, lowercased, without RFC 6749's lists of what
// might be wrong.
func statedFacts(desc string) string {
	return patterns().rfcLists.ReplaceAllString(strings.ToLower(desc), "")
}

// deadRefreshToken reports whether a description says the refresh token sent
// is invalid, expired, revoked, unknown or used up; not that it is missing.
func deadRefreshToken(facts string) bool {
	return patterns().deadRefresh.MatchString(facts) && !patterns().noRefresh.MatchString(facts)
}

// badToken reports whether an API's refusal (its error code and message)
// says the access token itself is invalid, malformed or expired, whatever
// the HTTP status; a refusal about a scope does not.
func badToken(code, message string) bool {
	facts := statedFacts(message)
	if patterns().scope.MatchString(facts) || strings.Contains(code, "scope") {
		return false
	}
	return code == "invalid_token" || patterns().badToken.MatchString(facts)
}

// unknownClient reports whether a description says the client ID is unknown,
// and only that ("invalid client or invalid client credentials" says nothing).
func unknownClient(facts string) bool {
	return !strings.Contains(facts, "secret") && !strings.Contains(facts, " or ") && patterns().unknownClient.MatchString(facts)
}
