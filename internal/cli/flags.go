package cli

// The flags several commands share, as small groups each declared once, and
// the checks of the parsed command line before anything is sent.

import (
	"cmp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"nestauth/auth"
	"nestauth/internal/profile"
)

func (f *clientFlags) addFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.id, "client-id", "", "the OAuth client ID (env NESTAUTH_CLIENT_ID)")
	fs.StringVar(&f.secretFile, "client-secret-file", "", "read the client secret from this file (or env NESTAUTH_CLIENT_SECRET; never a flag value)")
	fs.StringVar(&f.projectID, "project-id", "", "the Device Access project ID, for sdm (env NESTAUTH_PROJECT_ID)")
}

// addFlags defines the flags that shape a provider.
func (f *providerFlags) addFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.id, "provider", "", "which provider: sdm, nest, google, github or custom")
	fs.StringVar(&f.issuer, "issuer", "", "the server's issuer URL: endpoints from its metadata; implies custom")
	fs.StringVar(&f.authURL, "auth-url", "", "replace the provider's authorization endpoint")
	fs.StringVar(&f.tokenURL, "token-url", "", "replace the provider's token endpoint")
	fs.StringVar(&f.deviceURL, "device-url", "", "replace the device authorization endpoint (RFC 8628)")
	fs.StringVar(&f.redirectURI, "redirect-uri", "", "the redirect URI; http://127.0.0.1:PORT/path is caught automatically (sdm: https://www.google.com)")
	fs.StringVar(&f.authStyle, "auth-style", "", "the client credentials in the body (post, the default) or HTTP Basic (basic)")
	fs.StringArrayVar(&f.scopes, "scope", nil, "the scopes to ask for, repeatable or space-separated")
	fs.StringArrayVar(&f.params, "param", nil, "an extra authorization URL parameter key=value, repeatable")
	fs.BoolVar(&f.noPKCE, "no-pkce", false, "send no PKCE challenge (on for sdm, google, github and custom)")
	complete(cmd, "provider", providerIDs()...)
	complete(cmd, "auth-style", "post", "basic")
}

// addAPIFlags defines the URLs a token is used at: v, u and x in the
// wizard, check and revoke.
func (f *providerFlags) addAPIFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.apiURL, "api-url", "", "replace the provider's API origin (v, u, check)")
	fs.StringVar(&f.checkURL, "check-url", "", "the URL v and check call for a custom provider (an API or userinfo endpoint)")
	fs.StringVar(&f.revokeURL, "revoke-url", "", "replace the provider's revocation endpoint (x, revoke)")
}

// addTimeoutFlag defines --timeout, the limit of one request.
func addTimeoutFlag(cmd *cobra.Command, d *time.Duration, usage string) {
	cmd.Flags().DurationVar(d, "timeout", 30*time.Second, usage)
}

// addProfileFlag defines --profile, with the names in profiles.conf as its
// completions.
func (o *profileOptions) addProfileFlag(cmd *cobra.Command, getenv func(string) string, usage string) {
	cmd.Flags().StringVar(&o.profile, "profile", profile.DefaultName, usage)
	_ = cmd.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return profileNames(getenv), cobra.ShellCompDirectiveNoFileComp
	})
}

// addSaveFlags defines --save and --store.
func (o *profileOptions) addSaveFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.BoolVar(&o.save, "save", false, "save the result as a profile, for nestauth token (stderr says where)")
	fs.StringVar(&o.storeName, "store", profile.Keyring.String(), "where --save puts the secrets: the OS keyring, or secrets.json beside the settings, mode 0600, NOT encrypted")
	complete(cmd, "store", profile.Keyring.String(), profile.File.String())
}

// providerIDs are --provider's values.
func providerIDs() []string {
	var ids []string
	for _, p := range auth.Providers() {
		ids = append(ids, p.ID)
	}
	return ids
}

