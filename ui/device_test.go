package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// fakeDevice is a device authorization server in a script: each DeviceAuth
// issues the next code; each poll takes the next answer. It counts polls
// in flight; hold, when set, keeps a poll in flight until closed.
type fakeDevice struct {
	mu       sync.Mutex
	codes    int
	authErr  error
	answers  []pollAnswer
	polls    int
	inflight int
	most     int // the most polls ever in flight at once
	hold     chan struct{}
	complete bool // send a verification_uri_complete
	interval time.Duration
}

type pollAnswer struct {
	token *auth.Token
	next  time.Duration
	err   error
}

var pending = pollAnswer{next: 5 * time.Second}

func (f *fakeDevice) DeviceAuth(ctx context.Context, cfg auth.Config) (*auth.DeviceCode, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.authErr != nil {
		return nil, f.authErr
	}
	f.codes++
	dc := &auth.DeviceCode{
		DeviceCode:      "dev-" + string(rune('0'+f.codes)),
		UserCode:        []string{"WDJB-MJHT", "BCDF-GHJK", "LMNP-QRST"}[(f.codes-1)%3],
		VerificationURI: "https://idp.test/device",
		Expiry:          testNow.Add(15 * time.Minute),
		Interval:        cmpDuration(f.interval, 5*time.Second),
	}
	if f.complete {
		dc.VerificationURIComplete = dc.VerificationURI + "?user_code=" + dc.UserCode
	}
	return dc, nil
}

func cmpDuration(a, b time.Duration) time.Duration {
	if a != 0 {
		return a
	}
	return b
}

func (f *fakeDevice) PollOnce(ctx context.Context, cfg auth.Config, dc *auth.DeviceCode) (*auth.Token, time.Duration, error) {
	f.mu.Lock()
	f.polls++
	n := f.polls
	f.inflight++
	f.most = max(f.most, f.inflight)
	hold := f.hold
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inflight--; f.mu.Unlock() }()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, 0, &auth.Error{Kind: auth.KindCanceled, Err: ctx.Err()}
		}
	}
	if n > len(f.answers) {
		return &auth.Token{AccessToken: "gho_TOKEN-" + dc.DeviceCode, TokenType: "bearer"}, 0, nil
	}
	a := f.answers[n-1]
	return a.token, a.next, a.err
}

func (f *fakeDevice) counts() (codes, polls, most int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.codes, f.polls, f.most
}

func deviceProvider() auth.Provider {
	p := auth.GitHub()
	p.AuthURL, p.TokenURL, p.DeviceURL = "https://idp.test/authorize", "https://idp.test/token", "https://idp.test/device/code"
	return p
}

// atDevice starts a wizard whose every value is given, so it opens on the
// device step, and runs its Init: a code is on the screen.
func atDevice(t *testing.T, f *fakeDevice) (Model, *recorder) {
	t.Helper()
	m, _, rec := newModel(t, Options{Providers: []auth.Provider{deviceProvider()}, ClientID: "Iv1.cid", ClientSecret: "s", Scopes: []string{"repo"}, DeviceFlow: f})
	wantStep(t, m, stepDevice)
	return quick(t, m, m.Init()), rec
}

// quick runs a command as send does, but leaves one that waits (a tick,
// a held poll) after a short moment: ticks are sent by hand here.
func quick(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		return m
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(50 * time.Millisecond):
		return m
	}
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			m = quick(t, m, c)
		}
		return m
	case nil, tea.QuitMsg:
		return m
	}
	if strings.HasPrefix(typeName(msg), "tea.") || strings.HasPrefix(typeName(msg), "spinner.") {
		return m
	}
	return deliver(t, m, msg)
}

func deliver(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	next, cmd := m.Update(msg)
	return quick(t, next.(Model), cmd)
}

// poll is the interval passing: the wizard polls once.
func poll(t *testing.T, m Model) Model {
	t.Helper()
	return deliver(t, m, devicePollMsg{session: m.device.session})
}

