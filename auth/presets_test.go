package auth_test

import (
	"strings"
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
			p := tt.p
			if (p.DeviceURL != "") != tt.wantDevice || p.PublicClient != tt.wantPublic || !p.PKCE {
				t.Errorf("device %q, public %v, PKCE %v; want device %v, public %v, PKCE", p.DeviceURL, p.PublicClient, p.PKCE, tt.wantDevice, tt.wantPublic)
			}
			for _, u := range []string{p.AuthURL, p.TokenURL, p.DeviceURL, p.RevokeURL, p.UserinfoURL, p.CheckURL} {
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
}

func TestProvidersOrder(t *testing.T) {
	var ids []string
	for _, p := range auth.Providers() {
		ids = append(ids, p.ID)
	}
	if got := strings.Join(ids, " "); got != "sdm nest google github custom" {
		t.Errorf("Providers() = %s; want sdm nest google github custom", got)
	}
}
