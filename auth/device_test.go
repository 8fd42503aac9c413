package auth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

// deviceRequest is what the fake saw of one request.
type deviceRequest struct {
	Method, Path, ContentType, Accept string
	User, Pass                        string
	HasBasic                          bool
	Form                              url.Values
}

// deviceServer is a loopback device endpoint (/device) and token endpoint
// (/token). Each answers with its replies in turn, the last one again.
type deviceServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []deviceRequest
	replies  map[string][]http.HandlerFunc
}

func newDeviceServer(t *testing.T, device http.HandlerFunc, token ...http.HandlerFunc) *deviceServer {
	t.Helper()
	ds := &deviceServer{replies: map[string][]http.HandlerFunc{"/device": {device}, "/token": token}}
	ds.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil {
			t.Errorf("request body %q is not a form: %v", body, err)
		}
		user, pass, ok := r.BasicAuth()
		ds.mu.Lock()
		ds.requests = append(ds.requests, deviceRequest{r.Method, r.URL.Path, r.Header.Get("Content-Type"),
			r.Header.Get("Accept"), user, pass, ok, form})
		queue := ds.replies[r.URL.Path]
		var h http.HandlerFunc
		if len(queue) > 0 {
			h = queue[0]
			if len(queue) > 1 {
				ds.replies[r.URL.Path] = queue[1:]
			}
		}
		ds.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(ds.Close)
	return ds
}

func (ds *deviceServer) Requests() []deviceRequest {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return append([]deviceRequest(nil), ds.requests...)
}

// answer replies with status and body, typed as JSON when it looks like it.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if strings.HasPrefix(body, "{") {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func deviceConfig(ds *deviceServer, secret string, style auth.AuthStyle) auth.Config {
	p := auth.Custom()
	p.TokenURL, p.AuthStyle = ds.URL+"/token", style
	return auth.Config{Provider: p, ClientID: testClientID, ClientSecret: secret, HTTPClient: ds.Client(),
		Now: func() time.Time { return clock }}
}

var clock = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

const deviceJSON = `{"device_code":"DEV-CODE","user_code":"WDJB-MJHT","verification_uri":"https://example.com/device",
"verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT","expires_in":900,"interval":7}`

func TestDeviceAuthRequest(t *testing.T) {
	tests := []struct {
		name      string
		secret    string
		style     auth.AuthStyle
		wantForm  url.Values
		wantBasic bool
	}{
		{
			name:     "confidential client, post: credentials in the body",
			secret:   testClientSecret,
			wantForm: url.Values{"client_id": {testClientID}, "client_secret": {testClientSecret}, "scope": {"openid read"}},
		},
		{
			// Dex reads client_id only from the body here: without it the
			// approval page fails with Invalid client_id ("").
			name:      "confidential client, basic: credentials in the header, client_id in the body too",
			secret:    testClientSecret,
			style:     auth.AuthInHeader,
			wantBasic: true,
			wantForm:  url.Values{"client_id": {testClientID}, "scope": {"openid read"}},
		},
		{
			name:     "public client, basic: client_id alone (x/oauth2's request)",
			style:    auth.AuthInHeader,
			wantForm: url.Values{"client_id": {testClientID}, "scope": {"openid read"}},
		},
		{
			name:     "public client, post: client_id alone",
			wantForm: url.Values{"client_id": {testClientID}, "scope": {"openid read"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := newDeviceServer(t, answer(200, deviceJSON))
			dc, err := deviceConfig(ds, tt.secret, tt.style).DeviceAuth(context.Background(), ds.URL+"/device", []string{"openid", "read"})
			if err != nil {
				t.Fatal(err)
			}
			want := &auth.DeviceCode{DeviceCode: "DEV-CODE", UserCode: "WDJB-MJHT", VerificationURI: "https://example.com/device",
				VerificationURIComplete: "https://example.com/device?user_code=WDJB-MJHT",
				Expiry:                  clock.Add(900 * time.Second), Interval: 7 * time.Second}
			if !reflect.DeepEqual(dc, want) {
				t.Errorf("DeviceAuth = %+v\nwant         %+v", dc, want)
			}
			reqs := ds.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/device" || r.ContentType != "application/x-www-form-urlencoded" || r.Accept != "application/json" {
				t.Errorf("request %s %s, Content-Type %q, Accept %q; want a JSON-accepting form POST to /device", r.Method, r.Path, r.ContentType, r.Accept)
			}
			if !reflect.DeepEqual(r.Form, tt.wantForm) {
				t.Errorf("form = %v, want %v", r.Form, tt.wantForm)
			}
			if r.HasBasic != tt.wantBasic || tt.wantBasic && (r.User != testClientID || r.Pass != testClientSecret) {
				t.Errorf("basic auth = %v (%q:%q), want %v", r.HasBasic, r.User, r.Pass, tt.wantBasic)
			}
		})
	}
}

