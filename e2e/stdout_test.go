package e2e

// stdout: one that cannot be written (full, closed, read-only, a closed
// pipe) is a failure, found before a code is spent where it can be; revoke
// writes none; --format env is safe to eval in a shell.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

// Output that could not be written is a failure, said on stderr; where
// nestauth can tell beforehand, nothing is sent.
func TestE2EStdoutFailures(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	env := map[string]string{"NESTAUTH_CLIENT_SECRET": nestSecret}
	exchange := func(code string) []string {
		return []string{"exchange", "--provider", "nest", "--client-id", nestID, "--token-url", fake.TokenURL(), "--code", code}
	}
	tokenURL := tokenServer(t, `{"access_token":"at-refreshed","token_type":"Bearer","expires_in":3600}`)

	// /dev/full refuses even a write of nothing: found before anything is sent.
	for _, cmd := range []string{"exchange", "refresh", "wizard"} {
		t.Run(cmd+" to /dev/full", func(t *testing.T) {
			full := devFull(t)
			args := map[string][]string{
				"exchange": exchange(fake.IssueCode()),
				"refresh":  {"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL, "--refresh-token-file", "/dev/null"},
				"wizard":   {"--demo", "--provider", "nest"},
			}[cmd]
			before := fake.TokenRequests()
			stderr, code := runBinStdout(t, env, full, args...)
			if code != 1 || !strings.Contains(stderr, "stdout cannot be written") || !strings.Contains(stderr, "no space left on device") {
				t.Errorf("exit %d, stderr %q; want 1 and why", code, stderr)
			}
			if n := fake.TokenRequests() - before; n != 0 {
				t.Errorf("%d token requests: the code was spent on a token with nowhere to go", n)
			}
		})
	}
	// A pipe whose reader is gone takes a write of nothing: the real write
	// fails, and the token goes to stderr.
	for _, cmd := range []string{"exchange", "refresh"} {
		t.Run(cmd+" to a closed pipe", func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			defer w.Close()
			rt := filepath.Join(t.TempDir(), "rt")
			if err := os.WriteFile(rt, []byte("rt\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			args := map[string][]string{
				"exchange": exchange(fake.IssueCode()),
				"refresh":  {"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL, "--refresh-token-file", rt},
			}[cmd]
			stderr, code := runBinStdout(t, env, w, args...)
			if code != 1 || !strings.Contains(stderr, "could not be written to stdout") || !strings.Contains(stderr, "broken pipe") {
				t.Errorf("exit %d, stderr %q; want 1 and why", code, stderr)
			}
			// The code is spent: the token goes to the other stream.
			if !nestTokenRE.MatchString(stderr) && !strings.Contains(stderr, "at-refreshed") {
				t.Errorf("stderr lacks the token: %q", stderr)
			}
		})
	}
	t.Run("exchange to a read-only stdout", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "out")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		ro, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		before := fake.TokenRequests()
		stderr, code := runBinStdout(t, env, ro, exchange(fake.IssueCode())...)
		if code != 1 || !strings.Contains(stderr, "stdout cannot be written") || !strings.Contains(stderr, "nothing was sent") {
			t.Errorf("exit %d, stderr %q; want 1 and why", code, stderr)
		}
		if n := fake.TokenRequests() - before; n != 0 {
			t.Errorf("%d token requests: the code was spent on a token with nowhere to go", n)
		}
	})
	for _, cmd := range []string{"exchange", "wizard"} {
		t.Run(cmd+" with stdout closed", func(t *testing.T) {
			args := []string{"--provider", "nest", "--client-id", nestID, "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()}
			if cmd == "exchange" {
				args = exchange(fake.IssueCode())
			}
			var quoted []string
			for _, a := range args {
				quoted = append(quoted, shq(a))
			}
			sh := exec.Command("sh", "-c", "exec 1>&-; exec "+shq(nestauthBin)+" "+strings.Join(quoted, " "))
			sh.Env = []string{"PATH=" + os.Getenv("PATH"), "NESTAUTH_CLIENT_SECRET=" + nestSecret, "TERM=xterm"}
			var e bytes.Buffer
			sh.Stderr = &e
			before := fake.TokenRequests()
			_ = sh.Run()
			if code := sh.ProcessState.ExitCode(); code != 1 || !strings.Contains(e.String(), "stdout cannot be written") {
				t.Errorf("exit %d, stderr %q; want 1 and why", code, e.String())
			}
			if n := fake.TokenRequests() - before; n != 0 {
				t.Errorf("%d token requests with stdout closed", n)
			}
		})
	}
	t.Run("wizard to a closed pipe", func(t *testing.T) {
		tm := startScript(t, 80, 30, nil, "{ nestauth --demo --provider nest; "+exitLine+"; } | true")
		tok := demoToToken(t, tm)
		tm.keys("q")
		s := waitFor(t, tm, "Could not write the token out")
		if !strings.Contains(s, "broken pipe") || !strings.Contains(afterLast(s, "Step 5 of 5"), tok) || strings.Contains(s, "it went to stdout") {
			t.Fatalf("after a failed write the token step should stay, with the token and why:\n%s", s)
		}
		tm.keys("q")
		if code := tm.exitCode(); code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		s = tm.screen()
		if !strings.Contains(s, tok) || !strings.Contains(testkit.SquashSpace(s), "nestauth: the token could not be written to stdout") {
			t.Errorf("the screen should keep the token and say it was not written:\n%s", s)
		}
	})
}

// revoke writes nothing to stdout, so a stdout that cannot be written is no
// reason to refuse it (the real binary, stdout on /dev/full).
func TestE2ERevokeIgnoresAFullStdout(t *testing.T) {
	t.Parallel()
	fake := fakenest.NewTest(t, nestID, nestSecret)
	tok := fake.IssueToken()
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(tok), 0o600); err != nil {
		t.Fatal(err)
	}
	full := devFull(t)
	stderr, code := runBinStdout(t, nil, full, "revoke", "--provider", "nest", "--revoke-url", fake.RevokeURL(), "--token-file", file)
	if code != 0 || !strings.Contains(stderr, "revoked") || fake.TokenValid(tok) {
		t.Errorf("revoke with stdout on /dev/full: exit %d, stderr %q, token still valid: %v", code, stderr, fake.TokenValid(tok))
	}
}

