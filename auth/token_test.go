package auth_test

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
)

var fixedNow = time.Date(2026, 11, 28, 21, 0, 0, 0, time.UTC)

func TestExchangeToken(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		want        auth.Token
	}{
		{
			name:        "nest: ten years, no refresh token",
			contentType: "application/json",
			body:        `{"access_token":"c.ACCESS","expires_in":315360000}`,
			want: auth.Token{
				AccessToken: "c.ACCESS",
				ExpiresIn:   315360000,
				Expiry:      time.Date(2036, 11, 25, 21, 0, 0, 0, time.UTC),
			},
		},
		{
			name:        "google: every field",
			contentType: "application/json; charset=utf-8",
			body: `{"access_token":"ya29.ACCESS","expires_in":3599,"refresh_token":"1//REFRESH",` +
				`"scope":"https://www.googleapis.com/auth/sdm.service","token_type":"Bearer"}`,
			want: auth.Token{
				AccessToken:  "ya29.ACCESS",
				TokenType:    "Bearer",
				RefreshToken: "1//REFRESH",
				Scope:        "https://www.googleapis.com/auth/sdm.service",
				ExpiresIn:    3599,
				Expiry:       fixedNow.Add(3599 * time.Second),
			},
		},
		{
			name:        "expires_in as a string",
			contentType: "application/json",
			body:        `{"access_token":"A","expires_in":"3600"}`,
			want:        auth.Token{AccessToken: "A", ExpiresIn: 3600, Expiry: fixedNow.Add(time.Hour)},
		},
		{
			name:        "no expiry",
			contentType: "application/json",
			body:        `{"access_token":"A","token_type":"bearer"}`,
			want:        auth.Token{AccessToken: "A", TokenType: "bearer"},
		},
		{
			name:        "form-encoded answer",
			contentType: "application/x-www-form-urlencoded",
			body:        "access_token=A&token_type=bearer&scope=read+write&expires_in=7200",
			want: auth.Token{
				AccessToken: "A", TokenType: "bearer", Scope: "read write",
				ExpiresIn: 7200, Expiry: fixedNow.Add(2 * time.Hour),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(http.StatusOK, tt.contentType, tt.body))
			c := nestConfig(ts.TokenURL())
			c.Now = func() time.Time { return fixedNow }
			tok, err := c.Exchange(t.Context(), "TB39DWND", "")
			if err != nil {
				t.Fatalf("Exchange: %v", err)
			}
			if !reflect.DeepEqual(*tok, tt.want) {
				t.Errorf("token = %+v\nwant    %+v", *tok, tt.want)
			}
		})
	}
}