func TestDeviceAuthAnswer(t *testing.T) {
	tests := []struct {
		name     string
		reply    http.HandlerFunc
		want     *auth.DeviceCode
		wantKind auth.Kind
		wantText string
	}{
		{
			name: "Google: verification_url, no complete URI",
			reply: answer(200, `{"device_code":"AH-1Ng","user_code":"GQVQ-JKEC","verification_url":"https://www.google.com/device",
				"expires_in":1800,"interval":5}`),
			want: &auth.DeviceCode{DeviceCode: "AH-1Ng", UserCode: "GQVQ-JKEC", VerificationURI: "https://www.google.com/device",
				Expiry: clock.Add(1800 * time.Second), Interval: 5 * time.Second},
		},
		{
			name:  "GitHub without Accept: form-encoded, string numbers",
			reply: answer(200, "device_code=3584d8&user_code=WDJB-MJHT&verification_uri=https%3A%2F%2Fgithub.com%2Flogin%2Fdevice&expires_in=899&interval=5"),
			want: &auth.DeviceCode{DeviceCode: "3584d8", UserCode: "WDJB-MJHT", VerificationURI: "https://github.com/login/device",
				Expiry: clock.Add(899 * time.Second), Interval: 5 * time.Second},
		},
		{
			name:  "no interval: 5 s; fractional string expires_in",
			reply: answer(200, `{"device_code":"d","user_code":"ABCD","verification_uri":"https://example.com/d","expires_in":"600.5"}`),
			want: &auth.DeviceCode{DeviceCode: "d", UserCode: "ABCD", VerificationURI: "https://example.com/d",
				Expiry: clock.Add(600 * time.Second), Interval: 5 * time.Second},
		},
		{
			name:  "expires_in 0: no expiry; a device code of every visible character",
			reply: answer(200, `{"device_code":"!~","user_code":"ABCD","verification_uri":"https://example.com/d","expires_in":0}`),
			want:  &auth.DeviceCode{DeviceCode: "!~", UserCode: "ABCD", VerificationURI: "https://example.com/d", Interval: 5 * time.Second},
		},
		{
			name:  "the longest device code and user code taken",
			reply: answer(200, `{"device_code":"`+strings.Repeat("d", 4096)+`","user_code":"`+strings.Repeat("U", 64)+`","verification_uri":"https://example.com/d"}`),
			want:  &auth.DeviceCode{DeviceCode: strings.Repeat("d", 4096), UserCode: strings.Repeat("U", 64), VerificationURI: "https://example.com/d", Interval: 5 * time.Second},
		},
		{
			name:  "an answer of exactly 1 MiB",
			reply: answer(200, `{"device_code":"d","user_code":"ABCD","verification_uri":"https://example.com/d"}`+strings.Repeat(" ", 1<<20-len(`{"device_code":"d","user_code":"ABCD","verification_uri":"https://example.com/d"}`))),
			want:  &auth.DeviceCode{DeviceCode: "d", UserCode: "ABCD", VerificationURI: "https://example.com/d", Interval: 5 * time.Second},
		},
		{
			name:  "expires_in 1: one second",
			reply: answer(200, `{"device_code":"d","user_code":"ABCD","verification_uri":"https://example.com/d","expires_in":1}`),
			want:  &auth.DeviceCode{DeviceCode: "d", UserCode: "ABCD", VerificationURI: "https://example.com/d", Expiry: clock.Add(time.Second), Interval: 5 * time.Second},
		},
		{
			name:  "form-encoded with one broken escape: the rest is read",
			reply: answer(200, "device_code=d&user_code=ABCD&verification_uri=https%3A%2F%2Fexample.com%2Fd&junk=%zz"),
			want:  &auth.DeviceCode{DeviceCode: "d", UserCode: "ABCD", VerificationURI: "https://example.com/d", Interval: 5 * time.Second},
		},
		{
			name:     "client refused",
			reply:    answer(401, `{"error":"invalid_client","error_description":"client authentication failed"}`),
			wantKind: auth.KindSecret,
			wantText: "invalid_client",
		},
		{
			name:     "GitHub: device flow disabled",
			reply:    answer(200, "error=device_flow_disabled&error_description=Device+Flow+must+be+explicitly+enabled+for+this+App"),
			wantKind: auth.KindRequest,
			wantText: "device_flow_disabled",
		},
		{
			name:     "plain http verification page off loopback",
			reply:    answer(200, `{"device_code":"d","user_code":"ABCD","verification_uri":"http://example.com/device"}`),
			wantKind: auth.KindServer,
			wantText: "verification page",
		},
		{
			name:     "user code with an escape sequence",
			reply:    answer(200, `{"device_code":"d","user_code":"AB\u001b[2JCD","verification_uri":"https://example.com/device"}`),
			wantKind: auth.KindServer,
			wantText: "user code",
		},
		{
			name:     "a device code with a newline",
			reply:    answer(200, `{"device_code":"d\nX","user_code":"ABCD","verification_uri":"https://example.com/device"}`),
			wantKind: auth.KindServer,
			wantText: "device code is not printable ASCII",
		},
		{
			name:     "a device code with a space",
			reply:    answer(200, `{"device_code":"d X","user_code":"ABCD","verification_uri":"https://example.com/device"}`),
			wantKind: auth.KindServer,
			wantText: "device code is not printable ASCII",
		},
		{
			name:     "a device code with DEL",
			reply:    answer(200, `{"device_code":"d\u007f","user_code":"ABCD","verification_uri":"https://example.com/device"}`),
			wantKind: auth.KindServer,
			wantText: "device code is not printable ASCII",
		},
		{
			name:     "no verification URI",
			reply:    answer(200, `{"device_code":"d","user_code":"ABCD"}`),
			wantKind: auth.KindServer,
			wantText: "no verification_uri",
		},
		{
			name:     "HTML",
			reply:    answer(200, "<html>Sign in</html>"),
			wantKind: auth.KindServer,
			wantText: "Sign in",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := newDeviceServer(t, tt.reply)
			dc, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).DeviceAuth(context.Background(), ds.URL+"/device", nil)
			if tt.want != nil {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(dc, tt.want) {
					t.Errorf("DeviceAuth = %+v\nwant         %+v", dc, tt.want)
				}
				if form := ds.Requests()[0].Form; form.Has("scope") {
					t.Errorf("form %v has a scope; none was asked for", form)
				}
				return
			}
			e := asError(t, err)
			if e.Kind != tt.wantKind || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %q (kind %v), want kind %v containing %q", err, e.Kind, tt.wantKind, tt.wantText)
			}
			checkErrorSafe(t, e)
		})
	}
}

