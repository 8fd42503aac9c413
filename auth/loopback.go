package auth

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Capture listens on a loopback redirect URI for the browser's redirect
// (RFC 8252 §7.3) and hands over the code it carries.
type Capture struct {
	Loopback
	state   string
	srv     *http.Server
	results chan Captured
	closed  chan struct{}

	closeOnce sync.Once
}

// Captured is one redirect that reached the listener: a code, or why not.
type Captured struct {
	Code string
	Err  error
}

// ListenLoopback starts listening on lb. state is the value the redirect
// must carry. A busy port is an error that names it.
func ListenLoopback(lb Loopback, state string) (*Capture, error) {
	if lb.Port == "0" {
		return nil, ErrBadRedirectPort
	}
	ln, err := net.Listen("tcp", lb.Addr())
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("port %s is in use by another program: stop it, or register a redirect URI with another port", lb.Port)
		}
		return nil, fmt.Errorf("cannot listen on %s for the redirect: %w", lb.Addr(), err)
	}
	c := &Capture{Loopback: lb, state: state, results: make(chan Captured, 8), closed: make(chan struct{})}
	c.srv = &http.Server{Handler: c, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = c.srv.Serve(ln) }()
	if strings.EqualFold(lb.Host, "localhost") {
		// A browser may resolve localhost to ::1 first; serve there too when we can.
		if ln6, err := net.Listen("tcp", net.JoinHostPort("::1", lb.Port)); err == nil {
			go func() { _ = c.srv.Serve(ln6) }()
		}
	}
	return c, nil
}

// ErrCaptureClosed is what Wait returns once the listener is closed.
var ErrCaptureClosed = errors.New("the redirect listener is closed")

// Wait returns the next redirect that arrives, or why none will.
func (c *Capture) Wait(ctx context.Context) Captured {
	select {
	case r := <-c.results:
		return r
	case <-c.closed:
		return Captured{Err: ErrCaptureClosed}
	case <-ctx.Done():
		return Captured{Err: ctx.Err()}
	}
}

// Close stops listening. It may be called more than once.
func (c *Capture) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.srv.Close()
}

var capturePage = template.Must(template.New("capture").Parse(`<!doctype html>
<title>nestauth</title><style>body{font-family:sans-serif;max-width:32em;margin:3em auto}</style>
<h1>{{.Title}}</h1><p>{{.Text}}</p>`))

func (c *Capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != c.Path && r.URL.EscapedPath() != c.Path {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	code, err := ParseCode("?"+r.URL.RawQuery, c.state)
	if err == nil && r.URL.Query().Get("state") != c.state {
		err = ErrStateMismatch // a redirect must carry our state; a paste may lack it
	}
	if err != nil {
		code = ""
		w.WriteHeader(http.StatusBadRequest)
		msg := err.Error()
		_ = capturePage.Execute(w, map[string]string{"Title": "nestauth did not get a code", "Text": strings.ToUpper(msg[:1]) + msg[1:] + ". The terminal says what to do next."})
	} else {
		_ = capturePage.Execute(w, map[string]string{"Title": "Done: the terminal has the code", "Text": "nestauth is exchanging it for a token. You can close this tab and return to the terminal."})
	}
	select {
	case c.results <- Captured{Code: code, Err: err}:
	default: // nobody is reading fast enough; the person can still paste
	}
}
