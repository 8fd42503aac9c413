package auth

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Loopback is a redirect URI on this machine that nestauth can listen on.
type Loopback struct {
	Host string // as written: 127.0.0.1, ::1 or localhost
	Port string
	Path string
}

// Addr is the address to listen on.
func (l Loopback) Addr() string {
	host := l.Host
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, l.Port)
}

// ParseLoopbackRedirect reports whether uri is an http redirect URI on a
// loopback host with an explicit port (RFC 8252 §7.3), and splits it.
func ParseLoopbackRedirect(uri string) (Loopback, bool) {
	u, err := url.Parse(uri)
	if err != nil || !isLoopbackRedirect(u) {
		return Loopback{}, false
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return Loopback{Host: u.Hostname(), Port: u.Port(), Path: path}, true
}

// ErrBadRedirectPort: a browser cannot be sent back to a port picked at random.
var ErrBadRedirectPort = errors.New("a loopback redirect URI needs a fixed port, not 0: register one such as http://127.0.0.1:8085/callback")

// Capture listens on a loopback redirect URI for the browser's redirect
// (RFC 8252 §7.3) and hands over the code it carries.
type Capture struct {
	Loopback
	state   string
	srv     *http.Server
	codes   chan Captured // valid redirects; each waits for the wizard's answer
	refused chan Captured // what was refused, to say so; dropped when full
	closed  chan struct{}

	closeOnce sync.Once
}

// Captured is one redirect that reached the listener: a code, or why not.
// A code waits for an Answer, which the browser's page then says.
type Captured struct {
	Code  Code
	Err   error
	reply chan Answer
}

// Answer is what the wizard did with a captured code.
type Answer int

const (
	Taken     Answer = iota + 1 // it is exchanging this code
	Busy                        // it is exchanging another code
	HaveToken                   // it already has a token
	NotTaken                    // it could not use the code now; the terminal says why
)

// Answer tells the browser what became of the code. It never blocks, so
// the wizard may call it from Update, before anything else can close the
// listener. Only the first answer counts; a refusal needs none.
func (r Captured) Answer(a Answer) {
	if r.reply == nil {
		return
	}
	select {
	case r.reply <- a:
	default:
	}
}

const (
	// answerWait bounds how long a browser waits for the wizard's answer.
	answerWait = 10 * time.Second
	// maxConns bounds the open connections being served: a browser needs a
	// few. One that has sent nothing yet gives way to a new one.
	maxConns = 32
)

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
	c := &Capture{Loopback: lb, state: state, codes: make(chan Captured),
		refused: make(chan Captured, 8), closed: make(chan struct{})}
	c.srv = &http.Server{
		Handler:           c,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       5 * time.Second,
		WriteTimeout:      answerWait + 5*time.Second,
		IdleTimeout:       5 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	// One request per connection: no idle connection holds a slot, so a
	// browser's redirect waits at most a few seconds for one.
	c.srv.SetKeepAlivesEnabled(false)
	limit := newConnLimit(maxConns, c.closed)
	go func() { _ = c.srv.Serve(limitListener(ln, limit)) }()
	if strings.EqualFold(lb.Host, "localhost") {
		// A browser may resolve localhost to ::1 first; serve there too when we can.
		if ln6, err := net.Listen("tcp", net.JoinHostPort("::1", lb.Port)); err == nil {
			go func() { _ = c.srv.Serve(limitListener(ln6, limit)) }()
		}
	}
	return c, nil
}

// ErrCaptureClosed is what Wait returns once the listener is closed.
var ErrCaptureClosed = errors.New("the redirect listener is closed")

// Wait returns the next redirect that arrives, or why none will. A code
// goes before refusals, so a flood of bad requests cannot hide it.
func (c *Capture) Wait(ctx context.Context) Captured {
	select {
	case r := <-c.codes:
		return r
	default:
	}
	select {
	case r := <-c.codes:
		return r
	case r := <-c.refused:
		return r
	case <-c.closed:
		return Captured{Err: ErrCaptureClosed}
	case <-ctx.Done():
		return Captured{Err: ctx.Err()}
	}
}

// Close stops listening. A redirect being answered gets its page first,
// within a second (a connection that never sent a request may hold it that
// long). It may be called more than once.
func (c *Capture) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := c.srv.Shutdown(ctx); err != nil {
		return c.srv.Close()
	}
	return nil
}

// capturePage is what the browser is shown after a redirect.
type capturePage struct {
	status      int
	title, text string
}

func (p capturePage) write(w http.ResponseWriter) {
	w.WriteHeader(p.status)
	_, _ = fmt.Fprintf(w, `<!doctype html>
<title>nestauth</title><style>body{font-family:sans-serif;max-width:32em;margin:3em auto}</style>
<h1>%s</h1><p>%s</p>`, html.EscapeString(p.title), html.EscapeString(p.text))
}

