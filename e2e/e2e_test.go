package e2e

// End-to-end tests: the real nestauth binary in a real terminal (tmux),
// against the in-process Works with Nest fake and a real, independent
// authorization server (oidc-provider, .ci/oidc). Loopback only.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"nestauth/internal/testkit"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
)

// nestauthBin is the binary under test, built once by TestMain.
var nestauthBin string

func TestMain(m *testing.M) {
	keyringHelper() // e2e_profile_test.go: the real keyring, asked from another process
	dir, err := os.MkdirTemp("", "nestauth-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		os.Exit(1)
	}
	nestauthBin = filepath.Join(dir, "nestauth")
	build := exec.Command("go", "build", "-o", nestauthBin, "nestauth")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needTool skips without tool, except in CI, which must never skip.
func needTool(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (CI=%q) but was not found: %v", tool, os.Getenv("CI"), err)
		}
		t.Skipf("%s not found: skipping (set CI=1 to make this a failure)", tool)
	}
}

// shq quotes s for sh.
func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

var tmuxSeq atomic.Int64

// tmuxTerm is nestauth running in a pane of its own tmux server.
type tmuxTerm struct {
	t      *testing.T
	socket string
	dir    string
}

type wizardRun struct {
	width, height int
	env           map[string]string // the binary's whole environment, beyond PATH, HOME, TERM
	args          []string
}

// startWizard runs nestauth in a fresh tmux server; stdout goes to a file.
func startWizard(t *testing.T, w wizardRun) *tmuxTerm {
	t.Helper()
	needTool(t, "tmux")
	if w.width == 0 {
		w.width, w.height = 80, 24
	}
	tm := &tmuxTerm{
		t:      t,
		socket: fmt.Sprintf("nestauth-e2e-%d-%d", os.Getpid(), tmuxSeq.Add(1)),
		dir:    t.TempDir(),
	}
	var script strings.Builder
	script.WriteString("cd " + shq(tm.dir) + "\n")
	// env -i: no DISPLAY, BROWSER, SSH_CONNECTION, NO_COLOR or NESTAUTH_* leak in,
	// so no real browser or clipboard is touched.
	script.WriteString(`env -i PATH="$PATH" TERM="$TERM" HOME=` + shq(tm.dir))
	for k, v := range w.env {
		script.WriteString(" " + k + "=" + shq(v))
	}
	script.WriteString(" " + shq(nestauthBin))
	for _, a := range w.args {
		script.WriteString(" " + shq(a))
	}
	// The pane stays open afterwards, showing what nestauth left on the screen
	// (remain-on-exit would scroll its last line away for "Pane is dead").
	script.WriteString(" > stdout\necho $? > exit.tmp && mv exit.tmp exit\nexec sleep 600\n")
	scriptPath := filepath.Join(tm.dir, "run.sh")
	if err := os.WriteFile(scriptPath, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			if s, err := tm.tmux("capture-pane", "-p", "-t", "s"); err == nil {
				t.Logf("screen at the end:\n%s", s)
			}
		}
		_, _ = tm.tmux("kill-server")
	})
	_, err := tm.tmux("start-server", ";",
		"set-option", "-s", "set-clipboard", "on", ";",
		"new-session", "-d", "-s", "s", "-x", strconv.Itoa(w.width), "-y", strconv.Itoa(w.height),
		"sh "+shq(scriptPath))
	if err != nil {
		t.Fatalf("tmux new-session: %v", err)
	}
	return tm
}

func (tm *tmuxTerm) tmux(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-u", "-L", tm.socket, "-f", "/dev/null"}, args...)...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (tm *tmuxTerm) must(args ...string) string {
	tm.t.Helper()
	out, err := tm.tmux(args...)
	if err != nil {
		tm.t.Fatal(err)
	}
	return out
}

// screen is the visible pane as text.
func (tm *tmuxTerm) screen() string {
	tm.t.Helper()
	return tm.must("capture-pane", "-p", "-t", "s")
}

// screenANSI is the visible pane with its SGR attributes.
func (tm *tmuxTerm) screenANSI() string {
	tm.t.Helper()
	return tm.must("capture-pane", "-p", "-e", "-t", "s")
}

// keys sends tmux key names (Enter, Escape, C-c, BSpace, ...).
func (tm *tmuxTerm) keys(keys ...string) {
	tm.t.Helper()
	tm.must(append([]string{"send-keys", "-t", "s"}, keys...)...)
}

// typeText types text literally, one key per character.
func (tm *tmuxTerm) typeText(text string) {
	tm.t.Helper()
	tm.must("send-keys", "-t", "s", "-l", text)
}

