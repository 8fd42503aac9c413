package flow

// Step is where a front end is in the flow. The steps come in this order,
// leaving out those a provider or the options make needless (Plan.Steps).
type Step int

const (
	Provider Step = iota
	Issuer
	AuthEndpoint
	TokenEndpoint
	Scopes
	Redirect
	Project
	ClientID
	Secret
	Authorize
	Code
	Device
	Token
)

var titles = [...]string{
	Provider:      "Provider",
	Issuer:        "Issuer",
	AuthEndpoint:  "Authorization endpoint",
	TokenEndpoint: "Token endpoint",
	Scopes:        "Scopes",
	Redirect:      "Redirect URI",
	Project:       "Device Access project ID",
	ClientID:      "Client ID",
	Secret:        "Client secret",
	Authorize:     "Authorize",
	Code:          "Authorization code",
	Device:        "Device code",
	Token:         "Access token",
}

// String is the step's title, as both front ends head it.
func (s Step) String() string { return titles[s] }

// ProviderIntro is the sentence above the list of providers.
const ProviderIntro = "Which service is the token for?"
