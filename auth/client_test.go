package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"nestauth/auth"
)

func TestExchangeRequest(t *testing.T) {
	tests := []struct {
		name        string
		style       auth.AuthStyle
		redirectURI string
		verifier    string
		wantForm    map[string][]string
		wantBasic   bool
	}{
		{
			name: "seed: credentials in the body",
			wantForm: map[string][]string{
				"code":          {"TB39DWND"},
				"client_id":     {testClientID},
				"client_secret": {testClientSecret},
				"grant_type":    {"authorization_code"},
			},
		},
		{
			name:      "basic: credentials in the header only",
			style:     auth.AuthInHeader,
			wantBasic: true,
			wantForm: map[string][]string{
				"code":       {"TB39DWND"},
				"grant_type": {"authorization_code"},
			},
		},
		{
			name:     "PKCE verifier",
			verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
			wantForm: map[string][]string{
				"code":          {"TB39DWND"},
				"client_id":     {testClientID},
				"client_secret": {testClientSecret},
				"grant_type":    {"authorization_code"},
				"code_verifier": {"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"},
			},
		},
		{
			name:        "redirect URI sent exactly",
			redirectURI: "http://127.0.0.1:8085/callback?x=1",
			wantForm: map[string][]string{
				"code":          {"TB39DWND"},
				"client_id":     {testClientID},
				"client_secret": {testClientSecret},
				"grant_type":    {"authorization_code"},
				"redirect_uri":  {"http://127.0.0.1:8085/callback?x=1"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(http.StatusOK, "application/json", nestTokenJSON))
			c := nestConfig(ts.TokenURL())
			c.AuthStyle = tt.style
			c.RedirectURI = tt.redirectURI

			tok, err := c.Exchange(t.Context(), "TB39DWND", tt.verifier)
			if err != nil {
				t.Fatalf("Exchange: %v", err)
			}
			if tok.AccessToken != "c.ACCESS" {
				t.Errorf("AccessToken = %q, want %q", tok.AccessToken, "c.ACCESS")
			}
			reqs := ts.Requests()
			if len(reqs) != 1 {
				t.Fatalf("the token endpoint got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost {
				t.Errorf("method = %s, want POST", r.Method)
			}
			if r.Path != "/oauth2/access_token" {
				t.Errorf("path = %q, want /oauth2/access_token", r.Path)
			}
			if r.RawQuery != "" {
				t.Errorf("URL query = %q, want none: nothing may travel in the URL", r.RawQuery)
			}
			if r.ContentType != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", r.ContentType)
			}
			if got := map[string][]string(r.Form); !reflect.DeepEqual(got, tt.wantForm) {
				t.Errorf("body form = %v\nwant        %v", got, tt.wantForm)
			}
			switch {
			case tt.wantBasic:
				if !r.HasBasic || r.User != testClientID || r.Pass != testClientSecret {
					t.Errorf("Basic credentials = (%q, %q, %v), want (%q, %q, true)", r.User, r.Pass, r.HasBasic, testClientID, testClientSecret)
				}
			case r.Authorization != "":
				t.Errorf("Authorization header = %q, want none", r.Authorization)
			}
		})
	}
}