// eval "$(nestauth exchange … --format env)" in sh takes hostile server
// values as plain strings: nothing runs.
func TestE2EFormatEnvEval(t *testing.T) {
	t.Parallel()
	access := `at'; touch pwned1; echo '$(touch pwned2)` + "`touch pwned3`\"\\"
	refresh := `rt'"'"'$HOME;touch pwned4`
	body, err := json.Marshal(map[string]any{"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": 3600})
	if err != nil {
		t.Fatal(err)
	}
	tokenURL := tokenServer(t, string(body))
	dir := t.TempDir()
	script := shq(nestauthBin) + ` exchange --no-pkce --provider custom --client-id cid --token-url ` + shq(tokenURL) + ` --code X --format env > env.txt || exit 9
eval "$(cat env.txt)"
printf '%s\n%s\n%s\n' "$NESTAUTH_ACCESS_TOKEN" "$NESTAUTH_REFRESH_TOKEN" "$NESTAUTH_EXPIRY"`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "NESTAUTH_CLIENT_SECRET=cs"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh: %v\n%s", err, out)
	}
	lines := strings.Split(string(out), "\n")
	if len(lines) < 3 || lines[0] != access || lines[1] != refresh {
		t.Errorf("after eval: %q, want the access token %q and refresh token %q", out, access, refresh)
	}
	if _, err := time.Parse(time.RFC3339, lines[2]); err != nil {
		t.Errorf("NESTAUTH_EXPIRY = %q: %v", lines[2], err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "pwned*")); len(m) > 0 {
		t.Errorf("eval ran server text: %v", m)
	}
}
