package profile_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"nestauth/auth"
	"nestauth/internal/profile"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	custom := profile.SettingsFor(auth.Config{Provider: auth.Custom(), ClientID: "cli"}, profile.File)
	custom.AuthURL, custom.TokenURL = "https://id.example.com/authorize", "http://127.0.0.1:9999/token"
	custom.Scopes = []string{"openid", "offline_access"}
	custom.AuthParams = [][2]string{{"prompt", "consent"}, {"odd key", "a&b=c"}}
	custom.AuthStyle, custom.PKCE = auth.AuthInHeader, false
	tests := []struct {
		name     string
		settings profile.Settings
		secrets  profile.Secrets
	}{
		{"sdm in the keyring", sdmSettings(), someSecrets()},
		{"custom in the file", custom, profile.Secrets{RefreshToken: "refresh-in-file", AccessToken: "access-in-file"}},
		{"no token yet", sdmSettings(), profile.Secrets{ClientSecret: "only-a-client-secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := newStore(t)
			saved, err := st.Save("work", tt.settings, tt.secrets)
			if err != nil {
				t.Fatal(err)
			}
			if saved.SettingsPath != filepath.Join(st.Dir, profile.SettingsFile) || saved.SecretsIn != tt.settings.SecretsIn {
				t.Errorf("saved = %+v", saved)
			}
			p, err := st.Load("work")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.Settings, tt.settings) {
				t.Errorf("settings:\n got %+v\nwant %+v", p.Settings, tt.settings)
			}
			if p.Secrets != tt.secrets {
				t.Errorf("secrets:\n got %+v\nwant %+v", p.Secrets, tt.secrets)
			}
			cfg, err := p.Config()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ClientSecret != tt.secrets.ClientSecret || cfg.TokenURL != tt.settings.TokenURL || cfg.ID != tt.settings.Provider {
				t.Errorf("config = %+v", cfg)
			}
			text := readFile(t, saved.SettingsPath)
			for _, secret := range []string{tt.secrets.ClientSecret, tt.secrets.RefreshToken, tt.secrets.AccessToken} {
				if secret != "" && strings.Contains(text, secret) {
					t.Errorf("the settings file holds the secret %q:\n%s", secret, text)
				}
			}
		})
	}
}

func TestSaveKeepsWhatItDoesNotKnow(t *testing.T) {
	st, _ := newStore(t)
	path := filepath.Join(st.Dir, profile.SettingsFile)
	writeFile(t, path, `# my profiles
[profile work]
# the office thermostat
provider = sdm
client_id = old.apps.googleusercontent.com
color = blue
scopes = https://www.googleapis.com/auth/sdm.service

; the other one
[profile home]
provider = nest
client_id = home-client
future_key = kept too
`)
	if _, err := st.Save("work", sdmSettings(), someSecrets()); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, path)
	for _, want := range []string{
		"# my profiles\n[profile work]\n# the office thermostat\nprovider = sdm\nclient_id = 123-abc.apps.googleusercontent.com\ncolor = blue\n",
		"; the other one\n[profile home]\nprovider = nest\nclient_id = home-client\nfuture_key = kept too\n",
		"project_id = 0a1b2c3d-1234-5678-9abc-0123456789ab\n",
		"revoke_url = https://oauth2.googleapis.com/revoke\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the file lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "old.apps") {
		t.Errorf("the old client ID stayed:\n%s", got)
	}
	home, err := st.Load("home")
	if err != nil {
		t.Fatal(err)
	}
	if home.Settings.ClientID != "home-client" || home.Settings.TokenURL != auth.NestTokenURL {
		t.Errorf("home = %+v: an absent key takes the provider's default", home.Settings)
	}
	// A second save changes nothing: the file is stable.
	if _, err := st.Save("work", sdmSettings(), someSecrets()); err != nil {
		t.Fatal(err)
	}
	if again := readFile(t, path); again != got {
		t.Errorf("a second save changed the file:\n%s\nto\n%s", got, again)
	}
}

