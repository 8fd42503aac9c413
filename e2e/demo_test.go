package e2e

// The demo (--demo), as a new user meets it: its walk to a token, and what
// the token step does with the token (verify, copy, write, revoke).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
	"nestauth/ui"
)

func TestE2EDemo(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "nest"}})
	tok := demoToToken(t, tm) // which fails unless a put the demo's PIN in the code field
	tm.keys("Enter")
	out, code := tm.waitExit()
	if code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, tok+"\n")
	}
}

// --demo's first choice, Device Access, from the provider to a token that
// lists the demo's devices, and on stdout when the person finishes.
func TestE2EDemoDeviceAccess(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo"}, env: map[string]string{"NO_COLOR": "1"}})
	tok := demoSDMToToken(t, tm)
	tm.keys("v")
	s := waitFor(t, tm, "✓ The token works")
	for _, want := range []string{"/v1/enterprises/", "THERMOSTAT " + fakenest.DemoSDMThermostat + " (" + fakenest.DemoSDMRoom + ")",
		"DOORBELL (" + fakenest.DemoSDMDoorbell + ")"} {
		if !strings.Contains(testkit.SquashSpace(s), want) {
			t.Errorf("v does not show %q:\n%s", want, s)
		}
	}
	tm.keys("q")
	out, code := tm.waitExit()
	if code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, tok+"\n")
	}
}

// With a loopback redirect, the Device Access demo catches the browser's
// redirect: a browser that presses Allow brings the code to the wizard.
func TestE2EDemoDeviceAccessCapture(t *testing.T) {
	t.Parallel()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "sdm", "--redirect-uri", redirect}, env: map[string]string{"NO_COLOR": "1"}})
	for _, header := range []string{"Step 1 of 6 · Device Access project ID", "Step 2 of 6 · Client ID", "Step 3 of 6 · Client secret"} {
		waitFor(t, tm, header)
		tm.keys("Enter")
	}
	authURL := copyAuthURL(t, tm, "Step 4 of 6 · Authorize")
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); !strings.HasPrefix(u.Path, "/partnerconnections/") || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("redirect_uri") != redirect || q.Get("scope") != fakenest.SDMScope {
		t.Errorf("authorization URL %s", u)
	}
	// The browser: Allow on the consent page, then the redirect it answers.
	resp, err := http.PostForm(authURL, url.Values{"action": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.String(), redirect+"?") {
		t.Fatalf("the browser ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	s := waitFor(t, tm, "Step 6 of 6 · Access token")
	if sdmTokenRE.FindString(afterLast(s, "Step 6 of 6 · Access token")) == "" {
		t.Fatalf("no token:\n%s", s)
	}
}

func TestE2EFirstUseDemo(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "nest"}, env: map[string]string{"NO_COLOR": "1"}})
	demoToAuthorize(t, tm)

	// A wrong PIN: the hint is the demo's way to a new one, not a browser.
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.typeText("WRONGPIN")
	tm.keys("Enter")
	s := waitFor(t, tm, "Press esc, then a: the demo server approves again and shows a new PIN.")
	if strings.Contains(testkit.SquashSpace(s), "Press ctrl+o") {
		t.Errorf("the demo's hint points to a browser:\n%s", s)
	}
	tm.keys("Escape")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("a")
	waitFor(t, tm, "The demo server approved")
	tm.keys("Enter")
	header := "Step 5 of 5 · Access token"
	tok := tokenOnScreen(t, tm, header)

	// s: the demo saves nothing, and says so.
	tm.keys("s")
	waitFor(t, tm, "The demo's tokens are not saved: they only work with the demo server.")

	// w over an existing file, n: back to the token; the next w is the key.
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	waitFor(t, tm, "Wrote the token to")
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	waitFor(t, tm, "nestauth-token.json exists. Replace it?")
	tm.keys("n")
	waitFor(t, tm, "Kept nestauth-token.json as it is.")
	tm.keys("w")
	s = waitFor(t, tm, "Write the token (JSON")
	if strings.Contains(s, "nestauth-token.jsonw") {
		t.Fatalf("w after n went into the file name:\n%s", s)
	}
	tm.keys("Escape")
	waitFor(t, tm, "Nothing was written.")

	// 30×10: the token stays whole on screen.
	tm.must("resize-window", "-t", "s", "-x", "30", "-y", "10")
	waitForScreen(t, tm, "the whole token at 30×10", func(s string) bool {
		return strings.Contains(strings.ReplaceAll(s, "\n", ""), tok)
	})
	tm.must("resize-window", "-t", "s", "-x", "80", "-y", "24")

	// x, y: the screen says revoked, not the lifetime.
	tm.keys("x")
	waitFor(t, tm, "Revoke this token at the provider?")
	tm.keys("y")
	s = waitFor(t, tm, "✗ Revoked: this token no longer works.")
	if strings.Contains(afterLast(s, header), "Expires in") {
		t.Errorf("a revoked token shows its lifetime:\n%s", s)
	}

	// q: one message says so, and what to do next.
	tm.keys("q")
	out, code := tm.waitExit()
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	s = waitFor(t, tm, "nothing went to stdout; run nestauth again for a new one")
	if n := strings.Count(strings.ToLower(afterLast(s, header)), "revoked"); n != 1 {
		t.Errorf("%d messages say revoked after q, want 1:\n%s", n, s)
	}
}

