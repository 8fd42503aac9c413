package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"nestauth/auth"
)

// metadataServer serves documents by path and records the paths asked for.
type metadataServer struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

// newMetadataServer serves docs (path → body; "{issuer}" is replaced by the
// server's URL) with 200, and 404 elsewhere.
func newMetadataServer(t *testing.T, docs map[string]string) *metadataServer {
	t.Helper()
	ms := &metadataServer{}
	ms.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ms.mu.Lock()
		ms.paths = append(ms.paths, r.Method+" "+r.URL.Path)
		ms.mu.Unlock()
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("Accept = %q, want application/json", got)
		}
		body, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(body, "redirect:") {
			http.Redirect(w, r, strings.ReplaceAll(strings.TrimPrefix(body, "redirect:"), "{issuer}", ms.URL), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(strings.ReplaceAll(body, "{issuer}", ms.URL)))
	}))
	t.Cleanup(ms.Close)
	return ms
}

func (ms *metadataServer) Paths() []string {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]string(nil), ms.paths...)
}

// metadataDoc is a document for issuer "{issuer}{path}" with extra fields.
func metadataDoc(path, extra string) string {
	return `{"issuer":"{issuer}` + path + `",
	"authorization_endpoint":"{issuer}` + path + `/auth",
	"token_endpoint":"{issuer}` + path + `/token",
	"revocation_endpoint":"{issuer}` + path + `/revoke",
	"userinfo_endpoint":"{issuer}` + path + `/me",
	"device_authorization_endpoint":"{issuer}` + path + `/device/auth",
	"jwks_uri":"http://keys.example.com/jwks",
	"scopes_supported":["openid","read","bad\u001b[31mscope"],
	"grant_types_supported":["authorization_code","urn:ietf:params:oauth:grant-type:device_code"]` + extra + `}`
}

