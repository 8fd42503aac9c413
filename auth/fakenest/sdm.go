package fakenest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// SDM is a fake Google Nest Device Access service for one OAuth client and
// one Device Access project, as ../shared/PROTOCOL.md §2 describes the real
// one: the Partner Connections consent page, Google's token endpoint (with
// PKCE, refresh tokens and Google's JSON errors), the device list of the
// Smart Device Management API, and RFC 7009 revocation. nestauth's demo
// serves it; tests use it as they use Server.
type SDM struct {
	ClientID, ClientSecret, ProjectID string
	// RedirectURI is the client's registered redirect (a Web application
	// client's https://www.google.com). A loopback redirect on any port is
	// accepted too, as Google accepts one for a Desktop app client.
	RedirectURI string

	// URL is the base URL once started, such as http://127.0.0.1:40123.
	URL string
	// Latency delays each answer of the token endpoint, as a real one far
	// away over the network takes its time; the demo sets it so that the
	// wizard's spinner is seen. Set it before the first request.
	Latency time.Duration

	mu    sync.Mutex
	codes map[string]sdmGrant
	// tokens maps each access token to its grant's refresh token; refresh
	// holds the refresh tokens. Revoking either ends the whole grant, as at Google.
	tokens  map[string]string
	refresh map[string]bool
	srv     *http.Server
}

type sdmGrant struct {
	challenge, redirect string
	expires             time.Time
	used                bool
}

// SDM's paths on the fake, after nestservices.google.com, oauth2.googleapis.com
// and smartdevicemanagement.googleapis.com.
const (
	SDMAuthPath   = "/partnerconnections/{project}/auth"
	SDMTokenPath  = "/token"
	SDMRevokePath = "/revoke"
	// SDMScope is the one scope the consent page grants.
	SDMScope = "https://www.googleapis.com/auth/sdm.service"
	// SDMTokenLifetime is a Google access token's: about an hour.
	SDMTokenLifetime = 3599 * time.Second
)

// The demo project's devices, as the device list names them.
const (
	DemoSDMThermostat = "Living Room Thermostat"
	DemoSDMRoom       = "Living Room"
	DemoSDMDoorbell   = "Front Door"
)

// NewSDM returns a Device Access service for one client and project, with
// https://www.google.com as the registered redirect; not yet started.
func NewSDM(clientID, clientSecret, projectID string) *SDM {
	return &SDM{
		ClientID: clientID, ClientSecret: clientSecret, ProjectID: projectID,
		RedirectURI: "https://www.google.com",
		codes:       map[string]sdmGrant{}, tokens: map[string]string{}, refresh: map[string]bool{},
	}
}

