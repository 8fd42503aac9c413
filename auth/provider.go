// Package auth implements the OAuth 2.0 authorization-code flow that nestauth
// walks a person through: providers, the authorization URL, the token
// exchange and refresh, the error kinds a UI can act on, and the parsing of
// whatever a person pastes as an authorization code.
//
// It never prints and imports no UI code.
package auth

import (
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// AuthStyle says how the client authenticates at the token endpoint.
type AuthStyle int

const (
	// AuthInParams sends client_id and client_secret in the form body.
	AuthInParams AuthStyle = iota
	// AuthInHeader sends them in an HTTP Basic Authorization header.
	AuthInHeader
)

func (s AuthStyle) String() string {
	if s == AuthInHeader {
		return "basic"
	}
	return "post"
}

// ParseAuthStyle reads the --auth-style flag's values "post" and "basic".
func ParseAuthStyle(s string) (AuthStyle, bool) {
	switch strings.ToLower(s) {
	case "post", "":
		return AuthInParams, true
	case "basic":
		return AuthInHeader, true
	}
	return AuthInParams, false
}

// oauth2 returns the x/oauth2 style. It is never AuthStyleAutoDetect: that
// retries a failed request in the other style, sending a single-use code twice.
func (s AuthStyle) oauth2() oauth2.AuthStyle {
	if s == AuthInHeader {
		return oauth2.AuthStyleInHeader
	}
	return oauth2.AuthStyleInParams
}

// Provider describes an authorization server and how to talk to it.
type Provider struct {
	ID      string // the --provider value: nest, sdm or custom
	Name    string // a title for people
	Summary string // one line about when to choose it
	// ClientSetup says where the OAuth client is made and of which type,
	// for the Client ID step; "" when there is nothing to add.
	ClientSetup string

	// AuthURL may contain {project}, replaced by the Device Access project ID.
	AuthURL  string
	TokenURL string

	// RedirectURI is sent in the authorization URL and the token request when
	// set; empty means the provider's registered default (Nest PIN clients).
	RedirectURI string
	Scopes      []string
	// AuthParams are extra authorization URL parameters (access_type, prompt).
	AuthParams [][2]string
	AuthStyle  AuthStyle
	PKCE       bool

	// ShortAuthURL: the authorization URL carries only client_id, state and
	// an optional redirect_uri, as Works with Nest wants it.
	ShortAuthURL bool
	// NeedsProjectID marks Device Access: its URLs name the project.
	NeedsProjectID bool
	// PublicClient allows a client with no secret (PKCE only, RFC 8252).
	// Google and Nest clients always have one.
	PublicClient bool
	// RefreshTokenDays, when positive, is how long a refresh token lives while
	// the provider's consent screen is in testing.
	RefreshTokenDays int

	// Where a token is used and revoked, and the other endpoints a server may
	// have. Empty when the provider has none (or nestauth knows none).
	APIURL      string // the API origin that Check calls (sdm, nest)
	CheckURL    string // the URL Check calls for any other provider (userinfo, say)
	RevokeURL   string // RFC 7009 revocation (nest: DELETE on URL/TOKEN)
	DeviceURL   string // RFC 8628 device authorization
	UserinfoURL string // OpenID Connect userinfo
}

// RefreshTokenWarning is the sentence that goes with this provider's refresh
// tokens, or "" when there is nothing to warn about.
func (p Provider) RefreshTokenWarning() string {
	if p.RefreshTokenDays <= 0 {
		return ""
	}
	return fmt.Sprintf("While the OAuth consent screen is in \"Testing\", the refresh token dies after %d days: publish the app to keep it.", p.RefreshTokenDays)
}

// The API origins and revocation endpoints of the providers nestauth knows.
const (
	SDMAPIURL     = "https://smartdevicemanagement.googleapis.com"
	NestAPIURL    = "https://developer-api.nest.com"
	SDMRevokeURL  = "https://oauth2.googleapis.com/revoke"
	NestRevokeURL = "https://api.home.nest.com/oauth2/access_tokens" // + "/TOKEN"
)

// The endpoints of the providers nestauth knows.
const (
	NestAuthURL  = "https://home.nest.com/login/oauth2"
	NestTokenURL = "https://api.home.nest.com/oauth2/access_token"
	SDMAuthURL   = "https://nestservices.google.com/partnerconnections/{project}/auth"
	SDMTokenURL  = "https://oauth2.googleapis.com/token"
	SDMScope     = "https://www.googleapis.com/auth/sdm.service"
	SDMRedirect  = "https://www.google.com"
)

// Nest is the legacy Works with Nest service, shut down in 2023.
func Nest() Provider {
	return Provider{
		ID:           "nest",
		Name:         "Works with Nest (legacy)",
		Summary:      "The original Nest API: home.nest.com PINs. Shut down in 2023; kept for old clients.",
		AuthURL:      NestAuthURL,
		TokenURL:     NestTokenURL,
		ShortAuthURL: true,
	}
}

// SDM is Google Nest Device Access (the Smart Device Management API).
func SDM() Provider {
	return Provider{
		ID:               "sdm",
		Name:             "Google Nest Device Access",
		Summary:          "Today's Nest API (SDM): a Device Access project and a Google OAuth client.",
		ClientSetup:      "Make it in the Google Cloud console (APIs & Services, Credentials): type Web application, with https://www.google.com as an authorized redirect URI.",
		AuthURL:          SDMAuthURL,
		TokenURL:         SDMTokenURL,
		APIURL:           SDMAPIURL,
		RevokeURL:        SDMRevokeURL,
		RedirectURI:      SDMRedirect,
		Scopes:           []string{SDMScope},
		AuthParams:       [][2]string{{"access_type", "offline"}, {"prompt", "consent"}},
		PKCE:             true,
		NeedsProjectID:   true,
		RefreshTokenDays: 7,
	}
}

// Custom is any standard OAuth 2.0 authorization-code provider; its
// endpoints come from flags.
func Custom() Provider {
	return Provider{
		ID:           "custom",
		Name:         "Custom OAuth 2.0 provider",
		Summary:      "Any standard OAuth 2.0 server: its issuer URL, or its endpoints.",
		PKCE:         true,
		PublicClient: true,
	}
}
