package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/profile"
)

// Saver saves the wizard's result as a profile: settings in the settings
// file, secrets where the person chose.
type Saver func(auth.Config, *auth.Token) (profile.Saved, error)

// savedMsg says how saving tok went.
type savedMsg struct {
	tok   *auth.Token
	saved profile.Saved
	err   error
}

// saveCmd saves cfg and tok in the background: a keyring may take a while.
func saveCmd(save Saver, cfg auth.Config, tok *auth.Token) tea.Cmd {
	return func() tea.Msg {
		saved, err := save(cfg, tok)
		return savedMsg{tok: tok, saved: saved, err: err}
	}
}

// saving is the profile save of the current token: running, done or failed.
type saving struct {
	running bool
	saved   *profile.Saved
	err     error
}

// reset forgets the save of an earlier token.
func (s *saving) reset() { *s = saving{} }

// startSave saves the token as Options.Profile; one save at a time.
func (m *wizard) startSave() tea.Cmd {
	if m.opts.Save == nil || m.save.running {
		return nil
	}
	m.save.running = true
	m.notice.clear()
	m.notice.status = fmt.Sprintf("Saving profile %s…", m.opts.Profile)
	return saveCmd(m.opts.Save, m.config(), m.token)
}

func (m *wizard) savedProfile(msg savedMsg) tea.Cmd {
	if msg.tok != m.token {
		return nil // the save of a token since replaced
	}
	m.save.running = false
	m.notice.clear()
	if msg.err != nil {
		m.save.err = msg.err
		m.notice.err = sentence(fmt.Sprintf("Profile %s was not saved: %s", m.opts.Profile, auth.Sanitize(msg.err.Error())))
		m.notice.hint = "The token is still here: copy it (c) before you quit."
		return nil
	}
	m.save.saved, m.save.err = &msg.saved, nil
	m.notice.status = msg.status(m.opts.Profile)
	return nil
}

// status says where the profile went, and how to use it.
func (msg savedMsg) status(name string) string {
	return fmt.Sprintf("Saved profile %s: settings in %s; secrets in %s. From now on 'nestauth token --profile %s' prints a valid access token.",
		name, msg.saved.SettingsPath, msg.saved.SecretsWhere, name)
}

// Saved is where the profile was saved, or nil when it was not.
func (m *wizard) Saved() *profile.Saved { return m.save.saved }

// SaveErr is why the last save failed, or nil.
func (m *wizard) SaveErr() error { return m.save.err }

// noSaving says why s saves nothing: this run has no Saver.
func (m *wizard) noSaving() string {
	if m.opts.Approve != nil {
		return "The demo's tokens are not saved: they only work with the demo server."
	}
	return "This run cannot save a profile."
}
