package e2e

// The servers nestauth talks to, and the browser: the Works with Nest fake,
// loopback token endpoints that answer as a test scripts them, and
// oidc-provider (.ci/oidc) with browse.js as the person at the browser.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

const (
	nestID     = "nestauth-e2e-client"
	nestSecret = "e2e-secret-Zq8"
)

func startFake(t *testing.T) *fakenest.Server {
	t.Helper()
	return fakenest.NewTest(t, nestID, nestSecret)
}

// sdmStub is a token endpoint that accepts each code in codes once.
type sdmStub struct {
	mu    sync.Mutex
	codes map[string]bool
	forms []url.Values
}

func (st *sdmStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.forms = append(st.forms, r.PostForm)
	w.Header().Set("Content-Type", "application/json")
	c := r.PostForm.Get("code")
	if !st.codes[c] {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Malformed auth code."}`)
		return
	}
	st.codes[c] = false
	fmt.Fprintf(w, `{"access_token":"ya29.at-for-%s","expires_in":3599,"token_type":"Bearer","scope":"https://www.googleapis.com/auth/sdm.service","refresh_token":"1//rt-%s"}`,
		strings.ReplaceAll(c, "/", "_"), strings.ReplaceAll(c, "/", "_"))
}

func (st *sdmStub) received() []url.Values {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]url.Values(nil), st.forms...)
}

func codesSent(stub *sdmStub) []string {
	var codes []string
	for _, f := range stub.received() {
		codes = append(codes, f.Get("code"))
	}
	return codes
}

// tokenReply is one scripted answer of a token endpoint.
type tokenReply struct {
	status      int
	contentType string
	location    string
	body        string
}

// scriptedToken answers each token request with the next reply (the last one
// again when they run out) and records the forms it got.
type scriptedToken struct {
	mu      sync.Mutex
	replies []tokenReply
	forms   []url.Values
}

func (s *scriptedToken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	s.forms = append(s.forms, r.PostForm)
	rep := s.replies[min(len(s.forms), len(s.replies))-1]
	s.mu.Unlock()
	if rep.location != "" {
		w.Header().Set("Location", rep.location)
	}
	w.Header().Set("Content-Type", rep.contentType)
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (s *scriptedToken) received() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.forms...)
}

func startScripted(t *testing.T, replies ...tokenReply) (*scriptedToken, string) {
	t.Helper()
	st := &scriptedToken{replies: replies}
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)
	return st, srv.URL + "/token"
}

// tokenServer is a loopback token endpoint that answers every request with
// body; it returns the endpoint's URL.
func tokenServer(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/token"
}

const (
	oidcID     = "nestauth-test"
	oidcSecret = "nestauth-test-secret"
)

// startOIDC starts .ci/oidc/server.js on a free loopback port; it returns the issuer.
func startOIDC(t *testing.T) string {
	t.Helper()
	return startOIDCEnv(t)
}

// startOIDCEnv is startOIDC with OIDC_* settings such as OIDC_ROTATE_REFRESH=1.
func startOIDCEnv(t *testing.T, env ...string) string {
	t.Helper()
	needOIDC(t)
	cmd := exec.Command("node", "server.js")
	cmd.Dir = oidcDir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OIDC_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, "OIDC_PORT=0"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &testkit.LockedBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("oidc server log:\n%s", logs.String())
		}
	})
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-ready:
		issuer, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
		if !ok || !strings.HasPrefix(issuer, "http://127.0.0.1:") {
			t.Fatalf("server.js said %q, want READY http://127.0.0.1:PORT; log:\n%s", line, logs.String())
		}
		return issuer
	case <-time.After(30 * time.Second):
		t.Fatalf("server.js did not print READY; log:\n%s", logs.String())
	}
	return ""
}

// browse plays the user's browser on an authorization URL (browse.js).
func browse(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"browse.js"}, args...)...)
	cmd.Dir = oidcDir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("browse.js %v: %v\n%s", args, err, e.String())
	}
	return strings.TrimSpace(o.String()), e.String()
}

// oidcRedirect gets a code for client id through the browser, without nestauth.
func oidcRedirect(t *testing.T, issuer, id, redirectURI string) string {
	t.Helper()
	v := url.Values{"client_id": {id}, "response_type": {"code"}, "redirect_uri": {redirectURI},
		"scope": {"read"}, "state": {"e2e-state"}}
	red, _ := browse(t, issuer+"/auth?"+v.Encode())
	if !strings.Contains(red, "code=") {
		t.Fatalf("browse.js gave no code: %q", red)
	}
	return red
}

func oidcCustomArgs(issuer string, extra ...string) []string {
	return append([]string{"--provider", "custom", "--client-id", oidcID,
		"--auth-url", issuer + "/auth", "--token-url", issuer + "/token"}, extra...)
}

// browserGet is the browser's redirect to the listener.
func browserGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