// NewSDMTest starts an SDM service and closes it when the test ends.
func NewSDMTest(t TB, clientID, clientSecret, projectID string) *SDM {
	t.Helper()
	s := NewSDM(clientID, clientSecret, projectID)
	if err := s.Start(); err != nil {
		t.Fatalf("fakenest: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Start listens on a free loopback port and serves in the background.
func (s *SDM) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// Close stops the server.
func (s *SDM) Close() error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Close()
}

// AuthURL is the authorization endpoint, with {project} for the wizard to
// fill in as it does in auth.SDMAuthURL.
func (s *SDM) AuthURL() string { return s.URL + SDMAuthPath }

// TokenURL is the token endpoint.
func (s *SDM) TokenURL() string { return s.URL + SDMTokenPath }

// APIURL is the Smart Device Management API's origin.
func (s *SDM) APIURL() string { return s.URL }

// RevokeURL is the RFC 7009 revocation endpoint.
func (s *SDM) RevokeURL() string { return s.URL + SDMRevokePath }

// DevicesPath is the device list of the project.
func (s *SDM) DevicesPath() string { return "/v1/enterprises/" + s.ProjectID + "/devices" }

// TokenValid reports whether tok is an access token issued and not revoked.
func (s *SDM) TokenValid(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.tokens[tok]
	return ok
}

// ServeHTTP routes the consent page, the token and revocation endpoints and
// the device list.
func (s *SDM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	authPath := strings.ReplaceAll(SDMAuthPath, "{project}", s.ProjectID)
	switch {
	case strings.HasPrefix(r.URL.Path, "/partnerconnections/") && r.URL.Path != authPath:
		w.WriteHeader(http.StatusNotFound)
		sdmPage{Error: "No Device Access project has this ID. Use the project ID from the Device Access Console, not the Google Cloud project's."}.write(w)
	case r.URL.Path == authPath && r.Method == http.MethodGet:
		s.consentPage(w, r)
	case r.URL.Path == authPath && r.Method == http.MethodPost:
		s.consent(w, r)
	case r.URL.Path == SDMTokenPath && r.Method == http.MethodPost:
		s.token(w, r)
	case r.URL.Path == SDMRevokePath && r.Method == http.MethodPost:
		s.revoke(w, r)
	case strings.HasPrefix(r.URL.Path, "/v1/enterprises/") && r.Method == http.MethodGet:
		s.devices(w, r)
	default:
		http.NotFound(w, r)
	}
}

// Approve does what a person's browser does with an authorization URL: it
// checks the URL as the consent page would, presses Allow, and returns the
// address the browser lands on, which carries the code.
func (s *SDM) Approve(authURL string) (string, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", err
	}
	if u.Path != strings.ReplaceAll(SDMAuthPath, "{project}", s.ProjectID) {
		return "", errors.New("no Device Access project has this ID")
	}
	q := u.Query()
	if msg := s.checkAuthRequest(q); msg != "" {
		return "", errors.New(msg)
	}
	return s.landing(q), nil
}

// landing issues a code for the request q and returns the redirect with it,
// as Google writes it: the code's slash unescaped.
func (s *SDM) landing(q url.Values) string {
	code := "4/0A" + randomCode(40)
	s.mu.Lock()
	s.codes[code] = sdmGrant{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), expires: time.Now().Add(CodeLifetime)}
	s.mu.Unlock()
	to := q.Get("redirect_uri")
	if u, err := url.Parse(to); err == nil && u.Path == "" {
		to += "/"
	}
	return to + "?state=" + url.QueryEscape(q.Get("state")) + "&code=" + code + "&scope=" + url.QueryEscape(SDMScope)
}

