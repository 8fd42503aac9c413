package ui

import (
	"fmt"
	"strconv"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// keyMap lists every key the wizard knows; each step shows its own subset.
type keyMap struct {
	Next         key.Binding
	Back         key.Binding
	Quit         key.Binding
	Up           key.Binding
	Down         key.Binding
	Reveal       key.Binding
	Open         key.Binding
	CopyURL      key.Binding
	Approve      key.Binding
	Reopen       key.Binding
	Cancel       key.Binding
	CopyToken    key.Binding
	CopyRefresh  key.Binding
	Done         key.Binding
	NewCode      key.Binding
	SubmitCode   key.Binding
	ProviderNext key.Binding
	ListQuit     key.Binding
	Save         key.Binding
	GiveUpSave   key.Binding

	// The token step's actions, their questions and prompt; the QR code.
	Verify, WriteFile, Revoke, CopyHeader, CopyCurl key.Binding
	Yes, YesRevoke, YesReplace, No                  key.Binding
	YesDrop, YesSaveFile, SaveToFile                key.Binding
	SaveFile, CancelPrompt                          key.Binding
	QR                                              key.Binding
	Discover                                        key.Binding
	Endpoints                                       key.Binding
	CopyCode                                        key.Binding
	OpenPage                                        key.Binding
	FreshCode                                       key.Binding
}

var keys = keyMap{
	Next:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
	Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Quit:         key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	Reveal:       key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide")),
	Open:         key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
	CopyURL:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy URL")),
	Approve:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve (demo)")),
	Reopen:       key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "open URL again")),
	Cancel:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	GiveUpSave:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "give up saving")),
	CopyToken:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy token")),
	CopyRefresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "copy refresh token")),
	Done:         key.NewBinding(key.WithKeys("q", "enter"), key.WithHelp("q/enter", "done")),
	NewCode:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "another code")),
	SubmitCode:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "get token")),
	ProviderNext: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
	ListQuit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")), // as in Charm's lists
	Save:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save profile")),

	Verify:       key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verify")),
	WriteFile:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write file")),
	Revoke:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "revoke")),
	CopyHeader:   key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "copy header")),
	CopyCurl:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "copy curl")),
	Yes:          key.NewBinding(key.WithKeys("y")),
	YesRevoke:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "revoke")),
	YesReplace:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "replace")),
	YesDrop:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "drop it")),
	YesSaveFile:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "save to file")),
	SaveToFile:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "save to file")),
	No:           key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep")),
	SaveFile:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "write")),
	CancelPrompt: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	QR:           key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "QR code")),
	Discover:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "find endpoints")),
	Endpoints:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "type endpoints")),
	CopyCode:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy code")),
	OpenPage:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open page")),
	FreshCode:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "new code")),
}

// bindingList is a help.KeyMap of one step's keys.
type bindingList []key.Binding

func (b bindingList) ShortHelp() []key.Binding  { return b }
func (b bindingList) FullHelp() [][]key.Binding { return [][]key.Binding{b} }

// providerNumbers is the Provider step's 1-N: a number chooses that provider.
func providerNumbers(n int) key.Binding {
	n = min(n, 9)
	digits := make([]string, n)
	for i := range digits {
		digits[i] = strconv.Itoa(i + 1)
	}
	return key.NewBinding(key.WithKeys(digits...), key.WithHelp(fmt.Sprintf("1-%d", n), "choose"))
}

// typesText reports whether a key types a character into a field: printable
// text with no ctrl or alt (shift is part of the text). A space is not part
// of any code.
func typesText(msg tea.KeyPressMsg) bool {
	if msg.Text == "" || msg.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock) != 0 {
		return false
	}
	for _, r := range msg.Text {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
