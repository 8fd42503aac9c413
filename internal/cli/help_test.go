package cli

import (
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
)

// Help goes to stdout, exit 0, with no escape codes when stdout is no
// terminal; an error is one line on stderr, with no usage after it.
func TestHelpOnStdoutErrorsOneLine(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"help", "exchange"}, {"exchange", "-h"}, {"token", "help"}} {
		r := runArgs(t, map[string]string{"NO_COLOR": "1"}, "", args...)
		if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, "USAGE") || strings.Contains(r.stdout, "\x1b") {
			t.Errorf("%q: exit %d, stderr %q, stdout:\n%s", args, r.code, r.stderr, r.stdout)
		}
	}
	for _, args := range [][]string{{"--bogus"}, {"exchnage"}, {"exchange", "--timeout"}, {"exchange", "extra"}} {
		r := runArgs(t, nil, "", args...)
		if r.code != exitUsage || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || strings.Contains(r.stderr, "\x1b") || strings.Contains(r.stderr, "Usage") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and one plain line", args, r.code, r.stdout, r.stderr)
		}
	}
}

// Shell completion offers --provider's presets and the saved profiles'
// names, read from profiles.conf alone.
func TestCompletionOffersProvidersAndProfiles(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "kitchen", ts, auth.Custom(), profile.File, time.Now())
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "--provider", ""}, []string{"sdm", "nest", "google", "github", "custom"}},
		{[]string{"__complete", "exchange", "--format", ""}, []string{"json", "token", "env", "header"}},
		{[]string{"__complete", "token", "--profile", ""}, []string{"kitchen"}},
		{[]string{"__complete", "--store", ""}, []string{"keyring", "file"}},
		{[]string{"completion", "bash"}, []string{"bash completion"}},
		{[]string{"completion", "zsh"}, []string{"compdef"}},
		{[]string{"completion", "fish"}, []string{"complete -c nestauth"}},
		{[]string{"completion", "powershell"}, []string{"Register-ArgumentCompleter"}},
	}
	for _, tt := range tests {
		r := runArgs(t, env, "", tt.args...)
		for _, w := range tt.want {
			if r.code != 0 || !strings.Contains(r.stdout, w) {
				t.Errorf("%q: exit %d, stdout lacks %q:\n%s", tt.args, r.code, w, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "secret") || strings.Contains(r.stdout, "refresh-0") {
			t.Errorf("%q: a secret in the completions:\n%s", tt.args, r.stdout)
		}
	}
}
