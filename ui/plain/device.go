package plain

// The device flow (RFC 8628), chosen as the wizard chooses it: the user
// code and page on stderr, then polls until approval, instead of the
// authorization URL and a code prompt.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"nestauth/auth"
	"nestauth/internal/signals"
	"nestauth/ui/flow"
	"nestauth/ui/tty"
)

// deviceLoop runs the device flow until a token arrives; after a failure,
// Enter asks for a new code, once a rejected client is typed again.
func (p *plainRun) deviceLoop() (*auth.Token, error) {
	p.heading(flow.Device)
	for {
		cfg := p.config()
		if cfg.DeviceURL == "" {
			return nil, fmt.Errorf("--device: %s has no device authorization endpoint: give --device-url URL, or leave out --device", p.provider.Name)
		}
		cfg.HTTPClient = &http.Client{Timeout: p.opts.Timeout} // each request; the wait is the code's
		tok, err := DeviceToken(context.Background(), cfg, p.opts.Timeout, p.stderr)
		if err == nil {
			return tok, nil
		}
		after := flow.AfterDevice(err, cfg.Scopes)
		p.say("Error: " + after.Said)
		if after.Hint != "" {
			p.say(after.Hint)
		}
		if after.Resumes() {
			p.say("Type the " + lowerFirst(after.Step.String()) + " again, and a new code follows.")
			if err := p.askClient(after.Step); err != nil {
				return nil, err
			}
			continue
		}
		if line, err := p.ask("Press Enter for a new code", false); err != nil && !errors.Is(err, errLineTooLong) {
			return nil, errStopped
		} else if line != "" {
			p.say("Asking for a new code.")
		}
	}
}

// noExpiryWait bounds the wait for a device code that came without
// expires_in (RFC 8628 §3.2 requires it; GitHub's codes live 15 minutes).
const noExpiryWait = 15 * time.Minute

// DeviceToken asks for a device code, shows it on w, and polls for the
// token until it is approved or refused, or the code expires. Each request
// is bounded by timeout, the wait by the code's lifetime and ctx. It is
// plain mode's device step, and nestauth device's.
func DeviceToken(ctx context.Context, cfg auth.Config, timeout time.Duration, w io.Writer) (*auth.Token, error) {
	ask, cancel := context.WithTimeout(ctx, timeout)
	dc, err := cfg.DeviceAuth(ask, cfg.DeviceURL, cfg.Scopes)
	cancel()
	if err != nil {
		return nil, err
	}
	printDeviceCode(w, dc)

	deadline := dc.Expiry
	if deadline.IsZero() {
		deadline = time.Now().Add(noExpiryWait)
	}
	wait, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	// Between polls no request is out: a signal held back during the last
	// one, which issued nothing, stops the program now (internal/signals).
	idle := func(ctx context.Context, d time.Duration) error {
		signals.FromContext(ctx).Idle()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tok, err := cfg.PollDevice(wait, dc, idle)
	if err != nil && ctx.Err() == nil && errors.Is(wait.Err(), context.DeadlineExceeded) {
		err = &auth.Error{Kind: auth.KindCode, Err: auth.ErrExpiredToken} // the wait ended with the code
	}
	return tok, err
}

// printDeviceCode tells the person where to go and what to type.
func printDeviceCode(w io.Writer, dc *auth.DeviceCode) {
	tty.Say(w, "To sign in, open "+dc.VerificationURI+" on any device and enter the code:")
	fmt.Fprintf(w, "\n    %s\n\n", dc.UserCode)
	if dc.VerificationURIComplete != "" {
		tty.Say(w, "Or open "+dc.VerificationURIComplete+", which has the code filled in.")
	}
	wait := "Waiting for approval"
	if !dc.Expiry.IsZero() {
		wait += "; the code expires in " + auth.Duration(time.Until(dc.Expiry).Round(time.Second))
	}
	tty.Say(w, wait+" (ctrl+c cancels)…")
}
