// Package hidetmux hides TMUX from the environment while the packages
// nestauth imports initialize, and while fang prints help and errors; a
// command runs inside Shown, which puts it back for the programs it starts.
//
// lipgloss v2 builds a package-level writer at init (lipgloss.Writer, in
// writer.go) whose colour detection runs `tmux info`, with no time limit,
// when stdout is a terminal and TMUX is set: a process start for every
// command, even --version, and a hang if the tmux server does not answer.
// nestauth never uses that writer.
//
// Go initializes, at each step, the first package by import path whose
// imports are all initialized (the spec's "Package initialization"). This
// package imports only os, and its path sorts before os/exec, which the
// colour detection imports: so it always initializes before lipgloss.
// Keep its imports to os.
package hidetmux

import "os"

var tmux, inTmux = os.LookupEnv("TMUX")

func init() {
	if inTmux {
		_ = os.Unsetenv("TMUX")
	}
}

// Shown runs f with TMUX back in the environment, for the programs f starts,
// and hides it again after.
func Shown(f func()) {
	if inTmux {
		_ = os.Setenv("TMUX", tmux)
		defer os.Unsetenv("TMUX")
	}
	f()
}
