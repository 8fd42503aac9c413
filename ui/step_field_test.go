package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/internal/testkit"
	"nestauth/ui/flow"
)

func TestPlaceholdersAreNotCut(t *testing.T) {
	for _, width := range []int{80, 50, 30, 20} {
		m, _, _ := newModel(t, customOptions())
		m = send(t, m, tea.WindowSizeMsg{Width: width, Height: 40})
		for s, f := range flow.Fields {
			if f.Placeholder == "" {
				continue
			}
			shown := m.inputs[s].Placeholder
			whole := shown == f.Placeholder || shown == strings.Replace(f.Placeholder, "(such as ", "(", 1) || shown == ""
			if !whole || len(shown) >= m.inputs[s].Width() {
				t.Errorf("width %d, %v: placeholder %q in a field %d wide", width, s, shown, m.inputs[s].Width())
			}
		}
	}
	m, _, _ := newModel(t, customOptions())
	m = send(t, m, tea.WindowSizeMsg{Width: 50, Height: 40})
	m = send(t, m, tab)
	wantStep(t, m, stepAuthEndpoint)
	wantView(t, m, "> (https://login.example.com/oauth2/authorize)")
}

func TestSecretStepSaysAPublicClientMayLeaveItEmpty(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{deviceProvider()}, ClientID: "Iv1.cid", Scopes: []string{"repo"}, DeviceFlow: &fakeDevice{}})
	wantStep(t, m, stepSecret)
	wantView(t, m, "leave it empty and press Enter for none")
	m, _, _ = newModel(t, Options{ClientID: "id"}) // Works with Nest: a secret is required
	wantStep(t, m, stepSecret)
	if strings.Contains(view(m), "Enter for none") {
		t.Errorf("a confidential client is told it may leave the secret empty:\n%s", view(m))
	}
}

func TestListeningIsApartFromTheCodeField(t *testing.T) {
	p := nestProvider()
	p.RedirectURI = fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
	m, _, _ := atCode(t, Options{Providers: []auth.Provider{p}}) // listens; its Close at cleanup stops that
	v := view(m)
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "Listening on ") && (i < 2 || strings.TrimSpace(lines[i-1]) != "" || !strings.HasPrefix(lines[i-2], "> ")) {
			t.Errorf("no blank line between the field and Listening on:\n%s", v)
		}
	}
	wantView(t, m, "Listening on ")
}

// The wizard's Client ID step for sdm says where and how the client is
// made; so does plain mode's prompt.
func TestClientIDStepSaysWhereTheClientIsMade(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider()}, ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	wantStep(t, m, stepClientID)
	wantView(t, m, "Google Cloud console", "Web application", "https://www.google.com")
}
