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
	Code     lipgloss.Style // a device flow's user code, large
	Error    lipgloss.Style
	Hint     lipgloss.Style
	Status   lipgloss.Style
	Warn     lipgloss.Style
	Selected lipgloss.Style
	Spinner  lipgloss.Style
	QR       lipgloss.Style // light on dark on every background: what a scanner reads

	Input textinput.Styles
	Help  help.Styles
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	// Hex values from the xterm 256-colour palette, chosen so that a
	// 16-colour terminal still tells them apart: yellow stays yellow (not the
	// bright red an amber becomes), keys are brighter than their
	// descriptions, separators are grey rather than black. The help greys
	// reach 4.5:1 on black and on common dark themes, or on white.
	var (
		accent = ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#9F87FF"))
		muted  = ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
		red    = ld(lipgloss.Color("#C0262D"), lipgloss.Color("#FF6B6B"))
		green  = ld(lipgloss.Color("#1E7B34"), lipgloss.Color("#5FD787"))
		yellow = ld(lipgloss.Color("#5F5F00"), lipgloss.Color("#D7D787"))
		cyan   = ld(lipgloss.Color("#00607A"), lipgloss.Color("#5FD7FF"))
	)
	// The prompt and the cursor: textinput's ANSI 7 (light grey) vanishes
	// on a light background.
	strong := ld(lipgloss.Color("#3A3A3A"), lipgloss.Color("#D0D0D0"))
	input := textinput.DefaultStyles(isDark)
	input.Focused.Prompt = input.Focused.Prompt.Foreground(strong)
	input.Blurred.Prompt = input.Blurred.Prompt.Foreground(strong)
	input.Cursor.Color = strong
	input.Cursor.Blink = false // a steady cursor: no redraw twice a second
	return Styles{
		Header:   lipgloss.NewStyle().Foreground(muted),
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Text:     lipgloss.NewStyle(),
		Faint:    lipgloss.NewStyle().Foreground(muted),
		URL:      lipgloss.NewStyle().Foreground(cyan),
		Token:    lipgloss.NewStyle().Bold(true).Foreground(green),
		Code:     lipgloss.NewStyle().Bold(true).Foreground(green).Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(1, 3),
		Error:    lipgloss.NewStyle().Foreground(red),
		Hint:     lipgloss.NewStyle().Foreground(muted),
		Status:   lipgloss.NewStyle().Foreground(green),
		Warn:     lipgloss.NewStyle().Foreground(yellow),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Spinner:  lipgloss.NewStyle().Foreground(accent),
		QR:       lipgloss.NewStyle().Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#000000")),
		Input:    input,
		Help:     helpStyles(ld),
	}
}

// helpStyles are the key help's colours: help.DefaultStyles's greys read at
// about 2.5:1 on black, and turn black or alike with 16 colours.
func helpStyles(ld lipgloss.LightDarkFunc) help.Styles {
	var (
		keyStyle  = lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#3A3A3A"), lipgloss.Color("#D0D0D0")))
		descStyle = lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#626262"), lipgloss.Color("#A8A8A8")))
		sepStyle  = lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#9E9E9E"), lipgloss.Color("#6C6C6C")))
	)
	return help.Styles{
		ShortKey: keyStyle, ShortDesc: descStyle, ShortSeparator: sepStyle, Ellipsis: sepStyle,
		FullKey: keyStyle, FullDesc: descStyle, FullSeparator: sepStyle,
	}
}