// RFC 6749 §A.12 and §A.17: tokens are printable ASCII. A server that
// puts escape sequences in one would have nestauth print them.
func TestExchangeRefusesUnprintableToken(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		refresh bool
	}{
		{"escape in access_token", `{"access_token":"c.\u001b]0;pwned\u0007ACCESS","expires_in":60}`, false},
		{"newline in access_token", `{"access_token":"c.ACCESS\nrm -rf ~","expires_in":60}`, false},
		{"bidi override in access_token", `{"access_token":"c.\u202eSSECCA"}`, false},
		{"refresh: escape in access_token", `{"access_token":"ya29.\u001b[2J"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(http.StatusOK, "application/json", tt.body))
			c := nestConfig(ts.TokenURL())
			var tok *auth.Token
			var err error
			if tt.refresh {
				tok, err = c.Refresh(t.Context(), "1//REFRESH")
			} else {
				tok, err = c.Exchange(t.Context(), "TB39DWND", "")
			}
			if tok != nil {
				t.Fatalf("got a token (access %q, refresh %q), want an error", tok.AccessToken, tok.RefreshToken)
			}
			if e := asError(t, err); e.Kind != auth.KindServer || e.Refresh != tt.refresh {
				t.Errorf("Kind, Refresh = %v, %v; want server, %v", e.Kind, e.Refresh, tt.refresh)
			}
		})
	}
}

// A token may hold any visible ASCII character and the space (RFC 6749
// VSCHAR), from 0x20 to 0x7e.
func TestExchangeTakesEveryVSCHAR(t *testing.T) {
	ts := newTokenServer(t, reply(http.StatusOK, "application/json", `{"access_token":"a b~","refresh_token":" ~","token_type":"Bearer"}`))
	tok, err := nestConfig(ts.TokenURL()).Exchange(t.Context(), "TB39DWND", "")
	if err != nil || tok.AccessToken != "a b~" || tok.RefreshToken != " ~" {
		t.Errorf("Exchange = %+v, %v; want the tokens as sent", tok, err)
	}
}

// A token in an answer that is not 2xx is not taken: 300 is not a success.
func TestExchangeRefusesATokenWithStatus300(t *testing.T) {
	ts := newTokenServer(t, reply(http.StatusMultipleChoices, "application/json", `{"access_token":"AT","token_type":"Bearer"}`))
	if tok, err := nestConfig(ts.TokenURL()).Exchange(t.Context(), "TB39DWND", ""); tok != nil || err == nil {
		t.Errorf("Exchange = %+v, %v; want an error", tok, err)
	}
}

// A refresh token that is not printable ASCII is dropped, with why; the
// access token beside it comes through, from every path that reads a token
// answer (the code or device code that bought it is spent). A refresh keeps
// the refresh token it sent.
func TestUnprintableRefreshTokenIsDropped(t *testing.T) {
	body := `{"access_token":"okAT","refresh_token":"r'\n$(x)\u001b[2J","token_type":"Bearer"}`
	for _, tt := range []struct {
		name      string
		get       func(c auth.Config) (*auth.Token, error)
		refresh   string // the refresh token kept
		wantWords string
	}{
		{"exchange", func(c auth.Config) (*auth.Token, error) { return c.Exchange(t.Context(), "TB39DWND", "") }, "", "sign in again"},
		{"refresh", func(c auth.Config) (*auth.Token, error) { return c.Refresh(t.Context(), "1//SENT") }, "1//SENT", "the refresh token sent is kept"},
		{"device poll", func(c auth.Config) (*auth.Token, error) {
			tok, _, err := c.PollOnce(t.Context(), &auth.DeviceCode{DeviceCode: "dc-1", Interval: time.Second})
			return tok, err
		}, "", "sign in again"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(http.StatusOK, "application/json", body))
			c := nestConfig(ts.TokenURL())
			tok, err := tt.get(c)
			if err != nil {
				t.Fatalf("err = %v, want the access token", err)
			}
			if tok.AccessToken != "okAT" || tok.RefreshToken != tt.refresh {
				t.Errorf("access %q, refresh %q; want okAT and %q", tok.AccessToken, tok.RefreshToken, tt.refresh)
			}
			if !strings.Contains(tok.Dropped, "refresh token") || !strings.Contains(tok.Dropped, "printable ASCII") || !strings.Contains(tok.Dropped, tt.wantWords) {
				t.Errorf("Dropped = %q: want why, and %q", tok.Dropped, tt.wantWords)
			}
			checkTerminalSafe(t, "Dropped", tok.Dropped)
		})
	}
}

func TestTokenLifetime(t *testing.T) {
	now := fixedNow
	tests := []struct {
		name     string
		expiry   time.Time
		wantText string // before the date
		layout   string // of the date that follows; empty: no date
		wantRE   string // what the date looks like
	}{
		{"nest: ten years", now.Add(315360000 * time.Second), "expires in 3650 days, on ", "2006-01-02", `^\d{4}-\d{2}-\d{2}$`},
		{"google: an hour less a second", now.Add(3599 * time.Second), "expires in 60 minutes, on ", "2006-01-02 15:04 MST", `^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+$`},
		{"three hours", now.Add(3 * time.Hour), "expires in 3 hours, on ", "2006-01-02 15:04 MST", `^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+$`},
		{"two days", now.Add(48 * time.Hour), "expires in 2 days, on ", "2006-01-02", `^\d{4}-\d{2}-\d{2}$`},
		{"expired", now.Add(-time.Minute), "expired on ", "2006-01-02 15:04", `^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`},
		{"expiring this instant", now, "expired on ", "2006-01-02 15:04", `^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`},
		{"no expiry", time.Time{}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&auth.Token{Expiry: tt.expiry}).Lifetime(now)
			if tt.layout == "" {
				if got != "" {
					t.Errorf("Lifetime = %q, want empty", got)
				}
				return
			}
			date, ok := strings.CutPrefix(got, tt.wantText)
			if !ok {
				t.Fatalf("Lifetime = %q, want it to start %q", got, tt.wantText)
			}
			if !regexp.MustCompile(tt.wantRE).MatchString(date) {
				t.Errorf("Lifetime = %q: the date %q does not match %s", got, date, tt.wantRE)
			}
			if want := tt.expiry.Local().Format(tt.layout); date != want {
				t.Errorf("Lifetime = %q, want the date %q", got, want)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 seconds"},
		{time.Second, "1 second"},
		{90 * time.Second, "90 seconds"},
		{119 * time.Second, "119 seconds"},
		{2 * time.Minute, "2 minutes"},
		{3599 * time.Second, "60 minutes"},
		{time.Hour, "60 minutes"},
		{119 * time.Minute, "119 minutes"},
		{2 * time.Hour, "2 hours"},
		{47*time.Hour + 59*time.Minute, "48 hours"},
		{48 * time.Hour, "2 days"},
		{7 * 24 * time.Hour, "7 days"},
		{315360000 * time.Second, "3650 days"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			if got := auth.Duration(tt.d); got != tt.want {
				t.Errorf("Duration(%v) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}

func TestRefresh(t *testing.T) {
	tests := []struct {
		name      string
		style     auth.AuthStyle
		body      string
		wantForm  map[string][]string
		wantBasic bool
		want      auth.Token
	}{
		{
			name: "credentials in the body",
			body: `{"access_token":"ya29.NEW","expires_in":3599,"token_type":"Bearer"}`,
			wantForm: map[string][]string{
				"grant_type":    {"refresh_token"},
				"refresh_token": {"1//REFRESH"},
				"client_id":     {testClientID},
				"client_secret": {testClientSecret},
			},
			// x/oauth2 keeps the refresh token the server did not replace.
			want: auth.Token{AccessToken: "ya29.NEW", TokenType: "Bearer", RefreshToken: "1//REFRESH",
				ExpiresIn: 3599, Expiry: fixedNow.Add(3599 * time.Second)},
		},
		{
			name:      "basic, with a new refresh token",
			style:     auth.AuthInHeader,
			wantBasic: true,
			body:      `{"access_token":"ya29.NEW","refresh_token":"1//ROTATED"}`,
			wantForm: map[string][]string{
				"grant_type":    {"refresh_token"},
				"refresh_token": {"1//REFRESH"},
			},
			want: auth.Token{AccessToken: "ya29.NEW", RefreshToken: "1//ROTATED"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(http.StatusOK, "application/json", tt.body))
			c := nestConfig(ts.TokenURL())
			c.AuthStyle = tt.style
			c.Now = func() time.Time { return fixedNow }
			tok, err := c.Refresh(t.Context(), "1//REFRESH")
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			if !reflect.DeepEqual(*tok, tt.want) {
				t.Errorf("token = %+v\nwant    %+v", *tok, tt.want)
			}
			reqs := ts.Requests()
			if len(reqs) != 1 {
				t.Fatalf("the token endpoint got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.RawQuery != "" || r.ContentType != "application/x-www-form-urlencoded" {
				t.Errorf("request = %s ?%q %q, want POST with no query and a form", r.Method, r.RawQuery, r.ContentType)
			}
			if got := map[string][]string(r.Form); !reflect.DeepEqual(got, tt.wantForm) {
				t.Errorf("body form = %v\nwant        %v", got, tt.wantForm)
			}
			if tt.wantBasic != r.HasBasic || (tt.wantBasic && (r.User != testClientID || r.Pass != testClientSecret)) {
				t.Errorf("Basic credentials = (%q, %q, %v), want them: %v", r.User, r.Pass, r.HasBasic, tt.wantBasic)
			}
		})
	}
}

func TestRefreshErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantKind auth.Kind
		wantHint string
	}{
		{"revoked", 400, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`, auth.KindCode, "refresh token was refused"},
		// Dex answers a rotated-away or deleted refresh token with invalid_request.
		{"claimed (Dex)", 400, `{"error":"invalid_request","error_description":"Refresh token is invalid or has already been claimed by another client."}`,
			auth.KindCode, "nestauth --profile NAME"},
		{"claimed, naming the client (Dex)", 400, `{"error":"invalid_request","error_description":"clientID example-app refresh token (ID abc) is invalid or has already been claimed by another client."}`,
			auth.KindCode, "same client"},
		{"expired (Dex)", 400, `{"error":"invalid_request","error_description":"Refresh token expired."}`, auth.KindCode, "sign in again"},
		{"invalid refresh token", 400, `{"error":"invalid_request","error_description":"Invalid refresh token"}`, auth.KindCode, "sign in again"},
		{"no refresh token sent (Dex)", 400, `{"error":"invalid_request","error_description":"No refresh token is found in request."}`, auth.KindRequest, "malformed"},
		{"invalid_request about something else", 400, `{"error":"invalid_request","error_description":"Unsupported grant type."}`, auth.KindRequest, "malformed"},
		{"scope (Dex)", 400, `{"error":"invalid_request","error_description":"Requested scopes contain unauthorized scope(s): [\"groups\"]."}`, auth.KindScope, "scope"},
		{"wrong secret", 401, `{"error":"invalid_client","error_description":"Unauthorized"}`, auth.KindSecret, "client secret"},
		{"server error", 500, `oops`, auth.KindServer, "try again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(tt.status, "application/json", tt.body))
			tok, err := nestConfig(ts.TokenURL()).Refresh(t.Context(), "1//REFRESH")
			if tok != nil {
				t.Fatalf("Refresh returned %+v, want an error", *tok)
			}
			e := asError(t, err)
			if e.Kind != tt.wantKind || !e.Refresh || e.Status != tt.status {
				t.Errorf("Kind, Refresh, Status = %v, %v, %d; want %v, true, %d", e.Kind, e.Refresh, e.Status, tt.wantKind, tt.status)
			}
			if !strings.Contains(e.Hint(), tt.wantHint) {
				t.Errorf("Hint() = %q, want it to mention %q", e.Hint(), tt.wantHint)
			}
			if n := len(ts.Requests()); n != 1 {
				t.Errorf("the token endpoint got %d requests, want 1", n)
			}
		})
	}
}
