package ui

import (
	"path/filepath"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"nestauth/internal/output"
)

// DefaultTokenFile is the file name w offers, in the working directory.
const DefaultTokenFile = "nestauth-token.json"

// writePrompt is the file name prompt of w.
type writePrompt struct {
	open    bool
	writing bool   // a write is running: keys wait
	path    string // the name being written, as typed
	input   textinput.Model
}

func newWritePrompt() writePrompt {
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = 4096
	return writePrompt{input: in}
}

func (p *writePrompt) close() {
	p.open, p.writing = false, false
	p.input.Blur()
}

// wroteFileMsg says how writing the token to path went.
type wroteFileMsg struct {
	path string // absolute, for the message
	err  error
}

// writeFileCmd writes data to path with mode 0600, atomically; without force it
// leaves an existing file alone (fs.ErrExist).
func writeFileCmd(path string, data []byte, force bool) tea.Cmd {
	return func() tea.Msg {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return wroteFileMsg{path: path, err: output.WriteFileAtomic(path, data, force)}
	}
}
