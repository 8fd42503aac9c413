package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/ui"
	"nestauth/ui/flow"
)

// checkProfileFlags checks the profile flags given (set) for cmd and finds
// the settings directory.
func (o *options) checkProfileFlags(c *command, set map[string]bool, getenv func(string) string) error {
	o.profileSet, o.storeSet = set["profile"], set["store"]
	if err := profile.ValidateName(o.profile); err != nil {
		return usagef("--profile: %v", err)
	}
	var err error
	if o.store, err = profile.ParseBackend(cmp.Or(o.storeName, profile.Keyring.String())); err != nil {
		return usagef("--store: %v", err)
	}
	switch {
	case c.needsProfile && !o.profileSet:
		return usagef("%s needs --profile NAME: 'nestauth profiles' lists them", c.title())
	case o.minValid < 0:
		return usagef("--min-valid cannot be negative")
	case o.demo && (o.save || o.profileSet || set["store"]):
		return usagef("--demo's server lives only while the wizard runs: there is no profile to save or load")
	case c.saveNeedsIt && !o.save && o.profileSet || !c.wizard && !o.save && set["store"]:
		return usagef("--profile and --store say where --save puts the result: add --save")
	}
	o.settingsDir, o.settingsErr = profile.DefaultDir(getenv)
	if o.save && o.settingsErr == nil { // refused now, not after the code is spent
		return (profile.Store{Dir: o.settingsDir}).Trusted()
	}
	return nil
}

// profiles is the store of saved profiles.
func (o *options) profiles() (profile.Store, error) {
	if o.settingsErr != nil {
		return profile.Store{}, o.settingsErr
	}
	return profile.Store{Dir: o.settingsDir}, nil
}

// saveProfile saves cfg and tok as o.profile, signed in with flow ("" for
// a refresh, which keeps the saved one): the secrets where --store says,
// else where the profile kept them, else in the keyring. --issuer is kept,
// or the saved issuer while the token endpoint stays the same.
func (o *options) saveProfile(ctx context.Context, cfg auth.Config, tok *auth.Token, flow string) (profile.Saved, error) {
	st, err := o.profiles()
	if err != nil {
		return profile.Saved{}, err
	}
	set := profile.SettingsFor(cfg, o.store)
	set.Issuer, set.Flow = o.issuer, flow
	if old, err := st.Load(o.profile); err == nil {
		if !o.storeSet { // saved again, a profile keeps its secrets where they are
			set.SecretsIn = old.Settings.SecretsIn
		}
		if set.Issuer == "" && old.Settings.Provider == set.Provider && old.Settings.TokenURL == set.TokenURL {
			set.Issuer = old.Settings.Issuer
		}
		set.Flow = cmp.Or(set.Flow, old.Settings.Flow)
	}
	return st.SaveContext(ctx, o.profile, set, profile.SecretsFor(cfg, tok))
}

// wizardFlow is the flow the wizard in mode signs in with for cfg, as both
// front ends decide it.
func wizardFlow(mode ui.DeviceMode, cfg auth.Config) string {
	if flow.UseDevice(mode, cfg.Provider) {
		return profile.FlowDevice
	}
	return profile.FlowCode
}

// deliver hands over the token exchange, refresh or device got: with
// --save, saved first (keep is what the profile keeps), then written where
// the sink says. --save is the second copy: a write that fails must not
// skip it, and a save that fails does not skip the write.
func (o *options) deliver(stdout, stderr io.Writer, cfg auth.Config, tok, keep *auth.Token, lost string) int {
	saved := exitOK
	if o.save {
		saved = o.saveAndSay(stderr, cfg, keep)
	}
	return max(printResult(tok, nil, lost, o.sink, stdout, stderr), saved)
}

// saveAndSay saves exchange's, refresh's or device's result (--save) and
// says on stderr where it went. A failed save is exit 1, though the token
// goes out next: the message says that token is good, and how to save next
// time.
func (o *options) saveAndSay(stderr io.Writer, cfg auth.Config, tok *auth.Token) int {
	ctx, cancel := o.profileContext(context.Background(), stderr)
	defer cancel()
	saved, err := o.saveProfile(ctx, cfg, tok, o.cmd.flow)
	if err != nil {
		kept := fmt.Sprintf("The token goes to %s all the same, and is good: keep that output.", o.sink.where())
		failf(stderr, "profile %s was not saved: %v. %s %s", o.profile, err, kept, o.cmd.saveAgain)
		return exitFailure
	}
	say(stderr, strings.TrimSpace(fmt.Sprintf("nestauth: saved profile %s: settings in %s, secrets in %s. 'nestauth token --profile %s' prints a valid access token from now on. %s",
		o.profile, saved.SettingsPath, saved.SecretsWhere, o.profile, saved.KeptNote())))
	return exitOK
}