func TestDeviceStepPendingThenToken(t *testing.T) {
	f := &fakeDevice{answers: []pollAnswer{pending, pending}, complete: true}
	m, rec := atDevice(t, f)
	wantView(t, m, "Step 4 of 5 · Device code", "https://idp.test/device", "W D J B - M J H T", "╭", "Expires in 15:00", "asks every 5 s",
		"o opens the page with the code filled in", "Waiting for you to approve", "c copy code", "o open page", "esc cancel", "ctrl+c quit")
	if codes, polls, _ := f.counts(); codes != 1 || polls != 0 {
		t.Fatalf("codes %d, polls %d before the interval", codes, polls)
	}
	m = deliver(t, m, char('c'))
	m = deliver(t, m, char('o'))
	wantView(t, m, "Opened the verification page")
	if len(rec.copied) != 1 || rec.copied[0] != "WDJB-MJHT" || len(rec.opened) != 1 || rec.opened[0] != "https://idp.test/device?user_code=WDJB-MJHT" {
		t.Fatalf("copied %q, opened %q", rec.copied, rec.opened)
	}
	m = poll(t, m)
	m = poll(t, m)
	wantStep(t, m, stepDevice)
	m = poll(t, m)
	wantStep(t, m, stepToken)
	wantView(t, m, "gho_TOKEN-dev-1", "esc another code")
	if m.Token().AccessToken != "gho_TOKEN-dev-1" {
		t.Fatalf("token %+v", m.Token())
	}
	// esc on the token: another token, with a fresh code.
	m = deliver(t, m, esc)
	m = deliver(t, m, char('y')) // the token went nowhere: esc asks first
	wantStep(t, m, stepDevice)
	wantView(t, m, "B C D F - G H J K")
}

func TestDeviceStepSlowDown(t *testing.T) {
	f := &fakeDevice{answers: []pollAnswer{{next: 10 * time.Second}, {next: 10 * time.Second}}}
	m, _ := atDevice(t, f)
	m = poll(t, m)
	wantView(t, m, "asked nestauth to slow down", "every 10 s", "asks every 10 s")
	if m.device.code.Interval != 10*time.Second {
		t.Fatalf("interval %v after slow_down", m.device.code.Interval)
	}
	m = poll(t, m) // pending at the new interval
	if m.device.code.Interval != 10*time.Second {
		t.Fatalf("interval %v after a pending answer", m.device.code.Interval)
	}
}

func TestDeviceStepDeniedThenFreshCode(t *testing.T) {
	denied := &auth.Error{Kind: auth.KindCode, Code: "access_denied", Description: "End-User aborted interaction", Status: 400, Err: auth.ErrAccessDenied}
	f := &fakeDevice{answers: []pollAnswer{{err: denied}}}
	m, _ := atDevice(t, f)
	m = poll(t, m)
	wantStep(t, m, stepDevice)
	wantView(t, m, "The server said: access_denied: End-User aborted interaction", "refused on the verification page", "Press enter for a fresh code",
		"enter new code", "esc back")
	if strings.Contains(view(m), "W D J B") {
		t.Error("the refused code is still shown")
	}
	m = poll(t, m) // a poll scheduled before is dropped
	if _, polls, _ := f.counts(); polls != 1 {
		t.Fatalf("polls = %d after the denial, want 1", polls)
	}
	m = deliver(t, m, enter)
	wantView(t, m, "B C D F - G H J K")
	if codes, _, _ := f.counts(); codes != 2 {
		t.Fatalf("codes = %d, want a fresh one", codes)
	}
	m = poll(t, m)
	wantStep(t, m, stepToken)
}

func TestDeviceStepExpiry(t *testing.T) {
	t.Run("the countdown reaches zero", func(t *testing.T) {
		f := &fakeDevice{}
		m, _ := atDevice(t, f)
		m.opts.Now = func() time.Time { return testNow.Add(14*time.Minute + 30*time.Second) }
		m = deliver(t, m, deviceTickMsg{session: m.device.session})
		wantView(t, m, "Expires in 0:30")
		m.opts.Now = func() time.Time { return testNow.Add(15 * time.Minute) }
		m = deliver(t, m, deviceTickMsg{session: m.device.session})
		wantView(t, m, "expired before it was approved", "Press enter for a fresh code")
		m = poll(t, m)
		if _, polls, _ := f.counts(); polls != 0 {
			t.Fatalf("an expired code was polled %d times", polls)
		}
		m.opts.Now = func() time.Time { return testNow }
		m = deliver(t, m, enter)
		wantView(t, m, "B C D F - G H J K", "Expires in 15:00")
	})
	t.Run("the server says expired_token", func(t *testing.T) {
		f := &fakeDevice{answers: []pollAnswer{{err: &auth.Error{Kind: auth.KindCode, Code: "expired_token", Status: 400, Err: auth.ErrExpiredToken}}}}
		m, _ := atDevice(t, f)
		m = poll(t, m)
		wantView(t, m, "expired_token", "not approved in time", "Press enter for a fresh code")
		m = deliver(t, m, enter)
		wantView(t, m, "B C D F - G H J K")
	})
}

