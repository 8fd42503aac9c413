package main

var usageText = map[string]string{
	"wizard": `nestauth: get an OAuth 2.0 access token for Nest devices, or any OAuth 2.0
provider, in a terminal wizard. No curl needed.

Usage:
  nestauth [flags]            run the wizard
  nestauth --demo             try it against a built-in local server, no account
  nestauth exchange [flags]   trade a code for a token, JSON on stdout
  nestauth refresh [flags]    trade a refresh token for a new access token
  nestauth token [flags]      print a valid access token of a saved profile
  nestauth profiles           list the saved profiles
  nestauth forget --profile NAME [--revoke]   delete a saved profile
  nestauth check [flags]      prove a token works: what it reaches, on stdout
  nestauth revoke [flags]     make a token unusable at the provider
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
  --api-url URL            replace the provider's API origin (v, u, check)
  --check-url URL          the URL v and check call for a custom provider
                           (an API or userinfo endpoint)
  --revoke-url URL         replace the provider's revocation endpoint (x)
  --format F               what stdout gets: token (default), json, env, header
  --output PATH            write the token response (json unless --format)
                           to PATH, mode 0600, instead of stdout; an existing
                           file is refused unless --force
  --demo                   run against a built-in Works with Nest server
  --profile NAME           the saved profile to start from and save to
                           (default "default"); its values are filled in
  --save                   save the profile as soon as a token arrives
                           (without it, press s on the token step)
  --store keyring|file     where saving puts the secrets: the OS keyring
                           (default), or secrets.json beside the settings,
                           mode 0600, NOT encrypted
  --plain                  ask line by line instead of drawing the wizard
                           (also with ACCESSIBLE=1, TERM=dumb, or when stdin
                           is not a terminal); see Plain mode below
  --version                print the version
  --help                   print this help

A value given by flag or environment skips its step; esc still reaches it.
The wizard draws on stderr; when stdout is not a terminal it receives the
token alone, so TOKEN=$(nestauth ...) works.

On the Authorize step Q shows the URL as a QR code. On the Access token
step: c copies the token, h an Authorization header, u a curl command;
v verifies it with one API call; w writes it to a file (mode 0600); x revokes
it (a revoked token goes nowhere: exit 1).
Plain mode asks the same questions one line at a time on stderr and reads
the answers from stdin: no redrawing, no colour, no escape codes, for screen
readers, CI logs and scripts. The secret is read without echo from a
terminal. Type the code, or wait for the loopback redirect; an empty line
resends a code the server did not use. Scripted, stdin holds the answers
in the order of the questions (end of input before a token is exit 1):
  echo "$PIN" | nestauth --plain --provider nest --client-id ID \
      --client-secret-file F > token

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
With PKCE on (sdm, google, github, custom), the code came from a URL with a
code_challenge: give that URL's verifier (--code-verifier-file F), or
--no-pkce if the URL had none; without either, nothing is sent (exit 2).
Prints the token response as JSON on stdout (access_token, token_type,
refresh_token, scope, expires_in, expiry); errors go to stderr on one line.
--format token|json|env|header picks another form: env prints
NESTAUTH_ACCESS_TOKEN=... (and NESTAUTH_REFRESH_TOKEN, NESTAUTH_EXPIRY),
shell-quoted for eval "$(nestauth exchange ... --format env)". A token the
format cannot show (header, for a token that is not Bearer) goes out as JSON
instead, with a note on stderr: the code is spent, the token is kept.
--output PATH writes it to PATH (mode 0600, atomically) instead of stdout;
an existing file is refused, before anything is sent, unless --force.

Flags: --provider, --issuer URL, --client-id, --client-secret-file,
  --project-id, --token-url,
  --redirect-uri (must equal the one in the authorization URL),
  --auth-style post|basic, --code-file F, --code CODE,
  --code-verifier-file F, --code-verifier V (PKCE), --no-pkce, --timeout D,
  --save (save the result as a profile, for nestauth token; stderr says
  where), --profile NAME (default "default"), --store keyring|file,
  --format F, --output PATH, --force

Exit codes: 0 ok, 1 the token could not be written to stdout, or --save
  failed (the token printed is good; stderr says how to save it), 2 usage,
  3 code rejected (or the redirect carries an error), 4 client rejected,
  5 network or server error.
`,
	"refresh": `nestauth refresh: trade a refresh token for a new access token.

Usage:
  nestauth refresh --provider ID --client-id ID --refresh-token-file F [flags]
  nestauth refresh --provider ID --client-id ID < refresh-token

The client secret comes from NESTAUTH_CLIENT_SECRET or --client-secret-file.
Prints the token response as JSON on stdout, like exchange; --format and
--output (with --force) as for exchange.

Flags: --provider, --issuer URL, --client-id, --client-secret-file, --token-url,
  --auth-style post|basic, --refresh-token-file F, --timeout D,
  --save (save the result as a profile, for nestauth token; stderr says
  where), --profile NAME (default "default"), --store keyring|file,
  --format F, --output PATH, --force

Works with Nest (--provider nest) never issued refresh tokens.

Exit codes: 0 ok, 1 the token could not be written to stdout, or --save
  failed (the token printed is good; stderr says how to save it), 2 usage,
  3 refresh token rejected, 4 client rejected, 5 network or server error.
`,
	"token": `nestauth token: print a valid access token of a saved profile, for scripts.

Usage:
  nestauth token [--profile NAME] [--min-valid D] [--format F] [--timeout D]

Prints the access token alone on stdout: the stored one while it lives at
least --min-valid more (default 60s), with no request; else it refreshes it
once and saves the result (a rotated refresh token too) before printing.
Runs at the same moment refresh once: they wait on a lock in the settings
directory and share the new token.

Save a profile first: the wizard's s key (or --save), or exchange --save.

Flags: --profile NAME (default "default"), --min-valid D (default 60s),
  --timeout D (the refresh, and the wait for another run's; default 30s),
  --format token|json|env|header (default token), --output PATH, --force

Exit codes: 0 ok, 1 failure (a damaged profile, an unreachable keyring, or
  stdout could not take the token), 2 usage or no such profile,
  3 refresh token rejected: sign in again with nestauth --profile NAME,
  4 client rejected, 5 network or server error.
`,
	"profiles": `nestauth profiles: list the saved profiles.

Usage:
  nestauth profiles

One line each: name, provider, client ID, where the secrets are kept
(keyring or file) and when the access token expires. Never a secret. A
damaged profile shows the settings file's path and line.

The settings are in $NESTAUTH_CONFIG_DIR, else $XDG_CONFIG_HOME/nestauth,
else the OS's user config directory/nestauth (~/.config/nestauth on Linux).

Exit codes: 0 ok (also when there are none), 1 the list cannot be read.
`,
	"forget": `nestauth forget: delete a saved profile.

Usage:
  nestauth forget --profile NAME [--revoke] [--timeout D]

Deletes the profile's settings, its OS keyring entries and its entry in
the secrets file, and prints what it deleted.
--revoke first revokes its tokens at the provider; if that fails, nothing
is deleted.

Exit codes: 0 ok, 1 failure, 2 usage or no such profile; with --revoke,
  3 token rejected, 4 client rejected, 5 network or server error.
`,
	"check": `nestauth check: prove a token works with one API call.

Usage:
  nestauth check --provider ID --token-file F [flags]
  nestauth exchange ... | nestauth check --provider ID [flags]

The token comes from --token-file F, else stdin (asked for, hidden, on a
terminal): the access token alone, or what exchange, refresh, --output or
the wizard's w wrote (json, env or header). With --profile NAME and no
--token-file, the saved profile's token (refreshed first if it expired), and
the profile's provider, client and endpoints.
  sdm     lists the project's devices (GET /v1/enterprises/PROJECT/devices)
  nest    reads the API root, following its redirect to the per-user host
          with the token (to that host only)
  custom  calls --check-url (an API or userinfo URL): status and an excerpt
What the token reaches goes to stdout, a line each. An empty device list is
no error (exit 0): why, and how to share devices, goes to stderr.

Flags: --provider, --project-id (sdm), --token-file F, --api-url URL,
  --check-url URL, --timeout D

Exit codes: 0 the token works, 1 stdout could not be written, 2 usage,
  3 token rejected or expired (401, or a 403 that says the token is
  invalid, malformed or expired), 4 refused: permission, scope or wrong
  project (403, 404), 5 network or server error.
`,
	"revoke": `nestauth revoke: make a token unusable at the provider.

Usage:
  nestauth revoke --provider ID --token-file F [flags]
  nestauth revoke --provider ID < token.json

The token comes from --token-file F, else stdin, as for check; with
--profile NAME and no --token-file, the saved profile's tokens.
  sdm     POST https://oauth2.googleapis.com/revoke (RFC 7009), the refresh
          token when there is one (its access tokens die with it)
  nest    DELETE https://api.home.nest.com/oauth2/access_tokens/TOKEN
  custom  RFC 7009 at --revoke-url, with --client-id (and the secret from
          NESTAUTH_CLIENT_SECRET or --client-secret-file, if any)
Says on stderr what was revoked; stdout stays empty.

Flags: --provider, --client-id, --client-secret-file, --auth-style,
  --token-file F, --revoke-url URL, --timeout D

Exit codes: 0 revoked, 2 usage, 3 the token is already expired or revoked,
  4 the client was refused, 5 network or server error.
`,
	"device": `nestauth device: the device authorization grant (RFC 8628), for scripts
and machines without a browser.

Usage:
  nestauth device --provider github --client-id ID [--scope S] [flags]
  nestauth device --issuer URL --client-id ID [--scope S] [flags]
  nestauth device --profile NAME [flags]   from a saved profile

Prints a user code and a page on stderr: open the page on any device, sign
in and enter the code. nestauth polls the token endpoint at the server's
interval (longer after slow_down) until you approve, refuse, or the code
expires, and prints the token response as JSON on stdout, like exchange.
The client secret, when the client has one, comes from NESTAUTH_CLIENT_SECRET
or --client-secret-file (GitHub's device flow needs none; Google's does).
With --issuer and no --scope, it asks for openid when the server lists it.
--profile NAME starts from that saved profile (flags still win); with --save
it is saved back, or created.

Flags: --provider, --issuer URL, --client-id, --client-secret-file,
  --scope S, --device-url URL, --token-url URL, --auth-style post|basic,
  --timeout D (of each request; the wait lasts as long as the code),
  --save (save the result as a profile, for nestauth token; stderr says
  where), --profile NAME (default "default"), --store keyring|file,
  --format F, --output PATH, --force

Exit codes: 0 ok, 1 the token could not be written to stdout, or --save
  failed (the token printed is good), 2 usage, 3 denied on the page or the code expired, 4 client rejected,
  5 network or server error, 130 canceled (ctrl+c).
`,
}
