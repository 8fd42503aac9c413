package tty

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"
)

// MaxValue bounds a value read from a file or stdin: a device or a wrong
// path must not fill memory.
const MaxValue = 64 << 10

// TrimValue is the one rule for a value from the environment, a file or
// stdin: white space and a byte order mark (an editor's) around it dropped.
func TrimValue(s string) string {
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "\uFEFF"))
}

// exitAbort is the exit status after ctrl+c, as a shell reports SIGINT.
const exitAbort = 130

// ReadHidden reads a line without echo. ctrl+c, or a hangup, quit or
// termination signal, ends the program with the terminal's echo restored,
// which term.ReadPassword alone would leave off.
func ReadHidden(f *os.File) ([]byte, error) {
	state, err := term.GetState(f.Fd())
	if err != nil {
		return nil, err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer func() { signal.Stop(sigs); close(sigs) }()
	go func() {
		if _, ok := <-sigs; ok {
			_ = term.Restore(f.Fd(), state)
			fmt.Fprintln(os.Stderr)
			os.Exit(exitAbort)
		}
	}()
	return term.ReadPassword(f.Fd())
}