// A paste on an ended code (there is no field to take it) leaves the
// notice that says why and what to do.
func TestDeviceStepPasteKeepsTheNotice(t *testing.T) {
	t.Run("denied", func(t *testing.T) {
		denied := &auth.Error{Kind: auth.KindCode, Code: "access_denied", Status: 400, Err: auth.ErrAccessDenied}
		m, _ := atDevice(t, &fakeDevice{answers: []pollAnswer{{err: denied}}})
		m = poll(t, m)
		before := m.notice
		m = deliver(t, m, tea.PasteMsg{Content: "WDJB-MJHT\n"})
		wantStep(t, m, stepDevice)
		wantView(t, m, "refused on the verification page", "Press enter for a fresh code")
		if m.notice != before {
			t.Fatalf("notice = %+v after a paste, want %+v", m.notice, before)
		}
	})
	t.Run("expired", func(t *testing.T) {
		m, _ := atDevice(t, &fakeDevice{})
		m.opts.Now = func() time.Time { return testNow.Add(15 * time.Minute) }
		m = deliver(t, m, deviceTickMsg{session: m.device.session})
		before := m.notice
		m = deliver(t, m, tea.PasteMsg{Content: "anything"})
		wantView(t, m, "expired before it was approved", "Press enter for a fresh code")
		if m.notice != before {
			t.Fatalf("notice = %+v after a paste, want %+v", m.notice, before)
		}
	})
}

func TestDeviceStepEscCancels(t *testing.T) {
	f := &fakeDevice{hold: make(chan struct{})}
	m, _ := atDevice(t, f)
	session := m.device.session
	next, pollCmd := m.Update(devicePollMsg{session: session})
	m = next.(Model)
	m = deliver(t, m, esc)
	wantStep(t, m, stepSecret)
	if m.device.code != nil || m.device.polling {
		t.Fatal("esc left the code live")
	}
	close(f.hold)
	msg := pollCmd() // the canceled poll's answer arrives late
	m = deliver(t, m, msg)
	m = deliver(t, m, devicePolledMsg{session: session, token: &auth.Token{AccessToken: "late"}})
	m = deliver(t, m, deviceTickMsg{session: session})
	wantStep(t, m, stepSecret)
	if m.Token() != nil {
		t.Fatal("a canceled poll's token was taken")
	}
	// Enter on the secret comes back to a fresh code.
	m = deliver(t, m, enter)
	wantStep(t, m, stepDevice)
	wantView(t, m, "B C D F - G H J K")
}

func TestDeviceStepOnePollInFlight(t *testing.T) {
	f := &fakeDevice{hold: make(chan struct{})}
	m, _ := atDevice(t, f)
	session := m.device.session
	next, first := m.Update(devicePollMsg{session: session})
	m = next.(Model)
	if first == nil {
		t.Fatal("no poll")
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- first() }()
	for range 3 { // the interval passes again while the poll is out
		next, cmd := m.Update(devicePollMsg{session: session})
		m = next.(Model)
		if cmd != nil {
			t.Fatal("a second poll was sent while one is in flight")
		}
	}
	close(f.hold)
	m = deliver(t, m, <-done)
	wantStep(t, m, stepToken)
	if _, polls, most := f.counts(); polls != 1 || most != 1 {
		t.Fatalf("polls %d, at most %d at once; want 1 and 1", polls, most)
	}
}

func TestDeviceStepClientRejected(t *testing.T) {
	f := &fakeDevice{authErr: &auth.Error{Kind: auth.KindSecret, Code: "invalid_client", Description: "client authentication failed", Status: 401}}
	m, _ := atDevice(t, f)
	wantStep(t, m, stepSecret)
	wantView(t, m, "The server said: invalid_client: client authentication failed")
}

