package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxBody bounds what is read of a token endpoint's answer (x/oauth2 reads
// no more either).
const maxBody = 1 << 20

// recorder is the transport under x/oauth2. x/oauth2 builds and sends the
// token request; nestauth reads the answer itself from what recorder kept,
// because x/oauth2 drops a token it cannot parse ("cannot parse json",
// "missing access_token") after the server has spent the code.
type recorder struct {
	sent    atomic.Bool // the whole request was written: the server may act on it (set on the transport's goroutine)
	next    http.RoundTripper
	resp    *http.Response // the answer's status, header and request
	body    []byte         // what was read of the body, at most maxBody
	readErr error          // why reading stopped: io.EOF once the body was whole
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	trace := &httptrace.ClientTrace{WroteRequest: func(w httptrace.WroteRequestInfo) {
		if w.Err == nil {
			r.sent.Store(true)
		}
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	r.resp = resp
	resp.Body = &recordedBody{ReadCloser: resp.Body, r: r}
	return resp, nil
}

// complete reports whether the whole body was read.
func (r *recorder) complete() bool { return r.resp != nil && r.readErr == io.EOF }

type recordedBody struct {
	io.ReadCloser
	r *recorder
}

func (b *recordedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	keep := min(n, maxBody-len(b.r.body))
	b.r.body = append(b.r.body, p[:keep]...)
	if err != nil {
		b.r.readErr = err
	}
	return n, err
}

// tokenAnswer is a token endpoint's answer: a token (RFC 6749 §5.1) or an error
// (§5.2).
type tokenAnswer struct {
	AccessToken, TokenType, RefreshToken, Scope string
	ExpiresIn                                   int64
	Code, Description                           string
}

// parseAnswer reads an answer leniently: JSON whatever its Content-Type, with
// expires_in a number (fractional too) or a string; or a form (GitHub's
// style). ok is false when the body is neither.
func parseAnswer(body []byte) (a tokenAnswer, ok bool) {
	body = bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\uFEFF")))
	if bytes.HasPrefix(body, []byte("{")) {
		var fields map[string]json.RawMessage
		if json.Unmarshal(body, &fields) != nil {
			return tokenAnswer{}, false
		}
		str := func(k string) string {
			var s string
			_ = json.Unmarshal(fields[k], &s)
			return s
		}
		a = tokenAnswer{AccessToken: str("access_token"), TokenType: str("token_type"),
			RefreshToken: str("refresh_token"), Scope: str("scope"),
			Code: str("error"), Description: str("error_description")}
		if a.Scope == "" {
			var scopes []string // a list, from some servers
			if json.Unmarshal(fields["scope"], &scopes) == nil {
				a.Scope = strings.Join(scopes, " ")
			}
		}
		raw := strings.Trim(string(fields["expires_in"]), `"`)
		a.ExpiresIn = seconds(raw)
		return a, true
	}
	// A bad escape elsewhere must not cost the token: ParseQuery keeps the
	// pairs it could read.
	v, _ := url.ParseQuery(string(body))
	if !v.Has("access_token") && !v.Has("error") {
		return tokenAnswer{}, false
	}
	return tokenAnswer{AccessToken: v.Get("access_token"), TokenType: v.Get("token_type"),
		RefreshToken: v.Get("refresh_token"), Scope: v.Get("scope"),
		ExpiresIn: seconds(v.Get("expires_in")),
		Code:      v.Get("error"), Description: v.Get("error_description")}, true
}

// seconds reads an expires_in value: "3600", "3600.5", " 3600 ". Nonsense and
// non-positive values are no expiry; huge ones are capped (68 years).
func seconds(s string) int64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || f < 1 {
		return 0
	}
	return int64(min(f, math.MaxInt32))
}

// token makes a Token of an answer, with the expiry counted from start, the
// moment the request was sent.
func (a tokenAnswer) token(start time.Time) *Token {
	t := &Token{
		AccessToken:  a.AccessToken,
		TokenType:    a.TokenType,
		RefreshToken: a.RefreshToken,
		Scope:        a.Scope,
		ExpiresIn:    a.ExpiresIn,
	}
	if t.ExpiresIn > 0 {
		t.Expiry = start.Add(time.Duration(t.ExpiresIn) * time.Second).UTC().Truncate(time.Second)
	}
	return t
}

// Bounds of server text shown to a person.
const (
	maxCode        = 60
	maxDescription = 300
)

// tokenRequest is what one token request sent, as far as reading its answer
// needs to know.
type tokenRequest struct {
	start        time.Time // when it was sent: expiry counts from here
	redirectURI  string    // travels on an *Error, for its Hint
	refreshToken string    // what a refresh sent, empty for a code exchange
	redact       redactor  // the secrets it carried
}

// read turns what the token endpoint answered into a token or an *Error.
// err is x/oauth2's verdict, used only when there is no whole answer to read.
// A refresh keeps the refresh token it sent when the server sends no new
// one (RFC 6749 §6).
func (req tokenRequest) read(ctx context.Context, rec *recorder, err error) (*Token, error) {
	refresh := req.refreshToken != ""
	a, parsed := parseAnswer(rec.body)
	if rec.complete() && parsed && a.AccessToken != "" && a.Code == "" && is2xx(rec.resp.StatusCode) {
		// Issued: whatever x/oauth2 made of it, and even if ctx ended since.
		t := a.token(req.start)
		if err := t.check(); err != nil {
			return nil, &Error{Kind: KindServer, Err: err, RedirectURI: req.redirectURI, Refresh: refresh}
		}
		switch {
		case t.Dropped != "" && refresh:
			t.Dropped += "; the refresh token sent is kept, but if the server replaced it, sign in again when this access token expires"
		case t.Dropped != "":
			t.Dropped += "; the access token is good: sign in again for a refresh token when it expires"
		}
		if t.RefreshToken == "" {
			t.RefreshToken = req.refreshToken
		}
		return t, nil
	}
	e := &Error{RedirectURI: req.redirectURI, Refresh: refresh, Err: err, Sent: rec.sent.Load() || rec.resp != nil}
	red := req.redact
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind = KindCanceled
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Kind = KindNetwork
		e.Err = errors.New("the request timed out (see --timeout)")
	case rec.resp == nil && isNetError(err) && e.Sent:
		e.Kind = KindNetwork
		e.Err = fmt.Errorf("no answer after the request was sent: %w", err)
	case rec.resp == nil && isNetError(err):
		e.Kind = KindNetwork
	case rec.resp == nil:
		e.Kind = KindServer
	case rec.readErr != nil && rec.readErr != io.EOF:
		e.Kind, e.Status = KindNetwork, rec.resp.StatusCode
		e.Err = fmt.Errorf("the connection broke while the answer was read: %w", rec.readErr)
	default:
		e.Err = nil
		if !rec.complete() {
			parsed = false // what was read proves nothing
			e.Err = errors.New("the answer is larger than 1 MiB")
		}
		classifyAnswer(e, rec.resp, a, parsed, rec.body, red)
	}
	if e.Err != nil {
		if msg := red.apply(e.Err.Error()); msg != e.Err.Error() {
			e.Err = errors.New(msg)
		}
	}
	return nil, e
}

