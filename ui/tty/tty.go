// Package tty is the terminal nestauth talks to, line by line: whether a
// stream is one and how wide, where to show what must reach a person only,
// lines read without echo, and prose wrapped to fit. Plain mode and the
// commands use it; the wizard wraps its prose with Wrap.
package tty

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// In is stdin when it is a terminal, else nil.
func In(stdin io.Reader) *os.File {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return f
	}
	return nil
}

// Width is the width of the terminal w is; 0 when w is none.
func Width(w io.Writer) int {
	if !IsTerminal(w) {
		return 0
	}
	width, _, err := term.GetSize(w.(*os.File).Fd())
	if err != nil {
		return 0
	}
	return width
}

// ErrNoScreen: stderr is redirected and there is no terminal to open.
var ErrNoScreen = errors.New("no terminal")

// Screen is where a person sees what must not go into a log: stderr, or
// the terminal itself when stderr is redirected. closeScreen releases what
// it opened.
func Screen(stderr io.Writer) (screen io.Writer, closeScreen func(), err error) {
	if IsTerminal(stderr) {
		return stderr, func() {}, nil
	}
	f, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return nil, nil, ErrNoScreen
	}
	return f, func() { _ = f.Close() }, nil
}

// Say prints prose on w, wrapped at word boundaries to the width of the
// terminal w is; anywhere else, on one line.
func Say(w io.Writer, s string) {
	if width := Width(w); width > 0 {
		s = Wrap(s, width)
	}
	fmt.Fprintln(w, s)
}
