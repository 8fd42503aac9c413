package ui

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

// issuerServer serves an OpenID Connect metadata document at
// /.well-known/openid-configuration: testkit's, with a device endpoint at
// /device/auth, revocation, userinfo, scopes and the device grant listed;
// doc edits it (nil: 404).
func issuerServer(t *testing.T, doc func(issuer string, d map[string]any)) *httptest.Server {
	t.Helper()
	var edit func(d map[string]any)
	if doc != nil {
		edit = func(d map[string]any) {
			issuer := d["issuer"].(string)
			d["device_authorization_endpoint"] = issuer + "/device/auth"
			d["revocation_endpoint"] = issuer + "/token/revocation"
			d["userinfo_endpoint"] = issuer + "/me"
			d["scopes_supported"] = []string{"openid", "offline_access", "read"}
			d["grant_types_supported"] = []string{"authorization_code", "refresh_token", auth.GrantDeviceCode}
			doc(issuer, d)
		}
	}
	return testkit.NewMetadataServer(t, edit).Server
}

var tab = tea.KeyPressMsg{Code: tea.KeyTab}

func customOptions() Options {
	return Options{Providers: []auth.Provider{auth.Custom()}, ClientID: "cid", ClientSecret: "cs"}
}

func TestIssuerStepDiscovers(t *testing.T) {
	srv := issuerServer(t, func(string, map[string]any) {})
	m, _, _ := newModel(t, customOptions())
	wantStep(t, m, stepIssuer)
	wantView(t, m, "Step 1 · Issuer", "enter find endpoints", "tab type endpoints", "ctrl+c quit")
	if strings.Contains(view(m), "esc back") {
		t.Error("the first step offers esc back")
	}

	m = typeString(srv.URL, m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepScopes)
	wantView(t, m, "Found the endpoints in "+srv.URL+"/.well-known/openid-configuration")
	if got := m.value(stepScopes); got != "openid" {
		t.Errorf("scopes prefilled with %q, want openid (the server lists it)", got)
	}
	m = typeString(" read", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepRedirect)
	p := m.Provider()
	if p.AuthURL != srv.URL+"/auth" || p.TokenURL != srv.URL+"/token" || p.DeviceURL != srv.URL+"/device/auth" ||
		p.RevokeURL != srv.URL+"/token/revocation" || p.CheckURL != srv.URL+"/me" || !p.PKCE || strings.Join(p.Scopes, " ") != "openid read" {
		t.Errorf("provider after discovery = %+v", p)
	}
	// No redirect URI and a device endpoint whose grant is listed: the device flow.
	if !m.useDevice() {
		t.Error("no redirect URI and a listed device grant should mean the device flow")
	}
	m = typeString("https://app.example/callback", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
	u, err := url.Parse(m.authURL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme+"://"+u.Host+u.Path != srv.URL+"/auth" || q.Get("scope") != "openid read" || q.Get("code_challenge") == "" ||
		q.Get("redirect_uri") != "https://app.example/callback" {
		t.Errorf("authorization URL %s", u)
	}
	wantView(t, m, "Step 6 of 8 · Authorize")

	// esc goes back through every answer, each kept.
	for _, s := range []step{stepSecret, stepClientID, stepRedirect, stepScopes, stepIssuer} {
		m = send(t, m, esc)
		wantStep(t, m, s)
	}
	if m.value(stepIssuer) != srv.URL || m.value(stepScopes) != "openid read" {
		t.Errorf("answers lost going back: issuer %q, scopes %q", m.value(stepIssuer), m.value(stepScopes))
	}
}

func TestIssuerStepFailures(t *testing.T) {
	tests := []struct {
		name  string
		doc   func(issuer string, d map[string]any)
		opts  func(*Options)
		typed func(srvURL string) string
		want  []string
		step  step // where the wizard is after enter
	}{
		{name: "no metadata", want: []string{"Could not read the issuer's metadata", "HTTP 404", "press tab to type the endpoints"}, step: stepIssuer},
		{name: "another issuer", doc: func(_ string, d map[string]any) { d["issuer"] = "https://evil.example" },
			want: []string{"names another issuer", "evil.example"}, step: stepIssuer},
		{name: "no S256", doc: func(_ string, d map[string]any) { delete(d, "code_challenge_methods_supported") },
			want: []string{"S256", "--no-pkce", "tab"}, step: stepIssuer},
		{name: "no S256 with --no-pkce", doc: func(_ string, d map[string]any) { delete(d, "code_challenge_methods_supported") },
			opts: func(o *Options) { o.NoPKCE = true }, step: stepScopes},
		{name: "empty", typed: func(string) string { return "" }, want: []string{"Give the issuer URL", "tab"}, step: stepIssuer},
		{name: "plain http off this machine", typed: func(string) string { return "http://idp.example" }, want: []string{"plain http://"}, step: stepIssuer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := issuerServer(t, tt.doc)
			o := customOptions()
			if tt.opts != nil {
				tt.opts(&o)
			}
			m, _, _ := newModel(t, o)
			typed := srv.URL
			if tt.typed != nil {
				typed = tt.typed(srv.URL)
			}
			m = typeString(typed, m, t)
			m = send(t, m, enter)
			wantStep(t, m, tt.step)
			wantView(t, m, tt.want...)
			if tt.step == stepIssuer && m.custom.found != nil {
				t.Error("a failed discovery left endpoints behind")
			}
		})
	}
}

func TestIssuerFromFlagsDiscoversAfterTheFirstFrame(t *testing.T) {
	srv := issuerServer(t, func(string, map[string]any) {})
	o := customOptions()
	o.Issuer, o.Scopes, o.RedirectURI = srv.URL, []string{"read"}, "https://app.example/callback"
	m, _, _ := newModel(t, o)
	// The first frame: the Issuer step, its field filled; nothing fetched yet.
	wantStep(t, m, stepIssuer)
	if m.value(stepIssuer) != srv.URL || m.custom.found != nil {
		t.Fatalf("before Init: field %q, found %v", m.value(stepIssuer), m.custom.found)
	}
	cmd := m.Init()
	wantView(t, m, "Reading the issuer's metadata", "esc cancel")
	m = run(t, m, cmd)
	// Scopes, redirect URI, client ID and secret all came from flags.
	wantStep(t, m, stepAuthorize)
	if p := m.Provider(); p.TokenURL != srv.URL+"/token" || strings.Join(p.Scopes, " ") != "read" {
		t.Errorf("provider %+v", p)
	}
	m = send(t, m, esc)
	wantStep(t, m, stepSecret)
}

func TestIssuerDiscoveryCancel(t *testing.T) {
	hold := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hold:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(hold); srv.Close() })
	m, _, _ := newModel(t, customOptions())
	m = typeString(srv.URL, m, t)
	next, cmd := m.Update(enter)
	m = next.(Model)
	wantView(t, m, "Reading the issuer's metadata", "esc cancel")
	attempt := m.custom.discovery.attempt
	m = typeString("x", m, t) // the field takes no keys meanwhile
	if m.value(stepIssuer) != srv.URL {
		t.Fatalf("field changed during discovery: %q", m.value(stepIssuer))
	}
	m = send(t, m, esc)
	wantStep(t, m, stepIssuer)
	wantView(t, m, "Canceled.", "Enter tries again")
	if m.custom.discovery.running {
		t.Fatal("esc did not stop the discovery")
	}
	_ = cmd // its answer, if any, is late:
	m = send(t, m, discoveredMsg{attempt: attempt, md: &auth.Metadata{AuthURL: "https://late.example/a", TokenURL: "https://late.example/t"}})
	wantStep(t, m, stepIssuer)
	if m.custom.found != nil {
		t.Fatal("a canceled discovery's late answer was taken")
	}
}

