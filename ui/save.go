package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/ui/flow"
)

// savedMsg says how saving tok went.
type savedMsg struct {
	tok   *auth.Token
	saved profile.Saved
	err   error
}

// saveCmd saves cfg and tok in the background: a keyring may take a while.
func saveCmd(save flow.Saver, cfg auth.Config, tok *auth.Token) tea.Cmd {
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

// status says where the profile went, and how to use it.
func (msg savedMsg) status(name string) string {
	return strings.TrimSpace(fmt.Sprintf("Saved profile %s: settings in %s; secrets in %s. From now on 'nestauth token --profile %s' prints a valid access token. %s",
		name, msg.saved.SettingsPath, msg.saved.SecretsWhere, name, msg.saved.KeptNote()))
}
