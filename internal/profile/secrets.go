package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/auth"
	"nestauth/internal/output"
)

// Secrets are what never goes into the settings file.
type Secrets struct {
	ClientSecret string    `json:"client_secret,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	AccessToken  string    `json:"access_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	Scope        string    `json:"scope,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"` // of the access token; zero when the server gave none
}

// SecretsFor takes cfg's client secret and tok's tokens (tok may be nil).
func SecretsFor(cfg auth.Config, tok *auth.Token) Secrets {
	s := Secrets{ClientSecret: cfg.ClientSecret}
	if tok != nil {
		s.setToken(tok)
	}
	return s
}

// setToken takes a new token; a refresh that returned no refresh token
// keeps the old one.
func (s *Secrets) setToken(tok *auth.Token) {
	if tok.RefreshToken != "" {
		s.RefreshToken = tok.RefreshToken
	}
	s.AccessToken, s.TokenType, s.Scope, s.Expiry = tok.AccessToken, tok.TokenType, tok.Scope, tok.Expiry
}

// Token is the stored token, with ExpiresIn counted from now.
func (s Secrets) Token(now time.Time) *auth.Token {
	t := &auth.Token{AccessToken: s.AccessToken, TokenType: s.TokenType, RefreshToken: s.RefreshToken, Scope: s.Scope, Expiry: s.Expiry}
	if !s.Expiry.IsZero() {
		t.ExpiresIn = max(0, int64(s.Expiry.Sub(now)/time.Second))
	}
	return t
}

// KeyringAPI is the part of an OS keyring nestauth uses: go-keyring's
// functions. Get and Delete return keyring.ErrNotFound for a missing entry.
type KeyringAPI interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// SystemKeyring is the OS keyring, through github.com/zalando/go-keyring
// (or its in-memory mock after keyring.MockInit).
type SystemKeyring struct{}

func (SystemKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (SystemKeyring) Set(service, user, secret string) error {
	return keyring.Set(service, user, secret)
}
func (SystemKeyring) Delete(service, user string) error { return keyring.Delete(service, user) }

// Service is the keyring service name of every entry nestauth makes.
const Service = "nestauth"

// SecretsFile is the secrets file's name, for profiles saved with File.
const SecretsFile = "secrets.json"

// ErrNoKeyring means the OS keyring could not be reached or refused.
var ErrNoKeyring = errors.New("the OS keyring is not reachable")

// KeyringError is a failed keyring operation, saying what to do about it.
type KeyringError struct {
	Op          string // "save", "read", "delete"
	SecretsFile string // where --store file would keep the secrets
	Err         error
}

func (e *KeyringError) Error() string {
	if errors.Is(e.Err, keyring.ErrSetDataTooBig) {
		return fmt.Sprintf("cannot %s the secrets: they are too big for %s. Save with --store file to keep them in %s (mode 0600, not encrypted)",
			e.Op, keyringName(), e.SecretsFile)
	}
	what, fix := keyringTrouble(e.Err)
	return fmt.Sprintf("cannot %s the secrets: %s (%s). %s, or save with --store file to keep them in %s (mode 0600, not encrypted)",
		e.Op, what, auth.Sanitize(e.Err.Error()), fix, e.SecretsFile)
}

func (e *KeyringError) Unwrap() []error { return []error{ErrNoKeyring, e.Err} }

func keyringName() string {
	switch runtime.GOOS {
	case "darwin":
		return "the OS keyring (macOS Keychain)"
	case "windows":
		return "the OS keyring (Windows Credential Manager)"
	}
	return "the OS keyring (Secret Service)"
}

// keyringTrouble says what went wrong with the keyring, and what to do.
func keyringTrouble(err error) (what, fix string) {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS Keychain refused", "Unlock the login keychain (security unlock-keychain)"
	case "windows":
		return "the Windows Credential Manager refused", "Check that the Credential Manager service runs"
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "unlock") || strings.Contains(msg, "locked"):
		return "the Secret Service's keyring is locked and nothing could ask for its password",
			"Unlock it in your desktop session (or with gnome-keyring-daemon --unlock)"
	case strings.Contains(msg, "dbus") || strings.Contains(msg, "org.freedesktop.secrets") || strings.Contains(msg, "x11"):
		return "no Secret Service on D-Bus", "Run nestauth in a desktop session, where GNOME Keyring or KeePassXC provides one"
	}
	return "the Secret Service refused", "Check your keyring (GNOME Keyring, KeePassXC)"
}

// secretStore keeps the secrets of profiles in one backend.
type secretStore interface {
	load(name string) (Secrets, error)
	save(name string, s Secrets) error
	// remove deletes name's secrets and says what it deleted.
	remove(name string) ([]string, error)
}

