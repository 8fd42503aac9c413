package cli

import (
	"context"
	"io"
	"strings"

	"nestauth/auth"
)

// discoverIssuer fills the provider's endpoints that no flag gave from
// --issuer's metadata, for exchange, refresh and device (the wizard
// discovers on its Issuer step, after its first frame). It returns 0, or
// the exit code of a failure it printed.
func discoverIssuer(o *options, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	md, err := auth.Discover(ctx, o.issuer, nil)
	if err != nil {
		failf(stderr, "reading the metadata of --issuer %s: %v", auth.Sanitize(o.issuer), err)
		return exitStatus(auth.ErrorKind(err))
	}
	// Only the wizard's authorization URL carries a PKCE challenge, so a
	// server that lists no S256 (Apply's only error) stops nothing here.
	p, _ := md.Apply(o.providers[0], o.noPKCE)
	if err := checkEndpoints(p, o.cmd, true); err != nil {
		failf(stderr, "--issuer %s: the metadata (%s) lacks an endpoint: %v", auth.Sanitize(o.issuer), md.Source, err)
		return exitServer
	}
	if o.cmd.asksScope && len(p.Scopes) == 0 { // the only one of the three that sends a scope
		if p.Scopes = md.DefaultScopes(); len(p.Scopes) > 0 {
			say(stderr, "nestauth: asking for scope "+strings.Join(p.Scopes, " ")+", which the server lists (--scope asks for others).")
		}
	}
	o.providers[0] = p
	return exitOK
}