func TestDeviceAuthRefusesBeforeSending(t *testing.T) {
	ds := newDeviceServer(t, answer(200, deviceJSON))
	c := deviceConfig(ds, testClientSecret, auth.AuthInParams)
	for _, tt := range []struct {
		name      string
		c         auth.Config
		deviceURL string
		wantErr   error
	}{
		{"no device endpoint", c, "", auth.ErrNoDeviceURL},
		{"http device endpoint off loopback", c, "http://example.com/device", auth.ErrInsecureURL},
		{"no client ID", auth.Config{Provider: c.Provider}, ds.URL + "/device", auth.ErrNoClientID},
		{"confidential provider without a secret", auth.Config{Provider: auth.Google(), ClientID: testClientID}, ds.URL + "/device", auth.ErrNoClientSecret},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.DeviceAuth(context.Background(), tt.deviceURL, nil)
			if e := asError(t, err); e.Kind != auth.KindUsage || !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v (kind %v), want a usage error wrapping %v", err, e.Kind, tt.wantErr)
			}
		})
	}
	if n := len(ds.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestPollOnce(t *testing.T) {
	const tokenJSON = `{"access_token":"AT","token_type":"Bearer","refresh_token":"RT","expires_in":3600}`
	wantToken := &auth.Token{AccessToken: "AT", TokenType: "Bearer", RefreshToken: "RT", ExpiresIn: 3600, Expiry: clock.Add(time.Hour)}
	type poll struct {
		reply    http.HandlerFunc
		wantNext time.Duration // when no token and no error
		wantTok  *auth.Token
		wantErr  error // errors.Is
		wantKind auth.Kind
	}
	tests := []struct {
		name  string
		polls []poll
	}{
		{
			name: "pending, pending, token",
			polls: []poll{
				{reply: answer(400, `{"error":"authorization_pending"}`), wantNext: 7 * time.Second},
				{reply: answer(400, `{"error":"authorization_pending","error_description":"still waiting"}`), wantNext: 7 * time.Second},
				{reply: answer(200, tokenJSON), wantTok: wantToken},
			},
		},
		{
			name: "slow_down adds 5 s, for every later poll",
			polls: []poll{
				{reply: answer(400, `{"error":"slow_down"}`), wantNext: 12 * time.Second},
				{reply: answer(400, `{"error":"authorization_pending"}`), wantNext: 12 * time.Second},
				{reply: answer(400, `{"error":"slow_down"}`), wantNext: 17 * time.Second},
				{reply: answer(200, tokenJSON), wantTok: wantToken},
			},
		},
		{
			name: "GitHub: 200 form-encoded pending, slow_down with its interval, then a token",
			polls: []poll{
				{reply: answer(200, "error=authorization_pending&error_description=The+authorization+request+is+still+pending."), wantNext: 7 * time.Second},
				{reply: answer(200, "error=slow_down&error_description=Too+many+requests&interval=20"), wantNext: 20 * time.Second},
				{reply: answer(200, "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer"),
					wantTok: &auth.Token{AccessToken: "gho_16C7e42F292c6912E7710c838347Ae178B4a", TokenType: "bearer", Scope: "repo,gist"}},
			},
		},
		{
			name:  "access_denied",
			polls: []poll{{reply: answer(400, `{"error":"access_denied","error_description":"End-User aborted interaction"}`), wantErr: auth.ErrAccessDenied, wantKind: auth.KindCode}},
		},
		{
			name:  "expired_token",
			polls: []poll{{reply: answer(400, `{"error":"expired_token"}`), wantErr: auth.ErrExpiredToken, wantKind: auth.KindCode}},
		},
		{
			name:  "another error stops polling",
			polls: []poll{{reply: answer(400, `{"error":"invalid_grant","error_description":"device code not found"}`), wantKind: auth.KindCode}},
		},
		{
			name:  "server error",
			polls: []poll{{reply: answer(503, "<html>down</html>"), wantKind: auth.KindServer}},
		},
	}
	for _, tt := range tests {
		for _, style := range []auth.AuthStyle{auth.AuthInParams, auth.AuthInHeader} {
			t.Run(tt.name+"/"+style.String(), func(t *testing.T) {
				var replies []http.HandlerFunc
				for _, p := range tt.polls {
					replies = append(replies, p.reply)
				}
				ds := newDeviceServer(t, nil, replies...)
				c := deviceConfig(ds, testClientSecret, style)
				dc := &auth.DeviceCode{DeviceCode: "DEV-CODE", UserCode: "U", Expiry: clock.Add(time.Minute), Interval: 7 * time.Second}
				for i, p := range tt.polls {
					tok, next, err := c.PollOnce(context.Background(), dc)
					switch {
					case p.wantTok != nil:
						if err != nil || !reflect.DeepEqual(tok, p.wantTok) {
							t.Fatalf("poll %d = %+v, %v; want %+v", i, tok, err, p.wantTok)
						}
					case p.wantKind != auth.KindUnknown:
						e := asError(t, err)
						if tok != nil || e.Kind != p.wantKind || p.wantErr != nil && !errors.Is(err, p.wantErr) {
							t.Fatalf("poll %d = %v, %v (kind %v); want kind %v wrapping %v", i, tok, err, e.Kind, p.wantKind, p.wantErr)
						}
						checkErrorSafe(t, e)
					default:
						if tok != nil || err != nil || next != p.wantNext {
							t.Fatalf("poll %d = %v, %v, %v; want no token, no error, next %v", i, tok, next, err, p.wantNext)
						}
						dc.Interval = next
					}
				}
				reqs := ds.Requests()
				if len(reqs) != len(tt.polls) {
					t.Fatalf("%d requests, want %d", len(reqs), len(tt.polls))
				}
				wantForm := url.Values{"grant_type": {auth.GrantDeviceCode}, "device_code": {"DEV-CODE"}}
				if style == auth.AuthInParams {
					wantForm.Set("client_id", testClientID)
					wantForm.Set("client_secret", testClientSecret)
				}
				for _, r := range reqs {
					if r.Method != http.MethodPost || r.Path != "/token" || r.Accept != "application/json" {
						t.Errorf("request %s %s Accept %q, want POST /token accepting JSON", r.Method, r.Path, r.Accept)
					}
					if !reflect.DeepEqual(r.Form, wantForm) || r.HasBasic != (style == auth.AuthInHeader) {
						t.Errorf("form %v, basic %v; want %v, basic %v", r.Form, r.HasBasic, wantForm, style == auth.AuthInHeader)
					}
				}
			})
		}
	}
}

// A device code without an interval is polled every 5 s (RFC 8628 §3.2).
func TestPollOnceWithoutIntervalWaits5s(t *testing.T) {
	ds := newDeviceServer(t, nil, answer(400, `{"error":"authorization_pending"}`))
	dc := &auth.DeviceCode{DeviceCode: "D", Expiry: clock.Add(time.Minute)}
	tok, next, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).PollOnce(context.Background(), dc)
	if tok != nil || err != nil || next != 5*time.Second {
		t.Errorf("PollOnce = %v, %v, %v; want no token, no error, next 5s", tok, next, err)
	}
}

