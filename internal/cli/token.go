package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"nestauth/auth"
)

func (a *app) newCmdToken() *cobra.Command {
	c := &command{name: "token", writesToken: true, tokenAlone: true, fromProfile: true}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print a valid access token of a saved profile, for scripts",
		Long: `Print a valid access token of a saved profile, for scripts.

Prints the access token alone on stdout: the stored one while it lives at
least --min-valid more, with no request; else it refreshes it once and saves
the result (a rotated refresh token too) before printing. Runs at the same
moment refresh once: they wait on a lock in the settings directory and share
the new token. --timeout bounds the refresh, and the wait for another run's.

--refresh refreshes whatever the saved expiry says: for a token an API
refused (401) before it was due to expire, which would otherwise be printed
again until then.

Save a profile first: the wizard's s key (or --save), or exchange --save.

Exit codes: 0 ok, 1 failure (a damaged profile, an unreachable keyring, or
stdout could not take the token), 2 usage or no such profile,
3 refresh token rejected: sign in again with nestauth --profile NAME,
4 client rejected, 5 network or server error.`,
		Example: `  TOKEN=$(nestauth token --profile home)
  curl -H "$(nestauth token --format header)" "$URL"`,
	}
	addTimeoutFlag(cmd, &o.timeout, "time limit of the refresh, and of the wait for another run's")
	o.addProfileFlag(cmd, a.getenv, "the saved profile")
	o.sink.addFlags(cmd)
	cmd.Flags().DurationVar(&o.minValid, "min-valid", 60*time.Second, "refresh a stored token that lives less than this more")
	cmd.Flags().BoolVar(&o.refresh, "refresh", false, "refresh now, whatever the saved expiry says (an API refused the token)")
	return a.add(cmd, c, o, a.runToken)
}

// runToken prints a valid access token of a saved profile: the stored one
// while it lives --min-valid more, else one refresh's, saved first. Runs at
// the same moment refresh once (profile.Store.Token).
func (a *app) runToken(o *options) int {
	stdout, stderr := a.stdout, a.stderr
	st, err := o.profiles()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	ctx, cancel := o.profileContext(a.requestContext(), stderr)
	defer cancel()
	var tok *auth.Token
	if o.refresh {
		tok, err = st.Refresh(ctx, o.profile, "", nil)
	} else {
		tok, err = st.Token(ctx, o.profile, o.minValid, nil)
	}
	unsaved, ok := refreshUnsaved(err, o.profile, stderr)
	if err != nil && !ok {
		return tokenFailed(st, o.profile, err, stderr)
	}
	if ok {
		tok = unsaved
	}
	status := printResult(tok, nil, "Run token again with %s: the saved token is still good.", o.sink, stdout, stderr)
	if ok {
		return exitFailure
	}
	if life := time.Until(tok.Expiry); status == exitOK && !tok.Expiry.IsZero() && life < o.minValid {
		say(stderr, fmt.Sprintf("nestauth: warning: the new token lives %s, less than --min-valid %s: the server issues shorter tokens, so each call with this --min-valid refreshes.",
			auth.Duration(life), auth.Duration(o.minValid)))
	}
	return status
}
