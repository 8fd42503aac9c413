// Package cli is nestauth's command line, on cobra with fang's help and
// errors: the wizard is the root command, and each other command has a file
// of its own holding its cobra.Command, its flags and its run.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"nestauth/internal/hidetmux"
	"nestauth/internal/signals"
)

// app is one run of nestauth: its streams, its environment, and the exit
// status its command left.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	showVersion    bool
	status         int
	parsed         func(*options) // tests: called with the checked options instead of the run
	terminal       stdinTerminal  // os.Stdin, hidden from fang's colour query
	// The token requests' context and the guard that holds signals back
	// while one is out (requestContext); nil until a request is near.
	ctx         context.Context
	guard       *signals.Guard
	exitProcess func(int) // os.Exit
}

// helpOutput is where help goes: stdout, seen by fang as no terminal (so
// with no escape codes) when NO_COLOR is set.
func (a *app) helpOutput() io.Writer {
	if a.getenv("NO_COLOR") != "" {
		return struct{ io.Writer }{a.stdout}
	}
	return a.stdout
}

// darkScheme is fang's palette for a dark background, nestauth's default:
// fang would ask the terminal, which may never answer (hideStdinTerminal).
func darkScheme(lipgloss.LightDarkFunc) fang.ColorScheme {
	return fang.DefaultColorScheme(lipgloss.LightDark(true))
}

// printError prints a bad command line's error: fang's styled block on a
// terminal, one plain line otherwise or with NO_COLOR. Errors a command
// has reported itself are not printed again.
func (a *app) printError(w io.Writer, styles fang.Styles, err error) {
	if a.getenv("NO_COLOR") != "" || !isTerminal(a.stderr) {
		failf(a.stderr, "%s", err)
		return
	}
	fang.DefaultErrorHandler(w, styles, err)
}

// add makes cmd run c with o: flags checked, then run, its status kept.
// TMUX is back in the environment only while run runs, for the programs it
// starts: fang's help and errors detect colours without `tmux info`, which
// has no time limit.
func (a *app) add(cmd *cobra.Command, c *command, o *options, run func(*options) int) *cobra.Command {
	cmd.Args = a.noArgs
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.DisableFlagsInUseLine = true
	cmd.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return flagError(c, cmd, err) })
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 1 { // nestauth exchange help
			return cmd.Help()
		}
		if a.showVersion {
			return a.exit(printVersion(a.stdout, a.stderr))
		}
		if err := o.complete(c, cmd.Flags(), a.getenv); err != nil {
			if u := untrusted(err); u != nil { // the settings' fault, not the command line's
				failf(a.stderr, "%v", u)
				return a.exit(exitFailure)
			}
			return err
		}
		if a.parsed != nil {
			a.parsed(o)
			return nil
		}
		if err := checkStdout(a.stdout); c.writesToken && o.sink.path == "" && err != nil {
			failf(a.stderr, "%v", err)
			return a.exit(exitFailure)
		}
		hidetmux.Shown(func() {
			a.terminal.shown(func() {
				if !c.wizard && o.issuer != "" {
					if a.status = discoverIssuer(o, a.stderr); a.status != exitOK {
						return
					}
				}
				a.status = a.signalStatus(run(o))
			})
		})
		return nil // the status is a.status: fang's error path is for the command line
	}
	return cmd
}

// exit keeps the status of a command that ends before its run.
func (a *app) exit(status int) error {
	a.status = status
	return nil
}

// noArgs refuses arguments: no command takes any, but "help".
func (a *app) noArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0 || len(args) == 1 && args[0] == "help":
		return nil
	case cmd.HasSubCommands():
		msg := fmt.Sprintf("unknown command %q: 'nestauth --help' lists the commands", args[0])
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return usageError{msg}
	}
	return usagef("unexpected argument %q (see %s --help)", args[0], cmd.CommandPath())
}

// requestContext is the context of the run's token requests. From the
// first call on, SIGINT, SIGTERM and SIGHUP stop nestauth at once while no
// request is out, and wait, once one may have reached the server, until
// its answer is delivered: the run's end (add), or an idle device poll.
func (a *app) requestContext() context.Context {
	if a.guard == nil {
		a.ctx, a.guard = signals.Watch(context.Background(), a.stopNow, a.heldBack)
	}
	return a.ctx
}

// stopNow ends nestauth for a signal that came while no request was out.
func (a *app) stopNow(sig os.Signal) {
	failf(a.stderr, "canceled: no token was fetched (%s).", signals.Name(sig))
	a.exitProcess(signals.Status(sig))
}

// heldBack says why a signal does not stop nestauth at once.
func (a *app) heldBack(sig os.Signal) {
	say(a.stderr, fmt.Sprintf("nestauth: %s: the token request may have reached the server, so nestauth first keeps its answer (within --timeout), then stops.", signals.Name(sig)))
}

// signalStatus is the run's exit status once its answer was delivered: a
// signal held back makes it the signal's.
func (a *app) signalStatus(status int) int {
	if sig := a.guard.Stop(); sig != nil {
		return signals.Status(sig)
	}
	return status
}
