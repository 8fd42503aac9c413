package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"nestauth/auth"
)

func (a *app) newCmdRevoke() *cobra.Command {
	c := &command{name: "revoke", callsAPI: true, loadsProfile: true}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "revoke",
		Short: "Make a token unusable at the provider",
		Long: `Make a token unusable at the provider.

The token comes from --token-file F, else stdin, as for check; with
--profile NAME and no --token-file, the saved profile's tokens.
  sdm     POST https://oauth2.googleapis.com/revoke (RFC 7009), the refresh
          token when there is one (its access tokens die with it)
  nest    DELETE https://api.home.nest.com/oauth2/access_tokens/TOKEN
  custom  RFC 7009 at --revoke-url, with --client-id (and the secret from
          NESTAUTH_CLIENT_SECRET or --client-secret-file, if any)
Says on stderr what was revoked; stdout stays empty.

Exit codes: 0 revoked, 2 usage, 3 the token is already expired or revoked,
4 the client was refused, 5 network or server error.`,
		Example: `  nestauth revoke --provider sdm --token-file token.json
  nestauth revoke --provider custom --client-id ID --revoke-url URL < token.json`,
	}
	o.client.addFlags(cmd)
	o.providerFlags.addFlags(cmd)
	o.providerFlags.addAPIFlags(cmd)
	addTimeoutFlag(cmd, &o.timeout, "time limit of the revocation request")
	o.addProfileFlag(cmd, a.getenv, "revoke the tokens of this saved profile")
	cmd.Flags().StringVar(&o.tokenFile, "token-file", "", "read the token from this file (else stdin)")
	return a.add(cmd, c, o, a.runRevoke)
}

// runRevoke makes a token unusable at the provider and says so on stderr.
func (a *app) runRevoke(o *options) int {
	stdin, stderr := a.stdin, a.stderr
	cfg := o.config()
	if o.saved != nil && o.tokenFromProfile() {
		var why string
		if cfg.RevokeURL, why = revokeEndpoint(*o.saved, o.providerFlags.revokeURL); cfg.RevokeURL == "" {
			failf(stderr, "profile %s has no revocation endpoint%s: nothing was revoked. Give one with --revoke-url URL.", o.profile, why)
			return exitUsage
		}
	}
	if _, err := cfg.RevokeTarget(); err != nil {
		return usageFailed(stderr, o.cmd, err)
	}
	if cfg.ID == "custom" && cfg.ClientID == "" {
		return usageFailed(stderr, o.cmd, errors.New("revoke --provider custom needs --client-id: RFC 7009 sends it with the token"))
	}
	tok, err := o.tokenToUse(context.Background(), stdin, stderr, false)
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
