package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// BenchmarkFirstFrame is the model's share of start-up: New and one View.
func BenchmarkFirstFrame(b *testing.B) {
	opts := Options{Providers: auth.Providers()}
	for b.Loop() {
		m := New(opts)
		_ = m.View()
	}
}

// BenchmarkKeystroke is the cost of one typed character: Update and View.
func BenchmarkKeystroke(b *testing.B) {
	benchKeys(b, Options{Providers: []auth.Provider{auth.Nest()}, ClientID: "id", ClientSecret: "s"}, stepCode)
}

// BenchmarkKeystrokeSecret types into the masked field.
func BenchmarkKeystrokeSecret(b *testing.B) {
	benchKeys(b, Options{Providers: []auth.Provider{auth.Nest()}, ClientID: "id"}, stepSecret)
}

// BenchmarkAuthorizeView renders the longest step: the wrapped URL.
func BenchmarkAuthorizeView(b *testing.B) {
	m := New(Options{Providers: []auth.Provider{auth.SDM()}, ClientID: "123-abc.apps.googleusercontent.com", ClientSecret: "s",
		ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"})
	for b.Loop() {
		_ = m.View()
	}
}

func benchKeys(b *testing.B, opts Options, at step) {
	m := New(opts)
	m.step = at
	m.focus()
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	m.inputs[at].SetValue("4/0AbCdEfGhIjKlMn") // a realistic length
	k := tea.KeyPressMsg{Code: 'x', Text: "x"}
	bs := tea.KeyPressMsg{Code: tea.KeyBackspace}
	i := 0
	for b.Loop() {
		msg := k
		if i%2 == 1 {
			msg = bs // type and erase: the field keeps its length
		}
		i++
		next, _ := m.Update(msg)
		m = next.(Model)
		_ = m.View()
	}
}
