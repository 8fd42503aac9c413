package main

import (
	"strings"
	"testing"
)

// With no terminal, plain mode's note on the refresh token fits where it
// went: in stdout's JSON or env, in the profile --save wrote, or, kept
// nowhere, what to add next time (the device flow has no "new code").
func TestE2EPlainRefreshTokenNote(t *testing.T) {
	t.Parallel()
	_, tokenURL := newTokenEndpoint(t, 200, refreshedBody)
	run := "echo CODE1 | \"$NESTAUTH\" --provider custom --client-id cid --auth-url https://a.example/auth --token-url " + shq(tokenURL)
	for _, tt := range []struct {
		name, flags, want string
	}{
		{"json", " --format json", "The server also issued a refresh token: it is in the token response written to stdout."},
		{"env", " --format env", "The server also issued a refresh token: it is in the token response written to stdout."},
		{"save", " --save --store file", "The server also issued a refresh token: --save keeps it in profile default."},
		{"kept nowhere", "", "there is none here: to keep it next time, add --save (a profile) or --format json (the whole token response)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs", "NESTAUTH_CONFIG_DIR": t.TempDir()}
			out, errOut, code := runPiped(t, env, run+tt.flags)
			if code != 0 || !strings.Contains(out, "at-2") {
				t.Fatalf("exit %d, stdout %q; stderr:\n%s", code, out, errOut)
			}
			errOut = squashSpace(errOut)
			if !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "with a new code") || strings.Contains(errOut, "rt-2") {
				t.Errorf("stderr lacks %q (or names exchange, or shows the token):\n%s", tt.want, errOut)
			}
		})
	}
}
