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
	"time"
)

// DeviceCode is a device authorization endpoint's answer (RFC 8628 §3.2).
// Its text fields passed the checks of DeviceAuth: fit to show and open.
type DeviceCode struct {
	// DeviceCode is sent back with every poll; it is never shown.
	DeviceCode string
	// UserCode is what the person types on the verification page.
	UserCode string
	// VerificationURI is the page where the user code is typed (Google
	// calls it verification_url).
	VerificationURI string
	// VerificationURIComplete, when given, is the page with the user code
	// filled in: the one to open or show as a QR code.
	VerificationURIComplete string
	// Expiry is when both codes die; zero when the server gave no expires_in.
	Expiry time.Time
	// Interval is the wait between two polls (5 s unless the server says).
	Interval time.Duration
}

// Device flow outcomes a UI acts on; the *Error PollOnce returns wraps them.
var (
	// ErrAccessDenied: the person refused on the verification page.
	ErrAccessDenied = errors.New("the request was denied on the verification page")
	// ErrExpiredToken: the codes expired before the person approved; a
	// fresh DeviceAuth starts over.
	ErrExpiredToken = errors.New("the user code expired before it was approved: ask for a new one")
	// ErrNoDeviceURL: the provider has no device authorization endpoint.
	ErrNoDeviceURL = errors.New("the provider has no device authorization endpoint")
	// errBadDeviceAnswer: a 2xx device answer without what RFC 8628 §3.2 requires.
	errBadDeviceAnswer = errors.New("the device authorization endpoint answered without a device code")
)

// defaultInterval is RFC 8628 §3.2's default polling interval, and slowDown
// what §3.5 adds to it for each slow_down.
const (
	defaultInterval = 5 * time.Second
	slowDown        = 5 * time.Second
	maxUserCode     = 64 // RFC 8628 §6.1 suggests 8 characters; be generous
	maxDeviceCode   = 4096
)

// DeviceAuth asks the device authorization endpoint for a device code and a
// user code (RFC 8628 §3.1): one POST with client_id, the scopes and the
// client's credentials, in the configured AuthStyle (a confidential client
// authenticates here as at the token endpoint; client_id stays in the body
// beside a Basic header). Errors are *Error.
func (c Config) DeviceAuth(ctx context.Context, deviceURL string, scopes []string) (*DeviceCode, error) {
	if deviceURL == "" {
		return nil, &Error{Kind: KindUsage, Err: ErrNoDeviceURL}
	}
	if err := c.validateDevice(deviceURL); err != nil {
		return nil, &Error{Kind: KindUsage, Err: err}
	}
	// client_id goes in the body beside a Basic header too, as x/oauth2 sends
	// it (RFC 8628 §3.1): Dex reads it only there.
	form := url.Values{"client_id": {c.ClientID}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	start, rec, err := c.postForm(ctx, deviceURL, form)
	if rec.complete() && is2xx(rec.resp.StatusCode) {
		if f, ok := fields(rec.body); ok && f("device_code") != "" && f("error") == "" {
			dc, err := newDeviceCode(f, start)
			if err != nil {
				return nil, &Error{Kind: KindServer, Status: rec.resp.StatusCode, Err: err, DeviceAuth: true}
			}
			return dc, nil
		}
	}
	if _, err := c.readDevice(ctx, rec, err, start); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.DeviceAuth = true // its hint names the device endpoint
		}
		return nil, err
	}
	// An access token where a device code belongs.
	return nil, &Error{Kind: KindServer, Status: rec.resp.StatusCode, Err: errBadDeviceAnswer, DeviceAuth: true}
}

