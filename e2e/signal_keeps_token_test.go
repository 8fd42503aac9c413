//go:build unix

package e2e

// A signal never costs a token: SIGTERM, SIGINT and SIGHUP that come while
// a token request may be at the server wait until its answer is kept, then
// stop nestauth with the signal's status; before the request they stop it
// at once.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"nestauth/internal/profile"
	"nestauth/internal/testkit"
)

// rotatingServer is a token endpoint that rotates refresh tokens: the one
// it issued last is the only one it takes, as oidc-provider and Google's
// rotating clients do. It answers after delay, and tells arrived of each
// request it got.
type rotatingServer struct {
	mu      sync.Mutex
	current string // the refresh token it takes
	n       int
	delay   time.Duration
	arrived chan struct{}
	url     string
	// onIssue, if set, runs once a token is issued, before it is sent:
	// a disk fills while the answer is on its way.
	onIssue func()
}

func startRotating(t *testing.T, delay time.Duration) *rotatingServer {
	t.Helper()
	rs := &rotatingServer{current: "rt-0", delay: delay, arrived: make(chan struct{}, 100)}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	rs.url = srv.URL + "/token"
	return rs
}

func (rs *rotatingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	select {
	case rs.arrived <- struct{}{}:
	default:
	}
	rs.mu.Lock()
	var body string
	status := http.StatusOK
	switch {
	case r.PostForm.Get("grant_type") == "authorization_code":
		rs.n++
		rs.current = fmt.Sprintf("rt-%d", rs.n)
		body = fmt.Sprintf(`{"access_token":"at-%d","token_type":"Bearer","expires_in":3600,"refresh_token":%q}`, rs.n, rs.current)
	case r.PostForm.Get("refresh_token") == rs.current:
		rs.n++
		rs.current = fmt.Sprintf("rt-%d", rs.n)
		body = fmt.Sprintf(`{"access_token":"at-%d","token_type":"Bearer","expires_in":3600,"refresh_token":%q}`, rs.n, rs.current)
	default:
		status = http.StatusBadRequest
		body = `{"error":"invalid_grant","error_description":"refresh token is invalid"}`
	}
	onIssue := rs.onIssue
	rs.mu.Unlock()
	if onIssue != nil && status == http.StatusOK {
		onIssue()
	}
	time.Sleep(rs.delay) // issued: the old refresh token is dead from now on
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// setOnIssue sets onIssue while the server may be serving.
func (rs *rotatingServer) setOnIssue(f func()) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.onIssue = f
}

func (rs *rotatingServer) refreshToken() string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.current
}

// savedRefreshToken is the refresh token profile name keeps in dir's
// secrets file.
func savedRefreshToken(t *testing.T, dir, name string) string {
	t.Helper()
	var all map[string]struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal([]byte(testkit.ReadFile(t, filepath.Join(dir, profile.SecretsFile))), &all); err != nil {
		t.Fatal(err)
	}
	return all[name].RefreshToken
}

// startBin starts the binary without a terminal, its output in buffers.
func startBin(t *testing.T, env map[string]string, args ...string) (cmd *exec.Cmd, stdout, stderr *bytes.Buffer) {
	t.Helper()
	cmd = exec.Command(nestauthBin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout, stderr
}

// exitOf waits for cmd and returns its exit status, 128+N for a signal.
func exitOf(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("nestauth %v did not end", cmd.Args[1:])
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}

// savedRotatingProfile saves profile p in a settings directory of its
// own, signed in against rs, with an access token an hour old.
func savedRotatingProfile(t *testing.T, rs *rotatingServer) (dir string, env map[string]string) {
	t.Helper()
	return savedRotatingProfileIn(t, rs, filepath.Join(t.TempDir(), "config"))
}

// savedRotatingProfileIn is savedRotatingProfile with the settings in dir.
func savedRotatingProfileIn(t *testing.T, rs *rotatingServer, dir string) (string, map[string]string) {
	t.Helper()
	env := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs", "NESTAUTH_CONFIG_DIR": dir}
	_, errOut, code := runBin(t, env, rs.refreshToken()+"\n", "refresh", "--provider", "custom", "--client-id", "cid",
		"--token-url", rs.url, "--save", "--profile", "p", "--store", "file")
	if code != 0 {
		t.Fatalf("refresh --save: exit %d:\n%s", code, errOut)
	}
	expireStored(t, dir, "p")
	return dir, env
}

var heldSignals = []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP}

