package fakenest_test

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
)

const (
	clientID     = "0a1b2c3d-1234-5678-9abc-0123456789ab"
	clientSecret = "s3cr3tS3cr3tS3cr3tS3cr3t1"
	redirectURI  = "https://app.example.com/nest/callback"
)

// start runs a fake for a PIN client, or a redirect client when redirect is set.
func start(t *testing.T, redirect string) *fakenest.Server {
	t.Helper()
	s := fakenest.NewTest(t, clientID, clientSecret)
	s.RedirectURI = redirect
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("URL = %q, want a loopback URL", s.URL)
	}
	return s
}

// config is the seed's provider pointed at the fake.
func config(s *fakenest.Server) auth.Config {
	p := auth.Nest()
	p.AuthURL, p.TokenURL, p.RedirectURI = s.AuthURL(), s.TokenURL(), s.RedirectURI
	return auth.Config{Provider: p, ClientID: clientID, ClientSecret: clientSecret}
}

// noRedirects is a client that shows a redirect instead of following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type oauthAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	Error       string `json:"error"`
	Description string `json:"error_description"`
	InstanceID  string `json:"instance_id"`
}

// post sends form to the token endpoint as the seed's curl does.
func post(t *testing.T, s *fakenest.Server, form url.Values, basic bool) (int, oauthAnswer) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.TokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(clientID, clientSecret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", s.TokenURL(), err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var a oauthAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("decoding the answer: %v", err)
	}
	return resp.StatusCode, a
}

func seedForm(code string) url.Values {
	return url.Values{
		"code":          {code},
		"client_id":     {clientID},
		"client_secret": {clientSecret},
		"grant_type":    {"authorization_code"},
	}
}

