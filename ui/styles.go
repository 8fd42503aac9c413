package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles holds every style the wizard uses, built from one small palette.
type Styles struct {
	Header   lipgloss.Style
	Title    lipgloss.Style
	Text     lipgloss.Style
	Faint    lipgloss.Style
	URL      lipgloss.Style
	Token    lipgloss.Style
	Error    lipgloss.Style
	Hint     lipgloss.Style
	Status   lipgloss.Style
	Warn     lipgloss.Style
	Selected lipgloss.Style
	Spinner  lipgloss.Style

	Input textinput.Styles
	Help  help.Styles
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		accent = ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#9F87FF"))
		muted  = ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
		red    = ld(lipgloss.Color("#C0262D"), lipgloss.Color("#FF6B6B"))
		green  = ld(lipgloss.Color("#1E7B34"), lipgloss.Color("#5FD787"))
		yellow = ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#E5C07B"))
		cyan   = ld(lipgloss.Color("#00607A"), lipgloss.Color("#5FD7FF"))
	)
	input := textinput.DefaultStyles(isDark)
	input.Cursor.Blink = false // a steady cursor: no redraw twice a second
	return Styles{
		Header:   lipgloss.NewStyle().Foreground(muted),
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Text:     lipgloss.NewStyle(),
		Faint:    lipgloss.NewStyle().Foreground(muted),
		URL:      lipgloss.NewStyle().Foreground(cyan),
		Token:    lipgloss.NewStyle().Bold(true).Foreground(green),
		Error:    lipgloss.NewStyle().Foreground(red),
		Hint:     lipgloss.NewStyle().Foreground(muted),
		Status:   lipgloss.NewStyle().Foreground(green),
		Warn:     lipgloss.NewStyle().Foreground(yellow),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Spinner:  lipgloss.NewStyle().Foreground(accent),
		Input:    input,
		Help:     help.DefaultStyles(isDark),
	}
}
