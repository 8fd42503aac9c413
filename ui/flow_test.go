package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/internal/testkit"
)

// These tests run whole flows through a real tea.Program against the fake
// Works with Nest server, and compare the final frame with a golden file
// (go test ./ui -update rewrites them).

const (
	flowClientID = "flow-client"
	flowSecret   = "flow-secret"
)

func startFake(t *testing.T) *fakenest.Server {
	t.Helper()
	return fakenest.NewTest(t, flowClientID, flowSecret)
}

// fixedTokens makes tokens deterministic for the golden files while the
// fake server still judges every code.
type fixedTokens struct{ n int }

func (f *fixedTokens) Exchange(ctx context.Context, cfg auth.Config, code, verifier string) (*auth.Token, error) {
	tok, err := cfg.Exchange(ctx, code, verifier)
	if err != nil {
		return nil, err
	}
	f.n++
	tok.AccessToken = "c.GOLDEN-TOKEN-" + string(rune('0'+f.n))
	tok.Expiry = testNow.Add(time.Duration(tok.ExpiresIn) * time.Second)
	return tok, nil
}

func startFlow(t *testing.T, fake *fakenest.Server, secret string) *teatest.TestModel {
	t.Helper()
	p := auth.Nest()
	p.AuthURL, p.TokenURL = fake.AuthURL(), fake.TokenURL()
	m := New(Options{
		Providers:    []auth.Provider{p},
		ClientID:     flowClientID,
		ClientSecret: secret,
		Exchanger:    &fixedTokens{},
		Copy:         func(string) error { return nil },
		Open:         func(string) error { return nil },
		Now:          func() time.Time { return testNow },
	})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitScreen(t, tm, "Step 3 of 5 · Authorize")
	tm.Send(enter)
	waitScreen(t, tm, "Step 4 of 5 · Authorization code")
	return tm
}

func waitScreen(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(want))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func finalView(t *testing.T, tm *teatest.TestModel) (Model, string) {
	t.Helper()
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	m.Close()
	return m, ansi.Strip(m.View().Content)
}

func TestFlowHappyPath(t *testing.T) {
	fake := startFake(t)
	tm := startFlow(t, fake, flowSecret)
	tm.Send(tea.PasteMsg{Content: fake.IssueCode() + "\n"})
	tm.Send(enter)
	waitScreen(t, tm, "c.GOLDEN-TOKEN-1")
	tm.Send(char('c'))
	waitScreen(t, tm, "Copied the access token")
	tm.Send(char('q'))
	m, v := finalView(t, tm)
	if m.Token() == nil || fake.TokenRequests() != 1 {
		t.Fatalf("token %v after %d requests", m.Token(), fake.TokenRequests())
	}
	golden.RequireEqual(t, v)
}

func TestFlowExpiredCodeRetry(t *testing.T) {
	fake := startFake(t)
	tm := startFlow(t, fake, flowSecret)
	old := fake.IssueCode()
	fake.Advance(fakenest.PINLifetime + time.Minute)
	tm.Send(tea.PasteMsg{Content: old})
	tm.Send(enter)
	waitScreen(t, tm, "authorization code expired")
	tm.Send(tea.PasteMsg{Content: fake.IssueCode()})
	tm.Send(enter)
	waitScreen(t, tm, "c.GOLDEN-TOKEN-1")
	tm.Send(char('q'))
	m, v := finalView(t, tm)
	if m.Token() == nil || fake.TokenRequests() != 2 {
		t.Fatalf("token %v after %d requests", m.Token(), fake.TokenRequests())
	}
	golden.RequireEqual(t, v)
}

func TestFlowWrongSecret(t *testing.T) {
	fake := startFake(t)
	tm := startFlow(t, fake, "wrong-secret")
	code := fake.IssueCode()
	tm.Send(tea.PasteMsg{Content: code})
	tm.Send(enter)
	waitScreen(t, tm, "client secret not found")
	tm.Send(ctrlU)
	for _, r := range flowSecret {
		tm.Send(char(r))
	}
	tm.Send(enter)
	waitScreen(t, tm, "> "+code)
	tm.Quit()
	_, v := finalView(t, tm)
	if !strings.Contains(v, "Step 4 of 5 · Authorization code") {
		t.Fatalf("after fixing the secret:\n%s", v)
	}
	golden.RequireEqual(t, strings.ReplaceAll(v, code, "<CODE>"))
}

func TestFlowCancel(t *testing.T) {
	fake := startFake(t)
	tm := startFlow(t, fake, flowSecret)
	tm.Send(ctrlC)
	m, v := finalView(t, tm)
	if !m.Aborted() || m.Token() != nil || fake.TokenRequests() != 0 {
		t.Fatal("ctrl+c did not abort cleanly")
	}
	golden.RequireEqual(t, v)
}

