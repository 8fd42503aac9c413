package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"nestauth/auth"
	"nestauth/internal/profile"
)

func (a *app) newCmdExchange() *cobra.Command {
	c := &command{name: "exchange", writesToken: true, sendsClient: true, saveNeedsIt: true, flow: profile.FlowCode,
		saveAgain: "To save a profile, exchange needs a new code (this one is used up): run it again with --save once the store works, or with --store file."}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "exchange",
		Short: "Trade an authorization code for a token, JSON on stdout",
		Long: `Trade an authorization code for a token, without the wizard.

The client secret comes from NESTAUTH_CLIENT_SECRET or --client-secret-file.
The code is the PIN, the code (%2F is decoded) or the whole redirect URL:
from --code-file F, else --code, else stdin's first line (asked for, hidden,
on a terminal). A file or stdin keeps it out of ps, which any local user can
read; so does --code-verifier-file for the PKCE verifier.

exchange is for an authorization URL you built yourself: nestauth prints no
URL and verifier for it. To sign in from a script, use the wizard's plain
mode (nestauth --plain, answers on stdin), or the device flow (nestauth
device) where the provider has one.

With PKCE on (sdm, google, github, custom), the code came from a URL with a
code_challenge: give that URL's verifier (--code-verifier-file F), or
--no-pkce if the URL had none; without either, nothing is sent (exit 2).
--redirect-uri must equal the one in the authorization URL.

Prints the token response as JSON on stdout (access_token, token_type,
refresh_token, scope, expires_in, expiry); errors go to stderr on one line.
--format token|json|env|header picks another form: env prints
NESTAUTH_ACCESS_TOKEN=... (and NESTAUTH_REFRESH_TOKEN, NESTAUTH_EXPIRY),
shell-quoted for eval "$(nestauth exchange ... --format env)". A token the
format cannot show (header, for a token that is not Bearer) goes out as JSON
instead, with a note on stderr: the code is spent, the token is kept.
--output PATH writes it to PATH (mode 0600, atomically) instead of stdout;
an existing file is refused, before anything is sent, unless --force.
--save saves the result as a profile, for nestauth token; stderr says where.

Exit codes: 0 ok, 1 the token could not be written to stdout, or --save
failed (the token printed is good; stderr says how to save it), 2 usage,
3 code rejected (or the redirect carries an error), 4 client rejected (the
code was not used: it is still good), 5 network or server error.`,
		Example: `  nestauth exchange --provider nest --client-id ID --code-file pin.txt
  nestauth exchange --provider sdm --client-id ID --code-verifier-file v < redirect-url
  eval "$(nestauth exchange --provider custom --issuer URL --client-id ID --format env < code)"`,
	}
	o.client.addFlags(cmd)
	o.providerFlags.addFlags(cmd)
	addTimeoutFlag(cmd, &o.timeout, "time limit of the token request, and of --save's wait for the profile lock")
	o.addProfileFlag(cmd, a.getenv, "the profile --save saves to")
	o.addSaveFlags(cmd)
	o.sink.addFlags(cmd)
	fs := cmd.Flags()
	fs.StringVar(&o.codeFile, "code-file", "", "read the code (PIN, code or redirect URL) from this file")
	fs.StringVar(&o.code, "code", "", "the code (PIN, code or redirect URL); ps shows it: prefer --code-file or stdin")
	fs.StringVar(&o.verifierFile, "code-verifier-file", "", "read the PKCE verifier from this file")
	fs.StringVar(&o.verifier, "code-verifier", "", "the PKCE verifier; ps shows it: prefer --code-verifier-file")
	return a.add(cmd, c, o, a.runExchange)
}

func (a *app) runExchange(o *options) int {
	stdin, stdout, stderr := a.stdin, a.stdout, a.stderr
	raw, source := o.code, o.codeSource
	if source == "" {
		line, err := readLine(stdin, stderr, "Code or redirect URL")
		if err != nil {
			failf(stderr, "reading the code from stdin: %v", err)
			return exitUsage
		}
		if line == "" {
			failf(stderr, "no code: pass --code CODE, --code-file PATH, or the code on stdin (the PIN, the code, or the whole redirect URL)")
			return exitUsage
		}
		raw, source = line, "stdin"
	}
	code, err := auth.ParseCode(raw, "")
	var denied *auth.AuthorizationError
	switch {
	case errors.As(err, &denied):
		// The server sent no code: the person must authorize again.
		failf(stderr, "the redirect carries an error, not a code: %v.", denied)
		return exitStatus(auth.KindCode)
	case errors.Is(err, auth.ErrEmptyCode):
		err = fmt.Errorf("%s is empty: give the PIN, the code, or the whole redirect URL", source)
	}
	if err != nil {
		failf(stderr, "%v", err)
		return exitUsage
	}
	if p := o.providers[0]; p.PKCE && o.verifier == "" {
		failf(stderr, "--provider %s uses PKCE: the code came from an authorization URL with a PKCE challenge, so pass --code-verifier-file F with that URL's verifier, or --no-pkce if that URL had none (to sign in from a script without your own URL, use nestauth --plain). Nothing was sent: the code is still good.", p.ID)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(a.requestContext(), o.timeout)
	defer cancel()
	cfg := o.config()
	tok, err := cfg.Exchange(ctx, code.Value, o.verifier)
	if err != nil {
		return printFailure(stderr, err, describe(asAuthError(err)), exchangeHint)
	}
	if warn := cfg.RefreshTokenWarning(); tok.RefreshToken != "" && warn != "" {
		say(stderr, "nestauth: note: "+warn)
	}
	return o.deliver(stdout, stderr, cfg, tok, tok, "The code is used up: get a new one, and give exchange %s.")
}

// exchangeHint is what to do about a failed exchange; a rejected client
// spent no code, so the same code can be sent again once it is fixed.
func exchangeHint(e *auth.Error) string {
	hint := e.Hint()
	if e.Kind == auth.KindClientID || e.Kind == auth.KindSecret {
		hint += " The code was not used: it is still good, so run exchange again with it once the client is fixed."
	}
	return hint
}
