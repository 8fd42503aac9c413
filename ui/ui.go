// Package ui is nestauth's wizard: one Bubble Tea model that walks a person
// from a client ID to an access token, through the steps package flow
// defines (plain mode, package plain, asks the same ones line by line).
//
// A step's keys and view are in its step_*.go file; a mode with a lifetime
// (a request in flight, the loopback listener, the device flow's polls) in
// its own file, with the messages its commands send; update.go and view.go
// only dispatch.
package ui

import (
	tea "charm.land/bubbletea/v2"

	"nestauth/ui/flow"
)

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

// What the wizard starts from, and the interfaces it reaches auth through,
// are flow's, under the names the commands and tests use: plain mode reads
// the same options.
type (
	Options         = flow.Options
	DeviceMode      = flow.DeviceMode
	Exchanger       = flow.Exchanger
	ConfigExchanger = flow.ConfigExchanger
	DeviceFlow      = flow.DeviceFlow
	ConfigDevice    = flow.ConfigDevice
	Saver           = flow.Saver
)

// When the device flow replaces the browser's: flow's modes.
const (
	DeviceAuto   = flow.DeviceAuto
	DeviceAlways = flow.DeviceAlways
	DeviceNever  = flow.DeviceNever
)
