package e2e

// The device flow (RFC 8628) through auth's API against the real,
// independent oidc-provider (.ci/oidc) with its device flow enabled; the
// person at the verification page is browse.js --user-code. Loopback only.

import (
	"context"
	"errors"
	"testing"
	"time"

	"nestauth/auth"
)

func TestE2EDeviceFlowOIDC(t *testing.T) {
	issuer := startOIDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	m, err := auth.Discover(ctx, issuer, nil)
	if err != nil {
		t.Fatalf("Discover(%s): %v", issuer, err)
	}
	if m.Issuer != issuer || m.DeviceURL != issuer+"/device/auth" || m.TokenURL != issuer+"/token" || !m.OffersDevice() || !m.S256() {
		t.Fatalf("metadata %+v: want issuer %s, its /device/auth and /token, the device grant and S256", m, issuer)
	}
	p, err := m.Apply(auth.Custom(), false)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		clientID string
		secret   string
		style    auth.AuthStyle
		deny     bool
		complete bool      // open verification_uri_complete rather than type the code
		wantErr  error     // from PollOnce
		authKind auth.Kind // DeviceAuth refused with this kind
	}{
		{name: "confidential client, post", clientID: oidcID, secret: oidcSecret},
		{name: "confidential client, basic", clientID: oidcID + "-basic", secret: oidcSecret, style: auth.AuthInHeader, complete: true},
		{name: "public client", clientID: oidcID + "-public"},
		{name: "denied on the verification page", clientID: oidcID, secret: oidcSecret, deny: true, wantErr: auth.ErrAccessDenied},
		{name: "secret in the wrong style is refused at the device endpoint", clientID: oidcID, secret: oidcSecret, style: auth.AuthInHeader, authKind: auth.KindSecret},
		{name: "x/oauth2's request (client_id alone) is refused for a confidential client", clientID: oidcID, authKind: auth.KindSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := p
			cp.AuthStyle = tt.style
			c := auth.Config{Provider: cp, ClientID: tt.clientID, ClientSecret: tt.secret}
			dc, err := c.DeviceAuth(ctx, m.DeviceURL, []string{"read"})
			if tt.authKind != auth.KindUnknown {
				if auth.ErrorKind(err) != tt.authKind {
					t.Fatalf("DeviceAuth = %+v, %v (kind %v); want kind %v", dc, err, auth.ErrorKind(err), tt.authKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("DeviceAuth: %v", err)
			}
			if dc.VerificationURI != issuer+"/device" || dc.UserCode == "" || dc.Interval != 5*time.Second || dc.Expiry.IsZero() {
				t.Fatalf("device code %+v: want the issuer's /device page, a user code, the default 5 s interval and an expiry", dc)
			}

			tok, next, err := c.PollOnce(ctx, dc)
			if tok != nil || err != nil || next != dc.Interval {
				t.Fatalf("poll before approval = %+v, %v, %v; want pending with next %v", tok, next, err, dc.Interval)
			}

			page, args := dc.VerificationURI, []string{"--user-code", dc.UserCode}
			if tt.complete {
				page = dc.VerificationURIComplete
			}
			if tt.deny {
				args = append(args, "--deny")
			}
			out, _ := browse(t, append(args, page)...)
			if want := map[bool]string{false: "approved", true: "denied"}[tt.deny]; out != want {
				t.Fatalf("browse.js said %q, want %q", out, want)
			}

			// oidc-provider enforces no interval, so the loop need not wait.
			for i := 0; tok == nil && err == nil && i < 3; i++ {
				tok, _, err = c.PollOnce(ctx, dc)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("after the browser: %+v, %v; want %v", tok, err, tt.wantErr)
				}
				return
			}
			if err != nil || tok == nil {
				t.Fatalf("after approval: %+v, %v; want a token", tok, err)
			}
			if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Scope != "read" || tok.ExpiresIn != 3600 {
				t.Errorf("token %+v: want an access and a refresh token, scope read, 3600 s", tok)
			}
			// The device code is single-use: the next poll is refused.
			if tok2, _, err := c.PollOnce(ctx, dc); tok2 != nil || auth.ErrorKind(err) != auth.KindCode {
				t.Errorf("poll after the token = %+v, %v; want the used code refused", tok2, err)
			}
		})
	}

	t.Run("PollDevice: the blocking helper, approval during the first wait", func(t *testing.T) {
		c := auth.Config{Provider: p, ClientID: oidcID + "-public"}
		dc, err := c.DeviceAuth(ctx, m.DeviceURL, []string{"read"})
		if err != nil {
			t.Fatal(err)
		}
		var waits []time.Duration
		wait := func(_ context.Context, d time.Duration) error {
			if waits = append(waits, d); len(waits) == 2 {
				browse(t, "--user-code", dc.UserCode, dc.VerificationURI)
			}
			return nil
		}
		tok, err := c.PollDevice(ctx, dc, wait)
		if err != nil || tok.AccessToken == "" {
			t.Fatalf("PollDevice = %+v, %v; want a token", tok, err)
		}
		if len(waits) != 2 || waits[0] != 5*time.Second || waits[1] != 5*time.Second {
			t.Errorf("waits = %v, want two of 5 s (one pending poll, then the approved one)", waits)
		}
	})
}