// One blank line stands between profiles: Save adds it before a new
// section, and Forget takes a section's blank line with it.
func TestSettingsFileBlankLinesBetweenProfiles(t *testing.T) {
	st, _ := newStore(t)
	path := filepath.Join(st.Dir, profile.SettingsFile)
	nest := profile.SettingsFor(auth.Config{Provider: auth.Nest(), ClientID: "x"}, profile.Keyring)
	for _, text := range []string{"[profile a]\nprovider = nest\n", "[profile a]\nprovider = nest\n\n"} {
		writeFile(t, path, text)
		if _, err := st.Save("b", nest, profile.Secrets{ClientSecret: "s"}); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, path); !strings.HasPrefix(got, "[profile a]\nprovider = nest\n\n[profile b]\n") {
			t.Errorf("after saving b to %q:\n%s\nwant one blank line before [profile b]", text, got)
		}
	}
	writeFile(t, path, "[profile a]\nprovider = nest\n\n[profile b]\nprovider = nest\n\n[profile c]\nprovider = nest\n")
	if _, err := st.Forget("b"); err != nil {
		t.Fatal(err)
	}
	if got, want := readFile(t, path), "[profile a]\nprovider = nest\n\n[profile c]\nprovider = nest\n"; got != want {
		t.Errorf("after forgetting b:\n%q\nwant\n%q", got, want)
	}
}

func TestDamagedSettingsFile(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
		want string
	}{
		{"not key = value", "[profile a]\nprovider = sdm\nthis is not a setting\n", 3, "not key = value"},
		{"key outside a section", "provider = sdm\n", 1, "outside a [profile NAME] section"},
		{"misspelled header", "[profle a]\nprovider = sdm\n", 1, "write [profile NAME]"},
		{"unclosed header", "[profile a\n", 1, "not a section header"},
		{"bad name", "[profile a b]\n", 1, "a profile name is"},
		{"profile twice", "[profile a]\nprovider = sdm\n\n[profile a]\nprovider = nest\n", 4, `profile "a" appears twice`},
		{"key twice", "[profile a]\nprovider = sdm\nclient_id = x\nclient_id = y\n", 4, "client_id is set twice in profile \"a\" (first on line 3)"},
		{"unknown provider", "[profile a]\nprovider = nset\n", 2, `unknown provider "nset"`},
		{"no provider", "# c\n[profile a]\nclient_id = x\n", 2, "no provider"},
		{"insecure token URL", "[profile a]\nprovider = custom\ntoken_url = http://example.com/token\n", 3, "refusing a plain http://"},
		{"pkce not a bool", "[profile a]\nprovider = sdm\npkce = maybe\n", 3, `"maybe" is not true or false`},
		{"unknown store", "[profile a]\nprovider = sdm\nsecrets = vault\n", 3, `"vault" is not keyring or file`},
		{"auth style", "[profile a]\nprovider = sdm\nauth_style = digest\n", 3, "not post or basic"},
		{"params", "[profile a]\nprovider = sdm\nauth_params = %zz=1\n", 3, "auth_params"},
		{"control character", "[profile a]\nprovider = sdm\nclient_id = x\x1b[31m\n", 3, "control character"},
		{"not UTF-8", "[profile a]\nprovider = sdm\nclient_id = \xff\n", 3, "not UTF-8"},
		{"CRLF still counts lines", "[profile a]\r\nprovider = sdm\r\n\r\nbroken\r\n", 4, "not key = value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := newStore(t)
			path := filepath.Join(st.Dir, profile.SettingsFile)
			writeFile(t, path, tt.text)
			_, err := st.Load("a")
			var fe *profile.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Load: %v, want a *FileError", err)
			}
			prefix := path + ":" + strconv.Itoa(tt.line) + ": "
			if fe.Path != path || fe.Line != tt.line || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want %q… with %q", err, prefix, tt.want)
			}
			if strings.ContainsRune(err.Error(), '\x1b') {
				t.Errorf("the error carries an escape sequence: %q", err)
			}
		})
	}
}

