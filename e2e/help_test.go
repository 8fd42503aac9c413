package e2e

// Help, errors, completion and the man page from the real binary: on a
// terminal inside a tmux whose `tmux info` hangs, and on pipes.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hangingTmux puts on PATH a tmux that logs each call and then sleeps for
// a minute, as a wedged tmux server's `tmux info` does.
func hangingTmux(t *testing.T) (env map[string]string, logFile string) {
	t.Helper()
	bin := t.TempDir()
	logFile = filepath.Join(bin, "tmux.log")
	script := "#!/bin/sh\necho \"tmux $*\" >> " + shq(logFile) + "\nexec sleep 60\n"
	if err := os.WriteFile(filepath.Join(bin, "tmux"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"PATH": bin + ":" + os.Getenv("PATH"), "TMUX": "/tmp/tmux-1000/default,4242,0", "TERM": "xterm-256color"}, logFile
}

// On a terminal inside that tmux, help and an error come back at once:
// fang's writers never run colorprofile's `tmux info`.
func TestE2EHelpAndErrorsInAHangingTmux(t *testing.T) {
	t.Parallel()
	env, logFile := hangingTmux(t)
	start := time.Now()
	// The fake tmux is found by nestauth, not by the harness's real one:
	// startScript's tmux runs with the test's PATH.
	tm := startScript(t, 80, 24, env,
		"nestauth --help\nnestauth exchange --bogus\nnestauth help token\n"+exitLine)
	tm.exitCode()
	took := time.Since(start)
	screen := tm.must("capture-pane", "-p", "-J", "-S", "-", "-t", "s") // the history too
	for _, want := range []string{"exchange", "flag --bogus", "--min-valid"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if b, err := os.ReadFile(logFile); err == nil {
		t.Errorf("nestauth ran tmux:\n%s", b)
	}
	// Each call to the fake tmux takes 60 s: three commands in under 30 s
	// means none waited on it.
	if took > 30*time.Second {
		t.Errorf("help and an error took %v", took)
	}
}

// With stdout a pipe: help, completion and the man page go to stdout with
// exit 0 and no escape codes; an error is one plain line on stderr.
func TestE2EHelpCompletionAndManOnPipes(t *testing.T) {
	t.Parallel()
	env, logFile := hangingTmux(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "COMMANDS"},
		{[]string{"-h"}, "nestauth token"},
		{[]string{"help", "exchange"}, "--token-url"},
		{[]string{"exchange", "help"}, "--token-url"},
		{[]string{"completion", "bash"}, "complete -o default -F __start_nestauth nestauth"},
		{[]string{"completion", "zsh"}, "#compdef nestauth"},
		{[]string{"completion", "fish"}, "complete -c nestauth"},
		{[]string{"completion", "powershell"}, "Register-ArgumentCompleter"},
		{[]string{"man"}, ".TH"},
	} {
		stdout, stderr, code := runBin(t, env, "", tt.args...)
		if code != 0 || !strings.Contains(stdout, tt.want) || stderr != "" {
			t.Errorf("nestauth %v: exit %d, stderr %q, stdout lacks %q:\n%.300s", tt.args, code, stderr, tt.want, stdout)
		}
		if strings.Contains(stdout, "\x1b") && tt.args[0] != "completion" {
			t.Errorf("nestauth %v: escape codes on a pipe:\n%q", tt.args, stdout)
		}
	}
	stdout, stderr, code := runBin(t, env, "", "exchange", "--bogus")
	if code != 2 || stdout != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || strings.Contains(stderr, "\x1b") || !strings.Contains(stderr, "--bogus") {
		t.Errorf("unknown flag: exit %d, stdout %q, stderr %q; want 2 and one plain line", code, stdout, stderr)
	}
	if b, err := os.ReadFile(logFile); err == nil {
		t.Errorf("nestauth ran tmux:\n%s", b)
	}
}
