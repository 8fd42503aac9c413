// Package profile keeps nestauth's saved profiles: the non-secret settings in
// a file a person can read and edit, the secrets in the OS keyring (or, by
// choice, in a 0600 file beside the settings), and the credential helper that
// hands out a valid access token, refreshing it at most once however many
// processes ask at the same moment.
//
// It never prints and imports no UI code.
package profile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"nestauth/auth"
	"nestauth/internal/output"
)

// DefaultName is the profile used when none is named.
const DefaultName = "default"

// LockFile is the lock file's name in the settings directory.
const LockFile = "lock"

// Store is the settings directory and the keyring that hold the profiles.
// The zero Store uses DefaultDir and the OS keyring.
type Store struct {
	Dir     string           // the settings directory; "" means DefaultDir(os.Getenv)
	Keyring KeyringAPI       // nil means SystemKeyring
	Now     func() time.Time // the clock for expiry; nil means time.Now
}

// DefaultDir is the settings directory: $NESTAUTH_CONFIG_DIR, else
// $XDG_CONFIG_HOME/nestauth (on every OS, as gh does), else
// os.UserConfigDir()/nestauth.
func DefaultDir(getenv func(string) string) (string, error) {
	if d := getenv("NESTAUTH_CONFIG_DIR"); d != "" {
		return filepath.Abs(d)
	}
	if d := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "nestauth"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no settings directory: %w; set NESTAUTH_CONFIG_DIR", err)
	}
	return filepath.Join(d, "nestauth"), nil
}

func (s Store) resolved() (Store, error) {
	if s.Dir == "" {
		d, err := DefaultDir(os.Getenv)
		if err != nil {
			return s, err
		}
		s.Dir = d
	}
	// Before anything is read: the settings say where the secrets go.
	if err := checkTrusted(s.Dir, os.Geteuid()); err != nil {
		return s, err
	}
	if s.Keyring == nil {
		s.Keyring = SystemKeyring{}
	}
	return s, nil
}

// Trusted checks, before anything is read or sent, that no other user can
// change the settings directory or its files (checkTrusted): a
// *UntrustedError, or nil. Every other Store method checks it too.
func (s Store) Trusted() error {
	_, err := s.resolved()
	return err
}

func (s Store) path(file string) string { return filepath.Join(s.Dir, file) }

func (s Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s Store) secrets(b Backend) secretStore {
	if b == File {
		return fileStore{s.path(SecretsFile)}
	}
	return keyringStore{api: s.Keyring, secretsFile: s.path(SecretsFile)}
}

// Profile is one saved profile, secrets included.
type Profile struct {
	Name     string
	Settings Settings
	Secrets  Secrets
}

// Config is the auth configuration of the profile, client secret included.
func (p Profile) Config() (auth.Config, error) { return p.Settings.Config(p.Secrets.ClientSecret) }

// ErrNoProfile means there is no saved profile of that name.
var ErrNoProfile = errors.New("no saved profile")

// SignInCommand is the command that signs profile name in again, with every
// saved value prefilled.
func SignInCommand(name string) string { return "nestauth --profile " + name }

// Saved says where Save put things, in words the UI can show as they are.
type Saved struct {
	SettingsPath string  // the settings file
	SecretsIn    Backend // the backend that holds the secrets
	SecretsWhere string  // that backend in words: the keyring's name, or the file and its mode
	// KeptRefreshToken: the answer had no refresh token, and the one saved
	// for the same client and token URL was kept (KeptNote says so).
	KeptRefreshToken bool
}

// KeptNote says that the save kept the saved refresh token, or is "".
func (s Saved) KeptNote() string {
	if !s.KeptRefreshToken {
		return ""
	}
	return "The answer brought no refresh token, so the saved one (same client and token URL) was kept."
}

// Save writes the profile: the secrets first, into set.SecretsIn, then the
// settings, so a keyring that cannot be reached leaves nothing half-saved.
// A profile that moves to another backend is removed from the old one.
// Secrets without a refresh token keep the saved one of the same client and
// token URL (Saved.KeptRefreshToken).
func (s Store) Save(name string, set Settings, sec Secrets) (Saved, error) {
	return s.SaveContext(context.Background(), name, set, sec)
}

