package cli

import (
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// badRefreshAnswer issues a good access token beside a refresh token a
// shell would run: a refresh token a token cannot be.
const badRefreshAnswer = `{"access_token":"okAT","refresh_token":"r'\n$(x)","token_type":"Bearer","expires_in":3600}`

// A refresh token that is not printable ASCII never costs the access token
// (the code is spent): the access token is printed, stderr says the refresh
// token was dropped and why, exit 0.
func TestBadRefreshTokenKeepsTheAccessToken(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	t.Run("exchange", func(t *testing.T) {
		_, tokenURL := testkit.NewTokenEndpoint(t, 200, badRefreshAnswer)
		r := runArgs(t, secret, "CODE1\n", "exchange", "--no-pkce", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL, "--format", "env")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "NESTAUTH_ACCESS_TOKEN='okAT'\n") || strings.Contains(r.stdout, "REFRESH") || strings.Contains(r.stdout, "$(x)") {
			t.Fatalf("exit %d, stdout %q; want 0 and the access token alone; stderr:\n%s", r.code, r.stdout, r.stderr)
		}
		wantStderr(t, r.stderr, "refresh token", "dropped", "printable ASCII", "sign in again")
		if strings.Contains(r.stderr, "$(x)") {
			t.Errorf("stderr shows the dropped token: %s", r.stderr)
		}
	})
	t.Run("refresh keeps the one sent", func(t *testing.T) {
		_, tokenURL := testkit.NewTokenEndpoint(t, 200, badRefreshAnswer)
		r := runArgs(t, secret, "rt-1\n", "refresh", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL)
		tok := testkit.DecodeToken(t, r.stdout)
		if r.code != exitOK || tok.AccessToken != "okAT" || tok.RefreshToken != "rt-1" {
			t.Fatalf("exit %d, token %+v; want okAT and the refresh token sent; stderr:\n%s", r.code, tok, r.stderr)
		}
		wantStderr(t, r.stderr, "dropped", "the refresh token sent is kept")
	})
	t.Run("token --profile", func(t *testing.T) {
		env, st := profiletest.Env(t)
		ts := profiletest.NewTokenServer(t, "client", "client-secret", "refresh-0")
		saveCustom(t, st, "p", ts, auth.Custom(), profile.File, time.Now().Add(-time.Hour))
		ep, tokenURL := testkit.NewTokenEndpoint(t, 200, badRefreshAnswer)
		p, err := st.Load("p")
		if err != nil {
			t.Fatal(err)
		}
		p.Settings.TokenURL = tokenURL
		if _, err := st.Save("p", p.Settings, p.Secrets); err != nil {
			t.Fatal(err)
		}
		r := runArgs(t, env, "", "token", "--profile", "p")
		if r.code != exitOK || r.stdout != "okAT\n" || ep.Count() != 1 {
			t.Fatalf("exit %d, stdout %q after %d requests; want okAT after one; stderr:\n%s", r.code, r.stdout, ep.Count(), r.stderr)
		}
		wantStderr(t, r.stderr, "dropped")
		if p, err := st.Load("p"); err != nil || p.Secrets.RefreshToken != "refresh-0" || p.Secrets.AccessToken != "okAT" {
			t.Errorf("the profile holds %+v, %v; want okAT and the old refresh token", p.Secrets, err)
		}
	})
}

// The repro: a token endpoint that echoes the client secret
// percent-encoded (with "/" left as it was) and in base64 gets neither
// printed.
func TestEchoedSecretEncodingsAreRedacted(t *testing.T) {
	const secret = "S3CR3T-x/y+z&q"
	ep, tokenURL := testkit.NewTokenEndpoint(t, 400, `{"error":"invalid_client","error_description":"pct=S3CR3T-x/y%2Bz%26q b64=UzNDUjNULXgveSt6JnE="}`)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": secret}, "CODE1\n", "exchange", "--no-pkce", "--provider", "custom", "--client-id", "cid", "--token-url", tokenURL)
	if r.code != exitRejectedClient || ep.Count() != 1 {
		t.Fatalf("exit %d after %d requests; want 4 after one; stderr:\n%s", r.code, ep.Count(), r.stderr)
	}
	wantStderr(t, r.stderr, "pct=[redacted] b64=[redacted]")
	for _, form := range []string{"S3CR3T", "y%2Bz%26q", "UzNDUjNULXgveSt6JnE"} {
		if strings.Contains(r.stderr, form) {
			t.Errorf("stderr shows the secret as %q:\n%s", form, r.stderr)
		}
	}
}
