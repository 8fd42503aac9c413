package ui

import "fmt"

// The header counts steps as "Step N of M" only once M is settled: while an
// answer still to come changes the flow (the provider not chosen yet, the
// Custom path's endpoints and redirect), it says "Step N" alone, rather
// than a total that jumps about.

// flowSettled reports whether no answer still to come changes the flow.
func (m *wizard) flowSettled() bool {
	switch {
	case m.step == stepProvider && len(m.opts.Providers) > 1:
		return false // the choice decides the rest
	case !m.asked().AsksEndpoints():
		return true
	case m.step <= stepIssuer:
		return false // discovery, or tab, decides the endpoints' steps
	}
	// With a device endpoint, an empty redirect URI means the device flow.
	redirectDecides := m.opts.Device == DeviceAuto && !m.fixed[stepRedirect] && m.Provider().DeviceURL != ""
	return !redirectDecides || m.step > stepRedirect
}

// stepCount is the header's "Step N of M ·", or "Step N ·" while M may change.
func (m *wizard) stepCount() string {
	if !m.flowSettled() {
		return fmt.Sprintf("Step %d ·", m.index(m.step)+1)
	}
	return fmt.Sprintf("Step %d of %d ·", m.index(m.step)+1, len(m.flow()))
}
