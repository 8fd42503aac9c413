package auth

import "strings"

// The endpoints of the GitHub and Google presets. Sources: docs/providers.md.
const (
	GitHubAuthURL     = "https://github.com/login/oauth/authorize"
	GitHubTokenURL    = "https://github.com/login/oauth/access_token"
	GitHubDeviceURL   = "https://github.com/login/device/code"
	GitHubUserinfoURL = "https://api.github.com/user"

	GoogleAuthURL     = "https://accounts.google.com/o/oauth2/v2/auth"
	GoogleTokenURL    = SDMTokenURL
	GoogleDeviceURL   = "https://oauth2.googleapis.com/device/code"
	GoogleRevokeURL   = "https://oauth2.googleapis.com/revoke"
	GoogleUserinfoURL = "https://openidconnect.googleapis.com/v1/userinfo"
	// GoogleRedirect is a loopback redirect, which a Google "Desktop app"
	// client accepts on any port without registering it.
	GoogleRedirect = "http://127.0.0.1:8085/callback"
)

// GitHub is a GitHub OAuth app (or a GitHub App's user authorization): the
// web flow and the device flow. Its token endpoint answers form-encoded
// unless asked for JSON; its tokens carry no refresh token unless the app
// opted into expiring user tokens. The device flow needs no client secret,
// so the client may be public.
func GitHub() Provider {
	return Provider{
		ID:           "github",
		Name:         "GitHub",
		Summary:      "A GitHub OAuth app or GitHub App: the device flow, or the web flow with a client secret.",
		ClientSetup:  "Make it in GitHub's Settings, Developer settings (OAuth Apps or GitHub Apps).",
		AuthURL:      GitHubAuthURL,
		TokenURL:     GitHubTokenURL,
		DeviceURL:    GitHubDeviceURL,
		UserinfoURL:  GitHubUserinfoURL,
		CheckURL:     GitHubUserinfoURL,
		PKCE:         true, // S256 only, since 2025-07
		PublicClient: true,
	}
}

// Google is Google OAuth 2.0 for any scope (--scope), with the same token
// endpoint as Device Access and a loopback redirect.
func Google() Provider {
	return Provider{
		ID:               "google",
		Name:             "Google",
		Summary:          "Any Google API: a Google OAuth client (Desktop app, or TVs and Limited Input devices for the device flow).",
		ClientSetup:      "Make it in the Google Cloud console (APIs & Services, Credentials).",
		AuthURL:          GoogleAuthURL,
		TokenURL:         GoogleTokenURL,
		DeviceURL:        GoogleDeviceURL,
		RevokeURL:        GoogleRevokeURL,
		UserinfoURL:      GoogleUserinfoURL,
		CheckURL:         GoogleUserinfoURL,
		RedirectURI:      GoogleRedirect,
		AuthParams:       [][2]string{{"access_type", "offline"}, {"prompt", "consent"}},
		PKCE:             true,
		RefreshTokenDays: 7,
	}
}

// Providers lists the known providers in the order a person should see them:
// the Nest ones first (the keys 1 and 2 stay theirs), then the presets, then
// Custom, the way out for any other server.
func Providers() []Provider { return []Provider{SDM(), Nest(), Google(), GitHub(), Custom()} }

// LookupProvider finds a provider by its ID.
func LookupProvider(id string) (Provider, bool) {
	for _, p := range Providers() {
		if p.ID == strings.ToLower(id) {
			return p, true
		}
	}
	return Provider{}, false
}
