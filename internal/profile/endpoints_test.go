package profile_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/profile"
)

// A device-flow profile keeps every endpoint the run used, its issuer and
// its flow, so that it signs in again (and checks its token) without them.
func TestSettingsKeepEveryEndpointAndTheFlow(t *testing.T) {
	st, _ := newStore(t)
	p := auth.Custom()
	p.AuthURL, p.TokenURL = "https://id.example/auth", "https://id.example/token"
	p.DeviceURL, p.RevokeURL = "https://id.example/device", "https://id.example/revoke"
	p.CheckURL, p.UserinfoURL = "https://id.example/me", "https://id.example/userinfo"
	set := profile.SettingsFor(auth.Config{Provider: p, ClientID: "id"}, profile.File)
	set.Issuer, set.Flow = "https://id.example", profile.FlowDevice
	if _, err := st.Save("d", set, profile.Secrets{}); err != nil {
		t.Fatal(err)
	}
	text := readFile(t, filepath.Join(st.Dir, profile.SettingsFile))
	for _, want := range []string{"issuer = https://id.example\n", "device_url = https://id.example/device\n",
		"check_url = https://id.example/me\n", "userinfo_url = https://id.example/userinfo\n", "flow = device\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the file lacks %q:\n%s", want, text)
		}
	}
	loaded, err := st.Load("d")
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Settings.Issuer != set.Issuer || loaded.Settings.Flow != profile.FlowDevice {
		t.Errorf("issuer, flow = %q, %q; want %q, device", loaded.Settings.Issuer, loaded.Settings.Flow, set.Issuer)
	}
	cfg, err := loaded.Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DeviceURL != p.DeviceURL || cfg.CheckURL != p.CheckURL || cfg.UserinfoURL != p.UserinfoURL || cfg.RevokeURL != p.RevokeURL {
		t.Errorf("endpoints came back as %+v", cfg.Provider)
	}
}

// A file written before these keys loads with the provider's own, and a
// flow nestauth does not know fails only its profile.
func TestSettingsWithoutTheNewKeys(t *testing.T) {
	st, _ := newStore(t)
	writeFile(t, filepath.Join(st.Dir, profile.SettingsFile), `[profile old]
provider = google
client_id = id
secrets = file

[profile odd]
provider = custom
token_url = https://id.example/token
flow = carrier-pigeon
`)
	old, err := st.Load("old")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := old.Config()
	if err != nil || cfg.UserinfoURL != auth.Google().UserinfoURL || cfg.DeviceURL != auth.Google().DeviceURL || old.Settings.Flow != "" {
		t.Errorf("an old profile = %+v, %v; want google's endpoints and no flow", cfg.Provider, err)
	}
	var fe *profile.FileError
	if _, err := st.Load("odd"); !errors.As(err, &fe) || fe.Line != 9 {
		t.Errorf("flow = carrier-pigeon: %v; want a FileError on line 9", err)
	}
}
