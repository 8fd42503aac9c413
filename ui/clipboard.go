package ui

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	tea "charm.land/bubbletea/v2"
	"github.com/atotto/clipboard"

	"nestauth/auth"
)

var (
	errNoClipboard = errors.New("install xclip, xsel or wl-clipboard for it")
	errNoDisplay   = errors.New("no display to hold it (over SSH?)")
)

// CopyToSystem writes text to the system clipboard through atotto/clipboard
// (pbcopy, xclip, xsel, wl-copy or the Windows API).
func CopyToSystem(text string) error {
	if clipboard.Unsupported {
		return errNoClipboard
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errNoDisplay
	}
	return clipboard.WriteAll(text)
}

// copiedMsg says what was copied and how it went.
type copiedMsg struct {
	what string
	err  error
}

// copyCmd writes text to the terminal's clipboard (OSC 52) and the
// system's, and says how it went.
func copyCmd(copyFn func(string) error, text, what string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(text), func() tea.Msg {
		if copyFn == nil {
			return copiedMsg{what: what, err: errUnavailable}
		}
		return copiedMsg{what: what, err: copyFn(text)}
	})
}

// status is the line that says where the text went.
func (msg copiedMsg) status() string {
	if msg.err != nil {
		return fmt.Sprintf("Sent %s to the terminal's clipboard (OSC\u00a052). No system clipboard: %s.", msg.what, auth.Sanitize(msg.err.Error()))
	}
	return fmt.Sprintf("Copied %s to the system clipboard and the terminal's (OSC\u00a052).", msg.what)
}
