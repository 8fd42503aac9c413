package cli

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// RFC 6749 §A.12: an access token is 1*VSCHAR, and VSCHAR (%x20-7E) has the
// space. exchange prints such a token in every format.
func TestRunExchangeTokenWithSpace(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "x"}
	for format, want := range map[string]string{"token": "a b\n", "header": "Authorization: Bearer a b\n"} {
		t.Run(format, func(t *testing.T) {
			_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"a b","token_type":"Bearer"}`)
			r := runArgs(t, secret, "", "exchange", "--provider", "nest", "--client-id", "X", "--code", "abc", "--token-url", tokenURL, "--format", format)
			if r.code != 0 || r.stdout != want || r.stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and %q", r.code, r.stdout, r.stderr, want)
			}
		})
	}
}

// A token the format cannot show goes out as JSON with a note: its code is
// spent, so losing it would cost the person a new one.
func TestRunExchangeFormatFallsBackToJSON(t *testing.T) {
	_, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"mac-1","token_type":"mac","expires_in":60}`)
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "x"}, "", "exchange", "--provider", "nest", "--client-id", "X",
		"--code", "abc", "--token-url", tokenURL, "--format", "header")
	if r.code != 0 || testkit.DecodeJSON(t, r.stdout)["access_token"] != "mac-1" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and the JSON", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"--format header cannot show this token", "not a Bearer token", "went to stdout as JSON instead"} {
		if !strings.Contains(testkit.SquashSpace(r.stderr), want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "stdout it can write") {
		t.Errorf("stderr blames stdout, which took the token:\n%s", r.stderr)
	}
}

// The wizard's deliver path (stdout a pipe) falls back the same way, and
// the note comes after the wizard.
func TestWizardDeliverFallsBackToJSON(t *testing.T) {
	var stdout bytes.Buffer
	sink := tokenSink{format: "header"}
	_, deliver := tokenDelivery(&stdout, sink)
	tok := &auth.Token{AccessToken: "mac-1", TokenType: "mac"}
	if err := deliver(tok); err != nil || !strings.Contains(stdout.String(), `"access_token": "mac-1"`) {
		t.Fatalf("deliver: %v, stdout %q; want the JSON", err, stdout.String())
	}
	if note := sink.fallbackNote(tok); !strings.Contains(note, "as JSON instead") {
		t.Errorf("note %q", note)
	}
}

// Only a failed write blames stdout; a file that cannot be written asks for
// another --output path.
func TestPrintResultLostAdvice(t *testing.T) {
	tok := &auth.Token{AccessToken: "at"}
	var stderr bytes.Buffer
	lost := "The code is used up: get a new one, and give exchange %s."
	if printResult(tok, nil, lost, tokenSink{format: "json"}, failingWriter{}, &stderr); !strings.Contains(stderr.String(), "give exchange a stdout it can write") {
		t.Errorf("stdout failed: stderr %q", stderr.String())
	}
	stderr.Reset()
	sink := tokenSink{format: "json", path: t.TempDir() + "/no/such/dir/tok.json"}
	if code := printResult(tok, nil, lost, sink, &bytes.Buffer{}, &stderr); code != exitFailure || !strings.Contains(stderr.String(), "an --output path it can write") || strings.Contains(stderr.String(), "stdout") {
		t.Errorf("file failed: exit %d, stderr %q", code, stderr.String())
	}
}

// A code from a URL with a PKCE challenge cannot be redeemed without its
// verifier: exchange says so, and sends nothing (the code stays good).
func TestRunExchangePKCENeedsVerifier(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "x"}
	for name, args := range map[string][]string{
		"sdm":    {"--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab"},
		"custom": {"--provider", "custom"},
	} {
		t.Run(name, func(t *testing.T) {
			ep, tokenURL := testkit.NewTokenEndpoint(t, 200, `{"access_token":"at"}`)
			r := runArgs(t, secret, "", append([]string{"exchange", "--client-id", "X", "--code", "abc", "--token-url", tokenURL}, args...)...)
			if r.code != exitUsage || ep.Count() != 0 || r.stdout != "" {
				t.Fatalf("exit %d, %d requests, stdout %q; want 2 and nothing sent", r.code, ep.Count(), r.stdout)
			}
			for _, want := range []string{"PKCE challenge", "--code-verifier-file", "--no-pkce", "Nothing was sent"} {
				if !strings.Contains(testkit.SquashSpace(r.stderr), want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			r = runArgs(t, secret, "", append([]string{"exchange", "--client-id", "X", "--code", "abc", "--token-url", tokenURL, "--code-verifier", "v"}, args...)...)
			if r.code != 0 || ep.Only(t).Form.Get("code_verifier") != "v" {
				t.Errorf("with the verifier: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}

// deadURL is a loopback URL where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String() + "/"
	ln.Close()
	return u
}

// Works with Nest's endpoints no longer answer: a network error there says
// why. An unreachable loopback port stands in for the default API URL.
func TestRunCheckNestShutDown(t *testing.T) {
	p := auth.Nest()
	p.APIURL = deadURL(t)
	o := &options{providers: []auth.Provider{p}, timeout: 5 * time.Second, tokenFile: writeTokenFile(t, "garbage\n")}
	var stdout, stderr bytes.Buffer
	if code := (&app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}).runCheck(o); code != exitServer || !strings.Contains(testkit.SquashSpace(stderr.String()), "Works with Nest was shut down in 2023") {
		t.Errorf("exit %d, stderr %q; want 5 and the shutdown", code, stderr.String())
	}
	// With --api-url the person points elsewhere: no word of the shutdown.
	r := runArgs(t, nil, "garbage\n", "check", "--provider", "nest", "--api-url", p.APIURL)
	if r.code != exitServer || strings.Contains(r.stderr, "shut down") {
		t.Errorf("--api-url: exit %d, stderr %q", r.code, r.stderr)
	}
}

// device --save saves the profile its token came with.
func TestRunDeviceSave(t *testing.T) {
	env, st := profiletest.Env(t)
	ds := testkit.NewDeviceServer(t, &testkit.DeviceServer{})
	r := runArgs(t, env, "", "device", "--provider", "github", "--client-id", "Iv1.cid", "--scope", "repo",
		"--device-url", ds.URL+"/device/code", "--token-url", ds.URL+"/token", "--save", "--profile", "gh")
	if r.code != 0 || !strings.Contains(r.stderr, "saved profile gh") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	p, err := st.Load("gh")
	if err != nil || p.Secrets.AccessToken != "gho_DEVICE" {
		t.Fatalf("profile: %+v, %v", p, err)
	}
	if r := runArgs(t, env, "", "token", "--profile", "gh"); r.code != 0 || r.stdout != "gho_DEVICE\n" {
		t.Errorf("token: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
