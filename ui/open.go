package ui

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// errUnavailable is returned by a missing clipboard or browser.
var errUnavailable = errors.New("not available here")

// OpenBrowser opens url in the person's browser: $BROWSER if set, else the
// system's opener. Without a display (an SSH session, a container) it fails
// at once with errUnavailable rather than start a text browser in our terminal.
func OpenBrowser(url string) error {
	var name string
	var args []string
	switch {
	case os.Getenv("BROWSER") != "":
		name = os.Getenv("BROWSER")
	case runtime.GOOS == "darwin":
		name = "open"
	case runtime.GOOS == "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
	case os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "":
		return errUnavailable
	default:
		name = "xdg-open"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return errUnavailable
	}
	cmd := exec.Command(path, append(args, url)...)
	cmd.Env = childEnv()
	if err := cmd.Start(); err != nil { // stdio stays detached: nothing lands on our screen
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// childEnv is the environment for a program we start: ours without
// nestauth's own variables, which may hold a secret.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NESTAUTH_") {
			env = append(env, kv)
		}
	}
	return env
}

// openedMsg says whether the browser opened.
type openedMsg struct{ err error }

func openCmd(open func(string) error, url string) tea.Cmd {
	return func() tea.Msg {
		if open == nil {
			return openedMsg{err: errUnavailable}
		}
		return openedMsg{err: open(url)}
	}
}

func (m *wizard) opened(msg openedMsg) {
	switch {
	case m.step == stepDevice && msg.err == nil:
		m.notice.status = "Opened the verification page in your browser."
	case m.step == stepDevice:
		m.notice.status = "No browser could be opened here: open the page on any device (c copies the code)."
	case msg.err == nil:
		m.notice.status = "Opened the authorization URL in your browser."
		m.noBrowser = false
	case m.step == stepCode:
		m.noBrowser = true
		m.notice.status = "No browser could be opened here: go back (esc) and copy the URL (c)."
	default:
		m.noBrowser = true
		m.notice.status = "No browser could be opened here: press c to copy the URL instead."
	}
}