// x/oauth2's auto-detected auth style sends a refused request again the other
// way, which would spend a single-use code twice.
func TestExchangeSendsOneRequest(t *testing.T) {
	tests := []struct {
		name   string
		style  auth.AuthStyle
		status int
		body   string
	}{
		{"post, 400", auth.AuthInParams, http.StatusBadRequest, `{"error":"oauth2_error","error_description":"authorization code not found"}`},
		{"post, 401", auth.AuthInParams, http.StatusUnauthorized, `{"error":"invalid_client"}`},
		{"post, bare 401", auth.AuthInParams, http.StatusUnauthorized, ``},
		{"basic, 400", auth.AuthInHeader, http.StatusBadRequest, `{"error":"invalid_grant"}`},
		{"basic, 401", auth.AuthInHeader, http.StatusUnauthorized, `{"error":"invalid_client"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(tt.status, "application/json", tt.body))
			c := nestConfig(ts.TokenURL())
			c.AuthStyle = tt.style
			tok, err := c.Exchange(t.Context(), "TB39DWND", "")
			if tok != nil {
				t.Errorf("Exchange returned a token %+v, want none", tok)
			}
			if e := asError(t, err); e.Status != tt.status {
				t.Errorf("Status = %d, want %d", e.Status, tt.status)
			}
			if n := len(ts.Requests()); n != 1 {
				t.Errorf("the token endpoint got %d requests, want exactly 1", n)
			}
		})
	}
}

func TestExchangeErrorKinds(t *testing.T) {
	const (
		jsonType = "application/json"
		htmlType = "text/html; charset=utf-8"
		badGate  = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
	)
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantKind    auth.Kind
		wantCode    string
		wantDesc    string
		wantExcerpt string
		wantHint    string // a piece of Hint()
	}{
		{
			name: "nest: code not found", status: 400, contentType: jsonType,
			body:     `{"error":"oauth2_error","error_description":"authorization code not found","instance_id":"0a1b"}`,
			wantKind: auth.KindCode, wantCode: "oauth2_error", wantDesc: "authorization code not found",
			wantHint: "single-use",
		},
		{
			name: "nest: code expired", status: 400, contentType: jsonType,
			body:     `{"error":"oauth2_error","error_description":"authorization code expired"}`,
			wantKind: auth.KindCode, wantCode: "oauth2_error", wantDesc: "authorization code expired",
		},
		{
			name: "nest: client secret not found", status: 400, contentType: jsonType,
			body:     `{"error":"oauth2_error","error_description":"client secret not found"}`,
			wantKind: auth.KindSecret, wantCode: "oauth2_error", wantDesc: "client secret not found",
			wantHint: "client secret",
		},
		{
			name: "nest: client not found", status: 400, contentType: jsonType,
			body:     `{"error":"oauth2_error","error_description":"client not found"}`,
			wantKind: auth.KindClientID, wantCode: "oauth2_error", wantDesc: "client not found",
		},
		{
			name: "nest: missing code", status: 400, contentType: jsonType,
			body:     `{"error":"oauth2_error","error_description":"missing required parameters: code"}`,
			wantKind: auth.KindRequest, wantCode: "oauth2_error", wantDesc: "missing required parameters: code",
		},
		{
			name: "nest: redirect_uri not pre-registered", status: 400, contentType: jsonType,
			body:     `{"error":"input_data_error","error_description":"redirect_uri not pre-registered"}`,
			wantKind: auth.KindRedirect, wantCode: "input_data_error", wantDesc: "redirect_uri not pre-registered",
			wantHint: "No redirect_uri was sent",
		},
		{
			name: "google: malformed auth code", status: 400, contentType: jsonType,
			body:     `{"error":"invalid_grant","error_description":"Malformed auth code."}`,
			wantKind: auth.KindCode, wantCode: "invalid_grant", wantDesc: "Malformed auth code.",
			wantHint: "mangled in the paste",
		},
		{
			name: "invalid_grant without description", status: 400, contentType: jsonType,
			body:     `{"error":"invalid_grant"}`,
			wantKind: auth.KindCode, wantCode: "invalid_grant",
		},
		{
			name: "google: unknown client", status: 401, contentType: jsonType,
			body:     `{"error":"invalid_client","error_description":"The OAuth client was not found."}`,
			wantKind: auth.KindClientID, wantCode: "invalid_client", wantDesc: "The OAuth client was not found.",
			wantHint: "does not know this client ID",
		},
		{
			name: "bare 401", status: 401,
			wantKind: auth.KindSecret,
		},
		{
			name: "unauthorized_client", status: 400, contentType: jsonType,
			body:     `{"error":"unauthorized_client","error_description":"Unauthorized"}`,
			wantKind: auth.KindClientID, wantCode: "unauthorized_client", wantDesc: "Unauthorized",
		},
		{
			name: "redirect_uri_mismatch", status: 400, contentType: jsonType,
			body:     `{"error":"redirect_uri_mismatch","error_description":"Bad Request"}`,
			wantKind: auth.KindRedirect, wantCode: "redirect_uri_mismatch", wantDesc: "Bad Request",
		},
		{
			name: "invalid_scope", status: 400, contentType: jsonType,
			body:     `{"error":"invalid_scope"}`,
			wantKind: auth.KindScope, wantCode: "invalid_scope",
		},
		{
			name: "invalid_request", status: 400, contentType: jsonType,
			body:     `{"error":"invalid_request","error_description":"Missing required parameter: code_verifier"}`,
			wantKind: auth.KindRequest, wantCode: "invalid_request", wantDesc: "Missing required parameter: code_verifier",
		},
		{
			name: "unsupported_grant_type", status: 400, contentType: jsonType,
			body:     `{"error":"unsupported_grant_type"}`,
			wantKind: auth.KindRequest, wantCode: "unsupported_grant_type",
		},
		{
			name: "OAuth error as a form", status: 400, contentType: "application/x-www-form-urlencoded",
			body:     `error=invalid_grant&error_description=Bad+code`,
			wantKind: auth.KindCode, wantCode: "invalid_grant", wantDesc: "Bad code",
		},
		{
			name: "JSON error typed text/html", status: 400, contentType: htmlType,
			body:     `{"error":"oauth2_error","error_description":"authorization code not found"}`,
			wantKind: auth.KindCode, wantCode: "oauth2_error", wantDesc: "authorization code not found",
		},
		{
			name: "JSON error typed text/plain", status: 400, contentType: "text/plain",
			body:     `{"error":"invalid_client"}`,
			wantKind: auth.KindSecret, wantCode: "invalid_client",
		},
		{
			name: "JSON error with no type", status: 400,
			body:     `{"error":"invalid_scope"}`,
			wantKind: auth.KindScope, wantCode: "invalid_scope",
		},
		{
			name: "500 HTML", status: 500, contentType: htmlType,
			body:        "<html><body><h1>Internal\n\tServer Error</h1></body></html>",
			wantKind:    auth.KindServer,
			wantExcerpt: "<html><body><h1>Internal Server Error</h1></body></html>",
			wantHint:    "try again",
		},
		{
			name: "502 HTML", status: 502, contentType: htmlType, body: badGate,
			wantKind:    auth.KindServer,
			wantExcerpt: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>",
		},
		{
			name: "503 with an OAuth error", status: 503, contentType: jsonType,
			body:     `{"error":"temporarily_unavailable"}`,
			wantKind: auth.KindServer, wantCode: "temporarily_unavailable",
		},
		{
			name: "200 HTML", status: 200, contentType: htmlType,
			body:     "<!doctype html><title>Sign in</title>",
			wantKind: auth.KindServer, wantExcerpt: "<!doctype html><title>Sign in</title>",
			wantHint: "--token-url",
		},
		{
			name: "200 JSON without access_token", status: 200, contentType: jsonType,
			body:     `{"token_type":"Bearer","expires_in":3599}`,
			wantKind: auth.KindServer, wantExcerpt: `{"token_type":"Bearer","expires_in":3599}`,
			wantHint: "held no token",
		},
		{
			name: "200 with an OAuth error", status: 200, contentType: jsonType,
			body:     `{"error":"invalid_grant","error_description":"Bad Request"}`,
			wantKind: auth.KindCode, wantCode: "invalid_grant", wantDesc: "Bad Request",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(tt.status, tt.contentType, tt.body))
			tok, err := nestConfig(ts.TokenURL()).Exchange(t.Context(), "TB39DWND", "")
			if tok != nil {
				t.Fatalf("Exchange returned a token %+v, want an error", tok)
			}
			e := asError(t, err)
			if e.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v (error: %v)", e.Kind, tt.wantKind, e)
			}
			if auth.ErrorKind(err) != tt.wantKind {
				t.Errorf("ErrorKind = %v, want %v", auth.ErrorKind(err), tt.wantKind)
			}
			if e.Status != tt.status {
				t.Errorf("Status = %d, want %d", e.Status, tt.status)
			}
			if e.Code != tt.wantCode || e.Description != tt.wantDesc {
				t.Errorf("Code, Description = %q, %q; want %q, %q", e.Code, e.Description, tt.wantCode, tt.wantDesc)
			}
			if e.Excerpt != tt.wantExcerpt {
				t.Errorf("Excerpt = %q\nwant      %q", e.Excerpt, tt.wantExcerpt)
			}
			if e.Refresh {
				t.Error("Refresh = true for a code exchange")
			}
			if !strings.Contains(e.Hint(), tt.wantHint) || e.Hint() == "" {
				t.Errorf("Hint() = %q, want one mentioning %q", e.Hint(), tt.wantHint)
			}
			msg := e.Error()
			if !strings.Contains(msg, fmt.Sprintf("(HTTP %d)", tt.status)) {
				t.Errorf("Error() = %q, want the status (HTTP %d) in it", msg, tt.status)
			}
			if tt.wantDesc != "" && !strings.Contains(msg, tt.wantCode+": "+tt.wantDesc) {
				t.Errorf("Error() = %q, want %q in it", msg, tt.wantCode+": "+tt.wantDesc)
			}
			if n := len(ts.Requests()); n != 1 {
				t.Errorf("the token endpoint got %d requests, want 1", n)
			}
		})
	}
}

func TestKindRetryable(t *testing.T) {
	tests := []struct {
		kind      auth.Kind
		retryable bool
	}{
		{auth.KindUsage, false},
		{auth.KindCode, false},
		{auth.KindClientID, false},
		{auth.KindSecret, false},
		{auth.KindRedirect, false},
		{auth.KindScope, false},
		{auth.KindRequest, false},
		{auth.KindNetwork, true},
		{auth.KindServer, true},
		{auth.KindUnknown, true},
		{auth.KindCanceled, false},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			if got := tt.kind.Retryable(); got != tt.retryable {
				t.Errorf("%v.Retryable() = %v, want %v", tt.kind, got, tt.retryable)
			}
		})
	}
	if got := auth.Kind(99).String(); got != "Kind(99)" {
		t.Errorf("Kind(99).String() = %q, want Kind(99)", got)
	}
	if got, next := auth.KindCanceled.String(), auth.KindCanceled+1; got != "canceled" || next.String() != fmt.Sprintf("Kind(%d)", int(next)) {
		t.Errorf("the last kind is %q, the one after %q", got, next.String())
	}
}

// An error is retryable by its kind, and only without a 2xx or 3xx status:
// after a 2xx the code may be used up, after a redirect the URL is wrong.
func TestErrorRetryableByStatus(t *testing.T) {
	tests := []struct {
		kind      auth.Kind
		status    int
		retryable bool
	}{
		{auth.KindNetwork, 0, true},
		{auth.KindNetwork, 199, true},
		{auth.KindNetwork, 200, false},
		{auth.KindServer, 399, false},
		{auth.KindServer, 400, true},
		{auth.KindServer, 503, true},
		{auth.KindRequest, 400, false},
	}
	for _, tt := range tests {
		if got := (&auth.Error{Kind: tt.kind, Status: tt.status}).Retryable(); got != tt.retryable {
			t.Errorf("%v with HTTP %d: Retryable() = %v, want %v", tt.kind, tt.status, got, tt.retryable)
		}
	}
}

func TestExchangeNetworkErrors(t *testing.T) {
	// hang answers nothing until the client gives up or the test ends.
	hang := func(t *testing.T, arrived chan<- struct{}) string {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			arrived <- struct{}{}
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) }) // runs before srv.Close
		return srv.URL + "/token"
	}
	// hangMidBody sends the headers and part of a body, then nothing.
	hangMidBody := func(t *testing.T, arrived chan<- struct{}) string {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"c.`))
			w.(http.Flusher).Flush()
			arrived <- struct{}{}
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) })
		return srv.URL + "/token"
	}
	refused := func(t *testing.T, _ chan<- struct{}) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		return "http://" + addr + "/token"
	}

	tests := []struct {
		name   string
		server func(*testing.T, chan<- struct{}) string
		// ctx returns the context for Exchange, given the channel the
		// server signals on when the request has arrived.
		ctx      func(*testing.T, <-chan struct{}) context.Context
		wantKind auth.Kind
		wantText string
		spent    bool // the request went out: the code may be used up
	}{
		{
			name:     "connection refused",
			server:   refused,
			ctx:      func(t *testing.T, _ <-chan struct{}) context.Context { return t.Context() },
			wantKind: auth.KindNetwork,
			wantText: "refused",
		},
		{
			name:   "server hangs past the deadline",
			server: hang,
			ctx: func(t *testing.T, _ <-chan struct{}) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			wantKind: auth.KindNetwork,
			wantText: "timed out",
			spent:    true,
		},
		{
			name:   "server hangs in the middle of the body",
			server: hangMidBody,
			ctx: func(t *testing.T, _ <-chan struct{}) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			wantKind: auth.KindNetwork,
			wantText: "timed out",
			spent:    true,
		},
		{
			name:   "canceled before sending",
			server: hang,
			ctx: func(t *testing.T, _ <-chan struct{}) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx
			},
			wantKind: auth.KindCanceled,
		},
		{
			name:   "canceled while waiting",
			server: hang,
			ctx: func(t *testing.T, arrived <-chan struct{}) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				go func() {
					select {
					case <-arrived:
						cancel()
					case <-ctx.Done():
					}
				}()
				t.Cleanup(cancel)
				return ctx
			},
			wantKind: auth.KindCanceled,
			spent:    true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arrived := make(chan struct{}, 1)
			c := nestConfig(tt.server(t, arrived))
			ctx := tt.ctx(t, arrived)

			type result struct {
				tok *auth.Token
				err error
			}
			done := make(chan result, 1)
			go func() {
				tok, err := c.Exchange(ctx, "TB39DWND", "")
				done <- result{tok, err}
			}()
			var res result
			select {
			case res = <-done:
			case <-time.After(30 * time.Second): // a guard against a hang, not a measurement
				t.Fatal("Exchange did not return after its context ended")
			}
			if res.tok != nil {
				t.Fatalf("Exchange returned a token %+v, want an error", res.tok)
			}
			e := asError(t, res.err)
			if e.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v (error: %v)", e.Kind, tt.wantKind, e)
			}
			if e.Status != 0 {
				t.Errorf("Status = %d, want 0: there was no complete answer", e.Status)
			}
			if !strings.Contains(e.Error(), tt.wantText) {
				t.Errorf("Error() = %q, want it to mention %q", e.Error(), tt.wantText)
			}
			if e.MaybeSpent() != tt.spent {
				t.Errorf("MaybeSpent() = %v, want %v", e.MaybeSpent(), tt.spent)
			}
			switch {
			case tt.spent && (e.Retryable() || !strings.Contains(e.Hint(), "the code may be used up") || strings.Contains(e.Hint(), "try again")):
				t.Errorf("Hint() = %q (retryable %v), want the code may be used up, and no try again", e.Hint(), e.Retryable())
			case tt.wantKind == auth.KindNetwork && !tt.spent && !strings.Contains(e.Hint(), "try again"):
				t.Errorf("Hint() = %q, want it to say to try again", e.Hint())
			}
		})
	}
}

