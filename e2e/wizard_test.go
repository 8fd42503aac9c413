package e2e

// The wizard's way from the authorization URL to a token, and its keys:
// codes expired, used and kept, a wrong secret fixed, an exchange canceled
// and retried, esc's question before a token is dropped.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

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

// esc on the token step asks before dropping a token that went nowhere;
// ctrl+c after the drop aborts (130) and says the token was dropped.
func TestE2EEscAsksBeforeDroppingTheToken(t *testing.T) {
	t.Parallel()
	fake := startFake(t)
	tm := startWizard(t, nestWizard(fake, nestSecret))
	fakeToToken(t, tm, fake)

	tm.keys("Escape")
	waitFor(t, tm, "Get another code? The token on screen will be dropped")
	waitFor(t, tm, "y drop it")
	tm.keys("n")
	waitFor(t, tm, "Kept the token")
	tm.keys("Escape")
	waitFor(t, tm, "Get another code?")
	tm.keys("y")
	waitFor(t, tm, "Dropped the token.")
	tm.keys("C-c")
	out, code := tm.waitExit()
	if code != 130 || out != "" {
		t.Errorf("exit %d, stdout %q; want 130 and nothing", code, out)
	}
	s := tm.screen()
	if !strings.Contains(s, "Aborted: the earlier token was dropped") || strings.Contains(s, "no token was fetched") {
		t.Errorf("the last frame after a drop:\n%s", s)
	}
}

func TestE2EPINTypedAtAuthorize(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "nest"}})
	demoToAuthorize(t, tm)
	codeField := func(what string) {
		t.Helper()
		s := waitForScreen(t, tm, "TB39DWND in the code field, "+what, func(s string) bool {
			return fieldLine("TB39DWND").MatchString(afterLast(s, "· Authorization code"))
		})
		if strings.Contains(s, "approved") {
			t.Errorf("typing ran the demo's approval (%s):\n%s", what, s)
		}
	}
	for _, k := range strings.Split("TB39DWND", "") {
		tm.keys(k)
	}
	codeField("typed one key at a time")

	tm.keys("C-u", "Escape")
	waitFor(t, tm, "Step 3 of 5 · Authorize")
	tm.typeText("TB39DWND")
	codeField("typed as one string")
	tm.keys("C-c")
	if out, code := tm.waitExit(); code != 130 || out != "" {
		t.Errorf("exit %d, stdout %q; want 130 and nothing", code, out)
	}
}

func TestE2EQQuitsTheProviderList(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{})
	s := waitFor(t, tm, "Step 1 · Provider")
	if !strings.Contains(afterLast(s, "Provider"), "q quit") {
		t.Errorf("the provider list's help does not list q:\n%s", s)
	}
	tm.keys("q")
	out, code := tm.waitExit()
	if code != 130 || out != "" {
		t.Errorf("q on the provider list: exit %d, stdout %q; want 130 and nothing", code, out)
	}
	waitFor(t, tm, "Aborted")
}

// The provider list: a number chooses at once; other letters only say
// which keys work.
func TestE2EProviderNumbers(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{env: map[string]string{"NO_COLOR": "1"}})
	waitFor(t, tm, "Step 1 · Provider")
	waitFor(t, tm, "1-5 choose")
	tm.typeText("abc")
	waitFor(t, tm, "type a number 1-5")
	tm.typeText("2")
	waitFor(t, tm, "nestauth · Works with Nest")
	waitFor(t, tm, "· Client ID")
	tm.keys("C-c")
	if out, code := tm.waitExit(); code != 130 || out != "" {
		t.Errorf("exit %d, stdout %q; want 130 and nothing", code, out)
	}
}
