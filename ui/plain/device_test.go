package plain_test

import (
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/profile/profiletest"
	"nestauth/internal/testkit"
)

// The device flow in plain mode (the step count follows what is known, as
// the wizard's does): the server offers it and there is no
// redirect URI, so the user code is shown and polled for; --save keeps it.
func TestPlainDeviceFlow(t *testing.T) {
	env, st := profiletest.Env(t)
	ds := testkit.NewDeviceServer(t, &testkit.DeviceServer{Polls: []string{"authorization_pending"}})
	ms := testkit.NewMetadataServer(t, func(d map[string]any) {
		d["token_endpoint"], d["device_authorization_endpoint"] = ds.URL+"/token", ds.URL+"/device/code"
		d["grant_types_supported"] = []string{"authorization_code", auth.GrantDeviceCode}
	})
	r := runArgs(t, env, "repo\n\ncid\ncs\n", "--plain", "--issuer", ms.URL, "--save", "--profile", "dev")
	if r.code != 0 || r.stdout != "gho_DEVICE\n" {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantStderr(t, r.stderr, "Step 1: Scopes\n", "Step 3 of 6: Client ID\n", "Step 5 of 6: Device code\n", "/login/device", "WDJB-MJHT", "Saved profile dev")
	if strings.Contains(r.stderr, "Issuer") { // --issuer's discovery asks nothing: no step
		t.Errorf("an Issuer step that never asks:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "Authorization code") || strings.Contains(r.stderr, "Open this URL") {
		t.Errorf("asked for a code in the device flow:\n%s", r.stderr)
	}
	if p, err := st.Load("dev"); err != nil || p.Secrets.AccessToken != "gho_DEVICE" {
		t.Errorf("profile %+v, %v", p, err)
	}
	ds.Mu.Lock()
	defer ds.Mu.Unlock()
	if ds.N != 2 || ds.Scopes[0] != "repo" {
		t.Errorf("%d polls, scopes %q", ds.N, ds.Scopes)
	}
}
