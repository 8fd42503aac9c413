package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"nestauth/internal/profile"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"nestauth/auth"
)

func (a *app) newCmdDevice() *cobra.Command {
	c := &command{name: "device", writesToken: true, sendsClient: true, loadsProfile: true, asksScope: true, flow: profile.FlowDevice,
		saveAgain: "To save a profile, run nestauth device --save again once the store works, or with --store file."}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "device",
		Short: "The device flow: a code to enter on another device",
		Long: `The device authorization grant (RFC 8628), for scripts and machines
without a browser.

Prints a user code and a page on stderr: open the page on any device, sign
in and enter the code. nestauth polls the token endpoint at the server's
interval (longer after slow_down) until you approve, refuse, or the code
expires, and prints the token response as JSON on stdout, like exchange.
The client secret, when the client has one, comes from NESTAUTH_CLIENT_SECRET
or --client-secret-file (GitHub's device flow needs none; Google's does).
With --issuer and no --scope, it asks for openid when the server lists it.
--profile NAME starts from that saved profile (flags still win); with --save
it is saved back, or created. --timeout bounds each request; the wait lasts
as long as the code.

Exit codes: 0 ok, 1 the token could not be written to stdout, or --save
failed (the token printed is good), 2 usage, 3 denied on the page or the
code expired, 4 client rejected, 5 network or server error, 130 canceled
(ctrl+c).`,
		Example: `  nestauth device --provider github --client-id ID --scope repo
  nestauth device --issuer URL --client-id ID --save --profile tv
  nestauth device --profile tv`,
	}
	o.client.addFlags(cmd)
	o.providerFlags.addFlags(cmd)
	addTimeoutFlag(cmd, &o.timeout, "time limit of each request")
	o.addProfileFlag(cmd, a.getenv, "the saved profile to start from, and that --save saves to")
	o.addSaveFlags(cmd)
	o.sink.addFlags(cmd)
	return a.add(cmd, c, o, a.runDevice)
}

// noExpiryWait bounds the wait for a device code that came without
// expires_in (RFC 8628 §3.2 requires it; GitHub's codes live 15 minutes).
const noExpiryWait = 15 * time.Minute

// runDevice runs the device authorization grant (RFC 8628) for scripts:
// the user code and page on stderr, the token on stdout as exchange prints
// it. The wait is bounded by the code's lifetime; ctrl+c cancels it.
func (a *app) runDevice(o *options) int {
	stdout, stderr := a.stdout, a.stderr
	cfg := o.config()
	if cfg.DeviceURL == "" {
		failf(stderr, "--provider %s has no device authorization endpoint: give --device-url URL, or --issuer URL of a server that has one", cfg.ID)
		return exitUsage
	}
	cfg.HTTPClient = &http.Client{Timeout: o.timeout} // each request; the wait is ctx's
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	tok, err := deviceToken(ctx, cfg, o.timeout, stderr)
	if err != nil {
		return printDeviceError(stderr, err, cfg)
	}
	status := printResult(tok, nil, "The device code is used up: run nestauth device again, with %s.", o.sink, stdout, stderr)
	if o.save && status == exitOK {
		return o.saveAndSay(stderr, cfg, tok)
	}
	return status
}

// deviceToken asks for a device code, shows it on w, and polls for the
// token until it is approved or refused, or the code expires. Each request
// is bounded by timeout, the wait by the code's lifetime and ctx.
func deviceToken(ctx context.Context, cfg auth.Config, timeout time.Duration, w io.Writer) (*auth.Token, error) {
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
	tok, err := cfg.PollDevice(wait, dc, nil)
	if err != nil && ctx.Err() == nil && errors.Is(wait.Err(), context.DeadlineExceeded) {
		err = &auth.Error{Kind: auth.KindCode, Err: auth.ErrExpiredToken} // the wait ended with the code
	}
	return tok, err
}

// printDeviceCode tells the person where to go and what to type.
func printDeviceCode(stderr io.Writer, dc *auth.DeviceCode) {
	say(stderr, "To sign in, open "+dc.VerificationURI+" on any device and enter the code:")
	fmt.Fprintf(stderr, "\n    %s\n\n", dc.UserCode)
	if dc.VerificationURIComplete != "" {
		say(stderr, "Or open "+dc.VerificationURIComplete+", which has the code filled in.")
	}
	wait := "Waiting for approval"
	if !dc.Expiry.IsZero() {
		wait += "; the code expires in " + auth.Duration(time.Until(dc.Expiry).Round(time.Second))
	}
	say(stderr, wait+" (ctrl+c cancels)…")
}

// printDeviceError prints a failed device flow as one line with what to do
// about it, and returns its exit code.
func printDeviceError(stderr io.Writer, err error, cfg auth.Config) int {
	if auth.ErrorKind(err) == auth.KindCanceled {
		failf(stderr, "canceled: no token was fetched")
		return exitAbort
	}
	what := describe(asAuthError(err))
	switch {
	case errors.Is(err, auth.ErrAccessDenied):
		what = "denied"
	case errors.Is(err, auth.ErrExpiredToken):
		what = "expired"
	}
	return printFailure(stderr, err, what, func(*auth.Error) string { return deviceHint(err, cfg) })
}

// deviceHint is auth.DeviceHint, and for a refusal of a request that
// sent no scope, that a scope may be what the server wanted.
func deviceHint(err error, cfg auth.Config) string {
	hint := auth.DeviceHint(err)
	if errors.Is(err, auth.ErrAccessDenied) && len(cfg.Scopes) == 0 {
		hint += " No scope was sent, and some servers refuse a request without one: a scope may be needed (--scope openid, say)."
	}
	return hint
}