// PollOnce asks the token endpoint once whether the person has approved
// (RFC 8628 §3.4). It returns the token; or, while the person has not
// decided yet, no token, no error and next, the wait before the next poll
// (dc.Interval, longer after a slow_down: store it as dc.Interval). A
// refusal wraps ErrAccessDenied, expiry ErrExpiredToken (also without a
// request once dc.Expiry has passed); errors are *Error. dc is not changed.
func (c Config) PollOnce(ctx context.Context, dc *DeviceCode) (tok *Token, next time.Duration, err error) {
	if c.TokenURL == "" {
		return nil, 0, &Error{Kind: KindUsage, Err: ErrNoEndpoint}
	}
	if err := c.validateDevice(c.TokenURL); err != nil {
		return nil, 0, &Error{Kind: KindUsage, Err: err}
	}
	if !dc.Expiry.IsZero() && !c.now().Before(dc.Expiry) {
		return nil, 0, &Error{Kind: KindCode, Err: ErrExpiredToken}
	}
	form := url.Values{"grant_type": {GrantDeviceCode}, "device_code": {dc.DeviceCode}}
	start, rec, err := c.postForm(ctx, c.TokenURL, form)
	tok, err = c.readDevice(ctx, rec, err, start)
	if err == nil {
		return tok, 0, nil
	}
	var e *Error
	if !errors.As(err, &e) {
		return nil, 0, err
	}
	interval := dc.Interval
	if interval <= 0 {
		interval = defaultInterval
	}
	switch e.Code {
	case "authorization_pending":
		return nil, interval, nil
	case "slow_down":
		return nil, max(interval+slowDown, answerInterval(rec.body)), nil
	case "access_denied":
		e.Kind, e.Err = KindCode, ErrAccessDenied
	case "expired_token":
		e.Kind, e.Err = KindCode, ErrExpiredToken
	}
	return nil, 0, e
}

// PollDevice polls until the person approves, refuses or the codes expire:
// PollOnce after each wait, honouring slow_down. wait sleeps for d unless
// ctx ends first; nil means a timer. For scripts; a UI calls PollOnce from
// a command, one poll in flight at a time.
func (c Config) PollDevice(ctx context.Context, dc *DeviceCode, wait func(ctx context.Context, d time.Duration) error) (*Token, error) {
	if wait == nil {
		wait = sleep
	}
	cur := *dc
	next := cur.Interval
	if next <= 0 {
		next = defaultInterval
	}
	for {
		if err := wait(ctx, next); err != nil {
			if errors.Is(err, context.Canceled) {
				return nil, &Error{Kind: KindCanceled, Err: err}
			}
			return nil, &Error{Kind: KindNetwork, Err: err}
		}
		tok, n, err := c.PollOnce(ctx, &cur)
		if err != nil || tok != nil {
			return tok, err
		}
		cur.Interval, next = n, n
	}
}

// sleep waits for d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// validateDevice checks what a device flow request to endpoint needs.
func (c Config) validateDevice(endpoint string) error {
	if err := checkClientID(c.ClientID); err != nil {
		return err
	}
	if _, err := c.ParseSecret(c.ClientSecret); err != nil {
		return err
	}
	return ValidateEndpoint(endpoint)
}

