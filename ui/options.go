package ui

import "nestauth/ui/flow"

// What the wizard starts from, and the interfaces it reaches auth through,
// are flow's: plain mode reads the same options.
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
