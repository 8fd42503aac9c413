package cli

import (
	"bytes"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/profile"
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