// A profiles.conf that is a link to another file is reported by path and
// line, never by quoting the line: the other file may hold a secret.
func TestDamagedSettingsLinkQuotesNothing(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a symbolic link needs privileges on Windows")
	}
	for i, first := range []string{
		"root:x:0:0:hunter2:/root:/bin/bash",
		"API_KEY_hunter2=sk-live-hunter2",
		"[core hunter2]",
		"[profile hunter2!]",
	} {
		t.Run(strconv.Itoa(i), func(t *testing.T) { // the line is not in the name: t.TempDir's path would hold it
			st, _ := newStore(t)
			target := filepath.Join(t.TempDir(), "elsewhere")
			writeFile(t, target, first+"\n[profile a]\nprovider = sdm\n")
			link := filepath.Join(st.Dir, profile.SettingsFile)
			if err := os.MkdirAll(st.Dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			_, err := st.Load("a")
			var fe *profile.FileError
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), link+":1: ") || !strings.Contains(err.Error(), "a link to "+target) {
				t.Errorf("Load: %v; want %s:1: and the link's target", err, link)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error quotes %q: %v", first, err)
			}
		})
	}
}

func TestDamagedProfileSparesTheOthers(t *testing.T) {
	st, _ := newStore(t)
	path := filepath.Join(st.Dir, profile.SettingsFile)
	writeFile(t, path, "[profile bad]\nprovider = sdm\ntoken_url = ftp://x\n\n[profile good]\nprovider = nest\nclient_id = c\nsecrets = file\n")
	if _, err := st.Load("good"); err != nil {
		t.Errorf("Load(good): %v", err)
	}
	list, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "bad" || list[0].Err == nil || !strings.Contains(list[0].Err.Error(), path+":3:") || list[1].Err != nil {
		t.Errorf("list = %+v", list)
	}
	gone, err := st.Forget("bad")
	if err != nil || len(gone) != 1 || !strings.Contains(gone[0], "[profile bad]") {
		t.Fatalf("Forget(bad) = %q, %v", gone, err)
	}
	if got := readFile(t, path); got != "[profile good]\nprovider = nest\nclient_id = c\nsecrets = file\n" {
		t.Errorf("after forget:\n%s", got)
	}
}

func TestOversizedSettingsFile(t *testing.T) {
	st, _ := newStore(t)
	path := filepath.Join(st.Dir, profile.SettingsFile)
	writeFile(t, path, "[profile a]\nprovider = sdm\n"+strings.Repeat("# padding\n", 120_000))
	_, err := st.List()
	var fe *profile.FileError
	if !errors.As(err, &fe) || fe.Path != path || !strings.Contains(err.Error(), "is it the right file?") {
		t.Errorf("List: %v", err)
	}
}

// A settings file of exactly 1 MiB is read; one byte more is refused.
func TestSettingsFileAtTheLimit(t *testing.T) {
	st, _ := newStore(t)
	path := filepath.Join(st.Dir, profile.SettingsFile)
	head := "[profile a]\nprovider = sdm\n"
	writeFile(t, path, head+strings.Repeat("#", 1<<20-len(head)-1)+"\n")
	if _, err := st.List(); err != nil {
		t.Errorf("List of a 1 MiB settings file: %v", err)
	}
	writeFile(t, path, head+strings.Repeat("#", 1<<20-len(head))+"\n")
	if _, err := st.List(); err == nil || !strings.Contains(err.Error(), "is it the right file?") {
		t.Errorf("List of a settings file one byte over 1 MiB: %v", err)
	}
}

func TestPermissionsOnDisk(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix modes: the files inherit the ACL of the user's profile directory")
	}
	st, _ := newStore(t)
	if _, err := st.Save("k", sdmSettings(), someSecrets()); err != nil {
		t.Fatal(err)
	}
	file := sdmSettings()
	file.SecretsIn = profile.File
	if _, err := st.Save("f", file, someSecrets()); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{
		"":                   os.ModeDir | 0o700,
		profile.SettingsFile: 0o600,
		profile.SecretsFile:  0o600,
		profile.LockFile:     0o600,
	} {
		fi, err := os.Stat(filepath.Join(st.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s has mode %v, want %v", fi.Name(), fi.Mode(), want)
		}
	}
	entries, _ := os.ReadDir(st.Dir)
	if len(entries) != 3 {
		t.Errorf("the directory holds %v: a temporary file was left behind?", entries)
	}
}

func TestSecretsFileWithWideModeRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes on Windows")
	}
	st, _ := newStore(t)
	set := sdmSettings()
	set.SecretsIn = profile.File
	if _, err := st.Save("f", set, someSecrets()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(st.Dir, profile.SecretsFile)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load("f"); err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
		t.Errorf("Load: %v, want a refusal that says chmod 600", err)
	}
}

