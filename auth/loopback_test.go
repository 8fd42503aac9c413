package auth_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// listen starts a Capture on a free port of host.
func listen(t *testing.T, host, path, state string) *auth.Capture {
	t.Helper()
	var lastErr error
	for range 5 { // another process may take the port between the two listens
		c, err := auth.ListenLoopback(auth.Loopback{Host: host, Port: freePort(t), Path: path}, state)
		if err == nil {
			t.Cleanup(func() { _ = c.Close() })
			return c
		}
		lastErr = err
	}
	t.Fatalf("ListenLoopback: %v", lastErr)
	return nil
}

// wait is c.Wait, bounded so that a missing result fails the test
// instead of hanging it.
func wait(t *testing.T, c *auth.Capture) auth.Captured {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // a guard, not a measurement
	defer cancel()
	got := c.Wait(ctx)
	if errors.Is(got.Err, context.DeadlineExceeded) {
		t.Fatal("Wait returned nothing")
	}
	return got
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

// wizard stands in for the wizard: it waits on c until c is closed, keeps
// every result, and answers each code with answer.
type wizard struct {
	mu      sync.Mutex
	results []auth.Captured
	done    chan struct{}
}

func startWizard(t *testing.T, c *auth.Capture, answer auth.Answer) *wizard {
	t.Helper()
	w := &wizard{done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			r := c.Wait(context.Background())
			if errors.Is(r.Err, auth.ErrCaptureClosed) {
				return
			}
			r.Answer(answer)
			w.mu.Lock()
			w.results = append(w.results, r)
			w.mu.Unlock()
		}
	}()
	t.Cleanup(func() { _ = c.Close(); <-w.done })
	return w
}

// stop closes c and returns what the wizard got.
func (w *wizard) stop(c *auth.Capture) []auth.Captured {
	_ = c.Close()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.results
}

// describe is a result as a short string: the code, or the error.
func describe(r auth.Captured) string {
	var ae *auth.AuthorizationError
	switch {
	case errors.As(r.Err, &ae):
		return "auth:" + ae.Code
	case r.Err != nil:
		return "err:" + r.Err.Error()
	}
	return "code:" + r.Code.Value
}

func TestParseLoopbackRedirect(t *testing.T) {
	tests := []struct {
		uri      string
		want     auth.Loopback
		wantOK   bool
		wantAddr string
	}{
		{"http://127.0.0.1:8085/callback", auth.Loopback{Host: "127.0.0.1", Port: "8085", Path: "/callback"}, true, "127.0.0.1:8085"},
		{"http://127.0.0.1:8085", auth.Loopback{Host: "127.0.0.1", Port: "8085", Path: "/"}, true, "127.0.0.1:8085"},
		{"http://[::1]:8085/cb", auth.Loopback{Host: "::1", Port: "8085", Path: "/cb"}, true, "[::1]:8085"},
		{"http://localhost:8085/cb", auth.Loopback{Host: "localhost", Port: "8085", Path: "/cb"}, true, "127.0.0.1:8085"},
		{"http://127.0.0.1:8085/a%20b", auth.Loopback{Host: "127.0.0.1", Port: "8085", Path: "/a%20b"}, true, "127.0.0.1:8085"},
		{"http://127.0.0.1:0/cb", auth.Loopback{Host: "127.0.0.1", Port: "0", Path: "/cb"}, true, "127.0.0.1:0"},
		{"https://127.0.0.1:8085/cb", auth.Loopback{}, false, ""},
		{"http://127.0.0.1/cb", auth.Loopback{}, false, ""},
		{"http://localhost/cb", auth.Loopback{}, false, ""},
		{"http://example.com:8085/cb", auth.Loopback{}, false, ""},
		{"http://192.168.1.2:8085/cb", auth.Loopback{}, false, ""},
		{"https://www.google.com", auth.Loopback{}, false, ""},
		{"urn:ietf:wg:oauth:2.0:oob", auth.Loopback{}, false, ""},
		{"", auth.Loopback{}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			got, ok := auth.ParseLoopbackRedirect(tt.uri)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("ParseLoopbackRedirect(%q) = %+v, %v; want %+v, %v", tt.uri, got, ok, tt.want, tt.wantOK)
			}
			if ok && got.Addr() != tt.wantAddr {
				t.Errorf("Addr() = %q, want %q", got.Addr(), tt.wantAddr)
			}
		})
	}
}

