package ui

// step is where the wizard is. The flow visits the steps in this order,
// leaving out those a provider or the flags make needless.
type step int

const (
	stepProvider step = iota
	stepProject
	stepClientID
	stepSecret
	stepAuthorize
	stepCode
	stepToken
)

var stepTitles = [...]string{
	stepProvider:  "Provider",
	stepProject:   "Device Access project ID",
	stepClientID:  "Client ID",
	stepSecret:    "Client secret",
	stepAuthorize: "Authorize",
	stepCode:      "Authorization code",
	stepToken:     "Access token",
}

func (s step) String() string { return stepTitles[s] }