// SaveContext is Save whose wait for the lock ends with ctx (OnLockWait).
func (s Store) SaveContext(ctx context.Context, name string, set Settings, sec Secrets) (Saved, error) {
	s, err := s.resolved()
	if err != nil {
		return Saved{}, err
	}
	if err := ValidateName(name); err != nil {
		return Saved{}, err
	}
	if err := set.validate(); err != nil {
		return Saved{}, fmt.Errorf("profile %s: %w", name, err)
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return Saved{}, err
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return Saved{}, err
	}
	defer unlock()
	return s.save(name, set, sec)
}

// save is Save with the lock held. The journal makes the two writes one
// step: a run killed between them is finished by the next (finishCutOff).
func (s Store) save(name string, set Settings, sec Secrets) (Saved, error) {
	if err := s.finishCutOff(); err != nil {
		return Saved{}, err
	}
	removeStaleTemps(s.Dir)
	f, err := readSettingsFile(s.path(SettingsFile))
	if err != nil {
		return Saved{}, err
	}
	var old *Settings
	if o := f.find(name); o != nil && o.err == nil {
		old = &o.settings
	}
	kept := false
	if old != nil && sec.RefreshToken == "" {
		// Unreadable old secrets keep nothing: the save goes on.
		if oldSec, err := s.secrets(old.SecretsIn).load(name); err == nil {
			kept = keepRefreshToken(old, oldSec, set, &sec)
		}
	}
	f.put(name, set)
	j := journal{Op: journalSave, Name: name, Settings: string(f.bytes()), SecretsIn: set.SecretsIn.String(), Digest: digest(sec)}
	if old != nil && old.SecretsIn != set.SecretsIn {
		j.OldSecretsIn = old.SecretsIn.String()
	}
	if err := writeJournal(s.Dir, j); err != nil {
		return Saved{}, err
	}
	if err := s.secrets(set.SecretsIn).save(name, sec); err != nil {
		_ = removeJournal(s.Dir) // the settings are the old ones: the next run keeps them
		return Saved{}, err
	}
	// From here the journal stays until the step is done: a failure is
	// finished by the next run, which writes these settings.
	if err := f.write(); err != nil {
		return Saved{}, err
	}
	if old != nil && old.SecretsIn != set.SecretsIn {
		// The secrets are safe in the new place; a stale copy left behind
		// would be found by no one, so failing here would help no one.
		_, _ = s.secrets(old.SecretsIn).remove(name)
	}
	if err := removeJournal(s.Dir); err != nil {
		return Saved{}, err
	}
	return Saved{SettingsPath: f.path, SecretsIn: set.SecretsIn, SecretsWhere: s.where(set.SecretsIn), KeptRefreshToken: kept}, nil
}

// Load reads profile name, settings and secrets. A missing profile is
// ErrNoProfile; a damaged settings file is a *FileError with path and line;
// an unreachable keyring is ErrNoKeyring.
func (s Store) Load(name string) (Profile, error) {
	s, err := s.resolved()
	if err != nil {
		return Profile{}, err
	}
	if err := ValidateName(name); err != nil {
		return Profile{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), readerWait)
	defer cancel()
	return s.loadSteady(ctx, name)
}

// loadSteady is Load whose wait for a save or forget under way ends with ctx.
func (s Store) loadSteady(ctx context.Context, name string) (Profile, error) {
	var p Profile
	err := s.steady(ctx, func() (err error) {
		p, err = s.load(name)
		return err
	})
	return p, err
}

// load is Load without steady: with the lock held, or inside steady.
func (s Store) load(name string) (Profile, error) {
	f, err := readSettingsFile(s.path(SettingsFile))
	if err != nil {
		return Profile{}, err
	}
	sec := f.find(name)
	if sec == nil {
		return Profile{}, fmt.Errorf("%w %q in %s", ErrNoProfile, name, f.path)
	}
	if sec.err != nil {
		return Profile{}, sec.err
	}
	secrets, err := s.secrets(sec.settings.SecretsIn).load(name)
	if err != nil {
		return Profile{}, err
	}
	return Profile{Name: name, Settings: sec.settings, Secrets: secrets}, nil
}

// Entry is one line of the profile list. It holds no secret.
type Entry struct {
	Name            string
	Provider        string
	ClientID        string
	SecretsIn       Backend
	Expiry          time.Time // the access token's; zero when unknown or none
	HasAccessToken  bool
	HasRefreshToken bool
	Err             error // this profile cannot be used: a bad value, or its secrets cannot be read
}

