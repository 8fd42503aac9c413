package ui

import (
	"strings"

	"nestauth/auth"
)

// field is one text step: what it says, shows, takes from the options and
// accepts. The wizard's text steps are the rows of fields; adding one is a
// row (and its step).
type field struct {
	intro string
	// placeholder is in parentheses: with NO_COLOR it is not faint, and must
	// not read as a value already typed.
	placeholder string
	// limit keeps a stray megabyte paste from slowing every keystroke.
	limit  int
	masked bool
	// preset is the value from flags or the environment; a non-empty one
	// skips the step. Nil for the code, which is never given in advance.
	preset func(Options) string
	// run: a preset value fills the field without skipping the step, whose
	// Enter runs at start (the issuer: discovery is seen, and can fail).
	run bool
	// parse cleans what was typed and checks it, for the chosen provider;
	// with an error it still returns the cleaned value, for the field to
	// show. Nil for the code, which submitCode parses against the state.
	parse func(auth.Provider, string) (string, error)
}

var fields = map[step]field{
	stepIssuer: {
		intro:       "Your authorization server's issuer URL: nestauth reads its endpoints from ISSUER/.well-known/openid-configuration. No such document? Press tab to type the endpoints.",
		placeholder: "(such as https://login.example.com)",
		limit:       2048,
		preset:      func(o Options) string { return o.Issuer },
		run:         true,
		parse:       anyProvider(auth.ParseIssuer),
	},
	stepAuthEndpoint: {
		intro:       "The authorization endpoint: the page where you sign in and allow access.",
		placeholder: "(such as https://login.example.com/oauth2/authorize)",
		limit:       2048,
		parse:       anyProvider(auth.ParseEndpoint),
	},
	stepTokenEndpoint: {
		intro:       "The token endpoint: where nestauth trades the code for a token.",
		placeholder: "(such as https://login.example.com/oauth2/token)",
		limit:       2048,
		parse:       anyProvider(auth.ParseEndpoint),
	},
	stepScopes: {
		intro:       "The scopes to ask for, separated by spaces. Empty asks for the server's default.",
		placeholder: "(such as openid email)",
		limit:       2048,
		preset:      func(o Options) string { return strings.Join(o.Scopes, " ") },
		parse:       anyProvider(parseScopes),
	},
	stepRedirect: {
		intro:       "The redirect URI registered on your OAuth client: http://127.0.0.1:PORT/… is caught here by itself. Leave it empty for the client's default, or for the device flow when the server offers it.",
		placeholder: "(such as http://127.0.0.1:8085/callback, or empty)",
		limit:       2048,
		preset:      func(o Options) string { return o.RedirectURI },
		parse:       anyProvider(auth.ParseRedirectURI),
	},
	stepProject: {
		intro:       "Your Device Access project ID: the UUID under your project's name in the Device Access Console (console.nest.google.com/device-access), not the Google Cloud project ID.",
		placeholder: "(the project's UUID)",
		limit:       128,
		preset:      func(o Options) string { return o.ProjectID },
		parse:       anyProvider(auth.ParseProjectID),
	},
	stepClientID: {
		intro:  "Your OAuth client's ID, from its page in the provider's console.",
		limit:  auth.MaxClientID,
		preset: func(o Options) string { return o.ClientID },
		parse:  anyProvider(auth.ParseClientID),
	},
	stepSecret: {
		intro:  "Your OAuth client's secret. It is masked and never logged; stored only if you save a profile (--save, or s on the token step).",
		limit:  4096,
		masked: true,
		preset: func(o Options) string { return o.ClientSecret },
		parse:  auth.Provider.ParseSecret,
	},
	stepCode: {
		intro:       "Paste the PIN or code, or the whole address the browser landed on.",
		placeholder: "(paste here)",
		limit:       16384,
	},
}

// publicSecretNote follows the secret step's intro for a provider whose
// clients may have no secret (device flow, PKCE only), as plain mode's
// "Enter for none".
const publicSecretNote = "This provider allows a client without a secret: leave it empty and press Enter for none."

// anyProvider makes a parse of one that holds for every provider.
func anyProvider(parse func(string) (string, error)) func(auth.Provider, string) (string, error) {
	return func(_ auth.Provider, s string) (string, error) { return parse(s) }
}

// parseScopes is auth.ParseScopes as the field shows it: one space apart.
func parseScopes(s string) (string, error) {
	scopes, err := auth.ParseScopes(s)
	return strings.Join(scopes, " "), err
}
