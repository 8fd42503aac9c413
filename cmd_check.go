package main

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
	tok, err := readToken(o.tokenFile, stdin, stderr)
	switch {
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
		return printAPIError(stderr, err)
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
