package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/internal/output"
	"nestauth/ui/flow"
)

// Q on the Authorize and device steps: the URL, or the verification page, as
// a QR code; qr.go's qrCode says whether it shows.

// qrTarget is what the step's QR code opens, the line under it, and what
// to do when it does not fit.
func (m *wizard) qrTarget() (text, caption, fallback string) {
	if m.step == stepDevice && m.device.code != nil {
		return verificationPage(m.device.code), qrDeviceCaption, "Open the page above on the phone another way and enter the code (c copies it)."
	}
	return m.authURL(), qrCaption, "Press c to copy the URL and open it on the phone another way."
}

// showQR draws the URL as a QR code if the window can hold it, and else says
// why not and that c copies it.
func (m *wizard) showQR() tea.Cmd {
	code, err := m.qrText()
	if err != nil {
		_, _, fallback := m.qrTarget()
		m.qr.err = m.qrTooLarge(err)
		m.notice = notice{err: m.qr.err, hint: fallback}
		return nil
	}
	m.qr.shown, m.qr.code, m.qr.lost = true, code, ""
	m.notice.clear()
	return nil
}

// qrResized redraws the code that shows for the new window, or redoes a
// "does not fit" still on screen: a window that now holds the code says so.
func (m *wizard) qrResized() {
	if m.qr.shown {
		m.qr.err = ""
		code, err := m.qrText()
		m.qr.code, m.qr.lost = code, ""
		if err != nil { // the window shrank
			m.qr.lost = m.qrTooLarge(err)
		}
		return
	}
	if m.qr.err == "" || m.notice.err != m.qr.err {
		m.qr.err = ""
		return
	}
	if _, err := m.qrText(); err != nil {
		m.qr.err = m.qrTooLarge(err)
		m.notice.err = m.qr.err
		return
	}
	m.qr.err = ""
	m.notice = notice{status: "The window holds the QR code now: press Q to show it."}
}

// closeQR goes back to the URL on any key. A capital or digit right after Q
// is a PIN being typed that starts with Q: both go to the code step, as the
// Authorize step does with any typing.
func (m *wizard) closeQR(msg tea.KeyPressMsg) tea.Cmd {
	m.qr.shown = false
	if !pinKey(msg) || msg.Text == "Q" { // Q shows the code and hides it
		return nil
	}
	return tea.Batch(m.goTo(stepCode), m.updateField(tea.KeyPressMsg{Code: 'Q', Text: "Q"}), m.updateField(msg))
}

// qrRows is the height the QR code may take: the window minus the caption
// and the line the terminal keeps under an inline frame.
func (m *wizard) qrRows() int {
	_, caption, _ := m.qrTarget()
	return m.windowHeight() - 1 - strings.Count(m.wrap(caption), "\n") - 1
}

// windowHeight is the window's height, or a common one before it is known.
func (m *wizard) windowHeight() int {
	if m.height <= 0 {
		return 24
	}
	return m.height
}

func (m *wizard) qrText() (string, error) {
	text, _, _ := m.qrTarget()
	return output.QRText(text, m.width, m.qrRows())
}

// qrTooLarge says why the code does not fit, in terminal sizes.
func (m *wizard) qrTooLarge(err error) string {
	var fe *output.QRFitError
	if !errors.As(err, &fe) {
		return flow.Sentence(err.Error())
	}
	h := m.windowHeight()
	what := "URL"
	if m.step == stepDevice {
		what = "page's address"
	}
	return fmt.Sprintf("The QR code does not fit: the %s is %d characters long, and its code needs a window of %d×%d (this one is %d×%d).",
		what, fe.Chars, fe.NeedCols, fe.NeedRows+h-m.qrRows(), m.width, h)
}

// viewQR is the whole frame while the QR code shows: the code as showQR or
// qrResized drew it, light on dark whatever the terminal's colours, and the
// caption.
func (m *wizard) viewQR() tea.View {
	if m.qr.lost != "" { // the window shrank: its start says what, within the window
		lines := strings.Split(m.wrap(m.qr.lost+" Any key goes back."), "\n")
		if m.height > 1 {
			lines = lines[:min(len(lines), m.height-1)]
		}
		return tea.NewView(m.styles.Error.Render(strings.Join(lines, "\n")) + "\n")
	}
	_, caption, _ := m.qrTarget()
	return tea.NewView(m.styles.QR.Render(m.qr.code) + "\n" + m.styles.Faint.Render(m.wrap(caption)) + "\n")
}
