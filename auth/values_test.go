package auth

import (
	"errors"
	"slices"
	"testing"
)

func TestParseScopes(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr error
	}{
		{in: "", want: nil},
		{in: "  openid   email ", want: []string{"openid", "email"}},
		{in: "repo,gist", want: []string{"repo", "gist"}},
		{in: "https://www.googleapis.com/auth/sdm.service", want: []string{"https://www.googleapis.com/auth/sdm.service"}},
		{in: `read "write"`, wantErr: ErrBadScope},
		{in: "read wr\\ite", wantErr: ErrBadScope},
		{in: "lecture écriture", wantErr: ErrBadScope},
	}
	for _, tt := range tests {
		got, err := ParseScopes(tt.in)
		if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && !slices.Equal(got, tt.want) {
			t.Errorf("ParseScopes(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseWizardURLs(t *testing.T) {
	tests := []struct {
		name    string
		parse   func(string) (string, error)
		in      string
		want    string
		wantErr error
	}{
		{"issuer trimmed", ParseIssuer, " https://idp.example/realms/x \n", "https://idp.example/realms/x", nil},
		{"issuer empty", ParseIssuer, "  ", "", ErrNoIssuer},
		{"issuer http off loopback", ParseIssuer, "http://idp.example", "http://idp.example", ErrInsecureURL},
		{"issuer http loopback", ParseIssuer, "http://127.0.0.1:9000", "http://127.0.0.1:9000", nil},
		{"issuer with query", ParseIssuer, "https://idp.example?x=1", "https://idp.example?x=1", ErrIssuerURL},
		{"endpoint", ParseEndpoint, " https://idp.example/token ", "https://idp.example/token", nil},
		{"endpoint empty", ParseEndpoint, "", "", ErrNoEndpointURL},
		{"endpoint insecure", ParseEndpoint, "http://idp.example/token", "http://idp.example/token", ErrInsecureURL},
		{"endpoint not a URL", ParseEndpoint, "idp.example/token", "idp.example/token", ErrBadEndpointURL},
		{"redirect empty", ParseRedirectURI, " ", "", nil},
		{"redirect loopback", ParseRedirectURI, "http://127.0.0.1:8085/callback", "http://127.0.0.1:8085/callback", nil},
		{"redirect port 0", ParseRedirectURI, "http://127.0.0.1:0/cb", "http://127.0.0.1:0/cb", ErrBadRedirectPort},
		{"redirect custom scheme", ParseRedirectURI, "com.example.app:/oauth", "com.example.app:/oauth", nil},
		{"redirect relative", ParseRedirectURI, "/callback", "/callback", ErrBadRedirect},
		{"redirect fragment", ParseRedirectURI, "https://app.example/cb#x", "https://app.example/cb#x", ErrBadRedirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("= %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
