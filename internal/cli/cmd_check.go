package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"nestauth/auth"
)

// runCheck proves a token works with one API call. What it reaches goes to
// stdout, a line each; why an answer lists nothing, or what went wrong and
// what to do, goes to stderr.
func runCheck(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg := o.config()
	if _, err := cfg.CheckTarget(); err != nil {
		if errors.Is(err, auth.ErrNoProjectID) {
			err = errors.New("check --provider sdm needs --project-id (or NESTAUTH_PROJECT_ID): the device list is the project's")
		}
		return usageFailed(stderr, "check", err)
	}
	tok, err := o.tokenToUse(stdin, stderr, true)
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
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	res, err := auth.Check(ctx, cfg, tok.AccessToken)
	if err != nil {
		return printNestAPIError(o, stderr, err)
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
	return exitOK
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
