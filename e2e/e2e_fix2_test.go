package e2e

import (
	"bufio"
	"bytes"
	"context"
	"nestauth/internal/testkit"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// With no terminal, plain mode's note on the refresh token fits where it
// went: in stdout's JSON or env, in the profile --save wrote, or, kept
// nowhere, what to add next time (the device flow has no "new code").
func TestE2EPlainRefreshTokenNote(t *testing.T) {
	t.Parallel()
	tokenURL := tokenServer(t, refreshedBody)
	run := "echo CODE1 | \"$NESTAUTH\" --provider custom --client-id cid --auth-url https://a.example/auth --token-url " + shq(tokenURL)
	for _, tt := range []struct {
		name, flags, want string
	}{
		{"json", " --format json", "The server also issued a refresh token: it is in the token response written to stdout."},
		{"env", " --format env", "The server also issued a refresh token: it is in the token response written to stdout."},
		{"save", " --save --store file", "The server also issued a refresh token: --save keeps it in profile default."},
		{"kept nowhere", "", "there is none here: to keep it next time, add --save (a profile) or --format json (the whole token response)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs", "NESTAUTH_CONFIG_DIR": t.TempDir()}
			out, errOut, code := runPiped(t, env, run+tt.flags)
			if code != 0 || !strings.Contains(out, "at-2") {
				t.Fatalf("exit %d, stdout %q; stderr:\n%s", code, out, errOut)
			}
			errOut = testkit.SquashSpace(errOut)
			if !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "with a new code") || strings.Contains(errOut, "rt-2") {
				t.Errorf("stderr lacks %q (or names exchange, or shows the token):\n%s", tt.want, errOut)
			}
		})
	}
}

// The trial against oidc-provider: a profile saved from the device flow,
// with no --scope (openid is asked for: the server refuses a request
// without one at approval), signs in again with device --profile alone.
func TestE2EDeviceProfileOIDC(t *testing.T) {
	issuer := startOIDC(t)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "NESTAUTH_CONFIG_DIR=" + t.TempDir()}
	out, said, exit := deviceApproved(t, issuer, env, "device", "--issuer", issuer, "--client-id", oidcID+"-public",
		"--profile", "d", "--store", "file", "--save")
	if exit != 0 || !strings.Contains(out, `"access_token"`) || !strings.Contains(said, "asking for scope openid") || !strings.Contains(said, "saved profile d") {
		t.Fatalf("device --save: exit %d, stdout %q, stderr:\n%s", exit, out, said)
	}
	out, said, exit = deviceApproved(t, issuer, env, "device", "--profile", "d")
	if exit != 0 || !strings.Contains(out, `"access_token"`) {
		t.Fatalf("device --profile d: exit %d, stdout %q, stderr:\n%s", exit, out, said)
	}
	// token refreshes a device profile; --min-valid beyond the tokens' life warns.
	cmd := exec.Command(nestauthBin, "token", "--profile", "d", "--min-valid", "10h")
	cmd.Env = env
	var tokOut, tokErr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &tokOut, &tokErr
	if err := cmd.Run(); err != nil || tokOut.Len() == 0 || !strings.Contains(tokErr.String(), "less than --min-valid 10 hours") {
		t.Errorf("token --min-valid 10h: %v, stdout %q, stderr %q", err, tokOut.String(), tokErr.String())
	}
}

// deviceApproved runs nestauth with args and approves its user code in
// browse.js.
func deviceApproved(t *testing.T, issuer string, env []string, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deviceWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, nestauthBin, args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var said strings.Builder
	code := ""
	lines := bufio.NewScanner(pipe)
	for code == "" && lines.Scan() {
		said.WriteString(lines.Text() + "\n")
		if f := strings.Fields(lines.Text()); len(f) == 1 && regexp.MustCompile(`^[A-Z]{4}-[A-Z]{4}$`).MatchString(f[0]) {
			code = f[0]
		}
	}
	if code != "" {
		browse(t, "--user-code", code, issuer+"/device")
	}
	for lines.Scan() {
		said.WriteString(lines.Text() + "\n")
	}
	_ = cmd.Wait()
	return out.String(), said.String(), cmd.ProcessState.ExitCode()
}