func TestTokenEndpoint(t *testing.T) {
	tests := []struct {
		name     string
		redirect string // the client's registered redirect URI
		// prepare gets a fresh code and returns the form to send; it may
		// also use the code or move the clock first.
		prepare  func(t *testing.T, s *fakenest.Server, code string) url.Values
		basic    bool
		wantErr  string
		wantDesc string
	}{
		{
			name:    "seed request",
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values { return seedForm(code) },
		},
		{
			name:  "credentials in a basic header",
			basic: true,
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				return url.Values{"code": {code}, "grant_type": {"authorization_code"}}
			},
		},
		{
			name: "code used twice",
			prepare: func(t *testing.T, s *fakenest.Server, code string) url.Values {
				if status, a := post(t, s, seedForm(code), false); status != 200 || a.AccessToken == "" {
					t.Fatalf("first use = %d %+v, want a token", status, a)
				}
				return seedForm(code)
			},
			wantErr: "oauth2_error", wantDesc: "authorization code not found",
		},
		{
			name:     "unknown code",
			prepare:  func(_ *testing.T, _ *fakenest.Server, _ string) url.Values { return seedForm("ZZZZZZZZ") },
			wantErr:  "oauth2_error",
			wantDesc: "authorization code not found",
		},
		{
			name: "PIN after 48 hours",
			prepare: func(_ *testing.T, s *fakenest.Server, code string) url.Values {
				s.Advance(fakenest.PINLifetime)
				return seedForm(code)
			},
			wantErr: "oauth2_error", wantDesc: "authorization code expired",
		},
		{
			name: "PIN just before 48 hours",
			prepare: func(_ *testing.T, s *fakenest.Server, code string) url.Values {
				s.Advance(fakenest.PINLifetime - time.Minute)
				return seedForm(code)
			},
		},
		{
			name:     "redirect code after 10 minutes",
			redirect: redirectURI,
			prepare: func(_ *testing.T, s *fakenest.Server, code string) url.Values {
				s.Advance(fakenest.CodeLifetime)
				return seedForm(code)
			},
			wantErr: "oauth2_error", wantDesc: "authorization code expired",
		},
		{
			name:     "redirect code with its redirect_uri",
			redirect: redirectURI,
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				f := seedForm(code)
				f.Set("redirect_uri", redirectURI)
				return f
			},
		},
		{
			name:     "redirect_uri not registered",
			redirect: redirectURI,
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				f := seedForm(code)
				f.Set("redirect_uri", "https://evil.example/cb")
				return f
			},
			wantErr: "input_data_error", wantDesc: "redirect_uri not pre-registered",
		},
		{
			name: "redirect_uri from a PIN client",
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				f := seedForm(code)
				f.Set("redirect_uri", redirectURI)
				return f
			},
			wantErr: "input_data_error", wantDesc: "redirect_uri not pre-registered",
		},
		{
			name: "wrong secret",
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				f := seedForm(code)
				f.Set("client_secret", "wrong")
				return f
			},
			wantErr: "oauth2_error", wantDesc: "client secret not found",
		},
		{
			name: "unknown client",
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				f := seedForm(code)
				f.Set("client_id", "someone-else")
				return f
			},
			wantErr: "oauth2_error", wantDesc: "client not found",
		},
		{
			name: "missing code",
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				f := seedForm(code)
				f.Del("code")
				return f
			},
			wantErr: "oauth2_error", wantDesc: "missing required parameters: code",
		},
		{
			name:     "missing everything",
			prepare:  func(_ *testing.T, _ *fakenest.Server, _ string) url.Values { return url.Values{} },
			wantErr:  "oauth2_error",
			wantDesc: "missing required parameters: code, client_id, client_secret, grant_type",
		},
		{
			name: "another grant type",
			prepare: func(_ *testing.T, _ *fakenest.Server, code string) url.Values {
				f := seedForm(code)
				f.Set("grant_type", "refresh_token")
				return f
			},
			wantErr: "oauth2_error", wantDesc: "unsupported grant_type",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, tt.redirect)
			code := s.IssueCode()
			wantLen := 8
			if tt.redirect != "" {
				wantLen = 16
			}
			if !regexp.MustCompile(`^[A-Z2-9]+$`).MatchString(code) || len(code) != wantLen {
				t.Errorf("IssueCode() = %q, want %d characters of [A-Z2-9]", code, wantLen)
			}
			form := tt.prepare(t, s, code)
			before := s.TokenRequests()
			status, a := post(t, s, form, tt.basic)
			if got := s.TokenRequests(); got != before+1 {
				t.Errorf("TokenRequests() went from %d to %d, want one more", before, got)
			}
			if tt.wantErr == "" {
				if status != 200 || !strings.HasPrefix(a.AccessToken, "c.") || a.ExpiresIn != 315360000 || a.Error != "" {
					t.Errorf("answer = %d %+v, want 200 with a c. token for 315360000 s", status, a)
				}
				return
			}
			if status != 400 || a.Error != tt.wantErr || a.Description != tt.wantDesc || a.AccessToken != "" {
				t.Errorf("answer = %d %+v, want 400 %s / %s", status, a, tt.wantErr, tt.wantDesc)
			}
			if a.InstanceID == "" {
				t.Error("the error has no instance_id")
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	s := start(t, "")
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, fakenest.TokenPath, 404},
		{http.MethodPut, fakenest.AuthPath, 404},
		{http.MethodGet, "/", 401}, // the API root, without a token
		{http.MethodPost, "/", 404},
		{http.MethodGet, fakenest.RevokePath + "c.x", 404},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, s.URL+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
	if n := s.TokenRequests(); n != 0 {
		t.Errorf("TokenRequests() = %d after no POST, want 0", n)
	}
}