// paste delivers text as one bracketed paste, as a terminal does.
func (tm *tmuxTerm) paste(text string) {
	tm.t.Helper()
	tm.must("set-buffer", "-b", "e2e-paste", "--", text)
	tm.must("paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "s")
}

// testkit.SquashSpace joins the screen's lines and collapses white space, so that a
// message matches however the wizard wrapped it.

// waitFor polls the screen until it shows substr (as is, or across a wrap).
func waitFor(t *testing.T, tm *tmuxTerm, substr string) string {
	t.Helper()
	return waitForScreen(t, tm, fmt.Sprintf("%q", substr), func(s string) bool {
		return strings.Contains(s, substr) || strings.Contains(testkit.SquashSpace(s), testkit.SquashSpace(substr))
	})
}

// waitForScreen polls the screen until ok accepts it, and fails with the
// screen it last saw.
func waitForScreen(t *testing.T, tm *tmuxTerm, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(testkit.WaitTimeout)
	for {
		s := tm.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; the screen:\n%s", testkit.WaitTimeout, what, s)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// clipboard polls tmux's newest automatic buffer (where OSC 52 lands) until
// it differs from prev, and returns it.
func (tm *tmuxTerm) clipboard(prev string) string {
	tm.t.Helper()
	deadline := time.Now().Add(testkit.WaitTimeout)
	var last string
	for {
		out, err := tm.tmux("show-buffer")
		if err == nil && out != prev {
			return out
		}
		last = out
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for a new clipboard value (OSC 52); last: %q; screen:\n%s", last, tm.screen())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitExit waits for nestauth to end and returns its stdout and exit status.
func (tm *tmuxTerm) waitExit() (string, int) {
	tm.t.Helper()
	deadline := time.Now().Add(testkit.WaitTimeout)
	for {
		b, err := os.ReadFile(filepath.Join(tm.dir, "exit"))
		if err == nil {
			code, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				tm.t.Fatalf("exit file: %q", b)
			}
			out, err := os.ReadFile(filepath.Join(tm.dir, "stdout"))
			if err != nil {
				tm.t.Fatal(err)
			}
			return string(out), code
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for nestauth to exit; screen:\n%s", tm.screen())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// afterLast returns the part of s from the last occurrence of marker on: an
// inline program's earlier frames may linger above its current one.
func afterLast(s, marker string) string {
	if i := strings.LastIndex(s, marker); i >= 0 {
		return s[i:]
	}
	return ""
}

// screenURL reassembles the authorization URL the Authorize step shows,
// wrapped over several lines, and returns it with its lines.
func screenURL(s string) (string, []string) {
	s = afterLast(s, "· Authorize")
	var lines []string
	in := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " ")
		switch {
		case !in && (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")):
			in = true
			lines = append(lines, l)
		case in && l == "":
			return strings.Join(lines, ""), lines
		case in:
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, ""), lines
}

var sgrRE = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

// colourSGRs lists the SGR sequences in s that set a foreground or
// background colour (not those that reset it to the default).
func colourSGRs(s string) []string {
	var found []string
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, _ := strconv.Atoi(p)
			if (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				found = append(found, strconv.Quote(m[0]))
				break
			}
		}
	}
	return found
}

func fieldLine(value string) *regexp.Regexp {
	if value == "" { // tmux trims the prompt's trailing space
		return regexp.MustCompile(`(?m)^>\s*$`)
	}
	return regexp.MustCompile(`(?m)^> ` + regexp.QuoteMeta(value) + `\s*$`)
}

const (
	nestID     = "nestauth-e2e-client"
	nestSecret = "e2e-secret-Zq8"
)

func startFake(t *testing.T) *fakenest.Server {
	t.Helper()
	return fakenest.NewTest(t, nestID, nestSecret)
}

func nestWizard(fake *fakenest.Server, secret string) wizardRun {
	return wizardRun{
		env:  map[string]string{"NESTAUTH_CLIENT_SECRET": secret},
		args: []string{"--provider", "nest", "--client-id", nestID, "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()},
	}
}

var nestTokenRE = regexp.MustCompile(`c\.[A-Z2-9]{40}`)

// tokenOnScreen waits for the Access token step and returns the token shown.
func tokenOnScreen(t *testing.T, tm *tmuxTerm, header string) string {
	t.Helper()
	s := waitFor(t, tm, header)
	tok := nestTokenRE.FindString(afterLast(s, header))
	if tok == "" {
		t.Fatalf("no c.… token on the token step:\n%s", s)
	}
	return tok
}

func TestE2EHappyPath(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))

	s := waitFor(t, tm, "Step 3 of 5 · Authorize")
	u, _ := screenURL(s)
	if !strings.HasPrefix(u, fake.AuthURL()+"?client_id="+nestID+"&state=") {
		t.Errorf("authorization URL on screen = %q, want %s?client_id=%s&state=…", u, fake.AuthURL(), nestID)
	}
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")

	code := fake.IssueCode()
	tm.paste(code + "\n")
	// Typing a key proves the paste was handled without submitting: while an
	// exchange runs (or after it) the field takes no keys. The key also lands
	// right after the code, so the paste left no trailing space.
	tm.typeText("Z")
	waitForScreen(t, tm, "the field to read "+code+"Z", func(s string) bool {
		return fieldLine(code + "Z").MatchString(afterLast(s, "· Authorization code"))
	})
	tm.keys("BSpace")
	s = waitForScreen(t, tm, "the field to read "+code, func(s string) bool {
		return fieldLine(code).MatchString(afterLast(s, "· Authorization code"))
	})
	if n := fake.TokenRequests(); n != 0 {
		t.Fatalf("the paste sent %d token requests before Enter; screen:\n%s", n, s)
	}

	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	waitFor(t, tm, "Expires in 3650 days")
	if n := fake.TokenRequests(); n != 1 {
		t.Errorf("one Enter sent %d token requests, want 1", n)
	}
	// With colours on, the screen has some: the NO_COLOR test's check can fail.
	if c := colourSGRs(tm.screenANSI()); len(c) == 0 {
		t.Errorf("no colour SGR on the token step without NO_COLOR; the NO_COLOR check would prove nothing")
	}

	tm.keys("c")
	if got := tm.clipboard(""); got != tok {
		t.Errorf("OSC 52 clipboard after c = %q, want the token %q", got, tok)
	}
	waitFor(t, tm, "Sent the access token to the terminal's clipboard (OSC 52)")

	tm.keys("q")
	out, code2 := tm.waitExit()
	if code2 != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want exit 0 and %q", code2, out, tok+"\n")
	}
}

func TestE2EExpiredAndUsedCode(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")

	expired := fake.IssueCode()
	fake.Advance(fakenest.PINLifetime + time.Hour)
	tm.paste(expired)
	waitForScreen(t, tm, "the pasted code in the field", func(s string) bool { return fieldLine(expired).MatchString(s) })
	tm.keys("Enter")
	s := waitFor(t, tm, "authorization code expired")
	cur := afterLast(s, "· Authorization code")
	if !strings.Contains(s, "Step 4 of 5 · Authorization code") || strings.Contains(cur, expired) {
		t.Errorf("after an expired code: want still on Authorization code with the field cleared; screen:\n%s", s)
	}
	waitFor(t, tm, "Codes are single-use and expire")

	fresh := fake.IssueCode()
	tm.paste(fresh)
	waitForScreen(t, tm, "the fresh code in the field", func(s string) bool { return fieldLine(fresh).MatchString(s) })
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")

	// The same code again, now used: esc asks for a new code.
	tm.keys("Escape")
	waitFor(t, tm, "Get another code?") // the token went nowhere yet
	tm.keys("y")
	waitFor(t, tm, "That code is used up")
	tm.paste(fresh)
	waitForScreen(t, tm, "the used code in the field", func(s string) bool { return fieldLine(fresh).MatchString(s) })
	tm.keys("Enter")
	s = waitFor(t, tm, "authorization code not found")
	if cur := afterLast(s, "Step 4 of 5 · Authorization code"); cur == "" || strings.Contains(cur, fresh) {
		t.Errorf("after a used code: want Authorization code with the field cleared; screen:\n%s", s)
	}
	if n := fake.TokenRequests(); n != 3 {
		t.Errorf("token requests = %d, want 3 (expired, fresh, used)", n)
	}

	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 130 || out != "" {
		t.Errorf("ctrl+c after a token: exit %d, stdout %q; want 130 and nothing (token was %s)", code, out, tok)
	}
}

func TestE2EWrongSecret(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, "not-the-secret"))
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	code := fake.IssueCode()
	tm.paste(code)
	waitForScreen(t, tm, "the code in the field", func(s string) bool { return fieldLine(code).MatchString(s) })
	tm.keys("Enter")

	s := waitFor(t, tm, "client secret not found")
	if !strings.Contains(s, "Step 2 of 5 · Client secret") {
		t.Fatalf("a wrong secret should lead to the Client secret step; screen:\n%s", s)
	}
	waitFor(t, tm, "Your code is kept")
	tm.keys("C-u")
	waitForScreen(t, tm, "an empty secret field", func(s string) bool { return fieldLine("").MatchString(s) })
	tm.typeText(nestSecret)
	waitForScreen(t, tm, "the masked secret", func(s string) bool {
		return strings.Contains(s, "> "+strings.Repeat("•", len(nestSecret)))
	})
	tm.keys("Enter")
	s = waitFor(t, tm, "Step 4 of 5 · Authorization code")
	if !fieldLine(code).MatchString(afterLast(s, "· Authorization code")) {
		t.Fatalf("after fixing the secret the code should still be in the field; screen:\n%s", s)
	}
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	if n := fake.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (wrong secret, then right)", n)
	}
	tm.keys("Enter")
	out, exit := tm.waitExit()
	if exit != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and %q", exit, out, tok+"\n")
	}
}

