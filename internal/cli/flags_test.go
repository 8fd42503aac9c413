package cli

import (
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
	"nestauth/ui"
)

// TestEveryDocumentedFlagAndVariable runs each flag and environment variable
// the help documents, per command, and checks that it does what the help
// says: in the request sent, on stdout, in a file, or in the refusal it
// earns. It was written against the hand-written dispatcher and kept green
// through the move to cobra.
func TestEveryDocumentedFlagAndVariable(t *testing.T) {
	const body = `{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1","scope":"read"}`
	secretEnv := map[string]string{"NESTAUTH_CLIENT_SECRET": "s3cret"}
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		testkit.WriteFile(t, p, text)
		return p
	}
	secretFile := file("secret", "from-file\n")
	codeFile := file("code", "CODE-FROM-FILE\n")
	verifierFile := file("verifier", strings.Repeat("v", 43)+"\n")
	rtFile := file("rt", "rt-from-file\n")
	tokenFile := file("token", `{"access_token":"at-check","token_type":"Bearer"}`)
	existing := file("existing.json", "old")

	type check func(t *testing.T, r runResult, req testkit.Recorded)
	formHas := func(k, v string) check {
		return func(t *testing.T, _ runResult, req testkit.Recorded) {
			t.Helper()
			if got := req.Form.Get(k); got != v {
				t.Errorf("request %s = %q, want %q (form %v)", k, got, v, req.Form)
			}
		}
	}
	stdoutHas := func(s string) check {
		return func(t *testing.T, r runResult, _ testkit.Recorded) {
			t.Helper()
			if !strings.Contains(r.stdout, s) {
				t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
			}
		}
	}
	stderrHas := func(s string) check {
		return func(t *testing.T, r runResult, _ testkit.Recorded) {
			t.Helper()
			if !strings.Contains(testkit.SquashSpace(r.stderr), s) {
				t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
			}
		}
	}
	custom := func(tokenURL string, extra ...string) []string {
		return append([]string{"--provider", "custom", "--client-id", "id", "--token-url", tokenURL}, extra...)
	}
	exchange := func(tokenURL string, extra ...string) []string {
		return append([]string{"exchange"}, custom(tokenURL, append([]string{"--code", "CODE", "--no-pkce"}, extra...)...)...)
	}

	tests := []struct {
		name  string
		env   map[string]string
		stdin string
		args  func(tokenURL string) []string
		code  int
		want  []check
	}{
		// exchange
		{name: "exchange --code", args: func(u string) []string { return exchange(u) }, want: []check{formHas("code", "CODE"), formHas("client_id", "id"), formHas("client_secret", "s3cret"), stdoutHas(`"access_token": "at-1"`)}},
		{name: "exchange --code-file", args: func(u string) []string {
			return append([]string{"exchange"}, custom(u, "--code-file", codeFile, "--no-pkce")...)
		}, want: []check{formHas("code", "CODE-FROM-FILE")}},
		{name: "exchange code on stdin", stdin: "CODE-ON-STDIN\n", args: func(u string) []string {
			return append([]string{"exchange"}, custom(u, "--no-pkce")...)
		}, want: []check{formHas("code", "CODE-ON-STDIN")}},
		{name: "exchange --code-verifier-file", args: func(u string) []string {
			return append([]string{"exchange"}, custom(u, "--code", "CODE", "--code-verifier-file", verifierFile)...)
		}, want: []check{formHas("code_verifier", strings.Repeat("v", 43))}},
		{name: "exchange --code-verifier", args: func(u string) []string {
			return append([]string{"exchange"}, custom(u, "--code", "CODE", "--code-verifier", strings.Repeat("w", 43))...)
		}, want: []check{formHas("code_verifier", strings.Repeat("w", 43))}},
		{name: "NESTAUTH_CLIENT_ID", env: map[string]string{"NESTAUTH_CLIENT_ID": "env-id"}, args: func(u string) []string {
			return []string{"exchange", "--provider", "custom", "--token-url", u, "--code", "C", "--no-pkce"}
		}, want: []check{formHas("client_id", "env-id")}},
		{name: "--client-secret-file", env: map[string]string{}, args: func(u string) []string { return exchange(u, "--client-secret-file", secretFile) },
			want: []check{formHas("client_secret", "from-file")}},
		{name: "--redirect-uri", args: func(u string) []string { return exchange(u, "--redirect-uri", "http://127.0.0.1:9/cb") },
			want: []check{formHas("redirect_uri", "http://127.0.0.1:9/cb")}},
		{name: "--auth-style basic", args: func(u string) []string { return exchange(u, "--auth-style", "basic") },
			want: []check{func(t *testing.T, _ runResult, req testkit.Recorded) {
				if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("id:s3cret")); req.Authorization != want {
					t.Errorf("Authorization %q, want %q", req.Authorization, want)
				}
			}}},
		{name: "--format env", args: func(u string) []string { return exchange(u, "--format", "env") }, want: []check{stdoutHas("NESTAUTH_ACCESS_TOKEN='at-1'")}},
		{name: "--format header", args: func(u string) []string { return exchange(u, "--format", "header") }, want: []check{stdoutHas("Authorization: Bearer at-1")}},
		{name: "--format token", args: func(u string) []string { return exchange(u, "--format", "token") }, want: []check{func(t *testing.T, r runResult, _ testkit.Recorded) {
			if r.stdout != "at-1\n" {
				t.Errorf("stdout %q, want the token alone", r.stdout)
			}
		}}},
		{name: "--output refuses an existing file", args: func(u string) []string { return exchange(u, "--output", existing) }, code: exitUsage, want: []check{stderrHas("--force")}},
		{name: "--output --force", args: func(u string) []string { return exchange(u, "--output", existing, "--force") }, want: []check{func(t *testing.T, r runResult, _ testkit.Recorded) {
			if !strings.Contains(testkit.ReadFile(t, existing), `"at-1"`) || r.stdout != "" {
				t.Errorf("--output: file %q, stdout %q", testkit.ReadFile(t, existing), r.stdout)
			}
		}}},
		{name: "--timeout", args: func(u string) []string { return exchange(u, "--timeout", "0s") }, code: exitUsage, want: []check{stderrHas("--timeout must be positive")}},
		{name: "--timeout bad value", args: func(u string) []string { return exchange(u, "--timeout", "soon") }, code: exitUsage, want: []check{stderrHas("--timeout")}},
		{name: "--param", args: func(u string) []string { return exchange(u, "--param", "novalue") }, code: exitUsage, want: []check{stderrHas("--param takes key=value")}},
		{name: "--scope empty", args: func(u string) []string { return exchange(u, "--scope", " ") }, code: exitUsage, want: []check{stderrHas("--scope is empty")}},
		{name: "--auth-url", args: func(u string) []string { return exchange(u, "--auth-url", "http://example.com/auth") }, code: exitUsage, want: []check{stderrHas("refusing a plain http:// endpoint")}},
		{name: "--device-url", args: func(u string) []string { return exchange(u, "--device-url", "http://example.com/device") }, code: exitUsage, want: []check{stderrHas("--device-url")}},
		{name: "--issuer for a preset", args: func(u string) []string {
			return []string{"exchange", "--provider", "github", "--client-id", "id", "--issuer", "https://example.com", "--code", "C"}
		}, code: exitUsage, want: []check{stderrHas("--issuer is for --provider custom")}},
		{name: "--project-id", args: func(u string) []string {
			return []string{"exchange", "--provider", "sdm", "--client-id", "id", "--project-id", "not-a-uuid", "--code", "C"}
		}, code: exitUsage, want: []check{stderrHas("--project-id")}},
		{name: "NESTAUTH_PROJECT_ID", env: map[string]string{"NESTAUTH_CLIENT_SECRET": "s", "NESTAUTH_PROJECT_ID": "not-a-uuid"}, args: func(u string) []string {
			return []string{"exchange", "--provider", "sdm", "--client-id", "id", "--code", "C"}
		}, code: exitUsage, want: []check{stderrHas("NESTAUTH_PROJECT_ID")}},
		{name: "--save --profile --store file", args: func(u string) []string {
			return exchange(u, "--save", "--profile", "saved1", "--store", "file")
		}, want: []check{stderrHas("saved profile saved1"), stderrHas("secrets.json")}},
		{name: "--profile without --save", args: func(u string) []string { return exchange(u, "--profile", "p") }, code: exitUsage, want: []check{stderrHas("add --save")}},
		{name: "--store bad", args: func(u string) []string { return exchange(u, "--save", "--store", "cloud") }, code: exitUsage, want: []check{stderrHas("--store")}},

		// refresh
		{name: "refresh --refresh-token-file", args: func(u string) []string {
			return append([]string{"refresh"}, custom(u, "--refresh-token-file", rtFile)...)
		}, want: []check{formHas("refresh_token", "rt-from-file"), formHas("grant_type", "refresh_token")}},
		{name: "refresh on stdin", stdin: "rt-on-stdin\n", args: func(u string) []string { return append([]string{"refresh"}, custom(u)...) },
			want: []check{formHas("refresh_token", "rt-on-stdin")}},

		// check and revoke
		{name: "check --check-url --token-file", args: func(u string) []string {
			return []string{"check", "--provider", "custom", "--check-url", u, "--token-file", tokenFile}
		}, want: []check{func(t *testing.T, _ runResult, req testkit.Recorded) {
			if req.Authorization != "Bearer at-check" {
				t.Errorf("check sent Authorization %q", req.Authorization)
			}
		}}},
		{name: "check --api-url", args: func(u string) []string {
			return []string{"check", "--provider", "sdm", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab", "--api-url", strings.TrimSuffix(u, "/token"), "--token-file", tokenFile}
		}, want: []check{func(t *testing.T, _ runResult, req testkit.Recorded) {
			if req.Authorization != "Bearer at-check" || req.Method != "GET" {
				t.Errorf("check sent %s with Authorization %q", req.Method, req.Authorization)
			}
		}}},
		{name: "revoke --revoke-url --client-id --client-secret-file --token-file", env: map[string]string{}, args: func(u string) []string {
			return []string{"revoke", "--provider", "custom", "--client-id", "id", "--client-secret-file", secretFile, "--revoke-url", u, "--token-file", tokenFile}
		}, want: []check{formHas("token", "at-check"), formHas("client_secret", "from-file"), stderrHas("revoked")}},

		// device
		{name: "device --device-url --scope", args: func(u string) []string {
			return []string{"device", "--provider", "custom", "--client-id", "id", "--token-url", u, "--device-url", u, "--scope", "read write"}
		}, code: exitServer, want: []check{formHas("scope", "read write"), formHas("client_id", "id")}},

		// wizard: the flags are read and checked before any screen
		{name: "--device --no-device", args: func(string) []string { return []string{"--device", "--no-device"} }, code: exitUsage, want: []check{stderrHas("not both")}},
		{name: "--demo --provider", args: func(string) []string { return []string{"--demo", "--provider", "google"} }, code: exitUsage, want: []check{stderrHas("give sdm or nest")}},
		{name: "--demo --save", args: func(string) []string { return []string{"--demo", "--save"} }, code: exitUsage, want: []check{stderrHas("no profile to save")}},
		{name: "wizard --api-url", args: func(string) []string { return []string{"--api-url", "ftp://x"} }, code: exitUsage, want: []check{stderrHas("--api-url")}},
		{name: "wizard --check-url", args: func(string) []string { return []string{"--check-url", "ftp://x"} }, code: exitUsage, want: []check{stderrHas("--check-url")}},
		{name: "wizard --revoke-url", args: func(string) []string { return []string{"--revoke-url", "ftp://x"} }, code: exitUsage, want: []check{stderrHas("--revoke-url")}},
		{name: "--plain --demo", stdin: "", args: func(string) []string { return []string{"--plain", "--demo", "--provider", "nest"} }, code: exitFailure, want: []check{stderrHas("Step 4 of 5: Authorization code")}},
		{name: "ACCESSIBLE", env: map[string]string{"ACCESSIBLE": "1"}, args: func(string) []string { return []string{"--demo", "--provider", "nest"} }, code: exitFailure, want: []check{stderrHas("Step 4 of 5: Authorization code")}},
		{name: "TERM=dumb", env: map[string]string{"TERM": "dumb"}, args: func(string) []string { return []string{"--demo", "--provider", "nest"} }, code: exitFailure, want: []check{stderrHas("Step 4 of 5: Authorization code")}},

		// token, profiles, forget
		{name: "forget without --profile", args: func(string) []string { return []string{"forget"} }, code: exitUsage, want: []check{stderrHas("forget needs --profile")}},
		{name: "forget --profile --revoke --timeout", args: func(string) []string { return []string{"forget", "--profile", "nope", "--revoke", "--timeout", "5s"} }, code: exitUsage, want: []check{stderrHas("nothing to revoke")}},
		{name: "token --refresh", args: func(string) []string { return []string{"token", "--refresh", "--profile", "nope"} }, code: exitUsage, want: []check{stderrHas(`no saved profile "nope"`)}},
		{name: "token --min-valid negative", args: func(string) []string { return []string{"token", "--min-valid", "-1s"} }, code: exitUsage, want: []check{stderrHas("--min-valid")}},
		{name: "profiles none", args: func(string) []string { return []string{"profiles"} }, want: []check{stderrHas("No saved profiles")}},
		{name: "XDG_CONFIG_HOME", env: map[string]string{"NESTAUTH_CONFIG_DIR": "", "XDG_CONFIG_HOME": filepath.Join(dir, "xdg")}, args: func(string) []string { return []string{"profiles"} },
			want: []check{stderrHas(filepath.Join(dir, "xdg", "nestauth"))}},
		{name: "NESTAUTH_CONFIG_DIR", env: map[string]string{"NESTAUTH_CONFIG_DIR": filepath.Join(dir, "cfg")}, args: func(string) []string { return []string{"profiles"} },
			want: []check{stderrHas(filepath.Join(dir, "cfg"))}},

		// the secret is never a flag value
		{name: "--client-secret refused", args: func(string) []string { return []string{"exchange", "--client-secret", "hunter2"} }, code: exitUsage, want: []check{
			stderrHas("never a command-line value"),
			func(t *testing.T, r runResult, _ testkit.Recorded) {
				if strings.Contains(r.stderr+r.stdout, "hunter2") {
					t.Errorf("the value was echoed: %s", r.stderr)
				}
			}}},
		{name: "--client-secret= refused", args: func(string) []string { return []string{"--client-secret=hunter2"} }, code: exitUsage, want: []check{
			func(t *testing.T, r runResult, _ testkit.Recorded) {
				if strings.Contains(r.stderr+r.stdout, "hunter2") {
					t.Errorf("the value was echoed: %s", r.stderr)
				}
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, tokenURL := testkit.NewTokenEndpoint(t, 200, body)
			env := map[string]string{}
			for k, v := range secretEnv {
				env[k] = v
			}
			if tt.env != nil {
				env = map[string]string{"NESTAUTH_CLIENT_SECRET": "s3cret"}
				if _, ok := tt.env["NESTAUTH_CLIENT_SECRET"]; ok || len(tt.env) == 0 {
					delete(env, "NESTAUTH_CLIENT_SECRET")
				}
				for k, v := range tt.env {
					env[k] = v
				}
			}
			if _, ok := env["NESTAUTH_CONFIG_DIR"]; !ok {
				env["NESTAUTH_CONFIG_DIR"] = filepath.Join(t.TempDir(), "nestauth")
			}
			r := runArgs(t, env, tt.stdin, tt.args(tokenURL)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			var req testkit.Recorded
			if ep.Count() > 0 {
				req = ep.First()
			}
			for _, c := range tt.want {
				c(t, r, req)
			}
		})
	}
}

// TestTokenCommandFlags covers token's own flags against a saved profile.
func TestTokenCommandFlags(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "client-secret", "refresh-0")
	saveCustom(t, st, "p1", ts, auth.Custom(), profile.File, time.Now().Add(30*time.Minute))
	out := filepath.Join(t.TempDir(), "tok.json")

	// The stored token lives 30 minutes: --min-valid 1h refreshes it.
	r := runArgs(t, env, "", "token", "--profile", "p1", "--min-valid", "1h", "--format", "json", "--output", out, "--timeout", "5s")
	if r.code != 0 || ts.Requests() != 1 {
		t.Fatalf("token --min-valid 1h: exit %d, %d requests; %s", r.code, ts.Requests(), r.stderr)
	}
	if tok := testkit.DecodeToken(t, testkit.ReadFile(t, out)); tok.AccessToken == "access-0" {
		t.Errorf("--output got the stale token")
	}
	// Now it lives an hour: the default --min-valid needs no request.
	if r := runArgs(t, env, "", "token", "--profile", "p1", "--output", out, "--force"); r.code != 0 || ts.Requests() != 1 {
		t.Errorf("token again: exit %d, %d requests; %s", r.code, ts.Requests(), r.stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("--output file: %v, %v", fi, err)
	}
}

// parseFlags parses args as command name would ("wizard": the root) and
// returns the options its run would get, running nothing.
func parseFlags(name string, args []string, getenv func(string) string) (*options, error) {
	if name != "wizard" {
		args = append([]string{name}, args...)
	}
	var got *options
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: getenv,
		parsed: func(o *options) { got = o }}
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	root.SilenceErrors = true
	if err := root.Execute(); err != nil {
		return nil, err
	}
	return got, nil
}

