package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/internal/output"
)

// qrCaption is the line under the QR code.
const qrCaption = "Scan it to open the authorization URL on a phone · any key goes back"

// qrCode is the Authorize step showing its URL as a QR code (Q): for signing
// in on a phone when this terminal has no browser.
type qrCode struct{ shown bool }

// showQR draws the URL as a QR code if the window can hold it, and else says
// why not and that c copies it.
func (m *wizard) showQR() tea.Cmd {
	if _, err := m.qrText(); err != nil {
		m.notice = notice{err: m.qrTooLarge(err), hint: "Press c to copy the URL and open it on the phone another way."}
		return nil
	}
	m.qr.shown = true
	m.notice.clear()
	return nil
}

// closeQR goes back to the URL on any key. A capital or digit right after Q
// is a PIN being typed that starts with Q: both go to the code step, as the
// Authorize step does with any typing.
func (m *wizard) closeQR(msg tea.KeyPressMsg) tea.Cmd {
	m.qr.shown = false
	if !pinKey(msg) {
		return nil
	}
	return tea.Batch(m.goTo(stepCode), m.updateField(tea.KeyPressMsg{Code: 'Q', Text: "Q"}), m.updateField(msg))
}

// pinKey reports whether msg types a character of a Works with Nest PIN.
func pinKey(msg tea.KeyPressMsg) bool {
	t := msg.Text
	return len(t) == 1 && (t[0] >= 'A' && t[0] <= 'Z' || t[0] >= '0' && t[0] <= '9') &&
		msg.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock) == 0
}

// qrRows is the height the QR code may take: the window minus the caption
// and the line the terminal keeps under an inline frame.
func (m *wizard) qrRows() int {
	return m.windowHeight() - 1 - strings.Count(m.wrap(qrCaption), "\n") - 1
}

// windowHeight is the window's height, or a common one before it is known.
func (m *wizard) windowHeight() int {
	if m.height <= 0 {
		return 24
	}
	return m.height
}

func (m *wizard) qrText() (string, error) {
	return output.QRText(m.authURL(), m.width, m.qrRows())
}

// qrTooLarge says why the code does not fit, in terminal sizes.
func (m *wizard) qrTooLarge(err error) string {
	var fe *output.QRFitError
	if !errors.As(err, &fe) {
		return sentence(err.Error())
	}
	h := m.windowHeight()
	return fmt.Sprintf("The QR code does not fit: the URL is %d characters long, and its code needs a window of %d×%d (this one is %d×%d).",
		fe.Chars, fe.NeedCols, fe.NeedRows+h-m.qrRows(), m.width, h)
}

// viewQR is the whole frame while the QR code shows: the code, light on
// dark whatever the terminal's colours, and the caption.
func (m *wizard) viewQR() tea.View {
	code, err := m.qrText()
	if err != nil { // the window shrank
		return tea.NewView(m.styles.Error.Render(m.wrap(m.qrTooLarge(err)+" Any key goes back.")) + "\n")
	}
	return tea.NewView(m.styles.QR.Render(code) + "\n" + m.styles.Faint.Render(m.wrap(qrCaption)) + "\n")
}
