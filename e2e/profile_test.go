package e2e

// Saved profiles: the wizard (or nestauth device) saves one, nestauth token
// hands out its token, refreshing once however many run at the same moment,
// and forget leaves nothing behind; in a secrets file, and in the real
// Secret Service that .ci/run starts.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"nestauth/internal/profile"
	"nestauth/internal/testkit"
)

// tokenCounter stands between nestauth and a token endpoint, counting the
// token requests by grant type; refreshes are held a while, so that parallel
// runs would meet at the server if they did not wait for each other.
type tokenCounter struct {
	*httptest.Server

	mu           sync.Mutex
	grants       map[string]int
	refreshDelay time.Duration
}

func newTokenCounter(t *testing.T, target string) *tokenCounter {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	c := &tokenCounter{grants: map[string]int{}}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Host = u.Host
		if r.Method == http.MethodPost && r.URL.Path == "/token" {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			form, _ := url.ParseQuery(string(b))
			grant := form.Get("grant_type")
			c.mu.Lock()
			c.grants[grant]++
			delay := c.refreshDelay
			c.mu.Unlock()
			if grant == "refresh_token" {
				time.Sleep(delay)
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *tokenCounter) count(grant string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.grants[grant]
}

// expireStored makes profile name's stored access token an hour old, in the
// secrets file, as if it had been saved long ago.
func expireStored(t *testing.T, dir, name string) {
	t.Helper()
	path := filepath.Join(dir, profile.SecretsFile)
	var all map[string]map[string]any
	if err := json.Unmarshal([]byte(testkit.ReadFile(t, path)), &all); err != nil || all[name] == nil {
		t.Fatalf("%s: %v, %v", path, all, err)
	}
	all[name]["expiry"] = time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestE2EProfileWizardTokenForget(t *testing.T) {
	t.Parallel()
	issuer := startOIDCEnv(t, "OIDC_ROTATE_REFRESH=1") // a used refresh token is refused, and revokes the grant
	counter := newTokenCounter(t, issuer)
	dir := filepath.Join(t.TempDir(), "config")
	env := map[string]string{"NESTAUTH_CONFIG_DIR": dir}

	// The wizard gets a token and s saves it, secrets in a file.
	tm := startWizard(t, wizardRun{
		env: map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret, "NESTAUTH_CONFIG_DIR": dir},
		args: []string{"--provider", "custom", "--client-id", oidcID, "--auth-url", issuer + "/auth", "--token-url", counter.URL + "/token",
			"--redirect-uri", "https://www.google.com", "--scope", "read", "--profile", "p", "--store", "file"},
	})
	authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
	redirect, _ := browse(t, authURL)
	pasteRedirect(t, tm, "Step 4 of 5 · Authorization code", redirect)
	waitFor(t, tm, "s save profile")
	tm.keys("s")
	waitFor(t, tm, fmt.Sprintf("Saved profile p: settings in %s; secrets in %s (mode 0600, not encrypted",
		filepath.Join(dir, profile.SettingsFile), filepath.Join(dir, profile.SecretsFile)))
	tm.keys("q")
	access, code := tm.waitExit()
	access = strings.TrimSpace(access)
	if code != 0 || access == "" || counter.count("authorization_code") != 1 {
		t.Fatalf("the wizard: exit %d, stdout %q, %d exchanges", code, access, counter.count("authorization_code"))
	}
	waitFor(t, tm, "Saved profile p: settings in") // after the wizard too, on the screen
	settings := testkit.ReadFile(t, filepath.Join(dir, profile.SettingsFile))
	if strings.Contains(settings, oidcSecret) || strings.Contains(settings, access) {
		t.Errorf("the settings file holds a secret:\n%s", settings)
	}

	// In a new process, the stored token, with no request.
	out, errOut, code := runBin(t, env, "", "token", "--profile", "p")
	if code != 0 || out != access+"\n" || counter.count("refresh_token") != 0 {
		t.Fatalf("token: exit %d, stdout %q (want %q), stderr %s, %d refreshes", code, out, access, errOut, counter.count("refresh_token"))
	}

	// Expired: exactly one refresh, its rotated refresh token saved.
	expireStored(t, dir, "p")
	out, errOut, code = runBin(t, env, "", "token", "--profile", "p")
	fresh := strings.TrimSpace(out)
	if code != 0 || fresh == "" || fresh == access || counter.count("refresh_token") != 1 {
		t.Fatalf("token after expiry: exit %d, stdout %q, stderr %s, %d refreshes", code, out, errOut, counter.count("refresh_token"))
	}

	// Expired again, 8 runs at once: one refresh, no invalid_grant, one token.
	expireStored(t, dir, "p")
	counter.mu.Lock()
	counter.refreshDelay = 300 * time.Millisecond
	counter.mu.Unlock()
	type result struct {
		out, errOut string
		code        int
	}
	results := make([]result, 8)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			o, e, c := runBin(t, env, "", "token", "--profile", "p")
			results[i] = result{o, e, c}
		})
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 || r.out != results[0].out || strings.TrimSpace(r.out) == fresh || strings.Contains(r.errOut, "invalid_grant") {
			t.Errorf("run %d: exit %d, stdout %q (run 0: %q), stderr %s", i, r.code, r.out, results[0].out, r.errOut)
		}
	}
	if n := counter.count("refresh_token"); n != 2 {
		t.Errorf("8 parallel runs made %d refreshes, want 1", n-1)
	}

	// The list: no secret.
	out, _, code = runBin(t, env, "", "profiles")
	if code != 0 || !regexp.MustCompile(`(?m)^p\s+custom\s+`+oidcID+`\s+file\s+expires `).MatchString(out) {
		t.Errorf("profiles: exit %d:\n%s", code, out)
	}
	for _, secret := range []string{oidcSecret, access, fresh} {
		if strings.Contains(out, secret) {
			t.Errorf("profiles shows a secret:\n%s", out)
		}
	}

	// The next wizard starts with every saved value in its field.
	tm = startWizard(t, wizardRun{env: env, args: []string{"--profile", "p"}})
	s := waitFor(t, tm, "Step 1 of 5 · Client ID")
	if !fieldLine(oidcID).MatchString(afterLast(s, "· Client ID")) {
		t.Errorf("the client ID is not filled in:\n%s", s)
	}
	tm.keys("Enter")
	s = waitFor(t, tm, "Step 2 of 5 · Client secret")
	if !fieldLine(strings.Repeat("•", len(oidcSecret))).MatchString(afterLast(s, "· Client secret")) || strings.Contains(s, oidcSecret) {
		t.Errorf("the secret is not filled in, masked:\n%s", s)
	}
	tm.keys("Enter")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	u, _ := screenURL(tm.screen())
	if q, err := url.Parse(u); err != nil || !strings.HasPrefix(u, issuer+"/auth?") || q.Query().Get("redirect_uri") != "https://www.google.com" || q.Query().Get("scope") != "read" {
		t.Errorf("the saved provider's URL: %s", u)
	}
	tm.keys("C-c")
	tm.waitExit()

	// forget leaves nothing behind but the lock file.
	out, errOut, code = runBin(t, env, "", "forget", "--profile", "p")
	if code != 0 || !strings.Contains(out, "deleted secrets of p in "+filepath.Join(dir, profile.SecretsFile)) || !strings.Contains(out, "deleted settings [profile p]") {
		t.Errorf("forget: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != profile.LockFile {
			t.Errorf("forget left %s", e.Name())
		}
	}
}