func TestRunIssuerAndDeviceFlags(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "s3cret"}
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		code      int
		stderrHas []string // with help, what stdout must have
		help      bool
	}{
		{name: "help lists the new flags and presets", args: []string{"--help"}, help: true, stderrHas: []string{"--issuer", "--device-url", "--device ", "--no-device", "google", "github", "device "}},
		{name: "device help", args: []string{"device", "--help"}, help: true, stderrHas: []string{"--provider", "--issuer", "--client-id", "--scope", "--device-url", "--token-url", "--timeout", "3 denied", "130 canceled"}},
		{name: "help device", args: []string{"device", "help"}, help: true, stderrHas: []string{"nestauth device"}},
		{name: "nestauth help device", args: []string{"help", "device"}, help: true, stderrHas: []string{"nestauth device", "RFC 8628"}},
		{name: "issuer with a preset", args: []string{"--provider", "sdm", "--issuer", "https://idp.example"}, code: 2, stderrHas: []string{"--issuer is for --provider custom"}},
		{name: "issuer in plain http", args: []string{"--issuer", "http://idp.example"}, code: 2, stderrHas: []string{"--issuer", "plain http://"}},
		{name: "issuer with a query", args: []string{"--issuer", "https://idp.example/?tenant=x"}, code: 2, stderrHas: []string{"--issuer", "without a query"}},
		{name: "issuer in demo", args: []string{"--demo", "--issuer", "https://idp.example"}, code: 2, stderrHas: []string{"leave out --issuer"}},
		{name: "device and no-device", args: []string{"--provider", "github", "--device", "--no-device"}, code: 2, stderrHas: []string{"--device or --no-device"}},
		{name: "device for a provider without one", args: []string{"--provider", "nest", "--device"}, code: 2, stderrHas: []string{"--device", "no device authorization endpoint", "--device-url"}},
		{name: "device-url in plain http", args: []string{"--provider", "github", "--device-url", "http://idp.example/device"}, code: 2, stderrHas: []string{"--device-url", "plain http://"}},
		{name: "device command without an endpoint", env: secret, args: []string{"device", "--provider", "nest", "--client-id", "id"}, code: 2, stderrHas: []string{"no device authorization endpoint", "--device-url", "--issuer"}},
		{name: "device command without client id", args: []string{"device", "--provider", "github"}, code: 2, stderrHas: []string{"device needs --client-id"}},
		{name: "device command: google needs its secret", args: []string{"device", "--provider", "google", "--client-id", "id"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "device command without provider", args: []string{"device", "--client-id", "id"}, code: 2, stderrHas: []string{"device needs --provider", "--issuer URL"}},
		{name: "unknown provider names the presets", args: []string{"--provider", "acme"}, code: 2, stderrHas: []string{"sdm, nest, google, github or custom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runArgs(t, tt.env, "", tt.args...)
			if tt.help { // help goes to stdout
				r.stdout, r.stderr = r.stderr, r.stdout
			}
			if r.code != tt.code || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing; stderr:\n%s", r.code, r.stdout, tt.code, r.stderr)
			}
			wantStderr(t, r.stderr, tt.stderrHas...)
		})
	}
}

