package output

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
)

var testExpiry = time.Date(2036, 11, 26, 10, 0, 0, 0, time.UTC)

func TestFormat(t *testing.T) {
	full := &auth.Token{AccessToken: "c.ACCESS", TokenType: "Bearer", RefreshToken: "1//REFRESH", Scope: "a b", ExpiresIn: 3600, Expiry: testExpiry}
	bare := &auth.Token{AccessToken: "c.ACCESS"}
	tests := []struct {
		name, format string
		tok          *auth.Token
		want         string
	}{
		{"token", "token", full, "c.ACCESS\n"},
		{"header", "header", full, "Authorization: Bearer c.ACCESS\n"},
		{"header without a type", "header", bare, "Authorization: Bearer c.ACCESS\n"},
		{"env, all", "env", full, "NESTAUTH_ACCESS_TOKEN='c.ACCESS'\nNESTAUTH_REFRESH_TOKEN='1//REFRESH'\nNESTAUTH_EXPIRY='2036-11-26T10:00:00Z'\n"},
		{"env, access token only", "env", bare, "NESTAUTH_ACCESS_TOKEN='c.ACCESS'\n"},
		{"json", "json", full, `{
  "access_token": "c.ACCESS",
  "token_type": "Bearer",
  "refresh_token": "1//REFRESH",
  "scope": "a b",
  "expires_in": 3600,
  "expiry": "2036-11-26T10:00:00Z"
}
`},
		{"json, bare", "json", bare, "{\n  \"access_token\": \"c.ACCESS\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format(tt.tok, tt.format)
			if err != nil || got != tt.want {
				t.Errorf("Format(%s) = %q, %v; want %q", tt.format, got, err, tt.want)
			}
		})
	}
}

// RFC 6749 §A.12: access-token = 1*VSCHAR, and VSCHAR is %x20-7E: a token
// may hold spaces and any printable ASCII, and every format prints it.
func TestFormatEveryVSCHAR(t *testing.T) {
	var vschar strings.Builder
	for c := byte(0x20); c <= 0x7e; c++ {
		vschar.WriteByte(c)
	}
	for _, v := range []string{"a b", " leading and trailing ", vschar.String()} {
		tok := &auth.Token{AccessToken: v, TokenType: "Bearer"}
		for format, want := range map[string]string{"token": v + "\n", "header": "Authorization: Bearer " + v + "\n"} {
			if got, err := Format(tok, format); err != nil || got != want {
				t.Errorf("Format(%q, %s) = %q, %v; want %q", v, format, got, err, want)
			}
		}
		if _, err := Format(tok, "env"); err != nil {
			t.Errorf("Format(%q, env): %v", v, err)
		}
		out, _ := Format(tok, "json")
		if back, err := Parse([]byte(out)); err != nil || back.AccessToken != v {
			t.Errorf("Parse(Format(%q, json)) = %+v, %v", v, back, err)
		}
	}
}

