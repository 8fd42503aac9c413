package auth_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"nestauth/auth"
)

const testRefreshToken = "1//0refresh-TOKEN"

func TestRevokeRequests(t *testing.T) {
	custom := func(style auth.AuthStyle, secret string) auth.Config {
		p := auth.Custom()
		p.AuthStyle = style
		return auth.Config{Provider: p, ClientID: "id:with space", ClientSecret: secret}
	}
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape("id:with space")+":"+url.QueryEscape("s3cret/+")))
	tests := []struct {
		name string
		cfg  auth.Config
		tok  auth.Token
		want []apiRequest // Method, Path, Authorization, ContentType, Form
	}{
		{
			name: "nest: DELETE the access token's URL",
			cfg:  auth.Config{Provider: auth.Nest(), ClientSecret: testClientSecret},
			tok:  auth.Token{AccessToken: "c.abc/def"},
			want: []apiRequest{{Method: "DELETE", Path: "/revoke/c.abc%2Fdef", Form: url.Values{}}},
		},
		{
			name: "sdm: the refresh token revokes both",
			cfg:  sdmConfig(),
			tok:  auth.Token{AccessToken: testAccessToken, RefreshToken: testRefreshToken},
			want: []apiRequest{{Method: "POST", Path: "/revoke", ContentType: "application/x-www-form-urlencoded", Form: form("token", testRefreshToken)}},
		},
		{
			name: "sdm: the access token when there is no refresh token",
			cfg:  sdmConfig(),
			tok:  auth.Token{AccessToken: testAccessToken},
			want: []apiRequest{{Method: "POST", Path: "/revoke", ContentType: "application/x-www-form-urlencoded", Form: form("token", testAccessToken)}},
		},
		{
			name: "custom, post: both tokens with hints, credentials in the body",
			cfg:  custom(auth.AuthInParams, "s3cret/+"),
			tok:  auth.Token{AccessToken: testAccessToken, RefreshToken: testRefreshToken},
			want: []apiRequest{
				{Method: "POST", Path: "/revoke", ContentType: "application/x-www-form-urlencoded",
					Form: form("token", testRefreshToken, "token_type_hint", "refresh_token", "client_id", "id:with space", "client_secret", "s3cret/+")},
				{Method: "POST", Path: "/revoke", ContentType: "application/x-www-form-urlencoded",
					Form: form("token", testAccessToken, "token_type_hint", "access_token", "client_id", "id:with space", "client_secret", "s3cret/+")},
			},
		},
		{
			name: "custom, basic: credentials in the header only",
			cfg:  custom(auth.AuthInHeader, "s3cret/+"),
			tok:  auth.Token{AccessToken: testAccessToken},
			want: []apiRequest{{Method: "POST", Path: "/revoke", Authorization: basic, ContentType: "application/x-www-form-urlencoded",
				Form: form("token", testAccessToken, "token_type_hint", "access_token")}},
		},
		{
			name: "custom, public client: client_id alone",
			cfg:  custom(auth.AuthInHeader, ""),
			tok:  auth.Token{AccessToken: testAccessToken},
			want: []apiRequest{{Method: "POST", Path: "/revoke", ContentType: "application/x-www-form-urlencoded",
				Form: form("token", testAccessToken, "token_type_hint", "access_token", "client_id", "id:with space")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete {
					w.WriteHeader(http.StatusNoContent)
				}
			})
			err := revoke(context.Background(), tt.cfg, endpoints{RevokeURL: srv.URL + "/revoke"}, &tt.tok)
			if err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			var got []apiRequest
			for _, r := range srv.Requests() {
				r.Body = ""
				got = append(got, r)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("requests:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRevokeRefused(t *testing.T) {
	tests := []struct {
		name       string
		cfg        auth.Config
		status     int
		body       string
		wantKind   auth.Kind
		wantAdvice string
	}{
		{name: "Google: already revoked", cfg: sdmConfig(), status: 400,
			body: `{"error":"invalid_token","error_description":"Token expired or revoked"}`, wantKind: auth.KindCode, wantAdvice: "already expired or revoked"},
		{name: "Nest: unknown token", cfg: auth.Config{Provider: auth.Nest()}, status: 404,
			body: `{"error":"not found"}`, wantKind: auth.KindCode, wantAdvice: "already expired or revoked"},
		{name: "custom: invalid_client", cfg: auth.Config{Provider: auth.Custom(), ClientID: "c", ClientSecret: testClientSecret}, status: 401,
			body: `{"error":"invalid_client","error_description":"bad secret ` + testClientSecret + `"}`, wantKind: auth.KindSecret, wantAdvice: "auth-style"},
		{name: "custom: unsupported_token_type", cfg: auth.Config{Provider: auth.Custom()}, status: 400,
			body: `{"error":"unsupported_token_type"}`, wantKind: auth.KindRequest, wantAdvice: "unsupported_token_type"},
		{name: "Google: 503", cfg: sdmConfig(), status: 503, body: `<html>busy</html>`, wantKind: auth.KindServer, wantAdvice: "try again"},
		{name: "Nest: 401", cfg: auth.Config{Provider: auth.Nest()}, status: 401,
			body: `{"error":"unauthorized"}`, wantKind: auth.KindCode, wantAdvice: "already expired or revoked"},
		{name: "Nest: 400", cfg: auth.Config{Provider: auth.Nest()}, status: 400,
			body: `{"error":"bad request"}`, wantKind: auth.KindCode, wantAdvice: "already expired or revoked"},
		{name: "custom: 401 without a code", cfg: auth.Config{Provider: auth.Custom()}, status: 401,
			body: `<html>Unauthorized</html>`, wantKind: auth.KindSecret, wantAdvice: "did not accept the client"},
		{name: "custom: 500 without a code", cfg: auth.Config{Provider: auth.Custom()}, status: 500,
			body: `<html>oops</html>`, wantKind: auth.KindServer, wantAdvice: "try again"},
		{name: "custom: unauthorized_client", cfg: auth.Config{Provider: auth.Custom()}, status: 400,
			body: `{"error":"unauthorized_client"}`, wantKind: auth.KindClientID, wantAdvice: "issued to another client"},
		{name: "custom: no endpoint there", cfg: auth.Config{Provider: auth.Custom()}, status: 404,
			body: `<html>Not Found</html>`, wantKind: auth.KindRequest, wantAdvice: "no revocation endpoint at this URL"},
		{name: "custom: 400 without a code", cfg: auth.Config{Provider: auth.Custom()}, status: 400,
			body: `<html>Bad Request</html>`, wantKind: auth.KindRequest, wantAdvice: "called the request malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAPIServer(t, replyJSON(tt.status, tt.body))
			tok := &auth.Token{AccessToken: testAccessToken, RefreshToken: testRefreshToken}
			err := revoke(context.Background(), tt.cfg, endpoints{RevokeURL: srv.URL + "/revoke"}, tok)
			var e *auth.Error
			if !errors.As(err, &e) || e.Kind != tt.wantKind || e.Status != tt.status {
				t.Fatalf("error = %#v, want kind %v, status %d", err, tt.wantKind, tt.status)
			}
			if got := auth.Advice(err); !strings.Contains(got, tt.wantAdvice) {
				t.Errorf("Advice = %q, want it to contain %q", got, tt.wantAdvice)
			}
			if text := err.Error(); strings.Contains(text, testClientSecret) || strings.Contains(text, testAccessToken) {
				t.Errorf("error text %q shows a secret", text)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("the endpoint got %d requests, want 1 (no second try after a refusal)", n)
			}
		})
	}
}

func TestRevokeFollowsNoRedirect(t *testing.T) {
	elsewhere := newAPIServer(t, nil)
	srv := newAPIServer(t, redirectTo(elsewhere.URL+"/revoke"))
	err := revoke(context.Background(), sdmConfig(), endpoints{RevokeURL: srv.URL}, &auth.Token{AccessToken: testAccessToken})
	if auth.ErrorKind(err) != auth.KindServer || !strings.Contains(err.Error(), "redirects to") {
		t.Errorf("error = %v, want a server error naming the redirect", err)
	}
	if n := len(elsewhere.Requests()); n != 0 {
		t.Errorf("the redirect target got %d requests, want none", n)
	}
}

func TestRevokeNetworkErrorHidesTheToken(t *testing.T) {
	srv := newAPIServer(t, nil)
	dead := srv.URL
	srv.Close()
	err := revoke(context.Background(), auth.Config{Provider: auth.Nest()}, endpoints{RevokeURL: dead}, &auth.Token{AccessToken: testAccessToken})
	if auth.ErrorKind(err) != auth.KindNetwork {
		t.Fatalf("error = %v, want a network error", err)
	}
	if strings.Contains(err.Error(), testAccessToken) || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error text %q shows the token in the URL, or hides it without saying", err.Error())
	}
}

func TestRevokeUsage(t *testing.T) {
	tests := []struct {
		name string
		cfg  auth.Config
		ep   endpoints
		tok  *auth.Token
		want error
	}{
		{name: "no token", cfg: sdmConfig(), tok: nil, want: auth.ErrNoToken},
		{name: "empty token", cfg: sdmConfig(), tok: &auth.Token{}, want: auth.ErrNoToken},
		{name: "nest without an access token", cfg: auth.Config{Provider: auth.Nest()}, tok: &auth.Token{RefreshToken: "r3fresh"}, want: auth.ErrNoAccessToken},
		{name: "a space in the refresh token", cfg: sdmConfig(), tok: &auth.Token{AccessToken: "ok-token", RefreshToken: "a b"}, want: auth.ErrBadToken},
		{name: "custom without a revocation URL", cfg: auth.Config{Provider: auth.Custom()}, tok: &auth.Token{AccessToken: "t0ken"}, want: auth.ErrNoRevokeURL},
		{name: "plain http off this machine", cfg: sdmConfig(), ep: endpoints{RevokeURL: "http://revoke.example/"}, tok: &auth.Token{AccessToken: "t0ken"}, want: auth.ErrInsecureURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := revoke(context.Background(), tt.cfg, tt.ep, tt.tok)
			if auth.ErrorKind(err) != auth.KindUsage || !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want a usage error wrapping %v", err, tt.want)
			}
		})
	}
}

func TestRevokeTarget(t *testing.T) {
	tests := []struct {
		cfg  auth.Config
		want string
	}{
		{sdmConfig(), "https://oauth2.googleapis.com/revoke"},
		{auth.Config{Provider: auth.Nest()}, "https://api.home.nest.com/oauth2/access_tokens"},
	}
	for _, tt := range tests {
		if got, err := tt.cfg.RevokeTarget(); err != nil || got != tt.want {
			t.Errorf("RevokeTarget(%s) = %q, %v; want %q", tt.cfg.ID, got, err, tt.want)
		}
	}
}
