package ui

import (
	"bytes"
	"context"
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
	fake := fakenest.New(flowClientID, flowSecret)
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	return fake
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