func TestDiscover(t *testing.T) {
	const oidc, rfc8414 = "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"
	tests := []struct {
		name      string
		docs      map[string]string
		issuer    string // appended to the server's URL
		wantPaths []string
		wantKind  auth.Kind
		wantErr   error  // errors.Is
		wantText  string // in Error()
		wantS256  bool
	}{
		{
			name:      "openid-configuration",
			docs:      map[string]string{oidc: metadataDoc("", `,"code_challenge_methods_supported":["plain","S256"]`)},
			wantPaths: []string{"GET " + oidc},
			wantS256:  true,
		},
		{
			name:      "falls back to oauth-authorization-server (RFC 8414)",
			docs:      map[string]string{rfc8414: metadataDoc("", "")},
			wantPaths: []string{"GET " + oidc, "GET " + rfc8414},
		},
		{
			name:      "issuer with a path: OIDC appends, RFC 8414 inserts",
			issuer:    "/realms/dev",
			docs:      map[string]string{rfc8414 + "/realms/dev": metadataDoc("/realms/dev", `,"code_challenge_methods_supported":["S256"]`)},
			wantPaths: []string{"GET /realms/dev" + oidc, "GET " + rfc8414 + "/realms/dev"},
			wantS256:  true,
		},
		{
			name:      "issuer with a path: oauth-authorization-server appended (Okta)",
			issuer:    "/oauth2/default",
			docs:      map[string]string{"/oauth2/default" + rfc8414: metadataDoc("/oauth2/default", "")},
			wantPaths: []string{"GET /oauth2/default" + oidc, "GET " + rfc8414 + "/oauth2/default", "GET /oauth2/default" + rfc8414},
		},
		{
			name:      "a trailing slash typed is forgiven",
			issuer:    "/realms/dev/",
			docs:      map[string]string{"/realms/dev" + oidc: metadataDoc("/realms/dev", "")},
			wantPaths: []string{"GET /realms/dev" + oidc},
		},
		{
			name:      "same-origin redirect followed",
			docs:      map[string]string{oidc: "redirect:{issuer}/moved", "/moved": metadataDoc("", "")},
			wantPaths: []string{"GET " + oidc, "GET /moved"},
		},
		{
			name:      "mismatched issuer refused, no fallback",
			docs:      map[string]string{oidc: strings.Replace(metadataDoc("", ""), `"issuer":"{issuer}"`, `"issuer":"https://evil.example.com"`, 1), rfc8414: metadataDoc("", "")},
			wantPaths: []string{"GET " + oidc},
			wantKind:  auth.KindServer,
			wantErr:   auth.ErrIssuerMismatch,
			wantText:  "https://evil.example.com",
		},
		{
			// Stripped of its control characters it would read as the
			// issuer asked for: the difference is shown escaped.
			name:     "issuer differing by control characters shows them escaped",
			docs:     map[string]string{oidc: strings.Replace(metadataDoc("", ""), `"issuer":"{issuer}"`, `"issuer":"{issuer}\u0007\u001b[2J\u202e"`, 1)},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrIssuerMismatch,
			wantText: `\a\x1b[2J\u202e"`,
		},
		{
			name:     "issuer with another path refused",
			issuer:   "/realms/dev",
			docs:     map[string]string{"/realms/dev" + oidc: metadataDoc("", "")},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrIssuerMismatch,
		},
		{
			name:     "missing issuer refused",
			docs:     map[string]string{oidc: `{"token_endpoint":"https://example.com/token"}`},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrIssuerMismatch,
		},
		{
			name:     "http endpoint off loopback refused",
			docs:     map[string]string{oidc: strings.Replace(metadataDoc("", ""), `"{issuer}/token"`, `"http://login.example.com/token"`, 1)},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrInsecureURL,
			wantText: "token_endpoint",
		},
		{
			name:     "http endpoint nestauth does not use refused too",
			docs:     map[string]string{oidc: metadataDoc("", `,"end_session_endpoint":"http://login.example.com/logout"`)},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrInsecureURL,
			wantText: "end_session_endpoint",
		},
		{
			name:     "endpoint with escape sequence refused",
			docs:     map[string]string{oidc: strings.Replace(metadataDoc("", ""), `"{issuer}/auth"`, `"{issuer}/a\u001b]8;;x"`, 1)},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrBadEndpointURL,
		},
		{
			name:     "huge document refused",
			docs:     map[string]string{oidc: metadataDoc("", `,"x":"`+strings.Repeat("a", 1<<20)+`"`)},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrMetadataSize,
		},
		{
			name:     "not JSON",
			docs:     map[string]string{oidc: `{"issuer": nope`},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrBadMetadata,
		},
		{
			name:      "nothing published",
			docs:      map[string]string{},
			wantPaths: []string{"GET " + oidc, "GET " + rfc8414},
			wantKind:  auth.KindServer,
			wantErr:   auth.ErrNoMetadata,
			wantText:  "HTTP 404",
		},
		{
			name:     "redirect to another origin refused",
			docs:     map[string]string{oidc: "redirect:https://other.example.com/.well-known/openid-configuration"},
			wantKind: auth.KindServer,
			wantErr:  auth.ErrMetadataRedirect,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := newMetadataServer(t, tt.docs)
			m, err := auth.Discover(context.Background(), ms.URL+tt.issuer, ms.Client())
			if tt.wantPaths != nil {
				if got := ms.Paths(); !reflect.DeepEqual(got, tt.wantPaths) {
					t.Errorf("requests = %q, want %q", got, tt.wantPaths)
				}
			}
			if tt.wantErr != nil {
				e := asError(t, err)
				if e.Kind != tt.wantKind || !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v (kind %v), want kind %v wrapping %v", err, e.Kind, tt.wantKind, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantText) {
					t.Errorf("err = %q, want it to contain %q", err, tt.wantText)
				}
				checkErrorSafe(t, e)
				return
			}
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			base := ms.URL + strings.TrimSuffix(tt.issuer, "/")
			want := &auth.Metadata{
				Issuer: base, AuthURL: base + "/auth", TokenURL: base + "/token", RevokeURL: base + "/revoke",
				UserinfoURL: base + "/me", DeviceURL: base + "/device/auth",
				Scopes:     []string{"openid", "read"},
				GrantTypes: []string{"authorization_code", auth.GrantDeviceCode},
			}
			want.CodeChallengeMethods, want.Source = m.CodeChallengeMethods, m.Source
			if !reflect.DeepEqual(m, want) {
				t.Errorf("metadata = %+v\nwant       %+v", m, want)
			}
			if m.S256() != tt.wantS256 {
				t.Errorf("S256() = %v, want %v", m.S256(), tt.wantS256)
			}
			if !m.OffersDevice() || !m.HasScope("openid") {
				t.Errorf("OffersDevice() = %v, HasScope(openid) = %v, want both", m.OffersDevice(), m.HasScope("openid"))
			}
		})
	}
}

func TestDiscoverRefusesIssuer(t *testing.T) {
	tests := []struct {
		issuer  string
		wantErr error
	}{
		{"http://login.example.com", auth.ErrInsecureURL},
		{"https://login.example.com?tenant=a", auth.ErrIssuerURL},
		{"https://login.example.com#x", auth.ErrIssuerURL},
		{"login.example.com", auth.ErrIssuerURL},
		{"ftp://login.example.com", auth.ErrIssuerURL},
	}
	for _, tt := range tests {
		t.Run(tt.issuer, func(t *testing.T) {
			client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				t.Errorf("a request was sent to %s", r.URL)
				return nil, errors.New("no network in this test")
			})}
			_, err := auth.Discover(context.Background(), tt.issuer, client)
			if e := asError(t, err); e.Kind != auth.KindUsage || !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v (kind %v), want a usage error wrapping %v", err, e.Kind, tt.wantErr)
			}
		})
	}
}