// keyringStore keeps each secret in its own entry, user "NAME/what": a
// Windows credential holds 2560 bytes, too few for all of them together.
type keyringStore struct {
	api         KeyringAPI
	secretsFile string
}

// access is the access token entry: the token and what goes with it.
type access struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type,omitempty"`
	Scope       string    `json:"scope,omitempty"`
	Expiry      time.Time `json:"expiry,omitzero"`
}

// The entries of one profile, in the order they are written: the refresh
// token before the access token, so that a crash between the two leaves a
// stale access token and a good refresh token, never the reverse.
var entries = []string{"client_secret", "refresh_token", "access_token"}

func (k keyringStore) fail(op string, err error) error {
	return &KeyringError{Op: op, SecretsFile: k.secretsFile, Err: err}
}

func (k keyringStore) load(name string) (Secrets, error) {
	var s Secrets
	for _, what := range entries {
		v, err := k.api.Get(Service, name+"/"+what)
		if errors.Is(err, keyring.ErrNotFound) {
			continue
		}
		if err != nil {
			return Secrets{}, k.fail("read", err)
		}
		switch what {
		case "client_secret":
			s.ClientSecret = v
		case "refresh_token":
			s.RefreshToken = v
		case "access_token":
			var a access
			if err := json.Unmarshal([]byte(v), &a); err != nil {
				return Secrets{}, fmt.Errorf("the keyring entry %s %s/access_token is damaged: %v", Service, name, err)
			}
			s.AccessToken, s.TokenType, s.Scope, s.Expiry = a.AccessToken, a.TokenType, a.Scope, a.Expiry
		}
	}
	return s, nil
}

func (k keyringStore) save(name string, s Secrets) error {
	a, err := json.Marshal(access{s.AccessToken, s.TokenType, s.Scope, s.Expiry})
	if err != nil {
		return err
	}
	vals := map[string]string{"client_secret": s.ClientSecret, "refresh_token": s.RefreshToken}
	if s.AccessToken != "" {
		vals["access_token"] = string(a)
	}
	for _, what := range entries {
		user := name + "/" + what
		if vals[what] == "" {
			err = k.api.Delete(Service, user)
			if errors.Is(err, keyring.ErrNotFound) {
				err = nil
			}
		} else {
			err = k.api.Set(Service, user, vals[what])
		}
		if err != nil {
			return k.fail("save", err)
		}
	}
	return nil
}

func (k keyringStore) remove(name string) ([]string, error) {
	var gone []string
	for _, what := range entries {
		err := k.api.Delete(Service, name+"/"+what)
		switch {
		case errors.Is(err, keyring.ErrNotFound):
		case err != nil:
			return gone, k.fail("delete", err)
		default:
			gone = append(gone, fmt.Sprintf("keyring entry %s %s/%s", Service, name, what))
		}
	}
	return gone, nil
}

// fileStore keeps the secrets of all its profiles in one JSON file, mode
// 0600, rewritten atomically.
type fileStore struct{ path string }

// maxSecretsFile bounds what is read.
const maxSecretsFile = 1 << 20

func (f fileStore) read() (map[string]Secrets, error) {
	if fi, err := os.Stat(f.path); err == nil && !isWindows && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s has mode %04o but holds secrets: run chmod 600 %s", f.path, fi.Mode().Perm(), f.path)
	}
	b, err := readLimited(f.path, maxSecretsFile)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]Secrets{}, nil
	}
	if err != nil {
		return nil, err
	}
	all := map[string]Secrets{}
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, &FileError{Path: f.path, Err: fmt.Errorf("damaged: %v", err)}
	}
	return all, nil
}

func (f fileStore) load(name string) (Secrets, error) {
	all, err := f.read()
	return all[name], err
}

func (f fileStore) save(name string, s Secrets) error {
	all, err := f.read()
	if err != nil {
		return err
	}
	all[name] = s
	return f.write(all)
}

func (f fileStore) remove(name string) ([]string, error) {
	all, err := f.read()
	if err != nil {
		return nil, err
	}
	if _, ok := all[name]; !ok {
		return nil, nil
	}
	delete(all, name)
	return []string{fmt.Sprintf("secrets of %s in %s", name, f.path)}, f.write(all)
}

func (f fileStore) write(all map[string]Secrets) error {
	if len(all) == 0 {
		err := os.Remove(f.path)
		if errors.Is(err, os.ErrNotExist) {
			err = nil
		}
		return err
	}
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	return output.WriteFileAtomic(f.path, append(b, '\n'), true)
}