// wizardProfile fills the wizard's options from the saved profile: every
// value shown and editable, not skipped; flags still win. A profile that
// cannot be read stops the wizard when it was named, and is passed over
// with a warning otherwise.
func (o *options) wizardProfile(uo *ui.Options, stderr io.Writer) error {
	st, err := o.profiles()
	if err != nil {
		if o.profileSet {
			return err
		}
		return nil // no settings directory: nothing saved to load
	}
	p, err := st.Load(o.profile)
	switch {
	case errors.Is(err, profile.ErrNoProfile):
		return nil
	case untrusted(err) != nil:
		return untrusted(err)
	case err != nil && o.profileSet:
		return fmt.Errorf("profile %s cannot be read: %w. Fix it, or start afresh: nestauth forget --profile %s", o.profile, err, o.profile)
	case err != nil:
		failf(stderr, "note: the saved profile %s was not loaded: %v", o.profile, err)
		return nil
	}
	cfg, err := p.Config()
	if err != nil {
		return fmt.Errorf("profile %s: %w", o.profile, err)
	}
	pf := o.providerFlags
	if err := o.underSaved(&pf, cfg); err != nil {
		return err
	}
	providers, err := pf.providers(o.cmd, false)
	if err != nil {
		return err
	}
	uo.Providers = providers
	uo.ClientID, uo.ClientSecret, uo.ProjectID = o.clientID, o.clientSecret, o.projectID
	uo.Prefill = true
	if o.device == ui.DeviceAuto { // --device and --no-device win
		switch p.Settings.Flow {
		case profile.FlowDevice:
			uo.Device = ui.DeviceAlways
		case profile.FlowCode:
			uo.Device = ui.DeviceNever
		}
	}
	return nil
}

// underSaved puts the saved cfg under the flags: its provider under pf's
// overrides, its client where no flag or variable gave one.
func (o *options) underSaved(pf *providerFlags, cfg auth.Config) error {
	if pf.id != "" && pf.id != cfg.Provider.ID {
		return usagef("profile %s is saved for --provider %s, not %s: leave out --provider, or pick another --profile", o.profile, cfg.Provider.ID, pf.id)
	}
	pf.id, pf.saved = "", &cfg.Provider
	o.clientID = cmp.Or(o.clientID, cfg.ClientID)
	o.clientSecret = cmp.Or(o.clientSecret, cfg.ClientSecret)
	o.projectID = cmp.Or(o.projectID, cfg.ProjectID)
	return nil
}

// startFromProfile starts device, check or revoke --profile NAME from the
// saved profile, as the wizard does; with device --save, a profile not saved
// yet is created instead.
func (o *options) startFromProfile(pf *providerFlags) error {
	st, err := o.profiles()
	if err != nil {
		return err
	}
	p, err := st.Load(o.profile)
	switch {
	case errors.Is(err, profile.ErrNoProfile) && o.save:
		return nil
	case errors.Is(err, profile.ErrNoProfile):
		return usagef("%v: 'nestauth profiles' lists them; to create one, sign in with --profile %s --save", err, o.profile)
	case untrusted(err) != nil:
		return untrusted(err)
	case err != nil:
		return fmt.Errorf("profile %s cannot be read: %w. Fix it, or start afresh: nestauth forget --profile %s", o.profile, err, o.profile)
	}
	cfg, err := p.Config()
	if err != nil {
		return fmt.Errorf("profile %s: %w", o.profile, err)
	}
	o.saved = &p.Settings
	return o.underSaved(pf, cfg)
}

// wizardSave lets the wizard save its token as o.profile: with s on the
// token step, or as soon as it arrives with --save.
func (o *options) wizardSave(uo *ui.Options) {
	if o.demo {
		return // the demo server and its tokens end with the wizard
	}
	mode := uo.Device
	save := func(ctx context.Context, cfg auth.Config, tok *auth.Token) (profile.Saved, error) {
		return o.saveProfile(ctx, cfg, tok, wizardFlow(mode, cfg))
	}
	toFile := *o
	toFile.store, toFile.storeSet = profile.File, true // f, after the keyring failed
	uo.SaveToFile = func(ctx context.Context, cfg auth.Config, tok *auth.Token) (profile.Saved, error) {
		return toFile.saveProfile(ctx, cfg, tok, wizardFlow(mode, cfg))
	}
	uo.Save, uo.Profile, uo.AutoSave = save, o.profile, o.save
}

