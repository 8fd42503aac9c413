// Command nestauth is a terminal wizard that gets an OAuth 2.0 access token
// for Nest devices (Google Device Access, or the legacy Works with Nest) or
// any OAuth 2.0 provider, with no curl command.
//
// main.go wires the parts: flags.go reads the command line, input.go reads
// values from stdin and files, output.go prints results, errors and exit
// codes, terminal.go finds the wizard's screen.
package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/ui"
	"nestauth/ui/plain"
)

// Demo credentials for the built-in server; they open nothing real.
const (
	demoClientID     = "nestauth-demo"
	demoClientSecret = "demo-secret-not-real"
)

// Main runs nestauth with args (without the program name) and returns the
// exit status. getenv sees the secrets that main took out of the environment.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return runCLI(args, stdin, stdout, stderr, getenv)
}

func runCLI(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd := "wizard"
	if len(args) > 0 && (args[0] == "exchange" || args[0] == "refresh" || args[0] == "check" || args[0] == "revoke" || args[0] == "device") {
		cmd, args = args[0], args[1:]
	}
	if len(args) > 0 && profileCommands[args[0]] {
		cmd, args = args[0], args[1:]
	}
	if len(args) > 0 && args[0] == "help" { // nestauth help, nestauth exchange help
		args = []string{"--help"}
	}
	o, err := parseFlags(cmd, args, getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return printHelp(stderr, cmd)
	case err != nil:
		return usageFailed(stderr, cmd, err)
	case o.showVersion:
		return printVersion(stdout, stderr)
	}
	if err := checkStdout(stdout); writesToken[cmd] && o.sink.path == "" && err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	if cmd != "wizard" && o.issuer != "" {
		if code := discoverIssuer(o, cmd, stderr); code != exitOK {
			return code
		}
	}
	switch cmd {
	case "exchange":
		return runExchange(o, stdin, stdout, stderr)
	case "refresh":
		return runRefresh(o, stdin, stdout, stderr)
	case "token":
		return runToken(o, stdout, stderr)
	case "profiles":
		return runProfiles(o, stdout, stderr)
	case "forget":
		return runForget(o, stdout, stderr)
	case "check":
		return runCheck(o, stdin, stdout, stderr)
	case "revoke":
		return runRevoke(o, stdin, stderr)
	case "device":
		return runDevice(o, stdout, stderr)
	}
	return runWizard(o, stdin, stdout, stderr, getenv)
}

func runWizard(o *options, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	uo := ui.Options{
		Providers:    o.providers,
		ClientID:     o.clientID,
		ClientSecret: o.clientSecret,
		ProjectID:    o.projectID,
		Issuer:       o.issuer,
		Scopes:       o.scopes,
		RedirectURI:  o.redirectURI,
		NoPKCE:       o.noPKCE,
		Device:       o.device,
		Timeout:      o.timeout,
		Copy:         ui.CopyToSystem,
		Open:         ui.OpenBrowser,
	}
	if conn := strings.Fields(getenv("SSH_CONNECTION")); len(conn) == 4 {
		uo.SSHHost = conn[2]
	}
	if o.demo {
		fake := fakenest.New(demoClientID, demoClientSecret)
		if err := fake.Start(); err != nil {
			failf(stderr, "cannot start the demo server: %v", err)
			return exitFailure
		}
		defer fake.Close()
		p := auth.Nest()
		p.Name = "Works with Nest (demo server on this machine)"
		p.AuthURL, p.TokenURL = fake.AuthURL(), fake.TokenURL()
		p.APIURL, p.RevokeURL = fake.APIURL(), fake.RevokeURL()
		uo.Providers = []auth.Provider{p}
		uo.ClientID, uo.ClientSecret, uo.Prefill = demoClientID, demoClientSecret, true
		uo.Approve = fake.Approve
	} else if err := o.wizardProfile(&uo, stderr); err != nil {
		return profileFailed(stderr, err)
	}
	o.wizardSave(&uo)
	uo.TokenNote, uo.Deliver = tokenDelivery(stdout, o.sink)
	if plain.Wanted(o.plain, stdin, getenv) {
		return plain.Run(uo, plainSink{o.sink}, stdin, stdout, stderr)
	}
	screen, closeScreen, err := wizardScreen(stderr)
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	defer closeScreen()

	p := tea.NewProgram(ui.New(uo), tea.WithOutput(screen), tea.WithColorProfile(colorProfile(screen)))
	defer quitOnHangup(p)()
	final, err := p.Run()
	if err != nil {
		return printRunError(stderr, err)
	}
	m := final.(ui.Model)
	m.Close()
	return o.wizardSaved(&m, printWizardResult(&m, o.sink, stdout, stderr, screen), screen, stderr)
}

func runExchange(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
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
		failf(stderr, "--provider %s uses PKCE: the code came from an authorization URL with a PKCE challenge, so pass --code-verifier-file F with that URL's verifier, or --no-pkce if that URL had none. Nothing was sent: the code is still good.", p.ID)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	cfg := o.config()
	tok, err := cfg.Exchange(ctx, code.Value, o.verifier)
	if warn := cfg.RefreshTokenWarning(); err == nil && tok.RefreshToken != "" && warn != "" {
		say(stderr, "nestauth: note: "+warn)
	}
	status := printResult(tok, err, "The code is used up: get a new one, and give exchange %s.", o.sink, stdout, stderr)
	if o.save && status == exitOK {
		return o.saveAndSay(stderr, "exchange", cfg, tok)
	}
	return status
}

func runRefresh(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	rt := o.refreshToken
	if o.refreshTokenFile == "" {
		line, err := readLine(stdin, stderr, "Refresh token")
		if err != nil {
			failf(stderr, "reading the refresh token from stdin: %v", err)
			return exitUsage
		}
		rt = line
	}
	if rt == "" {
		failf(stderr, "no refresh token: pass --refresh-token-file PATH or pipe it on stdin")
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	tok, err := o.config().Refresh(ctx, rt)
	status := printResult(tok, err, "Run refresh again with %s (if the server rotated the refresh token, use the new one shown here).", o.sink, stdout, stderr)
	if o.save && status == exitOK {
		kept := *tok
		kept.RefreshToken = cmp.Or(tok.RefreshToken, rt) // Google keeps the refresh token and sends none back
		return o.saveAndSay(stderr, "refresh", o.config(), &kept)
	}
	return status
}
