package cli

import (
	"io"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
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

// token --min-valid longer than the server's tokens live refreshes every
// call: it says so on stderr, and still succeeds.
func TestRunTokenMinValidLongerThanTokens(t *testing.T) {
	env, st := profiletest.Env(t)
	ts := profiletest.NewTokenServer(t, "client", "client-secret", "refresh-0")
	saveCustom(t, st, "p", ts, auth.Custom(), profile.Keyring, time.Now().Add(time.Hour))
	r := runArgs(t, env, "", "token", "--profile", "p", "--min-valid", "10h")
	if r.code != 0 || r.stdout != "access-1\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: the new token lives 60 minutes, less than --min-valid 10 hours") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q: want one warning line", r.stderr)
	}
	if r := runArgs(t, env, "", "token", "--profile", "p", "--min-valid", "30m"); r.code != 0 || r.stderr != "" {
		t.Errorf("a token that lives long enough: exit %d, stderr %q; want no warning", r.code, r.stderr)
	}
}

// The wizard saves the flow it signed in with, decided as ui's useDevice.
func TestWizardFlow(t *testing.T) {
	device := auth.Config{Provider: auth.Provider{DeviceURL: "https://id.example/device"}}
	redirect := device
	redirect.RedirectURI = "http://127.0.0.1:8765/cb"
	for _, tt := range []struct {
		mode ui.DeviceMode
		cfg  auth.Config
		want string
	}{
		{ui.DeviceAuto, device, profile.FlowDevice},
		{ui.DeviceAuto, redirect, profile.FlowCode},
		{ui.DeviceAuto, auth.Config{}, profile.FlowCode},
		{ui.DeviceAlways, redirect, profile.FlowDevice},
		{ui.DeviceNever, device, profile.FlowCode},
	} {
		if got := wizardFlow(tt.mode, tt.cfg); got != tt.want {
			t.Errorf("wizardFlow(%v, %+v) = %q, want %q", tt.mode, tt.cfg.Provider, got, tt.want)
		}
	}
}
