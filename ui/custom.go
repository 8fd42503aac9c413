package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// The Custom path: a provider without endpoints gets them in the wizard,
// from its issuer's metadata (discovered in a command) or typed in, then
// its scopes and redirect URI.

// custom is the Custom path's state: what discovery found, or that the
// endpoints are typed in.
type custom struct {
	discovery inflight
	found     *auth.Provider // the provider with the issuer's metadata applied
	manual    bool           // the endpoints are typed in (tab on Issuer)
}

// discoveredMsg is what a discovery ends with.
type discoveredMsg struct {
	attempt int
	md      *auth.Metadata
	err     error
}

// discoverCmd reads the issuer's metadata in the background.
func discoverCmd(ctx context.Context, issuer string, attempt int) tea.Cmd {
	return func() tea.Msg {
		md, err := auth.Discover(ctx, issuer, nil)
		return discoveredMsg{attempt: attempt, md: md, err: err}
	}
}
