package ui

import "nestauth/ui/flow"

// step is where the wizard is: one of flow's steps, which the wizard
// visits in their order, leaving out those flow.Plan leaves out.
type step = flow.Step

const (
	stepProvider      = flow.Provider
	stepIssuer        = flow.Issuer
	stepAuthEndpoint  = flow.AuthEndpoint
	stepTokenEndpoint = flow.TokenEndpoint
	stepScopes        = flow.Scopes
	stepRedirect      = flow.Redirect
	stepProject       = flow.Project
	stepClientID      = flow.ClientID
	stepSecret        = flow.Secret
	stepAuthorize     = flow.Authorize
	stepCode          = flow.Code
	stepDevice        = flow.Device
	stepToken         = flow.Token
)