// A token endpoint that answers with an endless body must not make the
// client read it all or show it all.
func TestExchangeHugeBody(t *testing.T) {
	const total = 64 << 20
	tests := []struct {
		name        string
		status      int
		contentType string
		fill        byte
		wantKind    auth.Kind
	}{
		{"500 HTML", 500, "text/html", 'x', auth.KindServer},
		{"200 JSON", 200, "application/json", ' ', auth.KindServer},
		{"400 form", 400, "application/x-www-form-urlencoded", 'a', auth.KindServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var written atomic.Int64
			finished := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(finished)
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				chunk := []byte(strings.Repeat(string(tt.fill), 32<<10))
				for written.Load() < total {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						return
					}
				}
			}))
			t.Cleanup(srv.Close)

			tok, err := nestConfig(srv.URL+"/token").Exchange(t.Context(), "TB39DWND", "")
			if tok != nil {
				t.Fatalf("Exchange returned a token %+v, want an error", tok)
			}
			e := asError(t, err)
			if e.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v (error: %.200v)", e.Kind, tt.wantKind, e)
			}
			if n := utf8.RuneCountInString(e.Excerpt); n > 121 {
				t.Errorf("Excerpt has %d runes, want at most 121", n)
			}
			if !strings.Contains(e.Error(), "larger than 1 MiB") {
				t.Errorf("Error() = %.200q, want it to say the answer is over 1 MiB", e.Error())
			}
			if n := len(e.Error()); n > 400 {
				t.Errorf("Error() is %d bytes long, want a short message: %.200q…", n, e.Error())
			}
			select {
			case <-finished:
			case <-time.After(30 * time.Second): // a guard against a hang, not a measurement
				t.Fatal("the handler is still writing: the client did not hang up")
			}
			if n := written.Load(); n >= total {
				t.Errorf("the server wrote all %d bytes: the client read the whole body", n)
			}
		})
	}
}

