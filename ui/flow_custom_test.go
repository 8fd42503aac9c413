package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"nestauth/auth"
)

// Whole flows through a real tea.Program: the Custom path from the
// provider list through the Issuer step (discovery against httptest), and
// the device flow.

func TestFlowCustomIssuer(t *testing.T) {
	const redirect = "https://app.example/callback"
	code, challenge := "CUSTOM-CODE", ""
	token := googleLike(t, &code, &challenge, redirect)
	srv := issuerServer(t, func(_ string, d map[string]any) { d["token_endpoint"] = token.URL })
	m := New(Options{
		Providers: auth.Providers(), ClientID: flowClientID, ClientSecret: flowSecret,
		Copy: func(string) error { return nil }, Open: func(string) error { return nil },
		Now: func() time.Time { return testNow },
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitScreen(t, tm, "5. Custom OAuth 2.0 provider")
	tm.Send(char('5'))
	tm.Send(enter)
	waitScreen(t, tm, "Step 2 · Issuer")
	for _, r := range srv.URL {
		tm.Send(char(r))
	}
	tm.Send(enter)
	waitScreen(t, tm, "> openid") // Scopes, prefilled: the server lists openid
	tm.Send(enter)
	waitScreen(t, tm, "Redirect URI")
	tm.Send(tea.PasteMsg{Content: redirect})
	tm.Send(enter)
	u := authURLOf(t, tm)
	challenge = u.Query().Get("code_challenge")
	if u.Scheme+"://"+u.Host+u.Path != srv.URL+"/auth" || u.Query().Get("scope") != "openid" || u.Query().Get("redirect_uri") != redirect {
		t.Fatalf("authorization URL %s", u)
	}
	tm.Send(enter)
	tm.Send(tea.PasteMsg{Content: redirect + "?code=" + code + "&state=" + u.Query().Get("state")})
	tm.Send(enter)
	waitScreen(t, tm, "ya29.GOLDEN")
	tm.Send(char('q'))
	fm, v := finalView(t, tm)
	if fm.Token() == nil || fm.Provider().TokenURL != token.URL {
		t.Fatalf("token %v from %q", fm.Token(), fm.Provider().TokenURL)
	}
	golden.RequireEqual(t, v)
}

func TestFlowDevice(t *testing.T) {
	f := &fakeDevice{interval: 20 * time.Millisecond, answers: []pollAnswer{{next: 20 * time.Millisecond}, {next: 20 * time.Millisecond}}}
	m := New(Options{
		Providers: []auth.Provider{deviceProvider()}, ClientID: "Iv1.cid", Scopes: []string{"repo"}, DeviceFlow: f,
		Copy: func(string) error { return nil }, Open: func(string) error { return nil },
		Now: func() time.Time { return testNow },
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitScreen(t, tm, "Step 3 of 5 · Client secret")
	tm.Send(enter) // GitHub's device flow needs no secret
	waitScreen(t, tm, "W D J B - M J H T")
	waitScreen(t, tm, "gho_TOKEN-dev-1")
	tm.Send(char('q'))
	fm, v := finalView(t, tm)
	if fm.Token() == nil {
		t.Fatal("no token")
	}
	if codes, polls, most := f.counts(); codes != 1 || polls != 3 || most != 1 {
		t.Errorf("codes %d, polls %d, at most %d in flight; want 1, 3 (two pending), 1", codes, polls, most)
	}
	if strings.Contains(v, "W D J B") {
		t.Error("the code is still on the final frame")
	}
	golden.RequireEqual(t, v)
}