func TestFormatRefuses(t *testing.T) {
	tests := []struct {
		name, format string
		tok          *auth.Token
		want         error
	}{
		{"unknown format", "yaml", &auth.Token{AccessToken: "x"}, ErrUnknownFormat},
		{"newline in a token line", "token", &auth.Token{AccessToken: "a\nb"}, ErrBadToken},
		{"CR LF in a header", "header", &auth.Token{AccessToken: "a\r\nX-Evil: 1"}, ErrBadToken},
		{"not a bearer token", "header", &auth.Token{AccessToken: "abc", TokenType: "mac"}, ErrNotBearer},
		{"NUL in env", "env", &auth.Token{AccessToken: "a\x00b"}, ErrNUL},
		{"empty env", "env", &auth.Token{}, ErrBadToken},
		{"empty token line", "token", &auth.Token{}, ErrBadToken},
		{"non-ASCII in a token line", "token", &auth.Token{AccessToken: "caf\u00e9"}, ErrBadToken},
		{"DEL in a header", "header", &auth.Token{AccessToken: "a\x7fb"}, ErrBadToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Format(tt.tok, tt.format); !errors.Is(err, tt.want) {
				t.Errorf("Format = %q, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// A JSON reader gets the server's strings back; a terminal sees no C1
// control, bidi override or zero-width character.
func TestFormatJSONEscapesInvisible(t *testing.T) {
	tok := &auth.Token{AccessToken: "abc", Scope: "read\u202ewrite\u0085\u200b\U000e0001\x7f ok"}
	out, err := Format(tok, "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out {
		if r == '\u202e' || r == '\u0085' || r == '\u200b' || r == '\U000e0001' || r == '\x7f' {
			t.Errorf("output holds %U raw: %s", r, out)
		}
	}
	if !strings.Contains(out, `read\u202ewrite\u0085\u200b\udb40\udc01\u007f ok`) {
		t.Errorf("output %s lacks the \\u escapes", out)
	}
	var back auth.Token
	if err := json.Unmarshal([]byte(out), &back); err != nil || back.Scope != tok.Scope {
		t.Errorf("read back %q, %v; want %q", back.Scope, err, tok.Scope)
	}
}

// hostile are values a server could send, each a way out of naive quoting.
var hostile = []string{
	`it's`,
	`'; touch pwned; '`,
	`$(touch pwned)`,
	"`touch pwned`",
	"line one\nline two\n",
	`"$HOME" \' \\ \n`,
	`'\''`,
	"${IFS}; rm -rf ~ #",
	`a'b"c$d` + "`e\\f",
	"\x1b]52;c;aGk=\x07 é 🙂",
	"",
}

// TestFormatEnvEvalIsSafe runs the env format through eval in sh: each value
// comes back byte for byte, and nothing runs.
func TestFormatEnvEvalIsSafe(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh to eval with: %v", err)
	}
	for i, v := range hostile {
		dir := t.TempDir()
		tok := &auth.Token{AccessToken: "safe-access", RefreshToken: v}
		if v != "" {
			tok.AccessToken = v
		}
		out, err := Format(tok, "env")
		if err != nil {
			t.Fatalf("Format(env, %q): %v", v, err)
		}
		file := filepath.Join(dir, "env")
		if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]string{EnvAccessToken: tok.AccessToken, EnvRefreshToken: tok.RefreshToken} {
			cmd := exec.Command(sh, "-c", `eval "$(cat "$1")"; printf %s "$`+name+`"`, "sh", file)
			cmd.Dir = dir
			got, err := cmd.Output()
			if err != nil {
				t.Fatalf("value %d: eval failed: %v\n%s", i, err, out)
			}
			// $(…) drops trailing newlines of the file, not of a quoted value.
			if string(got) != want {
				t.Errorf("value %d: $%s = %q, want %q", i, name, got, want)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("value %d: eval created files: %v", i, entries)
		}
		// Parse takes back what is a token, and refuses what is not.
		back, err := Parse([]byte(out))
		switch {
		case !validToken(tok.AccessToken) || tok.RefreshToken != "" && !validToken(tok.RefreshToken):
			if !errors.Is(err, ErrBadToken) {
				t.Errorf("value %d: Parse(env) = %+v, %v; want ErrBadToken", i, back, err)
			}
		case err != nil || back.AccessToken != tok.AccessToken || back.RefreshToken != tok.RefreshToken:
			t.Errorf("value %d: Parse(env) = %+v, %v; want %+v", i, back, err, tok)
		}
	}
}

func TestParse(t *testing.T) {
	full := &auth.Token{AccessToken: "c.ACCESS", TokenType: "Bearer", RefreshToken: "1//REFRESH", Scope: "a b", ExpiresIn: 3600, Expiry: testExpiry}
	tests := []struct {
		name, in string
		want     *auth.Token
	}{
		{"raw token", "c.ACCESS\n", &auth.Token{AccessToken: "c.ACCESS"}},
		{"raw token with a BOM and blanks", "\uFEFF  c.ACCESS \r\n", &auth.Token{AccessToken: "c.ACCESS"}},
		{"header line", "Authorization: Bearer c.ACCESS\n", &auth.Token{AccessToken: "c.ACCESS", TokenType: "Bearer"}},
		{"bearer alone", "bearer c.ACCESS", &auth.Token{AccessToken: "c.ACCESS", TokenType: "Bearer"}},
		{"env with export", "export NESTAUTH_ACCESS_TOKEN='c.ACCESS'\n", &auth.Token{AccessToken: "c.ACCESS"}},
		{"env unquoted", "NESTAUTH_ACCESS_TOKEN=c.ACCESS\n", &auth.Token{AccessToken: "c.ACCESS"}},
		{"refresh token only (JSON)", `{"refresh_token":"1//R"}`, &auth.Token{RefreshToken: "1//R"}},
	}
	for _, f := range []string{"json", "env"} {
		out, err := Format(full, f)
		if err != nil {
			t.Fatal(err)
		}
		want := *full
		if f == "env" {
			want = auth.Token{AccessToken: full.AccessToken, RefreshToken: full.RefreshToken, Expiry: full.Expiry}
		}
		tests = append(tests, struct {
			name, in string
			want     *auth.Token
		}{"what Format " + f + " writes", out, &want})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !got.Expiry.Equal(tt.want.Expiry) {
				t.Errorf("Expiry = %v, want %v", got.Expiry, tt.want.Expiry)
			}
			got.Expiry, tt.want.Expiry = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", " \n", ErrNoToken},
		{"a control character", "abc\x01def", ErrBadToken},
		{"JSON without a token", `{"error":"invalid_grant"}`, ErrNoToken},
		{"broken JSON", `{"access_token":`, ErrBadJSON},
		{"two JSON values", `{"access_token":"a"} {}`, ErrBadJSON},
		{"open quote", "NESTAUTH_ACCESS_TOKEN='abc\n", ErrBadEnvQuote},
		{"control character in JSON", `{"access_token":"a\u001bb"}`, ErrBadToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Parse([]byte(tt.in)); !errors.Is(err, tt.want) {
				t.Errorf("Parse = %+v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestCurl(t *testing.T) {
	got, err := Curl("https://smartdevicemanagement.googleapis.com/v1/enterprises/P/devices", &auth.Token{AccessToken: "ya29.a'b"})
	want := `curl -sS -H 'Authorization: Bearer ya29.a'\''b' 'https://smartdevicemanagement.googleapis.com/v1/enterprises/P/devices'`
	if err != nil || got != want {
		t.Errorf("Curl = %q, %v; want %q", got, err, want)
	}
}
