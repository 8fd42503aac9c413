// Package output puts a token where a person needs it: printed in one of
// nestauth's formats (and read back from any of them), written to a file
// with mode 0600, or shown as a QR code in the terminal.
//
// It never prints; its functions return text for main and ui to show.
package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"nestauth/auth"
)

// Formats are the values of --format, the default first.
var Formats = []string{"json", "token", "env", "header"}

// Errors of Format.
var (
	ErrUnknownFormat = errors.New("unknown format: use json, token, env or header")
	ErrBadToken      = errors.New("the token is empty or has characters that cannot be printed safely (control characters, line breaks or non-ASCII; RFC 6749 §A.12 allows printable ASCII and the space)")
	ErrNotBearer     = errors.New("the token is not a Bearer token")
	ErrNUL           = errors.New("the token holds a NUL byte, which no shell variable can")
)

// Format renders tok as format:
//
//	json    the token response as indented JSON, as exchange prints it
//	token   the access token alone, on one line
//	env     NESTAUTH_ACCESS_TOKEN=… (and NESTAUTH_REFRESH_TOKEN, NESTAUTH_EXPIRY
//	        when present), shell-quoted for eval "$(nestauth … --format env)"
//	header  an "Authorization: Bearer …" line
//
// Each ends with a newline.
func Format(tok *auth.Token, format string) (string, error) {
	switch format {
	case "json":
		b, err := JSON(tok)
		return string(b), err
	case "token":
		if !validToken(tok.AccessToken) {
			return "", ErrBadToken
		}
		return tok.AccessToken + "\n", nil
	case "header":
		h, err := Header(tok)
		if err != nil {
			return "", err
		}
		return h + "\n", nil
	case "env":
		return env(tok)
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownFormat, format)
}

// JSON is tok as indented JSON, every string made safe to show.
func JSON(tok *auth.Token) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tok); err != nil {
		return nil, err
	}
	return escapeInvisible(b.Bytes()), nil
}

// escapeInvisible writes, in JSON text, every control and format character
// (C1 controls, bidi overrides and isolates, zero-width characters) as its
// \u escape. A JSON reader gets the same string; a terminal showing the
// output is not steered by it. json.Encoder escapes only C0 controls and
// U+2028/U+2029. Outside strings JSON text is ASCII, so only strings change.
func escapeInvisible(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if r < 0x7f || !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			out.WriteRune(r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
			fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2)
		} else {
			fmt.Fprintf(&out, `\u%04x`, r)
		}
	}
	return out.Bytes()
}

// Header is the "Authorization: Bearer …" line for tok, without a newline.
func Header(tok *auth.Token) (string, error) {
	if !validToken(tok.AccessToken) {
		return "", ErrBadToken
	}
	if tok.TokenType != "" && !strings.EqualFold(tok.TokenType, "bearer") {
		return "", fmt.Errorf("%w (its type is %q)", ErrNotBearer, auth.Sanitize(tok.TokenType))
	}
	return "Authorization: Bearer " + tok.AccessToken, nil
}

// Curl is a ready curl command that calls url with tok, for a shell.
func Curl(url string, tok *auth.Token) (string, error) {
	h, err := Header(tok)
	if err != nil {
		return "", err
	}
	return "curl -sS -H " + ShellQuote(h) + " " + ShellQuote(url), nil
}

// The variables of the env format.
const (
	EnvAccessToken  = "NESTAUTH_ACCESS_TOKEN"
	EnvRefreshToken = "NESTAUTH_REFRESH_TOKEN"
	EnvExpiry       = "NESTAUTH_EXPIRY"
)

func env(tok *auth.Token) (string, error) {
	if tok.AccessToken == "" {
		return "", ErrBadToken
	}
	var b strings.Builder
	for _, v := range [][2]string{
		{EnvAccessToken, tok.AccessToken},
		{EnvRefreshToken, tok.RefreshToken},
		{EnvExpiry, expiry(tok)},
	} {
		if v[1] == "" {
			continue
		}
		if strings.ContainsRune(v[1], 0) {
			return "", ErrNUL
		}
		b.WriteString(v[0] + "=" + ShellQuote(v[1]) + "\n")
	}
	return b.String(), nil
}

func expiry(tok *auth.Token) string {
	if tok.Expiry.IsZero() {
		return ""
	}
	return tok.Expiry.UTC().Format(time.RFC3339)
}

// ShellQuote quotes s for a POSIX shell: inside single quotes nothing is
// special; at a single quote the quoting ends, a backslash escapes the
// quote, and the quoting starts again.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// validToken reports whether s may go on a line or in a header: RFC 6749
// §A.12 allows VSCHAR, printable ASCII and the space (%x20-7E); a control
// character, a line break or non-ASCII could not be printed safely.
func validToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}
