package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"nestauth/auth"
	"nestauth/internal/output"
	"nestauth/ui/tty"
)

// maxValue and trimValue are tty's rules for a value read from a file or
// stdin (trimValue: also the environment's).
const maxValue = tty.MaxValue

func trimValue(s string) string { return tty.TrimValue(s) }

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

// errLineTooLong: a line on stdin over maxValue is refused whole, as a file
// of that size is, never cut and sent.
var errLineTooLong = fmt.Errorf("the line is over %d KiB, so nothing was sent: give the value alone", maxValue>>10)

// readLine reads one value from stdin: with the echo off from a terminal,
// after a prompt on stderr; else the first line. Either is at most
// maxValue, without its line ending.
func readLine(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		fmt.Fprint(stderr, prompt+" (input hidden): ")
		b, err := tty.ReadHidden(f)
		fmt.Fprintln(stderr)
		if err == nil && len(b) > maxValue {
			return "", errLineTooLong
		}
		return trimValue(string(b)), err
	}
	// One byte past the cap tells a whole line of maxValue from a longer one.
	line, err := bufio.NewReader(io.LimitReader(stdin, maxValue+1)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	if len(strings.TrimRight(line, "\r\n")) > maxValue {
		return "", errLineTooLong
	}
	return trimValue(line), nil
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
