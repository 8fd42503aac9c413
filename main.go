// Command nestauth is a terminal wizard that gets an OAuth 2.0 access token
// for Nest devices (Google Device Access, or the legacy Works with Nest) or
// any OAuth 2.0 provider, with no curl command.
//
// main.go is wiring only; the commands live in internal/cli.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"nestauth/internal/cli"
	_ "nestauth/internal/hidetmux" // first to initialize: see its doc
)

// secretEnv lists the environment variables that hold secrets.
var secretEnv = []string{"NESTAUTH_CLIENT_SECRET"}

func main() {
	// TMUX stays hidden (hidetmux hid it while lipgloss initialized) until a
	// command runs: cli puts it back then, for the programs it starts.
	getenv := takeSecrets()
	// A write to a closed pipe then fails with EPIPE, which is reported,
	// instead of killing nestauth without a word.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, getenv))
}

// takeSecrets removes the secrets from the process environment, so that no
// child (a browser, xclip holding the selection) inherits them, and returns
// a getenv that still sees them.
func takeSecrets() func(string) string {
	taken := map[string]string{}
	for _, k := range secretEnv {
		if v, ok := os.LookupEnv(k); ok {
			taken[k] = v
			_ = os.Unsetenv(k)
		}
	}
	return func(k string) string {
		if v, ok := taken[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
}
