// Package testkit holds the helpers that nestauth's command tests and its
// end-to-end tests share: buffers, ports, files and the token JSON that
// exchange and refresh print, and the servers the command tests run
// nestauth against (servers.go). Only tests import it.
package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// WaitTimeout bounds every wait on a screen, a file, a child or the clipboard.
const WaitTimeout = 10 * time.Second

// LockedBuffer collects a child's output for failure reports; it is safe
// for a writer and a reader at once.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// SquashSpace joins s's words with single spaces, so a wrapped line reads as one.
func SquashSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// FreePort returns a loopback port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// ReadFile returns path's content, failing the test if it cannot be read.
func ReadFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// WriteFile writes text to path (0600), making its directory (0700).
func WriteFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TokenJSON is what exchange and refresh print with --format json.
type TokenJSON struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type"`
	RefreshToken string    `json:"refresh_token"`
	Scope        string    `json:"scope"`
	ExpiresIn    int64     `json:"expires_in"`
	Expiry       time.Time `json:"expiry"`
}

// DecodeToken parses out as TokenJSON and fails unless it has an access
// token and an expiry.
func DecodeToken(t testing.TB, out string) TokenJSON {
	t.Helper()
	var tok TokenJSON
	if err := json.Unmarshal([]byte(out), &tok); err != nil {
		t.Fatalf("stdout is not token JSON: %v\n%s", err, out)
	}
	if tok.AccessToken == "" || tok.Expiry.IsZero() {
		t.Fatalf("token JSON lacks access_token or expiry: %s", out)
	}
	return tok
}

// Command is nestauth's command line as cli.Main takes it.
type Command func(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int

// FixedEnv is a getenv over kv alone: nothing leaks in from the real environment.
func FixedEnv(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// Run runs cmd with args, stdin and the environment env alone, with a
// settings directory of the test's own, never the person's own profiles.
func Run(t testing.TB, cmd Command, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	all := map[string]string{"NESTAUTH_CONFIG_DIR": t.TempDir()}
	maps.Copy(all, env)
	code = cmd(args, strings.NewReader(stdin), &out, &errOut, FixedEnv(all))
	return code, out.String(), errOut.String()
}