func TestListenLoopback(t *testing.T) {
	type hit struct {
		target     string // path and query
		wantStatus int
		wantPage   string // a piece of the page
	}
	ok := hit{"/callback?code=4%2F0Aean&state=S", 200, "the terminal has the code"}
	mismatch := "err:" + auth.ErrStateMismatch.Error()
	tests := []struct {
		name        string
		host        string
		hits        []hit
		wantResults []string // as described, in any order
	}{
		{
			name:        "code",
			host:        "127.0.0.1",
			hits:        []hit{ok},
			wantResults: []string{"code:4/0Aean"},
		},
		{
			name:        "localhost",
			host:        "localhost",
			hits:        []hit{ok},
			wantResults: []string{"code:4/0Aean"},
		},
		{
			name: "wrong state, then ours",
			host: "127.0.0.1",
			hits: []hit{
				{"/callback?code=STOLEN&state=EVIL", 400, "did not get a code"},
				ok,
			},
			wantResults: []string{mismatch, "code:4/0Aean"},
		},
		{
			name: "no state, then ours",
			host: "127.0.0.1",
			hits: []hit{
				{"/callback?code=STOLEN", 400, "does not match"},
				ok,
			},
			wantResults: []string{mismatch, "code:4/0Aean"},
		},
		{
			name:        "access denied",
			host:        "127.0.0.1",
			hits:        []hit{{"/callback?error=access_denied&state=S", 400, "access was denied"}},
			wantResults: []string{"auth:access_denied"},
		},
		{
			// Any page or local process can send this: without our state its
			// text is neither shown on the page nor handed to the wizard.
			name: "error without our state",
			host: "127.0.0.1",
			hits: []hit{
				{"/callback?error=access_denied&error_description=Run+curl+evil+|+sh", 400, "does not match"},
				{"/callback?error=access_denied&error_description=Run+curl+evil+|+sh&state=EVIL", 400, "does not match"},
			},
			wantResults: []string{mismatch, mismatch},
		},
		{
			name:        "no code",
			host:        "127.0.0.1",
			hits:        []hit{{"/callback?state=S", 400, "no code parameter"}},
			wantResults: []string{"err:" + auth.ErrNoCodeInURL.Error()},
		},
		{
			name: "wrong path is not a result",
			host: "127.0.0.1",
			hits: []hit{
				{"/favicon.ico", 404, "not found"},
				{"/callback/x?code=X&state=S", 404, "not found"},
				ok,
			},
			wantResults: []string{"code:4/0Aean"},
		},
		{
			// The first code may be rejected (expired): a fresh consent in the
			// same tab must reach the terminal too.
			name: "a second code is delivered too",
			host: "127.0.0.1",
			hits: []hit{
				ok,
				{"/callback?code=SECOND&state=S", 200, "the terminal has the code"},
			},
			wantResults: []string{"code:4/0Aean", "code:SECOND"},
		},
		{
			// A query is decoded once: %25 is the code's percent sign.
			name:        "percent sign",
			host:        "127.0.0.1",
			hits:        []hit{{"/callback?code=AB%2525CD&state=S", 200, "the terminal has the code"}},
			wantResults: []string{"code:AB%25CD"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := listen(t, tt.host, "/callback", "S")
			w := startWizard(t, c, auth.Taken)
			base := "http://" + c.Addr()
			for _, h := range tt.hits {
				status, page := get(t, base+h.target)
				if status != h.wantStatus || !strings.Contains(strings.ToLower(page), strings.ToLower(h.wantPage)) {
					t.Errorf("GET %s = %d %q; want %d with %q", h.target, status, page, h.wantStatus, h.wantPage)
				}
				if strings.Contains(page, "curl") {
					t.Errorf("GET %s: the page shows the refused redirect's text: %q", h.target, page)
				}
			}
			// A refusal's page does not wait for the wizard: wait for it here.
			var got []string
			for _, r := range waitResults(t, w, len(tt.wantResults)) {
				got = append(got, describe(r))
				if r.Err == nil && !r.Code.FromURL {
					t.Errorf("%s: a captured code must remember it came from a URL", describe(r))
				}
			}
			_ = w.stop(c)
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.wantResults))
			if !slices.Equal(got, want) {
				t.Errorf("results = %q, want %q", got, want)
			}
		})
	}
}