// sdmStub is a token endpoint that accepts each code in codes once.
type sdmStub struct {
	mu    sync.Mutex
	codes map[string]bool
	forms []url.Values
}

func (st *sdmStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.forms = append(st.forms, r.PostForm)
	w.Header().Set("Content-Type", "application/json")
	c := r.PostForm.Get("code")
	if !st.codes[c] {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Malformed auth code."}`)
		return
	}
	st.codes[c] = false
	fmt.Fprintf(w, `{"access_token":"ya29.at-for-%s","expires_in":3599,"token_type":"Bearer","scope":"https://www.googleapis.com/auth/sdm.service","refresh_token":"1//rt-%s"}`,
		strings.ReplaceAll(c, "/", "_"), strings.ReplaceAll(c, "/", "_"))
}

func (st *sdmStub) received() []url.Values {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]url.Values(nil), st.forms...)
}

func TestE2EPasteRedirectURL(t *testing.T) {
	t.Parallel()
	const (
		project = "0a1b2c3d-1234-5678-9abc-0123456789ab"
		code1   = "4/0AX4XfWh-e2e-one"
		code2   = "4/0AX4XfWh-e2e-two"
	)
	stub := &sdmStub{codes: map[string]bool{code1: true, code2: true}}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)

	tm := startWizard(t, wizardRun{
		env: map[string]string{"NESTAUTH_CLIENT_SECRET": "sdm-secret"},
		args: []string{"--provider", "sdm", "--project-id", project, "--client-id", "123-e2e.apps.googleusercontent.com",
			"--auth-url", srv.URL + "/auth", "--token-url", srv.URL + "/token"},
	})
	tm.keys("c")
	authURL := tm.clipboard("")
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	state := u.Query().Get("state")
	if state == "" {
		t.Fatalf("no state in %s", authURL)
	}
	tm.keys("Enter")
	waitFor(t, tm, "Step 5 of 6 · Authorization code")

	// A redirect URL with another session's state is refused.
	tm.paste("https://www.google.com/?code=4%2F0AX4XfWh-e2e-one&state=someone-elses-state&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fsdm.service")
	s := waitFor(t, tm, "state does not match")
	if strings.Contains(afterLast(s, "· Authorization code"), "e2e-one") {
		t.Errorf("a refused URL's code should not be in the field; screen:\n%s", s)
	}

	// The whole redirect URL, code %2F-encoded, with a trailing newline.
	tm.paste("https://www.google.com/?code=4%2F0AX4XfWh-e2e-one&state=" + state + "&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fsdm.service\n")
	waitForScreen(t, tm, "the decoded code in the field", func(s string) bool {
		return fieldLine(code1).MatchString(afterLast(s, "· Authorization code"))
	})
	waitFor(t, tm, "Took the code out of what you pasted")
	if n := len(stub.received()); n != 0 {
		t.Fatalf("%d token requests before Enter (the refused URL must send none)", n)
	}
	tm.keys("Enter")
	waitFor(t, tm, "ya29.at-for-4_0AX4XfWh-e2e-one")

	// A bare code, still %2F-encoded.
	tm.keys("Escape")
	waitFor(t, tm, "Get another code?") // the token went nowhere yet
	tm.keys("y")
	waitFor(t, tm, "That code is used up")
	tm.paste("4%2F0AX4XfWh-e2e-two")
	waitForScreen(t, tm, "the decoded bare code", func(s string) bool {
		return fieldLine(code2).MatchString(afterLast(s, "· Authorization code"))
	})
	tm.keys("Enter")
	waitFor(t, tm, "ya29.at-for-4_0AX4XfWh-e2e-two")
	tm.keys("q")
	out, exit := tm.waitExit()
	if exit != 0 || out != "ya29.at-for-4_0AX4XfWh-e2e-two\n" {
		t.Errorf("exit %d, stdout %q", exit, out)
	}

	forms := stub.received()
	if len(forms) != 2 {
		t.Fatalf("token requests = %d, want 2", len(forms))
	}
	for i, want := range []string{code1, code2} {
		f := forms[i]
		if f.Get("code") != want || f.Get("grant_type") != "authorization_code" ||
			f.Get("redirect_uri") != "https://www.google.com" || len(f.Get("code_verifier")) < 43 {
			t.Errorf("token request %d: %v; want code %q, redirect_uri https://www.google.com and a PKCE verifier", i, f, want)
		}
	}
}