// List lists the saved profiles in file order. A damaged profile is listed
// with its Err; only a file that cannot be read at all fails the list.
func (s Store) List() ([]Entry, error) {
	s, err := s.resolved()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), readerWait)
	defer cancel()
	var out []Entry
	err = s.steady(ctx, func() (err error) {
		out, err = s.list()
		return err
	})
	return out, err
}

// list is List inside steady.
func (s Store) list() ([]Entry, error) {
	f, err := readSettingsFile(s.path(SettingsFile))
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, sec := range f.sections {
		e := Entry{Name: sec.name, Err: sec.err}
		if sec.err == nil {
			set := sec.settings
			e.Provider, e.ClientID, e.SecretsIn = set.Provider, set.ClientID, set.SecretsIn
			secrets, err := s.secrets(set.SecretsIn).load(sec.name)
			e.Err = err
			e.Expiry, e.HasAccessToken, e.HasRefreshToken = secrets.Expiry, secrets.AccessToken != "", secrets.RefreshToken != ""
		}
		out = append(out, e)
	}
	return out, nil
}

// Names lists the saved profiles' names in file order, from the settings
// file alone: no secret store is asked (shell completion reads it).
func (s Store) Names() ([]string, error) {
	s, err := s.resolved()
	if err != nil {
		return nil, err
	}
	f, err := readSettingsFile(s.path(SettingsFile))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(f.sections))
	for _, sec := range f.sections {
		names = append(names, sec.name)
	}
	return names, nil
}

// Forget deletes profile name: its secrets from the keyring and the secrets
// file, then its settings, and says what it deleted. A keyring that cannot
// be reached keeps no one from deleting the rest: the error is then a
// *KeyringLeftError naming the entries that may remain, which Forget of the
// same name deletes once the keyring can be reached.
func (s Store) Forget(name string) ([]string, error) {
	return s.ForgetContext(context.Background(), name)
}

// ForgetContext is Forget whose wait for the lock ends with ctx (OnLockWait).
func (s Store) ForgetContext(ctx context.Context, name string) ([]string, error) {
	s, err := s.resolved()
	if err != nil {
		return nil, err
	}
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if _, err := os.Stat(s.Dir); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w %q: %s does not exist", ErrNoProfile, name, s.Dir)
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.finishCutOff(); err != nil {
		return nil, err
	}
	removeStaleTemps(s.Dir)
	if err := writeJournal(s.Dir, journal{Op: journalForget, Name: name}); err != nil {
		return nil, err
	}
	gone, err := s.forget(name)
	var left *KeyringLeftError
	if err == nil || len(gone) == 0 || errors.As(err, &left) {
		// Done (as far as an unreachable keyring lets it be: a forget of the
		// same name later deletes what it left), or nothing changed: nothing
		// for the next run to finish. A forget that failed half-way is
		// finished by the next run.
		if rerr := removeJournal(s.Dir); rerr != nil && (err == nil || left != nil) {
			err = errors.Join(err, rerr)
		}
	}
	return gone, err
}

// forget is Forget with the lock held and the journal written.
func (s Store) forget(name string) ([]string, error) {
	f, err := readSettingsFile(s.path(SettingsFile))
	if err != nil {
		return nil, err
	}
	sec := f.find(name)
	primary := Keyring // where the secrets must be found
	switch {
	case sec == nil:
		primary = -1 // no such profile: an unreachable keyring is no error
	case sec.err == nil:
		primary = sec.settings.SecretsIn
	}
	var gone []string
	var left *KeyringLeftError
	for _, b := range []Backend{Keyring, File} {
		deleted, err := s.secrets(b).remove(name)
		gone = append(gone, deleted...)
		switch {
		case err == nil:
		case !errors.Is(err, ErrNoKeyring):
			return gone, err
		case b == primary:
			// The rest goes anyway: what may remain is named, for a
			// forget once the keyring can be reached.
			left = keyringLeft(name, deleted, err)
		} // a file profile on a machine without a keyring has nothing there
	}
	if f.remove(name) {
		if err := f.write(); err != nil {
			return gone, err
		}
		gone = append(gone, fmt.Sprintf("settings [profile %s] in %s", name, f.path))
	}
	if left != nil {
		return gone, left
	}
	if len(gone) == 0 {
		return nil, fmt.Errorf("%w %q in %s", ErrNoProfile, name, f.path)
	}
	return gone, nil
}

