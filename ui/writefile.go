package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
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

// openWrite opens the prompt (w) with the default name.
func (m *wizard) openWrite() tea.Cmd {
	p := &m.actions.write
	p.open = true
	p.input.SetValue(DefaultTokenFile)
	p.input.CursorEnd()
	m.notice.clear()
	return p.input.Focus()
}

func (m *wizard) updateWrite(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.actions.write
	switch {
	case p.writing:
		return nil
	case key.Matches(msg, keys.SaveFile):
		return m.writeFile(false)
	case key.Matches(msg, keys.CancelPrompt):
		p.close()
		m.notice = notice{status: "Nothing was written."}
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// pasteWrite pastes into the open prompt.
func (m *wizard) pasteWrite(text string) tea.Cmd {
	p := &m.actions.write
	if !p.open || p.writing || m.actions.confirm != confirmNone {
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(tea.PasteMsg{Content: text})
	return cmd
}

// writeFile writes the token as JSON to the named file; force replaces it.
func (m *wizard) writeFile(force bool) tea.Cmd {
	p := &m.actions.write
	p.path = strings.TrimSpace(p.input.Value())
	if p.path == "" {
		m.notice = notice{err: "Name a file to write the token to."}
		return nil
	}
	data, err := output.JSON(m.token)
	if err != nil {
		m.notice.fail(err)
		return nil
	}
	p.writing = true
	return writeFileCmd(p.path, data, force)
}

func (m *wizard) wroteFile(msg wroteFileMsg) tea.Cmd {
	p := &m.actions.write
	p.writing = false
	switch {
	case errors.Is(msg.err, fs.ErrExist):
		m.actions.confirm = confirmReplace
		p.input.Blur()
		m.notice.clear()
	case msg.err != nil:
		m.notice = notice{err: "Could not write the file: " + sentence(auth.Sanitize(msg.err.Error())), hint: "Fix the name, or esc to cancel."}
	default:
		p.close()
		m.notice = notice{status: fmt.Sprintf("Wrote the token to %s (mode %04o: yours alone).", auth.Sanitize(msg.path), output.FileMode)}
	}
	return nil
}
