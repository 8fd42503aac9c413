package fakenest

import (
	"crypto/rand"
	"net/http"
	"sync"
	"time"
)

// The ground of the fake: the Server, its clock, and the codes and tokens it
// has issued. The handlers (oauth.go, api.go) and ServeHTTP (fakenest.go)
// work on it.

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

func (s *Server) now() time.Time { return time.Now().Add(s.offset) }

// IssueToken issues an access token as a code exchange would.
func (s *Server) IssueToken() string {
	tok := "c." + randomCode(40)
	s.mu.Lock()
	s.tokens[tok] = true
	s.mu.Unlock()
	return tok
}

// TokenValid reports whether tok was issued and not revoked.
func (s *Server) TokenValid(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens[tok]
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