func TestPollOnceExpiredLocally(t *testing.T) {
	ds := newDeviceServer(t, nil, answer(400, `{"error":"authorization_pending"}`))
	dc := &auth.DeviceCode{DeviceCode: "D", Expiry: clock, Interval: 5 * time.Second}
	_, _, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).PollOnce(context.Background(), dc)
	if !errors.Is(err, auth.ErrExpiredToken) {
		t.Errorf("err = %v, want ErrExpiredToken", err)
	}
	if n := len(ds.Requests()); n != 0 {
		t.Errorf("%d requests after the expiry, want none", n)
	}
}

func TestPollDevice(t *testing.T) {
	ds := newDeviceServer(t, nil,
		answer(400, `{"error":"authorization_pending"}`),
		answer(400, `{"error":"slow_down"}`),
		answer(400, `{"error":"authorization_pending"}`),
		answer(200, `{"access_token":"AT","token_type":"Bearer"}`))
	var waits []time.Duration
	wait := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	dc := &auth.DeviceCode{DeviceCode: "D", Interval: 5 * time.Second}
	tok, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).PollDevice(context.Background(), dc, wait)
	if err != nil || tok.AccessToken != "AT" {
		t.Fatalf("PollDevice = %+v, %v; want the token", tok, err)
	}
	if want := []time.Duration{5 * time.Second, 5 * time.Second, 10 * time.Second, 10 * time.Second}; !reflect.DeepEqual(waits, want) {
		t.Errorf("waits = %v, want %v", waits, want)
	}
	if dc.Interval != 5*time.Second {
		t.Errorf("dc.Interval = %v: PollDevice changed the caller's code", dc.Interval)
	}
}

