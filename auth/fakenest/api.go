package fakenest

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"
)

// The Works with Nest API as the fake serves it: GET / with the bearer token
// answers 307 to a per-user host (a second loopback listener, so the token
// must be re-sent across origins, as with developer-api.nest.com), which
// answers the data; DELETE RevokePath+TOKEN revokes a token.
const (
	APIPath    = "/"
	RevokePath = "/oauth2/access_tokens/"
)

// The demo account's data, as the API shows it.
const (
	DemoStructure  = "Demo Home"
	DemoThermostat = "Living Room Thermostat"
	DemoRoom       = "Living Room"
)

// APIURL is the API origin (developer-api.nest.com).
func (s *Server) APIURL() string { return s.URL }

// RevokeURL is the revocation endpoint; the token is its last path element.
func (s *Server) RevokeURL() string { return s.URL + strings.TrimSuffix(RevokePath, "/") }

// UserURL is the per-user host the API redirects to, once started.
func (s *Server) UserURL() string { return s.userURL }

// startUserAPI listens for the per-user host on another loopback port.
func (s *Server) startUserAPI() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.userURL = "http://" + ln.Addr().String()
	s.userSrv = &http.Server{Handler: http.HandlerFunc(s.userAPI), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.userSrv.Serve(ln) }()
	return nil
}

// bearer is the request's bearer token if the server knows it.
func (s *Server) bearer(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return tok, ok && s.TokenValid(tok)
}

// apiRoot answers as developer-api.nest.com: the per-user host for a token
// it knows, 401 for anything else.
func (s *Server) apiRoot(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.bearer(r); !ok {
		unauthorized(w)
		return
	}
	w.Header().Set("Location", s.userURL+r.URL.RequestURI())
	w.WriteHeader(http.StatusTemporaryRedirect)
}

// userAPI is the per-user host: the data, for a token it knows.
func (s *Server) userAPI(w http.ResponseWriter, r *http.Request) {
	tok, ok := s.bearer(r)
	switch {
	case r.URL.Path != APIPath || r.Method != http.MethodGet:
		http.NotFound(w, r)
		return
	case !ok:
		unauthorized(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"devices": map[string]any{"thermostats": map[string]any{
			"demo-thermostat-1": map[string]any{
				"name": DemoThermostat, "name_long": DemoThermostat + " (" + DemoRoom + ")",
				"where_name": DemoRoom, "structure_id": "demo-structure-1",
				"ambient_temperature_c": 21.5, "target_temperature_c": 21.0, "hvac_mode": "heat",
			},
		}},
		"structures": map[string]any{"demo-structure-1": map[string]any{
			"name": DemoStructure, "away": "home", "thermostats": []string{"demo-thermostat-1"},
		}},
		"metadata": map[string]any{"access_token": tok, "client_version": 1},
	})
}

// revoke deletes a token: 204, then the API refuses it; 404 for a token it
// does not know (or no longer does).
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.URL.Path, RevokePath)
	s.mu.Lock()
	known := s.tokens[tok]
	delete(s.tokens, tok)
	s.mu.Unlock()
	if !known {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"not found","message":"access token not found"}` + "\n"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(`{"error":"unauthorized","type":"https://developer.nest.com/documentation/cloud/error-messages#auth-error","message":"unauthorized"}` + "\n"))
}