// profileNames are the saved profiles' names, read from the settings file
// alone: completion never asks the keyring, never reads a secret.
func profileNames(getenv func(string) string) []string {
	dir, err := profile.DefaultDir(getenv)
	if err != nil {
		return nil
	}
	names, _ := profile.Store{Dir: dir}.Names()
	return names
}

// secretFlagGiven reports whether args try to give the client secret as a
// value, which ps and shell history would show; checked before cobra reads
// args, so that no message can echo it.
func secretFlagGiven(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if name, _, _ := strings.Cut(a, "="); strings.HasPrefix(a, "-") && strings.TrimLeft(name, "-") == "client-secret" {
			return true
		}
	}
	return false
}

// complete checks the parsed command line of c (fs holds which flags were
// given) and fills in what the environment and a saved profile give: every
// value checked before anything is sent.
func (o *options) complete(c *command, fs *pflag.FlagSet, getenv func(string) string) error {
	o.cmd = c
	set := map[string]bool{}
	fs.Visit(func(f *pflag.Flag) { set[f.Name] = true })
	if o.timeout <= 0 && fs.Lookup("timeout") != nil {
		return usagef("--timeout must be positive, such as 30s")
	}
	o.clientID = cmp.Or(o.client.id, getenv("NESTAUTH_CLIENT_ID"))
	o.projectID = strings.TrimSpace(cmp.Or(o.client.projectID, getenv("NESTAUTH_PROJECT_ID")))
	var err error
	if !c.fromProfile {
		if o.clientSecret, err = clientSecret(o.client.secretFile, getenv); err != nil {
			return err
		}
	}
	if o.refreshTokenFile != "" {
		if o.refreshToken, err = flagFile("refresh-token-file", o.refreshTokenFile, true); err != nil {
			return err
		}
	}
	if err := o.checkProfileFlags(c, set, getenv); err != nil {
		return err
	}
	if o.sink.defaults(c); c.writesToken {
		if err := o.sink.check(); err != nil {
			return usageError{err.Error()}
		}
	}
	if c.fromProfile {
		return nil // the saved profile holds the rest
	}
	pf := o.providerFlags
	if err := o.readCodeFiles(set); err != nil {
		return err
	}
	source := func(flagName, env string) string { // name what the person gave
		if set[flagName] {
			return "--" + flagName
		}
		return env
	}
	if o.projectID != "" && !o.demo && (pf.id == "" || strings.EqualFold(pf.id, "sdm")) {
		if o.projectID, err = auth.ParseProjectID(o.projectID); err != nil {
			return usagef("%s %q: %v. %s", source("project-id", "NESTAUTH_PROJECT_ID"), o.projectID, err, auth.ProjectIDHelp)
		}
	}
	if o.clientID != "" {
		if o.clientID, err = auth.ParseClientID(o.clientID); err != nil {
			return usagef("%s: %v", source("client-id", "NESTAUTH_CLIENT_ID"), err)
		}
	}
	for _, name := range []string{"project-id", "client-id", "client-secret-file"} {
		if o.demo && set[name] { // the environment's are a person's own, passed over
			return usagef("--demo fills in its own project ID, client ID and secret, which its servers know: leave out --%s", name)
		}
	}
	if o.demo && pf.id != "" && !strings.EqualFold(pf.id, "sdm") && !strings.EqualFold(pf.id, "nest") {
		return usagef("--demo serves Device Access and Works with Nest: leave out --provider, or give sdm or nest")
	}
	if c.refreshes && strings.EqualFold(pf.id, "nest") {
		return usagef("Works with Nest never issued refresh tokens (its access tokens last ten years): for a new token, run the wizard or 'nestauth exchange' with a new PIN")
	}
	if c.loadsProfile && o.profileSet {
		if err := o.startFromProfile(&pf); err != nil {
			return err
		}
	}
	if o.providers, err = pf.providers(c, o.demo); err != nil {
		return err
	}
	if o.device, err = deviceMode(o.forceDevice, o.noDevice, pf, o.providers); err != nil {
		return err
	}
	o.issuer, o.redirectURI, o.noPKCE = pf.issuer, pf.redirectURI, pf.noPKCE
	o.scopes = strings.Fields(strings.Join(pf.scopes, " "))
	if c.sendsClient {
		if o.clientID == "" {
			return usagef("%s needs --client-id (or NESTAUTH_CLIENT_ID)", c.title())
		}
		if _, err := o.providers[0].ParseSecret(o.clientSecret); err != nil {
			return usagef("%s needs the client secret in NESTAUTH_CLIENT_SECRET or --client-secret-file", c.title())
		}
	}
	return nil
}