func TestConsentPage(t *testing.T) {
	tests := []struct {
		name     string
		redirect string
		query    url.Values
		want     int
		wantPage []string
	}{
		{
			name:     "PIN client",
			query:    url.Values{"client_id": {clientID}, "state": {"STATE"}},
			want:     200,
			wantPage: []string{"Allow", "Deny", `name="state" value="STATE"`, `name="client_id" value="` + clientID + `"`},
		},
		{
			name:     "redirect client",
			redirect: redirectURI,
			query:    url.Values{"client_id": {clientID}, "state": {"STATE"}, "redirect_uri": {redirectURI}},
			want:     200,
			wantPage: []string{"Allow", `name="redirect_uri" value="` + redirectURI + `"`},
		},
		{
			name:     "no state",
			query:    url.Values{"client_id": {clientID}},
			want:     400,
			wantPage: []string{"state is required"},
		},
		{
			name:     "unknown client",
			query:    url.Values{"client_id": {"someone-else"}, "state": {"STATE"}},
			want:     400,
			wantPage: []string{"unknown client_id"},
		},
		{
			name:     "redirect_uri not registered",
			redirect: redirectURI,
			query:    url.Values{"client_id": {clientID}, "state": {"STATE"}, "redirect_uri": {"https://evil.example/cb"}},
			want:     400,
			wantPage: []string{"redirect_uri not pre-registered"},
		},
		{
			name:     "state is escaped",
			query:    url.Values{"client_id": {clientID}, "state": {`"><script>x</script>`}},
			want:     200,
			wantPage: []string{`value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, tt.redirect)
			resp, err := http.Get(s.AuthURL() + "?" + tt.query.Encode())
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
			for _, w := range tt.wantPage {
				if !strings.Contains(string(body), w) {
					t.Errorf("the page does not contain %q:\n%s", w, body)
				}
			}
			if strings.Contains(string(body), "<script>") {
				t.Errorf("the page echoes markup unescaped:\n%s", body)
			}
		})
	}
}

var pinRE = regexp.MustCompile(`<code id="pin">([A-Z2-9]{8})</code>`)

func TestConsent(t *testing.T) {
	tests := []struct {
		name         string
		redirect     string
		action       string
		wantStatus   int
		wantPIN      bool
		wantPage     string
		wantLocation map[string][]string // the query of the redirect; "code" only checked for presence
	}{
		{name: "PIN client allows", action: "allow", wantStatus: 200, wantPIN: true, wantPage: "Enter this PIN"},
		{name: "PIN client denies", action: "deny", wantStatus: 200, wantPage: "You denied access."},
		{name: "redirect client allows", redirect: redirectURI, action: "allow", wantStatus: 302,
			wantLocation: map[string][]string{"code": nil, "state": {"STATE"}}},
		{name: "redirect client denies", redirect: redirectURI, action: "deny", wantStatus: 302,
			wantLocation: map[string][]string{"error": {"access_denied"}, "state": {"STATE"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, tt.redirect)
			form := url.Values{"client_id": {clientID}, "state": {"STATE"}, "redirect_uri": {tt.redirect}, "action": {tt.action}}
			resp, err := noRedirects.PostForm(s.AuthURL(), form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d:\n%s", resp.StatusCode, tt.wantStatus, body)
			}
			if !strings.Contains(string(body), tt.wantPage) {
				t.Errorf("the page does not contain %q:\n%s", tt.wantPage, body)
			}
			var code string
			if tt.wantPIN {
				m := pinRE.FindStringSubmatch(string(body))
				if m == nil {
					t.Fatalf("no PIN on the page:\n%s", body)
				}
				code = m[1]
			}
			if tt.wantLocation != nil {
				loc, err := url.Parse(resp.Header.Get("Location"))
				if err != nil {
					t.Fatal(err)
				}
				if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURI {
					t.Errorf("redirected to %q, want %q", got, redirectURI)
				}
				q := loc.Query()
				code = q.Get("code")
				if _, want := tt.wantLocation["code"]; want != (code != "") {
					t.Errorf("redirect query %v: code present = %v, want %v", q, code != "", want)
				}
				q.Del("code")
				want := maps.Clone(tt.wantLocation)
				delete(want, "code")
				if !reflect.DeepEqual(map[string][]string(q), want) {
					t.Errorf("redirect query without code = %v, want %v", q, want)
				}
			}
			if code == "" {
				return
			}
			// What the consent page handed out is a code the token endpoint takes.
			tok, err := config(s).Exchange(t.Context(), code, "")
			if err != nil || !strings.HasPrefix(tok.AccessToken, "c.") {
				t.Errorf("Exchange of the consent page's code = %+v, %v; want a c. token", tok, err)
			}
		})
	}
}

func TestApprove(t *testing.T) {
	tests := []struct {
		name     string
		redirect string // the client's registered redirect URI
		config   func(auth.Config) auth.Config
		state    string
		wantErr  string
	}{
		{name: "PIN client", state: "STATE"},
		{name: "redirect client", redirect: redirectURI, state: "STATE"},
		{name: "no state", state: "", wantErr: "state is required"},
		{name: "unknown client", state: "STATE", wantErr: "unknown client_id",
			config: func(c auth.Config) auth.Config { c.ClientID = "someone-else"; return c }},
		{name: "unregistered redirect URI", redirect: redirectURI, state: "STATE", wantErr: "redirect_uri not pre-registered",
			config: func(c auth.Config) auth.Config { c.RedirectURI = "https://evil.example/cb"; return c }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, tt.redirect)
			c := config(s)
			if tt.config != nil {
				c = tt.config(c)
			}
			code, err := s.Approve(c.AuthCodeURL(tt.state, ""))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Approve = %q, %v; want error %q", code, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Approve: %v", err)
			}
			tok, err := config(s).Exchange(t.Context(), code, "")
			if err != nil {
				t.Fatalf("Exchange(%q): %v", code, err)
			}
			if !strings.HasPrefix(tok.AccessToken, "c.") {
				t.Errorf("AccessToken = %q, want a c. prefix", tok.AccessToken)
			}
		})
	}
}

// The seed's whole flow against the fake, through nestauth's own client.
func TestExchangeEndToEnd(t *testing.T) {
	s := start(t, "")
	c := config(s)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	c.Now = func() time.Time { return now }
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	state := auth.NewState()
	pin, err := s.Approve(c.AuthCodeURL(state, auth.NewVerifier()))
	if err != nil {
		t.Fatalf("Approve: %v", err)
	}
	// A person pastes the PIN with a newline.
	parsed, err := auth.ParseCode(pin+"\n", state)
	code := parsed.Value
	if err != nil || code != pin {
		t.Fatalf("ParseCode = %q, %v; want %q", code, err, pin)
	}

	tok, err := c.Exchange(t.Context(), code, "")
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if !regexp.MustCompile(`^c\.[A-Z2-9]{40}$`).MatchString(tok.AccessToken) {
		t.Errorf("AccessToken = %q, want c. and 40 characters", tok.AccessToken)
	}
	if tok.ExpiresIn != 315360000 || !tok.Expiry.Equal(now.Add(fakenest.TokenLifetime)) {
		t.Errorf("ExpiresIn, Expiry = %d, %v; want 315360000, %v", tok.ExpiresIn, tok.Expiry, now.Add(fakenest.TokenLifetime))
	}
	if got, want := tok.Lifetime(now), "expires in 3650 days, on "; !strings.HasPrefix(got, want) {
		t.Errorf("Lifetime = %q, want it to start %q", got, want)
	}

	// The code is single-use: the second exchange is a code error, in one request.
	_, err = c.Exchange(t.Context(), code, "")
	var e *auth.Error
	if !errors.As(err, &e) || e.Kind != auth.KindCode || e.Description != "authorization code not found" {
		t.Errorf("second Exchange = %v, want a code error: authorization code not found", err)
	}
	if n := s.TokenRequests(); n != 2 {
		t.Errorf("TokenRequests() = %d, want 2", n)
	}

	// A new PIN, expired by the clock, and a wrong secret.
	pin2, _ := s.Approve(c.AuthCodeURL(state, ""))
	s.Advance(fakenest.PINLifetime + time.Second)
	_, err = c.Exchange(t.Context(), pin2, "")
	if !errors.As(err, &e) || e.Kind != auth.KindCode || e.Description != "authorization code expired" {
		t.Errorf("Exchange after 48 hours = %v, want a code error: authorization code expired", err)
	}
	bad := c
	bad.ClientSecret = "wrong"
	pin3 := s.IssueCode()
	_, err = bad.Exchange(t.Context(), pin3, "")
	if !errors.As(err, &e) || e.Kind != auth.KindSecret {
		t.Errorf("Exchange with a wrong secret = %v, want a client_secret error", err)
	}
	// A refused exchange does not spend the code.
	if _, err := c.Exchange(t.Context(), pin3, ""); err != nil {
		t.Errorf("Exchange after a refused one: %v", err)
	}
	if n := s.TokenRequests(); n != 5 {
		t.Errorf("TokenRequests() = %d, want 5", n)
	}
}

func TestExchangeEndToEndBasic(t *testing.T) {
	s := start(t, redirectURI)
	c := config(s)
	c.AuthStyle = auth.AuthInHeader
	code, err := s.Approve(c.AuthCodeURL("STATE", ""))
	if err != nil {
		t.Fatalf("Approve: %v", err)
	}
	if len(code) != 16 {
		t.Errorf("a redirect client's code = %q, want 16 characters", code)
	}
	tok, err := c.Exchange(t.Context(), code, "")
	if err != nil || !strings.HasPrefix(tok.AccessToken, "c.") {
		t.Fatalf("Exchange = %+v, %v; want a c. token", tok, err)
	}
}
