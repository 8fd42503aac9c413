package auth

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Connections beyond the limit wait for a slot; they are not served while
// maxConns others are open.
func TestCaptureLimitsConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	_ = ln.Close()
	c, err := ListenLoopback(Loopback{Host: "127.0.0.1", Port: port, Path: "/cb"}, "S")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	base := "http://" + c.Addr()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(url string) int {
		resp, err := client.Get(url)
		if err != nil {
			t.Errorf("GET %s: %v", url, err)
			return 0
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}

	// maxConns redirects the wizard took but has not answered hold every slot.
	pages := make(chan int, maxConns)
	for i := range maxConns {
		go func() { pages <- get(fmt.Sprintf("%s/cb?code=C%d&state=S", base, i)) }()
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // a guard
	defer cancel()
	var held []Captured
	for range maxConns {
		r := c.Wait(ctx)
		if r.Err != nil {
			t.Fatalf("Wait: %v", r.Err)
		}
		held = append(held, r)
	}

	var released atomic.Bool
	extra := make(chan int, 1)
	go func() {
		status := get(base + "/favicon.ico")
		if !released.Load() {
			t.Errorf("connection %d was served while %d others were open", maxConns+1, maxConns)
		}
		extra <- status
	}()
	time.Sleep(300 * time.Millisecond) // room for a missing limit to show; not a measurement
	released.Store(true)
	held[0].Answer(Taken)
	if status := <-pages; status != http.StatusOK {
		t.Errorf("the answered redirect got HTTP %d", status)
	}
	select {
	case status := <-extra:
		if status != http.StatusNotFound {
			t.Errorf("the waiting connection got HTTP %d, want 404", status)
		}
	case <-time.After(10 * time.Second): // a guard
		t.Fatal("the waiting connection was not served once a slot was free")
	}
	for _, r := range held[1:] {
		r.Answer(Taken)
	}
	for range maxConns - 1 {
		<-pages
	}
}

// Connections that never send a request give way to a browser's redirect:
// they cannot keep it out until they time out.
func TestCaptureHalfOpenConnectionsDoNotHoldTheRedirect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	_ = ln.Close()
	c, err := ListenLoopback(Loopback{Host: "127.0.0.1", Port: port, Path: "/cb"}, "S")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })

	// 100 connections, three times the limit, open and silent.
	for range 100 {
		conn, err := net.Dial("tcp", c.Addr())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
	}

	page := make(chan string, 1)
	go func() {
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get("http://" + c.Addr() + "/cb?code=VALID&state=S")
		if err != nil {
			page <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page <- fmt.Sprint(resp.StatusCode, " ", string(body))
	}()
	// The silent connections would each hold a slot for the read timeout
	// (5 s): the redirect must come well before the first of them times out.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	r := c.Wait(ctx)
	if r.Err != nil {
		t.Fatalf("the valid redirect was not captured while 100 silent connections were open: %v", r.Err)
	}
	if r.Code.Value != "VALID" {
		t.Fatalf("captured %q, want VALID", r.Code.Value)
	}
	r.Answer(Taken)
	if got := <-page; !strings.HasPrefix(got, "200 ") {
		t.Errorf("the browser's page: %q", got)
	}
}
