package ui

import (
	tea "charm.land/bubbletea/v2"
)

// qrCaption is the line under the QR code.
const qrCaption = "Scan it to open the authorization URL on a phone · any key goes back"

// qrDeviceCaption is the line under the device step's QR code.
const qrDeviceCaption = "Scan it to open the verification page on a phone · any key goes back"

// qrCode is the Authorize step showing its URL as a QR code (Q), or the
// device step its verification page: for signing in on a phone when this
// terminal has no browser.
type qrCode struct {
	shown bool
	code  string // while it shows: the code drawn for the window (QRText), once
	lost  string // while it shows: why the window no longer holds it, or ""
	err   string // the notice's "does not fit", redone when the window changes
}

// pinKey reports whether msg types a character of a Works with Nest PIN.
func pinKey(msg tea.KeyPressMsg) bool {
	t := msg.Text
	return len(t) == 1 && (t[0] >= 'A' && t[0] <= 'Z' || t[0] >= '0' && t[0] <= '9') &&
		msg.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock) == 0
}
