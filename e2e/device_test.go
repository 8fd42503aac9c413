package e2e

// The device flow (RFC 8628) against oidc-provider with its device flow
// enabled: through auth's API, the wizard's Device code step and nestauth
// device; the person at the verification page is browse.js --user-code.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

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

func TestE2EDeviceFlowOIDC(t *testing.T) {
	issuer := startOIDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	m, err := auth.Discover(ctx, issuer, nil)
	if err != nil {
		t.Fatalf("Discover(%s): %v", issuer, err)
	}
	if m.Issuer != issuer || m.DeviceURL != issuer+"/device/auth" || m.TokenURL != issuer+"/token" || !m.OffersDevice() || !m.S256() {
		t.Fatalf("metadata %+v: want issuer %s, its /device/auth and /token, the device grant and S256", m, issuer)
	}
	p, err := m.Apply(auth.Custom(), false)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		clientID string
		secret   string
		style    auth.AuthStyle
		deny     bool
		complete bool      // open verification_uri_complete rather than type the code
		wantErr  error     // from PollOnce
		authKind auth.Kind // DeviceAuth refused with this kind
	}{
		{name: "confidential client, post", clientID: oidcID, secret: oidcSecret},
		{name: "confidential client, basic", clientID: oidcID + "-basic", secret: oidcSecret, style: auth.AuthInHeader, complete: true},
		{name: "public client", clientID: oidcID + "-public"},
		{name: "denied on the verification page", clientID: oidcID, secret: oidcSecret, deny: true, wantErr: auth.ErrAccessDenied},
		{name: "secret in the wrong style is refused at the device endpoint", clientID: oidcID, secret: oidcSecret, style: auth.AuthInHeader, authKind: auth.KindSecret},
		{name: "x/oauth2's request (client_id alone) is refused for a confidential client", clientID: oidcID, authKind: auth.KindSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := p
			cp.AuthStyle = tt.style
			c := auth.Config{Provider: cp, ClientID: tt.clientID, ClientSecret: tt.secret}
			dc, err := c.DeviceAuth(ctx, m.DeviceURL, []string{"read"})
			if tt.authKind != auth.KindUnknown {
				if auth.ErrorKind(err) != tt.authKind {
					t.Fatalf("DeviceAuth = %+v, %v (kind %v); want kind %v", dc, err, auth.ErrorKind(err), tt.authKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("DeviceAuth: %v", err)
			}
			if dc.VerificationURI != issuer+"/device" || dc.UserCode == "" || dc.Interval != 5*time.Second || dc.Expiry.IsZero() {
				t.Fatalf("device code %+v: want the issuer's /device page, a user code, the default 5 s interval and an expiry", dc)
			}

			tok, next, err := c.PollOnce(ctx, dc)
			if tok != nil || err != nil || next != dc.Interval {
				t.Fatalf("poll before approval = %+v, %v, %v; want pending with next %v", tok, next, err, dc.Interval)
			}

			page, args := dc.VerificationURI, []string{"--user-code", dc.UserCode}
			if tt.complete {
				page = dc.VerificationURIComplete
			}
			if tt.deny {
				args = append(args, "--deny")
			}
			out, _ := browse(t, append(args, page)...)
			if want := map[bool]string{false: "approved", true: "denied"}[tt.deny]; out != want {
				t.Fatalf("browse.js said %q, want %q", out, want)
			}

			// oidc-provider enforces no interval, so the loop need not wait.
			for i := 0; tok == nil && err == nil && i < 3; i++ {
				tok, _, err = c.PollOnce(ctx, dc)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("after the browser: %+v, %v; want %v", tok, err, tt.wantErr)
				}
				return
			}
			if err != nil || tok == nil {
				t.Fatalf("after approval: %+v, %v; want a token", tok, err)
			}
			if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Scope != "read" || tok.ExpiresIn != 3600 {
				t.Errorf("token %+v: want an access and a refresh token, scope read, 3600 s", tok)
			}
			// The device code is single-use: the next poll is refused.
			if tok2, _, err := c.PollOnce(ctx, dc); tok2 != nil || auth.ErrorKind(err) != auth.KindCode {
				t.Errorf("poll after the token = %+v, %v; want the used code refused", tok2, err)
			}
		})
	}

	t.Run("PollDevice: the blocking helper, approval during the first wait", func(t *testing.T) {
		c := auth.Config{Provider: p, ClientID: oidcID + "-public"}
		dc, err := c.DeviceAuth(ctx, m.DeviceURL, []string{"read"})
		if err != nil {
			t.Fatal(err)
		}
		var waits []time.Duration
		wait := func(_ context.Context, d time.Duration) error {
			if waits = append(waits, d); len(waits) == 2 {
				browse(t, "--user-code", dc.UserCode, dc.VerificationURI)
			}
			return nil
		}
		tok, err := c.PollDevice(ctx, dc, wait)
		if err != nil || tok.AccessToken == "" {
			t.Fatalf("PollDevice = %+v, %v; want a token", tok, err)
		}
		if len(waits) != 2 || waits[0] != 5*time.Second || waits[1] != 5*time.Second {
			t.Errorf("waits = %v, want two of 5 s (one pending poll, then the approved one)", waits)
		}
	})
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
	waitForWithin(t, tm, deviceWait, "access_denied")
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
	s = waitForWithin(t, tm, deviceWait, "Step 7 of 7 · Access token")
	waitFor(t, tm, "Scope: read")
	tm.keys("q")
	out, exit := tm.waitExit()
	tok := strings.TrimSpace(out)
	if exit != 0 || tok == "" || strings.ContainsAny(tok, " \n") || !strings.Contains(s, tok) {
		t.Errorf("exit %d, stdout %q; want 0 and the token shown:\n%s", exit, out, s)
	}
}

// nestauth device with real pipes: the code and page on stderr, the token
// JSON on stdout; a refusal exits 3.
func TestE2EDeviceCommandOIDC(t *testing.T) {
	issuer := startOIDC(t)
	for _, deny := range []bool{false, true} {
		t.Run(map[bool]string{false: "approved", true: "denied"}[deny], func(t *testing.T) {
			env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "NESTAUTH_CLIENT_SECRET=" + oidcSecret}
			stdout, text, exit := deviceAnswered(t, issuer, env, !deny, "device", "--issuer", issuer, "--client-id", oidcID, "--scope", "openid read")
			if !strings.Contains(text, issuer+"/device") || !strings.Contains(text, "expires in 10 minutes") {
				t.Errorf("stderr lacks the page or the expiry:\n%s", text)
			}
			if deny {
				if exit != 3 || stdout != "" || !strings.Contains(text, "denied: access_denied") {
					t.Errorf("exit %d, stdout %q, stderr:\n%s; want 3, nothing, and the denial", exit, stdout, text)
				}
				return
			}
			tok := testkit.DecodeToken(t, stdout)
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
	sendSignal(t, cmd.Process.Pid, syscall.SIGINT)
	for lines.Scan() {
		said.WriteString(lines.Text() + "\n")
	}
	_ = cmd.Wait()
	if exit := cmd.ProcessState.ExitCode(); exit != 130 || stdout.Len() != 0 || !strings.Contains(said.String(), "canceled: no token was fetched") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s; want 130, nothing, and canceled", exit, stdout.String(), said.String())
	}
}