// googleLike is a token endpoint that checks what Google checks: the code,
// the PKCE verifier against the challenge in the URL, and the redirect URI.
func googleLike(t *testing.T, code, challenge *string, redirect string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		f := r.PostForm
		if f.Get("code") != *code || auth.Challenge(f.Get("code_verifier")) != *challenge || f.Get("redirect_uri") != redirect {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"Malformed auth code."}`)
			return
		}
		_, _ = io.WriteString(w, `{"access_token":"ya29.GOLDEN","expires_in":3599,"refresh_token":"1//GOLDEN-REFRESH","scope":"https://www.googleapis.com/auth/sdm.service","token_type":"Bearer"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func flowModel(p auth.Provider, projectID string) Model {
	return New(Options{
		Providers: []auth.Provider{p}, ClientID: flowClientID, ClientSecret: flowSecret, ProjectID: projectID,
		Copy: func(string) error { return nil }, Open: func(string) error { return nil },
		Now: func() time.Time { return testNow },
	})
}

// authURLOf reads the authorization URL the model shows.
func authURLOf(t *testing.T, tm *teatest.TestModel) *url.URL {
	t.Helper()
	var u *url.URL
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		s := ansi.Strip(string(b))
		_, s, ok := strings.Cut(s, "press Allow:")
		i := strings.Index(s, "http")
		if !ok || i < 0 {
			return false
		}
		end := strings.Index(s[i:], "\n\n")
		if end < 0 {
			return false
		}
		raw := strings.Join(strings.Fields(s[i:i+end]), "")
		if !strings.Contains(raw, "state=") {
			return false
		}
		u, _ = url.Parse(raw)
		return u != nil
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	return u
}

func TestFlowSDMPastedRedirectURL(t *testing.T) {
	code, challenge := "4/0AbCdEf", ""
	srv := googleLike(t, &code, &challenge, "https://www.google.com")
	p := auth.SDM()
	p.TokenURL = srv.URL
	tm := teatest.NewTestModel(t, flowModel(p, "0a1b2c3d-1234-5678-9abc-0123456789ab"),
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	u := authURLOf(t, tm)
	q := u.Query()
	challenge = q.Get("code_challenge")
	if u.Host != "nestservices.google.com" || q.Get("code_challenge_method") != "S256" || q.Get("access_type") != "offline" {
		t.Fatalf("authorization URL = %s", u)
	}
	tm.Send(enter)
	waitScreen(t, tm, "Step 5 of 6 · Authorization code")
	tm.Send(tea.PasteMsg{Content: "https://www.google.com/?state=" + q.Get("state") + "&code=4/0AbC%64Ef&scope=https://www.googleapis.com/auth/sdm.service\n"})
	waitScreen(t, tm, "Took the code out")
	tm.Send(enter)
	waitScreen(t, tm, "ya29.GOLDEN")
	tm.Send(char('q'))
	m, v := finalView(t, tm)
	if m.Token() == nil || m.Token().RefreshToken != "1//GOLDEN-REFRESH" {
		t.Fatalf("token = %+v", m.Token())
	}
	golden.RequireEqual(t, v)
}

func TestFlowLoopbackCapture(t *testing.T) {
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
	code, challenge := "LOOPBACK-CODE", ""
	srv := googleLike(t, &code, &challenge, redirect)
	p := auth.Custom()
	p.AuthURL, p.TokenURL, p.RedirectURI = "https://idp.test/authorize", srv.URL, redirect
	tm := teatest.NewTestModel(t, flowModel(p, ""),
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	u := authURLOf(t, tm)
	challenge = u.Query().Get("code_challenge")

	// A stale tab with another state is refused, and the wizard keeps listening.
	resp := getWhenListening(t, redirect+"?code=STOLEN&state=other")
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("wrong state: HTTP %d", resp.StatusCode)
	}
	waitScreen(t, tm, "refused")

	resp = getWhenListening(t, redirect+"?code="+code+"&state="+u.Query().Get("state")+"&iss=https%3A%2F%2Fidp.test")
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "the terminal has the code") {
		t.Fatalf("browser got HTTP %d: %s", resp.StatusCode, body)
	}
	waitScreen(t, tm, "ya29.GOLDEN")
	tm.Send(char('q'))
	m, v := finalView(t, tm)
	if m.Token() == nil {
		t.Fatal("no token")
	}
	golden.RequireEqual(t, v)
}

// getWhenListening is the browser's redirect; the listener starts with the
// program, so the first tries may find nobody there yet.
func getWhenListening(t *testing.T, u string) *http.Response {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(u)
		if err == nil {
			return resp
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFlowLoopbackPortBusy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	p := auth.Custom()
	p.AuthURL, p.TokenURL, p.RedirectURI = "https://idp.test/authorize", "https://idp.test/token", fmt.Sprintf("http://127.0.0.1:%d/cb", port)
	tm := teatest.NewTestModel(t, flowModel(p, ""),
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitScreen(t, tm, fmt.Sprintf("port %d is in use", port))
	tm.Send(ctrlC)
	finalView(t, tm)
}