// The wizard discovers on its Issuer step, after the first frame: parsing
// the flags fetches nothing, and --issuer alone chooses custom.
func TestParseFlagsWizardIssuer(t *testing.T) {
	ms := testkit.NewMetadataServer(t, func(map[string]any) {})
	o, err := parseFlags("wizard", []string{"--issuer", ms.URL, "--scope", "openid read", "--redirect-uri", "http://127.0.0.1:8765/cb", "--no-device"}, fixedEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.providers) != 1 || o.providers[0].ID != "custom" || o.issuer != ms.URL || strings.Join(o.scopes, ",") != "openid,read" ||
		o.redirectURI != "http://127.0.0.1:8765/cb" || o.device != ui.DeviceNever {
		t.Errorf("options %+v", o)
	}
	if n := ms.Requests(); n != 0 {
		t.Errorf("parsing the flags sent %d requests", n)
	}
	// Custom without endpoints: the wizard asks for them.
	if _, err := parseFlags("wizard", []string{"--provider", "custom"}, fixedEnv(nil)); err != nil {
		t.Errorf("--provider custom alone: %v", err)
	}
	if o, err := parseFlags("wizard", []string{"--provider", "github", "--device"}, fixedEnv(nil)); err != nil || o.device != ui.DeviceAlways {
		t.Errorf("--device: %+v, %v", o, err)
	}
}