// A redirect to localhost may arrive on ::1 (a browser may resolve localhost
// there first): it is captured too.
func TestCaptureLocalhostOverIPv6(t *testing.T) {
	probe, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		testkit.Unavailable(t, testkit.Need{Name: "IPv6 loopback (::1)", How: "Enable IPv6 on the loopback interface."}, err.Error())
	}
	_ = probe.Close()
	c := listen(t, "localhost", "/callback", "S")
	w := startWizard(t, c, auth.Taken)
	if status, page := get(t, "http://"+net.JoinHostPort("::1", c.Port)+"/callback?code=V6CODE&state=S"); status != 200 {
		t.Errorf("GET over ::1 = %d %q, want 200", status, page)
	}
	if got := waitResults(t, w, 1); len(got) != 1 || describe(got[0]) != "code:V6CODE" {
		t.Errorf("results = %v, want the code", got)
	}
	_ = w.stop(c)
}

// A code the wizard takes but never answers before the capture closes gets
// the page saying the terminal did not answer, not one of the answers.
func TestCaptureClosedBeforeAnAnswer(t *testing.T) {
	c := listen(t, "127.0.0.1", "/callback", "S")
	type result struct {
		status int
		page   string
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + c.Addr() + "/callback?code=C&state=S")
		if err != nil {
			done <- result{0, err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		done <- result{resp.StatusCode, string(b)}
	}()
	if r := c.Wait(context.Background()); r.Err != nil { // the code reached the wizard, which never answers
		t.Fatalf("Wait: %v", r.Err)
	}
	_ = c.Close()
	r := <-done
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.page, "did not answer") {
		t.Errorf("GET = %d %q; want the page saying the terminal did not answer", r.status, r.page)
	}
}

// waitResults waits until the wizard holds n results, and returns them.
func waitResults(t *testing.T, w *wizard, n int) []auth.Captured {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second) // a guard, not a measurement
	for {
		w.mu.Lock()
		got := append([]auth.Captured(nil), w.results...)
		w.mu.Unlock()
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The browser's page says what the wizard did with the code.
func TestCapturePageSaysTheAnswer(t *testing.T) {
	tests := []struct {
		answer     auth.Answer
		wantStatus int
		wantPage   string
	}{
		{auth.Taken, 200, "Done: the terminal has the code"},
		{auth.Busy, 409, "The terminal is busy: it did not take this code"},
		{auth.HaveToken, 409, "nestauth already has a token"},
		{auth.NotTaken, 409, "The terminal did not take the code"},
	}
	for _, tt := range tests {
		t.Run(tt.wantPage, func(t *testing.T) {
			c := listen(t, "127.0.0.1", "/cb", "S")
			startWizard(t, c, tt.answer)
			status, page := get(t, "http://"+c.Addr()+"/cb?code=C&state=S")
			if status != tt.wantStatus || !strings.Contains(page, tt.wantPage) {
				t.Errorf("page = %d %q, want %d with %q", status, page, tt.wantStatus, tt.wantPage)
			}
			if tt.answer != auth.Taken && strings.Contains(page, "Done") {
				t.Errorf("a code that was not taken got %q", page)
			}
		})
	}
}

// A flood of bad redirects, before and during a valid one, does not push it
// out: it reaches the wizard and its page says so.
func TestCaptureFloodDoesNotHideACode(t *testing.T) {
	c := listen(t, "127.0.0.1", "/cb", "S")
	base := "http://" + c.Addr() + "/cb"
	bad := []string{"?code=X&state=EVIL", "?code=X", "?state=S", "?error=access_denied", "?error=access_denied&state=EVIL"}
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 16}}
	flood := func(n int) {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				resp, err := client.Get(base + bad[i%len(bad)])
				if err != nil {
					t.Errorf("bad request: %v", err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest {
					t.Errorf("bad request: HTTP %d", resp.StatusCode)
				}
			})
		}
		wg.Wait()
	}
	// Nobody waits yet: the refusals pile up, before and around the valid one.
	flood(200)
	valid := make(chan string, 1)
	go func() {
		status, page := get(t, base+"?code=VALID&state=S")
		valid <- fmt.Sprint(status, " ", page)
	}()
	flood(200)

	w := startWizard(t, c, auth.Taken)
	if got := <-valid; !strings.HasPrefix(got, "200 ") || !strings.Contains(got, "the terminal has the code") {
		t.Errorf("the valid redirect got %q", got)
	}
	var codes []string
	for _, r := range w.stop(c) {
		if r.Err == nil {
			codes = append(codes, r.Code.Value)
		}
	}
	if !slices.Equal(codes, []string{"VALID"}) {
		t.Errorf("codes the wizard got = %q, want [VALID]", codes)
	}
}