// answerPage is the page for a valid redirect, by the wizard's answer; 0 is
// no answer.
func answerPage(a Answer) capturePage {
	switch a {
	case Taken:
		return capturePage{http.StatusOK, "Done: the terminal has the code",
			"nestauth is exchanging it for a token. You can close this tab and return to the terminal."}
	case Busy:
		return capturePage{http.StatusConflict, "The terminal is busy: it did not take this code",
			"nestauth is exchanging another code. This one was not used: if that exchange fails, copy this page's address and paste it into the terminal."}
	case HaveToken:
		return capturePage{http.StatusConflict, "nestauth already has a token",
			"This code was not used. You can close this tab."}
	case NotTaken:
		return capturePage{http.StatusConflict, "The terminal did not take the code",
			"It was not sent: the terminal says why. Once that is fixed, copy this page's address and paste it into the terminal."}
	}
	return capturePage{http.StatusServiceUnavailable, "The terminal did not answer",
		"nestauth did not say whether it took the code. Look at the terminal: if it still waits for a code, copy this page's address and paste it there."}
}

func (c *Capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != c.Path && r.URL.EscapedPath() != c.Path {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	code, err := ParseCode("?"+r.URL.RawQuery, c.state)
	if err == nil && !code.StateChecked {
		err = ErrStateMismatch // a redirect must carry our state; a paste may lack it
	}
	var p capturePage
	if err != nil {
		msg := err.Error()
		p = capturePage{http.StatusBadRequest, "nestauth did not get a code", strings.ToUpper(msg[:1]) + msg[1:] + ". The terminal says what to do next."}
		select {
		case c.refused <- Captured{Err: err}:
		default: // the terminal has enough refusals to show
		}
	} else {
		p = answerPage(c.deliver(r.Context(), code))
	}
	p.write(w)
}

// deliver hands a valid code to the wizard and waits, bounded, for its
// answer; 0 when none came.
func (c *Capture) deliver(ctx context.Context, code Code) Answer {
	ctx, cancel := context.WithTimeout(ctx, answerWait)
	defer cancel()
	reply := make(chan Answer, 1)
	select {
	case c.codes <- Captured{Code: code, reply: reply}:
	case <-ctx.Done():
		return 0
	case <-c.closed:
		return 0
	}
	select {
	case a := <-reply:
		return a
	case <-ctx.Done():
	case <-c.closed:
	}
	select {
	case a := <-reply: // answered just before closing, as after a token
		return a
	default:
		return 0
	}
}

// connLimit bounds the listener's open connections, shared by its
// listeners. A connection that has not sent a byte yet is the first to go
// when a new one arrives at the limit: a browser sends its request at once,
// so connections held open without a request cannot keep its redirect out.
type connLimit struct {
	max  int
	done <-chan struct{}

	mu    sync.Mutex
	open  []*limitedConn // in the order they were accepted
	freed chan struct{}  // closed and replaced when a connection closes
}

func newConnLimit(n int, done <-chan struct{}) *connLimit {
	return &connLimit{max: n, done: done, freed: make(chan struct{})}
}

// admit adds conn, closing the oldest connection that has sent nothing when
// the limit is reached; when every open connection has sent its request, it
// waits for one to close. It reports false once the listener is closed.
func (l *connLimit) admit(conn *limitedConn) bool {
	for {
		l.mu.Lock()
		if len(l.open) < l.max {
			l.open = append(l.open, conn)
			l.mu.Unlock()
			return true
		}
		var idle *limitedConn
		for _, c := range l.open {
			if !c.started.Load() {
				idle = c
				break
			}
		}
		freed := l.freed
		l.mu.Unlock()
		if idle != nil {
			_ = idle.Close()
			continue
		}
		select {
		case <-freed:
		case <-l.done:
			return false
		}
	}
}

func (l *connLimit) release(conn *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := slices.Index(l.open, conn); i >= 0 {
		l.open = slices.Delete(l.open, i, i+1)
		close(l.freed)
		l.freed = make(chan struct{})
	}
}

// limitListener hands out connections within limit (after
// golang.org/x/net/netutil.LimitListener, which only waits).
func limitListener(ln net.Listener, limit *connLimit) net.Listener {
	return &limitedListener{Listener: ln, limit: limit}
}

type limitedListener struct {
	net.Listener
	limit *connLimit
}

func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case <-l.limit.done:
		return nil, net.ErrClosed
	default:
	}
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	lc := &limitedConn{Conn: conn, limit: l.limit}
	if !l.limit.admit(lc) {
		_ = conn.Close()
		return nil, net.ErrClosed
	}
	return lc, nil
}

type limitedConn struct {
	net.Conn
	limit   *connLimit
	started atomic.Bool // it has sent at least one byte
	once    sync.Once
}

func (c *limitedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.started.Store(true)
	}
	return n, err
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.limit.release(c) })
	return err
}
