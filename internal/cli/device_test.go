package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
	"nestauth/ui"
)

// A profile saved from the device flow keeps its endpoints, issuer and
// flow: device --profile and the wizard start from it.
func TestDeviceProfileSignsInAgain(t *testing.T) {
	env, st := profiletest.Env(t)
	ds := testkit.NewDeviceServer(t, &testkit.DeviceServer{})
	ms := testkit.NewMetadataServer(t, func(d map[string]any) {
		d["token_endpoint"], d["device_authorization_endpoint"] = ds.URL+"/token", ds.URL+"/device/code"
		d["userinfo_endpoint"], d["revocation_endpoint"] = ds.URL+"/me", ds.URL+"/revoke"
	})
	r := runArgs(t, env, "", "device", "--issuer", ms.URL, "--client-id", "cid", "--scope", "openid", "--profile", "d", "--store", "file", "--save")
	if r.code != 0 {
		t.Fatalf("device --save: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	p, err := st.Load("d")
	if err != nil {
		t.Fatal(err)
	}
	s := p.Settings
	if s.Issuer != ms.URL || s.DeviceURL != ds.URL+"/device/code" || s.CheckURL != ds.URL+"/me" || s.UserinfoURL != ds.URL+"/me" ||
		s.RevokeURL != ds.URL+"/revoke" || s.Flow != profile.FlowDevice {
		t.Errorf("saved settings %+v: want the issuer, every endpoint and flow device", s)
	}

	hits := ms.Requests()
	r = runArgs(t, env, "", "device", "--profile", "d")
	if r.code != 0 || testkit.DecodeJSON(t, r.stdout)["access_token"] != "gho_DEVICE" {
		t.Fatalf("device --profile d: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if ms.Requests() != hits {
		t.Errorf("device --profile d read the metadata again: the profile has the endpoints")
	}
	ds.Mu.Lock()
	if got := ds.Scopes[len(ds.Scopes)-1]; got != "openid" {
		t.Errorf("device --profile d asked for scope %q; want the saved openid", got)
	}
	ds.Mu.Unlock()

	o, err := parseFlags("wizard", []string{"--profile", "d"}, fixedEnv(env))
	if err != nil {
		t.Fatal(err)
	}
	uo := ui.Options{Device: o.device}
	if err := o.wizardProfile(&uo, io.Discard); err != nil {
		t.Fatal(err)
	}
	if uo.Device != ui.DeviceAlways || uo.ClientID != "cid" || uo.Providers[0].DeviceURL != ds.URL+"/device/code" {
		t.Errorf("the wizard from profile d: device %v, client %q, provider %+v; want the device flow", uo.Device, uo.ClientID, uo.Providers[0])
	}
	o, _ = parseFlags("wizard", []string{"--profile", "d", "--no-device"}, fixedEnv(env))
	uo = ui.Options{Device: o.device}
	if err := o.wizardProfile(&uo, io.Discard); err != nil || uo.Device != ui.DeviceNever {
		t.Errorf("--no-device over a device profile: %v, %v", uo.Device, err)
	}
}

func TestDeviceProfileFlags(t *testing.T) {
	env, _ := profiletest.Env(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"device", "--profile", "none"}, "to create one, sign in with --profile none --save"},
		{[]string{"device", "--provider", "github", "--client-id", "id", "--store", "file"}, "add --save"},
		{[]string{"exchange", "--provider", "github", "--client-id", "id", "--profile", "x", "--code", "c"}, "add --save"},
	} {
		r := runArgs(t, env, "", tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

// device without --scope asks for openid when the server lists it, as the
// wizard and plain mode pre-fill it; a refusal with no scope sent says a
// scope may be needed.
func TestDeviceDefaultScope(t *testing.T) {
	for _, tt := range []struct {
		name   string
		listed []string
		scope  string
		hint   bool
	}{
		{name: "openid listed", listed: []string{"openid", "email"}, scope: "openid"},
		{name: "openid not listed", listed: []string{"email"}, scope: "", hint: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ds := testkit.NewDeviceServer(t, &testkit.DeviceServer{Polls: []string{"access_denied"}})
			ms := testkit.NewMetadataServer(t, func(d map[string]any) {
				d["token_endpoint"], d["device_authorization_endpoint"] = ds.URL+"/token", ds.URL+"/device/code"
				d["scopes_supported"] = tt.listed
			})
			r := runArgs(t, nil, "", "device", "--issuer", ms.URL, "--client-id", "cid")
			ds.Mu.Lock()
			got := ds.Scopes
			ds.Mu.Unlock()
			if r.code != exitRejectedCode || len(got) != 1 || got[0] != tt.scope {
				t.Errorf("exit %d, scopes sent %q; want 3 and %q; stderr:\n%s", r.code, got, tt.scope, r.stderr)
			}
			if hint := strings.Contains(r.stderr, "a scope may be needed"); hint != tt.hint {
				t.Errorf("the scope hint shown: %v, want %v; stderr:\n%s", hint, tt.hint, r.stderr)
			}
		})
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

// dexDevice answers as Dex does: its device endpoint takes the client from
// client_id in the body alone. Without it the code is issued, but the
// approval page fails, so the polls stay pending until the code expires.
type dexDevice struct {
	*httptest.Server
	mu      sync.Mutex
	devices []url.Values // the device requests' bodies
	auths   []string     // their Authorization headers
}

func newDexDevice(t *testing.T) *dexDevice {
	t.Helper()
	d := &dexDevice{}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(b))
		d.mu.Lock()
		defer d.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/device/code":
			d.devices = append(d.devices, form)
			d.auths = append(d.auths, r.Header.Get("Authorization"))
			_ = json.NewEncoder(w).Encode(map[string]any{"device_code": "dc-1", "user_code": "ABCD-EFGH",
				"verification_uri": d.URL + "/device", "expires_in": 2, "interval": 1})
		case "/token":
			if len(d.devices) == 0 || d.devices[len(d.devices)-1].Get("client_id") == "" {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error":"authorization_pending"}`) // the approval page failed: Invalid client_id ("")
				return
			}
			fmt.Fprint(w, `{"access_token":"at-dex","token_type":"bearer","expires_in":3600}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(d.Close)
	return d
}

func TestRunDeviceSendsClientIDInTheBody(t *testing.T) {
	for _, style := range []string{"post", "basic"} {
		t.Run(style, func(t *testing.T) {
			t.Parallel()
			d := newDexDevice(t)
			r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "device", "--provider", "custom",
				"--client-id", "example-app", "--auth-style", style, "--scope", "openid",
				"--device-url", d.URL+"/device/code", "--token-url", d.URL+"/token")
			if r.code != 0 || testkit.DecodeJSON(t, r.stdout)["access_token"] != "at-dex" {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			if len(d.devices) != 1 || d.devices[0].Get("client_id") != "example-app" {
				t.Fatalf("device requests %v: want one, with client_id=example-app in the body", d.devices)
			}
			basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("example-app:cs"))
			if style == "basic" && (d.auths[0] != basic || d.devices[0].Has("client_secret")) {
				t.Errorf("basic: Authorization %q, body %v; want %q and no client_secret in the body", d.auths[0], d.devices[0], basic)
			}
			if style == "post" && (d.auths[0] != "" || d.devices[0].Get("client_secret") != "cs") {
				t.Errorf("post: Authorization %q, body %v; want the credentials in the body only", d.auths[0], d.devices[0])
			}
		})
	}
}
