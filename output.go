package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"unicode"
	"unicode/utf16"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui"
)

// Exit codes, as the usage text lists them.
const (
	exitOK             = 0
	exitFailure        = 1   // or stdout could not take the token
	exitUsage          = 2   // a bad command line or value; nothing was sent
	exitRejectedCode   = 3   // the code or refresh token was rejected
	exitRejectedClient = 4   // the client, redirect URI, scope or request was rejected
	exitServer         = 5   // no answer, or an answer without a token
	exitAbort          = 130 // ctrl+c, as a shell reports SIGINT
)

const lostToken = "the token could not be written to stdout"

// exitStatus is the exit status of exchange and refresh for an error of kind k.
func exitStatus(k auth.Kind) int {
	switch k {
	case auth.KindUsage:
		return exitUsage
	case auth.KindCode:
		return exitRejectedCode
	case auth.KindClientID, auth.KindSecret, auth.KindRedirect, auth.KindScope, auth.KindRequest:
		return exitRejectedClient
	case auth.KindCanceled:
		return exitAbort
	}
	return exitServer
}

// say prints prose on w, wrapped at word boundaries to the width of the
// terminal w is; anywhere else, on one line.
func say(w io.Writer, s string) {
	if width := terminalWidth(w); width > 0 {
		s = ui.WrapText(s, width)
	}
	fmt.Fprintln(w, s)
}

// failf prints an error line, "nestauth: " and the message, as say does.
func failf(w io.Writer, format string, a ...any) {
	say(w, "nestauth: "+fmt.Sprintf(format, a...))
}

// usageFailed prints a bad command line's error and where the usage is.
func usageFailed(stderr io.Writer, cmd string, err error) int {
	failf(stderr, "%v", err)
	help := "nestauth --help"
	if cmd != "wizard" {
		help = "nestauth " + cmd + " --help"
	}
	fmt.Fprintf(stderr, "Run '%s' for usage.\n", help)
	return exitUsage
}

// printHelp prints cmd's usage text; asked for, it is no error.
func printHelp(stderr io.Writer, cmd string) int {
	fmt.Fprint(stderr, usageText[cmd])
	return exitOK
}

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func printVersion(stdout, stderr io.Writer) int {
	if _, err := fmt.Fprintln(stdout, "nestauth", buildVersion()); err != nil {
		failf(stderr, "writing the version to stdout: %v", err)
		return exitFailure
	}
	return exitOK
}

func buildVersion() string {
	v := version
	bi, ok := debug.ReadBuildInfo()
	if v == "" && ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "dev"
	}
	if !ok {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v + ", " + bi.GoVersion
}

// checkStdout fails, before anything is sent, when stdout cannot take the
// token: a code must not be spent on a token with nowhere to go. A write of
// nothing finds a read-only stdout or /dev/full without output.
func checkStdout(stdout io.Writer) error {
	f, ok := stdout.(*os.File)
	if !ok {
		return nil
	}
	if _, err := f.Write(nil); err != nil {
		return fmt.Errorf("stdout cannot be written (%w): the token would be lost, so nothing was sent", err)
	}
	if closedAtStart(f) {
		return errors.New("stdout cannot be written (it was closed): the token would be lost, so nothing was sent")
	}
	return nil
}

// printResult prints a token as JSON, or an error as one line with what to
// do about it, and returns the exit code. lost says what to do when the
// token cannot be written.
func printResult(tok *auth.Token, err error, lost string, stdout, stderr io.Writer) int {
	if err != nil {
		return printError(stderr, err)
	}
	out, err := encodeToken(tok)
	if err == nil {
		_, err = stdout.Write(out)
	}
	if err != nil {
		failf(stderr, "%s: %v.", lostToken, err)
		if isTerminal(stderr) { // a person is watching: better here than lost
			fmt.Fprintf(stderr, "Here it is on the terminal instead:\n%s", out)
		} else {
			fmt.Fprintln(stderr, lost)
		}
		return exitFailure
	}
	return exitOK
}

