package ui

import (
	"regexp"
	"strconv"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

var stepHeader = regexp.MustCompile(`Step (\d+)(?: of (\d+))? · `)

// TestStepTotalIsStable walks the Custom path from the provider list: the
// header gives no total while answers still to come change the flow, and
// once it gives one, that total holds to the end.
func TestStepTotalIsStable(t *testing.T) {
	tests := []struct {
		name     string
		tab      bool // type the endpoints rather than discover them
		redirect string
		end      step
	}{
		{"discovered, device flow", false, "", stepDevice},
		{"discovered, redirect", false, "https://app.example/cb", stepAuthorize},
		{"typed endpoints", true, "https://app.example/cb", stepAuthorize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := issuerServer(t, func(string, map[string]any) {})
			m, _, _ := newModel(t, Options{Providers: auth.Providers(), DeviceFlow: &fakeDevice{}})
			total := ""
			check := func(wantTotal bool) {
				t.Helper()
				h := stepHeader.FindStringSubmatch(view(m))
				if h == nil {
					t.Fatalf("no step header:\n%s", view(m))
				}
				switch {
				case !wantTotal && h[2] != "":
					t.Errorf("%v: %q gives a total while the flow may change", m.step, h[0])
				case wantTotal && h[2] == "":
					t.Errorf("%v: %q gives no total once the flow is settled", m.step, h[0])
				case total != "" && h[2] != total:
					t.Errorf("%v: %q: the total changed from %s", m.step, h[0], total)
				}
				if h[2] != "" {
					total = h[2]
				}
			}
			check(false) // Provider: nothing chosen
			m = send(t, m, char('5'))
			check(false) // Issuer: discovery or tab decides
			if tt.tab {
				m = send(t, m, tab)
			} else {
				m = typeString(srv.URL, m, t)
				m = send(t, m, enter)
			}
			for m.step < stepRedirect {
				check(m.custom.manual || m.Provider().DeviceURL == "")
				m = typeString("https://x.example/a", m, t)
				if m.step == stepScopes {
					m.inputs[stepScopes].SetValue("openid")
				}
				m = send(t, m, enter)
			}
			wantStep(t, m, stepRedirect)
			check(m.custom.manual) // a discovered device endpoint: the answer decides
			m = send(t, m, tea.PasteMsg{Content: tt.redirect})
			m = send(t, m, enter)
			for m.step == stepClientID || m.step == stepSecret {
				check(true)
				m = typeString("value", m, t)
				m = send(t, m, enter)
			}
			wantStep(t, m, tt.end)
			check(true)
			if want := len(m.flow()); total != strconv.Itoa(want) {
				t.Errorf("total %s, the flow has %d steps", total, want)
			}
		})
	}
}
