package plain_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nestauth/internal/testkit"
)

var plainAuthURLRE = regexp.MustCompile(`(?m)^http://127\.0\.0\.1:\d+/auth\?\S+$`)

// Custom from the list asks what the wizard asks: the issuer (its metadata
// gives the endpoints and the openid scope), the scopes, the redirect URI.
func TestPlainCustomDiscovers(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-1","token_type":"Bearer"}`)
	ms := testkit.NewMetadataServer(t, func(d map[string]any) {
		d["token_endpoint"], d["scopes_supported"] = tokenURL, []string{"openid", "email"}
	})
	r := runArgs(t, nil, "5\n"+ms.URL+"\n\nhttps://example.com/cb\ncid\ncs\nabc\n", "--plain")
	if r.code != 0 || r.stdout != "at-1\n" {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, r.stderr, "Step 2: Issuer\n", "Found the endpoints in "+ms.URL+"/.well-known/openid-configuration.",
		"Step 3: Scopes\n", "Scopes (Enter for openid; - for the server's default): ",
		"Step 4: Redirect URI\n", "Step 7 of 9: Authorize\n")
	if strings.Contains(r.stderr, "Empty asks") || strings.Contains(r.stderr, " of 8") {
		t.Errorf("the scopes' intro contradicts the prompt, or the total changed:\n%s", r.stderr)
	}
	u, err := url.Parse(plainAuthURLRE.FindString(r.stderr))
	if err != nil || u.Query().Get("scope") != "openid" || u.Query().Get("redirect_uri") != "https://example.com/cb" || u.Query().Get("code_challenge") == "" {
		t.Errorf("authorization URL %v (%v): want the scope, the redirect URI and a PKCE challenge", u, err)
	}
	f := ep.Only(t).Form
	if f.Get("code") != "abc" || f.Get("redirect_uri") != "https://example.com/cb" || f.Get("code_verifier") == "" {
		t.Errorf("token request %v", f)
	}
	if strings.Contains(r.stderr, "needs its endpoints from flags") {
		t.Errorf("a dead end:\n%s", r.stderr)
	}
}

// No metadata: an empty line at the Issuer types the endpoints; a failed
// discovery asks again.
func TestPlainCustomTypedEndpoints(t *testing.T) {
	ep, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at-2","token_type":"Bearer"}`)
	ms := testkit.NewMetadataServer(t, nil) // 404
	stdin := strings.Join([]string{ms.URL, "", "ftp://x", "https://login.example.com/authorize", tokenURL, "read write", "", "cid", "cs", "abc"}, "\n") + "\n"
	r := runArgs(t, nil, stdin, "--plain", "--provider", "custom")
	if r.code != 0 || r.stdout != "at-2\n" {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, r.stderr, "Step 1: Issuer\n", "Error: Could not read the issuer's metadata", "press Enter on an empty line to type the endpoints",
		"Step 2: Authorization endpoint\n", "Step 3: Token endpoint\n", "Step 4: Scopes\nThe scopes to ask for",
		"Scopes (Enter for the server's default): ", "Step 5: Redirect URI\n", "Step 6 of 10: Client ID\n", "No --redirect-uri was given")
	if n := strings.Count(r.stderr, "Authorization endpoint: "); n != 2 {
		t.Errorf("the authorization endpoint was asked %d times, want 2 (ftp refused):\n%s", n, r.stderr)
	}
	if u := regexp.MustCompile(`(?m)^https://login\.example\.com/authorize\?\S+$`).FindString(r.stderr); !strings.Contains(u, "scope=read+write") {
		t.Errorf("authorization URL %q: want the scopes", u)
	}
	ep.Only(t)
}
