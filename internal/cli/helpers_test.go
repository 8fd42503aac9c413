package cli

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

const sdmProject = "0a1b2c3d-1234-5678-9abc-0123456789ab"

// apiStub answers every request with status and body, and records them.
func apiStub(t *testing.T, status int, body string) (url string, got *[]string) {
	t.Helper()
	var reqs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		reqs = append(reqs, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")+" "+r.PostForm.Encode())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &reqs
}

func writeTokenFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// deadURL is a loopback URL where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String() + "/"
	ln.Close()
	return u
}

// saveCustom saves a custom-provider profile whose token endpoint is ts.
func saveCustom(t *testing.T, st profile.Store, name string, ts *profiletest.TokenServer, p auth.Provider, in profile.Backend, expiry time.Time) {
	t.Helper()
	p.AuthURL, p.TokenURL = ts.URL+"/authorize", ts.TokenURL()
	cfg := auth.Config{Provider: p, ClientID: ts.ClientID, ClientSecret: ts.ClientSecret}
	if p.NeedsProjectID {
		cfg.ProjectID = "0a1b2c3d-1234-5678-9abc-0123456789ab"
	}
	tok := &auth.Token{AccessToken: "access-0", TokenType: "Bearer", RefreshToken: ts.Current(), Expiry: expiry}
	if _, err := st.Save(name, profile.SettingsFor(cfg, in), profile.SecretsFor(cfg, tok)); err != nil {
		t.Fatal(err)
	}
}

// fixedEnv returns a getenv over a fixed map: nothing leaks in from the real environment.
func fixedEnv(kv map[string]string) func(string) string { return testkit.FixedEnv(kv) }

type runResult struct {
	code           int
	stdout, stderr string
}

func runArgs(t *testing.T, getenv map[string]string, stdin string, args ...string) runResult {
	t.Helper()
	code, stdout, stderr := testkit.Run(t, runCLI, getenv, stdin, args...)
	return runResult{code, stdout, stderr}
}

// failingWriter fails every write, as /dev/full does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// wantStderr fails for each of wants stderr lacks.
func wantStderr(t *testing.T, stderr string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
