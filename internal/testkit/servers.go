package testkit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// The servers the command tests run nestauth against, in-process.

// TokenEndpoint is an httptest token endpoint that answers Status (200
// when 0) with Body, and records each request.
type TokenEndpoint struct {
	Mu       sync.Mutex
	Requests []Recorded
	Status   int
	Body     string
}

// Recorded is one request a TokenEndpoint got.
type Recorded struct {
	Method, ContentType, Authorization, RawQuery string
	Form                                         url.Values
}

func (e *TokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(b))
	e.Mu.Lock()
	e.Requests = append(e.Requests, Recorded{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), r.URL.RawQuery, form})
	status, body := e.Status, e.Body
	e.Mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// Only is the one request the endpoint got; the test fails on any other number.
func (e *TokenEndpoint) Only(t testing.TB) Recorded {
	t.Helper()
	e.Mu.Lock()
	defer e.Mu.Unlock()
	if len(e.Requests) != 1 {
		t.Fatalf("token endpoint got %d requests, want 1", len(e.Requests))
	}
	return e.Requests[0]
}

// First is the first request the endpoint got.
func (e *TokenEndpoint) First() Recorded {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	return e.Requests[0]
}

// Count is the number of requests so far.
func (e *TokenEndpoint) Count() int {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	return len(e.Requests)
}

// NewTokenEndpoint serves a TokenEndpoint for the test; url is its /token.
func NewTokenEndpoint(t testing.TB, status int, body string) (e *TokenEndpoint, tokenURL string) {
	t.Helper()
	e = &TokenEndpoint{Status: status, Body: body}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return e, srv.URL + "/token"
}

// MetadataServer serves OpenID Connect metadata naming itself and its
// /token and /device/code; edit changes the document (nil: 404). It counts
// the requests.
type MetadataServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits int
}

// NewMetadataServer serves a MetadataServer for the test.
func NewMetadataServer(t testing.TB, edit func(d map[string]any)) *MetadataServer {
	t.Helper()
	ms := &MetadataServer{}
	ms.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ms.mu.Lock()
		ms.hits++
		ms.mu.Unlock()
		if r.URL.Path != "/.well-known/openid-configuration" || edit == nil {
			http.NotFound(w, r)
			return
		}
		d := map[string]any{
			"issuer":                           ms.URL,
			"authorization_endpoint":           ms.URL + "/auth",
			"token_endpoint":                   ms.URL + "/token",
			"device_authorization_endpoint":    ms.URL + "/device/code",
			"code_challenge_methods_supported": []string{"S256"},
		}
		edit(d)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(d)
	}))
	t.Cleanup(ms.Close)
	return ms
}

// Requests is the number of requests so far.
func (ms *MetadataServer) Requests() int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.hits
}

// DeviceServer is a device authorization server (RFC 8628) at /device/code
// and /token: its code is WDJB-MJHT, and each poll answers the next of
// Polls (an error; "" for the token gho_DEVICE), then the token.
type DeviceServer struct {
	*httptest.Server
	ExpiresIn int      // of the code, in seconds; 900 when 0
	Polls     []string // the error of each poll; "" is the token
	FormReply bool     // answer form-encoded, as GitHub does
	// TokenDelay holds back the answer that brings the token, after Polled
	// is told a poll for it arrived (a slow server).
	TokenDelay time.Duration
	Polled     chan struct{}

	Mu     sync.Mutex
	N      int          // polls so far
	Scopes []string     // the scope of each code asked for
	Forms  []url.Values // every request's form
}

// NewDeviceServer serves ds for the test.
func NewDeviceServer(t testing.TB, ds *DeviceServer) *DeviceServer {
	t.Helper()
	if ds.ExpiresIn == 0 {
		ds.ExpiresIn = 900
	}
	ds.Server = httptest.NewServer(ds)
	t.Cleanup(ds.Close)
	return ds
}

func (ds *DeviceServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	ds.Mu.Lock()
	defer ds.Mu.Unlock()
	ds.Forms = append(ds.Forms, r.PostForm)
	answer := func(status int, v url.Values) {
		if ds.FormReply {
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(status)
			io.WriteString(w, v.Encode())
			return
		}
		m := map[string]any{}
		for k := range v {
			m[k] = v.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(m)
	}
	switch r.URL.Path {
	case "/device/code":
		ds.Scopes = append(ds.Scopes, r.PostForm.Get("scope"))
		answer(200, url.Values{"device_code": {"dc-1"}, "user_code": {"WDJB-MJHT"}, "verification_uri": {"http://" + r.Host + "/login/device"},
			"expires_in": {fmt.Sprint(ds.ExpiresIn)}, "interval": {"1"}})
	case "/token":
		if r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:device_code" || r.PostForm.Get("device_code") != "dc-1" {
			answer(400, url.Values{"error": {"invalid_request"}})
			return
		}
		ds.N++
		if ds.N <= len(ds.Polls) && ds.Polls[ds.N-1] != "" {
			answer(400, url.Values{"error": {ds.Polls[ds.N-1]}})
			return
		}
		if ds.TokenDelay > 0 {
			if ds.Polled != nil {
				ds.Polled <- struct{}{}
			}
			ds.Mu.Unlock()
			time.Sleep(ds.TokenDelay)
			ds.Mu.Lock()
		}
		answer(200, url.Values{"access_token": {"gho_DEVICE"}, "token_type": {"bearer"}, "scope": {"repo"}})
	default:
		http.NotFound(w, r)
	}
}

// DecodeJSON parses out, what nestauth printed, as a JSON object.
func DecodeJSON(t testing.TB, out string) map[string]any {
	t.Helper()
	var tok map[string]any
	if err := json.Unmarshal([]byte(out), &tok); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	return tok
}

// RawTokenEndpoint is a loopback token endpoint that reads each request
// whole (the server may act on it), waits after, then answers with raw
// bytes, status line and all, and closes the connection: an answer cut
// short, or none at all. url is its /token.
func RawTokenEndpoint(t testing.TB, raw string, after time.Duration) (url string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_ = req.ParseForm()
				time.Sleep(after)
				_, _ = conn.Write([]byte(raw))
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/token"
}
