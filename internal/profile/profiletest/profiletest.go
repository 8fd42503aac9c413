// Package profiletest helps test the credential helper: a token endpoint
// that rotates refresh tokens the way strict providers do, and a runner of
// the test binary as several processes released at the same moment.
package profiletest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"nestauth/internal/profile"
)

// TokenServer answers refresh requests at /token. With Rotate, each refresh
// token works once: a second use gets invalid_grant, as when two runs
// refresh in parallel against a provider that rotates.
type TokenServer struct {
	*httptest.Server
	ClientID, ClientSecret string
	Rotate                 bool
	ExpiresIn              int           // seconds; 3600 when 0
	Delay                  time.Duration // how long each answer takes: a window for parallel requests to meet in

	mu       sync.Mutex
	current  string // the refresh token that works
	n        int    // tokens issued
	requests int
	refused  int
}

// NewTokenServer starts a rotating server whose one good refresh token is
// refreshToken. t fails on a request that is not a well-formed refresh.
func NewTokenServer(t testing.TB, clientID, clientSecret, refreshToken string) *TokenServer {
	s := &TokenServer{ClientID: clientID, ClientSecret: clientSecret, Rotate: true, current: refreshToken}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(t, w, r) }))
	t.Cleanup(s.Close)
	return s
}

// TokenURL is the server's token endpoint.
func (s *TokenServer) TokenURL() string { return s.URL + "/token" }

func (s *TokenServer) serve(t testing.TB, w http.ResponseWriter, r *http.Request) {
	time.Sleep(s.Delay)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost || r.URL.Path != "/token" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("token server: %s %s (%s), form error %v: want POST /token with a form", r.Method, r.URL.Path, r.Header.Get("Content-Type"), err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	want := map[string]string{"grant_type": "refresh_token", "client_id": s.ClientID, "client_secret": s.ClientSecret}
	for k, v := range want {
		if got := r.PostForm.Get(k); got != v {
			t.Errorf("token server: %s = %q, want %q", k, got, v)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if r.PostForm.Get("refresh_token") != s.current {
		s.refused++
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`)
		return
	}
	s.n++
	answer := map[string]any{
		"access_token": fmt.Sprintf("access-%d", s.n),
		"token_type":   "Bearer",
		"expires_in":   s.expiresIn(),
	}
	if s.Rotate {
		s.current = fmt.Sprintf("refresh-%d", s.n)
		answer["refresh_token"] = s.current
	}
	_ = json.NewEncoder(w).Encode(answer)
}

func (s *TokenServer) expiresIn() int {
	if s.ExpiresIn == 0 {
		return 3600
	}
	return s.ExpiresIn
}

// Requests counts every request the server got.
func (s *TokenServer) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Refused counts the refresh tokens it refused with invalid_grant.
func (s *TokenServer) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Current is the refresh token that works now.
func (s *TokenServer) Current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

// Revoke makes every refresh token invalid.
func (s *TokenServer) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.current = "revoked"
}

// helperEnv names the release file of a helper process; set, the process is
// a helper.
const helperEnv = "NESTAUTH_PROFILETEST_RELEASE"

// IsHelper reports whether this test binary runs as a helper process.
func IsHelper() bool { return os.Getenv(helperEnv) != "" }

// AwaitRelease tells the runner this helper is ready, then blocks until the
// runner releases them all, so that they reach the code under test together.
func AwaitRelease() {
	release := os.Getenv(helperEnv)
	_ = os.WriteFile(fmt.Sprintf("%s.ready.%d", release, os.Getpid()), nil, 0o600)
	for {
		if _, err := os.Stat(release); err == nil {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// Result is one helper process's output and error.
type Result struct {
	Stdout, Stderr string
	Err            error
}

// RunHelpers runs n copies of this test binary's test named helper, each
// with env added, releases them together once all are ready, and returns
// what each printed. It is the os/exec TestHelperProcess pattern.
func RunHelpers(t testing.TB, n int, helper string, env ...string) []Result {
	release := filepath.Join(t.TempDir(), "release")
	results := make([]Result, n)
	outs := make([][2]bytes.Buffer, n)
	var wg sync.WaitGroup
	exited := make(chan int, n)
	for i := range results {
		cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.count=1")
		cmd.Env = append(append(os.Environ(), helperEnv+"="+release), env...)
		cmd.Stdout, cmd.Stderr = &outs[i][0], &outs[i][1]
		if err := cmd.Start(); err != nil {
			t.Fatalf("start helper %d: %v", i, err)
		}
		wg.Go(func() {
			results[i].Err = cmd.Wait()
			exited <- i
		})
	}
	for {
		found, _ := filepath.Glob(release + ".ready.*")
		if len(found) == n {
			break
		}
		select {
		case i := <-exited: // it cannot pass AwaitRelease before the release
			wg.Wait()
			t.Fatalf("helper %d ended before all were ready: %v: %s", i, results[i].Err, outs[i][1].String())
		case <-time.After(time.Millisecond):
		}
	}
	if err := os.WriteFile(release, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i := range results {
		results[i].Stdout, results[i].Stderr = outs[i][0].String(), outs[i][1].String()
	}
	return results
}

// Env is a fresh settings directory with the keyring mocked: the
// environment that points nestauth at it, and its store.
func Env(t testing.TB) (map[string]string, profile.Store) {
	t.Helper()
	keyring.MockInit()
	dir := filepath.Join(t.TempDir(), "nestauth")
	return map[string]string{"NESTAUTH_CONFIG_DIR": dir}, profile.Store{Dir: dir}
}
