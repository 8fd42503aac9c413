package cli

import (
	"context"
	"io"
	"os"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
)

// Main runs nestauth with args (without the program name) and returns the
// exit status. getenv sees the secrets that main took out of the environment.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return runCLI(args, stdin, stdout, stderr, getenv)
}

func runCLI(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if secretFlagGiven(args) { // before any parser could echo the value
		failf(stderr, "the client secret is never a command-line value (it would show in ps and shell history): set NESTAUTH_CLIENT_SECRET or use --client-secret-file PATH")
		return exitUsage
	}
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, exitProcess: os.Exit}
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(a.helpOutput())
	root.SetErr(stderr)
	a.terminal = hideStdinTerminal()
	defer a.terminal.restore()
	err := fang.Execute(context.Background(), root,
		fang.WithoutVersion(), // --version is nestauth's own: its write is checked
		fang.WithColorSchemeFunc(darkScheme),
		fang.WithErrorHandler(a.printError))
	if err != nil {
		return exitUsage // cobra's and the checks' errors are all about the command line
	}
	return a.status
}

// newRootCmd is nestauth's command tree: the wizard, and under it each
// command.
func (a *app) newRootCmd() *cobra.Command {
	root := a.newCmdWizard()
	root.PersistentFlags().BoolVar(&a.showVersion, "version", false, "print the version")
	root.AddCommand(
		a.newCmdExchange(),
		a.newCmdRefresh(),
		a.newCmdToken(),
		a.newCmdProfiles(),
		a.newCmdForget(),
		a.newCmdCheck(),
		a.newCmdRevoke(),
		a.newCmdDevice(),
	)
	return root
}
