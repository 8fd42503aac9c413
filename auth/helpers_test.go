package auth_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"nestauth/auth"
)

const (
	testClientID     = "CLIENT_ID"
	testClientSecret = "CLIENT_SECRET"
)

// tokenRequest is what a token endpoint saw of one request.
type tokenRequest struct {
	Method        string
	Path          string
	RawQuery      string
	ContentType   string
	Authorization string
	User, Pass    string
	HasBasic      bool
	Form          url.Values
}

// tokenServer is a loopback token endpoint that records every request and
// answers each with reply.
type tokenServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []tokenRequest
}

func newTokenServer(t *testing.T, reply http.HandlerFunc) *tokenServer {
	t.Helper()
	ts := &tokenServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the token request body: %v", err)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			t.Errorf("token request body %q is not a form: %v", body, err)
		}
		user, pass, ok := r.BasicAuth()
		ts.mu.Lock()
		ts.requests = append(ts.requests, tokenRequest{
			Method:        r.Method,
			Path:          r.URL.Path,
			RawQuery:      r.URL.RawQuery,
			ContentType:   r.Header.Get("Content-Type"),
			Authorization: r.Header.Get("Authorization"),
			User:          user,
			Pass:          pass,
			HasBasic:      ok,
			Form:          form,
		})
		ts.mu.Unlock()
		reply(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TokenURL is the endpoint's URL, on a path like the seed's.
func (ts *tokenServer) TokenURL() string { return ts.URL + "/oauth2/access_token" }

func (ts *tokenServer) Requests() []tokenRequest {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]tokenRequest(nil), ts.requests...)
}

// reply answers with status, a Content-Type (none when empty) and body.
func reply(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		} else {
			w.Header()["Content-Type"] = nil // no type, not a sniffed one
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

const nestTokenJSON = `{"access_token":"c.ACCESS","expires_in":315360000}`

// nestConfig is the seed's provider with its token endpoint at tokenURL.
func nestConfig(tokenURL string) auth.Config {
	p := auth.Nest()
	p.TokenURL = tokenURL
	return auth.Config{Provider: p, ClientID: testClientID, ClientSecret: testClientSecret}
}

// roundTripFunc lets a test stand in for the network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// countingClient answers every request with a Nest token and counts them,
// without touching any network.
func countingClient(calls *atomic.Int64) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Content-Type": {"application/json"}},
			Body:       io.NopCloser(strings.NewReader(nestTokenJSON)),
			Request:    r,
		}, nil
	})}
}

// asError returns err as an *auth.Error, failing the test when it is not one.
func asError(t *testing.T, err error) *auth.Error {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want an *auth.Error")
	}
	var e *auth.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *auth.Error", err, err)
	}
	return e
}

// unsafeRune reports why r must not reach a terminal, or "".
func unsafeRune(r rune) string {
	switch {
	case r == 0x1b:
		return "ESC"
	case r < 0x20 || r == 0x7f:
		return "C0 control"
	case r >= 0x80 && r <= 0x9f:
		return "C1 control"
	case r == utf8.RuneError:
		return "invalid UTF-8"
	case unicode.Is(unicode.Bidi_Control, r):
		return "bidi control"
	case unicode.Is(unicode.Cf, r):
		return "invisible format character"
	}
	return ""
}

// checkTerminalSafe fails the test when s holds anything unsafeRune refuses.
func checkTerminalSafe(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s = %q is not valid UTF-8", what, s)
		return
	}
	for i, r := range s {
		if why := unsafeRune(r); why != "" {
			t.Errorf("%s = %q has a %s (%U) at byte %d", what, s, why, r, i)
			return
		}
	}
}

// checkErrorSafe checks every text field of an *auth.Error.
func checkErrorSafe(t *testing.T, e *auth.Error) {
	t.Helper()
	checkTerminalSafe(t, "Error()", e.Error())
	checkTerminalSafe(t, "Code", e.Code)
	checkTerminalSafe(t, "Description", e.Description)
	checkTerminalSafe(t, "Excerpt", e.Excerpt)
}
