package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// atToken is the wizard on the Access token step with code X's token.
func atToken(t *testing.T, opts Options) Model {
	t.Helper()
	m, _, _ := atCode(t, opts)
	m = typeString("X", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	return m
}

// quits reports whether cmd ends the program.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// The code is spent once the token is shown: ctrl+c there keeps the token.
func TestCtrlCOnTokenStepFinishes(t *testing.T) {
	m := atToken(t, Options{})
	next, cmd := m.Update(ctrlC)
	m = next.(Model)
	if m.Aborted() || !m.done || !quits(cmd) {
		t.Fatalf("ctrl+c on the token step: aborted %v, done %v; want it to finish like q", m.Aborted(), m.done)
	}
}

func TestDeliverWritesOnFinish(t *testing.T) {
	for _, k := range []tea.KeyPressMsg{char('q'), enter, ctrlC} {
		var got []string
		m := atToken(t, Options{TokenNote: "it went to stdout", Deliver: func(tok *auth.Token) error {
			got = append(got, tok.AccessToken)
			return nil
		}})
		m = send(t, m, k)
		if len(got) != 1 || got[0] != "c.token-for-X" || !m.Delivered() || !m.done || m.Aborted() {
			t.Fatalf("%s: delivered %q, Delivered() %v, done %v; want the token written once and the wizard done", k, got, m.Delivered(), m.done)
		}
		wantView(t, m, "it went to stdout")
	}
}

// When the token cannot be written, the wizard stays on it and says so;
// the next q quits with the token still on the screen.
func TestDeliverFailureKeepsTheToken(t *testing.T) {
	calls := 0
	m := atToken(t, Options{TokenNote: "it went to stdout", Deliver: func(*auth.Token) error {
		calls++
		return errors.New("write /dev/stdout: no space left on device")
	}})
	m = send(t, m, char('q'))
	wantStep(t, m, stepToken)
	if m.done || m.Delivered() || m.DeliverErr() == nil {
		t.Fatalf("done %v, Delivered() %v, DeliverErr() %v; want the wizard still open with the error", m.done, m.Delivered(), m.DeliverErr())
	}
	wantView(t, m, "c.token-for-X", "Could not write the token out: write /dev/stdout: no space left on device.", "copy it (c)")
	next, cmd := m.Update(char('q'))
	m = next.(Model)
	if !m.done || !quits(cmd) || calls != 1 {
		t.Fatalf("second q: done %v, %d writes; want it to quit without writing again", m.done, calls)
	}
	v := view(m)
	if !strings.Contains(v, "c.token-for-X") || strings.Contains(v, "it went to stdout") {
		t.Errorf("the final frame must keep the token and not claim it went to stdout:\n%s", v)
	}
}

// After a failed write, another code's token is written again.
func TestDeliverAgainAfterAnotherCode(t *testing.T) {
	fails := true
	var wrote []string
	m := atToken(t, Options{Deliver: func(tok *auth.Token) error {
		if fails {
			return errors.New("broken pipe")
		}
		wrote = append(wrote, tok.AccessToken)
		return nil
	}})
	m = send(t, m, char('q'))
	fails = false
	m = send(t, m, esc)
	m = send(t, m, char('y')) // the token went nowhere: esc asks first
	wantStep(t, m, stepAuthorize)
	m = send(t, m, enter)
	m = typeString("Y", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	m = send(t, m, char('q'))
	if len(wrote) != 1 || wrote[0] != "c.token-for-Y" || !m.Delivered() || m.DeliverErr() != nil {
		t.Fatalf("wrote %q, Delivered() %v, DeliverErr() %v; want the new token written", wrote, m.Delivered(), m.DeliverErr())
	}
}

// The last frame says where the token went, without a stale status line.
func TestFinishDropsStaleStatus(t *testing.T) {
	for _, deliver := range []func(*auth.Token) error{nil, func(*auth.Token) error { return nil }} {
		m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s", Deliver: deliver, TokenNote: "it went to stdout"})
		m = typeString("PIN", send(t, m, enter), t)
		m = send(t, m, enter)
		wantStep(t, m, stepToken)
		m = send(t, m, char('r'))
		wantView(t, m, "no refresh token")
		m = send(t, m, char('q'))
		if v := view(m); strings.Contains(v, "no refresh token") || !strings.Contains(v, "Got an access token") {
			t.Errorf("last frame (deliver set: %v):\n%s", deliver != nil, v)
		}
	}
}
