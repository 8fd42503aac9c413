package ui

// What a new user found trying the built binary: keys that did nothing or
// could not work, questions that led nowhere, small windows.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// demoRun is the wizard as --demo runs it: prefilled, Approve, no Saver.
func demoRun() Options {
	return Options{ClientID: "id", ClientSecret: "s", Approve: func(string) (string, error) { return "DEMOPIN1", nil }}
}

// In the demo (no Saver), s says why nothing is saved, and is not listed.
func TestSaveKeyInTheDemoSaysWhy(t *testing.T) {
	m := toToken(t, demoRun())
	if strings.Contains(view(m), "save profile") {
		t.Errorf("the demo lists s:\n%s", view(m))
	}
	m = send(t, m, char('s'))
	wantView(t, m, "The demo's tokens are not saved: they only work with the demo server.")
}

// A custom provider without --check-url or --revoke-url: v, u and x are not
// listed, and pressing them says at once which flag, for the next run.
func TestTokenKeysThatCannotWork(t *testing.T) {
	p := auth.Custom()
	p.AuthURL, p.TokenURL = "https://idp.test/auth", "https://idp.test/token"
	m := atToken(t, Options{Providers: []auth.Provider{p}})
	help := view(m)[strings.LastIndex(view(m), "c copy token"):]
	for _, k := range []string{"v verify", "u copy curl", "x revoke"} {
		if strings.Contains(help, k) {
			t.Errorf("the help lists %q:\n%s", k, help)
		}
	}
	wantView(t, m, "h copy header", "w write file")
	for _, k := range "vu" {
		m = send(t, m, char(k))
		wantView(t, m, "set --check-url", "Flags take effect on the next run")
	}
	m = send(t, m, char('x'))
	if m.actions.confirm != confirmNone {
		t.Fatal("x asks to revoke with no revocation endpoint")
	}
	wantView(t, m, "no revocation endpoint", "set --revoke-url", "Flags take effect on the next run")

	// With the flags, the keys are back.
	p.CheckURL, p.RevokeURL = "https://idp.test/userinfo", "https://idp.test/revoke"
	m = atToken(t, Options{Providers: []auth.Provider{p}})
	wantView(t, m, "v verify", "u copy curl", "x revoke")
}

// n (or esc) to "Replace it?" goes back to the token: the next w is the key
// again, not a letter added to the file name.
func TestKeepingAnExistingFileReturnsToTheToken(t *testing.T) {
	for _, no := range []tea.KeyPressMsg{char('n'), esc} {
		m := atToken(t, Options{})
		dir := t.TempDir()
		path := filepath.Join(dir, "tok.json")
		if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		m = send(t, m, char('w'))
		m.actions.write.input.SetValue(path)
		m = send(t, m, enter)
		wantView(t, m, "Replace it?")
		m = send(t, m, no)
		wantStep(t, m, stepToken)
		wantView(t, m, "Kept "+path+" as it is.", "w write file")
		m = send(t, m, char('w'))
		if got := m.actions.write.input.Value(); got != DefaultTokenFile {
			t.Errorf("after %s, w: the name is %q, want %q", no, got, DefaultTokenFile)
		}
		if b, _ := os.ReadFile(path); string(b) != "keep me" {
			t.Errorf("after %s the file holds %q", no, b)
		}
		if _, err := os.Stat(path + "w"); err == nil {
			t.Errorf("after %s a file %sw was written", no, path)
		}
	}
}

// A number chooses its provider at once; letters other than j, k and q
// only say which keys work.
func TestProviderNumbersChoose(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: auth.Providers()})
	wantView(t, m, "1-5 choose", "enter choose", "q quit")
	m = typeString("abcdefghilmnoprstuvwxyzJKQ", m, t)
	wantStep(t, m, stepProvider)
	if m.provider != 0 || m.aborted {
		t.Fatalf("letters moved the cursor to %d or quit (%v)", m.provider, m.aborted)
	}
	wantView(t, m, "type a number 1-5")
	m = send(t, m, char('2'))
	wantStep(t, m, stepClientID)
	wantView(t, m, "nestauth · Works with Nest")
}

