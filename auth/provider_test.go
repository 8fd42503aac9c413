package auth_test

import (
	"encoding/base64"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"nestauth/auth"
)

func TestAuthCodeURL(t *testing.T) {
	const (
		project  = "0a1b2c3d-1234-5678-9abc-0123456789ab"
		verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	)
	custom := auth.Custom()
	custom.AuthURL = "https://auth.example.com/authorize?audience=api"
	custom.TokenURL = "https://auth.example.com/token"
	custom.RedirectURI = "http://127.0.0.1:8085/callback"
	custom.Scopes = []string{"openid", "email"}
	custom.AuthParams = [][2]string{{"access_type", "offline"}, {"login_hint", "me@example.com"}}

	noScopes := custom
	noScopes.Scopes, noScopes.AuthParams = nil, nil

	nestRedirect := auth.Nest()
	nestRedirect.RedirectURI = "https://app.example.com/nest/callback"

	tests := []struct {
		name     string
		provider auth.Provider
		verifier string
		wantBase string // scheme, host and path
		want     map[string][]string
		wantRaw  string // the whole URL, when it must be exactly so
	}{
		{
			name:     "nest: client_id and state only",
			provider: auth.Nest(),
			verifier: verifier, // Works with Nest knows no PKCE
			wantBase: "https://home.nest.com/login/oauth2",
			want:     map[string][]string{"client_id": {"CLIENT_ID"}, "state": {"STATE"}},
			wantRaw:  "https://home.nest.com/login/oauth2?client_id=CLIENT_ID&state=STATE",
		},
		{
			name:     "nest with a redirect URI",
			provider: nestRedirect,
			wantBase: "https://home.nest.com/login/oauth2",
			want: map[string][]string{
				"client_id":    {"CLIENT_ID"},
				"state":        {"STATE"},
				"redirect_uri": {"https://app.example.com/nest/callback"},
			},
		},
		{
			name:     "sdm with PKCE",
			provider: auth.SDM(),
			verifier: verifier,
			wantBase: "https://nestservices.google.com/partnerconnections/" + project + "/auth",
			want: map[string][]string{
				"access_type":           {"offline"},
				"prompt":                {"consent"},
				"response_type":         {"code"},
				"scope":                 {"https://www.googleapis.com/auth/sdm.service"},
				"redirect_uri":          {"https://www.google.com"},
				"client_id":             {"CLIENT_ID"},
				"state":                 {"STATE"},
				"code_challenge":        {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
				"code_challenge_method": {"S256"},
			},
		},
		{
			name:     "sdm without PKCE",
			provider: auth.SDM(),
			wantBase: "https://nestservices.google.com/partnerconnections/" + project + "/auth",
			want: map[string][]string{
				"access_type":   {"offline"},
				"prompt":        {"consent"},
				"response_type": {"code"},
				"scope":         {"https://www.googleapis.com/auth/sdm.service"},
				"redirect_uri":  {"https://www.google.com"},
				"client_id":     {"CLIENT_ID"},
				"state":         {"STATE"},
			},
		},
		{
			name:     "custom with a query, scopes and extra parameters",
			provider: custom,
			verifier: verifier,
			wantBase: "https://auth.example.com/authorize",
			want: map[string][]string{
				"audience":              {"api"},
				"access_type":           {"offline"},
				"login_hint":            {"me@example.com"},
				"response_type":         {"code"},
				"scope":                 {"openid email"},
				"redirect_uri":          {"http://127.0.0.1:8085/callback"},
				"client_id":             {"CLIENT_ID"},
				"state":                 {"STATE"},
				"code_challenge":        {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
				"code_challenge_method": {"S256"},
			},
		},
		{
			name:     "custom without scopes: no empty scope parameter",
			provider: noScopes,
			wantBase: "https://auth.example.com/authorize",
			want: map[string][]string{
				"audience":      {"api"},
				"response_type": {"code"},
				"redirect_uri":  {"http://127.0.0.1:8085/callback"},
				"client_id":     {"CLIENT_ID"},
				"state":         {"STATE"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := auth.Config{Provider: tt.provider, ClientID: "CLIENT_ID", ClientSecret: "SECRET", ProjectID: project}
			raw := c.AuthCodeURL("STATE", tt.verifier)
			if tt.wantRaw != "" && raw != tt.wantRaw {
				t.Errorf("AuthCodeURL = %q\nwant          %q", raw, tt.wantRaw)
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatalf("AuthCodeURL = %q: %v", raw, err)
			}
			if base := u.Scheme + "://" + u.Host + u.Path; base != tt.wantBase {
				t.Errorf("URL without query = %q, want %q", base, tt.wantBase)
			}
			q, err := url.ParseQuery(u.RawQuery)
			if err != nil {
				t.Fatalf("query %q: %v", u.RawQuery, err)
			}
			if got := map[string][]string(q); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("query = %v\nwant    %v", got, tt.want)
			}
			if _, ok := q["client_secret"]; ok {
				t.Error("the authorization URL carries the client secret")
			}
		})
	}
}

func TestChallenge(t *testing.T) {
	// RFC 7636 Appendix B.
	const (
		verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
		want     = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	)
	if got := auth.Challenge(verifier); got != want {
		t.Errorf("Challenge(%q) = %q, want %q", verifier, got, want)
	}
}

var (
	unreservedRE = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)
	base64URLRE  = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

func TestNewVerifier(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		v := auth.NewVerifier()
		if len(v) < 43 || len(v) > 128 {
			t.Errorf("NewVerifier() = %q: %d characters, want 43 to 128 (RFC 7636 §4.1)", v, len(v))
		}
		if !unreservedRE.MatchString(v) {
			t.Errorf("NewVerifier() = %q has characters outside [A-Za-z0-9._~-]", v)
		}
		if c := auth.Challenge(v); len(c) != 43 || !base64URLRE.MatchString(c) {
			t.Errorf("Challenge(%q) = %q, want 43 base64url characters", v, c)
		}
		if seen[v] {
			t.Fatalf("NewVerifier() returned %q twice", v)
		}
		seen[v] = true
	}
}

func TestNewState(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		s := auth.NewState()
		if !base64URLRE.MatchString(s) {
			t.Errorf("NewState() = %q is not URL-safe base64", s)
		}
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(b) != 16 {
			t.Errorf("NewState() = %q decodes to %d bytes (%v), want 16 (128 bits)", s, len(b), err)
		}
		if url.QueryEscape(s) != s {
			t.Errorf("NewState() = %q changes when put in a URL", s)
		}
		if seen[s] {
			t.Fatalf("NewState() returned %q twice", s)
		}
		seen[s] = true
	}
}

