package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"nestauth/auth"
	"nestauth/internal/profile"
)

func (a *app) newCmdForget() *cobra.Command {
	c := &command{name: "forget", fromProfile: true, needsProfile: true}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "forget",
		Short: "Delete a saved profile",
		Long: `Delete a saved profile.

Deletes the profile's settings, its OS keyring entries and its entry in the
secrets file, and prints what it deleted. When the keyring cannot be reached,
the rest is deleted and stderr names the keyring entries that may remain:
forget the same profile again once the keyring can be reached.

--revoke first revokes its tokens at the provider; if that fails, nothing is
deleted. The tokens go to --revoke-url, else the profile's revoke_url, else
the provider's own endpoint, but only while the profile gets its tokens
from the provider's own token endpoint.

While another nestauth holds the profile lock (a refresh or a save; a run
stopped with ctrl+Z holds it until it goes on), forget waits, says so after
a second (which process, when it can be known), and gives up after --timeout.

Exit codes: 0 ok, 1 failure, 2 usage or no such profile; with --revoke,
3 token rejected, 4 client rejected, 5 network or server error.`,
		Example: `  nestauth forget --profile home --revoke
  nestauth forget --profile work --revoke --revoke-url https://id.example/oauth2/revoke`,
	}
	addTimeoutFlag(cmd, &o.timeout, "time limit of the revocation, and of the wait for the profile lock")
	o.addProfileFlag(cmd, a.getenv, "the saved profile to delete")
	cmd.Flags().BoolVar(&o.revoke, "revoke", false, "revoke its tokens at the provider first")
	cmd.Flags().StringVar(&o.providerFlags.revokeURL, "revoke-url", "", "with --revoke: the revocation endpoint (RFC 7009) to send them to")
	return a.add(cmd, c, o, a.runForget)
}

// runForget deletes a saved profile: settings, keyring entries, secrets
// file entry; with --revoke, its tokens are revoked at the provider first,
// and nothing is deleted if that fails.
func (a *app) runForget(o *options) int {
	stdout, stderr := a.stdout, a.stderr
	if err := checkRevokeURL(o); err != nil {
		return usageFailed(stderr, o.cmd, err)
	}
	st, err := o.profiles()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	if o.revoke {
		if status := revokeProfile(st, o, stdout, stderr); status != exitOK {
			return status
		}
	}
	ctx, cancel := o.profileContext(context.Background(), stderr)
	defer cancel()
	gone, err := st.ForgetContext(ctx, o.profile)
	for _, g := range gone {
		fmt.Fprintln(stdout, "deleted", g)
	}
	var left *profile.KeyringLeftError
	switch {
	case errors.As(err, &left):
		say(stderr, fmt.Sprintf("nestauth: warning: %v. Once it can be reached, run nestauth forget --profile %s again to delete them.", left, o.profile))
		return exitOK
	case errors.Is(err, profile.ErrNoProfile):
		failf(stderr, "%v: nothing to forget ('nestauth profiles' lists them)", err)
		return exitUsage
	case untrusted(err) != nil:
		failf(stderr, "%v", untrusted(err))
		return exitFailure
	case err != nil:
		failf(stderr, "forgetting profile %s: %v", o.profile, err)
		return exitFailure
	}
	return exitOK
}

// revokeProfile revokes the saved tokens of o.profile.
func revokeProfile(st profile.Store, o *options, stdout, stderr io.Writer) int {
	p, err := st.Load(o.profile)
	if errors.Is(err, profile.ErrNoProfile) {
		failf(stderr, "%v: nothing to revoke or forget", err)
		return exitUsage
	}
	var cfg auth.Config
	if err == nil {
		cfg, err = p.Config()
	}
	if u := untrusted(err); u != nil {
		failf(stderr, "%v", u)
		return exitFailure
	}
	if err != nil {
		failf(stderr, "cannot revoke profile %s: %v. Nothing was deleted; forget it without --revoke to delete it anyway.", o.profile, err)
		return exitFailure
	}
	tok := p.Secrets.Token(time.Now())
	if tok.AccessToken == "" && tok.RefreshToken == "" {
		fmt.Fprintln(stdout, "no tokens to revoke in profile", o.profile)
		return exitOK
	}
	var why string
	if cfg.RevokeURL, why = revokeEndpoint(p.Settings, o.providerFlags.revokeURL); cfg.RevokeURL == "" {
		failf(stderr, "profile %s has no revocation endpoint%s: nothing was revoked or deleted. Give one with --revoke-url URL, or forget it without --revoke.", o.profile, why)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	err = auth.Revoke(ctx, cfg, tok)
	if auth.ErrorKind(err) == auth.KindCode { // the server says the token is already dead
		say(stderr, "nestauth: note: "+auth.Advice(err))
		err = nil
	}
	if err != nil {
		status := printAPIError(stderr, err)
		failf(stderr, "profile %s was not deleted: its tokens may still work. Forget it without --revoke to delete it anyway.", o.profile)
		return status
	}
	fmt.Fprintln(stdout, "revoked the tokens of profile", o.profile)
	return exitOK
}

// checkRevokeURL checks forget's --revoke-url before anything is sent.
func checkRevokeURL(o *options) error {
	u := o.providerFlags.revokeURL
	switch {
	case u == "":
		return nil
	case !o.revoke:
		return usagef("--revoke-url says where --revoke sends the tokens: add --revoke")
	}
	if err := auth.ValidateEndpoint(u); err != nil {
		return usagef("--revoke-url: %v", err)
	}
	return nil
}

// revokeEndpoint is where forget --revoke sends the tokens of a profile
// saved with set: flagURL (--revoke-url), else its own revoke_url, else the
// provider's default, but only while the profile gets its tokens from the
// provider's own token endpoint: tokens of another server mean nothing to
// the provider, and are not its to see. "" when there is none, with why.
func revokeEndpoint(set profile.Settings, flagURL string) (endpoint, why string) {
	if flagURL != "" {
		return flagURL, ""
	}
	p, ok := auth.LookupProvider(set.Provider)
	if !ok {
		return "", ""
	}
	def, err := auth.Config{Provider: p}.RevokeTarget()
	switch {
	case err != nil: // custom: none but its own
		return set.RevokeURL, ""
	case set.RevokeURL != "" && set.RevokeURL != def:
		return set.RevokeURL, ""
	case set.TokenURL != p.TokenURL:
		return "", fmt.Sprintf(" of its own: it gets its tokens from %s, not from %s, so they are not sent to %s",
			auth.Sanitize(set.TokenURL), p.TokenURL, def)
	}
	return def, ""
}