// A signal at a random moment of nestauth token's refresh, against a
// server that rotates refresh tokens, never leaves the profile with a
// refresh token the server has dropped.
func TestE2ESignalDuringRefreshKeepsTheSession(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, 5*time.Millisecond)
	dir, env := savedRotatingProfile(t, rs)
	const runs = 60
	late := 0
	for i := range runs {
		sig := heldSignals[i%len(heldSignals)]
		cmd, stdout, stderr := startBin(t, env, "token", "--profile", "p")
		time.Sleep(time.Duration(rand.N(30_000)) * time.Microsecond)
		_ = cmd.Process.Signal(sig)
		code := exitOf(t, cmd)
		if saved, current := savedRefreshToken(t, dir, "p"), rs.refreshToken(); saved != current {
			t.Fatalf("run %d, %v: exit %d, the profile keeps %s but the server moved on to %s: the session is lost. stderr:\n%s",
				i, sig, code, saved, current, stderr.String())
		}
		switch {
		case code == 0: // the signal came after the run
		case code == 128+int(sig):
			if stdout.Len() > 0 {
				late++ // held back: the token was delivered first
			}
		default:
			t.Fatalf("run %d, %v: exit %d, want 0 or %d; stderr:\n%s", i, sig, code, 128+int(sig), stderr.String())
		}
		expireStored(t, dir, "p")
	}
	t.Logf("%d of %d runs got the signal while the refresh was out, and kept its token", late, runs)
}

// SIGTERM while exchange waits for a slow token endpoint: the code is spent
// at the server, so nestauth waits for the answer, prints the token, and
// then exits 143. Before the request, a signal stops it at once.
func TestE2ESignalDuringExchangePrintsTheToken(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, time.Second)
	cmd, stdout, stderr := startBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "exchange", "--provider", "custom",
		"--client-id", "cid", "--token-url", rs.url, "--code", "CODE", "--no-pkce", "--redirect-uri", "https://example.com/cb")
	select {
	case <-rs.arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("no token request")
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	code := exitOf(t, cmd)
	if code != 143 || !strings.Contains(stdout.String(), `"access_token": "at-1"`) {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant 143 and the token", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "SIGTERM") {
		t.Errorf("stderr does not say why it waited:\n%s", stderr.String())
	}
}

// SIGKILL cannot be held back: killed while its refresh is at the server,
// nestauth token leaves the profile with a refresh token the server has
// dropped, and the next run's refusal says an earlier refresh was cut off.
func TestE2EKilledRefreshIsExplainedByTheNextRun(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, time.Second)
	_, env := savedRotatingProfile(t, rs)
	<-rs.arrived // the save's own refresh
	cmd, _, _ := startBin(t, env, "token", "--profile", "p")
	select {
	case <-rs.arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("no refresh request")
	}
	_ = cmd.Process.Kill()
	_ = exitOf(t, cmd)
	_, stderr, code := runBin(t, env, "", "token", "--profile", "p")
	if code != 3 || !strings.Contains(stderr, "refresh token rejected") || !strings.Contains(stderr, "An earlier refresh of this profile, sent at") ||
		!strings.Contains(stderr, "was cut off before its answer was saved") {
		t.Errorf("exit %d; want 3 and that an earlier refresh was cut off:\n%s", code, stderr)
	}
}