// wizardSaved says, after the wizard, where its token was saved; with
// --save, a token not saved makes the exit status 1.
func (o *options) wizardSaved(m *ui.Model, status int, screen, stderr io.Writer) int {
	saved := m.Saved()
	switch {
	case status != exitOK:
		return status
	case saved != nil:
		say(screen, strings.TrimSpace(fmt.Sprintf("Saved profile %s: settings in %s; secrets in %s. %s", o.profile, saved.SettingsPath, saved.SecretsWhere, saved.KeptNote())))
	case o.save:
		why := "it was not saved"
		if err := m.SaveErr(); err != nil {
			why = auth.Sanitize(err.Error())
		}
		failf(stderr, "profile %s was not saved: %s", o.profile, why)
		return exitFailure
	}
	return status
}

// untrusted is err's *profile.UntrustedError, or nil: settings others can
// change. Its message says what to run; no advice about the profile (such
// as forgetting it) applies until then.
func untrusted(err error) error {
	var u *profile.UntrustedError
	if errors.As(err, &u) {
		return u
	}
	return nil
}

// profileFailed reports a profile that cannot be used, and exits 2 for a
// bad command line, else 1.
func profileFailed(stderr io.Writer, err error) int {
	failf(stderr, "%v", err)
	var u usageError
	if errors.As(err, &u) {
		return exitUsage
	}
	return exitFailure
}

// tokenFromProfile reports whether check or revoke takes its token from the
// saved profile: --profile given, and no --token-file.
func (o *options) tokenFromProfile() bool { return o.profileSet && o.tokenFile == "" }

// profileTokenFailed reports why the saved profile gave no token, with the
// exit status of nestauth token.
func (o *options) profileTokenFailed(err error, stderr io.Writer) int {
	st, serr := o.profiles()
	if serr != nil {
		failf(stderr, "%v", serr)
		return exitFailure
	}
	return tokenFailed(st, o.profile, err, stderr)
}

// tokenToUse is the token check or revoke works on: with --profile and no
// --token-file, the saved profile's (for check, refreshed first if it has
// expired, and saved); else the one from --token-file or stdin.
func (o *options) tokenToUse(ctx context.Context, stdin io.Reader, stderr io.Writer, fresh bool) (*auth.Token, error) {
	if !o.tokenFromProfile() {
		return readToken(o.tokenFile, stdin, stderr)
	}
	st, err := o.profiles()
	if err != nil {
		return nil, err
	}
	if fresh {
		ctx, cancel := o.profileContext(ctx, stderr)
		defer cancel()
		return st.Token(ctx, o.profile, 0, nil)
	}
	p, err := st.Load(o.profile)
	if err != nil {
		return nil, err
	}
	return p.Secrets.Token(time.Now()), nil
}

// refreshUnsaved takes a refresh that worked but could not be saved: it
// says on stderr what is lost, and returns the token, good until it
// expires; ok is false for any other err.
func refreshUnsaved(err error, name string, stderr io.Writer) (tok *auth.Token, ok bool) {
	var u *profile.UnsavedError
	if !errors.As(err, &u) {
		return nil, false
	}
	until := "it expires"
	if !u.Token.Expiry.IsZero() {
		until = u.Token.Expiry.Local().Format("15:04")
	}
	if u.Rotated {
		failf(stderr, "profile %s: the refresh worked, but its new refresh token could not be kept: %v. The access token is good until %s; after that, sign in again: %s.",
			name, u.Err, until, profile.SignInCommand(name))
	} else {
		failf(stderr, "profile %s: the refresh worked, but its token could not be saved: %v. The access token is good until %s, and the saved refresh token still works.",
			name, u.Err, until)
	}
	return u.Token, true
}

// tokenFailed says why profile name has no token, and what to do.
func tokenFailed(st profile.Store, name string, err error, stderr io.Writer) int {
	var e *auth.Error
	switch {
	case errors.Is(err, profile.ErrNoProfile):
		failf(stderr, "%v. Create it: run the wizard with '%s' and press s on the token step (or add --save), or 'nestauth exchange --profile %s --save ...'.",
			err, profile.SignInCommand(name), name)
		return exitUsage
	case errors.As(err, &e) && e.Kind == auth.KindCode && e.Refresh:
		why := auth.RefreshReplaced
		var cut *profile.CutOffError
		if errors.As(err, &cut) {
			why = cut.Why()
		}
		line := fmt.Sprintf("profile %s: refresh token rejected: %v. Sign in again: %s (every saved value is filled in; only the code is new). %s",
			name, e, profile.SignInCommand(name), why)
		if p, err := st.Load(name); err == nil {
			if cfg, err := p.Config(); err == nil && cfg.RefreshTokenWarning() != "" {
				line += " Why it died: " + cfg.RefreshTokenWarning()
			}
		}
		failf(stderr, "%s", line)
		return exitRejectedCode
	case errors.As(err, &e):
		return printError(stderr, err)
	}
	failf(stderr, "profile %s: %v", name, err)
	return exitFailure
}
