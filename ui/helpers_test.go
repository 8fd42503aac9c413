package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
)

// Dates are shown in local time: pin it, so golden files hold everywhere.
func init() { time.Local = time.UTC }

// testNow is the fixed clock of these tests.
var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// fakeExchanger answers exchanges from a script and records the calls.
type fakeExchanger struct {
	mu      sync.Mutex
	calls   []string // the codes sent
	answers []func(ctx context.Context) (*auth.Token, error)
}

func (f *fakeExchanger) Exchange(ctx context.Context, cfg auth.Config, code, verifier string) (*auth.Token, error) {
	f.mu.Lock()
	f.calls = append(f.calls, code)
	n := len(f.calls)
	f.mu.Unlock()
	if n > len(f.answers) {
		return tokenFor(code), nil
	}
	return f.answers[n-1](ctx)
}

func (f *fakeExchanger) codes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func tokenFor(code string) *auth.Token {
	return &auth.Token{AccessToken: "c.token-for-" + code, ExpiresIn: 315360000, Expiry: testNow.Add(315360000 * time.Second)}
}

func fail(err error) func(context.Context) (*auth.Token, error) {
	return func(context.Context) (*auth.Token, error) { return nil, err }
}

// recorder stands in for the clipboard and the browser.
type recorder struct {
	mu     sync.Mutex
	copied []string
	opened []string
}

func (r *recorder) copy(s string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.copied = append(r.copied, s)
	return nil
}

func (r *recorder) open(s string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opened = append(r.opened, s)
	return nil
}

func nestProvider() auth.Provider {
	p := auth.Nest()
	p.AuthURL, p.TokenURL = "https://home.nest.test/login/oauth2", "https://api.home.nest.test/oauth2/access_token"
	return p
}

func newModel(t *testing.T, opts Options) (Model, *fakeExchanger, *recorder) {
	t.Helper()
	ex, rec := &fakeExchanger{}, &recorder{}
	if opts.Providers == nil {
		opts.Providers = []auth.Provider{nestProvider()}
	}
	if opts.Exchanger == nil {
		opts.Exchanger = ex
	}
	opts.Copy, opts.Open, opts.Now = rec.copy, rec.open, func() time.Time { return testNow }
	m := New(opts)
	t.Cleanup(m.Close)
	return m, ex, rec
}

// fakeCapture makes the model hold a listener that never listened, taken
// back before the model's Close, which would close it.
func fakeCapture(t *testing.T, m Model) *auth.Capture {
	t.Helper()
	c := &auth.Capture{}
	m.listener.capture = c
	t.Cleanup(func() { m.listener = listener{} })
	return c
}

// Keys.
var (
	enter  = tea.KeyPressMsg{Code: tea.KeyEnter}
	esc    = tea.KeyPressMsg{Code: tea.KeyEscape}
	down   = tea.KeyPressMsg{Code: tea.KeyDown}
	ctrlC  = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	ctrlO  = tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
	ctrlR  = tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	ctrlU  = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	backsp = tea.KeyPressMsg{Code: tea.KeyBackspace}
)

func char(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// send delivers msg, then runs the commands it returns synchronously,
// feeding their messages back, the way the program would. Spinner ticks and
// terminal requests are dropped: they only animate or ask the terminal.
func send(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	next, cmd := m.Update(msg)
	m = next.(Model)
	return run(t, m, cmd)
}

func run(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		return m
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(200 * time.Millisecond):
		return m // a command that waits (the redirect listener): leave it
	}
	switch msg := msg.(type) {
	case nil, spinner.TickMsg, tea.QuitMsg:
		return m
	case tea.BatchMsg:
		for _, c := range msg {
			m = run(t, m, c)
		}
		return m
	}
	if strings.HasPrefix(fmt.Sprintf("%T", msg), "tea.") {
		return m // a terminal request such as SetClipboard
	}
	return send(t, m, msg)
}

func typeString(s string, m Model, t *testing.T) Model {
	t.Helper()
	for _, r := range s {
		m = send(t, m, char(r))
	}
	return m
}

func view(m Model) string { return ansi.Strip(m.View().Content) }

func wantStep(t *testing.T, m Model, want step) {
	t.Helper()
	if m.step != want {
		t.Fatalf("step = %v, want %v\n%s", m.step, want, view(m))
	}
}

func wantView(t *testing.T, m Model, subs ...string) {
	t.Helper()
	v := view(m)
	flat := strings.Join(strings.Fields(v), " ")
	for _, s := range subs {
		if !strings.Contains(v, s) && !strings.Contains(flat, s) {
			t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
}

// demoRun is the wizard as --demo runs it: prefilled, Approve, no Saver.
func demoRun() Options {
	return Options{ClientID: "id", ClientSecret: "s", Approve: func(string) (string, error) { return "DEMOPIN1", nil }}
}

// demoOptions are the demo's provider and its a key that approves, with the
// credentials given (the wizard starts at Authorize); approvals counts a presses.
func demoOptions(approvals *int) Options {
	p := nestProvider()
	p.Name = "Works with Nest (demo server on this machine)"
	return Options{Providers: []auth.Provider{p}, ClientID: "nestauth-demo", ClientSecret: "s",
		Approve: func(string) (string, error) { *approvals++; return "DEMOPIN1", nil }}
}