func is2xx(status int) bool { return status >= 200 && status < 300 }

// isNetError reports whether err means no answer came: connection, DNS, TLS.
func isNetError(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

// classifyAnswer fills e from an answer that held no token. a is the parsed
// body, when it parsed.
func classifyAnswer(e *Error, resp *http.Response, a tokenAnswer, parsed bool, body []byte, red redactor) {
	e.Status = resp.StatusCode
	if parsed {
		e.Code, e.Description = red.clean(a.Code, maxCode), red.clean(a.Description, maxDescription)
	}
	switch {
	case e.Code != "":
	case e.Status >= 300 && e.Status < 400 && resp.Header.Get("Location") != "":
		e.Location = red.clean(location(resp), maxDescription)
	case is2xx(e.Status):
		// An answer that should hold a token, and did not parse: cut, say.
		// Whatever token it holds must not reach a log.
		e.cut = !parsed && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))
		e.Excerpt = red.excerpt(hideTokenValues(body))
	default:
		e.Excerpt = red.excerpt(body)
	}
	e.Kind = kindOf(e.Code, e.Description, e.Status, e.Refresh)
}

// tokenValueRE finds the value of a token field in JSON or a form, whole
// or cut short: "access_token": "…, refresh_token=…, "id_token":"….
var tokenValueRE = regexp.MustCompile(`(?i)((?:access|refresh|id)_token\\?"?\s*[:=]\s*\\?"?)(?:\\[^"]|[^"&\s,}\\])*`)

// hideTokenValues replaces the value of every token field in body with
// [redacted]: a cut answer holds a token that no redactor knows yet.
func hideTokenValues(body []byte) []byte {
	return tokenValueRE.ReplaceAll(body, []byte("${1}[redacted]"))
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
