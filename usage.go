package main

var usageText = map[string]string{
	"wizard": `nestauth: get an OAuth 2.0 access token for Nest devices, or any OAuth 2.0
provider, in a terminal wizard. No curl needed.

Usage:
  nestauth [flags]            run the wizard
  nestauth --demo             try it against a built-in local server, no account
  nestauth exchange [flags]   trade a code for a token, JSON on stdout
  nestauth refresh [flags]    trade a refresh token for a new access token
  nestauth device [flags]     the device flow: a code to enter on another device

Providers (--provider):
  sdm      Google Nest Device Access (Smart Device Management), today's Nest API
  nest     Works with Nest, the legacy service (shut down in 2023)
  google   Google OAuth for any --scope (loopback redirect; --device for TVs)
  github   a GitHub OAuth app or GitHub App (the device flow; --no-device for
           the web flow, which needs the client secret)
  custom   any standard OAuth 2.0 server: its --issuer URL, or the endpoints
  Without --provider, the wizard asks; for custom it asks for the issuer.

Flags:
  --provider ID            sdm, nest, google, github or custom
  --issuer URL             the server's issuer: endpoints from its metadata
                           (.well-known/openid-configuration); implies custom
  --client-id ID           OAuth client ID            (env NESTAUTH_CLIENT_ID)
  --client-secret-file F   read the client secret from file F
                           (or env NESTAUTH_CLIENT_SECRET; never a flag value)
  --project-id UUID        Device Access project ID, sdm (env NESTAUTH_PROJECT_ID)
  --auth-url URL           replace the provider's authorization endpoint
  --token-url URL          replace the provider's token endpoint
  --device-url URL         replace the device authorization endpoint (RFC 8628)
  --redirect-uri URI       redirect URI; http://127.0.0.1:PORT/path is caught
                           automatically (sdm default: https://www.google.com)
  --scope S                scope, repeatable or space-separated
  --param K=V              extra authorization URL parameter, repeatable
  --auth-style post|basic  client credentials in the body (default) or Basic
  --no-pkce                don't send a PKCE challenge (on for sdm and custom);
                           lets --issuer go on when the server lists no S256
  --device                 use the device flow: a code to enter on another device
  --no-device              never use it (it is used by itself when the provider
                           has a device endpoint and no redirect URI is set)
  --timeout D              time limit of one token request (default 30s)
  --demo                   run against a built-in Works with Nest server
  --version                print the version
  --help                   print this help

A value given by flag or environment skips its step; esc still reaches it.
The wizard draws on stderr; when stdout is not a terminal it receives the
token alone, so TOKEN=$(nestauth ...) works.

Exit codes: 0 token, 1 failure (or stdout could not take the token), 2 usage,
130 aborted (ctrl+c before the token step; on it, ctrl+c finishes like q).
`,
	"exchange": `nestauth exchange: trade an authorization code for a token, without the wizard.

Usage:
  nestauth exchange --provider ID --client-id ID --code-file F [flags]
  nestauth exchange --provider ID --client-id ID < code
  nestauth exchange --provider ID --client-id ID --code CODE [flags]

The client secret comes from NESTAUTH_CLIENT_SECRET or --client-secret-file.
The code is the PIN, the code (%2F is decoded) or the whole redirect URL:
from --code-file F, else --code, else stdin's first line (asked for, hidden,
on a terminal). A file or stdin keeps it out of ps, which any local user can
read; so does --code-verifier-file for the PKCE verifier.
Prints the token response as JSON on stdout (access_token, token_type,
refresh_token, scope, expires_in, expiry); errors go to stderr on one line.

Flags: --provider, --issuer URL, --client-id, --client-secret-file,
  --project-id, --token-url,
  --redirect-uri (must equal the one in the authorization URL),
  --auth-style post|basic, --code-file F, --code CODE,
  --code-verifier-file F, --code-verifier V (PKCE), --timeout D

Exit codes: 0 ok, 1 the token could not be written to stdout, 2 usage,
  3 code rejected (or the redirect carries an error), 4 client rejected,
  5 network or server error.
`,
	"refresh": `nestauth refresh: trade a refresh token for a new access token.

Usage:
  nestauth refresh --provider ID --client-id ID --refresh-token-file F [flags]
  nestauth refresh --provider ID --client-id ID < refresh-token

The client secret comes from NESTAUTH_CLIENT_SECRET or --client-secret-file.
Prints the token response as JSON on stdout, like exchange.

Flags: --provider, --issuer URL, --client-id, --client-secret-file,
  --token-url, --auth-style post|basic, --refresh-token-file F, --timeout D

Works with Nest (--provider nest) never issued refresh tokens.

Exit codes: 0 ok, 1 the token could not be written to stdout, 2 usage,
  3 refresh token rejected, 4 client rejected, 5 network or server error.
`,
	"device": `nestauth device: the device authorization grant (RFC 8628), for scripts
and machines without a browser.

Usage:
  nestauth device --provider github --client-id ID [--scope S] [flags]
  nestauth device --issuer URL --client-id ID [--scope S] [flags]

Prints a user code and a page on stderr: open the page on any device, sign
in and enter the code. nestauth polls the token endpoint at the server's
interval (longer after slow_down) until you approve, refuse, or the code
expires, and prints the token response as JSON on stdout, like exchange.
The client secret, when the client has one, comes from NESTAUTH_CLIENT_SECRET
or --client-secret-file (GitHub's device flow needs none; Google's does).

Flags: --provider, --issuer URL, --client-id, --client-secret-file,
  --scope S, --device-url URL, --token-url URL, --auth-style post|basic,
  --timeout D (of each request; the wait lasts as long as the code)

Exit codes: 0 ok, 1 the token could not be written to stdout, 2 usage,
  3 denied on the page or the code expired, 4 client rejected,
  5 network or server error, 130 canceled (ctrl+c).
`,
}
