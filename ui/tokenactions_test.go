package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/auth/fakenest"
)

// atFakeToken is the wizard on the Access token step with a token the fake
// Works with Nest server issued, its API and revocation pointed at the fake.
func atFakeToken(t *testing.T) (Model, *fakenest.Server, *recorder) {
	t.Helper()
	fake := fakenest.NewTest(t, "id", "secret")
	p := nestProvider()
	p.APIURL, p.RevokeURL = fake.APIURL(), fake.RevokeURL()
	tok := fake.IssueToken()
	ex := &fakeExchanger{answers: []func(context.Context) (*auth.Token, error){
		func(context.Context) (*auth.Token, error) {
			return &auth.Token{AccessToken: tok, TokenType: "Bearer"}, nil
		},
	}}
	m, _, rec := atCode(t, Options{Providers: []auth.Provider{p}, Exchanger: ex})
	m = typeString("X", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	return m, fake, rec
}

func TestVerifyShowsWhatTheTokenReaches(t *testing.T) {
	m, fake, _ := atFakeToken(t)
	wantView(t, m, "v verify", "w write file", "x revoke", "h copy header", "u copy curl")
	m = send(t, m, char('v'))
	wantView(t, m, "✓ The token works", "via "+fake.UserURL(), "Homes: "+fakenest.DemoStructure,
		"THERMOSTAT "+fakenest.DemoThermostat+" ("+fakenest.DemoRoom+")")
	if m.actions.call.running {
		t.Error("the call still runs after its answer")
	}
}

func TestVerifyEmptyDeviceList(t *testing.T) {
	var auths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		_, _ = w.Write([]byte("{}"))
	}))
	t.Cleanup(api.Close)
	p := sdmProvider()
	p.APIURL = api.URL
	m := atToken(t, Options{Providers: []auth.Provider{p}, ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"})
	m = send(t, m, char('v'))
	wantView(t, m, "✓ The token works", "none was shared on Google's permission screen", "Partner Connections Manager")
	want := "GET /v1/enterprises/0a1b2c3d-1234-5678-9abc-0123456789ab/devices Bearer c.token-for-X"
	if len(auths) != 1 || auths[0] != want {
		t.Errorf("the API got %q, want %q", auths, want)
	}
}

func TestVerifyRefused(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`))
	}))
	t.Cleanup(api.Close)
	p := sdmProvider()
	p.APIURL = api.URL
	m := atToken(t, Options{Providers: []auth.Provider{p}, ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"})
	m = send(t, m, char('v'))
	wantView(t, m, "✗ The server refused: UNAUTHENTICATED: Request had invalid authentication credentials. (HTTP 401)",
		"Google did not accept the access token: it has expired")
	if m.actions.checked != nil {
		t.Error("a refused check left a result that says the token works")
	}
}

// A 403 whose words say the token is invalid (Dex's userinfo) is a token the
// server did not accept, as a 401 is; a 403 about a scope stays a scope answer.
func TestVerifyTokenInvalidAt403(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{
			name: "Dex: access_denied, token expired",
			body: `{"error":"access_denied","error_description":"oidc: token is expired (Token Expiry: 2030-01-02 03:04:05 +0000 UTC)"}`,
			want: []string{"✗ The server refused: Access_denied: oidc: token is expired", "(HTTP 403)", "The server did not accept the access token"},
		},
		{
			name: "about a scope",
			body: `{"error":"insufficient_scope","error_description":"The token lacks the scope groups"}`,
			want: []string{"✗ The server refused: Insufficient_scope", "it lacks a scope or a permission"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(api.Close)
			p := auth.Custom()
			p.AuthURL, p.TokenURL, p.CheckURL = "https://idp.test/auth", "https://idp.test/token", api.URL+"/userinfo"
			m := atToken(t, Options{Providers: []auth.Provider{p}})
			m = send(t, m, char('v'))
			wantView(t, m, tt.want...)
			if m.actions.checked != nil {
				t.Error("a refused check left a result that says the token works")
			}
		})
	}
}

// The file prompt writes the JSON with mode 0600, asks before replacing a
// file, and replaces it only on y.
func TestWriteFile(t *testing.T) {
	m := atToken(t, Options{})
	path := filepath.Join(t.TempDir(), "tok.json")
	m = send(t, m, char('w'))
	wantView(t, m, "Write the token (JSON", "> "+DefaultTokenFile, "enter write", "esc cancel")
	m.actions.write.input.SetValue(path)
	m = send(t, m, enter)
	wantView(t, m, "Wrote the token to "+path+" (mode 0600")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file %v (err %v), want mode 0600", fi, err)
	}
	b, _ := os.ReadFile(path)
	var got auth.Token
	if err := json.Unmarshal(b, &got); err != nil || got.AccessToken != "c.token-for-X" {
		t.Fatalf("file holds %s (err %v), want the token's JSON", b, err)
	}

	// Again: the file exists. n keeps it and goes back to the token: the
	// next key is a key, not part of the name.
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, char('w'))
	m.actions.write.input.SetValue(path)
	m = send(t, m, enter)
	wantView(t, m, path+" exists. Replace it?", "y replace", "n/esc keep")
	m = send(t, m, char('n'))
	if b, _ := os.ReadFile(path); string(b) != "keep me" || m.actions.write.open {
		t.Fatalf("after n: file %q, prompt open %v; want the file kept and the prompt closed", b, m.actions.write.open)
	}
	wantView(t, m, "Kept "+path+" as it is.", "w write file")
	// esc answers as n does.
	m = send(t, m, char('w'))
	m.actions.write.input.SetValue(path)
	m = send(t, m, enter)
	m = send(t, m, esc)
	wantStep(t, m, stepToken)
	wantView(t, m, "Kept "+path+" as it is.", "w write file")
	// And y replaces it.
	m = send(t, m, char('w'))
	m.actions.write.input.SetValue(path)
	m = send(t, m, enter)
	m = send(t, m, char('y'))
	wantView(t, m, "Wrote the token to "+path)
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "c.token-for-X") {
		t.Fatalf("after y the file holds %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file has mode %v", fi.Mode().Perm())
	}
	// esc cancels the prompt; keys typed there are the name, not actions.
	m = send(t, m, char('w'))
	m = typeString("xq", m, t)
	if m.actions.confirm != confirmNone || m.done {
		t.Fatal("x or q in the file name prompt acted")
	}
	m = send(t, m, esc)
	wantStep(t, m, stepToken)
	wantView(t, m, "Nothing was written.", "w write file")
}

func TestRevoke(t *testing.T) {
	m, fake, _ := atFakeToken(t)
	tok := m.token.AccessToken
	m = send(t, m, char('x'))
	wantView(t, m, "Revoke this token at the provider?", "y revoke", "n/esc keep")
	m = send(t, m, char('n'))
	if !fake.TokenValid(tok) || m.Revoked() {
		t.Fatal("n revoked the token")
	}
	wantView(t, m, "Kept the token")
	m = send(t, m, char('x'))
	m = send(t, m, char('y'))
	if fake.TokenValid(tok) || !m.Revoked() {
		t.Fatalf("after x y: valid at the fake %v, Revoked() %v", fake.TokenValid(tok), m.Revoked())
	}
	wantView(t, m, "✗ Revoked: this token no longer works.", "v verify", "q/enter done", "esc another code")
	if strings.Contains(view(m), "c copy token") {
		t.Error("the help still offers to copy a revoked token")
	}
	// The API now refuses it, in words, as revoking meant it to: no advice
	// about an expired token or refreshing it.
	m = send(t, m, char('v'))
	wantView(t, m, "The API refused the revoked token, as it should", "(HTTP 401)")
	if v := view(m); strings.Contains(v, "expired") || strings.Contains(v, "refresh") {
		t.Errorf("v on a revoked token blames expiry:\n%s", v)
	}
	// Nothing pretends it still works.
	for _, k := range "chuw" {
		m = send(t, m, char(k))
		wantView(t, m, "The token is revoked: it no longer works, so it is not copied or written.")
	}
	// Finishing hands nothing on.
	delivered := false
	m.opts.Deliver = func(*auth.Token) error { delivered = true; return nil }
	m = send(t, m, char('q'))
	if !m.done || delivered {
		t.Errorf("q after revoking: done %v, delivered %v; want done, nothing delivered", m.done, delivered)
	}
	// One message says so, main's, with what to do next: none in the frame.
	if v := view(m); strings.Contains(v, "revoked") || strings.Contains(v, "Revoked") {
		t.Errorf("the final frame repeats main's message:\n%s", v)
	}
}

// A new token after esc starts with nothing revoked or verified.
func TestNewTokenResetsTheActions(t *testing.T) {
	m, _, _ := atFakeToken(t)
	m = send(t, m, char('x'))
	m = send(t, m, char('y'))
	m = send(t, m, esc)
	wantStep(t, m, stepAuthorize)
	m = send(t, m, enter)
	m = typeString("Y", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if m.Revoked() {
		t.Fatal("the new token is marked revoked")
	}
	wantView(t, m, "c copy token", "x revoke")
}

func TestCopyHeaderAndCurl(t *testing.T) {
	m, fake, rec := atFakeToken(t)
	tok := m.token.AccessToken
	m = send(t, m, char('h'))
	wantView(t, m, "Copied the Authorization header")
	m = send(t, m, char('u'))
	wantView(t, m, "Copied a curl command for "+fake.APIURL()+"/")
	want := []string{
		"Authorization: Bearer " + tok,
		"curl -sS -H 'Authorization: Bearer " + tok + "' '" + fake.APIURL() + "/'",
	}
	if strings.Join(rec.copied, "\n") != strings.Join(want, "\n") {
		t.Errorf("copied %q, want %q", rec.copied, want)
	}
}

// A custom provider without --check-url has no API to call: v and u say so.
func TestVerifyCustomWithoutCheckURL(t *testing.T) {
	p := auth.Custom()
	p.AuthURL, p.TokenURL = "https://idp.test/auth", "https://idp.test/token"
	m := atToken(t, Options{Providers: []auth.Provider{p}})
	for _, k := range "vu" {
		m = send(t, m, char(k))
		wantView(t, m, "--check-url")
	}
}