// printError prints a failed exchange or refresh as one line, with what to
// do about it, and returns its exit code.
func printError(stderr io.Writer, err error) int {
	var e *auth.Error
	if !errors.As(err, &e) {
		failf(stderr, "%v", err)
		return exitFailure
	}
	line := fmt.Sprintf("%s: %v.", describe(e), e)
	if hint := e.Hint(); hint != "" {
		line += " " + hint
	}
	failf(stderr, "%s", line)
	return exitStatus(e.Kind)
}

func describe(e *auth.Error) string {
	switch e.Kind {
	case auth.KindCode:
		if e.Refresh {
			return "refresh token rejected"
		}
		return "code rejected"
	case auth.KindClientID, auth.KindSecret:
		return "client rejected"
	case auth.KindRedirect:
		return "redirect URI rejected"
	case auth.KindScope:
		return "scope rejected"
	case auth.KindRequest:
		return "request rejected"
	case auth.KindNetwork:
		return "network error"
	case auth.KindUsage:
		return "usage"
	}
	return "server error"
}

// encodeToken is the token as indented JSON, every string made safe to show.
func encodeToken(tok *auth.Token) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tok); err != nil {
		return nil, err
	}
	return escapeInvisible(b.Bytes()), nil
}

// escapeInvisible writes, in JSON text, every control and format character
// (C1 controls, bidi overrides and isolates, zero-width characters) as its
// \u escape. A JSON reader gets the same string; a terminal showing the
// output is not steered by it. json.Encoder escapes only C0 controls and
// U+2028/U+2029. Outside strings JSON text is ASCII, so only strings change.
func escapeInvisible(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if r < 0x7f || !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			out.WriteRune(r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
			fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2)
		} else {
			fmt.Fprintf(&out, `\u%04x`, r)
		}
	}
	return out.Bytes()
}

// tokenDelivery is how the wizard hands over the access token: on a
// terminal stdout, printed after the wizard ends (deliver is nil); into a
// pipe or file, written while the wizard still shows it, so that if the
// write fails the person can copy it from the screen. note says which.
func tokenDelivery(stdout io.Writer) (note string, deliver func(*auth.Token) error) {
	if isTerminal(stdout) {
		return "here it is, on one line for copying", nil
	}
	return "it went to stdout", func(t *auth.Token) error {
		_, err := fmt.Fprintln(stdout, t.AccessToken)
		return err
	}
}

// printRunError reports a wizard that could not run to its end.
func printRunError(stderr io.Writer, err error) int {
	switch {
	case errors.Is(err, tea.ErrInterrupted):
		return exitAbort // SIGINT
	case errors.Is(err, tea.ErrProgramKilled):
		failf(stderr, "stopped before a token was fetched")
		return exitFailure
	}
	failf(stderr, "the wizard could not run: %v", err)
	if strings.Contains(err.Error(), "TTY") {
		failf(stderr, "%v", errNoTerminal)
	}
	return exitFailure
}

// printWizardResult prints what the wizard ended with: the access token
// whole on stdout (a wrapped token would copy with newlines), unless it was
// delivered already, and the refresh token on the screen.
func printWizardResult(m *ui.Model, stdout, stderr, screen io.Writer) int {
	switch {
	case m.Aborted():
		return exitAbort
	case m.Token() == nil:
		failf(stderr, "stopped before a token was fetched")
		return exitFailure
	case m.DeliverErr() != nil:
		failf(stderr, "%s: %v", lostToken, m.DeliverErr())
		return exitFailure
	}
	if !m.Delivered() {
		if _, err := fmt.Fprintln(stdout, m.Token().AccessToken); err != nil {
			failf(stderr, "%s: %v", lostToken, err)
			return exitFailure
		}
	}
	if rt := m.Token().RefreshToken; rt != "" {
		// On the screen, not stdout, which holds the access token alone;
		// without this a piped run would lose the long-lived token.
		say(screen, "Refresh token (for nestauth refresh):")
		fmt.Fprintln(screen, rt) // whole, like the access token
		if warn := m.Provider().RefreshTokenWarning(); warn != "" {
			say(screen, warn)
		}
	}
	return exitOK
}
