package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

func TestRunFormatAndOutput(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	refresh := func(stdin string, extra ...string) runResult {
		return runArgs(t, secret, stdin, append([]string{"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL}, extra...)...)
	}
	for format, want := range map[string]string{
		"token":  "at-2\n",
		"header": "Authorization: Bearer at-2\n",
		"env":    "NESTAUTH_ACCESS_TOKEN='at-2'\nNESTAUTH_REFRESH_TOKEN='rt-2'\nNESTAUTH_EXPIRY='",
	} {
		r := refresh("rt\n", "--format", format)
		if r.code != 0 || !strings.HasPrefix(r.stdout, want) {
			t.Errorf("--format %s: exit %d, stdout %q, stderr %q; want %q", format, r.code, r.stdout, r.stderr, want)
		}
	}
	if r := refresh("rt\n", "--format", "yaml"); r.code != 2 || !strings.Contains(r.stderr, "--format must be json, token, env or header") {
		t.Errorf("--format yaml: exit %d, stderr %q", r.code, r.stderr)
	}

	path := filepath.Join(t.TempDir(), "tok.json")
	r := refresh("rt\n", "--output", path)
	b, err := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if r.code != 0 || r.stdout != "" || err != nil || !strings.Contains(string(b), `"access_token": "at-2"`) || fi.Mode().Perm() != 0o600 ||
		!strings.Contains(r.stderr, "wrote the token to "+path+" (mode 0600)") {
		t.Fatalf("--output: exit %d, stdout %q, stderr %q, file %q (%v)", r.code, r.stdout, r.stderr, b, err)
	}
	// It exists now: refused before any request, unless --force.
	ep, tokenURL2 := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	r = runArgs(t, secret, "rt\n", "refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL2, "--output", path)
	if r.code != 2 || !strings.Contains(r.stderr, "exists") || ep.Count() != 0 {
		t.Errorf("existing --output: exit %d, stderr %q, %d requests; want 2 and none", r.code, r.stderr, ep.Count())
	}
	r = refresh("rt\n", "--output", path, "--force", "--format", "token")
	if b, _ := os.ReadFile(path); r.code != 0 || string(b) != "at-2\n" {
		t.Errorf("--force: exit %d, stderr %q, file %q", r.code, r.stderr, b)
	}
	if r := refresh("rt\n", "--force"); r.code != 2 || !strings.Contains(r.stderr, "--force goes with --output") {
		t.Errorf("--force alone: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := refresh("rt\n", "--output", filepath.Join(t.TempDir(), "no", "such", "dir", "f")); r.code != 2 || !strings.Contains(r.stderr, "cannot be written") {
		t.Errorf("--output in a missing directory: exit %d, stderr %q", r.code, r.stderr)
	}
}

// A file that cannot be written is blamed, not stdout, which stays
// empty: the token goes to stderr, in the sink's format.
func TestPrintResultFileFails(t *testing.T) {
	tok := &auth.Token{AccessToken: "at"}
	var stdout, stderr bytes.Buffer
	sink := tokenSink{format: "token", path: t.TempDir() + "/no/such/dir/tok.json"}
	code := printResult(tok, nil, "What to do now.", sink, &stdout, &stderr)
	if code != exitFailure || stdout.Len() != 0 || !strings.Contains(stderr.String(), "could not be written to "+sink.path) ||
		!strings.HasSuffix(stderr.String(), "Here it is on stderr instead:\nat\n") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// A stdout that fails sends the token to stderr; the advice for a lost
// token comes only when stderr cannot take it either.
func TestPrintResultWriteFails(t *testing.T) {
	var errOut bytes.Buffer
	code := printResult(&auth.Token{AccessToken: "at"}, nil, "What to do now.", tokenSink{format: "json"}, failingWriter{}, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "could not be written to stdout: no space left on device") ||
		strings.Contains(errOut.String(), "What to do now.") || !strings.Contains(errOut.String(), `"access_token": "at"`) {
		t.Errorf("exit %d, stderr %q; want 1, the reason and the token", code, errOut.String())
	}
}

func TestExitStatus(t *testing.T) {
	tests := []struct {
		kind auth.Kind
		want int
	}{
		{auth.KindUsage, 2},
		{auth.KindCode, 3},
		{auth.KindClientID, 4},
		{auth.KindSecret, 4},
		{auth.KindRedirect, 4},
		{auth.KindScope, 4},
		{auth.KindRequest, 4},
		{auth.KindNetwork, 5},
		{auth.KindServer, 5},
		{auth.KindUnknown, 5},
		{auth.KindCanceled, 130},
	}
	for _, tt := range tests {
		if got := exitStatus(tt.kind); got != tt.want {
			t.Errorf("exitStatus(%v) = %d, want %d", tt.kind, got, tt.want)
		}
	}
}
