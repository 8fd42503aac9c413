package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

// runPiped runs the command line with stdin a real pipe that gets in.
func runPiped(t *testing.T, env map[string]string, in string, args ...string) runResult {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.WriteString(in) // fails once nestauth stops reading: r is closed then
		w.Close()
	}()
	all := map[string]string{"NESTAUTH_CONFIG_DIR": t.TempDir()}
	for k, v := range env {
		all[k] = v
	}
	var out, errOut bytes.Buffer
	code := runCLI(args, r, &out, &errOut, fixedEnv(all))
	r.Close()
	<-done
	return runResult{code, out.String(), errOut.String()}
}

// Stdin has the limits a file has: a code or refresh token over 64 KiB is
// refused whole (exit 2, nothing sent), never cut to 64 KiB and sent; one
// of exactly 64 KiB goes whole.
func TestStdinLimitIsTheFileLimit(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	long := strings.Repeat("x", 70000)
	tests := []struct {
		name, stdin string
		args        []string
	}{
		{"code", long + "\n", []string{"exchange", "--no-pkce"}},
		{"code without a newline", strings.Repeat("c", maxValue+1), []string{"exchange", "--no-pkce"}},
		{"refresh token", long + "\n", []string{"refresh"}},
		{"refresh token one past the limit", strings.Repeat("r", maxValue+1) + "\r\n", []string{"refresh"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
			args := append(tt.args, "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL)
			r := runPiped(t, secret, tt.stdin, args...)
			if r.code != exitUsage || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing; stderr:\n%s", r.code, r.stdout, r.stderr)
			}
			wantStderr(t, r.stderr, "over 64 KiB", "nothing was sent")
			if n := ep.Count(); n != 0 {
				t.Errorf("%d token requests, want none", n)
			}
		})
	}
	t.Run("exactly 64 KiB goes whole", func(t *testing.T) {
		ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		rt := strings.Repeat("r", maxValue)
		r := runPiped(t, secret, rt+"\r\n", "refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL)
		if r.code != exitOK {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		if got := ep.Only(t).Form.Get("refresh_token"); got != rt {
			t.Errorf("sent a refresh token of %d bytes, want %d", len(got), len(rt))
		}
	})
}

// A file holding a refresh token over 64 KiB is refused the same way.
func TestRefreshTokenFileLimit(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
	path := filepath.Join(t.TempDir(), "rt")
	testkit.WriteFile(t, path, strings.Repeat("x", 70000))
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "refresh", "--provider", "custom", "--client-id", "cid",
		"--token-url", tokenURL, "--refresh-token-file", path)
	if r.code != exitUsage || ep.Count() != 0 {
		t.Errorf("exit %d after %d requests, want 2 and none; stderr:\n%s", r.code, ep.Count(), r.stderr)
	}
	wantStderr(t, r.stderr, "over 64 KiB")
}

// A client secret of more than one line, from a file or the environment,
// is refused (exit 2, nothing sent, the secret never quoted); one trailing
// line break is trimmed.
func TestClientSecretMoreThanOneLine(t *testing.T) {
	for _, tt := range []struct {
		name, file, env string
		exit            int
	}{
		{name: "file of two lines", file: "a-secret\nb-secret\n", exit: exitUsage},
		{name: "file of two CRLF lines", file: "a-secret\r\nb-secret", exit: exitUsage},
		{name: "variable of two lines", env: "a-secret\nb-secret", exit: exitUsage},
		{name: "file of one line", file: "a-secret\n", exit: exitOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
			args := []string{"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL}
			env := map[string]string{}
			if tt.file != "" {
				path := filepath.Join(t.TempDir(), "secret")
				testkit.WriteFile(t, path, tt.file)
				args = append(args, "--client-secret-file", path)
			} else {
				env["NESTAUTH_CLIENT_SECRET"] = tt.env
			}
			r := runArgs(t, env, "rt-1\n", args...)
			if r.code != tt.exit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tt.exit, r.stderr)
			}
			if tt.exit == exitOK {
				if got := ep.Only(t).Form.Get("client_secret"); got != "a-secret" {
					t.Errorf("sent secret %q, want a-secret", got)
				}
				return
			}
			wantStderr(t, r.stderr, "more than one line")
			if n := ep.Count(); n != 0 || strings.Contains(r.stderr, "secret\n") || strings.Contains(r.stderr, "b-secret") {
				t.Errorf("%d requests, stderr %q: want none and the secret unquoted", n, r.stderr)
			}
		})
	}
}
