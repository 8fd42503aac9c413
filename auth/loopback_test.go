package auth_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
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

func TestListenLoopback(t *testing.T) {
	type hit struct {
		target     string // path and query
		wantStatus int
		wantPage   string // a piece of the page
	}
	type result struct {
		code     string
		wantErr  error // compared with errors.Is
		wantAuth string
	}
	ok := hit{"/callback?code=4%2F0Aean&state=S", 200, "the terminal has the code"}
	tests := []struct {
		name        string
		host        string
		hits        []hit
		wantResults []result
	}{
		{
			name:        "code",
			host:        "127.0.0.1",
			hits:        []hit{ok},
			wantResults: []result{{code: "4/0Aean"}},
		},
		{
			name:        "localhost",
			host:        "localhost",
			hits:        []hit{ok},
			wantResults: []result{{code: "4/0Aean"}},
		},
		{
			name: "wrong state, then ours",
			host: "127.0.0.1",
			hits: []hit{
				{"/callback?code=STOLEN&state=EVIL", 400, "did not get a code"},
				ok,
			},
			wantResults: []result{{wantErr: auth.ErrStateMismatch}, {code: "4/0Aean"}},
		},
		{
			name: "no state, then ours",
			host: "127.0.0.1",
			hits: []hit{
				{"/callback?code=STOLEN", 400, "does not match"},
				ok,
			},
			wantResults: []result{{wantErr: auth.ErrStateMismatch}, {code: "4/0Aean"}},
		},
		{
			name:        "access denied",
			host:        "127.0.0.1",
			hits:        []hit{{"/callback?error=access_denied&state=S", 400, "access was denied"}},
			wantResults: []result{{wantAuth: "access_denied"}},
		},
		{
			name:        "no code",
			host:        "127.0.0.1",
			hits:        []hit{{"/callback?state=S", 400, "no code parameter"}},
			wantResults: []result{{wantErr: auth.ErrNoCodeInURL}},
		},
		{
			name: "wrong path is not a result",
			host: "127.0.0.1",
			hits: []hit{
				{"/favicon.ico", 404, "not found"},
				{"/callback/x?code=X&state=S", 404, "not found"},
				ok,
			},
			wantResults: []result{{code: "4/0Aean"}},
		},
		{
			// The first code may be rejected (expired): a fresh consent in the
			// same tab must reach the terminal too. The wizard ignores extra
			// codes while it exchanges one.
			name: "a second code is delivered too",
			host: "127.0.0.1",
			hits: []hit{
				ok,
				{"/callback?code=SECOND&state=S", 200, "the terminal has the code"},
			},
			wantResults: []result{{code: "4/0Aean"}, {code: "SECOND"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := listen(t, tt.host, "/callback", "S")
			base := "http://" + c.Addr()
			for _, h := range tt.hits {
				status, page := get(t, base+h.target)
				if status != h.wantStatus || !strings.Contains(strings.ToLower(page), strings.ToLower(h.wantPage)) {
					t.Errorf("GET %s = %d %q; want %d with %q", h.target, status, page, h.wantStatus, h.wantPage)
				}
			}
			for i, want := range tt.wantResults {
				got := wait(t, c)
				switch {
				case want.wantAuth != "":
					var ae *auth.AuthorizationError
					if !errors.As(got.Err, &ae) || ae.Code != want.wantAuth || got.Code != "" {
						t.Errorf("result %d = %+v, want an AuthorizationError %s", i, got, want.wantAuth)
					}
				case want.wantErr != nil:
					if !errors.Is(got.Err, want.wantErr) || got.Code != "" {
						t.Errorf("result %d = %+v, want error %v", i, got, want.wantErr)
					}
				case got.Err != nil || got.Code != want.code:
					t.Errorf("result %d = %+v, want code %q", i, got, want.code)
				}
			}
		})
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
