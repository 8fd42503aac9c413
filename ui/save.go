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

// savePrompt is the file name prompt of w.
type savePrompt struct {
	open    bool
	writing bool   // a write is running: keys wait
	path    string // the name being written, as typed
	input   textinput.Model
}

func newSavePrompt() savePrompt {
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = 4096
	return savePrompt{input: in}
}

func (p *savePrompt) close() {
	p.open, p.writing = false, false
	p.input.Blur()
}

// savedMsg says how writing the token to path went.
type savedMsg struct {
	path string // absolute, for the message
	err  error
}

// saveCmd writes data to path with mode 0600, atomically; without force it
// leaves an existing file alone (fs.ErrExist).
func saveCmd(path string, data []byte, force bool) tea.Cmd {
	return func() tea.Msg {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return savedMsg{path: path, err: output.WriteFileAtomic(path, data, force)}
	}
}

// openSave opens the prompt (w) with the default name.
func (m *wizard) openSave() tea.Cmd {
	p := &m.actions.save
	p.open = true
	p.input.SetValue(DefaultTokenFile)
	p.input.CursorEnd()
	m.notice.clear()
	return p.input.Focus()
}

func (m *wizard) updateSave(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.actions.save
	switch {
	case p.writing:
		return nil
	case key.Matches(msg, keys.SaveFile):
		return m.saveFile(false)
	case key.Matches(msg, keys.CancelPrompt):
		p.close()
		m.notice = notice{status: "Nothing was written."}
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// pasteSave pastes into the open prompt.
func (m *wizard) pasteSave(text string) tea.Cmd {
	p := &m.actions.save
	if !p.open || p.writing || m.actions.confirm != confirmNone {
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(tea.PasteMsg{Content: text})
	return cmd
}

// saveFile writes the token as JSON to the named file; force replaces it.
func (m *wizard) saveFile(force bool) tea.Cmd {
	p := &m.actions.save
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
	return saveCmd(p.path, data, force)
}

func (m *wizard) saved(msg savedMsg) tea.Cmd {
	p := &m.actions.save
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
