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
secrets file, and prints what it deleted. --revoke first revokes its tokens
at the provider; if that fails, nothing is deleted.

Exit codes: 0 ok, 1 failure, 2 usage or no such profile; with --revoke,
3 token rejected, 4 client rejected, 5 network or server error.`,
		Example: `  nestauth forget --profile home --revoke`,
	}
	addTimeoutFlag(cmd, &o.timeout, "time limit of the revocation")
	o.addProfileFlag(cmd, a.getenv, "the saved profile to delete")
	cmd.Flags().BoolVar(&o.revoke, "revoke", false, "revoke its tokens at the provider first")
	return a.add(cmd, c, o, a.runForget)
}

// runForget deletes a saved profile: settings, keyring entries, secrets
// file entry; with --revoke, its tokens are revoked at the provider first,
// and nothing is deleted if that fails.
func (a *app) runForget(o *options) int {
	stdout, stderr := a.stdout, a.stderr
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
	gone, err := st.Forget(o.profile)
	for _, g := range gone {
		fmt.Fprintln(stdout, "deleted", g)
	}
	switch {
	case errors.Is(err, profile.ErrNoProfile):
		failf(stderr, "%v: nothing to forget ('nestauth profiles' lists them)", err)
		return exitUsage
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
	if err != nil {
		failf(stderr, "cannot revoke profile %s: %v. Nothing was deleted; forget it without --revoke to delete it anyway.", o.profile, err)
		return exitFailure
	}
	tok := p.Secrets.Token(time.Now())
	if tok.AccessToken == "" && tok.RefreshToken == "" {
		fmt.Fprintln(stdout, "no tokens to revoke in profile", o.profile)
		return exitOK
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