// redirectOK: the registered redirect, or a loopback one on any port.
func (s *SDM) redirectOK(uri string) bool {
	if uri == s.RedirectURI || strings.TrimSuffix(uri, "/") == s.RedirectURI {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost"
}

// checkAuthRequest refuses what Google's consent page refuses, in its words.
func (s *SDM) checkAuthRequest(q url.Values) string {
	switch {
	case q.Get("client_id") != s.ClientID:
		return "Error 401: invalid_client. The OAuth client was not found."
	case !s.redirectOK(q.Get("redirect_uri")):
		return "Error 400: redirect_uri_mismatch. The redirect URI is not registered for this client."
	case q.Get("response_type") != "code":
		return "Error 400: invalid_request. response_type must be code."
	case !strings.Contains(" "+q.Get("scope")+" ", " "+SDMScope+" "):
		return "Error 400: invalid_scope. Device Access needs the scope " + SDMScope + "."
	case q.Get("code_challenge") != "" && q.Get("code_challenge_method") != "S256":
		return "Error 400: invalid_request. code_challenge_method must be S256."
	}
	return ""
}

// sdmPage is the consent page: an error, or the request with Allow and Deny.
type sdmPage struct{ Error, Project, Client, Query string }

func (p sdmPage) write(w http.ResponseWriter) {
	_, _ = fmt.Fprint(w, `<!doctype html>
<title>Google Nest permissions (demo)</title>
<style>body{font-family:Roboto,Arial,sans-serif;max-width:32em;margin:3em auto;color:#202124}
.card{border:1px solid #dadce0;border-radius:8px;padding:1.5em 2em}h1{font-weight:400}
button{font-size:1em;padding:.5em 1.5em;border-radius:4px;border:1px solid #dadce0;background:#fff}
button.allow{background:#1a73e8;color:#fff;border-color:#1a73e8}small{color:#5f6368}</style>
<div class="card">
`)
	e := html.EscapeString
	if p.Error != "" {
		_, _ = fmt.Fprintf(w, "<h1>Access blocked</h1><p>%s</p></div>\n", e(p.Error))
		return
	}
	_, _ = fmt.Fprintf(w, `<p><small>Google Nest · demo server on this machine</small></p>
<h1>Allow <b>nestauth demo</b> to access your devices?</h1>
<p>Device Access project <code>%s</code>, OAuth client <code>%s</code>.</p>
<p><label><input type="checkbox" checked disabled> %s</label><br>
<label><input type="checkbox" checked disabled> %s</label></p>
<form method="post" action="?%s"><button name="action" value="deny">Deny</button> <button class="allow" name="action" value="allow">Allow</button></form>
<p><small>The page then sends you to the app's redirect address with a code.</small></p></div>
`, e(p.Project), e(p.Client), e(DemoSDMThermostat), e(DemoSDMDoorbell), e(p.Query))
}

func (s *SDM) consentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := s.checkAuthRequest(q); msg != "" {
		w.WriteHeader(http.StatusBadRequest)
		sdmPage{Error: msg}.write(w)
		return
	}
	sdmPage{Project: s.ProjectID, Client: s.ClientID, Query: r.URL.RawQuery}.write(w)
}

// consent is Allow or Deny: a redirect with a code, or with access_denied.
func (s *SDM) consent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	if msg := s.checkAuthRequest(q); msg != "" {
		w.WriteHeader(http.StatusBadRequest)
		sdmPage{Error: msg}.write(w)
		return
	}
	if r.PostForm.Get("action") != "allow" {
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"error": {"access_denied"}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
		return
	}
	http.Redirect(w, r, s.landing(q), http.StatusFound)
}