// ErrNoRefreshToken means the profile cannot be refreshed: sign in again.
var ErrNoRefreshToken = errors.New("the profile has no refresh token")

// RefreshFunc trades a refresh token for a new token, as auth.Config.Refresh.
type RefreshFunc func(ctx context.Context, cfg auth.Config, refreshToken string) (*auth.Token, error)

// Token returns a valid access token for profile name: the stored one when
// it lives at least minValid more (an access token without an expiry is taken
// to live forever, as x/oauth2 does), else the result of one refresh, saved
// (with a rotated refresh token, or the old one when none came back) before
// it is returned. Concurrent callers, in this process or others, refresh once:
// the refresh runs under the settings directory's lock, and whoever waited
// for it reuses its token. refresh nil means cfg.Refresh.
//
// A refused refresh token is the refresh's *auth.Error (KindCode, Refresh
// set): the person must sign in again, SignInCommand(name).
func (s Store) Token(ctx context.Context, name string, minValid time.Duration, refresh RefreshFunc) (*auth.Token, error) {
	s, err := s.resolved()
	if err != nil {
		return nil, err
	}
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	p, err := s.loadSteady(ctx, name)
	if err != nil {
		return nil, err
	}
	if p.Secrets.validFor(s.now(), minValid) {
		return p.Secrets.Token(s.now()), nil
	}
	seen := p.Secrets.AccessToken
	return s.refresh(ctx, name, refresh, func(sec Secrets, now time.Time) bool {
		// Another run refreshed while this one waited: its token is as fresh
		// as a refresh can make it, even when minValid asks for more.
		return sec.validFor(now, minValid) || sec.AccessToken != seen && sec.validFor(now, 0)
	})
}

// Refresh refreshes profile name's token whatever its saved expiry says (an
// API refused it: nestauth token --refresh, check after a 401), saves the
// result and returns it. When the saved access token is no longer dead,
// another run has refreshed it since, and that token is returned instead;
// dead "" always refreshes. refresh nil means cfg.Refresh.
func (s Store) Refresh(ctx context.Context, name, dead string, refresh RefreshFunc) (*auth.Token, error) {
	s, err := s.resolved()
	if err != nil {
		return nil, err
	}
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if _, err := s.loadSteady(ctx, name); err != nil {
		return nil, err // no such profile: nothing to lock for
	}
	return s.refresh(ctx, name, refresh, func(sec Secrets, now time.Time) bool {
		return dead != "" && sec.AccessToken != dead && sec.validFor(now, 0)
	})
}