// At 30×10 the token step keeps the token whole, and Authorize its URL.
func TestSmallWindowKeepsTheTokenAndTheURL(t *testing.T) {
	m := toToken(t, demoRun())
	m = send(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	v := view(m)
	if n := strings.Count(v, "\n"); n > 9 {
		t.Errorf("%d lines in a 10-row window:\n%s", n, v)
	}
	if flat := strings.ReplaceAll(v, "\n", ""); !strings.Contains(flat, m.token.AccessToken) {
		t.Errorf("the token is not whole on screen:\n%s", v)
	}

	m, _, _ = newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	m = send(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	wantStep(t, m, stepAuthorize)
	if flat := strings.ReplaceAll(view(m), "\n", ""); !strings.Contains(flat, m.authURL()) {
		t.Errorf("the URL is not whole on screen:\n%s", view(m))
	}
}

// At 30×10, Q's "does not fit" shows its start; a resize redoes it.
func TestSmallWindowQRError(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	m = send(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	m = send(t, m, char('Q'))
	v := view(m)
	if !strings.Contains(v, "✗ The QR code does not fit") || strings.Count(v, "\n") > 9 {
		t.Errorf("the error's start is not on screen, or the frame is too tall:\n%s", v)
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 40, Height: 12})
	wantView(t, m, "this one is 40×12")
	if strings.Contains(strings.Join(strings.Fields(view(m)), " "), "30×10") {
		t.Errorf("a stale size stays:\n%s", view(m))
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 100, Height: 60})
	wantView(t, m, "The window holds the QR code now: press Q")
	if strings.Contains(view(m), "does not fit") {
		t.Errorf("the error stays in a window that holds the code:\n%s", view(m))
	}
}

// A QR code that stops fitting shows its message's start, within the window.
func TestShrunkQRKeepsTheStart(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	m = send(t, m, tea.WindowSizeMsg{Width: 100, Height: 60})
	m = send(t, m, char('Q'))
	if !m.qr.shown {
		t.Fatal("no QR code in 100×60")
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 30, Height: 4})
	v := view(m)
	if !strings.HasPrefix(v, "The QR code does not fit") || strings.Count(v, "\n") > 3 {
		t.Errorf("the message's start is cut, or it is too tall:\n%s", v)
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 100, Height: 60}) // and grows back
	if strings.Contains(view(m), "does not fit") {
		t.Errorf("the message stays in a window that holds the code:\n%s", view(m))
	}
	if got := decodeQR(t, qrPart(m)); got != m.authURL() {
		t.Errorf("the redrawn QR code reads %q, want %q", got, m.authURL())
	}
}

// A revoked token shows that instead of its lifetime, and s says it is not saved.
func TestRevokedTokenScreen(t *testing.T) {
	m, _, _ := atFakeToken(t)
	m.token.ExpiresIn, m.token.Expiry = 315360000, testNow.Add(315360000*1e9)
	wantView(t, m, "Expires in 3650 days")
	m.opts.Save = (&fakeSaver{}).save
	m = send(t, m, char('x'))
	m = send(t, m, char('y'))
	wantView(t, m, "✗ Revoked: this token no longer works.")
	if strings.Contains(view(m), "Expires in") {
		t.Errorf("a revoked token still shows its lifetime:\n%s", view(m))
	}
	m = send(t, m, char('s'))
	wantView(t, m, "it is not saved as a profile")
	if strings.Contains(view(m), "copied or written") {
		t.Errorf("s speaks of copying:\n%s", view(m))
	}
}

