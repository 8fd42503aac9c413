package plain

// The Provider step: a numbered list, answered by number or ID.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"nestauth/auth"
	"nestauth/ui/flow"
)

// chooseProvider takes the only provider, or asks for one from a numbered
// list.
func (p *plainRun) chooseProvider() error {
	ps := p.opts.Providers
	if len(ps) == 1 {
		p.provider = ps[0]
		return nil
	}
	p.provider, p.base = ps[0], ps[0] // the flow is counted as the wizard's is, from its first
	p.heading(flow.Provider)
	p.say(flow.ProviderIntro)
	for i, pr := range ps {
		p.say(fmt.Sprintf("%d. %s (%s)", i+1, pr.Name, pr.ID), "   "+pr.Summary)
	}
	prompt := fmt.Sprintf("Number, 1 to %d (Enter for 1)", len(ps))
	for {
		line, err := p.ask(prompt, false)
		if err != nil && !errors.Is(err, errLineTooLong) {
			return errStopped
		}
		i, ok := providerIndex(ps, line)
		if err != nil || !ok {
			p.say(fmt.Sprintf("Error: type a number from 1 to %d, or a provider's name in parentheses.", len(ps)))
			continue
		}
		p.provider = ps[i]
		return nil
	}
}

// providerIndex reads a provider choice: its number, its ID, or nothing
// for the first, as Enter takes the first in the wizard.
func providerIndex(ps []auth.Provider, s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(ps) {
		return n - 1, true
	}
	for i, pr := range ps {
		if strings.EqualFold(s, pr.ID) {
			return i, true
		}
	}
	return 0, false
}
