package cli

import (
	"cmp"
	"context"

	"github.com/spf13/cobra"
)

func (a *app) newCmdRefresh() *cobra.Command {
	c := &command{name: "refresh", writesToken: true, sendsClient: true, saveNeedsIt: true, refreshes: true,
		saveAgain: "To save a profile, run refresh --save again once the store works, or with --store file (with the refresh token printed, if the server sent a new one)."}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "refresh",
		Short: "Trade a refresh token for a new access token",
		Long: `Trade a refresh token for a new access token.

The client secret comes from NESTAUTH_CLIENT_SECRET or --client-secret-file;
the refresh token from --refresh-token-file F, else stdin. Prints the token
response as JSON on stdout, like exchange; --format and --output (with
--force) as for exchange. --save saves the result as a profile, for nestauth
token. Works with Nest (--provider nest) never issued refresh tokens.

Exit codes: 0 ok, 1 the token could not be written to stdout, or --save
failed (the token printed is good; stderr says how to save it), 2 usage,
3 refresh token rejected, 4 client rejected, 5 network or server error.`,
		Example: `  nestauth refresh --provider sdm --client-id ID --refresh-token-file rt
  nestauth refresh --provider custom --issuer URL --client-id ID < rt`,
	}
	o.client.addFlags(cmd)
	o.providerFlags.addFlags(cmd)
	addTimeoutFlag(cmd, &o.timeout, "time limit of the token request, and of --save's wait for the profile lock")
	o.addProfileFlag(cmd, a.getenv, "the profile --save saves to")
	o.addSaveFlags(cmd)
	o.sink.addFlags(cmd)
	cmd.Flags().StringVar(&o.refreshTokenFile, "refresh-token-file", "", "read the refresh token from this file (else stdin)")
	return a.add(cmd, c, o, a.runRefresh)
}

func (a *app) runRefresh(o *options) int {
	stdin, stdout, stderr := a.stdin, a.stdout, a.stderr
	rt := o.refreshToken
	if o.refreshTokenFile == "" {
		line, err := readLine(stdin, stderr, "Refresh token")
		if err != nil {
			failf(stderr, "reading the refresh token from stdin: %v", err)
			return exitUsage
		}
		rt = line
	}
	if rt == "" {
		failf(stderr, "no refresh token: pass --refresh-token-file PATH or pipe it on stdin")
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(a.requestContext(), o.timeout)
	defer cancel()
	tok, err := o.config().Refresh(ctx, rt)
	if err != nil {
		return printError(stderr, err)
	}
	kept := *tok
	kept.RefreshToken = cmp.Or(tok.RefreshToken, rt) // Google keeps the refresh token and sends none back
	return o.deliver(stdout, stderr, o.config(), tok, &kept,
		"Run refresh again with %s; if the server rotated the refresh token, the one you gave is used up: then sign in again.")
}
