// Package signals keeps SIGINT, SIGTERM and SIGHUP from costing a token:
// once a token request may have reached the server (a connection was taken
// for it), a signal waits until the answer has been delivered (saved,
// written, printed), bounded by the request's own time limit; before that,
// a signal stops the program at once, with nothing sent.
//
// It never prints: what to say is the caller's.
package signals

import (
	"context"
	"net/http/httptrace"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Deferred are the signals a Guard holds back: SIGINT (ctrl+c), SIGTERM
// (timeout, systemd, cron) and SIGHUP (a closed terminal or SSH session).
var Deferred = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// Name is sig as a person knows it: SIGINT, SIGTERM, SIGHUP.
func Name(sig os.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}

// Status is the exit status a shell reports for a process that sig ended:
// 128 plus its number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
func Status(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// Guard holds back the Deferred signals while a token request may be at
// the server and its answer is not delivered yet.
type Guard struct {
	mu      sync.Mutex
	holding bool      // a request may have reached the server
	got     os.Signal // the first signal, nil until one comes
	ch      chan os.Signal
	done    chan struct{}
	// Stop is called, outside any hold, with the signal that must stop
	// the program now; it should not return (os.Exit).
	stop func(os.Signal)
	// Held is called once, when the first signal is held back.
	held func(os.Signal)
}

// Watch starts holding signals back, and returns a context carrying the
// guard: a request sent with it (or a context made from it) holds every
// signal from the moment it takes a connection. stop ends the program for
// a signal that came outside a hold, at once or when the hold ends; held,
// if not nil, is told of a signal held back.
func Watch(parent context.Context, stop, held func(os.Signal)) (context.Context, *Guard) {
	g := &Guard{ch: make(chan os.Signal, 4), done: make(chan struct{}), stop: stop, held: held}
	signal.Notify(g.ch, Deferred...)
	go g.loop()
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { g.Hold() }}
	return WithGuard(httptrace.WithClientTrace(parent, trace), g), g
}

func (g *Guard) loop() {
	for {
		select {
		case sig := <-g.ch:
			g.mu.Lock()
			first := g.got == nil
			if first {
				g.got = sig
			}
			if !g.holding {
				g.stop(g.got) // under the lock: no request takes a connection meanwhile
			} else if first && g.held != nil {
				g.held(sig)
			}
			g.mu.Unlock()
		case <-g.done:
			return
		}
	}
}

// Hold holds signals back from now until Idle or Stop: a request may
// reach the server. After a signal came, nothing holds: the request that
// asks is not sent (its context is the caller's to cancel; Hold blocks
// while stop runs).
func (g *Guard) Hold() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.holding = true
}

// Idle ends a hold whose request issued nothing (a device poll that was
// told to wait): a signal held back stops the program now.
func (g *Guard) Idle() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.holding = false
	if g.got != nil {
		g.stop(g.got)
	}
}

// Stop ends the guard once the answer was delivered, and returns the
// signal held back, nil if none came: the caller exits with its Status.
func (g *Guard) Stop() os.Signal {
	if g == nil {
		return nil
	}
	signal.Stop(g.ch)
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.done:
	default:
		close(g.done)
	}
	g.holding = false
	return g.got
}

type guardKey struct{}

// WithGuard returns ctx carrying g, for FromContext.
func WithGuard(ctx context.Context, g *Guard) context.Context {
	return context.WithValue(ctx, guardKey{}, g)
}

// FromContext is the guard ctx carries, or nil (whose methods do nothing).
func FromContext(ctx context.Context) *Guard {
	g, _ := ctx.Value(guardKey{}).(*Guard)
	return g
}