func (s *SDM) token(w http.ResponseWriter, r *http.Request) {
	if s.Latency > 0 {
		select {
		case <-time.After(s.Latency):
		case <-r.Context().Done():
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		googleError(w, http.StatusBadRequest, "invalid_request", "Could not parse the request.")
		return
	}
	f := r.PostForm
	id, secret := f.Get("client_id"), f.Get("client_secret")
	basic := false
	if u, p, ok := r.BasicAuth(); ok {
		id, secret, basic = u, p, true
	}
	if id != s.ClientID || secret != s.ClientSecret {
		status := http.StatusBadRequest
		if basic {
			status = http.StatusUnauthorized
		}
		googleError(w, status, "invalid_client", "Unauthorized")
		return
	}
	switch f.Get("grant_type") {
	case "authorization_code":
		s.redeem(w, f)
	case "refresh_token":
		s.mu.Lock()
		ok := s.refresh[f.Get("refresh_token")]
		s.mu.Unlock()
		if !ok {
			googleError(w, http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		s.issue(w, f.Get("refresh_token"), false)
	default:
		googleError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+f.Get("grant_type"))
	}
}

func (s *SDM) redeem(w http.ResponseWriter, f url.Values) {
	code := f.Get("code")
	s.mu.Lock()
	g, ok := s.codes[code]
	used := g.used
	if ok {
		g.used = true // single use, even when this request fails
		s.codes[code] = g
	}
	s.mu.Unlock()
	switch {
	case !ok && strings.Contains(code, "%"):
		googleError(w, http.StatusBadRequest, "invalid_grant", "Malformed auth code.")
	case !ok, used, !time.Now().Before(g.expires):
		googleError(w, http.StatusBadRequest, "invalid_grant", "Bad Request")
	case f.Get("redirect_uri") != g.redirect:
		googleError(w, http.StatusBadRequest, "redirect_uri_mismatch", "Bad Request")
	case g.challenge != "" && pkceS256(f.Get("code_verifier")) != g.challenge:
		googleError(w, http.StatusBadRequest, "invalid_grant", "Invalid code verifier.")
	case g.challenge == "" && f.Get("code_verifier") != "":
		googleError(w, http.StatusBadRequest, "invalid_grant", "Invalid code verifier.")
	default:
		s.issue(w, "1//0g"+randomCode(40), true)
	}
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// issue answers a new access token of the grant refresh, and the refresh
// token itself when it is new.
func (s *SDM) issue(w http.ResponseWriter, refresh string, isNew bool) {
	tok := "ya29.a0" + randomCode(60)
	s.mu.Lock()
	s.tokens[tok] = refresh
	s.refresh[refresh] = true
	s.mu.Unlock()
	body := map[string]any{
		"access_token": tok, "expires_in": int64(SDMTokenLifetime / time.Second),
		"scope": SDMScope, "token_type": "Bearer",
	}
	if isNew {
		body["refresh_token"] = refresh
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(body)
}

// revoke is RFC 7009: 200 for any token; its grant then no longer works.
func (s *SDM) revoke(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		googleError(w, http.StatusBadRequest, "invalid_request", "Could not parse the request.")
		return
	}
	tok := r.PostForm.Get("token")
	s.mu.Lock()
	grant := tok
	if g, ok := s.tokens[tok]; ok {
		grant = g
	}
	for t, g := range s.tokens {
		if g == grant {
			delete(s.tokens, t)
		}
	}
	delete(s.tokens, tok)
	delete(s.refresh, grant)
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// devices is the project's device list, in SDM's shape.
func (s *SDM) devices(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case !s.TokenValid(tok):
		apiError(w, http.StatusUnauthorized, "UNAUTHENTICATED",
			"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		return
	case r.URL.Path != s.DevicesPath():
		apiError(w, http.StatusNotFound, "NOT_FOUND", "Enterprise "+strings.TrimPrefix(r.URL.Path, "/v1/")+" not found.")
		return
	}
	ent := "enterprises/" + s.ProjectID
	room := ent + "/structures/DEMO-STRUCTURE-1/rooms/"
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"devices": []any{
		map[string]any{
			"name": ent + "/devices/DEMO-THERMOSTAT-1", "type": "sdm.devices.types.THERMOSTAT", "assignee": room + "LIVING-ROOM",
			"traits": map[string]any{
				"sdm.devices.traits.Info":                          map[string]any{"customName": DemoSDMThermostat},
				"sdm.devices.traits.Temperature":                   map[string]any{"ambientTemperatureCelsius": 21.5},
				"sdm.devices.traits.ThermostatMode":                map[string]any{"mode": "HEAT", "availableModes": []string{"HEAT", "COOL", "HEATCOOL", "OFF"}},
				"sdm.devices.traits.ThermostatTemperatureSetpoint": map[string]any{"heatCelsius": 21.0},
			},
			"parentRelations": []any{map[string]any{"parent": room + "LIVING-ROOM", "displayName": DemoSDMRoom}},
		},
		map[string]any{
			"name": ent + "/devices/DEMO-DOORBELL-1", "type": "sdm.devices.types.DOORBELL", "assignee": room + "ENTRYWAY",
			"traits": map[string]any{
				"sdm.devices.traits.Info":             map[string]any{"customName": ""},
				"sdm.devices.traits.DoorbellChime":    map[string]any{},
				"sdm.devices.traits.CameraLiveStream": map[string]any{"supportedProtocols": []string{"WEB_RTC"}},
			},
			"parentRelations": []any{map[string]any{"parent": room + "ENTRYWAY", "displayName": DemoSDMDoorbell}},
		},
	}})
}

// googleError is the token endpoint's error body.
func googleError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// apiError is a Google API's error body.
func apiError(w http.ResponseWriter, status int, state, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": status, "message": msg, "status": state}})
}
