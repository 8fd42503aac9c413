package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// PartnerConnectionsURL is Google's Partner Connections Manager, where a
// person changes what a Device Access project may see.
const PartnerConnectionsURL = "https://nestservices.google.com/partnerconnections"

// Usage errors of Check and Revoke. None is sent anywhere.
var (
	ErrNoAccessToken = errors.New("there is no access token to use")
	ErrNoToken       = errors.New("there is no token to revoke")
	ErrBadToken      = errors.New("the token has a space, a control character or non-ASCII, which a Bearer header cannot carry (RFC 6750)")
	ErrNoCheckURL    = errors.New("a custom provider has no API nestauth knows: set --check-url (an API or userinfo URL)")
	ErrNoRevokeURL   = errors.New("a custom provider has no revocation endpoint nestauth knows: set --revoke-url")
)

// APIError is what an API or a revocation endpoint answered, in words. It is
// the Err of the *Error that Check and Revoke return for a refusal; its text
// is sanitized and holds no secret.
type APIError struct {
	Status  string // Google's status (PERMISSION_DENIED) or an OAuth error code
	Message string // the server's own message
	Advice  string // what the refusal means and what to do, one or two sentences
}

func (e *APIError) Error() string {
	switch {
	case e.Status != "" && e.Message != "" && !strings.EqualFold(e.Status, e.Message):
		return e.Status + ": " + e.Message
	case e.Status != "":
		return e.Status
	case e.Message != "":
		return e.Message
	}
	return "the server refused the token"
}

// Advice says what to do about an error of Check or Revoke: the APIError's
// advice when the server refused, else the Error's hint.
func Advice(err error) string {
	var ae *APIError
	if errors.As(err, &ae) && ae.Advice != "" {
		return ae.Advice
	}
	var e *Error
	if errors.As(err, &e) {
		switch e.Kind {
		case KindNetwork:
			return "Check the network and the URL, then try again."
		case KindServer:
			return "Wait a moment and try again, or check the URL."
		case KindUsage, KindCanceled:
			return ""
		}
		return e.Hint()
	}
	return ""
}

// Bounds of the server text Check and Revoke show.
const (
	maxAPIStatus  = 60
	maxAPIMessage = 300
	maxName       = 80
)

// apiClient is cfg's HTTP client, made to follow no redirect: the token would
// go along.
func apiClient(cfg Config) *http.Client {
	hc := http.Client{}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// apiAnswer is one answer, its body read up to maxBody.
type apiAnswer struct {
	resp  *http.Response
	body  []byte
	whole bool // the body is under maxBody and was read to its end
}

// send sends req and reads the answer. Its errors are *Error.
func send(ctx context.Context, hc *http.Client, req *http.Request, red redactor) (*apiAnswer, error) {
	resp, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		return nil, transportError(ctx, err, red)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		e := transportError(ctx, err, red)
		e.Status = resp.StatusCode
		if e.Kind == KindNetwork {
			e.Err = fmt.Errorf("the connection broke while the answer was read: %w", e.Err)
		}
		return nil, e
	}
	a := &apiAnswer{resp: resp, body: body, whole: len(body) <= maxBody}
	if !a.whole {
		a.body = body[:maxBody]
	}
	return a, nil
}

// transportError is an *Error for a request that got no (whole) answer. The
// message is redacted: a URL in it may hold the token (Nest's revocation).
func transportError(ctx context.Context, err error, red redactor) *Error {
	e := &Error{Kind: KindNetwork, Err: errors.New(red.apply(err.Error()))}
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind = KindCanceled
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Err = errors.New("the request timed out (see --timeout)")
	case !isNetError(err):
		e.Kind = KindServer
	}
	return e
}

// serverText is the error an API put in its body: Google's
// {"error":{"code":403,"message":"…","status":"PERMISSION_DENIED"}}, an OAuth
// {"error":"…","error_description":"…"} or Nest's {"error":"…","message":"…"}.
func serverText(body []byte) (status, message string, ok bool) {
	body = bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\uFEFF")))
	var fields map[string]json.RawMessage
	if !bytes.HasPrefix(body, []byte("{")) || json.Unmarshal(body, &fields) != nil {
		return "", "", false
	}
	var google struct{ Message, Status string }
	if json.Unmarshal(fields["error"], &google) == nil && (google.Message != "" || google.Status != "") {
		return google.Status, google.Message, true
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(fields[k], &s)
		return s
	}
	status, message = str("error"), str("error_description")
	if message == "" {
		message = str("message")
	}
	return status, message, status != "" || message != ""
}

// refusal is the *Error for an answer that is not a success: the server's
// words in an APIError with advice, the kind from the status.
func refusal(a *apiAnswer, red redactor, kind Kind, advice string) *Error {
	e := &Error{Kind: kind, Status: a.resp.StatusCode}
	status, message, ok := serverText(a.body)
	switch {
	case isRedirect(a.resp.StatusCode) && a.resp.Header.Get("Location") != "":
		e.Kind = KindServer
		e.Err = &APIError{Message: "it redirects to " + red.clean(location(a.resp), maxAPIMessage),
			Advice: "nestauth follows no redirect here (the token would go along): if it points to the right URL, pass that URL instead."}
	case ok && a.whole:
		e.Err = &APIError{Status: red.clean(status, maxAPIStatus), Message: red.clean(message, maxAPIMessage), Advice: advice}
	default:
		e.Err = &APIError{Advice: advice}
		e.Excerpt = red.excerpt(a.body)
	}
	return e
}

// statusKind is the kind of a refused API call: 401 the token, 403 and 404
// the client or the project, 429 and 5xx the server.
func statusKind(status int) Kind {
	switch {
	case status == http.StatusUnauthorized:
		return KindCode
	case status == http.StatusForbidden:
		return KindScope
	case status == http.StatusTooManyRequests, status >= 500, status < 400:
		return KindServer
	}
	return KindRequest
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// endpoint is raw, or def when raw is empty, checked with ValidateEndpoint.
func endpoint(raw, def string, missing error) (*url.URL, error) {
	if raw == "" {
		raw = def
	}
	if raw == "" {
		return nil, missing
	}
	if err := ValidateEndpoint(raw); err != nil {
		return nil, err
	}
	return url.Parse(raw)
}