func TestForgetLeavesNothing(t *testing.T) {
	for _, in := range []profile.Backend{profile.Keyring, profile.File} {
		t.Run(in.String(), func(t *testing.T) {
			st, kr := newStore(t)
			set := sdmSettings()
			set.SecretsIn = in
			if _, err := st.Save("gone", set, someSecrets()); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Save("stays", sdmSettings(), profile.Secrets{ClientSecret: "other"}); err != nil {
				t.Fatal(err)
			}
			gone, err := st.Forget("gone")
			if err != nil {
				t.Fatal(err)
			}
			want := 4 // three keyring entries and the settings
			if in == profile.File {
				want = 2 // the secrets file's entry and the settings
			}
			if len(gone) != want {
				t.Errorf("Forget said %q, want %d things", gone, want)
			}
			for _, what := range []string{"client_secret", "refresh_token", "access_token"} {
				if _, err := kr.Get(profile.Service, "gone/"+what); !errors.Is(err, keyring.ErrNotFound) {
					t.Errorf("keyring entry gone/%s: %v, want not found", what, err)
				}
			}
			if _, err := os.Stat(filepath.Join(st.Dir, profile.SecretsFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the secrets file is still there: %v", err)
			}
			if text := readFile(t, filepath.Join(st.Dir, profile.SettingsFile)); strings.Contains(text, "gone") {
				t.Errorf("the settings still name the profile:\n%s", text)
			}
			if _, err := st.Load("gone"); !errors.Is(err, profile.ErrNoProfile) {
				t.Errorf("Load after Forget: %v", err)
			}
			if _, err := st.Load("stays"); err != nil {
				t.Errorf("the other profile: %v", err)
			}
			if _, err := st.Forget("stays"); err != nil {
				t.Fatal(err)
			}
			entries, _ := os.ReadDir(st.Dir)
			if len(entries) != 1 || entries[0].Name() != profile.LockFile {
				t.Errorf("the directory holds %v, want only the empty lock file", entries)
			}
			if _, err := st.Forget("stays"); !errors.Is(err, profile.ErrNoProfile) {
				t.Errorf("Forget twice: %v, want ErrNoProfile", err)
			}
		})
	}
}

func TestNoKeyringNeverFallsBack(t *testing.T) {
	dir := t.TempDir()
	st := profile.Store{Dir: dir, Keyring: failingKeyring{errNoDBus}}
	_, err := st.Save("default", sdmSettings(), someSecrets())
	if !errors.Is(err, profile.ErrNoKeyring) {
		t.Fatalf("Save: %v, want ErrNoKeyring", err)
	}
	for _, want := range []string{"no Secret Service on D-Bus", "org.freedesktop.secrets", "--store file", filepath.Join(dir, profile.SecretsFile), "0600"} {
		if runtime.GOOS == "linux" && !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not say %q", err, want)
		}
	}
	for _, name := range []string{profile.SettingsFile, profile.SecretsFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was written: %v", name, err)
		}
	}

	set := sdmSettings()
	set.SecretsIn = profile.File
	saved, err := st.Save("default", set, someSecrets())
	if err != nil {
		t.Fatalf("Save with the file store: %v", err)
	}
	if saved.SecretsIn != profile.File || !strings.Contains(saved.SecretsWhere, filepath.Join(dir, profile.SecretsFile)) || !strings.Contains(saved.SecretsWhere, "not encrypted") {
		t.Errorf("saved = %+v: the UI must be able to say where the secrets are", saved)
	}
	list, err := st.List()
	if err != nil || len(list) != 1 || list[0].Err != nil || list[0].SecretsIn != profile.File || !list[0].Expiry.Equal(now.Add(1*3600e9)) {
		t.Errorf("List = %+v, %v", list, err)
	}
	if gone, err := st.Forget("default"); err != nil || len(gone) != 2 {
		t.Errorf("Forget of a file profile without a keyring = %q, %v", gone, err)
	}
	if gone, err := st.Forget("never-saved"); !errors.Is(err, profile.ErrNoProfile) || errors.Is(err, profile.ErrNoKeyring) {
		t.Errorf("Forget of a profile never saved, without a keyring = %q, %v; want ErrNoProfile", gone, err)
	}
}