func TestExchangeSanitizesErrors(t *testing.T) {
	const nasty = "\x1b[31mred\x1b]0;title\x07\u202e"
	jsonErr := func(code, desc string) string {
		b, err := json.Marshal(map[string]string{"error": code, "error_description": desc})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantCode    string
		wantDesc    string
		wantExcerpt string
	}{
		{
			name: "error_description", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_grant", nasty),
			wantCode: "invalid_grant", wantDesc: "red",
		},
		{
			name: "error code", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_\x1b[2Jgrant\u2066", "bad\u0085 code\r\nhere"),
			wantCode: "invalid_grant", wantDesc: "bad code  here",
		},
		{
			name: "JSON typed text/html", status: 400, contentType: "text/html",
			body:     jsonErr("oauth2_error", "authorization code "+nasty),
			wantCode: "oauth2_error", wantDesc: "authorization code red",
		},
		{
			name: "form error", status: 400, contentType: "application/x-www-form-urlencoded",
			body:     "error=invalid_grant&error_description=%1B%5D8%3B%3Bhttp%3A%2F%2Fevil%1B%5Clink%E2%80%AE",
			wantCode: "invalid_grant", wantDesc: "link",
		},
		{
			name: "HTML body", status: 500, contentType: "text/html",
			body:        "<p>" + nasty + "</p>\n<p>\x00\x08\x9b31m\u200fok</p>",
			wantExcerpt: "<p>red</p> <p>ok</p>",
		},
		{
			name: "invalid UTF-8", status: 502, contentType: "text/plain",
			body:        "bad \xff\xfe gateway",
			wantExcerpt: "bad gateway",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, reply(tt.status, tt.contentType, tt.body))
			_, err := nestConfig(ts.TokenURL()).Exchange(t.Context(), "TB39DWND", "")
			e := asError(t, err)
			if e.Code != tt.wantCode || e.Description != tt.wantDesc || e.Excerpt != tt.wantExcerpt {
				t.Errorf("Code, Description, Excerpt = %q, %q, %q\nwant                          %q, %q, %q",
					e.Code, e.Description, e.Excerpt, tt.wantCode, tt.wantDesc, tt.wantExcerpt)
			}
			checkErrorSafe(t, e)
			if strings.Contains(e.Error(), "title") {
				t.Errorf("Error() = %q keeps the payload of an OSC sequence", e.Error())
			}
		})
	}
}

