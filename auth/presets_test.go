package auth_test

import (
	"testing"

	"nestauth/auth"
)

func TestPresets(t *testing.T) {
	tests := []struct {
		p          auth.Provider
		wantDevice bool
		wantPublic bool
	}{
		{auth.GitHub(), true, true},
		{auth.Google(), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.p.ID, func(t *testing.T) {
			ep, ok := auth.PresetEndpoints(tt.p.ID)
			if !ok {
				t.Fatalf("PresetEndpoints(%q) found nothing", tt.p.ID)
			}
			if ep.Auth != tt.p.AuthURL || ep.Token != tt.p.TokenURL {
				t.Errorf("endpoints %+v disagree with the provider's %s, %s", ep, tt.p.AuthURL, tt.p.TokenURL)
			}
			if (ep.Device != "") != tt.wantDevice || tt.p.PublicClient != tt.wantPublic || !tt.p.PKCE {
				t.Errorf("device %q, public %v, PKCE %v; want device %v, public %v, PKCE", ep.Device, tt.p.PublicClient, tt.p.PKCE, tt.wantDevice, tt.wantPublic)
			}
			for _, u := range []string{ep.Auth, ep.Token, ep.Device, ep.Revoke, ep.Userinfo} {
				if u != "" && u[:8] != "https://" {
					t.Errorf("endpoint %s is not https", u)
				}
			}
			c := auth.Config{Provider: tt.p, ClientID: "id", ClientSecret: "secret"}
			if err := c.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	if _, ok := auth.PresetEndpoints("custom"); ok {
		t.Error("PresetEndpoints(custom) found endpoints")
	}
}