func TestRunFlags(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "s3cret"}
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		code       int
		stdoutRE   string   // stdout must match; "" means it must be empty
		stderrHas  []string // stderr must contain each
		stderrNone bool     // stderr must be empty
		stdoutHas  []string // help: stdout must contain each, stderr be empty
	}{
		{name: "version", args: []string{"--version"}, code: 0, stdoutRE: `^nestauth \S+(, go\S+)?\n$`, stderrNone: true},
		{name: "help", args: []string{"--help"}, code: 0, stdoutHas: []string{
			"--provider", "--client-id", "NESTAUTH_CLIENT_ID", "--client-secret-file", "NESTAUTH_CLIENT_SECRET",
			"--project-id", "NESTAUTH_PROJECT_ID", "--auth-url", "--token-url", "--redirect-uri", "--scope", "--param",
			"--auth-style", "--no-pkce", "--timeout", "--demo", "--plain", "ACCESSIBLE", "--version", "--help", "exchange", "refresh", "130"}},
		{name: "exchange help", args: []string{"exchange", "--help"}, code: 0, stdoutHas: []string{
			"--provider", "--client-id", "--client-secret-file", "NESTAUTH_CLIENT_SECRET", "--project-id", "--token-url",
			"--redirect-uri", "--auth-style", "--code", "--code-file", "--code-verifier", "--code-verifier-file", "--timeout", "< redirect-url",
			"0 ok", "2 usage", "3 code rejected", "4 client rejected", "5 network"}},
		{name: "refresh help", args: []string{"refresh", "--help"}, code: 0, stdoutHas: []string{
			"--provider", "--client-id", "--client-secret-file", "--token-url", "--auth-style", "--refresh-token-file", "--timeout", "< rt"}},

		{name: "secret flag", args: []string{"--client-secret=x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET", "--client-secret-file"}},
		{name: "secret flag separate value", args: []string{"--provider", "nest", "--client-secret", "x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "secret flag single dash", args: []string{"-client-secret=x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "secret flag in exchange", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c", "--client-secret=x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "secret flag in refresh", args: []string{"refresh", "--client-secret", "x"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},

		{name: "empty scope", args: []string{"--provider", "sdm", "--scope", ""}, code: 2, stderrHas: []string{"--scope is empty"}},
		{name: "timeout without unit", args: []string{"--timeout", "30"}, code: 2, stderrHas: []string{"--timeout", "such as 30s"}},
		{name: "unknown flag in --flag spelling", args: []string{"--bogus"}, code: 2, stderrHas: []string{"unknown flag --bogus"}},
		{name: "reserved param", args: []string{"--provider", "sdm", "--param", "state=x"}, code: 2, stderrHas: []string{"--param state", "nestauth sets state itself"}},
		{name: "demo with provider", args: []string{"--demo", "--provider", "github"}, code: 2, stderrHas: []string{"leave out --provider, or give sdm or nest"}},
		{name: "env client ID blamed by name", env: map[string]string{"NESTAUTH_CLIENT_ID": "a b"}, args: []string{"--provider", "nest"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_ID: client ID contains spaces"}},
		{name: "dumb terminal: plain mode", env: map[string]string{"TERM": "dumb"}, args: []string{"--provider", "nest"}, code: 1, stderrHas: []string{"Client ID: ", "stopped before a token was fetched"}},
		{name: "exchange empty code", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "x", "--code", `""`}, code: 2, stderrHas: []string{"--code is empty"}},
		{name: "unknown provider", args: []string{"--provider", "acme"}, code: 2, stderrHas: []string{`unknown --provider "acme"`, "sdm", "nest", "custom"}},
		{name: "unknown provider in exchange", env: secret, args: []string{"exchange", "--provider", "acme", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"unknown --provider"}},
		{name: "unknown flag", args: []string{"--nope"}, code: 2, stderrHas: []string{"nope"}},
		{name: "stray argument", args: []string{"--provider", "nest", "extra"}, code: 2, stderrHas: []string{`"extra"`}},
		{name: "bad auth style", args: []string{"--provider", "nest", "--auth-style", "digest"}, code: 2, stderrHas: []string{"post or basic"}},
		{name: "port 0 redirect", args: []string{"--provider", "custom", "--auth-url", "https://a.example/auth", "--token-url", "https://a.example/token", "--redirect-uri", "http://127.0.0.1:0/cb"}, code: 2, stderrHas: []string{"not 0"}},

		{name: "cloud project id in wizard", args: []string{"--provider", "sdm", "--project-id", "my-project-123456"}, code: 2,
			stderrHas: []string{"my-project-123456", "Google Cloud project ID", "Device Access Console"}},
		{name: "cloud project id from env", env: map[string]string{"NESTAUTH_PROJECT_ID": "my-project-123456"}, args: []string{"--provider", "sdm"}, code: 2,
			stderrHas: []string{"Device Access Console"}},
		{name: "cloud project id in exchange", env: secret, args: []string{"exchange", "--provider", "sdm", "--client-id", "id", "--code", "c", "--project-id", "my-project-123456"}, code: 2,
			stderrHas: []string{"Device Access Console"}},
		{name: "cloud project id in refresh", env: secret, args: []string{"refresh", "--provider", "sdm", "--client-id", "id", "--project-id", "my-project-123456"}, code: 2,
			stderrHas: []string{"Device Access Console"}},

		{name: "plain http token URL in wizard", args: []string{"--provider", "nest", "--token-url", "http://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/token", "plain http://"}},
		{name: "plain http token URL in exchange", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c", "--token-url", "http://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/token", "plain http://"}},
		{name: "plain http token URL in refresh", env: secret, args: []string{"refresh", "--provider", "custom", "--client-id", "id", "--token-url", "http://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/token", "plain http://"}},
		{name: "plain http auth URL in wizard", args: []string{"--provider", "custom", "--auth-url", "http://example.com/auth", "--token-url", "https://example.com/token"}, code: 2,
			stderrHas: []string{"http://example.com/auth", "plain http://"}},
		{name: "custom without endpoints", env: secret, args: []string{"exchange", "--no-pkce", "--provider", "custom", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"--token-url", "--issuer URL"}},

		{name: "exchange without provider", env: secret, args: []string{"exchange", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"--provider"}},
		{name: "exchange without client id", env: secret, args: []string{"exchange", "--provider", "nest", "--code", "c"}, code: 2, stderrHas: []string{"--client-id"}},
		{name: "exchange without secret", args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c"}, code: 2, stderrHas: []string{"NESTAUTH_CLIENT_SECRET"}},
		{name: "exchange without code", env: secret, args: []string{"exchange", "--provider", "nest", "--client-id", "id"}, code: 2, stderrHas: []string{"--code"}},
		{name: "secret file missing", args: []string{"exchange", "--provider", "nest", "--client-id", "id", "--code", "c", "--client-secret-file", "/nonexistent/nestauth-secret"}, code: 2,
			stderrHas: []string{"--client-secret-file"}},
		{name: "refresh with empty stdin", env: secret, args: []string{"refresh", "--provider", "custom", "--client-id", "id", "--token-url", "https://example.com/token"}, code: 2,
			stderrHas: []string{"no refresh token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runArgs(t, tt.env, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if tt.stdoutRE == "" && tt.stdoutHas == nil && r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			for _, s := range tt.stdoutHas {
				if !strings.Contains(r.stdout, s) || r.stderr != "" {
					t.Errorf("stdout lacks %q (stderr %q):\n%s", s, r.stderr, r.stdout)
				}
			}
			if tt.stdoutRE != "" && !regexp.MustCompile(tt.stdoutRE).MatchString(r.stdout) {
				t.Errorf("stdout = %q, want it to match %s", r.stdout, tt.stdoutRE)
			}
			if tt.stderrNone && r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
			wantStderr(t, r.stderr, tt.stderrHas...)
			// A secret given on the command line must never be echoed back.
			if strings.Contains(r.stderr, "client-secret=x") {
				t.Errorf("stderr repeats the secret flag: %s", r.stderr)
			}
		})
	}
}

func TestReadSmallFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, want, wantErr string
	}{
		{"BOM and CRLF", write("bom", "\uFEFFs3cret\r\n"), "s3cret", ""},
		{"over 64 KiB", write("big", strings.Repeat("x", 64<<10+1)), "", "over 64 KiB"},
		{"exactly 64 KiB", write("edge", strings.Repeat("y", 64<<10)), strings.Repeat("y", 64<<10), ""},
		{"a directory", dir, "", "directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readSmallFile(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %d bytes, err %v; want %d bytes", len(got), err, len(tt.want))
			}
		})
	}
}

