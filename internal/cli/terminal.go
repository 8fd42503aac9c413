package cli

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"nestauth/internal/signals"
	"nestauth/ui"
	"nestauth/ui/tty"
)

const useExchange = "without one, use 'nestauth exchange' (see 'nestauth exchange --help')"

// errNoTerminal: the wizard has nowhere to draw.
var errNoTerminal = errors.New("the wizard needs a terminal; " + useExchange)

// isTerminal is tty's, under the name the commands use.
func isTerminal(w io.Writer) bool { return tty.IsTerminal(w) }

// wizardScreen is where the wizard draws: stderr, or the terminal itself
// when stderr is redirected. closeScreen releases what it opened.
func wizardScreen(stderr io.Writer) (screen io.Writer, closeScreen func(), err error) {
	if screen, closeScreen, err = tty.Screen(stderr); err != nil {
		return nil, nil, errNoTerminal
	}
	return screen, closeScreen, nil
}

// colorProfile is what Bubble Tea would detect, minus its `tmux info` call:
// that has no time limit, and a wedged tmux server would hold the first frame
// forever. Inside tmux, TERM still gives 256 colours.
func colorProfile(screen io.Writer) colorprofile.Profile {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") {
			env = append(env, kv)
		}
	}
	return colorprofile.Detect(screen, env)
}

// forwardSignals hands SIGINT, SIGTERM and SIGHUP to the wizard (run
// without Bubble Tea's own handler), which ends at once unless a token
// request is out, and then once it is answered (ui.SignalMsg); SIGQUIT ends
// it at once. Either way the terminal is restored: their default action
// would leave it raw, with the cursor hidden. The returned func stops
// listening.
func forwardSignals(p *tea.Program) (stop func()) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, append([]os.Signal{syscall.SIGQUIT}, signals.Deferred...)...)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				if sig == syscall.SIGQUIT {
					p.Quit()
					continue
				}
				p.Send(ui.SignalMsg{Signal: sig})
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(sigs); close(done) }
}

// stdinTerminal holds os.Stdin while fang prints help and errors. Fang asks
// the terminal for its background colour first (lipgloss.HasDarkBackground
// on os.Stdin and os.Stdout) and waits seconds for a terminal that never
// answers (ssh -tt, a relayed pty); with a stdin that is no terminal it asks
// nothing. A command runs with the real os.Stdin back (Bubble Tea reads it).
type stdinTerminal struct {
	real, stand *os.File // nil: nothing hidden
}

// hideStdinTerminal swaps os.Stdin for /dev/null when stdout is a terminal,
// the only case in which fang asks. Tests, whose stdout is never one, keep
// the global untouched.
func hideStdinTerminal() stdinTerminal {
	if !isTerminal(os.Stdout) || !isTerminal(os.Stdin) {
		return stdinTerminal{}
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		return stdinTerminal{}
	}
	t := stdinTerminal{real: os.Stdin, stand: null}
	os.Stdin = null
	return t
}

// shown runs f with the real os.Stdin.
func (t stdinTerminal) shown(f func()) {
	if t.real == nil {
		f()
		return
	}
	os.Stdin = t.real
	defer func() { os.Stdin = t.stand }()
	f()
}

// restore puts os.Stdin back for good.
func (t stdinTerminal) restore() {
	if t.real != nil {
		os.Stdin = t.real
		_ = t.stand.Close()
	}
}
