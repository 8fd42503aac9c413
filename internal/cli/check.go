package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/signals"
)

func (a *app) newCmdCheck() *cobra.Command {
	c := &command{name: "check", callsAPI: true, loadsProfile: true}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Prove a token works: what it reaches, on stdout",
		Long: `Prove a token works with one API call.

The token comes from --token-file F, else stdin (asked for, hidden, on a
terminal): the access token alone, or what exchange, refresh, --output or
the wizard's w wrote (json, env or header). With --profile NAME and no
--token-file, the saved profile's token (refreshed first if it expired), and
the profile's provider, client and endpoints; a saved token the API refuses
(401) before its saved expiry is refreshed once, saved, and tried again.
  sdm     lists the project's devices (GET /v1/enterprises/PROJECT/devices)
  nest    reads the API root, following its redirect to the per-user host
          with the token (to that host only)
  custom  calls --check-url (an API or userinfo URL): status and an excerpt
What the token reaches goes to stdout, a line each. An empty device list is
no error (exit 0): why, and how to share devices, goes to stderr.

Exit codes: 0 the token works, 1 stdout could not be written, 2 usage,
3 token rejected or expired (401, or a 403 that says the token is invalid,
malformed or expired), 4 refused: permission, scope or wrong project (403,
404), 5 network or server error.`,
		Example: `  nestauth check --provider sdm --project-id UUID --token-file token.json
  nestauth token --profile home | nestauth check --provider sdm --project-id UUID
  nestauth check --profile home`,
	}
	o.client.addFlags(cmd)
	o.providerFlags.addFlags(cmd)
	o.providerFlags.addAPIFlags(cmd)
	addTimeoutFlag(cmd, &o.timeout, "time limit of the API call")
	o.addProfileFlag(cmd, a.getenv, "take the token, provider and endpoints from this saved profile")
	cmd.Flags().StringVar(&o.tokenFile, "token-file", "", "read the token from this file (else stdin)")
	return a.add(cmd, c, o, a.runCheck)
}

// runCheck proves a token works with one API call. What it reaches goes to
// stdout, a line each; why an answer lists nothing, or what went wrong and
// what to do, goes to stderr.
func (a *app) runCheck(o *options) int {
	stdin, stdout, stderr := a.stdin, a.stdout, a.stderr
	cfg := o.config()
	if _, err := cfg.CheckTarget(); err != nil {
		if errors.Is(err, auth.ErrNoProjectID) {
			err = errors.New("check --provider sdm needs --project-id (or NESTAUTH_PROJECT_ID): the device list is the project's")
		}
		return usageFailed(stderr, o.cmd, err)
	}
	ctx := context.Background()
	if o.tokenFromProfile() { // the saved token may be refreshed, and must then be kept
		ctx = a.requestContext()
	}
	tok, err := o.tokenToUse(ctx, stdin, stderr, true)
	status := exitOK
	if unsaved, ok := refreshUnsaved(err, o.profile, stderr); ok {
		tok, err, status = unsaved, nil, exitFailure // good for now: check it
	}
	switch {
	case err != nil && o.tokenFromProfile():
		return o.profileTokenFailed(err, stderr)
	case err != nil:
		failf(stderr, "%v", err)
		return exitUsage
	case tok.AccessToken == "":
		failf(stderr, "that is a refresh token alone: check needs the access token ('nestauth refresh' gets one)")
		return exitUsage
	}
	// The token is kept now (saved, or said to be lost): a signal stops
	// check at once again, and the API call, which spends nothing, is
	// made without holding one back.
	guard := signals.FromContext(ctx)
	guard.Idle()
	api, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	res, err := auth.Check(api, cfg, tok.AccessToken)
	if auth.ErrorKind(err) == auth.KindCode && o.tokenFromProfile() {
		// The saved expiry said the token was good; the API says it is not.
		var refreshed int
		if tok, refreshed = o.refreshRefused(ctx, tok, stderr); tok == nil {
			return refreshed
		}
		status = max(status, refreshed)
		guard.Idle()
		res, err = auth.Check(api, cfg, tok.AccessToken)
	}
	if err != nil {
		status := printNestAPIError(o, stderr, err)
		if auth.ErrorKind(err) == auth.KindCode {
			say(stderr, "nestauth: "+o.refusedHint())
		}
		return status
	}
	for _, line := range res.Lines() {
		if line == res.Note {
			continue // on stderr: stdout lists what the token reaches, and nothing else
		}
		if _, err := fmt.Fprintln(stdout, auth.Sanitize(line)); err != nil {
			failf(stderr, "writing to stdout: %v", err)
			return exitFailure
		}
	}
	if res.Note != "" {
		say(stderr, "nestauth: note: "+res.Note)
	}
	return status
}

// refreshRefused refreshes the saved profile's token once after the API
// refused it, and says so; on failure it reports why, with its exit status,
// and returns no token.
func (o *options) refreshRefused(ctx context.Context, dead *auth.Token, stderr io.Writer) (*auth.Token, int) {
	st, err := o.profiles()
	if err == nil {
		ctx, cancel := o.profileContext(ctx, stderr)
		defer cancel()
		var tok *auth.Token
		tok, err = st.Refresh(ctx, o.profile, dead.AccessToken, nil)
		if unsaved, ok := refreshUnsaved(err, o.profile, stderr); ok {
			return unsaved, exitFailure // good for now: check it
		}
		if err == nil {
			say(stderr, fmt.Sprintf("nestauth: note: the API refused profile %s's saved token before its saved expiry: refreshed it, and tried again.", o.profile))
			return tok, exitOK
		}
	}
	return nil, o.profileTokenFailed(err, stderr)
}

// refusedHint says what to do about a token the API refused.
func (o *options) refusedHint() string {
	if o.tokenFromProfile() {
		return fmt.Sprintf("A freshly refreshed token of profile %s was refused too: the client or the account may have lost access; sign in again with %s.",
			o.profile, profile.SignInCommand(o.profile))
	}
	return "If it came from a saved profile, 'nestauth token --profile NAME --refresh' gets a new one before its saved expiry."
}

// nestShutDown is what a Works with Nest endpoint that does not answer means.
const nestShutDown = "Works with Nest was shut down in 2023: its servers no longer answer. Google Nest Device Access (--provider sdm) is today's API."

// printNestAPIError is printAPIError, and for a network error at Works with
// Nest's own endpoints (no --api-url, --check-url or --revoke-url moved
// them) why they do not answer.
func printNestAPIError(o *options, stderr io.Writer, err error) int {
	status := printAPIError(stderr, err)
	pf := o.providerFlags
	if o.providers[0].ID == "nest" && auth.ErrorKind(err) == auth.KindNetwork && pf.apiURL == "" && pf.checkURL == "" && pf.revokeURL == "" {
		say(stderr, "nestauth: "+nestShutDown)
	}
	return status
}
