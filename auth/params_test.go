package auth_test

import (
	"errors"
	"strings"
	"testing"

	"nestauth/auth"
)

func TestParseClientID(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  error
	}{
		{"0a1b2c3d-1234-5678-9abc-0123456789ab", "0a1b2c3d-1234-5678-9abc-0123456789ab", nil},
		{"123456789012-abcdefghijklmnop.apps.googleusercontent.com", "123456789012-abcdefghijklmnop.apps.googleusercontent.com", nil},
		{`"123-abc.apps.googleusercontent.com"`, "123-abc.apps.googleusercontent.com", nil},
		{"'abc'\n", "abc", nil},
		{`"123-abc.apps.googleusercontent.com",`, "123-abc.apps.googleusercontent.com", nil},
		{`  "123-abc.apps.googleusercontent.com" ,` + "\n", "123-abc.apps.googleusercontent.com", nil},
		{`'abc',`, "abc", nil},
		{`" abc "`, "abc", nil},
		{"abc\n", "abc", nil},
		{"\tabc", "abc", nil},
		{"abc\u200fdef", "abcdef", nil},
		{"", "", auth.ErrNoClientID},
		{`""`, "", auth.ErrNoClientID},
		{"abc def", "abc def", auth.ErrClientIDSpaces},
		{"a b", "a b", auth.ErrClientIDSpaces},
		{"abc\u00a0def", "abc\u00a0def", auth.ErrClientIDSpaces},
		{strings.Repeat("x", auth.MaxClientID), strings.Repeat("x", auth.MaxClientID), nil},
		{strings.Repeat("x", auth.MaxClientID+1), strings.Repeat("x", auth.MaxClientID+1), auth.ErrClientIDLong},
		{"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", "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", auth.ErrClientIDIsSecret},
		{"gocspx-1a2b3c4d5e6f7g8h9i0jKLMNOPQR", "gocspx-1a2b3c4d5e6f7g8h9i0jKLMNOPQR", auth.ErrClientIDIsSecret},
		{`"GOCSPX-abc",`, "GOCSPX-abc", auth.ErrClientIDIsSecret},
		{"GOCSPX-", "GOCSPX-", auth.ErrClientIDIsSecret}, // the prefix alone
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := auth.ParseClientID(tt.in)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("ParseClientID(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseProjectID(t *testing.T) {
	const id = "0a1b2c3d-1234-5678-9abc-0123456789ab"
	tests := []struct {
		in, want string
		wantErr  error
	}{
		{id, id, nil},
		{"0A1B2C3D-1234-5678-9ABC-0123456789AB", id, nil},
		{`"` + id + `"`, id, nil},
		{"{" + id + "}\n", id, nil},
		{" " + id, id, nil},
		{"https://console.nest.google.com/device-access/project/" + id + "/information", id, nil},
		{"enterprises/" + id, id, nil},
		{"x" + id + "0", id, nil}, // the first UUID in the text
		{"  my-project-123456 ", "my-project-123456", auth.ErrCloudProjectID},
		{"'my-project-123456'", "my-project-123456", auth.ErrCloudProjectID},
		{"nest-home-4242", "nest-home-4242", auth.ErrCloudProjectID},
		{"abcd-f", "abcd-f", auth.ErrCloudProjectID},
		{"abcd-", "abcd-", auth.ErrBadProjectID},
		{"my-project-", "my-project-", auth.ErrBadProjectID},
		{"My-project-1", "My-project-1", auth.ErrBadProjectID},
		{"1-project", "1-project", auth.ErrBadProjectID},
		{"a-" + strings.Repeat("b", 28), "a-" + strings.Repeat("b", 28), auth.ErrCloudProjectID},
		{"a-" + strings.Repeat("b", 29), "a-" + strings.Repeat("b", 29), auth.ErrBadProjectID},
		{"my_project-1", "my_project-1", auth.ErrBadProjectID},
		{"myproject123", "myproject123", auth.ErrBadProjectID},
		{"", "", auth.ErrNoProjectID},
		{"not a project", "not a project", auth.ErrBadProjectID},
		{"0a1b2c3d-1234-5678-9abc-0123456789a", "0a1b2c3d-1234-5678-9abc-0123456789a", auth.ErrBadProjectID},
		{"0a1b2c3d12345678-9abc-0123456789ab", "0a1b2c3d12345678-9abc-0123456789ab", auth.ErrBadProjectID},
		{"0a1b2c3d-1234-5678-9abc-0123456789ag", "0a1b2c3d-1234-5678-9abc-0123456789ag", auth.ErrBadProjectID},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := auth.ParseProjectID(tt.in)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("ParseProjectID(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// ParseSecret is the one place that decides whether a secret is required.
func TestParseSecret(t *testing.T) {
	tests := []struct {
		name     string
		p        auth.Provider
		in, want string
		wantErr  error
	}{
		{"plain", auth.Nest(), "s3cret", "s3cret", nil},
		{"blanks", auth.SDM(), "  s3cret\r\n", "s3cret", nil},
		{"byte order mark", auth.SDM(), "\uFEFFs3cret\n", "s3cret", nil},
		{"blank, then a byte order mark", auth.SDM(), " \uFEFF s3cret ", "s3cret", nil},
		{"inner spaces stay", auth.Nest(), " a b ", "a b", nil},
		{"empty", auth.Nest(), "", "", auth.ErrNoClientSecret},
		{"blank", auth.SDM(), " \t\n", "", auth.ErrNoClientSecret},
		{"a byte order mark alone", auth.SDM(), "\uFEFF\n", "", auth.ErrNoClientSecret},
		{"public client may have none", auth.Custom(), " ", "", nil},
		{"public client with one", auth.Custom(), " s ", "s", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.ParseSecret(tt.in)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("%s.ParseSecret(%q) = %q, %v; want %q, %v", tt.p.ID, tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestValidateEndpoint(t *testing.T) {
	tests := []struct {
		url     string
		wantErr error
	}{
		{"https://api.home.nest.com/oauth2/access_token", nil},
		{"https://example.com/token", nil},
		{"http://127.0.0.1/token", nil},
		{"http://127.0.0.1:8080/token", nil},
		{"http://127.1.2.3:8080/token", nil},
		{"http://[::1]:8080/token", nil},
		{"http://[::1]/token", nil},
		{"http://localhost/token", nil},
		{"http://LocalHost:9000/token", nil},
		{"http://example.com/token", auth.ErrInsecureURL},
		{"http://localhost.example.com/token", auth.ErrInsecureURL},
		{"http://127.0.0.1.nip.io/token", auth.ErrInsecureURL},
		{"http://0.0.0.0:8080/token", auth.ErrInsecureURL},
		{"http://192.168.1.10/token", auth.ErrInsecureURL},
		{"ftp://example.com/token", auth.ErrBadEndpointURL},
		{"/oauth2/access_token", auth.ErrBadEndpointURL},
		{"example.com/token", auth.ErrBadEndpointURL},
		{"", auth.ErrBadEndpointURL},
		{"https://exa mple.com/token", auth.ErrBadEndpointURL},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := auth.ValidateEndpoint(tt.url)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("ValidateEndpoint(%q) = %v, want %v", tt.url, err, tt.wantErr)
			}
		})
	}
}

func TestValidateEndpointPort(t *testing.T) {
	for _, ok := range []string{"https://a.example:1/t", "https://a.example:65535/t", "http://127.0.0.1:8080/t", "https://a.example/t"} {
		if err := auth.ValidateEndpoint(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"https://a.example:0/t", "https://a.example:65536/t", "http://127.0.0.1:99999/t", "https://[::1]:70000/t"} {
		if err := auth.ValidateEndpoint(bad); !errors.Is(err, auth.ErrBadPort) {
			t.Errorf("%s: %v, want ErrBadPort", bad, err)
		}
	}
	if _, err := auth.ParseRedirectURI("https://a.example:70000/cb"); !errors.Is(err, auth.ErrBadPort) {
		t.Errorf("redirect URI on port 70000: %v, want ErrBadPort", err)
	}
}

func TestParseSecretOneLine(t *testing.T) {
	if _, err := auth.Custom().ParseSecret("a\nb"); !errors.Is(err, auth.ErrSecretLines) {
		t.Errorf("a secret of two lines: %v, want ErrSecretLines", err)
	}
	if s, err := auth.Custom().ParseSecret("\uFEFFab\r\n"); s != "ab" || err != nil {
		t.Errorf("one line with its ending: %q, %v", s, err)
	}
}