// A poll cut off after it reached the server may have redeemed the device
// code: the hint asks for a new code, not a new authorization URL, which
// the device flow has none of.
func TestPollCutOffAsksForANewCode(t *testing.T) {
	p := auth.Custom()
	p.TokenURL = testkit.RawTokenEndpoint(t, "", 0)
	c := auth.Config{Provider: p, ClientID: testClientID, ClientSecret: testClientSecret}
	wait := func(context.Context, time.Duration) error { return nil }
	_, err := c.PollDevice(context.Background(), &auth.DeviceCode{DeviceCode: "D", Interval: time.Second}, wait)
	hint := auth.DeviceHint(err)
	if !strings.Contains(hint, "new code") || strings.Contains(hint, "authorization URL") {
		t.Errorf("err %v, hint %q: want a new code asked for, no authorization URL", err, hint)
	}
}

// PollDevice waits 5 s before its first poll of a code without an interval.
func TestPollDeviceWithoutIntervalWaits5s(t *testing.T) {
	ds := newDeviceServer(t, nil, answer(200, `{"access_token":"AT","token_type":"Bearer"}`))
	var waits []time.Duration
	wait := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	tok, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).PollDevice(context.Background(), &auth.DeviceCode{DeviceCode: "D"}, wait)
	if err != nil || tok.AccessToken != "AT" {
		t.Fatalf("PollDevice = %+v, %v; want the token", tok, err)
	}
	if want := []time.Duration{5 * time.Second}; !reflect.DeepEqual(waits, want) {
		t.Errorf("waits = %v, want %v", waits, want)
	}
}

