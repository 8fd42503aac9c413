package cli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/plain"
)

// runDevice runs the device authorization grant (RFC 8628) for scripts:
// the user code and page on stderr, the token on stdout as exchange prints
// it. The wait is bounded by the code's lifetime; ctrl+c cancels it.
func runDevice(o *options, stdout, stderr io.Writer) int {
	cfg := o.config()
	if cfg.DeviceURL == "" {
		failf(stderr, "--provider %s has no device authorization endpoint: give --device-url URL, or --issuer URL of a server that has one", cfg.ID)
		return exitUsage
	}
	cfg.HTTPClient = &http.Client{Timeout: o.timeout} // each request; the wait is ctx's
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	tok, err := plain.DeviceToken(ctx, cfg, o.timeout, stderr)
	if err != nil {
		return printDeviceError(stderr, err, cfg)
	}
	status := printResult(tok, nil, "The device code is used up: run nestauth device again, with %s.", o.sink, stdout, stderr)
	if o.save && status == exitOK {
		return o.saveAndSay(stderr, "device", cfg, tok)
	}
	return status
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
	return printFailure(stderr, err, what, func(*auth.Error) string { return flow.DeviceHint(err, cfg.Scopes) })
}