// clientSecret is the client secret from --client-secret-file, else from
// NESTAUTH_CLIENT_SECRET: never from argv, where ps shows it. One line,
// whichever: a second line is never sent as part of it.
func clientSecret(file string, getenv func(string) string) (string, error) {
	source, v := "NESTAUTH_CLIENT_SECRET", trimValue(getenv("NESTAUTH_CLIENT_SECRET"))
	if file != "" {
		var err error
		if v, err = flagFile("client-secret-file", file, false); err != nil {
			return "", err
		}
		source = "--client-secret-file " + file
	}
	if strings.ContainsAny(v, "\r\n") {
		return "", usagef("%s: %v; nothing was sent", source, auth.ErrSecretLines)
	}
	return v, nil
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
func (o *options) readCodeFiles(set map[string]bool) error {
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
		code, err := flagFile("code-file", o.codeFile, true)
		if err != nil {
			return err
		}
		o.code, o.codeSource = code, "--code-file "+o.codeFile
	}
	if set["code-verifier-file"] {
		v, err := flagFile("code-verifier-file", o.verifierFile, false)
		if err != nil {
			return err
		}
		o.verifier = v
	}
	return nil
}

// flagError words pflag's errors about c's command line (cmd) the way the
// help spells flags, in one line.
func flagError(c *command, cmd *cobra.Command, err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "unknown flag: "); ok {
		name := strings.TrimLeft(rest, "-")
		if knownElsewhere(cmd.Root(), name) {
			why := "see " + cmd.CommandPath() + " --help"
			if c.fromProfile {
				why = "the saved profile holds the settings"
			}
			return usagef("unknown flag --%s: --%s does not apply to %s (%s)", name, name, cmd.Name(), why)
		}
		return usagef("unknown flag --%s (see %s --help)", name, cmd.CommandPath())
	}
	if rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: "); ok {
		return usagef("unknown flag %s (see %s --help)", strings.Fields(rest)[0], cmd.CommandPath())
	}
	if rest, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usagef("%s needs a value", strings.Trim(rest, "'"))
	}
	if rest, ok := strings.CutPrefix(msg, "invalid argument "); ok {
		// invalid argument "x" for "--timeout" flag: time: invalid duration "x"
		v, rest, _ := strings.Cut(rest, " for ")
		name, _, _ := strings.Cut(rest, " flag")
		name = strings.Trim(name, `"`)
		if i := strings.Index(name, "--"); i >= 0 {
			name = name[i:]
		}
		why := "see " + cmd.CommandPath() + " --help"
		if f := cmd.Flags().Lookup(strings.TrimPrefix(name, "--")); f != nil && f.Value.Type() == "duration" {
			why = "a duration with a unit, such as 30s or 2m"
		}
		return usagef("%s: invalid value %s (%s)", name, v, why)
	}
	return usageError{msg}
}

// knownElsewhere reports whether another command of root has flag name.
func knownElsewhere(root *cobra.Command, name string) bool {
	if root.Flags().Lookup(name) != nil {
		return true
	}
	for _, c := range root.Commands() {
		if c.Flags().Lookup(name) != nil {
			return true
		}
	}
	return false
}
