package cli

// Plain mode's device flow (RFC 8628), chosen as the wizard chooses it: the
// user code and page on stderr, then polls until approval, instead of the
// authorization URL and a code prompt.

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"nestauth/auth"
)

// deviceLoop runs the device flow until a token arrives; after a failure,
// Enter asks for a new code.
func (p *plainRun) deviceLoop() (*auth.Token, error) {
	p.heading(titleDevice)
	cfg := p.config()
	if cfg.DeviceURL == "" {
		return nil, fmt.Errorf("--device: %s has no device authorization endpoint: give --device-url URL, or leave out --device", p.provider.Name)
	}
	cfg.HTTPClient = &http.Client{Timeout: p.opts.Timeout} // each request; the wait is the code's
	for {
		tok, err := deviceToken(context.Background(), cfg, p.opts.Timeout, p.stderr)
		if err == nil {
			return tok, nil
		}
		p.fail(err, deviceHint(err, cfg))
		if line, err := p.ask("Press Enter for a new code", false); err != nil && !errors.Is(err, errLineTooLong) {
			return nil, errStopped
		} else if line != "" {
			p.say("Asking for a new code.")
		}
	}
}
