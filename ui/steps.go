package ui

// step is where the wizard is. The flow visits the steps in this order,
// leaving out those a provider or the flags make needless.
type step int

const (
	stepProvider step = iota
	stepIssuer
	stepAuthEndpoint
	stepTokenEndpoint
	stepScopes
	stepRedirect
	stepProject
	stepClientID
	stepSecret
	stepAuthorize
	stepCode
	stepDevice
	stepToken
)

var stepTitles = [...]string{
	stepProvider:      "Provider",
	stepIssuer:        "Issuer",
	stepAuthEndpoint:  "Authorization endpoint",
	stepTokenEndpoint: "Token endpoint",
	stepScopes:        "Scopes",
	stepRedirect:      "Redirect URI",
	stepProject:       "Device Access project ID",
	stepClientID:      "Client ID",
	stepSecret:        "Client secret",
	stepAuthorize:     "Authorize",
	stepCode:          "Authorization code",
	stepDevice:        "Device code",
	stepToken:         "Access token",
}

func (s step) String() string { return stepTitles[s] }
