package e2e

// Narrow terminals, resizes, NO_COLOR and 16 colours: nothing cut mid-word,
// the URL whole, the help complete, colours told apart.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

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

// At 50 columns a placeholder is whole or absent, never cut mid-word; the
// Issuer step gives no step total, the endpoint steps after tab do.
func TestE2ENarrowPlaceholdersAndStepTotals(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{width: 50, height: 30, env: map[string]string{"NO_COLOR": "1"}, args: []string{"--provider", "custom"}})
	waitFor(t, tm, "Step 1 · Issuer")
	tm.keys("Tab")
	s := waitFor(t, tm, "Authorization endpoint")
	if !strings.Contains(s, "> (https://login.example.com/oauth2/authorize)") || !strings.Contains(s, "Step 2 of 10") {
		t.Errorf("at 50 columns, the endpoint step:\n%s", s)
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

// Text printed after the wizard wraps at word boundaries to the terminal.
func TestE2EWrapAfterWizard(t *testing.T) {
	t.Parallel()
	t.Run("refresh token note", func(t *testing.T) {
		t.Parallel()
		stub := &sdmStub{codes: map[string]bool{"4/0AbC": true}}
		srv := httptest.NewServer(stub)
		t.Cleanup(srv.Close)
		tm := startWizard(t, wizardRun{width: 44, height: 30, env: map[string]string{"NESTAUTH_CLIENT_SECRET": "s"},
			args: []string{"--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab",
				"--client-id", "123-abc.apps.googleusercontent.com", "--token-url", srv.URL + "/token"}})
		waitFor(t, tm, "Step 4 of 6 · Authorize")
		tm.keys("Enter")
		waitFor(t, tm, "Step 5 of 6 · Authorization code")
		tm.paste("4/0AbC")
		tm.keys("Enter")
		waitFor(t, tm, "Step 6 of 6 · Access token")
		tm.keys("q")
		if _, code := tm.waitExit(); code != 0 {
			t.Fatalf("exit %d", code)
		}
		s := tm.screen()
		for _, want := range []string{"Refresh token (for nestauth refresh):", `While the OAuth consent screen is in "Testing", the refresh token dies after 7 days: publish the app to keep it.`} {
			if !strings.Contains(testkit.SquashSpace(afterLast(s, "Step 6 of 6")), want) {
				t.Errorf("%q is cut mid-word at 44 columns:\n%s", want, s)
			}
		}
		if !strings.Contains(s, "1//rt-4_0AbC") {
			t.Errorf("the refresh token is not on the screen whole:\n%s", s)
		}
	})
}

func TestE2ESixteenColours(t *testing.T) {
	t.Parallel()
	tm := startWizard(t, wizardRun{args: []string{"--demo", "--provider", "nest"}, env: map[string]string{"TERM": "xterm"}}) // and no COLORTERM
	demoToAuthorize(t, tm)
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