func TestPollDeviceCanceled(t *testing.T) {
	ds := newDeviceServer(t, nil, answer(400, `{"error":"authorization_pending"}`))
	ctx, cancel := context.WithCancel(context.Background())
	polls := 0
	wait := func(ctx context.Context, _ time.Duration) error {
		if polls++; polls == 3 {
			cancel()
		}
		return ctx.Err()
	}
	_, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).PollDevice(ctx, &auth.DeviceCode{DeviceCode: "D"}, wait)
	if e := asError(t, err); e.Kind != auth.KindCanceled {
		t.Errorf("err = %v (kind %v), want canceled", err, e.Kind)
	}
	if n := len(ds.Requests()); n != 2 {
		t.Errorf("%d polls, want 2", n)
	}
}

func TestDeviceHint(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&auth.Error{Kind: auth.KindCode, Code: "access_denied", Err: auth.ErrAccessDenied}, "refused"},
		{&auth.Error{Kind: auth.KindCode, Err: auth.ErrExpiredToken}, "not approved in time"},
		{&auth.Error{Kind: auth.KindRequest, Code: "device_flow_disabled"}, "Enable Device Flow"},
		{&auth.Error{Kind: auth.KindNetwork}, "network"},
	} {
		if got := auth.DeviceHint(tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("DeviceHint(%v) = %q, want it to contain %q", tt.err, got, tt.want)
		}
	}
}

// A refused or broken device authorization answer gets a hint about the
// device authorization endpoint, never the token endpoint's (which was
// not asked) nor an authorization URL (there is none).
func TestDeviceAuthRefusalHintNamesTheDeviceEndpoint(t *testing.T) {
	redirect := func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}
	for _, tt := range []struct {
		name  string
		reply http.HandlerFunc
		want  string
	}{
		{"500", answer(500, "<html>down</html>"), "--device-url"},
		{"404 HTML", answer(404, "<html>not found</html>"), "--device-url"},
		{"200 without a device code", answer(200, `{"access_token":"x"}`), "no device code"},
		{"200 HTML", answer(200, "<html>Sign in</html>"), "--device-url"},
		{"a redirect", redirect, "pass it as --device-url"},
		{"invalid_grant", answer(400, `{"error":"invalid_grant","error_description":"authorization code expired"}`), "device flow"},
		{"unknown client", answer(400, `{"error":"invalid_client","error_description":"client not found"}`), "client"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ds := newDeviceServer(t, tt.reply)
			_, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).DeviceAuth(context.Background(), ds.URL+"/device", nil)
			if err == nil {
				t.Fatal("DeviceAuth succeeded, want an error")
			}
			hint := auth.DeviceHint(err)
			if !strings.Contains(hint, tt.want) || strings.Contains(strings.ToLower(hint), "token url") || strings.Contains(hint, "--token-url") ||
				strings.Contains(hint, "open the authorization URL") || strings.Contains(err.Error(), "token endpoint") || strings.Contains(err.Error(), "without a token") {
				t.Errorf("error %q, hint %q: want %q and no word of the token endpoint or an authorization URL", err, hint, tt.want)
			}
		})
	}
	// The device authorization request issues no token: a connection
	// closed after it was read spent nothing, and says nothing of a code
	// or an authorization URL.
	t.Run("closed after the request", func(t *testing.T) {
		p := auth.Custom()
		p.TokenURL = testkit.RawTokenEndpoint(t, "", 0)
		c := auth.Config{Provider: p, ClientID: testClientID, ClientSecret: testClientSecret}
		_, err := c.DeviceAuth(context.Background(), p.TokenURL, nil)
		var e *auth.Error
		if !errors.As(err, &e) || e.MaybeSpent() {
			t.Fatalf("err %v: want an auth.Error that spent nothing", err)
		}
		if hint := auth.DeviceHint(err); strings.Contains(hint, "from the authorization URL") || strings.Contains(hint, "used up") || !strings.Contains(hint, "--device-url") {
			t.Errorf("hint %q speaks of a spent code", hint)
		}
	})
	t.Run("no answer", func(t *testing.T) {
		ds := newDeviceServer(t, nil)
		ds.Close()
		_, err := deviceConfig(ds, testClientSecret, auth.AuthInParams).DeviceAuth(context.Background(), ds.URL+"/device", nil)
		if hint := auth.DeviceHint(err); !strings.Contains(hint, "--device-url") || strings.Contains(hint, "token URL") {
			t.Errorf("hint %q: want the device URL", hint)
		}
	})
}
