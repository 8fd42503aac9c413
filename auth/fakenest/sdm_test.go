package fakenest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
)

const sdmProject = "0a1b2c3d-1234-5678-9abc-0123456789ab"

// sdmConfig is the Device Access preset at the fake, as --demo sets it up.
func sdmConfig(s *fakenest.SDM) auth.Config {
	p := auth.SDM()
	p.AuthURL, p.TokenURL, p.APIURL, p.RevokeURL = s.AuthURL(), s.TokenURL(), s.APIURL(), s.RevokeURL()
	return auth.Config{Provider: p, ClientID: clientID, ClientSecret: clientSecret, ProjectID: sdmProject}
}

// approveSDM has the fake approve cfg's URL and returns the code taken out
// of the landing address, as a person's paste of it gives.
func approveSDM(t *testing.T, s *fakenest.SDM, cfg auth.Config, state, verifier string) string {
	t.Helper()
	landing, err := s.Approve(cfg.AuthCodeURL(state, verifier))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(landing, "https://www.google.com/?") {
		t.Fatalf("landing %q, want https://www.google.com/?…", landing)
	}
	code, err := auth.ParseCode(landing, state)
	if err != nil || !code.FromURL || !code.StateChecked || !strings.HasPrefix(code.Value, "4/0A") {
		t.Fatalf("ParseCode(%q): %+v, %v", landing, code, err)
	}
	return code.Value
}

// nestauth's own client walks the fake: the URL it builds is approved, the
// code is bound to the PKCE verifier and used once, the token lists the
// project's devices, refreshes, and is revoked.
func TestSDMWalk(t *testing.T) {
	s := fakenest.NewSDMTest(t, clientID, clientSecret, sdmProject)
	cfg := sdmConfig(s)
	ctx := context.Background()

	verifier := auth.NewVerifier()
	code := approveSDM(t, s, cfg, "st1", verifier)
	var te *auth.Error
	if _, err := cfg.Exchange(ctx, code, auth.NewVerifier()); !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Fatalf("exchange with another verifier: %v, want invalid_grant", err)
	}
	code = approveSDM(t, s, cfg, "st2", verifier)
	tok, err := cfg.Exchange(ctx, code, verifier)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.AccessToken, "ya29.") || tok.RefreshToken == "" || tok.TokenType != "Bearer" {
		t.Errorf("token %+v", tok)
	}
	if _, err := cfg.Exchange(ctx, code, verifier); !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Errorf("second exchange of one code: %v, want invalid_grant", err)
	}

	res, err := auth.Check(ctx, cfg, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	want := []auth.Device{
		{Type: "THERMOSTAT", Name: fakenest.DemoSDMThermostat, Room: fakenest.DemoSDMRoom},
		{Type: "DOORBELL", Room: fakenest.DemoSDMDoorbell},
	}
	if !reflect.DeepEqual(res.Devices, want) || !strings.HasSuffix(res.URL, "/v1/enterprises/"+sdmProject+"/devices") {
		t.Errorf("check: %s %+v, want %+v", res.URL, res.Devices, want)
	}

	fresh, err := cfg.Refresh(ctx, tok.RefreshToken)
	if err != nil || fresh.AccessToken == tok.AccessToken || !s.TokenValid(fresh.AccessToken) {
		t.Fatalf("refresh: %+v, %v", fresh, err)
	}
	if err := auth.Revoke(ctx, cfg, tok); err != nil {
		t.Fatal(err)
	}
	if res, err := auth.Check(ctx, cfg, tok.AccessToken); err == nil && len(res.Devices) > 0 {
		t.Errorf("a revoked token still lists devices: %+v", res)
	}
}

