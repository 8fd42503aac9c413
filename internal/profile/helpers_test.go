package profile_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/auth"
	"nestauth/internal/profile"
)

// mockKeyring is go-keyring's in-memory mock, fresh for each test, behind a
// mutex: the mock's map is not safe for concurrent use, the real keyrings are.
type mockKeyring struct{ mu sync.Mutex }

func newMockKeyring() *mockKeyring {
	keyring.MockInit()
	return &mockKeyring{}
}

func (m *mockKeyring) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return keyring.Get(service, user)
}

func (m *mockKeyring) Set(service, user, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return keyring.Set(service, user, secret)
}

func (m *mockKeyring) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return keyring.Delete(service, user)
}

// failingKeyring is a keyring that cannot be reached, as on a headless server.
type failingKeyring struct{ err error }

func (f failingKeyring) Get(string, string) (string, error) { return "", f.err }
func (f failingKeyring) Set(string, string, string) error   { return f.err }
func (f failingKeyring) Delete(string, string) error        { return f.err }

var errNoDBus = keyringError("The name org.freedesktop.secrets was not provided by any .service files")

type keyringError string

func (e keyringError) Error() string { return string(e) }

// newStore is a store in a fresh directory with the mock keyring.
func newStore(t *testing.T) (profile.Store, *mockKeyring) {
	t.Helper()
	kr := newMockKeyring()
	return profile.Store{Dir: t.TempDir() + "/nestauth", Keyring: kr}, kr
}

var now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func sdmSettings() profile.Settings {
	cfg := auth.Config{Provider: auth.SDM(), ClientID: "123-abc.apps.googleusercontent.com", ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"}
	s := profile.SettingsFor(cfg, profile.Keyring)
	s.RevokeURL = "https://oauth2.googleapis.com/revoke"
	return s
}

func someSecrets() profile.Secrets {
	return profile.Secrets{
		ClientSecret: "GOCSPX-client-secret",
		RefreshToken: "1//refresh-token",
		AccessToken:  "ya29.access-token",
		TokenType:    "Bearer",
		Scope:        auth.SDMScope,
		Expiry:       now.Add(time.Hour),
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(path[:strings.LastIndex(path, "/")], 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