// A redirect of the token POST would hand the code (and with 307/308 the
// secret) to another URL; nestauth never follows one.
func TestExchangeDoesNotFollowRedirects(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var otherHits atomic.Int64
			mux := http.NewServeMux()
			mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/other", status)
			})
			mux.HandleFunc("/other", func(w http.ResponseWriter, r *http.Request) {
				otherHits.Add(1)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(nestTokenJSON))
			})
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)

			c := nestConfig(srv.URL + "/token")
			// A caller's client that would follow redirects must not either.
			c.HTTPClient = &http.Client{}
			tok, err := c.Exchange(t.Context(), "TB39DWND", "")
			if tok != nil {
				t.Errorf("Exchange returned a token %+v, want an error", tok)
			}
			e := asError(t, err)
			if e.Kind != auth.KindServer || e.Status != status {
				t.Errorf("Kind, Status = %v, %d; want server, %d", e.Kind, e.Status, status)
			}
			if n := otherHits.Load(); n != 0 {
				t.Errorf("the redirect target was hit %d times, want 0", n)
			}
		})
	}
}

// Exchange and Refresh check the endpoints before sending anything.
func TestExchangeChecksEndpointsFirst(t *testing.T) {
	tests := []struct {
		name      string
		authURL   string
		tokenURL  string
		redirect  string
		wantErr   error
		wantCalls int64
	}{
		{name: "http token URL elsewhere", tokenURL: "http://example.com/token", wantErr: auth.ErrInsecureURL},
		{name: "http auth URL elsewhere", authURL: "http://home.nest.example/login/oauth2", tokenURL: "https://example.com/token", wantErr: auth.ErrInsecureURL},
		{name: "no token URL", tokenURL: "", wantErr: auth.ErrNoEndpoint},
		{name: "relative token URL", tokenURL: "/token", wantErr: auth.ErrBadEndpointURL},
		{name: "loopback redirect on port 0", tokenURL: "https://example.com/token", redirect: "http://127.0.0.1:0/callback", wantErr: auth.ErrBadRedirectPort},
		{name: "out-of-band redirect at Google", tokenURL: "https://oauth2.googleapis.com/token", redirect: "urn:ietf:wg:oauth:2.0:oob", wantErr: auth.ErrOOBRedirect},
		{name: "out-of-band auto redirect at Google", tokenURL: "https://www.googleapis.com/oauth2/v4/token", redirect: "urn:ietf:wg:oauth:2.0:oob:auto", wantErr: auth.ErrOOBRedirect},
		{name: "out-of-band redirect elsewhere", tokenURL: "https://example.com/token", redirect: "urn:ietf:wg:oauth:2.0:oob", wantCalls: 1},
		{name: "https", tokenURL: "https://example.com/token", wantCalls: 1},
		{name: "no auth URL: a token request needs none", authURL: "-", tokenURL: "https://example.com/token", wantCalls: 1},
		{name: "http 127.0.0.1", tokenURL: "http://127.0.0.1:9/token", wantCalls: 1},
		{name: "http [::1]", tokenURL: "http://[::1]:9/token", wantCalls: 1},
		{name: "http localhost", tokenURL: "http://localhost:9/token", wantCalls: 1},
		{name: "loopback redirect on a fixed port", tokenURL: "https://example.com/token", redirect: "http://127.0.0.1:8085/callback", wantCalls: 1},
	}
	for _, tt := range tests {
		for _, refresh := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/refresh=%v", tt.name, refresh), func(t *testing.T) {
				var calls atomic.Int64
				c := nestConfig(tt.tokenURL)
				switch tt.authURL {
				case "":
				case "-":
					c.AuthURL = ""
				default:
					c.AuthURL = tt.authURL
				}
				c.RedirectURI = tt.redirect
				c.HTTPClient = countingClient(&calls)
				var err error
				if refresh {
					_, err = c.Refresh(t.Context(), "1//REFRESH")
				} else {
					_, err = c.Exchange(t.Context(), "TB39DWND", "")
				}
				if tt.wantErr == nil {
					if err != nil {
						t.Fatalf("got %v, want a token", err)
					}
				} else {
					e := asError(t, err)
					if e.Kind != auth.KindUsage || !errors.Is(err, tt.wantErr) {
						t.Errorf("got %v (kind %v), want %v (kind usage)", err, e.Kind, tt.wantErr)
					}
				}
				if n := calls.Load(); n != tt.wantCalls {
					t.Errorf("%d requests were sent, want %d", n, tt.wantCalls)
				}
			})
		}
	}
}