// The device list is SDM's own shape: enterprises/P/devices/ID names, full
// type names, traits and parent relations.
func TestSDMDeviceListShape(t *testing.T) {
	s := fakenest.NewSDMTest(t, clientID, clientSecret, sdmProject)
	cfg := sdmConfig(s)
	verifier := auth.NewVerifier()
	tok, err := cfg.Exchange(context.Background(), approveSDM(t, s, cfg, "st", verifier), verifier)
	if err != nil {
		t.Fatal(err)
	}
	body, status := getBody(t, s.URL+"/v1/enterprises/"+sdmProject+"/devices", tok.AccessToken)
	for _, want := range []string{`"name":"enterprises/` + sdmProject + `/devices/`, `"type":"sdm.devices.types.THERMOSTAT"`,
		`"sdm.devices.traits.Info":{"customName":"` + fakenest.DemoSDMThermostat + `"}`, `"sdm.devices.traits.Temperature"`,
		`"parentRelations":[{"displayName":"` + fakenest.DemoSDMRoom + `","parent":"enterprises/` + sdmProject + `/structures/`} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("HTTP %d, body lacks %s:\n%s", status, want, body)
		}
	}
	for _, c := range []struct{ path, token, want string }{
		{"/v1/enterprises/" + sdmProject + "/devices", "ya29.unknown", `"status":"UNAUTHENTICATED"`},
		{"/v1/enterprises/my-project-123456/devices", tok.AccessToken, `"status":"NOT_FOUND"`},
	} {
		if body, _ := getBody(t, s.URL+c.path, c.token); !strings.Contains(body, c.want) {
			t.Errorf("%s: body lacks %s:\n%s", c.path, c.want, body)
		}
	}
}

// The consent page refuses what Google's does, and Allow redirects to the
// registered redirect or a loopback one with a code and the state.
func TestSDMConsent(t *testing.T) {
	s := fakenest.NewSDMTest(t, clientID, clientSecret, sdmProject)
	cfg := sdmConfig(s)
	page, status := getBody(t, cfg.AuthCodeURL("st", auth.NewVerifier()), "")
	if status != http.StatusOK || !strings.Contains(page, sdmProject) || !strings.Contains(page, ">Allow</button>") {
		t.Errorf("consent page, HTTP %d:\n%s", status, page)
	}
	bad := func(edit func(q url.Values), want string) {
		t.Helper()
		u, _ := url.Parse(cfg.AuthCodeURL("st", auth.NewVerifier()))
		q := u.Query()
		edit(q)
		u.RawQuery = q.Encode()
		if page, status := getBody(t, u.String(), ""); status != http.StatusBadRequest || !strings.Contains(page, want) {
			t.Errorf("HTTP %d, page lacks %q:\n%s", status, want, page)
		}
		if _, err := s.Approve(u.String()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Approve: %v, want %q", err, want)
		}
	}
	bad(func(q url.Values) { q.Set("redirect_uri", "https://evil.example") }, "redirect_uri_mismatch")
	bad(func(q url.Values) { q.Set("client_id", "other") }, "invalid_client")
	bad(func(q url.Values) { q.Set("scope", "email") }, "invalid_scope")
	bad(func(q url.Values) { q.Set("code_challenge_method", "plain") }, "S256")
	wrongProject := strings.Replace(cfg.AuthCodeURL("st", ""), sdmProject, "my-project-123456", 1)
	if page, status := getBody(t, wrongProject, ""); status != http.StatusNotFound || !strings.Contains(page, "Device Access Console") {
		t.Errorf("wrong project: HTTP %d:\n%s", status, page)
	}

	for _, redirect := range []string{"https://www.google.com", "http://127.0.0.1:8085/callback"} {
		c := cfg
		c.RedirectURI = redirect
		u := c.AuthCodeURL("st", auth.NewVerifier())
		resp, err := noRedirects.PostForm(u, url.Values{"action": {"allow"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("state") != "st" || !strings.HasPrefix(loc.Query().Get("code"), "4/0A") ||
			!strings.HasPrefix(loc.String(), strings.TrimSuffix(redirect, "/")) {
			t.Errorf("%s: Allow answered %d to %q", redirect, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

func getBody(t *testing.T, u, token string) (string, int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}

// Latency holds the token endpoint's answer back at least that long.
func TestSDMLatency(t *testing.T) {
	s := fakenest.NewSDM(clientID, clientSecret, sdmProject)
	s.Latency = 200 * time.Millisecond
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	cfg := sdmConfig(s)
	verifier := auth.NewVerifier()
	code := approveSDM(t, s, cfg, "st", verifier)
	start := time.Now()
	if _, err := cfg.Exchange(context.Background(), code, verifier); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < s.Latency {
		t.Errorf("the token came after %v, before the latency of %v", took, s.Latency)
	}
}
