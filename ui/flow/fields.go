package flow

import (
	"strings"

	"nestauth/auth"
)

// Field is one text step: what it says, shows, takes from the options and
// accepts. The text steps are the rows of Fields; adding one is a row (and
// its Step). The wizard draws a row as a text input, plain mode as a prompt.
type Field struct {
	Intro string
	// LineIntro is Intro as a line prompt says it, where the wizard's names
	// a key a prompt has not; "" when Intro holds for both.
	LineIntro string
	// Placeholder is in parentheses: with NO_COLOR it is not faint, and
	// must not read as a value already typed.
	Placeholder string
	// Limit keeps a stray megabyte paste from slowing every keystroke.
	Limit  int
	Masked bool
	// Preset is the value from flags or the environment; a non-empty one
	// skips the step. Nil for the code, which is never given in advance.
	Preset func(Options) string
	// Run: a preset value does not skip the step but answers it at start,
	// where it can still fail (the issuer: its discovery). The wizard shows
	// the step as it runs; a line front end asks it only if that fails.
	Run bool
	// Parse cleans what was typed and checks it, for the chosen provider;
	// with an error it still returns the cleaned value, for the field to
	// show. Nil for the code, which is parsed against the state.
	Parse func(auth.Provider, string) (string, error)
}

// Line is the intro as a line prompt says it.
// Intro is step s's intro for provider p, as the wizard says it (line:
// as a prompt does): the Client ID step adds where p's client is made.
func Intro(s Step, p auth.Provider, line bool) string {
	intro := Fields[s].Intro
	if line {
		intro = Fields[s].Line()
	}
	if s == ClientID && p.ClientSetup != "" {
		intro += " " + p.ClientSetup
	}
	return intro
}

func (f Field) Line() string {
	if f.LineIntro != "" {
		return f.LineIntro
	}
	return f.Intro
}

// Fields are the text steps' rows.
var Fields = map[Step]Field{
	Issuer: {
		Intro:       "Your authorization server's issuer URL: nestauth reads its endpoints from ISSUER/.well-known/openid-configuration. No such document? Press tab to type the endpoints.",
		LineIntro:   "Your authorization server's issuer URL: nestauth reads its endpoints from ISSUER/.well-known/openid-configuration. No such document? Press Enter on an empty line to type the endpoints.",
		Placeholder: "(such as https://login.example.com)",
		Limit:       2048,
		Preset:      func(o Options) string { return o.Issuer },
		Run:         true,
		Parse:       anyProvider(auth.ParseIssuer),
	},
	AuthEndpoint: {
		Intro:       "The authorization endpoint: the page where you sign in and allow access.",
		Placeholder: "(such as https://login.example.com/oauth2/authorize)",
		Limit:       2048,
		Parse:       anyProvider(auth.ParseEndpoint),
	},
	TokenEndpoint: {
		Intro:       "The token endpoint: where nestauth trades the code for a token.",
		Placeholder: "(such as https://login.example.com/oauth2/token)",
		Limit:       2048,
		Parse:       anyProvider(auth.ParseEndpoint),
	},
	Scopes: {
		Intro:       "The scopes to ask for, separated by spaces. Empty asks for the server's default.",
		LineIntro:   "The scopes to ask for, separated by spaces.", // the prompt says what Enter takes
		Placeholder: "(such as openid email)",
		Limit:       2048,
		Preset:      func(o Options) string { return strings.Join(o.Scopes, " ") },
		Parse:       anyProvider(parseScopes),
	},
	Redirect: {
		Intro:       "The redirect URI registered on your OAuth client: http://127.0.0.1:PORT/… is caught here by itself. Leave it empty for the client's default, or for the device flow when the server offers it.",
		Placeholder: "(such as http://127.0.0.1:8085/callback, or empty)",
		Limit:       2048,
		Preset:      func(o Options) string { return o.RedirectURI },
		Parse:       anyProvider(auth.ParseRedirectURI),
	},
	Project: {
		Intro:       "Your Device Access project ID: the UUID under your project's name in the Device Access Console (console.nest.google.com/device-access), not the Google Cloud project ID.",
		Placeholder: "(the project's UUID)",
		Limit:       128,
		Preset:      func(o Options) string { return o.ProjectID },
		Parse:       anyProvider(auth.ParseProjectID),
	},
	ClientID: {
		Intro:  "Your OAuth client's ID, from its page in the provider's console.",
		Limit:  auth.MaxClientID,
		Preset: func(o Options) string { return o.ClientID },
		Parse:  anyProvider(auth.ParseClientID),
	},
	Secret: {
		Intro:     "Your OAuth client's secret. It is masked and never logged; stored only if you save a profile (--save, or s on the token step).",
		LineIntro: "Your OAuth client's secret. It is never logged, and stored only if you save a profile (--save).",
		Limit:     4096,
		Masked:    true,
		Preset:    func(o Options) string { return o.ClientSecret },
		Parse:     auth.Provider.ParseSecret,
	},
	Code: {
		Intro:       "Paste the PIN or code, or the whole address the browser landed on.",
		Placeholder: "(paste here)",
		Limit:       16384,
	},
}

// PublicSecretNote follows the secret step's intro for a provider whose
// clients may have no secret (device flow, PKCE only).
const PublicSecretNote = "This provider allows a client without a secret: leave it empty and press Enter for none."

// anyProvider makes a parse of one that holds for every provider.
func anyProvider(parse func(string) (string, error)) func(auth.Provider, string) (string, error) {
	return func(_ auth.Provider, s string) (string, error) { return parse(s) }
}

// parseScopes is auth.ParseScopes as a field shows it: one space apart.
func parseScopes(s string) (string, error) {
	scopes, err := auth.ParseScopes(s)
	return strings.Join(scopes, " "), err
}
