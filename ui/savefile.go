package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/internal/profile"
	"nestauth/ui/flow"
)

// After the keyring refused a save, f saves the profile with its secrets in
// the secrets file instead (Options.SaveToFile), once y has confirmed that
// the file is not encrypted: in place, not a flag for the next run.

// fileOffer is the secrets file f would save to, or "" when f offers
// nothing: no SaveToFile, no keyring failure, a save done or running, or a
// revoked token.
func (m *wizard) fileOffer() string {
	var ke *profile.KeyringError
	if m.opts.SaveToFile == nil || m.save.saved != nil || m.save.running || m.actions.revoked || !errors.As(m.save.err, &ke) {
		return ""
	}
	return ke.SecretsFile
}

// offerFile says why the keyring save failed without its advice of a flag
// for the next run, and offers f instead.
func (m *wizard) offerFile(file string) {
	m.notice.err = flow.Sentence(withoutFlagAdvice(m.notice.err))
	m.notice.hint = fmt.Sprintf("f saves it with the secrets in %s instead (not encrypted), or copy the token (c) before you quit.", file)
}

// withoutFlagAdvice cuts profile.KeyringError's "save with --store file …".
func withoutFlagAdvice(s string) string {
	for _, sep := range []string{", or save with --store file", ". Save with --store file"} {
		if before, _, ok := strings.Cut(s, sep); ok {
			return before
		}
	}
	return s
}

// fileQuestion asks before the secrets go to the unencrypted file.
func (m *wizard) fileQuestion() string {
	return fmt.Sprintf("Save profile %s with its secrets (client secret, tokens) in %s? That file is not encrypted: it is yours alone (mode 0600), but anything that reads your files can use them. y saves there, n does not.",
		m.opts.Profile, m.fileOffer())
}

// askSaveToFile opens the question of f.
func (m *wizard) askSaveToFile() tea.Cmd {
	m.actions.confirm = confirmFileSave
	m.notice.clear()
	return nil
}
