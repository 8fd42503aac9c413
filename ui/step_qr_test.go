package ui

// Q: the QR code of the URL or the verification page, in any window.

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

func TestQRCode(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "secret"})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "Q QR code")
	m = send(t, m, char('Q'))
	v := view(m)
	lines := strings.Split(strings.TrimSuffix(v, "\n"), "\n")
	if len(lines) > 23 || !strings.Contains(v, "any key goes back") {
		t.Fatalf("the QR frame is %d lines, want at most 23 with its caption:\n%s", len(lines), v)
	}
	if got := testkit.DecodeQR(t, qrPart(m)); got != m.authURL() {
		t.Errorf("the QR code reads %q, want the URL %q", got, m.authURL())
	}
	m = send(t, m, esc)
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "Open this URL")

	// A PIN that starts with Q still types: Q, then a capital.
	m = send(t, m, char('Q'))
	m = typeString("B39DWND", m, t)
	wantStep(t, m, stepCode)
	if got := m.inputs[stepCode].Value(); got != "QB39DWND" {
		t.Errorf("code field = %q, want QB39DWND", got)
	}
}

// Q shows the QR code and Q hides it again: the second Q goes back to
// Authorize, as the caption's "any key goes back" says, and types nothing.
func TestQRCodeQGoesBack(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "secret"})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = send(t, m, char('Q'))
	wantView(t, m, "any key goes back")
	m = send(t, m, char('Q'))
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "Open this URL")
	if got := m.inputs[stepCode].Value(); got != "" {
		t.Errorf("code field = %q, want it empty", got)
	}
}

// Google's long URL does not fit 80×24: the wizard says so and how to copy.
func TestQRCodeTooLarge(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider()}, ClientID: "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com",
		ClientSecret: "secret", ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	wantStep(t, m, stepAuthorize)
	m = send(t, m, char('Q'))
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "The QR code does not fit", "this one is 80×24", "Press c to copy the URL")
	if m.qr.shown {
		t.Error("a QR code that does not fit is shown")
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 100, Height: 60})
	m = send(t, m, char('Q'))
	if !m.qr.shown {
		t.Fatalf("no QR code in a 100×60 window:\n%s", view(m))
	}
	if got := testkit.DecodeQR(t, qrPart(m)); got != m.authURL() {
		t.Errorf("the QR code reads %q, want the URL", got)
	}
}

// qrPart is the QR code of the frame: every line but the caption.
func qrPart(m Model) string {
	lines := strings.Split(strings.TrimSuffix(view(m), "\n"), "\n")
	return strings.Join(lines[:len(lines)-1], "\n")
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
	if got := testkit.DecodeQR(t, qrPart(m)); got != m.authURL() {
		t.Errorf("the redrawn QR code reads %q, want %q", got, m.authURL())
	}
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
	if got, want := testkit.DecodeQR(t, qrPart(m)), verificationPage(m.device.code); got != want || !strings.Contains(want, "user_code=") {
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
	if got := testkit.DecodeQR(t, qrPart(m)); got != m.device.code.VerificationURI {
		t.Errorf("the QR code reads %q, want %q", got, m.device.code.VerificationURI)
	}
}
