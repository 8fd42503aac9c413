package ui

// noCheckURL says why v and u have no API to call for a Custom provider:
// no --check-url, and no userinfo endpoint from discovery. It names both
// flags; with --issuer used already, only --check-url is left to try.
func (m *wizard) noCheckURL() string {
	if m.custom.found != nil {
		return "No API to call: --check-url is not set, and the issuer (--issuer) lists no userinfo endpoint. Set --check-url (an API or userinfo URL)."
	}
	return "No API to call: set --check-url (an API or userinfo URL), or --issuer for a server whose discovery lists a userinfo endpoint."
}