// A keyring lost halfway through Forget keeps no one from deleting the
// settings: the entries it did not delete are named, and Forget of the same
// name deletes them once the keyring is back.
func TestForgetWhenTheKeyringFailsHalfway(t *testing.T) {
	st, kr := newStore(t)
	if _, err := st.Save("k", sdmSettings(), someSecrets()); err != nil {
		t.Fatal(err)
	}
	st.Keyring = &halfKeyring{KeyringAPI: kr, deletes: 1}
	gone, err := st.Forget("k")
	var left *profile.KeyringLeftError
	if !errors.As(err, &left) || !errors.Is(err, profile.ErrNoKeyring) || strings.Join(left.Entries, " ") != "k/refresh_token k/access_token" {
		t.Fatalf("Forget = %q, %v; want a *KeyringLeftError naming k/refresh_token and k/access_token", gone, err)
	}
	if len(gone) != 2 || !strings.Contains(gone[0], "k/client_secret") || !strings.Contains(gone[1], "settings [profile k]") {
		t.Errorf("Forget said it deleted %q; want the client secret and the settings", gone)
	}
	// The forget is done as far as it can be: nothing is left for the next run to finish.
	if _, err := os.Stat(filepath.Join(st.Dir, profile.JournalFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the journal stays after a forget the keyring cut short: %v", err)
	}
	st.Keyring = kr
	if gone, err := st.Forget("k"); err != nil || len(gone) != 2 {
		t.Errorf("Forget again with the keyring back = %q, %v; want the two entries left", gone, err)
	}
}

// halfKeyring deletes the first deletes entries, then cannot be reached.
type halfKeyring struct {
	profile.KeyringAPI
	deletes int
}

func (h *halfKeyring) Delete(service, user string) error {
	if h.deletes == 0 {
		return errNoDBus
	}
	h.deletes--
	return h.KeyringAPI.Delete(service, user)
}

func TestRevokeURLRoundTrip(t *testing.T) {
	st, _ := newStore(t)
	p := auth.Custom()
	p.AuthURL, p.TokenURL, p.RevokeURL = "https://id.example/auth", "https://id.example/token", "https://id.example/revoke"
	if _, err := st.Save("c", profile.SettingsFor(auth.Config{Provider: p, ClientID: "id"}, profile.Keyring), someSecrets()); err != nil {
		t.Fatal(err)
	}
	loaded, err := st.Load("c")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loaded.Config()
	if err != nil || cfg.RevokeURL != p.RevokeURL {
		t.Errorf("the saved revoke URL came back as %q, %v; want %q", cfg.RevokeURL, err, p.RevokeURL)
	}
	sdm, err := profile.Settings{Provider: "sdm"}.Config("")
	if err != nil || sdm.RevokeURL != auth.SDMRevokeURL {
		t.Errorf("no revoke_url keeps the provider's: %q, %v", sdm.RevokeURL, err)
	}
}

func TestSaveMovesSecretsBetweenBackends(t *testing.T) {
	st, kr := newStore(t)
	if _, err := st.Save("p", sdmSettings(), someSecrets()); err != nil {
		t.Fatal(err)
	}
	set := sdmSettings()
	set.SecretsIn = profile.File
	if _, err := st.Save("p", set, someSecrets()); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(profile.Service, "p/refresh_token"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the keyring still holds the refresh token: %v", err)
	}
	if _, err := st.Save("p", sdmSettings(), someSecrets()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(st.Dir, profile.SecretsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the secrets file is still there: %v", err)
	}
	if v, err := kr.Get(profile.Service, "p/refresh_token"); err != nil || v != someSecrets().RefreshToken {
		t.Errorf("keyring refresh token = %q, %v", v, err)
	}
}

func TestListShowsNoSecret(t *testing.T) {
	st, _ := newStore(t)
	if _, err := st.Save("a", sdmSettings(), someSecrets()); err != nil {
		t.Fatal(err)
	}
	list, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	want := profile.Entry{Name: "a", Provider: "sdm", ClientID: sdmSettings().ClientID, SecretsIn: profile.Keyring,
		Expiry: someSecrets().Expiry, HasAccessToken: true, HasRefreshToken: true}
	if len(list) != 1 || !reflect.DeepEqual(list[0], want) {
		t.Errorf("List = %+v, want %+v", list, want)
	}
}

func TestRefusedValues(t *testing.T) {
	st, _ := newStore(t)
	newline := sdmSettings()
	newline.ClientID = "x\n[profile evil]"
	insecure := sdmSettings()
	insecure.TokenURL = "http://example.com/token"
	tests := []struct {
		name     string
		profile  string
		settings profile.Settings
		want     string
	}{
		{"bad name", "../etc", sdmSettings(), "a profile name is"},
		{"newline in a value", "a", newline, "control character"},
		{"insecure endpoint", "a", insecure, "refusing a plain http://"},
		{"unknown provider", "a", profile.Settings{Provider: "x"}, "unknown provider"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := st.Save(tt.profile, tt.settings, someSecrets()); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Save: %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(st.Dir, profile.SettingsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused save wrote the file: %v", err)
	}
}

func TestDefaultDir(t *testing.T) {
	home, _ := os.UserConfigDir()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"NESTAUTH_CONFIG_DIR first", map[string]string{"NESTAUTH_CONFIG_DIR": "/srv/na", "XDG_CONFIG_HOME": "/x"}, "/srv/na"},
		{"XDG_CONFIG_HOME", map[string]string{"XDG_CONFIG_HOME": "/x"}, "/x/nestauth"},
		{"a relative XDG_CONFIG_HOME is ignored", map[string]string{"XDG_CONFIG_HOME": "x"}, filepath.Join(home, "nestauth")},
		{"the OS's", nil, filepath.Join(home, "nestauth")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := profile.DefaultDir(func(k string) string { return tt.env[k] })
			if err != nil || got != filepath.FromSlash(tt.want) {
				t.Errorf("DefaultDir = %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

// Names, as shell completion calls it, says why when there is no settings
// directory or the settings file cannot be read.
func TestNamesFails(t *testing.T) {
	t.Run("no settings directory", func(t *testing.T) {
		for _, k := range []string{"NESTAUTH_CONFIG_DIR", "XDG_CONFIG_HOME", "HOME", "AppData", "home"} {
			t.Setenv(k, "")
		}
		if _, err := os.UserConfigDir(); err == nil {
			t.Fatal("os.UserConfigDir found a directory without HOME")
		}
		if names, err := (profile.Store{}).Names(); err == nil || !strings.Contains(err.Error(), "set NESTAUTH_CONFIG_DIR") {
			t.Errorf("Names = %q, %v; want an error saying to set NESTAUTH_CONFIG_DIR", names, err)
		}
	})
	t.Run("settings file unreadable", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, profile.SettingsFile), 0o700); err != nil { // a directory where the file goes
			t.Fatal(err)
		}
		if names, err := (profile.Store{Dir: dir}).Names(); err == nil {
			t.Errorf("Names = %q, nil; want the read error", names)
		}
	})
}

func TestSecretsForWithoutToken(t *testing.T) {
	got := profile.SecretsFor(auth.Config{ClientSecret: "s"}, nil)
	if got != (profile.Secrets{ClientSecret: "s"}) {
		t.Errorf("SecretsFor(cfg, nil) = %+v, want the client secret alone", got)
	}
}

func TestKeyringErrorSaysWhat(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the wording is the Secret Service's")
	}
	tests := []struct{ err, want string }{
		{`exec: "dbus-launch": executable file not found in $PATH`, "no Secret Service on D-Bus"},
		{"The name org.freedesktop.secrets was not provided by any .service files", "no Secret Service on D-Bus"},
		{"failed to unlock correct collection '/org/freedesktop/secrets/collection/login'", "is locked"},
		{"something else", "the Secret Service refused"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			st := profile.Store{Dir: t.TempDir(), Keyring: failingKeyring{keyringError(tt.err)}}
			_, err := st.Load("x")
			if !errors.Is(err, profile.ErrNoProfile) {
				t.Fatalf("Load of a missing profile: %v", err)
			}
			_, err = st.Save("x", sdmSettings(), someSecrets())
			if !errors.Is(err, profile.ErrNoKeyring) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "--store file") {
				t.Errorf("Save: %v, want %q and --store file", err, tt.want)
			}
		})
	}
}
