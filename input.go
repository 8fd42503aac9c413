package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"
)

// maxValue bounds a value read from a file or stdin: a device or a wrong
// path must not fill memory.
const maxValue = 64 << 10

// trimValue is the one rule for a value from the environment, a file or
// stdin: white space and a byte order mark (an editor's) around it dropped.
func trimValue(s string) string {
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "\uFEFF"))
}

// readSmallFile reads a secret, code or token file: at most maxValue, trimmed.
func readSmallFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxValue+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxValue {
		return "", fmt.Errorf("%s is over 64 KiB: is it the right file?", path)
	}
	return trimValue(string(b)), nil
}

// readLine reads one value from stdin: with the echo off from a terminal,
// after a prompt on stderr; else the first line, at most maxValue.
func readLine(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		fmt.Fprint(stderr, prompt+" (input hidden): ")
		b, err := readHidden(f)
		fmt.Fprintln(stderr)
		return trimValue(string(b)), err
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, maxValue)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return trimValue(line), nil
}

// readHidden reads a line without echo. ctrl+c, or a hangup, quit or
// termination signal, ends the program with the terminal's echo restored,
// which term.ReadPassword alone would leave off.
func readHidden(f *os.File) ([]byte, error) {
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
