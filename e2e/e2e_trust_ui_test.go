package e2e

// End-to-end checks of the wizard's presentation and keys (issue 6,
// points 5, 24, 26, 27 and 28): the real binary in tmux.

import (
	"nestauth/internal/testkit"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// demoAuthorize starts the demo and walks to its Authorize step.
func demoAuthorize(t *testing.T, w wizardRun) *tmuxTerm {
	t.Helper()
	w.args = append(w.args, "--demo")
	tm := startWizard(t, w)
	const app = "nestauth · Works with Nest (demo server on this machine)"
	for _, header := range []string{"Step 1 of 5 · Client ID", "Step 2 of 5 · Client secret", "Step 3 of 5 · Authorize"} {
		s := waitFor(t, tm, header)
		if !strings.Contains(afterLast(s, app), header) {
			t.Errorf("the screen does not name the app and the demo provider above %q:\n%s", header, s)
		}
		if !strings.Contains(header, "Authorize") {
			tm.keys("Enter")
		}
	}
	return tm
}

func TestE2EPINTypedAtAuthorize(t *testing.T) {
	t.Parallel()
	tm := demoAuthorize(t, wizardRun{})
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

func TestE2ENoRefreshTokenToCopy(t *testing.T) {
	t.Parallel()
	tm := demoAuthorize(t, wizardRun{})
	tm.keys("a")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.keys("Enter")
	tok := tokenOnScreen(t, tm, "Step 5 of 5 · Access token")
	tm.keys("r")
	waitFor(t, tm, "There is no refresh token to copy: the server did not issue one.")
	tm.keys("q")
	if out, code := tm.waitExit(); code != 0 || out != tok+"\n" {
		t.Errorf("exit %d, stdout %q; want 0 and the token", code, out)
	}
}

// fgAt returns the foreground colour SGR parameter ("91", or "" for the
// default) in force where the last text occurs in a capture-pane -e screen.
func fgAt(t *testing.T, screen, text string) string {
	t.Helper()
	i := strings.LastIndex(screen, text)
	if i < 0 {
		t.Fatalf("the screen lacks %q:\n%s", text, screen)
	}
	fg := ""
	for _, m := range sgrRE.FindAllStringSubmatch(screen[:i], -1) {
		params := strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' })
		if len(params) == 0 {
			fg = ""
		}
		for _, p := range params {
			switch n, _ := strconv.Atoi(p); {
			case n == 0 || n == 39:
				fg = ""
			case n >= 30 && n <= 37 || n >= 90 && n <= 97:
				fg = p
			}
		}
	}
	return fg
}

func TestE2ESixteenColours(t *testing.T) {
	t.Parallel()
	tm := demoAuthorize(t, wizardRun{env: map[string]string{"TERM": "xterm"}}) // and no COLORTERM
	s := waitFor(t, tm, "Demo mode")
	// Evenly wrapped at 80 columns: ctrl+c quit is not alone on its line.
	for _, l := range strings.Split(afterLast(s, "· Authorize"), "\n") {
		if strings.TrimSpace(l) == "ctrl+c quit" {
			t.Errorf("ctrl+c quit alone on a line:\n%s", s)
		}
	}
	screen := tm.screenANSI()
	warn := fgAt(t, screen, "Demo mode")
	key, desc, sep := fgAt(t, screen, "ctrl+c"), fgAt(t, screen, "quit"), fgAt(t, screen, "·")
	tm.keys("Enter")
	waitFor(t, tm, "Step 4 of 5 · Authorization code")
	tm.keys("Enter") // an empty code: an error
	waitFor(t, tm, "✗")
	errFG := fgAt(t, tm.screenANSI(), "✗")

	if warn == errFG {
		t.Errorf("a warning and an error are both %q with 16 colours", warn)
	}
	if key == desc {
		t.Errorf("help keys and descriptions are both %q with 16 colours", key)
	}
	if sep == "30" {
		t.Errorf("help separators are black with 16 colours: invisible on a dark background")
	}
}

func TestE2ENarrowHeaderAndSpinner(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // an exchange that stays running while the screen is read
		case <-r.Context().Done():
		case <-release:
		}
		http.Error(w, "stalled", http.StatusServiceUnavailable)
	}))
	t.Cleanup(stall.Close)
	t.Cleanup(func() { close(release) })
	tm := startWizard(t, wizardRun{
		width: 30, height: 30,
		env: map[string]string{"NESTAUTH_CLIENT_SECRET": "s"},
		args: []string{"--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab",
			"--client-id", "123-abc.apps.googleusercontent.com", "--token-url", stall.URL},
	})
	waitFor(t, tm, "Step 4 of 6 · Authorize")
	tm.keys("Enter")
	waitFor(t, tm, "Step 5 of 6 · Authorization code")
	tm.typeText("ABC")
	tm.keys("Enter")
	s := waitFor(t, tm, "(esc cancels)")
	s = afterLast(s, "nestauth ·")
	for _, want := range []string{"nestauth · Google Nest Device Access", "Step 5 of 6 · Authorization code", "Exchanging the code for a token… (esc cancels)"} {
		if !strings.Contains(testkit.SquashSpace(s), want) {
			t.Errorf("at 30 columns %q is cut:\n%s", want, s)
		}
	}
	tm.keys("Escape")
	waitFor(t, tm, "Canceled")
	tm.keys("C-c")
	tm.waitExit()
}
