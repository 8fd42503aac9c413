package cli

import (
	"context"
	"errors"
	"io"

	"nestauth/auth"
)

// runRevoke makes a token unusable at the provider and says so on stderr.
func runRevoke(o *options, stdin io.Reader, stderr io.Writer) int {
	cfg := o.config()
	if _, err := cfg.RevokeTarget(); err != nil {
		return usageFailed(stderr, "revoke", err)
	}
	if cfg.ID == "custom" && cfg.ClientID == "" {
		return usageFailed(stderr, "revoke", errors.New("revoke --provider custom needs --client-id: RFC 7009 sends it with the token"))
	}
	tok, err := o.tokenToUse(stdin, stderr, false)
	if err != nil && o.tokenFromProfile() {
		return o.profileTokenFailed(err, stderr)
	}
	if err != nil {
		failf(stderr, "%v", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	if err := auth.Revoke(ctx, cfg, tok); err != nil {
		return printNestAPIError(o, stderr, err)
	}
	say(stderr, "nestauth: revoked: "+revokedWhat(cfg.ID, tok))
	return exitOK
}

// revokedWhat says what Revoke made unusable.
func revokedWhat(provider string, tok *auth.Token) string {
	if tok.RefreshToken == "" || provider == "nest" {
		return "the access token no longer works."
	}
	return "the refresh token, and the access tokens issued with it, no longer work."
}
