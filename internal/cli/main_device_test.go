package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"nestauth/ui"
)

// metadataServer serves OpenID Connect metadata naming itself and its
// /token and /device/code; edit changes the document (nil: 404). It counts
// the requests.
type metadataServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits int
}

func newMetadataServer(t *testing.T, edit func(d map[string]any)) *metadataServer {
	t.Helper()
	ms := &metadataServer{}
	ms.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ms.mu.Lock()
		ms.hits++
		ms.mu.Unlock()
		if r.URL.Path != "/.well-known/openid-configuration" || edit == nil {
			http.NotFound(w, r)
			return
		}
		d := map[string]any{
			"issuer":                           ms.URL,
			"authorization_endpoint":           ms.URL + "/auth",
			"token_endpoint":                   ms.URL + "/token",
			"device_authorization_endpoint":    ms.URL + "/device/code",
			"code_challenge_methods_supported": []string{"S256"},
		}
		edit(d)
		_ = json.NewEncoder(w).Encode(d)
	}))
	t.Cleanup(ms.Close)
	return ms
}

func (ms *metadataServer) requests() int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.hits
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
	ms := newMetadataServer(t, func(map[string]any) {})
	o, err := parseFlags("wizard", []string{"--issuer", ms.URL, "--scope", "openid read", "--redirect-uri", "http://127.0.0.1:8765/cb", "--no-device"}, fixedEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.providers) != 1 || o.providers[0].ID != "custom" || o.issuer != ms.URL || strings.Join(o.scopes, ",") != "openid,read" ||
		o.redirectURI != "http://127.0.0.1:8765/cb" || o.device != ui.DeviceNever {
		t.Errorf("options %+v", o)
	}
	if n := ms.requests(); n != 0 {
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
		ep, tokenURL := newTokenEndpoint(t, 200, refreshedBody)
		ms := newMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = tokenURL })
		r := runArgs(t, secret, "", "exchange", "--no-pkce", "--issuer", ms.URL, "--client-id", "cid", "--code", "abc")
		if r.code != 0 || !strings.Contains(r.stdout, `"access_token": "at-2"`) {
			t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		if f := ep.only(t).form; f.Get("code") != "abc" {
			t.Errorf("form %v", f)
		}
	})
	t.Run("--token-url wins over the metadata", func(t *testing.T) {
		discovered, discoveredURL := newTokenEndpoint(t, 200, refreshedBody)
		given, givenURL := newTokenEndpoint(t, 200, refreshedBody)
		ms := newMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = discoveredURL })
		r := runArgs(t, secret, "rt\n", "refresh", "--provider", "custom", "--issuer", ms.URL, "--client-id", "cid", "--token-url", givenURL)
		if r.code != 0 || given.count() != 1 || discovered.count() != 0 {
			t.Fatalf("exit %d (stderr %q); given endpoint %d requests, discovered %d", r.code, r.stderr, given.count(), discovered.count())
		}
	})
	t.Run("no S256 stops no token request", func(t *testing.T) {
		_, tokenURL := newTokenEndpoint(t, 200, refreshedBody)
		ms := newMetadataServer(t, func(d map[string]any) { d["token_endpoint"] = tokenURL; delete(d, "code_challenge_methods_supported") })
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
			ms := newMetadataServer(t, tt.edit)
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

// deviceServer is a device authorization server: /device/code issues
// codes, /token answers polls from a script (then a token). form answers
// as GitHub does without Accept: application/json.
type deviceServer struct {
	*httptest.Server
	expiresIn int
	polls     []string // the error of each poll; "" is the token
	form      bool

	mu     sync.Mutex
	n      int
	scopes []string
	forms  []url.Values
}

func newDeviceServer(t *testing.T, ds *deviceServer) *deviceServer {
	t.Helper()
	if ds.expiresIn == 0 {
		ds.expiresIn = 900
	}
	ds.Server = httptest.NewServer(ds)
	t.Cleanup(ds.Close)
	return ds
}

func (ds *deviceServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.forms = append(ds.forms, r.PostForm)
	answer := func(status int, v url.Values) {
		if ds.form {
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(status)
			io.WriteString(w, v.Encode())
			return
		}
		m := map[string]any{}
		for k := range v {
			m[k] = v.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(m)
	}
	switch r.URL.Path {
	case "/device/code":
		ds.scopes = append(ds.scopes, r.PostForm.Get("scope"))
		answer(200, url.Values{"device_code": {"dc-1"}, "user_code": {"WDJB-MJHT"}, "verification_uri": {ds.URL + "/login/device"},
			"expires_in": {fmt.Sprint(ds.expiresIn)}, "interval": {"1"}})
	case "/token":
		if r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:device_code" || r.PostForm.Get("device_code") != "dc-1" {
			answer(400, url.Values{"error": {"invalid_request"}})
			return
		}
		ds.n++
		if ds.n <= len(ds.polls) && ds.polls[ds.n-1] != "" {
			answer(400, url.Values{"error": {ds.polls[ds.n-1]}})
			return
		}
		answer(200, url.Values{"access_token": {"gho_DEVICE"}, "token_type": {"bearer"}, "scope": {"repo"}})
	default:
		http.NotFound(w, r)
	}
}

func TestRunDevice(t *testing.T) {
	tests := []struct {
		name      string
		ds        *deviceServer
		code      int
		stderrHas []string
		polls     int
	}{
		{name: "pending, then the token (GitHub's form-encoded answers)", ds: &deviceServer{polls: []string{"authorization_pending"}, form: true}, code: 0,
			stderrHas: []string{"/login/device", "WDJB-MJHT", "expires in 15 minutes"}, polls: 2},
		{name: "pending, then the token (JSON)", ds: &deviceServer{polls: []string{"authorization_pending"}}, code: 0, polls: 2},
		{name: "denied", ds: &deviceServer{polls: []string{"access_denied"}}, code: 3, stderrHas: []string{"denied: access_denied", "refused on the verification page"}, polls: 1},
		{name: "expired by the server", ds: &deviceServer{polls: []string{"expired_token"}}, code: 3, stderrHas: []string{"expired: expired_token", "not approved in time"}, polls: 1},
		{name: "expired before the first poll", ds: &deviceServer{expiresIn: 1}, code: 3, stderrHas: []string{"expired", "not approved in time"}, polls: 0},
		{name: "device flow disabled", ds: &deviceServer{polls: []string{"device_flow_disabled"}}, code: 4, stderrHas: []string{"device_flow_disabled", "Enable Device Flow"}, polls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds := newDeviceServer(t, tt.ds)
			r := runArgs(t, nil, "", "device", "--provider", "github", "--client-id", "Iv1.cid", "--scope", "repo",
				"--device-url", ds.URL+"/device/code", "--token-url", ds.URL+"/token")
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if tt.code == 0 {
				tok := decodeTokenJSON(t, r.stdout)
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
			ds.mu.Lock()
			defer ds.mu.Unlock()
			if ds.n != tt.polls || len(ds.scopes) != 1 || ds.scopes[0] != "repo" {
				t.Errorf("%d polls, scopes %q; want %d polls and one code for repo", ds.n, ds.scopes, tt.polls)
			}
			for _, f := range ds.forms {
				if f.Get("client_id") != "Iv1.cid" || f.Has("client_secret") {
					t.Errorf("request %v: want client_id alone (a public client)", f)
				}
			}
		})
	}
}

func TestRunDeviceWithIssuer(t *testing.T) {
	ds := newDeviceServer(t, &deviceServer{})
	ms := newMetadataServer(t, func(d map[string]any) {
		d["token_endpoint"], d["device_authorization_endpoint"] = ds.URL+"/token", ds.URL+"/device/code"
	})
	r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "device", "--issuer", ms.URL, "--client-id", "cid", "--scope", "repo")
	if r.code != 0 || decodeTokenJSON(t, r.stdout)["access_token"] != "gho_DEVICE" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if f := ds.forms[0]; f.Get("client_secret") != "cs" {
		t.Errorf("device request %v: a confidential client authenticates there too (RFC 8628 §3.1)", f)
	}
}

func decodeTokenJSON(t *testing.T, out string) map[string]any {
	t.Helper()
	var tok map[string]any
	if err := json.Unmarshal([]byte(out), &tok); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	return tok
}