// refresh takes the lock, reloads profile name, and unless reuse says its
// saved token will do, refreshes it and saves the result.
func (s Store) refresh(ctx context.Context, name string, refresh RefreshFunc, reuse func(Secrets, time.Time) bool) (*auth.Token, error) {
	if refresh == nil {
		refresh = func(ctx context.Context, cfg auth.Config, rt string) (*auth.Token, error) {
			return cfg.Refresh(ctx, rt)
		}
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.finishCutOff(); err != nil {
		return nil, err
	}
	p, err := s.load(name)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if reuse(p.Secrets, now) {
		return p.Secrets.Token(now), nil
	}
	if p.Secrets.RefreshToken == "" {
		return nil, &auth.Error{Kind: auth.KindCode, Refresh: true, Err: ErrNoRefreshToken}
	}
	cfg, err := p.Config()
	if err != nil {
		return nil, err
	}
	mark, err := beginRefresh(s.Dir, name, p.Settings.SecretsIn) // before the request: room for its answer
	if err != nil {
		return nil, err
	}
	tok, err := refresh(ctx, cfg, p.Secrets.RefreshToken)
	if err != nil {
		return nil, mark.failed(err)
	}
	if tok == nil || tok.AccessToken == "" {
		mark.done()
		return nil, &auth.Error{Kind: auth.KindServer, Refresh: true, Err: errors.New("the refresh returned no access token")}
	}
	if tok.Expiry.IsZero() && tok.ExpiresIn > 0 {
		tok.Expiry = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	rotated := tok.RefreshToken != "" && tok.RefreshToken != p.Secrets.RefreshToken
	p.Secrets.setToken(tok)
	mark.saving()
	if err := s.secrets(p.Settings.SecretsIn).save(name, p.Secrets); err != nil {
		return nil, &UnsavedError{Token: p.Secrets.Token(now), Rotated: rotated, Err: err}
	}
	mark.done()
	t := p.Secrets.Token(now)
	t.Dropped = tok.Dropped
	return t, nil
}

// validFor reports whether the access token lives at least d more.
func (s Secrets) validFor(now time.Time, d time.Duration) bool {
	return s.AccessToken != "" && (s.Expiry.IsZero() || s.Expiry.Sub(now) >= d)
}

// lock takes the settings directory's lock, waiting for it until ctx ends.
// A wait of about a second calls ctx's OnLockWait function, once, with who
// holds the lock; a wait that ctx ends is a *LockError.
func (s Store) lock(ctx context.Context) (unlock func(), err error) {
	l, err := openLock(s.path(LockFile))
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", s.path(LockFile), err)
	}
	notice := time.Now().Add(lockNotice)
	for {
		ok, err := l.tryLock()
		if err != nil {
			l.close()
			return nil, fmt.Errorf("cannot lock %s: %w", s.path(LockFile), err)
		}
		if ok {
			l.markHeld()
			return l.close, nil
		}
		if fn := lockWaitFunc(ctx); fn != nil && !notice.IsZero() && time.Now().After(notice) {
			notice = time.Time{}
			fn(newLockWait(s.path(LockFile), l.holder()))
		}
		// Jittered so that waiters do not wake in step.
		t := time.NewTimer(5*time.Millisecond + rand.N(20*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			w := newLockWait(s.path(LockFile), l.holder())
			l.close()
			return nil, &LockError{Wait: w, Err: ctx.Err()}
		case <-t.C:
		}
	}
}

// readerWait bounds the wait of a reader without a context (Load, List) for
// a save or forget under way.
const readerWait = 30 * time.Second

// steady runs read, which reads the settings file and then secrets, so that
// it sees the profiles as one save or forget left them, never the settings
// of one with the secrets of another: when the journal says a step is under
// way (or was cut off), or the settings file changed while read ran, it
// waits for the lock (until ctx ends, saying so as lock does), finishes a
// step that was cut off, and reads again under the lock.
func (s Store) steady(ctx context.Context, read func() error) error {
	settings := s.path(SettingsFile)
	if !journalExists(s.Dir) {
		before, berr := readLimited(settings, maxSettingsFile)
		err := read()
		// The journal is written before the secrets change and removed after
		// the settings did: seen absent after read, with the settings as they
		// were before it, no step ran between the two reads.
		if !journalExists(s.Dir) {
			after, aerr := readLimited(settings, maxSettingsFile)
			if bytes.Equal(before, after) && (berr == nil) == (aerr == nil) {
				return err
			}
		}
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.finishCutOff(); err != nil {
		return err
	}
	return read()
}

// finishCutOff finishes the save or forget that a run killed mid-step left
// in the journal, or drops a save whose secrets were not written; the lock
// is held.
func (s Store) finishCutOff() error {
	j, err := readJournal(s.Dir)
	if err != nil || j == nil {
		return err
	}
	fail := func(err error) error {
		return fmt.Errorf("a %s of profile %s was cut off, and finishing it failed: %w", j.Op, j.Name, err)
	}
	switch j.Op {
	case journalForget:
		var left *KeyringLeftError // the profile is gone; its keyring entries wait for a forget
		if _, err := s.forget(j.Name); err != nil && !errors.Is(err, ErrNoProfile) && !errors.As(err, &left) {
			return fail(err)
		}
	case journalSave:
		in, err := ParseBackend(j.SecretsIn)
		if err != nil {
			return fail(err)
		}
		sec, err := s.secrets(in).load(j.Name)
		if err != nil {
			return fail(err)
		}
		if digest(sec) == j.Digest { // the secrets are written: write the settings that go with them
			if err := output.WriteFileAtomic(s.path(SettingsFile), []byte(j.Settings), true); err != nil {
				return fail(err)
			}
			if old, err := ParseBackend(j.OldSecretsIn); err == nil && j.OldSecretsIn != "" && old != in {
				_, _ = s.secrets(old).remove(j.Name)
			}
		}
	}
	removeStaleTemps(s.Dir)
	return removeJournal(s.Dir)
}

// where says in words where backend b keeps secrets.
func (s Store) where(b Backend) string {
	if b == File {
		return s.path(SecretsFile) + " (mode 0600, not encrypted: anyone who can read your files as you can use it)"
	}
	return fmt.Sprintf("%s (service %q)", keyringName(), Service)
}
