package auth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// RevokeTarget is the revocation endpoint Revoke uses for cfg: --revoke-url,
// else the provider's. Nest's takes the token as the last path element.
func (cfg Config) RevokeTarget() (string, error) {
	u, err := cfg.revokeTarget()
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

func (cfg Config) revokeTarget() (*url.URL, error) {
	switch cfg.ID {
	case "sdm":
		return endpoint(cfg.RevokeURL, SDMRevokeURL, nil)
	case "nest":
		return endpoint(cfg.RevokeURL, NestRevokeURL, nil)
	}
	return endpoint(cfg.RevokeURL, "", ErrNoRevokeURL)
}

// Revoke makes tok unusable at the provider. nest: DELETE on the access
// token's URL. sdm: Google's RFC 7009 endpoint with the refresh token when
// there is one (which revokes its access tokens too), else the access token.
// custom: RFC 7009 with token_type_hint and the client authentication of the
// token endpoint (cfg.AuthStyle), the refresh token first, then the access
// token. A 2xx answer is success (RFC 7009: even for a token the server does
// not know). Errors are *Error as Check's: KindCode when the server calls the
// token invalid or unknown, KindSecret or KindClientID when it refuses the
// client, KindRequest for other 4xx, KindNetwork and KindServer otherwise.
func Revoke(ctx context.Context, cfg Config, tok *Token) error {
	target, err := cfg.revokeTarget()
	switch {
	case err != nil:
		return &Error{Kind: KindUsage, Err: err}
	case tok == nil || tok.AccessToken == "" && tok.RefreshToken == "":
		return &Error{Kind: KindUsage, Err: ErrNoToken}
	case !printableASCII(tok.AccessToken), !printableASCII(tok.RefreshToken):
		return &Error{Kind: KindUsage, Err: ErrBadToken}
	}
	red := newRedactor(cfg.ClientID, cfg.ClientSecret, tok.AccessToken, tok.RefreshToken)
	hc := apiClient(cfg)
	switch cfg.ID {
	case "nest":
		if tok.AccessToken == "" {
			return &Error{Kind: KindUsage, Err: ErrNoAccessToken}
		}
		req, err := http.NewRequest(http.MethodDelete, tokenPath(target, tok.AccessToken), nil)
		if err != nil {
			return &Error{Kind: KindUsage, Err: err}
		}
		return revokeOnce(ctx, hc, req, red, "nest")
	case "sdm":
		token := tok.RefreshToken
		if token == "" {
			token = tok.AccessToken
		}
		return revokeOnce(ctx, hc, formRequest(target, url.Values{"token": {token}}), red, "sdm")
	}
	for _, t := range []struct{ value, hint string }{
		{tok.RefreshToken, "refresh_token"}, {tok.AccessToken, "access_token"},
	} {
		if t.value == "" {
			continue
		}
		form := url.Values{"token": {t.value}, "token_type_hint": {t.hint}}
		if cfg.AuthStyle != AuthInHeader || cfg.ClientSecret == "" {
			form.Set("client_id", cfg.ClientID)
			if cfg.ClientSecret != "" {
				form.Set("client_secret", cfg.ClientSecret)
			}
		}
		req := formRequest(target, form)
		if cfg.AuthStyle == AuthInHeader && cfg.ClientSecret != "" {
			// RFC 6749 §2.3.1: both form-encoded, as x/oauth2 sends them.
			req.SetBasicAuth(url.QueryEscape(cfg.ClientID), url.QueryEscape(cfg.ClientSecret))
		}
		if err := revokeOnce(ctx, hc, req, red, "custom"); err != nil {
			return err
		}
	}
	return nil
}

// tokenPath is base with the token as one more path element, escaped
// whole: a "/" or ".." in it stays inside that element.
func tokenPath(base *url.URL, token string) string {
	u := *base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + token
	u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + "/" + url.PathEscape(token)
	return u.String()
}

func formRequest(target *url.URL, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, target.String(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func revokeOnce(ctx context.Context, hc *http.Client, req *http.Request, red redactor, provider string) error {
	req.Header.Set("Accept", "application/json")
	a, err := send(ctx, hc, req, red)
	if err != nil {
		return err
	}
	status := a.resp.StatusCode
	if is2xx(status) {
		return nil
	}
	code, _, _ := serverText(a.body)
	kind, advice := revokeKind(provider, status, code)
	return refusal(a, red, kind, advice)
}

// revokeKind reads a refused revocation: RFC 7009 §2.2.1 errors, Google's
// invalid_token for a token already dead, Nest's statuses.
func revokeKind(provider string, status int, code string) (Kind, string) {
	switch {
	case code == "invalid_token", provider == "nest" && (status == http.StatusNotFound || status == http.StatusUnauthorized || status == http.StatusBadRequest):
		return KindCode, "The server says the token is already expired or revoked, or was never valid: it cannot be used, and there is nothing left to revoke."
	case code == "invalid_client", code == "" && status == http.StatusUnauthorized:
		return KindSecret, "The revocation endpoint did not accept the client: check the client ID and secret, or try the other --auth-style (basic or post)."
	case code == "unauthorized_client":
		return KindClientID, "The client may not revoke this token: it was issued to another client."
	case code == "unsupported_token_type":
		return KindRequest, "The server cannot revoke this kind of token (RFC 7009 unsupported_token_type)."
	case status == http.StatusTooManyRequests, status >= 500, status < 400:
		return KindServer, "The revocation endpoint failed: wait a moment and try again."
	case status == http.StatusNotFound:
		return KindRequest, "There is no revocation endpoint at this URL: check --revoke-url."
	}
	return KindRequest, "The revocation endpoint called the request malformed: check --revoke-url."
}
