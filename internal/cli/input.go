package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"

	"nestauth/auth"
	"nestauth/internal/output"
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

// readToken reads the token check and revoke use: from the --token-file
// contents, else stdin (hidden, after a prompt, on a terminal); the raw
// access token or anything nestauth writes (json, env, header).
func readToken(tokenFile string, stdin io.Reader, stderr io.Writer) (*auth.Token, error) {
	var data string
	switch f, ok := stdin.(*os.File); {
	case tokenFile != "":
		v, err := readSmallFile(tokenFile)
		if err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
		data = v
	case ok && term.IsTerminal(f.Fd()):
		v, err := readLine(stdin, stderr, "Access token")
		if err != nil {
			return nil, fmt.Errorf("reading the token: %w", err)
		}
		data = v
	default:
		b, err := io.ReadAll(io.LimitReader(stdin, maxValue+1))
		if err != nil {
			return nil, fmt.Errorf("reading the token from stdin: %w", err)
		}
		if len(b) > maxValue {
			return nil, errors.New("stdin is over 64 KiB: give the token, or what nestauth wrote")
		}
		data = string(b)
	}
	if trimValue(data) == "" {
		return nil, errors.New("no token: pass --token-file PATH or the token on stdin (the access token alone, or what exchange, --output or the wizard's w wrote)")
	}
	tok, err := output.Parse([]byte(data))
	if first, _, multi := strings.Cut(trimValue(data), "\n"); err != nil && multi {
		if t, ferr := output.Parse([]byte(first)); ferr == nil {
			return t, nil // a raw token on the first line, then other text
		}
	}
	return tok, err
}
