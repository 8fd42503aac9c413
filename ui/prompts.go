package ui

// Prompt is a text step's wording: its title and the sentence before its
// field.
type Prompt struct{ Title, Intro string }

// Prompts is the wording of the project ID, client ID, client secret and
// code steps, for a front end other than this model (nestauth's plain
// mode): one source, so that both say the same.
func Prompts() (project, clientID, secret, code Prompt) {
	p := func(s step) Prompt { return Prompt{Title: s.String(), Intro: fields[s].intro} }
	return p(stepProject), p(stepClientID), p(stepSecret), p(stepCode)
}
