package e2e

// A token answer cut short: the code may be spent, nestauth says so, and
// the token that the cut answer holds never reaches stderr.

import (
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

func TestE2ECutAnswerSaysTheCodeMayBeSpent(t *testing.T) {
	t.Parallel()
	for name, raw := range map[string]string{
		"closed after the request": "",
		"200, body cut":            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"access_token\":\"ya29.E2E-CUT-TOKEN\",\"refresh_token\":\"1//E2E-CUT",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runBin(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "exchange", "--provider", "custom",
				"--client-id", "cid", "--token-url", testkit.RawTokenEndpoint(t, raw, 0), "--code", "CODE", "--no-pkce", "--redirect-uri", "https://example.com/cb")
			if code != 5 || stdout != "" || !strings.Contains(stderr, "the code may be used up") || strings.Contains(stderr, "try again") {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant 5, that the code may be used up, and no try again", code, stdout, stderr)
			}
			if strings.Contains(stderr, "E2E-CUT") {
				t.Errorf("stderr shows the cut answer's token:\n%s", stderr)
			}
		})
	}
}
