package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"nestauth/auth"
)

// parseFlags reads cmd's command line and environment into options, every
// value checked before anything is sent. --help returns flag.ErrHelp.
func parseFlags(cmd string, args []string, getenv func(string) string) (*options, error) {
	for _, a := range args {
		if name := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-"); name == "client-secret" && strings.HasPrefix(a, "-") {
			return nil, usagef("the client secret is never a command-line value (it would show in ps and shell history): set NESTAUTH_CLIENT_SECRET or use --client-secret-file PATH")
		}
	}
	fs := flag.NewFlagSet("nestauth", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		o                      options
		pf                     providerFlags
		secretFile             string
		codeFile, verifierFile string
		forceDevice, noDevice  bool
	)
	fs.StringVar(&pf.id, "provider", "", "")
	fs.StringVar(&o.clientID, "client-id", getenv("NESTAUTH_CLIENT_ID"), "")
	fs.StringVar(&secretFile, "client-secret-file", "", "")
	fs.StringVar(&o.projectID, "project-id", getenv("NESTAUTH_PROJECT_ID"), "")
	fs.StringVar(&pf.authURL, "auth-url", "", "")
	fs.StringVar(&pf.tokenURL, "token-url", "", "")
	fs.StringVar(&pf.redirectURI, "redirect-uri", "", "")
	fs.StringVar(&pf.authStyle, "auth-style", "", "")
	fs.Var(&pf.scopes, "scope", "")
	fs.Var(&pf.params, "param", "")
	fs.BoolVar(&pf.noPKCE, "no-pkce", false, "")
	fs.StringVar(&pf.issuer, "issuer", "", "")
	fs.StringVar(&pf.deviceURL, "device-url", "", "")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "")
	fs.BoolVar(&o.showVersion, "version", false, "")
	store := o.profileFlags(fs, cmd)
	switch cmd {
	case "wizard":
		fs.BoolVar(&o.demo, "demo", false, "")
		fs.BoolVar(&o.plain, "plain", false, "")
		fs.BoolVar(&forceDevice, "device", false, "")
		fs.BoolVar(&noDevice, "no-device", false, "")
	case "exchange":
		fs.StringVar(&o.code, "code", "", "")
		fs.StringVar(&codeFile, "code-file", "", "")
		fs.StringVar(&o.verifier, "code-verifier", "", "")
		fs.StringVar(&verifierFile, "code-verifier-file", "", "")
	case "refresh":
		fs.StringVar(&o.refreshTokenFile, "refresh-token-file", "", "")
	case "check", "revoke":
		fs.StringVar(&o.tokenFile, "token-file", "", "")
	}
	if writesToken[cmd] {
		fs.StringVar(&o.sink.format, "format", "", "")
		fs.StringVar(&o.sink.path, "output", "", "")
		fs.BoolVar(&o.sink.force, "force", false, "")
	}
	if cmd == "wizard" || cmd == "check" || cmd == "revoke" {
		fs.StringVar(&pf.apiURL, "api-url", "", "")
		fs.StringVar(&pf.checkURL, "check-url", "", "")
		fs.StringVar(&pf.revokeURL, "revoke-url", "", "")
	}
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return nil, err
	case err != nil:
		return nil, usageError{flagError(err)}
	}
	if o.showVersion {
		return &o, nil
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	if o.timeout <= 0 {
		return nil, usagef("--timeout must be positive, such as 30s")
	}
	o.projectID = strings.TrimSpace(o.projectID)
	var err error
	if o.clientSecret, err = clientSecret(secretFile, getenv); err != nil {
		return nil, err
	}
	if o.refreshTokenFile != "" {
		if o.refreshToken, err = flagFile("refresh-token-file", o.refreshTokenFile, true); err != nil {
			return nil, err
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := o.checkProfileFlags(cmd, set, *store, getenv); err != nil {
		return nil, err
	}
	if o.sink.defaults(cmd); writesToken[cmd] {
		if err := o.sink.check(); err != nil {
			return nil, usageError{err.Error()}
		}
	}
	if profileCommands[cmd] {
		return &o, nil // the saved profile holds the rest
	}
	o.providerFlags = pf
	if err := o.readCodeFiles(set, codeFile, verifierFile); err != nil {
		return nil, err
	}
	source := func(flagName, env string) string { // name what the person gave
		if set[flagName] {
			return "--" + flagName
		}
		return env
	}
	if o.projectID != "" && !o.demo && (pf.id == "" || strings.EqualFold(pf.id, "sdm")) {
		if o.projectID, err = auth.ParseProjectID(o.projectID); err != nil {
			return nil, usagef("%s %q: %v. %s", source("project-id", "NESTAUTH_PROJECT_ID"), o.projectID, err, auth.ProjectIDHelp)
		}
	}
	if o.clientID != "" {
		if o.clientID, err = auth.ParseClientID(o.clientID); err != nil {
			return nil, usagef("%s: %v", source("client-id", "NESTAUTH_CLIENT_ID"), err)
		}
	}
	if o.demo && pf.id != "" {
		return nil, usagef("--demo runs its own Works with Nest server: leave out --provider")
	}
	if cmd == "refresh" && strings.EqualFold(pf.id, "nest") {
		return nil, usagef("Works with Nest never issued refresh tokens (its access tokens last ten years): for a new token, run the wizard or 'nestauth exchange' with a new PIN")
	}
	if (cmd == "device" || cmd == "check" || cmd == "revoke") && o.profileSet {
		if err := o.startFromProfile(&pf); err != nil {
			return nil, err
		}
	}
	if o.providers, err = pf.providers(cmd, o.demo); err != nil {
		return nil, err
	}
	if o.device, err = deviceMode(forceDevice, noDevice, pf, o.providers); err != nil {
		return nil, err
	}
	o.issuer, o.redirectURI, o.noPKCE = pf.issuer, pf.redirectURI, pf.noPKCE
	o.scopes = strings.Fields(strings.Join(pf.scopes, " "))
	if cmd == "exchange" || cmd == "refresh" || cmd == "device" {
		if o.clientID == "" {
			return nil, usagef("%s needs --client-id (or NESTAUTH_CLIENT_ID)", cmd)
		}
		if _, err := o.providers[0].ParseSecret(o.clientSecret); err != nil {
			return nil, usagef("%s needs the client secret in NESTAUTH_CLIENT_SECRET or --client-secret-file", cmd)
		}
	}
	return &o, nil
}

// clientSecret is the client secret from --client-secret-file, else from
// NESTAUTH_CLIENT_SECRET: never from argv, where ps shows it.
func clientSecret(file string, getenv func(string) string) (string, error) {
	if file == "" {
		return trimValue(getenv("NESTAUTH_CLIENT_SECRET")), nil
	}
	return flagFile("client-secret-file", file, false)
}

// flagFile reads the file a --NAME-file flag names, refusing an empty one
// unless the value may be empty (a later message then names what is missing).
func flagFile(name, path string, mayBeEmpty bool) (string, error) {
	v, err := readSmallFile(path)
	if err != nil {
		return "", usagef("--%s: %v", name, err)
	}
	if v == "" && !mayBeEmpty {
		return "", usagef("--%s: %s is empty", name, path)
	}
	return v, nil
}

// readCodeFiles takes exchange's code and verifier from their files: kept
// out of argv, where ps shows them to every local user.
func (o *options) readCodeFiles(set map[string]bool, codeFile, verifierFile string) error {
	if set["code"] && set["code-file"] {
		return usagef("give --code or --code-file, not both")
	}
	if set["code-verifier"] && set["code-verifier-file"] {
		return usagef("give --code-verifier or --code-verifier-file, not both")
	}
	switch {
	case set["code"]:
		o.codeSource = "--code"
	case set["code-file"]:
		code, err := flagFile("code-file", codeFile, true)
		if err != nil {
			return err
		}
		o.code, o.codeSource = code, "--code-file "+codeFile
	}
	if set["code-verifier-file"] {
		v, err := flagFile("code-verifier-file", verifierFile, false)
		if err != nil {
			return err
		}
		o.verifier = v
	}
	return nil
}

// flagError words the flag package's errors the way the help spells flags.
func flagError(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"flag provided but not defined: -", "flag needs an argument: -"} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			if strings.HasPrefix(prefix, "flag provided") {
				return "unknown flag --" + strings.TrimPrefix(rest, "-")
			}
			return "--" + strings.TrimPrefix(rest, "-") + " needs a value"
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if v, f, ok := strings.Cut(rest, " for flag -"); ok {
			name, why, _ := strings.Cut(f, ": ")
			name = strings.TrimPrefix(name, "-")
			if name == "timeout" {
				why = "a duration with a unit, such as 30s or 2m"
			}
			return fmt.Sprintf("--%s: invalid value %s (%s)", name, v, why)
		}
	}
	return msg
}
