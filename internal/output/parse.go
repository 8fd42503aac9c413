package output

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"nestauth/auth"
)

// Errors of Parse.
var (
	ErrNoToken     = errors.New("no token found: give the access token alone, or what nestauth printed or wrote (json, env or header)")
	ErrBadJSON     = errors.New("the JSON is not a token response")
	ErrBadEnvQuote = errors.New("a NESTAUTH_ variable's quotes do not close")
)

// Parse reads a token as --token-file or stdin gives it: the raw access
// token, or any format Format writes (json, env, header). Parse(Format(t, f))
// gives t back, its expiry to the second.
func Parse(data []byte) (*auth.Token, error) {
	s := strings.TrimSpace(strings.TrimPrefix(string(data), "\uFEFF"))
	var tok *auth.Token
	var err error
	switch {
	case strings.HasPrefix(s, "{"):
		tok, err = parseJSON(s)
	case strings.HasPrefix(s, "NESTAUTH_"), strings.HasPrefix(s, "export NESTAUTH_"):
		tok, err = parseEnv(s)
	default:
		tok = &auth.Token{AccessToken: s}
		if v, ok := cutFold(s, "authorization:"); ok {
			s = v
		}
		if v, ok := cutFold(s, "bearer "); ok {
			tok = &auth.Token{AccessToken: v, TokenType: "Bearer"}
		}
	}
	switch {
	case err != nil:
		return nil, err
	case tok.AccessToken == "" && tok.RefreshToken == "":
		return nil, ErrNoToken
	case tok.AccessToken != "" && !validToken(tok.AccessToken), tok.RefreshToken != "" && !validToken(tok.RefreshToken):
		return nil, ErrBadToken
	}
	return tok, nil
}

// cutFold is s without a case-insensitive prefix, trimmed.
func cutFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return strings.TrimSpace(s[len(prefix):]), true
}

func parseJSON(s string) (*auth.Token, error) {
	var tok auth.Token
	dec := json.NewDecoder(strings.NewReader(s))
	if err := dec.Decode(&tok); err != nil {
		return nil, ErrBadJSON
	}
	if dec.More() {
		return nil, ErrBadJSON
	}
	return &tok, nil
}

// parseEnv reads the env format: NAME=value assignments, one a line, where
// a value is single-quoted pieces joined by \' (ShellQuote's output, which
// may span lines) or a bare word.
func parseEnv(s string) (*auth.Token, error) {
	tok := &auth.Token{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		s = strings.TrimPrefix(s, "export ")
		name, rest, ok := strings.Cut(s, "=")
		if !ok || strings.ContainsAny(name, " \t\n") {
			return nil, ErrNoToken
		}
		value, rest, err := shellWord(rest)
		if err != nil {
			return nil, err
		}
		s = rest
		switch name {
		case EnvAccessToken:
			tok.AccessToken = value
		case EnvRefreshToken:
			tok.RefreshToken = value
		case EnvExpiry:
			if t, err := time.Parse(time.RFC3339, value); err == nil {
				tok.Expiry = t
			}
		}
	}
	return tok, nil
}

// shellWord reads one word as ShellQuote writes it, up to an unquoted blank:
// single-quoted pieces, \' and bare characters. It returns the rest.
func shellWord(s string) (word, rest string, err error) {
	var b strings.Builder
	for s != "" {
		switch {
		case s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r':
			return b.String(), s, nil
		case strings.HasPrefix(s, `\'`):
			b.WriteByte('\'')
			s = s[2:]
		case s[0] == '\'':
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				return "", "", ErrBadEnvQuote
			}
			b.WriteString(s[1 : 1+end])
			s = s[2+end:]
		default:
			b.WriteByte(s[0])
			s = s[1:]
		}
	}
	return b.String(), "", nil
}
