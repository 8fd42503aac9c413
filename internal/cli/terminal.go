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

	"nestauth/ui/tty"
)

const useExchange = "without one, use 'nestauth exchange' (see 'nestauth exchange --help')"

// errNoTerminal: the wizard has nowhere to draw.
var errNoTerminal = errors.New("the wizard needs a terminal; " + useExchange)

// isTerminal and terminalWidth are tty's, under the names the commands use.
func isTerminal(w io.Writer) bool { return tty.IsTerminal(w) }

func terminalWidth(w io.Writer) int { return tty.Width(w) }

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

// quitOnHangup ends the program on SIGHUP and SIGQUIT as Bubble Tea ends it
// on SIGTERM, restoring the terminal: their default action would leave it
// raw, with the cursor hidden. The returned func stops listening.
func quitOnHangup(p *tea.Program) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGQUIT)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			p.Quit()
		case <-done:
		}
	}()
	return func() { signal.Stop(sigs); close(done) }
}
