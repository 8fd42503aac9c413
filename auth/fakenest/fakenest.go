// Package fakenest is an in-memory Works with Nest authorization server that
// behaves as the real one was documented to: a consent page that shows a PIN
// (or redirects with a code), single-use codes that expire, the
// documented JSON errors, the API root (with its redirect to a per-user
// host) and token revocation. Tests use it, and so does nestauth's demo mode, the
// way net/http/httptest serves net/http.
package fakenest

import (
	"crypto/rand"
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

// Lifetimes from the Works with Nest documentation.
const (
	PINLifetime   = 48 * time.Hour
	CodeLifetime  = 10 * time.Minute
	TokenLifetime = 315360000 * time.Second // ten years
)

// Paths, as on home.nest.com and api.home.nest.com.
const (
	AuthPath  = "/login/oauth2"
	TokenPath = "/oauth2/access_token"
)

// Server is a fake Works with Nest service for one OAuth client.
type Server struct {
	ClientID     string
	ClientSecret string
	// RedirectURI, when set, makes this a redirect client; empty, a PIN
	// client. Set it before the first request.
	RedirectURI string

	// URL is the base URL once started, such as http://127.0.0.1:40123.
	URL string

	mu       sync.Mutex
	offset   time.Duration // added to the clock by Advance
	codes    map[string]grant
	tokens   map[string]bool
	requests int

	ln  net.Listener
	srv *http.Server

	userURL string // the per-user API host (see api.go)
	userSrv *http.Server
}

type grant struct {
	expires time.Time
	used    bool
}

// New returns a server for one client, not yet started.
func New(clientID, clientSecret string) *Server {
	return &Server{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		codes:        map[string]grant{},
		tokens:       map[string]bool{},
	}
}

// Start listens on a free loopback port and serves in the background.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if err := s.startUserAPI(); err != nil {
		_ = ln.Close()
		return err
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// TB is the part of testing.TB that NewTest uses; package testing stays out
// of the nestauth binary, which serves the fake in --demo.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// NewTest starts a server for one PIN client and closes it when the test
// ends, as httptest.NewServer with t.Cleanup.
func NewTest(t TB, clientID, clientSecret string) *Server {
	t.Helper()
	s := New(clientID, clientSecret)
	if err := s.Start(); err != nil {
		t.Fatalf("fakenest: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Close stops the server.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	if s.userSrv != nil {
		_ = s.userSrv.Close()
	}
	return s.srv.Close()
}

// AuthURL is the authorization endpoint.
func (s *Server) AuthURL() string { return s.URL + AuthPath }

// TokenURL is the token endpoint.
func (s *Server) TokenURL() string { return s.URL + TokenPath }

// Advance moves the server's clock forward, to expire codes.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// TokenRequests counts the requests the token endpoint has received.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// IssueCode issues a code as if the person had pressed Allow.
func (s *Server) IssueCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	life, n := PINLifetime, 8
	if s.RedirectURI != "" {
		life, n = CodeLifetime, 16
	}
	code := randomCode(n)
	s.codes[code] = grant{expires: s.now().Add(life)}
	return code
}

// Approve does what a person's browser does with an authorization URL:
// it checks the URL as the consent page would and presses Allow. It returns
// the PIN or code the person would see.
func (s *Server) Approve(authURL string) (string, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if msg := s.checkAuthRequest(q); msg != "" {
		return "", errors.New(msg)
	}
	return s.IssueCode(), nil
}

func (s *Server) now() time.Time { return time.Now().Add(s.offset) }

// ServeHTTP routes the authorization page, the token endpoint, the API
// root and the revocation endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == AuthPath && r.Method == http.MethodGet:
		s.consentPage(w, r)
	case r.URL.Path == AuthPath && r.Method == http.MethodPost:
		s.consent(w, r)
	case r.URL.Path == TokenPath && r.Method == http.MethodPost:
		s.token(w, r)
	case r.URL.Path == APIPath && r.Method == http.MethodGet:
		s.apiRoot(w, r)
	case strings.HasPrefix(r.URL.Path, RevokePath) && r.Method == http.MethodDelete:
		s.revoke(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) checkAuthRequest(q url.Values) string {
	switch {
	case q.Get("client_id") != s.ClientID:
		return "unknown client_id"
	case q.Get("state") == "":
		return "state is required"
	case q.Get("redirect_uri") != "" && q.Get("redirect_uri") != s.RedirectURI:
		return "redirect_uri not pre-registered"
	}
	return ""
}

// page is the consent page: an error, a PIN, or the Allow and Deny buttons.
type page struct{ Error, PIN, ClientID, State, RedirectURI string }

func (p page) write(w http.ResponseWriter) {
	_, _ = fmt.Fprint(w, `<!doctype html>
<title>Works with Nest (demo)</title>
<style>body{font-family:sans-serif;max-width:30em;margin:3em auto}code{font-size:2em}</style>
`)
	e := html.EscapeString
	switch {
	case p.Error != "":
		_, _ = fmt.Fprintf(w, "<h1>Can't authorize</h1><p>%s</p>\n", e(p.Error))
	case p.PIN != "":
		_, _ = fmt.Fprintf(w, "<h1>Your PIN</h1><p>Enter this PIN in the app:</p><p><code id=\"pin\">%s</code></p>\n", e(p.PIN))
	default:
		_, _ = fmt.Fprintf(w, `<h1>nestauth demo wants access to your Nest account</h1>
<form method="post"><input type="hidden" name="client_id" value="%s">
<input type="hidden" name="state" value="%s"><input type="hidden" name="redirect_uri" value="%s">
<button name="action" value="allow">Allow</button> <button name="action" value="deny">Deny</button></form>
`, e(p.ClientID), e(p.State), e(p.RedirectURI))
	}
}

func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := page{ClientID: q.Get("client_id"), State: q.Get("state"), RedirectURI: q.Get("redirect_uri")}
	if msg := s.checkAuthRequest(q); msg != "" {
		w.WriteHeader(http.StatusBadRequest)
		p = page{Error: msg}
	}
	p.write(w)
}