func TestE2ETokenActionsDemo(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "nest"}, env: map[string]string{"NO_COLOR": "1"}})
	tok := demoToToken(t, tm)
	waitFor(t, tm, "v verify")

	// v: one API call, through the redirect to the per-user host.
	tm.keys("v")
	waitFor(t, tm, "THERMOSTAT "+fakenest.DemoThermostat+" ("+fakenest.DemoRoom+")")
	waitFor(t, tm, "Homes: "+fakenest.DemoStructure)

	// h: the header, through OSC 52.
	tm.keys("h")
	if got := tm.clipboard(""); got != "Authorization: Bearer "+tok {
		t.Errorf("h copied %q", got)
	}

	// w: the default name, in the working directory, mode 0600.
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	path := filepath.Join(tm.dir, "nestauth-token.json")
	waitFor(t, tm, "Wrote the token to "+path+" (mode 0600")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v (err %v), want mode 0600", fi, err)
	}
	var saved struct {
		AccessToken string `json:"access_token"`
	}
	if b, _ := os.ReadFile(path); json.Unmarshal(b, &saved) != nil || saved.AccessToken != tok {
		t.Errorf("the file holds %q, want the token's JSON", b)
	}
	// Again: it exists, so the wizard asks; n keeps it.
	tm.keys("w")
	waitFor(t, tm, "> nestauth-token.json")
	tm.keys("Enter")
	waitFor(t, tm, "nestauth-token.json exists. Replace it?")
	tm.keys("n")
	waitFor(t, tm, "Kept nestauth-token.json as it is.")

	// x, y: revoked; v then shows the API refusing it.
	tm.keys("x")
	waitFor(t, tm, "Revoke this token at the provider?")
	tm.keys("y")
	waitFor(t, tm, "✗ Revoked: this token no longer works.")
	tm.keys("v")
	waitFor(t, tm, "(HTTP 401)")
	waitFor(t, tm, "refused the revoked token, as it should")

	// q: a revoked token goes nowhere.
	tm.keys("q")
	out, code := tm.waitExit()
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	waitFor(t, tm, "nothing went to stdout")
}

func TestE2ENoRefreshTokenToCopy(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "nest"}})
	tok := demoToToken(t, tm)
	tm.keys("r")
	waitFor(t, tm, "There is no refresh token to copy: the server did not issue one.")
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and the token", code, out)
	}
}

// w writes the token into the working directory: inside this repository,
// git ignores it, at the root and below, so a demo's token is never committed.
func TestDemoTokenFileIsIgnoredByGit(t *testing.T) {
	needTool(t, testkit.Git)
	root, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("git rev-parse: %v (the tests run inside the repository)", err)
	}
	for _, dir := range []string{".", "ui", "e2e"} {
		path := filepath.Join(strings.TrimSpace(string(root)), dir, ui.DefaultTokenFile)
		cmd := exec.Command("git", "check-ignore", "-q", "--no-index", path)
		if err := cmd.Run(); err != nil {
			t.Errorf("git check-ignore %s: %v; want it ignored (.gitignore)", path, err)
		}
	}
}
