package e2e

// The wizard's Custom path and the device flow, through the real binary in
// tmux (and nestauth device with real pipes), against the real, independent
// oidc-provider (.ci/oidc): its metadata is discovered, its device flow is
// approved headlessly by browse.js --user-code. Loopback only.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"nestauth/internal/testkit"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// deviceWait bounds a wait that spans device polls: oidc-provider sends no
// interval, so nestauth polls every 5 s.
const deviceWait = 40 * time.Second

// waitLong is waitFor with room for a few device polls.
func waitLong(t *testing.T, tm *tmuxTerm, substr string) string {
	t.Helper()
	deadline := time.Now().Add(deviceWait)
	for {
		s := tm.screen()
		if strings.Contains(s, substr) || strings.Contains(testkit.SquashSpace(s), testkit.SquashSpace(substr)) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %q; the screen:\n%s", deviceWait, substr, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// boxedCodeRE finds the user code the device step shows, spaced, in its box.
var boxedCodeRE = regexp.MustCompile(`│\s+([A-Z0-9](?: [A-Z0-9-])+)\s+│`)

// userCodeOnScreen waits for the device step's code and returns it unspaced.
func userCodeOnScreen(t *testing.T, tm *tmuxTerm) string {
	t.Helper()
	s := waitForScreen(t, tm, "a user code in its box", func(s string) bool {
		return boxedCodeRE.MatchString(afterLast(s, "· Device code"))
	})
	return strings.ReplaceAll(boxedCodeRE.FindStringSubmatch(afterLast(s, "· Device code"))[1], " ", "")
}

// The device flow in the wizard: --issuer discovered on the Issuer step, a
// refusal on the verification page, a fresh code with enter, approval.
func TestE2EDeviceWizardOIDC(t *testing.T) {
	issuer := startOIDC(t)
	tm := startWizard(t, wizardRun{
		env:  map[string]string{"NO_COLOR": "1"},
		args: []string{"--issuer", issuer, "--client-id", oidcID + "-public", "--scope", "read"},
	})
	// The Issuer step, discovered by itself, then the Redirect URI step:
	// left empty, the server's device flow is used.
	waitFor(t, tm, "Found the endpoints in "+issuer+"/.well-known/openid-configuration")
	waitFor(t, tm, "Step 3 · Redirect URI") // no total: this answer picks the flow
	tm.keys("Enter")
	waitFor(t, tm, "Step 5 of 7 · Client secret") // a public client: none
	tm.keys("Enter")
	waitFor(t, tm, "Step 6 of 7 · Device code")
	s := waitFor(t, tm, issuer+"/device")
	for _, want := range []string{"Expires in", "asks every 5 s", "c copy code", "o open page", "esc cancel"} {
		if !strings.Contains(testkit.SquashSpace(s), want) {
			t.Errorf("device step lacks %q:\n%s", want, s)
		}
	}
	code := userCodeOnScreen(t, tm)
	tm.keys("c")
	if got := tm.clipboard(""); got != code {
		t.Errorf("c copied %q, want the user code %q", got, code)
	}

	if out, _ := browse(t, "--user-code", code, "--deny", issuer+"/device"); out != "denied" {
		t.Fatalf("browse.js --deny said %q", out)
	}
	waitLong(t, tm, "access_denied")
	s = waitFor(t, tm, "Press enter for a fresh code")
	if boxedCodeRE.MatchString(afterLast(s, "· Device code")) {
		t.Errorf("the refused code is still shown:\n%s", s)
	}
	tm.keys("Enter")
	fresh := userCodeOnScreen(t, tm)
	if fresh == code {
		t.Fatalf("enter showed the refused code %s again", code)
	}
	if out, _ := browse(t, "--user-code", fresh, issuer+"/device"); out != "approved" {
		t.Fatalf("browse.js said %q", out)
	}
	s = waitLong(t, tm, "Step 7 of 7 · Access token")
	waitFor(t, tm, "Scope: read")
	tm.keys("q")
	out, exit := tm.waitExit()
	tok := strings.TrimSpace(out)
	if exit != 0 || tok == "" || strings.ContainsAny(tok, " \n") || !strings.Contains(s, tok) {
		t.Errorf("exit %d, stdout %q; want 0 and the token shown:\n%s", exit, out, s)
	}
}

// The Custom path from the provider list: the issuer typed on the Issuer
// step, openid prefilled, a loopback redirect, the code caught, PKCE.
func TestE2ECustomIssuerStepOIDC(t *testing.T) {
	issuer := startOIDC(t)
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
	tm := startWizard(t, wizardRun{
		width: 50, height: 24,
		env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
		args: []string{"--client-id", oidcID},
	})
	waitFor(t, tm, "5. Custom OAuth 2.0 provider")
	tm.keys("5", "Enter")
	waitFor(t, tm, "· Issuer")
	tm.keys("Enter") // nothing typed yet
	waitFor(t, tm, "Give the issuer URL")
	tm.typeText(issuer)
	tm.keys("Enter")
	waitFor(t, tm, "· Scopes")
	if s := tm.screen(); !fieldLine("openid").MatchString(afterLast(s, "· Scopes")) {
		t.Fatalf("Scopes should be prefilled with openid (the server lists it):\n%s", s)
	}
	tm.typeText(" read")
	tm.keys("Enter")
	waitFor(t, tm, "· Redirect URI")
	tm.paste(redirect)
	tm.keys("Enter")
	authURL := copyAuthURL(t, tm, "· Authorize")
	if !strings.HasPrefix(authURL, issuer+"/auth?") || !strings.Contains(authURL, "code_challenge=") || !strings.Contains(authURL, "scope=openid+read") {
		t.Fatalf("authorization URL %s: want the discovered endpoint, PKCE and the scopes", authURL)
	}
	waitFor(t, tm, "Listening on "+redirect)
	_, page := browse(t, "--follow", authURL)
	if !strings.Contains(page, "the terminal has the code") {
		t.Fatalf("the browser was told %q", page)
	}
	s := waitFor(t, tm, "· Access token")
	waitFor(t, tm, "Scope: openid read")
	tm.keys("q")
	out, exit := tm.waitExit()
	if tok := strings.TrimSpace(out); exit != 0 || tok == "" || !strings.Contains(testkit.SquashSpace(s), tok[:20]) {
		t.Errorf("exit %d, stdout %q:\n%s", exit, out, s)
	}
}

// nestauth device with real pipes: the code and page on stderr, the token
// JSON on stdout; a refusal exits 3.
func TestE2EDeviceCommandOIDC(t *testing.T) {
	issuer := startOIDC(t)
	for _, deny := range []bool{false, true} {
		t.Run(map[bool]string{false: "approved", true: "denied"}[deny], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), deviceWait)
			defer cancel()
			cmd := exec.CommandContext(ctx, nestauthBin, "device", "--issuer", issuer, "--client-id", oidcID, "--scope", "openid read")
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "NESTAUTH_CLIENT_SECRET=" + oidcSecret}
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var said strings.Builder
			var code string
			lines := bufio.NewScanner(stderr)
			for code == "" && lines.Scan() {
				said.WriteString(lines.Text() + "\n")
				if f := strings.Fields(lines.Text()); len(f) == 1 && regexp.MustCompile(`^[A-Z]{4}-[A-Z]{4}$`).MatchString(f[0]) {
					code = f[0]
				}
			}
			if code == "" {
				t.Fatalf("no user code on stderr:\n%s", said.String())
			}
			args := []string{"--user-code", code, issuer + "/device"}
			if deny {
				args = append([]string{"--deny"}, args...)
			}
			browse(t, args...)
			for lines.Scan() {
				said.WriteString(lines.Text() + "\n")
			}
			_ = cmd.Wait()
			exit := cmd.ProcessState.ExitCode()
			text := said.String()
			if !strings.Contains(text, issuer+"/device") || !strings.Contains(text, "expires in 10 minutes") {
				t.Errorf("stderr lacks the page or the expiry:\n%s", text)
			}
			if deny {
				if exit != 3 || stdout.Len() != 0 || !strings.Contains(text, "denied: access_denied") {
					t.Errorf("exit %d, stdout %q, stderr:\n%s; want 3, nothing, and the denial", exit, stdout.String(), text)
				}
				return
			}
			tok := testkit.DecodeToken(t, stdout.String())
			if exit != 0 || tok.RefreshToken == "" || tok.Scope != "openid read" || tok.ExpiresIn != 3600 {
				t.Errorf("exit %d, token %+v; stderr:\n%s", exit, tok, text)
			}
		})
	}
}

// ctrl+c (SIGINT) while nestauth device waits: exit 130, nothing on stdout.
func TestE2EDeviceCommandInterrupt(t *testing.T) {
	issuer := startOIDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), deviceWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, nestauthBin, "device", "--issuer", issuer, "--client-id", oidcID+"-public")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var said strings.Builder
	for lines.Scan() {
		said.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "Waiting for approval") {
			break
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		said.WriteString(lines.Text() + "\n")
	}
	_ = cmd.Wait()
	if exit := cmd.ProcessState.ExitCode(); exit != 130 || stdout.Len() != 0 || !strings.Contains(said.String(), "canceled: no token was fetched") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s; want 130, nothing, and canceled", exit, stdout.String(), said.String())
	}
}