func TestE2EProfileRealKeyring(t *testing.T) {
	t.Parallel()
	needRealKeyring(t)
	fake := startFake(t)
	dir := filepath.Join(t.TempDir(), "config")
	name := fmt.Sprintf("e2e-%d-%d", os.Getpid(), time.Now().UnixNano()) // apart from a person's own
	env := map[string]string{"NESTAUTH_CONFIG_DIR": dir, "DBUS_SESSION_BUS_ADDRESS": os.Getenv("DBUS_SESSION_BUS_ADDRESS")}
	t.Cleanup(func() { _, _, _ = runBin(t, env, "", "forget", "--profile", name) })

	w := nestWizard(fake, nestSecret)
	w.env["NESTAUTH_CONFIG_DIR"], w.env["DBUS_SESSION_BUS_ADDRESS"] = dir, env["DBUS_SESSION_BUS_ADDRESS"]
	w.args = append(w.args, "--profile", name, "--save") // keyring: the default store
	tm := startWizard(t, w)
	tok := fakeToToken(t, tm, fake)
	waitFor(t, tm, fmt.Sprintf("Saved profile %s: settings in %s; secrets in the OS keyring", name, filepath.Join(dir, profile.SettingsFile)))
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != tok+"\n" {
		t.Fatalf("the wizard: exit %d, stdout %q", code, out)
	}

	// The secrets are in the Secret Service, and nowhere in the directory.
	for what, want := range map[string]string{"client_secret": nestSecret, "access_token": tok} {
		v, found, err := realKeyringGet(t, name+"/"+what)
		if err != nil || !found || !strings.Contains(v, want) {
			t.Errorf("keyring entry %s/%s = %q, %v, %v; want it to hold %q", name, what, v, found, err, want)
		}
	}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b := testkit.ReadFile(t, path); strings.Contains(b, nestSecret) || strings.Contains(b, tok) {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})

	requests := fake.TokenRequests()
	out, errOut, code := runBin(t, env, "", "token", "--profile", name)
	if code != 0 || out != tok+"\n" || fake.TokenRequests() != requests {
		t.Errorf("token: exit %d, stdout %q, stderr %s, %d requests", code, out, errOut, fake.TokenRequests()-requests)
	}
	out, _, _ = runBin(t, env, "", "profiles")
	if !regexp.MustCompile(`(?m)^` + name + `\s+nest\s+` + nestID + `\s+keyring\s+expires `).MatchString(out) {
		t.Errorf("profiles:\n%s", out)
	}

	out, errOut, code = runBin(t, env, "", "forget", "--profile", name)
	if code != 0 || !strings.Contains(out, "deleted keyring entry nestauth "+name+"/client_secret") || !strings.Contains(out, "deleted keyring entry nestauth "+name+"/access_token") {
		t.Errorf("forget: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	for _, what := range []string{"client_secret", "refresh_token", "access_token"} {
		if _, found, err := realKeyringGet(t, name+"/"+what); found || err != nil {
			t.Errorf("keyring entry %s/%s after forget: found %v, %v", name, what, found, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, profile.SettingsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the settings file outlived forget: %v", err)
	}
}

// Without a keyring (no D-Bus session in the wizard's environment), s fails;
// f then saves the profile with its secrets in the secrets file, after a y,
// through main's wiring of Options.SaveToFile.
func TestE2ESaveToFileAfterTheKeyringFailed(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	dir := filepath.Join(t.TempDir(), "config")
	w := nestWizard(fake, nestSecret)
	w.env["NESTAUTH_CONFIG_DIR"] = dir
	w.args = append(w.args, "--profile", "nokeyring")
	tm := startWizard(t, w)
	tok := fakeToToken(t, tm, fake)
	tm.keys("s")
	waitFor(t, tm, "f saves it")
	tm.keys("f")
	waitFor(t, tm, "y saves there")
	tm.keys("y")
	waitFor(t, tm, "Saved profile nokeyring")
	fi, err := os.Stat(filepath.Join(dir, profile.SecretsFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secrets file: %v, %v; want mode 0600", fi, err)
	}
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != tok+"\n" {
		t.Fatalf("the wizard: exit %d, stdout %q", code, out)
	}
}

// The trial against oidc-provider: a profile saved from the device flow,
// with no --scope (openid is asked for: the server refuses a request
// without one at approval), signs in again with device --profile alone.
func TestE2EDeviceProfileOIDC(t *testing.T) {
	issuer := startOIDC(t)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "NESTAUTH_CONFIG_DIR=" + t.TempDir()}
	out, said, exit := deviceAnswered(t, issuer, env, true, "device", "--issuer", issuer, "--client-id", oidcID+"-public",
		"--profile", "d", "--store", "file", "--save")
	if exit != 0 || !strings.Contains(out, `"access_token"`) || !strings.Contains(said, "asking for scope openid") || !strings.Contains(said, "saved profile d") {
		t.Fatalf("device --save: exit %d, stdout %q, stderr:\n%s", exit, out, said)
	}
	out, said, exit = deviceAnswered(t, issuer, env, true, "device", "--profile", "d")
	if exit != 0 || !strings.Contains(out, `"access_token"`) {
		t.Fatalf("device --profile d: exit %d, stdout %q, stderr:\n%s", exit, out, said)
	}
	// token refreshes a device profile; --min-valid beyond the tokens' life warns.
	cmd := exec.Command(nestauthBin, "token", "--profile", "d", "--min-valid", "10h")
	cmd.Env = env
	var tokOut, tokErr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &tokOut, &tokErr
	if err := cmd.Run(); err != nil || tokOut.Len() == 0 || !strings.Contains(tokErr.String(), "less than --min-valid 10 hours") {
		t.Errorf("token --min-valid 10h: %v, stdout %q, stderr %q", err, tokOut.String(), tokErr.String())
	}
}