func TestConfigValidate(t *testing.T) {
	const project = "0a1b2c3d-1234-5678-9abc-0123456789ab"
	tests := []struct {
		name    string
		config  auth.Config
		wantErr error
	}{
		{"nest", auth.Config{Provider: auth.Nest(), ClientID: "id", ClientSecret: "s"}, nil},
		{"sdm", auth.Config{Provider: auth.SDM(), ClientID: "id", ClientSecret: "s", ProjectID: project}, nil},
		{"no client ID", auth.Config{Provider: auth.Nest(), ClientSecret: "s"}, auth.ErrNoClientID},
		{"no secret", auth.Config{Provider: auth.Nest(), ClientID: "id"}, auth.ErrNoClientSecret},
		{"sdm without project", auth.Config{Provider: auth.SDM(), ClientID: "id", ClientSecret: "s"}, auth.ErrNoProjectID},
		{"sdm with cloud project", auth.Config{Provider: auth.SDM(), ClientID: "id", ClientSecret: "s", ProjectID: "my-project-123456"}, auth.ErrCloudProjectID},
		{"custom without endpoints", auth.Config{Provider: auth.Custom(), ClientID: "id", ClientSecret: "s"}, auth.ErrNoEndpoint},
		{"custom public client", auth.Config{Provider: customWith("https://idp.test/auth", "https://idp.test/token"), ClientID: "app"}, nil},
		{"sdm without a secret", auth.Config{Provider: auth.SDM(), ClientID: "id", ProjectID: project}, auth.ErrNoClientSecret},
		{"blank secret", auth.Config{Provider: auth.Nest(), ClientID: "id", ClientSecret: " \uFEFF"}, auth.ErrNoClientSecret},
		{"client ID as it would be sent", auth.Config{Provider: auth.Nest(), ClientID: "id\n", ClientSecret: "s"}, auth.ErrClientIDSpaces},
		{"project ID as it would be sent", auth.Config{Provider: auth.SDM(), ClientID: "id", ClientSecret: "s", ProjectID: " " + project}, auth.ErrBadProjectID},
		{"unsafe token URL before a missing auth URL", auth.Config{Provider: customWith("", "http://example.com/token"), ClientID: "id", ClientSecret: "s"}, auth.ErrInsecureURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.config.Validate(); !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Validate() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func customWith(authURL, tokenURL string) auth.Provider {
	p := auth.Custom()
	p.AuthURL, p.TokenURL = authURL, tokenURL
	return p
}

func TestValidateTokenEndpoint(t *testing.T) {
	tests := []struct {
		name    string
		p       auth.Provider
		wantErr error
	}{
		{"token URL alone is enough", customWith("", "https://idp.test/token"), nil},
		{"no token URL", customWith("https://idp.test/auth", ""), auth.ErrNoEndpoint},
		{"a set auth URL must be safe too", customWith("http://example.com/auth", "https://idp.test/token"), auth.ErrInsecureURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth.Config{Provider: tt.p}.ValidateTokenEndpoint()
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("ValidateTokenEndpoint() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// The redirect URI a request sent travels on its error, so Hint can say
// exactly what to register.
func TestRedirectMismatchHint(t *testing.T) {
	tests := []struct {
		redirect string
		want     []string
	}{
		{"https://www.google.com", []string{"redirect_uri=https://www.google.com", "a Web application client"}},
		{"http://127.0.0.1:8085/callback", []string{"redirect_uri=http://127.0.0.1:8085/callback", "a Desktop app client"}},
		{"", []string{"No redirect_uri was sent", "--redirect-uri"}},
	}
	ts := newTokenServer(t, reply(400, "application/json", `{"error":"redirect_uri_mismatch"}`))
	for _, tt := range tests {
		c := nestConfig(ts.TokenURL())
		c.RedirectURI = tt.redirect
		for name, send := range map[string]func() (*auth.Token, error){
			"Exchange": func() (*auth.Token, error) { return c.Exchange(t.Context(), "TB39DWND", "") },
			"Refresh":  func() (*auth.Token, error) { return c.Refresh(t.Context(), "REFRESH") },
		} {
			_, err := send()
			e := asError(t, err)
			if e.Kind != auth.KindRedirect || e.RedirectURI != tt.redirect {
				t.Errorf("%s with %q: Kind %v, RedirectURI %q; want redirect_uri, %q", name, tt.redirect, e.Kind, e.RedirectURI, tt.redirect)
			}
			for _, w := range tt.want {
				if got := e.Hint(); !strings.Contains(got, w) {
					t.Errorf("%s with %q: Hint() = %q, want it to contain %q", name, tt.redirect, got, w)
				}
			}
		}
	}
}
