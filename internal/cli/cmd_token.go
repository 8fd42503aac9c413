package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"nestauth/auth"
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
