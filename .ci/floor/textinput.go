//go:build ignore

// The floor of the stack for the wizard: a minimal Bubble Tea v2 program with
// one text input, drawn on stderr as nestauth draws. .ci/speed.py times
// nestauth against it. Run: go build -o /tmp/floor-textinput .ci/floor/textinput.go
package main

import (
	"fmt"
	"os"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

type model struct{ in textinput.Model }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "ctrl+c" || k.String() == "enter") {
		return m, tea.Quit
	}
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(msg)
	return m, cmd
}

func (m model) View() tea.View {
	return tea.NewView("Step 1 of 1 · Floor\n\n" + m.in.View() + "\n")
}

func main() {
	in := textinput.New()
	in.Focus()
	if _, err := tea.NewProgram(model{in}, tea.WithOutput(os.Stderr)).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
