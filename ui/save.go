package ui

import (
	"context"
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

// saveWaitingMsg says that the save of tok waits for the profile lock
// another run holds; next waits for the save's end.
type saveWaitingMsg struct {
	tok  *auth.Token
	wait profile.LockWait
	next tea.Cmd
}

// saveCmd saves cfg and tok in the background (a keyring may take a
// while), until ctx ends: a saveWaitingMsg when the wait for the lock lasts,
// then the savedMsg.
func saveCmd(ctx context.Context, save flow.Saver, cfg auth.Config, tok *auth.Token) tea.Cmd {
	waits, done := make(chan profile.LockWait, 1), make(chan savedMsg, 1)
	ctx = profile.OnLockWait(ctx, func(w profile.LockWait) {
		select {
		case waits <- w:
		default:
		}
	})
	end := func() tea.Msg { return <-done }
	return func() tea.Msg {
		go func() {
			saved, err := save(ctx, cfg, tok)
			done <- savedMsg{tok: tok, saved: saved, err: err}
		}()
		select {
		case w := <-waits:
			return saveWaitingMsg{tok: tok, wait: w, next: end}
		case msg := <-done:
			return msg
		}
	}
}

// saving is the profile save of the current token: running, done or failed.
type saving struct {
	running bool
	cancel  context.CancelFunc // ends the save's wait for the lock (esc)
	gaveUp  bool               // esc asked to give up
	saved   *profile.Saved
	err     error
}

// reset forgets the save of an earlier token.
func (s *saving) reset() {
	s.stop()
	*s = saving{}
}

// stop ends the save's wait for the lock, if it still waits.
func (s *saving) stop() {
	if s.cancel != nil {
		s.cancel()
	}
}

// status says where the profile went, and how to use it.
func (msg savedMsg) status(name string) string {
	return strings.TrimSpace(fmt.Sprintf("Saved profile %s: settings in %s; secrets in %s. From now on 'nestauth token --profile %s' prints a valid access token. %s",
		name, msg.saved.SettingsPath, msg.saved.SecretsWhere, name, msg.saved.KeptNote()))
}