// A wrong PIN in the demo points to esc then a; without a browser, to esc then c.
func TestNewCodeHint(t *testing.T) {
	codeErr := fail(&auth.Error{Kind: auth.KindCode, Code: "oauth2_error", Status: 400})

	m, ex, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s", Prefill: true, Approve: demoRun().Approve})
	ex.answers = append(ex.answers, codeErr)
	m = send(t, m, enter)
	m = send(t, m, enter)
	m = send(t, m, char('a'))
	m = send(t, m, enter)
	wantStep(t, m, stepCode)
	wantView(t, m, "Press esc, then a: the demo server approves again and shows a new PIN.")
	if strings.Contains(view(m), "ctrl+o") && strings.Contains(view(m), "Press ctrl+o") {
		t.Errorf("the demo hint points to a browser:\n%s", view(m))
	}

	m, ex, _ = atCode(t, Options{})
	m.opts.Open = func(string) error { return errUnavailable }
	ex.answers = append(ex.answers, codeErr)
	m = send(t, m, ctrlO)
	wantView(t, m, "No browser could be opened here: go back (esc) and copy the URL (c).")
	m = typeString("OLD", m, t)
	m = send(t, m, enter)
	wantView(t, m, "Press esc, then c to copy the URL")

	m, ex, _ = atCode(t, Options{})
	ex.answers = append(ex.answers, codeErr)
	m = typeString("OLD", m, t)
	m = send(t, m, enter)
	wantView(t, m, "Press ctrl+o to open it")
}

// Q on the device step shows the page (with the code filled in) as a QR code.
func TestDeviceQR(t *testing.T) {
	f := &fakeDevice{answers: []pollAnswer{pending}, complete: true}
	m, _ := atDevice(t, f)
	m = deliver(t, m, tea.WindowSizeMsg{Width: 80, Height: 40})
	wantView(t, m, "Q QR code")
	m = deliver(t, m, char('Q'))
	if !m.qr.shown {
		t.Fatalf("Q shows no QR code:\n%s", view(m))
	}
	wantView(t, m, "Scan it to open the verification page on a phone")
	if got, want := decodeQR(t, qrPart(m)), verificationPage(m.device.code); got != want || !strings.Contains(want, "user_code=") {
		t.Errorf("the QR code reads %q, want %q with the code", got, want)
	}
	m = deliver(t, m, char('z'))
	wantStep(t, m, stepDevice)
	wantView(t, m, "Waiting for you to approve")

	m = deliver(t, m, tea.WindowSizeMsg{Width: 80, Height: 16})
	m = deliver(t, m, char('Q'))
	if m.qr.shown {
		t.Fatal("a QR code that does not fit is shown")
	}
	wantView(t, m, "The QR code does not fit", "this one is 80×16", "c copies it")

	// No verification_uri_complete: the plain page.
	f = &fakeDevice{answers: []pollAnswer{pending}}
	m, _ = atDevice(t, f)
	m = deliver(t, m, tea.WindowSizeMsg{Width: 80, Height: 40})
	m = deliver(t, m, char('Q'))
	if got := decodeQR(t, qrPart(m)); got != m.device.code.VerificationURI {
		t.Errorf("the QR code reads %q, want %q", got, m.device.code.VerificationURI)
	}
}

// At 80 columns the copy status keeps "(OSC 52)" on one line.
func TestOSC52StaysTogether(t *testing.T) {
	for _, err := range []error{nil, errors.New("install xclip, xsel or wl-clipboard for it")} {
		for w := 40; w <= 100; w++ {
			got := wrapWords(copiedMsg{what: "the access token", err: err}.status(), w)
			if !strings.Contains(got, "(OSC\u00a052)") {
				t.Errorf("at %d columns: %q", w, got)
			}
		}
	}
	m := toToken(t, Options{})
	m.opts.Copy = func(string) error { return errors.New("install xclip, xsel or wl-clipboard for it") }
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = send(t, m, char('c'))
	if v := view(m); !strings.Contains(v, "(OSC\u00a052)") {
		t.Errorf("the status breaks OSC 52:\n%s", v)
	}
}
