package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/testkit"
	"nestauth/ui"
)

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

// --demo fills in its own client: a client flag given with it is refused,
// not passed over in silence; the same values from the environment are.
func TestDemoRefusesClientFlags(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "secret")
	testkit.WriteFile(t, secretFile, "s3cret\n")
	for _, args := range [][]string{
		{"--demo", "--plain", "--project-id", "0a1b2c3d-1234-5678-9abc-0123456789ab"},
		{"--demo", "--plain", "--client-id", "mine"},
		{"--demo", "--plain", "--client-secret-file", secretFile},
	} {
		r := runArgs(t, nil, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--demo fills in its own") || !strings.Contains(r.stderr, args[2]) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %s", args, r.code, r.stderr, args[2])
		}
	}
	r := runArgs(t, map[string]string{"NESTAUTH_PROJECT_ID": "my-gcp-project", "NESTAUTH_CLIENT_ID": "mine"}, "", "--demo", "--plain", "--provider", "sdm")
	if strings.Contains(r.stderr, "--demo fills in its own") {
		t.Errorf("the environment's values were refused: %s", r.stderr)
	}
}
