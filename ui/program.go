package ui

import tea "charm.land/bubbletea/v2"

// Model is the wizard as a tea.Model: a handle on its state (model.go), so a
// message costs no copy of it. Update (update.go) and View (view.go) work on
// that state; this file is the only one that uses both.
type Model struct{ *wizard }

// New returns a wizard at its first step.
func New(opts Options) Model { return Model{newWizard(opts)} }

// Init asks for the background colour; the answer restyles the wizard.
func (m Model) Init() tea.Cmd { return m.init() }

// Update dispatches a message to the current step.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return m, m.update(msg) }

// View renders the current step.
func (m Model) View() tea.View { return m.view() }