func TestLookupProvider(t *testing.T) {
	tests := []struct {
		id     string
		wantOK bool
		wantID string
	}{
		{"nest", true, "nest"},
		{"SDM", true, "sdm"},
		{"custom", true, "custom"},
		{"google", true, "google"},
		{"GitHub", true, "github"},
		{"acme", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, ok := auth.LookupProvider(tt.id)
			if ok != tt.wantOK || p.ID != tt.wantID {
				t.Errorf("LookupProvider(%q) = %q, %v; want %q, %v", tt.id, p.ID, ok, tt.wantID, tt.wantOK)
			}
		})
	}
	// The seed's provider is what the seed says it is.
	n := auth.Nest()
	if n.AuthURL != "https://home.nest.com/login/oauth2" || n.TokenURL != "https://api.home.nest.com/oauth2/access_token" ||
		!n.ShortAuthURL || n.PKCE || n.RedirectURI != "" || n.AuthStyle != auth.AuthInParams {
		t.Errorf("Nest() = %+v, not the seed's provider", n)
	}
}

func TestParseAuthStyle(t *testing.T) {
	tests := []struct {
		in         string
		want       auth.AuthStyle
		wantOK     bool
		wantString string
	}{
		{"", auth.AuthInParams, true, "post"},
		{"post", auth.AuthInParams, true, "post"},
		{"basic", auth.AuthInHeader, true, "basic"},
		{"BASIC", auth.AuthInHeader, true, "basic"},
		{"header", auth.AuthInParams, false, "post"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := auth.ParseAuthStyle(tt.in)
			if got != tt.want || ok != tt.wantOK || got.String() != tt.wantString {
				t.Errorf("ParseAuthStyle(%q) = %v (%q), %v; want %v (%q), %v", tt.in, got, got.String(), ok, tt.want, tt.wantString, tt.wantOK)
			}
		})
	}
}

func TestRefreshTokenWarning(t *testing.T) {
	if got := auth.SDM().RefreshTokenWarning(); !strings.Contains(got, "dies after 7 days") {
		t.Errorf("SDM: %q, want the 7-day warning", got)
	}
	if got := auth.Custom().RefreshTokenWarning(); got != "" {
		t.Errorf("custom: %q, want none", got)
	}
}
