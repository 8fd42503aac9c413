package cli

import (
	"errors"
	"io"
	"nestauth/internal/profile"
	"net/http"

	"github.com/spf13/cobra"

	"nestauth/auth"
	"nestauth/ui/flow"
	"nestauth/ui/plain"
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
	addTimeoutFlag(cmd, &o.timeout, "time limit of each request, and of --save's wait for the profile lock")
	o.addProfileFlag(cmd, a.getenv, "the saved profile to start from, and that --save saves to")
	o.addSaveFlags(cmd)
	o.sink.addFlags(cmd)
	return a.add(cmd, c, o, a.runDevice)
}

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
	tok, err := plain.DeviceToken(a.requestContext(), cfg, o.timeout, stderr)
	if err != nil {
		return printDeviceError(stderr, err, cfg)
	}
	return o.deliver(stdout, stderr, cfg, tok, tok, "The device code is used up: run nestauth device again, with %s.")
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