// A keep-alive connection is closed after its answer: no idle connection
// holds one of the listener's few slots.
func TestCaptureClosesEachConnection(t *testing.T) {
	c := listen(t, "127.0.0.1", "/cb", "S")
	for range 3 {
		conn, err := net.Dial("tcp", c.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := io.WriteString(conn, "GET /favicon.ico HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // a guard
		all, err := io.ReadAll(conn)                               // until the server closes it
		if err != nil {
			t.Fatalf("the server kept the connection open: %v (read %q)", err, all)
		}
		if !strings.HasPrefix(string(all), "HTTP/1.1 404") || !strings.Contains(string(all), "Connection: close") {
			t.Fatalf("answer = %q", all)
		}
	}
}

func TestCaptureClose(t *testing.T) {
	c := listen(t, "127.0.0.1", "/", "S")
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := wait(t, c); !errors.Is(got.Err, auth.ErrCaptureClosed) {
		t.Errorf("Wait after Close = %+v, want ErrCaptureClosed", got)
	}
	_ = c.Close() // a second Close must not panic
	if resp, err := http.Get("http://" + c.Addr() + "/?code=X&state=S"); err == nil {
		resp.Body.Close()
		t.Errorf("the closed listener still answers: %s", resp.Status)
	}
}

func TestCaptureWaitCanceled(t *testing.T) {
	c := listen(t, "127.0.0.1", "/", "S")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if got := c.Wait(ctx); !errors.Is(got.Err, context.Canceled) {
		t.Errorf("Wait with a canceled context = %+v, want context.Canceled", got)
	}
}

func TestListenLoopbackErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	_, busyPort, _ := net.SplitHostPort(busy.Addr().String())

	tests := []struct {
		name     string
		lb       auth.Loopback
		wantErr  error
		wantText []string
	}{
		{"port 0", auth.Loopback{Host: "127.0.0.1", Port: "0", Path: "/"}, auth.ErrBadRedirectPort, nil},
		{"busy port", auth.Loopback{Host: "127.0.0.1", Port: busyPort, Path: "/"}, nil, []string{"port " + busyPort, "in use"}},
		{"busy port via localhost", auth.Loopback{Host: "localhost", Port: busyPort, Path: "/"}, nil, []string{"port " + busyPort, "in use"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := auth.ListenLoopback(tt.lb, "S")
			if err == nil {
				c.Close()
				t.Fatalf("ListenLoopback(%+v) succeeded, want an error", tt.lb)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("ListenLoopback(%+v) = %v, want %v", tt.lb, err, tt.wantErr)
			}
			for _, s := range tt.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

// The wizard may answer and close at once (a token came back fast): the
// redirect that brought the code still gets its page.
func TestCaptureCloseAfterAnswerKeepsThePage(t *testing.T) {
	for range 20 {
		c := listen(t, "127.0.0.1", "/cb", "S")
		go func() {
			r := c.Wait(context.Background())
			r.Answer(auth.Taken)
			_ = c.Close()
		}()
		status, page := get(t, "http://"+c.Addr()+"/cb?code=C&state=S")
		if status != http.StatusOK || !strings.Contains(page, "the terminal has the code") {
			t.Fatalf("page = %d %q", status, page)
		}
	}
}