func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if msg := s.checkAuthRequest(r.PostForm); msg != "" {
		w.WriteHeader(http.StatusBadRequest)
		page{Error: msg}.write(w)
		return
	}
	state := r.PostForm.Get("state")
	if r.PostForm.Get("action") != "allow" {
		if s.RedirectURI == "" {
			page{Error: "You denied access."}.write(w)
			return
		}
		http.Redirect(w, r, s.RedirectURI+"?"+url.Values{"error": {"access_denied"}, "state": {state}}.Encode(), http.StatusFound)
		return
	}
	code := s.IssueCode()
	if s.RedirectURI == "" {
		page{PIN: code}.write(w)
		return
	}
	http.Redirect(w, r, s.RedirectURI+"?"+url.Values{"code": {code}, "state": {state}}.Encode(), http.StatusFound)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()

	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, "input_data_error", "malformed request body")
		return
	}
	f := r.PostForm
	id, secret := f.Get("client_id"), f.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok && id == "" { // works, but not recommended
		id, secret = u, p
	}
	var missing []string
	for _, kv := range [][2]string{{"code", f.Get("code")}, {"client_id", id}, {"client_secret", secret}, {"grant_type", f.Get("grant_type")}} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	switch {
	case len(missing) > 0:
		oauthError(w, "oauth2_error", "missing required parameters: "+strings.Join(missing, ", "))
	case f.Get("grant_type") != "authorization_code":
		oauthError(w, "oauth2_error", "unsupported grant_type")
	case id != s.ClientID:
		oauthError(w, "oauth2_error", "client not found")
	case secret != s.ClientSecret:
		oauthError(w, "oauth2_error", "client secret not found")
	case f.Get("redirect_uri") != "" && f.Get("redirect_uri") != s.RedirectURI:
		oauthError(w, "input_data_error", "redirect_uri not pre-registered")
	default:
		s.redeem(w, f.Get("code"))
	}
}

func (s *Server) redeem(w http.ResponseWriter, code string) {
	s.mu.Lock()
	g, ok := s.codes[code]
	switch {
	case !ok || g.used:
		s.mu.Unlock()
		oauthError(w, "oauth2_error", "authorization code not found")
		return
	case !s.now().Before(g.expires):
		s.mu.Unlock()
		oauthError(w, "oauth2_error", "authorization code expired")
		return
	}
	g.used = true
	s.codes[code] = g
	s.mu.Unlock()
	tok := s.IssueToken()

	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok,
		"expires_in":   int64(TokenLifetime / time.Second),
	})
}

func oauthError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"error":             code,
		"error_description": desc,
		"instance_id":       randomCode(8),
	})
}

const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func randomCode(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}
