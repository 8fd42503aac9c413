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
	"nestauth/ui/flow"
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
		tok, err := deviceToken(context.Background(), cfg, p.opts.Timeout, p.stderr)
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