// The wizard, sent SIGTERM, SIGINT or SIGHUP while its exchange is at a
// slow token endpoint, waits for the answer and ends as q would: the token
// on stdout, then the signal's status.
func TestE2EWizardSignalDuringExchangePrintsTheToken(t *testing.T) {
	t.Parallel()
	for _, sig := range heldSignals {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			rs := startRotating(t, 1500*time.Millisecond)
			tm := startWizard(t, wizardRun{
				env: map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"},
				args: []string{"--provider", "custom", "--client-id", "cid", "--auth-url", rs.url + "/../auth",
					"--token-url", rs.url, "--redirect-uri", "https://example.com/cb"},
			})
			waitFor(t, tm, "Step 3 of 5 · Authorize")
			tm.keys("Enter")
			waitFor(t, tm, "Step 4 of 5 · Authorization code")
			tm.typeText("CODE")
			tm.keys("Enter")
			select {
			case <-rs.arrived:
			case <-time.After(20 * time.Second):
				t.Fatalf("no token request; screen:\n%s", tm.screen())
			}
			tm.signal(sig)
			out, code := tm.waitExit()
			if code != 128+int(sig) || out != "at-1\n" {
				t.Errorf("exit %d, stdout %q; want %d and the token", code, out, 128+int(sig))
			}
		})
	}
}

// nestauth device, and the wizard's device flow, sent a signal while the
// poll that brings the token is out: the token is kept, then the signal's
// status.
func TestE2EDeviceSignalDuringPollKeepsTheToken(t *testing.T) {
	t.Parallel()
	newServer := func(t *testing.T) *testkit.DeviceServer {
		return testkit.NewDeviceServer(t, &testkit.DeviceServer{TokenDelay: 1500 * time.Millisecond, Polled: make(chan struct{}, 1)})
	}
	args := func(ds *testkit.DeviceServer) []string {
		return []string{"--provider", "custom", "--client-id", "cid", "--device-url", ds.URL + "/device/code", "--token-url", ds.URL + "/token"}
	}
	t.Run("device", func(t *testing.T) {
		t.Parallel()
		ds := newServer(t)
		cmd, stdout, stderr := startBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, append([]string{"device"}, args(ds)...)...)
		<-ds.Polled
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if code := exitOf(t, cmd); code != 143 || !strings.Contains(stdout.String(), `"access_token": "gho_DEVICE"`) {
			t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant 143 and the token", code, stdout.String(), stderr.String())
		}
	})
	t.Run("wizard", func(t *testing.T) {
		t.Parallel()
		ds := newServer(t)
		ms := testkit.NewMetadataServer(t, func(d map[string]any) {
			d["token_endpoint"], d["device_authorization_endpoint"] = ds.URL+"/token", ds.URL+"/device/code"
			d["grant_types_supported"] = []string{"authorization_code", "urn:ietf:params:oauth:grant-type:device_code"}
		})
		tm := startWizard(t, wizardRun{env: map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"},
			args: []string{"--issuer", ms.URL, "--client-id", "cid", "--scope", "repo", "--device"}})
		waitFor(t, tm, "Redirect URI")
		tm.keys("Enter") // none: the device flow
		select {
		case <-ds.Polled:
		case <-time.After(20 * time.Second):
			t.Fatalf("no poll; screen:\n%s", tm.screen())
		}
		tm.signal(syscall.SIGTERM)
		if out, code := tm.waitExit(); code != 143 || out != "gho_DEVICE\n" {
			t.Errorf("exit %d, stdout %q; want 143 and the token", code, out)
		}
	})
}

// check --profile holds a signal back only while its refresh is out: once
// the refreshed token is saved, ctrl+c during the API call (which spends
// nothing) stops it at once, and the saved session is intact.
func TestE2ECheckStopsAtOnceDuringTheAPICall(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, 0)
	dir, env := savedRotatingProfile(t, rs)
	called := make(chan struct{}, 1)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called <- struct{}{}
		select { // answers only when the test ends: a stuck API
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(api.Close)
	cmd, _, stderr := startBin(t, env, "check", "--profile", "p", "--check-url", api.URL+"/me", "--timeout", "60s")
	select {
	case <-called:
	case <-time.After(20 * time.Second):
		t.Fatal("no API call")
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	if code := exitOf(t, cmd); code != 130 {
		t.Errorf("exit %d, want 130 at once; stderr:\n%s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "may have reached the server") {
		t.Errorf("the API call was held like a token request:\n%s", stderr.String())
	}
	if got := savedRefreshToken(t, dir, "p"); got != rs.refreshToken() {
		t.Errorf("saved refresh token %q, the server's is %q", got, rs.refreshToken())
	}
}
