package auth_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// apiRequest is what a loopback API saw of one request.
type apiRequest struct {
	Method        string
	Path          string // as sent, escaped
	Authorization string
	ContentType   string
	Body          string
	Form          url.Values
}

// apiServer is a loopback API or revocation endpoint that records every
// request and answers each with reply.
type apiServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []apiRequest
}

func newAPIServer(t *testing.T, reply http.HandlerFunc) *apiServer {
	t.Helper()
	s := &apiServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the request body: %v", err)
		}
		form, _ := url.ParseQuery(string(body))
		s.mu.Lock()
		s.requests = append(s.requests, apiRequest{
			Method:        r.Method,
			Path:          r.URL.EscapedPath(),
			Authorization: r.Header.Get("Authorization"),
			ContentType:   r.Header.Get("Content-Type"),
			Body:          string(body),
			Form:          form,
		})
		s.mu.Unlock()
		if reply != nil {
			reply(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *apiServer) Requests() []apiRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]apiRequest(nil), s.requests...)
}

// replyJSON replies with status and body, as JSON.
func replyJSON(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// redirectTo replies with a 307 to target.
func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", target)
		w.WriteHeader(http.StatusTemporaryRedirect)
	}
}
