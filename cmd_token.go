package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"nestauth/auth"
	"nestauth/profile"
)

// runToken prints a valid access token of a saved profile: the stored one
// while it lives --min-valid more, else one refresh's, saved first. Runs at
// the same moment refresh once (profile.Store.Token).
func runToken(o *options, stdout, stderr io.Writer) int {
	st, err := o.profiles()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	tok, err := st.Token(ctx, o.profile, o.minValid, nil)
	if err != nil {
		return tokenFailed(st, o.profile, err, stderr)
	}
	status := printResult(tok, nil, "Run token again with %s: the saved token is still good.", o.sink, stdout, stderr)
	if life := time.Until(tok.Expiry); status == exitOK && !tok.Expiry.IsZero() && life < o.minValid {
		say(stderr, fmt.Sprintf("nestauth: warning: the new token lives %s, less than --min-valid %s: the server issues shorter tokens, so each call with this --min-valid refreshes.",
			auth.Duration(life), auth.Duration(o.minValid)))
	}
	return status
}

// tokenFailed says why profile name has no token, and what to do.
func tokenFailed(st profile.Store, name string, err error, stderr io.Writer) int {
	var e *auth.Error
	switch {
	case errors.Is(err, profile.ErrNoProfile):
		failf(stderr, "%v. Create it: run the wizard with '%s' and press s on the token step (or add --save), or 'nestauth exchange --profile %s --save ...'.",
			err, profile.SignInCommand(name), name)
		return exitUsage
	case errors.As(err, &e) && e.Kind == auth.KindCode && e.Refresh:
		line := fmt.Sprintf("profile %s: refresh token rejected: %v. Sign in again: %s (every saved value is filled in; only the code is new).",
			name, e, profile.SignInCommand(name))
		if p, err := st.Load(name); err == nil {
			if cfg, err := p.Config(); err == nil && cfg.RefreshTokenWarning() != "" {
				line += " Why it died: " + cfg.RefreshTokenWarning()
			}
		}
		failf(stderr, "%s", line)
		return exitRejectedCode
	case errors.As(err, &e):
		return printError(stderr, err)
	}
	failf(stderr, "profile %s: %v", name, err)
	return exitFailure
}
