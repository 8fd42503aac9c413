package e2e

// End-to-end tests of saved profiles: the wizard saves one, `nestauth token`
// hands out its token (refreshing once, however many run at the same moment)
// and `forget` leaves nothing behind; one run against the real Secret
// Service that .ci/run starts.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"nestauth/internal/testkit"
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

	"github.com/zalando/go-keyring"

	"nestauth/internal/profile"
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
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.paste(redirect)
	waitFor(t, tm, "Took the code out of what you pasted")
	tm.keys("Enter")
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

// keyringHelperEnv, set, makes the test binary a keyring client for one
// question ("get NAME"): the in-process tests replace go-keyring with its
// mock, so the real keyring is asked from a process of its own.
const keyringHelperEnv = "NESTAUTH_E2E_KEYRING_GET"

// keyringHelper answers keyringHelperEnv's question and exits: the value on
// stdout and 0, exit 3 for no such entry, else the error and 1.
func keyringHelper() {
	user, ok := os.LookupEnv(keyringHelperEnv)
	if !ok {
		return
	}
	v, err := keyring.Get(profile.Service, user)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		os.Exit(3)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(v)
	os.Exit(0)
}

// realKeyringGet reads an entry of the real keyring; found is false for none.
func realKeyringGet(t *testing.T, user string) (value string, found bool, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), keyringHelperEnv+"="+user)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return o.String(), true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		return "", false, nil
	}
	return "", false, fmt.Errorf("%v: %s", err, strings.TrimSpace(e.String()))
}

// needRealKeyring fails the test in CI, and skips it elsewhere, when no
// Secret Service answers: .ci/run runs the tests inside dbus-run-session
// with gnome-keyring-daemon unlocked.
func needRealKeyring(t *testing.T) {
	t.Helper()
	_, _, err := realKeyringGet(t, "nestauth-test-probe")
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("no keyring in CI: %v. .ci/run runs the tests inside dbus-run-session with gnome-keyring-daemon unlocked", err)
	}
	t.Skipf("no keyring here (%v): run the tests as .ci/run does, inside dbus-run-session with gnome-keyring-daemon", err)
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
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	tm.paste(fake.IssueCode())
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
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
