package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/internal/output"
	"nestauth/ui"
	"nestauth/ui/tty"
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
func say(w io.Writer, s string) { tty.Say(w, s) }

// failf prints an error line, "nestauth: " and the message, as say does.
func failf(w io.Writer, format string, a ...any) {
	say(w, "nestauth: "+fmt.Sprintf(format, a...))
}

// usageFailed prints a bad command line's error, found after the flags
// were read, and where the usage is.
func usageFailed(stderr io.Writer, c *command, err error) int {
	failf(stderr, "%v (see %s)", err, c.helpCommand())
	return exitUsage
}

// version is set at build time, as .ci/release does:
//
//	go build -ldflags "-X nestauth/internal/cli.version=1.2.3"
//
// Without it, --version shows the module version go install stamps, or dev.
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
	if err := roomFor(f, answerRoom); err != nil {
		return fmt.Errorf("stdout cannot take a token (%w): it would be lost, so nothing was sent", err)
	}
	return nil
}

// printResult writes a token where sink says (JSON on stdout by default),
// or prints an error as one line with what to do about it, and returns the
// exit code. A token that cannot be written goes to stderr instead; lost
// says what to do when stderr cannot take it either; its %s is where a run
// again must write (sink.retry).
func printResult(tok *auth.Token, err error, lost string, sink tokenSink, stdout, stderr io.Writer) int {
	if err != nil {
		return printError(stderr, err)
	}
	b, note, err := sink.render(tok)
	rendered := err == nil
	if rendered {
		err = sink.put(b, stdout)
	}
	if err != nil {
		// The token is issued and its code spent: the other stream gets it.
		if !rendered {
			b, _ = output.JSON(tok)
		}
		if len(b) == 0 {
			failf(stderr, "the token could not be written to %s: %v.", sink.where(), err)
			fmt.Fprintf(stderr, lost+"\n", sink.retry())
			return exitFailure
		}
		if b[len(b)-1] != '\n' {
			b = append(b, '\n')
		}
		failf(stderr, "the token could not be written to %s: %v. Here it is on stderr instead:", sink.where(), err)
		if _, werr := stderr.Write(b); werr != nil {
			fmt.Fprintf(stderr, lost+"\n", sink.retry())
		}
		return exitFailure
	}
	if note != "" {
		say(stderr, "nestauth: note: "+note)
	}
	if tok.Dropped != "" {
		say(stderr, "nestauth: note: "+tok.Dropped+".")
	}
	if sink.path != "" {
		say(stderr, fmt.Sprintf("nestauth: wrote the token to %s (mode %04o).", sink.path, output.FileMode))
	}
	return exitOK
}

// printError prints a failed exchange or refresh as one line, with what to
// do about it, and returns its exit code.
func printError(stderr io.Writer, err error) int {
	return printFailure(stderr, err, describe(asAuthError(err)), func(e *auth.Error) string { return e.Hint() })
}

// printAPIError prints a failed check or revoke as one line: what failed,
// what the server said, and what to do. It returns the exit code.
func printAPIError(stderr io.Writer, err error) int {
	what := describe(asAuthError(err))
	if auth.ErrorKind(err) == auth.KindCode {
		what = "token rejected"
	}
	return printFailure(stderr, err, what, func(*auth.Error) string { return auth.Advice(err) })
}

// printFailure prints err as one line, "what: the error. hint", and
// returns its exit code; an error that is not an *auth.Error is printed
// as it is, exit 1.
func printFailure(stderr io.Writer, err error, what string, hint func(*auth.Error) string) int {
	e := asAuthError(err)
	if e == nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	line := fmt.Sprintf("%s: %v.", what, e)
	if h := hint(e); h != "" {
		line += " " + h
	}
	failf(stderr, "%s", line)
	return exitStatus(e.Kind)
}

func asAuthError(err error) *auth.Error {
	var e *auth.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

func describe(e *auth.Error) string {
	if e == nil {
		return ""
	}
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

// tokenDelivery is how the wizard hands over the access token: on a
// terminal stdout, printed after the wizard ends (deliver is nil); into a
// pipe or file, written while the wizard still shows it, so that if the
// write fails the person can copy it from the screen. note says which.
func tokenDelivery(stdout io.Writer, sink tokenSink) (note string, deliver func(*auth.Token) error) {
	write := func(t *auth.Token) error { return sink.write(t, stdout) } // printWizardResult gives the note
	switch {
	case sink.path != "":
		return fmt.Sprintf("it went to %s (mode %04o)", sink.path, output.FileMode), write
	case isTerminal(stdout) && sink.format == "token":
		return "here it is, on one line for copying", nil
	case isTerminal(stdout):
		return "here it is, in " + sink.format + " format", nil
	}
	return "it went to stdout", write
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
func printWizardResult(m *ui.Model, sink tokenSink, stdout, stderr, screen io.Writer) int {
	switch {
	case m.Aborted():
		return exitAbort
	case m.Token() == nil:
		failf(stderr, "stopped before a token was fetched")
		return exitFailure
	case m.Revoked():
		failf(stderr, "the token was revoked in the wizard: it no longer works, so nothing went to %s; run nestauth again for a new one", sink.where())
		return exitFailure
	case m.DeliverErr() != nil:
		failf(stderr, "the token could not be written to %s: %v", sink.where(), m.DeliverErr())
		return exitFailure
	}
	if !m.Delivered() {
		if err := sink.write(m.Token(), stdout); err != nil {
			failf(stderr, "the token could not be written to %s: %v", sink.where(), err)
			return exitFailure
		}
	}
	if note := sink.fallbackNote(m.Token()); note != "" {
		failf(stderr, "note: %s", note)
	}
	if d := m.Token().Dropped; d != "" {
		failf(stderr, "note: %s.", d)
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
