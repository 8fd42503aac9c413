package main

import (
	"context"
	"io"
	"strings"

	"nestauth/auth"
)

// checkIssuer refuses, before anything is sent, an --issuer that is not a
// URL discovery may fetch, or that comes with a preset of its own.
func (f providerFlags) checkIssuer(demo bool) error {
	if f.issuer == "" {
		return nil
	}
	if demo {
		return usagef("--demo runs its own Works with Nest server: leave out --issuer")
	}
	if f.id != "" && !strings.EqualFold(f.id, "custom") {
		return usagef("--issuer is for --provider custom (or no --provider): the %s preset knows its endpoints", f.id)
	}
	if _, err := auth.ParseIssuer(f.issuer); err != nil {
		return usagef("--issuer: %v", err)
	}
	return nil
}

// discoverIssuer fills the provider's endpoints that no flag gave from
// --issuer's metadata, for exchange, refresh and device (the wizard
// discovers on its Issuer step, after its first frame). It returns 0, or
// the exit code of a failure it printed.
func discoverIssuer(o *options, cmd string, stderr io.Writer) int {
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
	if err := checkEndpoints(p, cmd, true); err != nil {
		failf(stderr, "--issuer %s: the metadata (%s) lacks an endpoint: %v", auth.Sanitize(o.issuer), md.Source, err)
		return exitServer
	}
	o.providers[0] = p
	return exitOK
}