// The client secret is trimmed by one rule, from the environment or a file.
func TestClientSecretOneRule(t *testing.T) {
	for _, raw := range []string{" \uFEFFs3cret\r\n", "\uFEFF s3cret ", "s3cret\n"} {
		path := filepath.Join(t.TempDir(), "secret")
		if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
			t.Fatal(err)
		}
		fromEnv, errEnv := clientSecret("", fixedEnv(map[string]string{"NESTAUTH_CLIENT_SECRET": raw}))
		fromFile, errFile := clientSecret(path, fixedEnv(nil))
		if fromEnv != "s3cret" || fromFile != "s3cret" || errEnv != nil || errFile != nil {
			t.Errorf("%q: env gives %q (%v), file %q (%v); want s3cret from both", raw, fromEnv, errEnv, fromFile, errFile)
		}
	}
}

// A port no connection can have, in any URL flag, is a usage error: exit 2
// before anything is sent, the URL named.
func TestURLFlagPortOutOfRange(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "s3cret"}
	custom := []string{"--provider", "custom", "--client-id", "id"}
	exchange := append([]string{"exchange", "--code", "c", "--no-pkce"}, custom...)
	tests := []struct {
		name string
		args []string
		bad  string
	}{
		{"token URL in exchange", append(exchange, "--token-url", "http://127.0.0.1:99999/x"), "http://127.0.0.1:99999/x"},
		{"token URL port 0 in refresh", append([]string{"refresh"}, append(custom, "--token-url", "https://a.example:0/t")...), "https://a.example:0/t"},
		{"auth URL in the wizard", []string{"--provider", "custom", "--token-url", "https://a.example/t", "--auth-url", "https://a.example:65536/a"}, "https://a.example:65536/a"},
		{"redirect URI", append(exchange, "--token-url", "https://a.example/t", "--redirect-uri", "https://a.example:70000/cb"), "https://a.example:70000/cb"},
		{"loopback redirect URI", append(exchange, "--token-url", "https://a.example/t", "--redirect-uri", "http://127.0.0.1:70000/cb"), "http://127.0.0.1:70000/cb"},
		{"issuer", append(exchange, "--issuer", "https://a.example:99999"), "https://a.example:99999"},
		{"device URL", append([]string{"device"}, append(custom, "--token-url", "https://a.example/t", "--device-url", "https://a.example:99999/d")...), "https://a.example:99999/d"},
		{"API URL", []string{"check", "--provider", "custom", "--api-url", "https://a.example:99999"}, "https://a.example:99999"},
		{"check URL", []string{"check", "--provider", "custom", "--check-url", "https://a.example:123456/me"}, "https://a.example:123456/me"},
		{"revoke URL", []string{"revoke", "--provider", "custom", "--revoke-url", "https://a.example:99999/r"}, "https://a.example:99999/r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runArgs(t, secret, "tok\n", tt.args...)
			if r.code != 2 || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing; stderr:\n%s", r.code, r.stdout, r.stderr)
			}
			wantStderr(t, r.stderr, "port is outside 1-65535", tt.bad)
		})
	}
}
