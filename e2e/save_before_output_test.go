//go:build linux

package e2e

// --save is the second copy of a token: saved before the token is written,
// so a write that fails (a full disk, a pipe whose reader left) never
// skips it, and the token then goes to stderr. The check before a code is
// spent asks for the room the answer needs.

import (
	"cmp"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

// exchangeArgs are nestauth exchange's against rs, with a code.
func exchangeArgs(rs *rotatingServer, extra ...string) []string {
	return append([]string{"exchange", "--provider", "custom", "--client-id", "cid", "--token-url", rs.url,
		"--code", "CODE", "--no-pkce", "--redirect-uri", "https://example.com/cb"}, extra...)
}

func TestE2ESaveComesBeforeAFailedOutput(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"exchange", "refresh"} {
		t.Run(cmd, func(t *testing.T) {
			rs := startRotating(t, 0)
			disk := smallDisk(t)
			rs.setOnIssue(func() { fillDisk(t, disk) }) // while the answer is on its way
			dir := filepath.Join(t.TempDir(), "config")
			env := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs", "NESTAUTH_CONFIG_DIR": dir}
			out := filepath.Join(disk, "tok.json")
			args := exchangeArgs(rs, "--save", "--profile", "p", "--store", "file", "--output", out)
			stdin := ""
			if cmd == "refresh" {
				args = []string{"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", rs.url,
					"--save", "--profile", "p", "--store", "file", "--output", out}
				stdin = rs.refreshToken() + "\n"
			}
			stdout, stderr, code := runBin(t, env, stdin, args...)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 1 and nothing", code, stdout)
			}
			if !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, `"access_token": "at-1"`) {
				t.Errorf("stderr does not say why, or lacks the token:\n%s", stderr)
			}
			if strings.Contains(stderr, "shown here") {
				t.Errorf("stderr claims a token is shown:\n%s", stderr)
			}
			if saved := savedRefreshToken(t, dir, "p"); saved != rs.refreshToken() {
				t.Errorf("the profile keeps refresh token %q, the server %q:\n%s", saved, rs.refreshToken(), stderr)
			}
		})
	}
}

// readerlessPipe is the write end of a pipe whose reader has gone, as in
// nestauth ... | head -c0: a write of nothing passes, a token fails (EPIPE).
func readerlessPipe(t *testing.T) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Cleanup(func() { w.Close() })
	return w
}

// A stdout pipe whose reader has gone: the profile is saved all the same,
// and the token goes to stderr. For exchange, device and plain mode.
func TestE2ESaveComesBeforeAClosedPipe(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, 0)
	ds := testkit.NewDeviceServer(t, &testkit.DeviceServer{})
	fake := startFake(t)
	tests := []struct {
		name, stdin, token string
		secret             string // "cs" when ""
		args               []string
	}{
		{name: "exchange", token: `"access_token": "at-1"`, args: exchangeArgs(rs)},
		{name: "device", token: `"access_token": "gho_DEVICE"`, args: []string{"device", "--provider", "custom", "--client-id", "cid",
			"--device-url", ds.URL + "/device/code", "--token-url", ds.URL + "/token"}},
		{name: "plain", stdin: nestID + "\n" + fake.IssueCode() + "\n", secret: nestSecret, token: "c.",
			args: []string{"--plain", "--provider", "nest", "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "config")
			env := map[string]string{"NESTAUTH_CLIENT_SECRET": cmp.Or(tt.secret, "cs"), "NESTAUTH_CONFIG_DIR": dir}
			args := append(tt.args, "--save", "--profile", "p", "--store", "file")
			stderr, code := runBinWith(t, env, strings.NewReader(tt.stdin), readerlessPipe(t), args...)
			if code != 1 || !strings.Contains(stderr, "broken pipe") || !strings.Contains(stderr, "Here it is on stderr instead:") || !strings.Contains(stderr, tt.token) {
				t.Errorf("exit %d; want 1, the broken pipe and the token on stderr:\n%s", code, stderr)
			}
			out, errOut, code := runBin(t, env, "", "token", "--profile", "p")
			if code != 0 || !strings.Contains(tt.token, strings.TrimSpace(out)) && !strings.HasPrefix(out, tt.token) {
				t.Errorf("the profile was not saved: token exit %d, stdout %q, stderr:\n%s\n(first run:\n%s)", code, out, errOut, stderr)
			}
		})
	}
}

// --output on a full disk is refused before the refresh token is sent:
// an empty probe file fits on a full disk, the answer does not.
func TestE2EOutputOnAFullDiskIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, 0)
	out := diskFullPath(t, "r.json")
	_, stderr, code := runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, rs.refreshToken()+"\n",
		"refresh", "--provider", "custom", "--client-id", "cid", "--token-url", rs.url, "--output", out)
	if code == 0 || rs.refreshToken() != "rt-0" {
		t.Errorf("exit %d, the server moved to %s; want a refusal before sending:\n%s", code, rs.refreshToken(), stderr)
	}
	if !strings.Contains(stderr, "no space left on device") {
		t.Errorf("stderr does not say why:\n%s", stderr)
	}
}

// stdout redirected to a file on a full disk is refused before the code is
// sent, as /dev/full is.
func TestE2EStdoutOnAFullDiskIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, 0)
	f, err := os.Create(filepath.Join(smallDisk(t), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fillDisk(t, filepath.Dir(f.Name()))
	stderr, code := runBinStdout(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, f, exchangeArgs(rs)...)
	if code != 1 || rs.refreshToken() != "rt-0" || !strings.Contains(stderr, "nothing was sent") {
		t.Errorf("exit %d, server at %s; want 1, no request, and why:\n%s", code, rs.refreshToken(), stderr)
	}
}

// With the settings on a full disk, nestauth token refuses to refresh
// before the refresh token is sent: the server would replace it with one
// that could not be kept. Once there is room, the same profile works.
func TestE2ETokenOnAFullDiskKeepsTheSession(t *testing.T) {
	t.Parallel()
	rs := startRotating(t, 0)
	dir, env := savedRotatingProfileIn(t, rs, filepath.Join(smallDisk(t), "config"))
	filler := fillDisk(t, dir)
	stdout, stderr, code := runBin(t, env, "", "token", "--profile", "p")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, "nothing was sent") {
		t.Errorf("exit %d, stdout %q; want 1, nothing, and why:\n%s", code, stdout, stderr)
	}
	if saved := savedRefreshToken(t, dir, "p"); saved != rs.refreshToken() {
		t.Fatalf("the profile keeps %s, the server %s: the session is lost", saved, rs.refreshToken())
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if stdout, stderr, code = runBin(t, env, "", "token", "--profile", "p"); code != 0 || strings.TrimSpace(stdout) == "" {
		t.Errorf("with room again: exit %d, stdout %q:\n%s", code, stdout, stderr)
	}
}