func TestDiscoverCanceled(t *testing.T) {
	ms := newMetadataServer(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := auth.Discover(ctx, ms.URL, ms.Client())
	if e := asError(t, err); e.Kind != auth.KindCanceled {
		t.Errorf("err = %v (kind %v), want canceled", err, e.Kind)
	}
}

func TestMetadataApply(t *testing.T) {
	m := &auth.Metadata{AuthURL: "https://as.example.com/auth", TokenURL: "https://as.example.com/token"}
	tests := []struct {
		name      string
		methods   []string
		given     auth.Provider
		noPKCE    bool
		want      auth.Provider
		wantNoPKC bool // want ErrNoS256
	}{
		{
			name:    "discovered endpoints, PKCE on",
			methods: []string{"S256"},
			given:   auth.Custom(),
			want:    withEndpoints(auth.Custom(), m.AuthURL, m.TokenURL, true),
		},
		{
			name:    "flags override discovery",
			methods: []string{"S256"},
			given:   withEndpoints(auth.Custom(), "https://flag.example.com/a", "", false),
			want:    withEndpoints(auth.Custom(), "https://flag.example.com/a", m.TokenURL, true),
		},
		{
			name:      "no S256: refused",
			methods:   []string{"plain"},
			given:     auth.Custom(),
			wantNoPKC: true,
		},
		{
			name:   "no S256 with --no-pkce: PKCE off",
			given:  auth.Custom(),
			noPKCE: true,
			want:   withEndpoints(auth.Custom(), m.AuthURL, m.TokenURL, false),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := *m
			md.CodeChallengeMethods = tt.methods
			got, err := md.Apply(tt.given, tt.noPKCE)
			if tt.wantNoPKC {
				if e := asError(t, err); e.Kind != auth.KindUsage || !errors.Is(err, auth.ErrNoS256) || !strings.Contains(err.Error(), "--no-pkce") {
					t.Errorf("err = %v (kind %v), want a usage error wrapping ErrNoS256 that names --no-pkce", err, e.Kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Apply = %+v\nwant    %+v", got, tt.want)
			}
		})
	}
}

func withEndpoints(p auth.Provider, authURL, tokenURL string, pkce bool) auth.Provider {
	p.AuthURL, p.TokenURL, p.PKCE = authURL, tokenURL, pkce
	return p
}

func TestMetadataGrantDefaults(t *testing.T) {
	m := &auth.Metadata{DeviceURL: "https://as.example.com/device"}
	if !m.HasGrant("authorization_code") || m.HasGrant(auth.GrantDeviceCode) || !m.OffersDevice() {
		t.Errorf("without grant_types_supported: HasGrant(code) %v, HasGrant(device) %v, OffersDevice %v; want true, false, true",
			m.HasGrant("authorization_code"), m.HasGrant(auth.GrantDeviceCode), m.OffersDevice())
	}
	m.GrantTypes = []string{"authorization_code"}
	if m.OffersDevice() {
		t.Error("OffersDevice() = true for a server whose grant list leaves the device grant out")
	}
	p, err := m.Apply(auth.Custom(), true)
	if err != nil || p.DeviceURL != m.DeviceURL {
		t.Errorf("Apply: device URL %q, %v; want %q", p.DeviceURL, err, m.DeviceURL)
	}
}

// A document of exactly 1 MiB is read (one byte more is refused: "huge
// document refused" in TestDiscover).
func TestDiscoverDocumentAtTheLimit(t *testing.T) {
	var doc string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(doc))
	}))
	t.Cleanup(srv.Close)
	head := strings.ReplaceAll(metadataDoc("", `,"x":"`), "{issuer}", srv.URL)
	doc = head + strings.Repeat("a", 1<<20-len(head)-len(`"}`)) + `"}`
	if _, err := auth.Discover(context.Background(), srv.URL, srv.Client()); err != nil {
		t.Errorf("Discover of a %d-byte document: %v", len(doc), err)
	}
}

// Discovery follows four redirects within the issuer's origin, not a fifth.
func TestDiscoverRedirectLimit(t *testing.T) {
	const oidc = "/.well-known/openid-configuration"
	chain := func(n int) map[string]string {
		docs := map[string]string{oidc: "redirect:{issuer}/r1"}
		for i := 1; i < n; i++ {
			docs[fmt.Sprintf("/r%d", i)] = fmt.Sprintf("redirect:{issuer}/r%d", i+1)
		}
		docs[fmt.Sprintf("/r%d", n)] = metadataDoc("", "")
		return docs
	}
	ms := newMetadataServer(t, chain(4))
	if _, err := auth.Discover(context.Background(), ms.URL, ms.Client()); err != nil {
		t.Errorf("four redirects: %v", err)
	}
	ms = newMetadataServer(t, chain(5))
	if _, err := auth.Discover(context.Background(), ms.URL, ms.Client()); err == nil || !strings.Contains(err.Error(), "stopped after 5 redirects") {
		t.Errorf("five redirects: err = %v, want it stopped", err)
	}
}

// The client given is the one used: its transport carries the requests.
func TestDiscoverUsesTheGivenClient(t *testing.T) {
	ms := newMetadataServer(t, map[string]string{"/.well-known/openid-configuration": metadataDoc("", "")})
	var n atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	if _, err := auth.Discover(context.Background(), ms.URL, hc); err != nil {
		t.Fatal(err)
	}
	if n.Load() == 0 {
		t.Error("Discover did not use the client it was given")
	}
	if _, err := auth.Discover(context.Background(), ms.URL, nil); err != nil {
		t.Errorf("Discover without a client: %v", err)
	}
}
