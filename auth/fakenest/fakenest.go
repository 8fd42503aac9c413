// Package fakenest is an in-memory Works with Nest authorization server that
// behaves as the real one was documented to: a consent page that shows a PIN
// (or redirects with a code), single-use codes that expire, the
// documented JSON errors, the API root (with its redirect to a per-user
// host) and token revocation. SDM (sdm.go) is its Google Nest Device Access
// counterpart. Tests use them, and so does nestauth's demo mode, the way
// net/http/httptest serves net/http.
package fakenest

import (
	"net"
	"net/http"
	"strings"
	"time"
)

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
