package fakenest_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/auth/fakenest"
)

// apiConfig is the seed's provider with its API and revocation at the fake.
func apiConfig(s *fakenest.Server) auth.Config {
	cfg := config(s)
	cfg.APIURL, cfg.RevokeURL = s.APIURL(), s.RevokeURL()
	return cfg
}

func get(t *testing.T, url, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// The API root sends a token it knows on to the per-user host, another
// origin, which answers only when the token comes along.
func TestAPIRedirectsToThePerUserHost(t *testing.T) {
	s := start(t, "")
	tok := s.IssueToken()
	if !strings.HasPrefix(s.UserURL(), "http://127.0.0.1:") || s.UserURL() == s.URL {
		t.Fatalf("UserURL() = %q, want another loopback origin than %q", s.UserURL(), s.URL)
	}
	tests := []struct {
		name, url, token string
		status           int
		location         string
	}{
		{"root, token", s.APIURL() + "/", tok, http.StatusTemporaryRedirect, s.UserURL() + "/"},
		{"root, no token", s.APIURL() + "/", "", http.StatusUnauthorized, ""},
		{"root, unknown token", s.APIURL() + "/", "c.unknown", http.StatusUnauthorized, ""},
		{"per-user host, token", s.UserURL() + "/", tok, http.StatusOK, ""},
		{"per-user host, header dropped", s.UserURL() + "/", "", http.StatusUnauthorized, ""},
		{"per-user host, other path", s.UserURL() + "/devices", tok, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		resp := get(t, tt.url, tt.token)
		if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
			t.Errorf("%s: %d to %q, want %d to %q", tt.name, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
		}
	}
}

// auth.Check follows the redirect with the token and reads the demo data.
func TestAPICheck(t *testing.T) {
	s := start(t, "")
	res, err := auth.Check(context.Background(), apiConfig(s), s.IssueToken())
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := []auth.Device{{Type: "THERMOSTAT", Name: fakenest.DemoThermostat, Room: fakenest.DemoRoom}}
	if !reflect.DeepEqual(res.Devices, want) || !reflect.DeepEqual(res.Structures, []string{fakenest.DemoStructure}) || res.Via != s.UserURL() {
		t.Errorf("Check = %+v, want %+v in %q via %q", res, want, fakenest.DemoStructure, s.UserURL())
	}
}

// A revoked token is refused by the API; revoking it again is a 404.
func TestAPIRevoke(t *testing.T) {
	s := start(t, "")
	cfg := apiConfig(s)
	tok := s.IssueToken()
	other := s.IssueToken()
	if err := auth.Revoke(context.Background(), cfg, &auth.Token{AccessToken: tok}); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if s.TokenValid(tok) || !s.TokenValid(other) {
		t.Fatalf("after revoking one token: valid %v and %v, want false and true", s.TokenValid(tok), s.TokenValid(other))
	}
	_, err := auth.Check(context.Background(), cfg, tok)
	var e *auth.Error
	if !errors.As(err, &e) || e.Kind != auth.KindCode || e.Status != http.StatusUnauthorized || !strings.Contains(auth.Advice(err), "revoked") {
		t.Errorf("Check of a revoked token = %v (advice %q), want a 401 of KindCode that says revoked", err, auth.Advice(err))
	}
	err = auth.Revoke(context.Background(), cfg, &auth.Token{AccessToken: tok})
	if !errors.As(err, &e) || e.Kind != auth.KindCode || e.Status != http.StatusNotFound {
		t.Errorf("revoking again = %v, want a 404 of KindCode", err)
	}
	if _, err := auth.Check(context.Background(), cfg, other); err != nil {
		t.Errorf("the other token: %v", err)
	}
}

// A token from the code exchange works with the API.
func TestAPITokenFromExchange(t *testing.T) {
	s := start(t, "")
	cfg := apiConfig(s)
	tok, err := cfg.Exchange(context.Background(), s.IssueCode(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Check(context.Background(), cfg, tok.AccessToken); err != nil {
		t.Errorf("Check of an exchanged token: %v", err)
	}
}