// postForm sends one form POST with the client's credentials and reads the
// answer (at most 1 MiB) into rec, following no redirect. start is when it
// was sent.
func (c Config) postForm(ctx context.Context, endpoint string, form url.Values) (start time.Time, rec *recorder, err error) {
	rec = &recorder{}
	hc := c.recordingClient(rec)

	basic := c.AuthStyle == AuthInHeader && c.ClientSecret != ""
	if !basic {
		form.Set("client_id", c.ClientID)
		if c.ClientSecret != "" {
			form.Set("client_secret", c.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return c.now(), rec, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json") // GitHub answers a form otherwise
	if basic {
		// RFC 6749 §2.3.1: both form-encoded first, as x/oauth2 does.
		req.SetBasicAuth(url.QueryEscape(c.ClientID), url.QueryEscape(c.ClientSecret))
	}
	start = c.now()
	resp, err := hc.Do(req)
	if err != nil {
		return start, rec, err
	}
	defer resp.Body.Close()
	// One byte past the cap tells a whole 1 MiB answer from a larger one.
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody+1))
	return start, rec, err
}

// newDeviceCode makes a DeviceCode of a device authorization answer's
// fields, refusing what could not be shown or opened safely.
func newDeviceCode(f func(string) string, start time.Time) (*DeviceCode, error) {
	dc := &DeviceCode{
		DeviceCode:              f("device_code"),
		UserCode:                strings.TrimSpace(f("user_code")),
		VerificationURI:         f("verification_uri"),
		VerificationURIComplete: f("verification_uri_complete"),
		Interval:                time.Duration(seconds(f("interval"))) * time.Second,
	}
	if dc.VerificationURI == "" {
		dc.VerificationURI = f("verification_url") // Google
	}
	if dc.Interval == 0 {
		dc.Interval = defaultInterval
	}
	if s := seconds(f("expires_in")); s > 0 {
		dc.Expiry = start.Add(time.Duration(s) * time.Second)
	}
	switch {
	case !printableASCII(dc.DeviceCode) || len(dc.DeviceCode) > maxDeviceCode:
		return nil, errors.New("the device code is not printable ASCII or too long")
	case dc.UserCode == "" || len(dc.UserCode) > maxUserCode || Sanitize(dc.UserCode) != dc.UserCode:
		return nil, errors.New("the device authorization endpoint sent no user code fit to show")
	case dc.VerificationURI == "":
		return nil, errors.New("the device authorization endpoint sent no verification_uri")
	}
	for _, u := range []string{dc.VerificationURI, dc.VerificationURIComplete} {
		if u == "" {
			continue
		}
		if err := ValidateEndpoint(u); err != nil {
			return nil, fmt.Errorf("verification page: %w", err)
		}
		if !printableASCII(u) {
			return nil, fmt.Errorf("verification page: %w: %q", ErrBadEndpointURL, Sanitize(u))
		}
	}
	return dc, nil
}

// fields reads a flat JSON object or a form into a lookup of its values as
// strings (numbers keep their JSON text). ok is false for anything else.
func fields(body []byte) (get func(string) string, ok bool) {
	body = bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\uFEFF")))
	if bytes.HasPrefix(body, []byte("{")) {
		var m map[string]json.RawMessage
		if json.Unmarshal(body, &m) != nil {
			return nil, false
		}
		return func(k string) string {
			var s string
			if json.Unmarshal(m[k], &s) == nil {
				return s
			}
			if raw := string(m[k]); raw != "null" {
				return raw
			}
			return ""
		}, true
	}
	v, err := url.ParseQuery(string(body))
	if err != nil && len(v) == 0 {
		return nil, false
	}
	return v.Get, true
}

// answerInterval is the interval a slow_down answer asks for (GitHub sends
// one), or 0.
func answerInterval(body []byte) time.Duration {
	f, ok := fields(body)
	if !ok {
		return 0
	}
	return time.Duration(seconds(f("interval"))) * time.Second
}

// DeviceHint says what to do about a failed device flow step, in one
// sentence; for other errors it is the *Error's Hint.
func DeviceHint(err error) string {
	switch {
	case errors.Is(err, ErrAccessDenied):
		return "The request was refused on the verification page: ask for a new code to try again."
	case errors.Is(err, ErrExpiredToken):
		return "The code was not approved in time: ask for a new one."
	case errors.Is(err, ErrNoDeviceURL):
		return "Give the device authorization endpoint, or use the browser flow."
	}
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code {
	case "unauthorized_client", "device_flow_disabled":
		return "The client may not use the device flow: enable it on the OAuth client (GitHub: \"Enable Device Flow\"; Google: a \"TVs and Limited Input devices\" client)."
	case "invalid_scope":
		return "A scope was refused: Google's device flow allows only a few scopes (openid, email, profile, drive.file, youtube)."
	}
	if e.DeviceAuth {
		if h := deviceAuthHint(e); h != "" {
			return h
		}
	}
	if e.MaybeSpent() { // a poll: the server may have redeemed the device code
		return "The poll reached the server, which may have issued a token for this code and used it up: ask for a new code."
	}
	return e.Hint()
}

// deviceAuthHint is the hint for a refused request to the device
// authorization endpoint where Hint would speak of the token endpoint or a
// code; "" where Hint's words fit (the secret, a scope).
func deviceAuthHint(e *Error) string {
	switch e.Kind {
	case KindNetwork:
		return "Check the network and the device authorization URL (--device-url), then try again."
	case KindServer:
		switch {
		case e.Location != "":
			return "If that is the device authorization endpoint, pass it as --device-url: nestauth follows no redirect, which would send the client's credentials on."
		case e.Status >= 200 && e.Status < 400:
			return "The answer held no device code: check that --device-url is the provider's device authorization endpoint."
		}
		return "Wait a moment and try again, or check the device authorization URL (--device-url)."
	case KindCode, KindClientID, KindRedirect:
		return "The device authorization endpoint refused the client: check the client ID, that the client may use the device flow, and --device-url."
	}
	return ""
}

// readDevice reads a device-flow answer as a token request's, counting the
// expiry from start, when it was sent.
func (c Config) readDevice(ctx context.Context, rec *recorder, err error, start time.Time) (*Token, error) {
	req := c.request("")
	req.start = start
	return req.read(ctx, rec, err)
}