func TestTabTypesTheEndpoints(t *testing.T) {
	m, _, _ := newModel(t, customOptions())
	m = send(t, m, tab)
	wantStep(t, m, stepAuthEndpoint)
	wantView(t, m, "Step 2 of 10 · Authorization endpoint")
	m = send(t, m, enter)
	wantView(t, m, "Give the endpoint's URL")
	m = typeString("http://idp.example/authorize", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthEndpoint)
	wantView(t, m, "plain http://")
	for range len("http://idp.example/authorize") {
		m = send(t, m, backsp)
	}
	m = typeString("https://idp.example/authorize", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepTokenEndpoint)
	m = typeString(" https://idp.example/token ", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepScopes)
	if m.value(stepScopes) != "" {
		t.Errorf("scopes prefilled %q without discovery", m.value(stepScopes))
	}
	m = typeString(`read "write"`, m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepScopes)
	wantView(t, m, "scope is printable ASCII")
	for range len(`"write"`) {
		m = send(t, m, backsp)
	}
	m = typeString("write", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepRedirect)
	m = send(t, m, enter) // empty: the client's default
	wantStep(t, m, stepAuthorize)
	u, _ := url.Parse(m.authURL())
	if u.Host != "idp.example" || u.Path != "/authorize" || u.Query().Get("scope") != "read write" || u.Query().Get("code_challenge") == "" {
		t.Errorf("authorization URL %s", u)
	}
	if p := m.Provider(); p.TokenURL != "https://idp.example/token" || p.DeviceURL != "" {
		t.Errorf("provider %+v", p)
	}
	// Back to the issuer: Enter there discovers again, and wins over the typed endpoints.
	for _, s := range []step{stepSecret, stepClientID, stepRedirect, stepScopes, stepTokenEndpoint, stepAuthEndpoint, stepIssuer} {
		m = send(t, m, esc)
		wantStep(t, m, s)
	}
	srv := issuerServer(t, func(string, map[string]any) {})
	m = typeString(srv.URL, m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepScopes)
	if p := m.Provider(); p.TokenURL != srv.URL+"/token" {
		t.Errorf("after discovery the token URL is %q", p.TokenURL)
	}
}

func TestTabAfterDiscoveryStartsFromTheDiscoveredEndpoints(t *testing.T) {
	srv := issuerServer(t, func(string, map[string]any) {})
	m, _, _ := newModel(t, customOptions())
	m = typeString(srv.URL, m, t)
	m = send(t, m, enter)
	m = send(t, m, esc)
	wantStep(t, m, stepIssuer)
	m = send(t, m, tab)
	if m.value(stepAuthEndpoint) != srv.URL+"/auth" || m.value(stepTokenEndpoint) != srv.URL+"/token" {
		t.Errorf("endpoint fields %q %q", m.value(stepAuthEndpoint), m.value(stepTokenEndpoint))
	}
}