func TestDeviceStepNetworkErrorKeepsPolling(t *testing.T) {
	f := &fakeDevice{answers: []pollAnswer{{err: &auth.Error{Kind: auth.KindNetwork, Err: errors.New("connection refused")}}}}
	m, _ := atDevice(t, f)
	m = poll(t, m)
	wantStep(t, m, stepDevice)
	wantView(t, m, "No answer from the token endpoint", "connection refused", "asks again in 5 s", "W D J B - M J H T")
	m = poll(t, m)
	wantStep(t, m, stepToken)
}

func TestDeviceModeChoosesTheFlow(t *testing.T) {
	gh, google := deviceProvider(), auth.Google()
	tests := []struct {
		name string
		p    auth.Provider
		mode DeviceMode
		want bool
	}{
		{"a device endpoint and no redirect URI", gh, DeviceAuto, true},
		{"--no-device", gh, DeviceNever, false},
		{"a redirect URI (Google's loopback)", google, DeviceAuto, false},
		{"--device over a redirect URI", google, DeviceAlways, true},
		{"no device endpoint", nestProvider(), DeviceAuto, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := newModel(t, Options{Providers: []auth.Provider{tt.p}, Device: tt.mode})
			if got := m.useDevice(); got != tt.want {
				t.Errorf("useDevice = %v, want %v", got, tt.want)
			}
			has := strings.Contains(view(m)+strings.Join(stepNames(m.flow()), " "), "Device code")
			if has != tt.want {
				t.Errorf("flow %v", stepNames(m.flow()))
			}
		})
	}
}

func stepNames(f []step) []string {
	var out []string
	for _, s := range f {
		out = append(out, s.String())
	}
	return out
}

func TestCodeBoxFitsTheWindow(t *testing.T) {
	f := &fakeDevice{}
	m, _ := atDevice(t, f)
	for _, w := range []int{80, 50, 24, 14} {
		m = deliver(t, m, tea.WindowSizeMsg{Width: w, Height: 30})
		if !strings.Contains(strings.ReplaceAll(view(m), " ", ""), "WDJB-MJHT") {
			t.Errorf("width %d: the code is not whole on screen:\n%s", w, view(m))
		}
		for _, l := range strings.Split(view(m), "\n") {
			if n := len([]rune(l)); n > w {
				t.Errorf("width %d: line of %d: %q", w, n, l)
			}
		}
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

// The wizard's device flow for a Basic client sends client_id in the body
// too: Dex reads it only there, and without it the approval page fails.
func TestDeviceBasicClientSendsClientIDInTheBody(t *testing.T) {
	var mu sync.Mutex
	var forms []url.Values
	var basic []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		_, _, ok := r.BasicAuth()
		mu.Lock()
		forms, basic = append(forms, r.PostForm), append(basic, ok)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"device_code":"dc-1","user_code":"ABCD-EFGH","verification_uri":"%s/device","expires_in":300,"interval":5}`, "http://"+r.Host)
	}))
	t.Cleanup(srv.Close)
	p := deviceProvider()
	p.DeviceURL, p.AuthStyle = srv.URL+"/device/code", auth.AuthInHeader
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{p}, ClientID: "example-app", ClientSecret: "s", Scopes: []string{"openid"}})
	wantStep(t, m, stepDevice)
	m = deliver(t, m, awaitMsg[deviceCodeMsg](t, m.Init()))
	wantView(t, m, "A B C D - E F G H")
	mu.Lock()
	defer mu.Unlock()
	if len(forms) != 1 || forms[0].Get("client_id") != "example-app" || forms[0].Has("client_secret") || !basic[0] {
		t.Errorf("device requests %v (Basic: %v): want one with client_id in the body and the secret in a Basic header", forms, basic)
	}
}

// awaitMsg runs cmd and the commands of its batches at once and returns
// the first message of type T, waiting as long as a loopback request may
// take; the others (ticks) are left behind.
func awaitMsg[T tea.Msg](t *testing.T, cmd tea.Cmd) T {
	t.Helper()
	found := make(chan T, 1)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				go run(c)
			}
		case T:
			select {
			case found <- msg:
			default:
			}
		}
	}
	go run(cmd)
	select {
	case msg := <-found:
		return msg
	case <-time.After(10 * time.Second):
		var zero T
		t.Fatalf("no %T came", zero)
		return zero
	}
}
