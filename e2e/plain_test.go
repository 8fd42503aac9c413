package e2e

// Plain mode: the real binary with real pipes and no terminal at all, and
// in tmux with TERM=dumb and ACCESSIBLE=1, every byte it writes to the
// terminal recorded.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

// exitAbort is the status nestauth documents for ctrl+c (128+SIGINT).
const exitAbort = 130

// refreshedBody is a token endpoint's answer to a refresh.
const refreshedBody = `{"access_token":"at-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-2","scope":"read"}`

// escapeFree fails when what reached a terminal or a log holds an escape
// or any other control character but newline and carriage return.
func escapeFree(t *testing.T, what, s string) {
	t.Helper()
	if i := strings.IndexFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\n' && r != '\r' || r == 0x7f || r >= 0x80 && r < 0xa0
	}); i >= 0 {
		t.Errorf("%s holds control character %q at %d:\n%q", what, s[i], i, s)
	}
}

// startPlainScript runs body in tmux once every byte the pane receives is
// being recorded; rawOutput returns them.
func startPlainScript(t *testing.T, width int, env map[string]string, body string) *tmuxTerm {
	t.Helper()
	// The shell outlives a ctrl+c (a trap, unlike an ignored signal, is not inherited).
	tm := startScript(t, width, 24, env, "trap : INT\nwhile [ ! -e go ]; do sleep 0.02; done\n"+body)
	tm.must("pipe-pane", "-t", "s", "cat >> "+shq(filepath.Join(tm.dir, "raw")))
	if err := os.WriteFile(filepath.Join(tm.dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return tm
}

func (tm *tmuxTerm) rawOutput() string {
	tm.t.Helper()
	tm.must("pipe-pane", "-t", "s") // closes the pipe: cat has it all
	b, err := os.ReadFile(filepath.Join(tm.dir, "raw"))
	if err != nil {
		tm.t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("Authorization code: ")) {
		tm.t.Fatalf("the recording lacks the prompts: %q", b)
	}
	return string(b)
}

func TestE2EPlainPiped(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	nest := "\"$NESTAUTH\" --provider nest --auth-url " + shq(fake.AuthURL()) + " --token-url " + shq(fake.TokenURL())
	for _, flag := range []string{" --plain", ""} { // stdin no terminal: plain without asking
		t.Run("happy"+flag, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runPiped(t, nil, "printf '"+nestID+"\\n"+nestSecret+"\\n%s\\n' "+fake.IssueCode()+" | "+nest+flag)
			if code != 0 || !regexp.MustCompile(`^c\.[A-Z2-9]{40}\n$`).MatchString(out) {
				t.Fatalf("exit %d, stdout %q; stderr:\n%s", code, out, errOut)
			}
			for _, want := range []string{"Client ID: \n", "Client secret: \n", "Authorization code: \n", "Got an access token that expires in 3650 days"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if strings.Contains(errOut, nestSecret) || strings.Contains(errOut, strings.TrimSpace(out)) {
				t.Errorf("stderr holds the secret or the token:\n%s", errOut)
			}
			escapeFree(t, "stderr", errOut)
		})
	}
	t.Run("end of input", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := runPiped(t, nil, "printf '"+nestID+"\\n"+nestSecret+"\\nNOSUCHCD\\n' | "+nest+" --plain")
		if code != 1 || out != "" || !strings.HasSuffix(errOut, "\nnestauth: stopped before a token was fetched\n") || strings.Contains(errOut, "goroutine") {
			t.Errorf("exit %d, stdout %q; stderr:\n%s", code, out, errOut)
		}
		if !strings.Contains(errOut, "Error: The server said: oauth2_error: authorization code not found (HTTP 400).") {
			t.Errorf("the rejected code is not said:\n%s", errOut)
		}
	})
}

// With no terminal anywhere, the refresh token stays out of stderr, which
// may be a log; stdout holds the access token alone, as the wizard's does.
func TestE2EPlainRefreshTokenNotLogged(t *testing.T) {
	t.Parallel()
	tokenURL := tokenServer(t, refreshedBody)
	out, errOut, code := runPiped(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"},
		"echo CODE1 | \"$NESTAUTH\" --provider custom --client-id cid --auth-url https://a.example/auth --token-url "+shq(tokenURL))
	if code != 0 || out != "at-2\n" {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", code, out, errOut)
	}
	if strings.Contains(errOut, "rt-2") || !strings.Contains(errOut, "The server also issued a refresh token. It is shown only on a terminal") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

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

// TERM=dumb: plain prompts, the secret typed unseen, no escape code at all.
func TestE2EPlainDumbTerminal(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startPlainScript(t, 50, map[string]string{"TERM": "dumb"},
		"nestauth --provider nest --auth-url "+shq(fake.AuthURL())+" --token-url "+shq(fake.TokenURL())+" > stdout\n"+exitLine+"\n"+sttyLine)
	waitFor(t, tm, "Client ID: ")
	tm.typeText("a b")
	tm.keys("Enter")
	waitFor(t, tm, "Error: Client ID contains spaces")
	tm.typeText(nestID)
	tm.keys("Enter")
	waitFor(t, tm, "Client secret (input hidden): ")
	tm.typeText(nestSecret)
	tm.keys("Enter")
	s := waitFor(t, tm, "Authorization code: ")
	if strings.Contains(s, nestSecret) {
		t.Errorf("the secret shows:\n%s", s)
	}
	tm.typeText(fake.IssueCode())
	tm.keys("Enter")
	if code := tm.exitCode(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	out := tm.waitFile("stdout")
	if !regexp.MustCompile(`^c\.[A-Z2-9]{40}\n$`).MatchString(out) {
		t.Errorf("stdout %q, want the token alone", out)
	}
	waitFor(t, tm, "Got an access token that expires in 3650 days")
	if a := tm.screenANSI(); strings.Contains(a, "\x1b") {
		t.Errorf("the screen has attributes (capture-pane -e):\n%q", a)
	}
	raw := tm.rawOutput()
	escapeFree(t, "what nestauth wrote to the terminal", raw)
	if strings.Contains(raw, nestSecret) {
		t.Errorf("the secret was echoed:\n%q", raw)
	}
	if flags := sttyFlags(tm.waitFile("stty")); !flags["echo"] {
		t.Errorf("the echo is off after the run: %s", tm.waitFile("stty"))
	}
}

// ACCESSIBLE=1 on a capable terminal: plain too; the refresh token goes to
// the terminal, and ctrl+c at the hidden prompt aborts with the echo back.
func TestE2EPlainAccessible(t *testing.T) {
	t.Parallel()
	t.Run("token", func(t *testing.T) {
		t.Parallel()
		tokenURL := tokenServer(t, refreshedBody)
		tm := startPlainScript(t, 80, map[string]string{"ACCESSIBLE": "1"},
			"nestauth --provider custom --client-id cid --auth-url https://a.example/auth --token-url "+shq(tokenURL)+" > stdout\n"+exitLine)
		waitFor(t, tm, "Client secret, or Enter for none (input hidden): ")
		tm.typeText("cs")
		tm.keys("Enter")
		waitFor(t, tm, "Authorization code: ")
		tm.typeText("CODE1")
		tm.keys("Enter")
		if code := tm.exitCode(); code != 0 {
			t.Fatalf("exit %d", code)
		}
		if out := tm.waitFile("stdout"); out != "at-2\n" {
			t.Errorf("stdout %q, want the access token alone", out)
		}
		waitFor(t, tm, "Refresh token (for nestauth refresh):\nrt-2")
		escapeFree(t, "what nestauth wrote to the terminal", tm.rawOutput())
	})
	t.Run("ctrl+c at the hidden prompt", func(t *testing.T) {
		t.Parallel()
		tm := startPlainScript(t, 80, map[string]string{"ACCESSIBLE": "1"},
			"nestauth --provider nest --client-id cid > stdout\n"+exitLine+"\n"+sttyLine)
		waitFor(t, tm, "Client secret (input hidden): ")
		tm.keys("C-c")
		if code := tm.exitCode(); code != exitAbort {
			t.Errorf("exit %d, want %d", code, exitAbort)
		}
		if flags := sttyFlags(tm.waitFile("stty")); !flags["echo"] {
			t.Errorf("the echo is still off: %s", tm.waitFile("stty"))
		}
	})
}

// A redirect caught while the code prompt waits, then a wrong secret: the
// secret is asked again unseen (the open line is finished first) and the
// same code is sent again.
func TestE2EPlainLoopbackWrongSecret(t *testing.T) {
	t.Parallel()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/cb", testkit.FreePort(t))
	fake := fakenest.New(nestID, nestSecret)
	fake.RedirectURI = redirect
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	tm := startPlainScript(t, 200, map[string]string{"ACCESSIBLE": "1", "NESTAUTH_CLIENT_SECRET": "wrong"},
		"nestauth --provider nest --client-id "+nestID+" --auth-url "+shq(fake.AuthURL())+" --token-url "+shq(fake.TokenURL())+
			" --redirect-uri "+redirect+" > stdout\n"+exitLine)
	s := waitFor(t, tm, "Authorization code: ")
	state := regexp.MustCompile(`[?&]state=([\w-]+)`).FindStringSubmatch(s)
	if state == nil {
		t.Fatalf("no state on the screen:\n%s", s)
	}
	if code, body := browserGet(t, redirect+"?code="+fake.IssueCode()+"&state="+state[1]); code != 200 {
		t.Errorf("the browser got %d: %s", code, body)
	}
	waitFor(t, tm, "Your code is kept: type the client secret again and it is tried at once.")
	waitFor(t, tm, "Press Enter first: the line open now would show what you type.")
	tm.keys("Enter")
	waitFor(t, tm, "Client secret (input hidden): ")
	tm.typeText(nestSecret)
	tm.keys("Enter")
	if code := tm.exitCode(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(tm.screen(), nestSecret) {
		t.Errorf("the secret shows:\n%s", tm.screen())
	}
	if n := fake.TokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2: the same code twice", n)
	}
	if out := tm.waitFile("stdout"); !nestTokenRE.MatchString(out) {
		t.Errorf("stdout %q", out)
	}
}
