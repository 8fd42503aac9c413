package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
)

// runProfiles lists the saved profiles, one a line; never a secret. A
// damaged profile is listed with what is wrong and where.
func runProfiles(o *options, stdout, stderr io.Writer) int {
	st, err := o.profiles()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	list, err := st.List()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	if len(list) == 0 {
		say(stderr, fmt.Sprintf("No saved profiles in %s. Save one: run the wizard with '%s' and press s on the token step.",
			st.Dir, profile.SignInCommand("NAME")))
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tPROVIDER\tCLIENT ID\tSECRETS\tACCESS TOKEN")
	now := time.Now()
	for _, e := range list {
		if e.Err != nil && e.Provider == "" { // the settings themselves are damaged
			fmt.Fprintf(tw, "%s\t-\t-\t-\tdamaged: %s\n", e.Name, auth.Sanitize(e.Err.Error()))
			continue
		}
		token := accessTokenState(e, now)
		if e.Err != nil {
			token = "unreadable: " + auth.Sanitize(e.Err.Error())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, e.Provider, auth.Sanitize(e.ClientID), e.SecretsIn, token)
	}
	if err := tw.Flush(); err != nil {
		failf(stderr, "writing the list to stdout: %v", err)
		return exitFailure
	}
	return exitOK
}

// accessTokenState says when the profile's access token expires.
func accessTokenState(e profile.Entry, now time.Time) string {
	refresh := ""
	if !e.HasRefreshToken {
		refresh = ", no refresh token"
	}
	switch life := (&auth.Token{Expiry: e.Expiry}).Lifetime(now); {
	case !e.HasAccessToken:
		return "none" + refresh
	case life == "":
		return "never expires" + refresh
	case !e.Expiry.After(now):
		return life + " (refreshed on use)" + refresh
	default:
		return life + refresh
	}
}

// runForget deletes a saved profile: settings, keyring entries, secrets
// file entry; with --revoke, its tokens are revoked at the provider first,
// and nothing is deleted if that fails.
func runForget(o *options, stdout, stderr io.Writer) int {
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
