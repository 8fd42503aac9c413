package cli

import (
	"strings"
	"testing"

	"nestauth/internal/testkit"
	"nestauth/ui"
)

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
			for _, s := range tt.stderrHas {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
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

func TestRunExchangeWithIssuer(t *testing.T) {
	secret := map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}
	t.Run("the token endpoint comes from the metadata", func(t *testing.T) {
		ep, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		ms := testkit.NewMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = tokenURL })
		r := runArgs(t, secret, "", "exchange", "--no-pkce", "--issuer", ms.URL, "--client-id", "cid", "--code", "abc")
		if r.code != 0 || !strings.Contains(r.stdout, `"access_token": "at-2"`) {
			t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		if f := ep.Only(t).Form; f.Get("code") != "abc" {
			t.Errorf("form %v", f)
		}
	})
	t.Run("--token-url wins over the metadata", func(t *testing.T) {
		discovered, discoveredURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		given, givenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		ms := testkit.NewMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = discoveredURL })
		r := runArgs(t, secret, "rt\n", "refresh", "--provider", "custom", "--issuer", ms.URL, "--client-id", "cid", "--token-url", givenURL)
		if r.code != 0 || given.Count() != 1 || discovered.Count() != 0 {
			t.Fatalf("exit %d (stderr %q); given endpoint %d requests, discovered %d", r.code, r.stderr, given.Count(), discovered.Count())
		}
	})
	t.Run("no S256 stops no token request", func(t *testing.T) {
		_, tokenURL := testkit.NewTokenEndpoint(t, 200, refreshedBody)
		ms := testkit.NewMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = tokenURL; delete(d, "code_challenge_methods_supported") })
		if r := runArgs(t, secret, "rt\n", "refresh", "--issuer", ms.URL, "--client-id", "cid"); r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
	failures := []struct {
		name string
		edit func(d map[string]any)
		code int
		want []string
	}{
		{name: "no metadata", code: 5, want: []string{"reading the metadata of --issuer", "HTTP 404"}},
		{name: "another issuer", edit: func(d map[string]any) { d["issuer"] = "https://evil.example" }, code: 5, want: []string{"another issuer", "evil.example"}},
		{name: "no token endpoint", edit: func(d map[string]any) { delete(d, "token_endpoint") }, code: 5, want: []string{"lacks an endpoint", "--token-url"}},
		{name: "plain http endpoint off this machine", edit: func(d map[string]any) { d["token_endpoint"] = "http://idp.example/token" }, code: 5, want: []string{"plain http://"}},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			ms := testkit.NewMetadataServer(t, tt.edit)
			r := runArgs(t, secret, "", "exchange", "--no-pkce", "--issuer", ms.URL, "--client-id", "cid", "--code", "abc")
			if r.code != tt.code || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d", r.code, r.stdout, tt.code)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
		})
	}
}

func TestRunDevice(t *testing.T) {
	tests := []struct {
		name      string
		ds        *testkit.DeviceServer
		code      int
		stderrHas []string
		polls     int
	}{
		{name: "pending, then the token (GitHub's form-encoded answers)", ds: &testkit.DeviceServer{Polls: []string{"authorization_pending"}, FormReply: true}, code: 0,
			stderrHas: []string{"/login/device", "WDJB-MJHT", "expires in 15 minutes"}, polls: 2},
		{name: "pending, then the token (JSON)", ds: &testkit.DeviceServer{Polls: []string{"authorization_pending"}}, code: 0, polls: 2},
		{name: "denied", ds: &testkit.DeviceServer{Polls: []string{"access_denied"}}, code: 3, stderrHas: []string{"denied: access_denied", "refused on the verification page"}, polls: 1},
		{name: "expired by the server", ds: &testkit.DeviceServer{Polls: []string{"expired_token"}}, code: 3, stderrHas: []string{"expired: expired_token", "not approved in time"}, polls: 1},
		{name: "expired before the first poll", ds: &testkit.DeviceServer{ExpiresIn: 1}, code: 3, stderrHas: []string{"expired", "not approved in time"}, polls: 0},
		{name: "device flow disabled", ds: &testkit.DeviceServer{Polls: []string{"device_flow_disabled"}}, code: 4, stderrHas: []string{"device_flow_disabled", "Enable Device Flow"}, polls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds := testkit.NewDeviceServer(t, tt.ds)
			r := runArgs(t, nil, "", "device", "--provider", "github", "--client-id", "Iv1.cid", "--scope", "repo",
				"--device-url", ds.URL+"/device/code", "--token-url", ds.URL+"/token")
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if tt.code == 0 {
				tok := testkit.DecodeJSON(t, r.stdout)
				if tok["access_token"] != "gho_DEVICE" || tok["scope"] != "repo" {
					t.Errorf("token %v", tok)
				}
			} else if r.stdout != "" {
				t.Errorf("stdout %q after a failure", r.stdout)
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			ds.Mu.Lock()
			defer ds.Mu.Unlock()
			if ds.N != tt.polls || len(ds.Scopes) != 1 || ds.Scopes[0] != "repo" {
				t.Errorf("%d polls, scopes %q; want %d polls and one code for repo", ds.N, ds.Scopes, tt.polls)
			}
			for _, f := range ds.Forms {
				if f.Get("client_id") != "Iv1.cid" || f.Has("client_secret") {
					t.Errorf("request %v: want client_id alone (a public client)", f)
				}
			}
		})
	}
}

func TestRunDeviceWithIssuer(t *testing.T) {
	ds := testkit.NewDeviceServer(t, &testkit.DeviceServer{})
	ms := testkit.NewMetadataServer(t, func(d map[string]any) {
		d["token_endpoint"], d["device_authorization_endpoint"] = ds.URL+"/token", ds.URL+"/device/code"
	})
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "device", "--issuer", ms.URL, "--client-id", "cid", "--scope", "repo")
	if r.code != 0 || testkit.DecodeJSON(t, r.stdout)["access_token"] != "gho_DEVICE" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	ds.Mu.Lock()
	defer ds.Mu.Unlock()
	if f := ds.Forms[0]; f.Get("client_secret") != "cs" {
		t.Errorf("device request %v: a confidential client authenticates there too (RFC 8628 §3.1)", f)
	}
}