// flakyToken is a token endpoint that hangs on its first request until the
// client gives up, answers the second with an HTML 502 that tries to write
// the terminal's clipboard, and the third with a token.
type flakyToken struct {
	mu       sync.Mutex
	n        int
	canceled bool
	codes    []string
}

func (f *flakyToken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	f.n++
	n := f.n
	f.codes = append(f.codes, r.PostForm.Get("code"))
	f.mu.Unlock()
	switch n {
	case 1:
		<-r.Context().Done()
		f.mu.Lock()
		f.canceled = true
		f.mu.Unlock()
	case 2:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html>\x1b]52;c;cHduZWQ=\x07Bad Gateway\x1b[2J</html>")
	default:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"c.AFTERRETRY","expires_in":315360000}`)
	}
}

func TestE2ECancelAndRetry(t *testing.T) {
	t.Parallel()
	stub := &flakyToken{}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)
	tm := startWizard(t, wizardRun{
		env:  map[string]string{"NESTAUTH_CLIENT_SECRET": nestSecret},
		args: []string{"--provider", "nest", "--client-id", nestID, "--auth-url", srv.URL + "/login/oauth2", "--token-url", srv.URL + "/token"},
	})
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.paste("TB39DWND")
	waitForScreen(t, tm, "the code in the field", func(s string) bool { return fieldLine("TB39DWND").MatchString(s) })

	tm.keys("Enter")
	waitFor(t, tm, "Exchanging the code for a token")
	tm.keys("Escape")
	s := waitFor(t, tm, "Canceled.")
	if !strings.Contains(s, "Step 4 of 5 · Authorization code") || !fieldLine("TB39DWND").MatchString(s) {
		t.Fatalf("esc during the exchange should stay on the code with the code kept:\n%s", s)
	}

	tm.keys("Enter")
	s = waitFor(t, tm, "HTTP 502")
	waitFor(t, tm, "Press Enter to retry")
	if !strings.Contains(testkit.SquashSpace(s), "Bad Gateway") || !fieldLine("TB39DWND").MatchString(s) {
		t.Errorf("a 502 should show an excerpt of the body and keep the code:\n%s", s)
	}
	// The screen shows the message, so the body's bytes went through the
	// terminal already: an unsanitized OSC 52 would have set a buffer.
	if out, err := tm.tmux("show-buffer"); err == nil {
		t.Errorf("the server's escape sequence reached the terminal: clipboard %q", out)
	}

	tm.keys("Enter")
	waitFor(t, tm, "c.AFTERRETRY")
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != "c.AFTERRETRY\n" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	stub.mu.Lock()
	defer stub.mu.Unlock()
	if !stub.canceled || stub.n != 3 || strings.Join(stub.codes, ",") != "TB39DWND,TB39DWND,TB39DWND" {
		t.Errorf("token endpoint: canceled %v, %d requests with codes %v; want the first canceled and 3 with the same code", stub.canceled, stub.n, stub.codes)
	}
}

func TestE2ECtrlC(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.typeText("ABC")
	waitForScreen(t, tm, "typed text", func(s string) bool { return fieldLine("ABC").MatchString(s) })
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 130 || out != "" {
		t.Errorf("ctrl+c: exit %d, stdout %q; want 130 and nothing", code, out)
	}
	waitFor(t, tm, "Aborted")
	if n := fake.TokenRequests(); n != 0 {
		t.Errorf("ctrl+c sent %d token requests", n)
	}
}

func TestE2ENarrowNoColorResize(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, wizardRun{
		width: 50, height: 30,
		env: map[string]string{"NESTAUTH_CLIENT_SECRET": "s", "NO_COLOR": "1"},
		// The default SDM authorization URL is long; nothing here opens it.
		args: []string{"--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab",
			"--client-id", "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com",
			"--token-url", fake.TokenURL()},
	})
	header := "Step 4 of 6 · Authorize"
	waitFor(t, tm, header)
	tm.keys("c")
	copied := tm.clipboard("")
	if !strings.HasPrefix(copied, "https://nestservices.google.com/partnerconnections/0a1b2c3d-1234-5678-9abc-0123456789ab/auth?") {
		t.Fatalf("copied URL = %q", copied)
	}

	checkURL := func(width int) {
		t.Helper()
		s := waitForScreen(t, tm, fmt.Sprintf("the whole URL wrapped at %d columns", width), func(s string) bool {
			u, lines := screenURL(s)
			return u == copied && len(lines) > 1 && len(lines[0]) == width
		})
		if !strings.Contains(s, header) {
			t.Errorf("header %q not visible at %d columns:\n%s", header, width, s)
		}
		_, lines := screenURL(s)
		for _, l := range lines {
			if len(l) > width {
				t.Errorf("URL line wider than %d: %q", width, l)
			}
		}
		// Every key of the step is listed, on as many lines as it takes.
		for _, k := range []string{"o open in browser", "c copy URL", "enter next", "esc back", "ctrl+c quit"} {
			if !strings.Contains(afterLast(s, header), k) {
				t.Errorf("help at %d columns lacks %q:\n%s", width, k, s)
			}
		}
	}
	checkURL(50)
	if c := colourSGRs(tm.screenANSI()); len(c) > 0 {
		t.Errorf("NO_COLOR=1, yet the screen sets colours: %v", c)
	}

	tm.must("resize-window", "-t", "s", "-x", "72", "-y", "30")
	checkURL(72)
	tm.must("resize-window", "-t", "s", "-x", "40", "-y", "30")
	checkURL(40)
	if c := colourSGRs(tm.screenANSI()); len(c) > 0 {
		t.Errorf("NO_COLOR=1, yet the screen sets colours after a resize: %v", c)
	}

	tm.keys("Enter")
	waitFor(t, tm, "Step 5 of 6 · Authorization code")
	tm.keys("C-c")
	if out, code := tm.waitExit(); code != 130 || out != "" {
		t.Errorf("exit %d, stdout %q; want 130 and nothing", code, out)
	}
}

func TestE2EDemo(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo"}})
	waitFor(t, tm, "Step 1 of 5 · Client ID")
	tm.keys("Enter")
	waitFor(t, tm, "Step 2 of 5 · Client secret")
	tm.keys("Enter")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.keys("a")
	s := waitFor(t, tm, "Step 4 of 5 · Authorization code")
	if !regexp.MustCompile(`(?m)^> [A-Z2-9]{8}\s*$`).MatchString(afterLast(s, "· Authorization code")) {
		t.Fatalf("demo approval should put a PIN in the field:\n%s", s)
	}
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	tm.keys("Enter")
	out, code := tm.waitExit()
	if code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, tok+"\n")
	}
}

// ---- against a real, independent authorization server (oidc-provider) ----

const (
	oidcID     = "nestauth-test"
	oidcSecret = "nestauth-test-secret"
)

var oidcDir = filepath.Join("..", ".ci", "oidc")

var (
	npmOnce sync.Once
	npmErr  error
)

// needOIDC makes sure node and the server's node_modules are there.
func needOIDC(t *testing.T) {
	t.Helper()
	needTool(t, "node")
	if _, err := os.Stat(filepath.Join(oidcDir, "node_modules", "oidc-provider")); err == nil {
		return
	}
	needTool(t, "npm")
	npmOnce.Do(func() {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = oidcDir
		out, err := cmd.CombinedOutput()
		if err != nil {
			npmErr = fmt.Errorf("npm ci in %s: %v\n%s", oidcDir, err, out)
		}
	})
	if npmErr != nil {
		t.Fatal(npmErr)
	}
}

// startOIDC starts .ci/oidc/server.js on a free loopback port; it returns the issuer.
func startOIDC(t *testing.T) string {
	t.Helper()
	return startOIDCEnv(t)
}

// startOIDCEnv is startOIDC with OIDC_* settings such as OIDC_ROTATE_REFRESH=1.
func startOIDCEnv(t *testing.T, env ...string) string {
	t.Helper()
	needOIDC(t)
	cmd := exec.Command("node", "server.js")
	cmd.Dir = oidcDir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OIDC_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, "OIDC_PORT=0"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &testkit.LockedBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("oidc server log:\n%s", logs.String())
		}
	})
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-ready:
		issuer, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
		if !ok || !strings.HasPrefix(issuer, "http://127.0.0.1:") {
			t.Fatalf("server.js said %q, want READY http://127.0.0.1:PORT; log:\n%s", line, logs.String())
		}
		return issuer
	case <-time.After(30 * time.Second):
		t.Fatalf("server.js did not print READY; log:\n%s", logs.String())
	}
	return ""
}

// browse plays the user's browser on an authorization URL (browse.js).
func browse(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"browse.js"}, args...)...)
	cmd.Dir = oidcDir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("browse.js %v: %v\n%s", args, err, e.String())
	}
	return strings.TrimSpace(o.String()), e.String()
}

// oidcRedirect gets a code for client id through the browser, without nestauth.
func oidcRedirect(t *testing.T, issuer, id, redirectURI string) string {
	t.Helper()
	v := url.Values{"client_id": {id}, "response_type": {"code"}, "redirect_uri": {redirectURI},
		"scope": {"read"}, "state": {"e2e-state"}}
	red, _ := browse(t, issuer+"/auth?"+v.Encode())
	if !strings.Contains(red, "code=") {
		t.Fatalf("browse.js gave no code: %q", red)
	}
	return red
}

// runBin runs the binary without a terminal.
func runBin(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nestauthBin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("running nestauth %v: %v", args, err)
		}
	}
	return o.String(), e.String(), cmd.ProcessState.ExitCode()
}

func oidcCustomArgs(issuer string, extra ...string) []string {
	return append([]string{"--provider", "custom", "--client-id", oidcID,
		"--auth-url", issuer + "/auth", "--token-url", issuer + "/token"}, extra...)
}

// copyAuthURL presses c at Authorize and returns the URL it copied.
func copyAuthURL(t *testing.T, tm *tmuxTerm, header string) string {
	t.Helper()
	waitFor(t, tm, header)
	tm.keys("c")
	u := tm.clipboard("")
	if s, _ := screenURL(tm.screen()); s != u {
		t.Errorf("URL on screen %q differs from the copied %q", s, u)
	}
	return u
}

func TestE2EOIDC(t *testing.T) {
	issuer := startOIDC(t)

	t.Run("SDMPasteRedirectURL", func(t *testing.T) {
		t.Parallel()
		tm := startWizard(t, wizardRun{
			env: map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
			args: []string{"--provider", "sdm", "--project-id", "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b", "--client-id", oidcID,
				"--auth-url", issuer + "/auth", "--token-url", issuer + "/token"},
		})
		authURL := copyAuthURL(t, tm, "Step 4 of 6 · Authorize")
		u, err := url.Parse(authURL)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if u.Scheme+"://"+u.Host+u.Path != issuer+"/auth" || q.Get("redirect_uri") != "https://www.google.com" ||
			q.Get("scope") != "https://www.googleapis.com/auth/sdm.service" || q.Get("access_type") != "offline" ||
			q.Get("prompt") != "consent" || q.Get("response_type") != "code" || q.Get("state") == "" ||
			len(q.Get("code_challenge")) != 43 || q.Get("code_challenge_method") != "S256" {
			t.Errorf("SDM authorization URL lacks a part (PKCE S256, state, scope, offline, consent): %s", authURL)
		}

		redirect, _ := browse(t, authURL)
		if !strings.HasPrefix(redirect, "https://www.google.com?code=") && !strings.HasPrefix(redirect, "https://www.google.com/?code=") {
			t.Fatalf("browse.js redirect = %q", redirect)
		}
		tm.keys("Enter")
		waitFor(t, tm, "Step 5 of 6 · Authorization code")
		tm.paste(redirect)
		waitFor(t, tm, "Took the code out of what you pasted")
		tm.keys("Enter")
		s := waitFor(t, tm, "Step 6 of 6 · Access token")
		for _, want := range []string{"Refresh token:", "Scope: https://www.googleapis.com/auth/sdm.service", "Type: Bearer", "dies after 7 days"} {
			if !strings.Contains(testkit.SquashSpace(s), want) {
				t.Errorf("token step lacks %q:\n%s", want, s)
			}
		}
		tm.keys("r")
		refresh := tm.clipboard(authURL)
		tm.keys("c")
		access := tm.clipboard(refresh)
		if access == "" || refresh == "" || access == refresh {
			t.Fatalf("copied access %q, refresh %q", access, refresh)
		}
		s = tm.screen()
		if !strings.Contains(s, access) || !strings.Contains(strings.ReplaceAll(s, "\n", ""), refresh) {
			t.Errorf("the token step should show the copied access %q and refresh %q tokens:\n%s", access, refresh, s)
		}
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
		// stdout went to a file; the refresh token stays on the screen, whole
		// (the terminal soft-wraps lines anywhere, so compare without newlines).
		s = tm.screen()
		if !strings.Contains(s, "Refresh token (for nestauth refresh):") || !strings.Contains(strings.ReplaceAll(s, "\n", ""), refresh) || !strings.Contains(testkit.SquashSpace(s), "dies after 7 days") {
			t.Errorf("after the wizard the screen should keep the refresh token and the 7-day note:\n%s", s)
		}

		t.Run("RefreshFromStdin", func(t *testing.T) {
			out, errOut, code := runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}, refresh+"\n",
				"refresh", "--provider", "sdm", "--client-id", oidcID, "--token-url", issuer+"/token")
			if code != 0 {
				t.Fatalf("refresh: exit %d, stderr %s", code, errOut)
			}
			tok := testkit.DecodeToken(t, out)
			if tok.AccessToken == access || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
				t.Errorf("refreshed token %+v: want a new Bearer access token for 3600 s", tok)
			}
			if errOut != "" {
				t.Errorf("stderr: %q", errOut)
			}
		})
	})

	t.Run("LoopbackCapture", func(t *testing.T) {
		t.Parallel()
		port := testkit.FreePort(t)
		redirectURI := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
		tm := startWizard(t, wizardRun{
			// Over SSH the wizard says how to forward the port.
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret, "SSH_CONNECTION": "192.0.2.7 50022 198.51.100.9 22"},
			args: oidcCustomArgs(issuer, "--redirect-uri", redirectURI, "--scope", "read"),
		})
		waitFor(t, tm, "Listening on "+redirectURI)
		waitFor(t, tm, fmt.Sprintf("ssh -L %d:127.0.0.1:%d 198.51.100.9", port, port))
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		if q, _ := url.ParseQuery(authURL[strings.Index(authURL, "?")+1:]); q.Get("redirect_uri") != redirectURI || q.Get("code_challenge") == "" {
			t.Errorf("authorization URL %s: want redirect_uri %s and a PKCE challenge", authURL, redirectURI)
		}
		_, page := browse(t, "--follow", authURL)
		if !strings.Contains(page, "HTTP 200") || !strings.Contains(page, "the terminal has the code") {
			t.Errorf("the listener's page: %q", page)
		}
		s := waitFor(t, tm, "Step 5 of 5 · Access token")
		waitFor(t, tm, "Scope: read")
		tm.keys("c")
		access := tm.clipboard(authURL)
		if !strings.Contains(s, access) {
			t.Errorf("token %q not on screen:\n%s", access, s)
		}
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
	})

	t.Run("LoopbackPortBusy", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		port := ln.Addr().(*net.TCPAddr).Port
		redirectURI := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
		tm := startWizard(t, wizardRun{
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
			args: oidcCustomArgs(issuer, "--redirect-uri", redirectURI, "--scope", "read"),
		})
		waitFor(t, tm, fmt.Sprintf("port %d is in use", port))
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		redirect, _ := browse(t, authURL)
		if !strings.HasPrefix(redirect, redirectURI+"?code=") {
			t.Fatalf("browse.js redirect = %q", redirect)
		}
		tm.keys("Enter")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.paste(redirect)
		waitFor(t, tm, "Took the code out of what you pasted")
		tm.keys("Enter")
		waitFor(t, tm, "Step 5 of 5 · Access token")
		tm.keys("c")
		access := tm.clipboard(authURL)
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
	})

	t.Run("SDMExchangeWithPKCE", func(t *testing.T) {
		t.Parallel()
		// The authorization URL as nestauth builds it for sdm, pointed at the
		// independent server; the person pasted the redirect to exchange.
		p := auth.SDM()
		p.AuthURL = issuer + "/auth"
		verifier := auth.NewVerifier()
		authURL := auth.Config{Provider: p, ClientID: oidcID, ProjectID: "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b"}.AuthCodeURL("sdm-state", verifier)
		redirect, _ := browse(t, authURL)
		env := map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}
		args := []string{"exchange", "--provider", "sdm", "--project-id", "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b",
			"--client-id", oidcID, "--token-url", issuer + "/token", "--code", redirect}
		if _, errOut, code := runBin(t, env, "", append(args, "--code-verifier", "wrong-"+verifier)...); code != 3 {
			t.Fatalf("a wrong PKCE verifier: exit %d, want 3; stderr %s", code, errOut)
		}
		out, errOut, code := runBin(t, env, "", append(args, "--code-verifier", verifier)...)
		if code != 0 {
			t.Fatalf("exchange: exit %d, stderr %s", code, errOut)
		}
		tok := testkit.DecodeToken(t, out)
		if tok.Scope != auth.SDMScope || tok.RefreshToken == "" || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
			t.Errorf("token %+v: want the sdm scope, a refresh token, Bearer, 3600 s", tok)
		}
		if !strings.Contains(errOut, "7 days") {
			t.Errorf("stderr %q: want the 7-day refresh token note", errOut)
		}
		out, _, code = runBin(t, env, tok.RefreshToken+"\n", "refresh", "--provider", "sdm", "--client-id", oidcID, "--token-url", issuer+"/token")
		if code != 0 || testkit.DecodeToken(t, out).AccessToken == "" {
			t.Fatalf("refresh: exit %d, stdout %q", code, out)
		}
	})

	t.Run("SingleUseCode", func(t *testing.T) {
		t.Parallel()
		redirect := oidcRedirect(t, issuer, oidcID, "https://www.google.com")
		env := map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}
		args := []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", oidcID, "--auth-url", issuer + "/auth", "--token-url", issuer + "/token",
			"--redirect-uri", "https://www.google.com", "--code", redirect}
		out, errOut, code := runBin(t, env, "", args...)
		if code != 0 {
			t.Fatalf("first exchange: exit %d, stderr %s", code, errOut)
		}
		tok := testkit.DecodeToken(t, out)
		if tok.Scope != "read" || tok.RefreshToken == "" {
			t.Errorf("token %+v: want scope read and a refresh token", tok)
		}
		out, errOut, code = runBin(t, env, "", args...)
		if code != 3 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "invalid_grant") {
			t.Errorf("second exchange: exit %d, stdout %q, stderr %q; want 3, nothing, one line with invalid_grant", code, out, errOut)
		}

		// The wizard says so too.
		usedCode, _ := url.Parse(redirect)
		bare := usedCode.Query().Get("code")
		tm := startWizard(t, wizardRun{env: env, args: oidcCustomArgs(issuer, "--redirect-uri", "https://www.google.com", "--scope", "read")})
		waitFor(t, tm, "Step 3 of 5 · Authorize")
		tm.keys("Enter")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.paste(bare)
		waitForScreen(t, tm, "the used code in the field", func(s string) bool { return fieldLine(bare).MatchString(s) })
		tm.keys("Enter")
		s := waitFor(t, tm, "invalid_grant")
		waitFor(t, tm, "Codes are single-use")
		if cur := afterLast(s, "Step 4 of 5 · Authorization code"); cur == "" || strings.Contains(cur, bare) {
			t.Errorf("want Authorization code with the field cleared:\n%s", s)
		}
		tm.keys("C-c")
		tm.waitExit()
	})

	t.Run("WrongSecret", func(t *testing.T) {
		t.Parallel()
		redirect := oidcRedirect(t, issuer, oidcID, "https://www.google.com")
		args := []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", oidcID, "--auth-url", issuer + "/auth", "--token-url", issuer + "/token",
			"--redirect-uri", "https://www.google.com", "--code", redirect}
		out, errOut, code := runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "wrong"}, "", args...)
		if code != 4 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "invalid_client") {
			t.Errorf("wrong secret: exit %d, stdout %q, stderr %q; want 4, nothing, one line with invalid_client", code, out, errOut)
		}
		// The rejected client did not use the code up.
		out, errOut, code = runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}, "", args...)
		if code != 0 {
			t.Errorf("the right secret after a wrong one: exit %d, stderr %s", code, errOut)
		} else {
			testkit.DecodeToken(t, out)
		}

		// In the wizard: to Client secret, fix it, back to the kept code.
		tm := startWizard(t, wizardRun{
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": "wrong"},
			args: oidcCustomArgs(issuer, "--redirect-uri", "https://www.google.com", "--scope", "read"),
		})
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		redirect, _ = browse(t, authURL)
		tm.keys("Enter")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.paste(redirect)
		waitFor(t, tm, "Took the code out of what you pasted")
		code2 := afterLast(tm.screen(), "· Authorization code")
		tm.keys("Enter")
		s := waitFor(t, tm, "invalid_client")
		if !strings.Contains(s, "Step 2 of 5 · Client secret") {
			t.Fatalf("want the Client secret step:\n%s", s)
		}
		for range len("wrong") {
			tm.keys("BSpace")
		}
		waitForScreen(t, tm, "an empty secret field", func(s string) bool { return fieldLine("").MatchString(s) })
		tm.typeText(oidcSecret)
		waitFor(t, tm, "> "+strings.Repeat("•", len(oidcSecret)))
		tm.keys("Enter")
		s = waitFor(t, tm, "Step 4 of 5 · Authorization code")
		codeLine := regexp.MustCompile(`(?m)^> \S+`).FindString(code2)
		if codeLine == "" || !strings.Contains(afterLast(s, "· Authorization code"), codeLine) {
			t.Fatalf("the code (%q) should still be in the field:\n%s", codeLine, s)
		}
		tm.keys("Enter")
		waitFor(t, tm, "Step 5 of 5 · Access token")
		tm.keys("c")
		access := tm.clipboard(authURL)
		tm.keys("q")
		if out, code := tm.waitExit(); code != 0 || out != access+"\n" {
			t.Errorf("exit %d, stdout %q; want 0 and %q", code, out, access+"\n")
		}
	})

	t.Run("AccessDenied", func(t *testing.T) {
		t.Parallel()
		tm := startWizard(t, wizardRun{
			env:  map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret},
			args: oidcCustomArgs(issuer, "--redirect-uri", "https://www.google.com", "--scope", "read"),
		})
		authURL := copyAuthURL(t, tm, "Step 3 of 5 · Authorize")
		redirect, _ := browse(t, "--deny", authURL)
		if !strings.Contains(redirect, "error=access_denied") {
			t.Fatalf("browse.js --deny gave %q", redirect)
		}
		tm.keys("Enter")
		waitFor(t, tm, "Step 4 of 5 · Authorization code")
		tm.paste(redirect)
		s := waitFor(t, tm, "Access was denied on the consent page")
		if !strings.Contains(s, "Step 4 of 5 · Authorization code") {
			t.Errorf("want to stay on Authorization code:\n%s", s)
		}
		tm.keys("C-c")
		if out, code := tm.waitExit(); code != 130 || out != "" {
			t.Errorf("exit %d, stdout %q", code, out)
		}
	})

	t.Run("BasicAuthStyle", func(t *testing.T) {
		t.Parallel()
		const basicID = oidcID + "-basic"
		env := map[string]string{"NESTAUTH_CLIENT_SECRET": oidcSecret}
		exchange := func(style ...string) (string, string, int) {
			redirect := oidcRedirect(t, issuer, basicID, "https://www.google.com")
			args := append([]string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", basicID, "--auth-url", issuer + "/auth", "--token-url", issuer + "/token",
				"--redirect-uri", "https://www.google.com", "--code", redirect}, style...)
			return runBin(t, env, "", args...)
		}
		out, errOut, code := exchange("--auth-style", "basic")
		if code != 0 {
			t.Fatalf("--auth-style basic: exit %d, stderr %s", code, errOut)
		}
		testkit.DecodeToken(t, out)
		// The server takes only Basic from this client: the default (post) fails.
		if _, errOut, code := exchange(); code != 4 || !strings.Contains(errOut, "invalid_client") {
			t.Errorf("post style with a basic-only client: exit %d, stderr %q; want 4 invalid_client", code, errOut)
		}
	})
}

// exitAbort is the status nestauth documents for ctrl+c (128+SIGINT).
const exitAbort = 130

// refreshedBody is a token endpoint's answer to a refresh.
const refreshedBody = `{"access_token":"at-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-2","scope":"read"}`

// tokenServer is a loopback token endpoint that answers every request with
// body; it returns the endpoint's URL.
func tokenServer(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/token"
}
