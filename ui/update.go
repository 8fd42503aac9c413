package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"nestauth/ui/flow"
)

func (m *wizard) init() tea.Cmd {
	var discover tea.Cmd
	if m.step == stepIssuer && m.opts.Issuer != "" {
		discover = m.submitIssuer() // after the first frame, in view
	}
	return tea.Batch(tea.RequestBackgroundColor, m.enterCmd(), discover)
}

func (m *wizard) update(msg tea.Msg) tea.Cmd {
	cmd := m.dispatch(msg)
	if m.signal != nil { // held back: due once the request is answered
		return tea.Batch(cmd, m.signalDue())
	}
	return cmd
}

func (m *wizard) dispatch(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case SignalMsg:
		return m.signaled(msg)
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		m.qrResized()
		return nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.applyStyles()
		return nil
	case spinner.TickMsg:
		return tea.Batch(m.exchange.tick(msg), m.actions.call.tick(msg), m.custom.discovery.tick(msg), m.device.tick(msg))
	case discoveredMsg:
		return m.discovered(msg)
	case deviceCodeMsg:
		return m.gotDeviceCode(msg)
	case devicePollMsg:
		return m.pollDue(msg)
	case devicePolledMsg:
		return m.polled(msg)
	case deviceTickMsg:
		return m.countdown(msg)
	case tokenMsg:
		return m.gotToken(msg)
	case exchangeErrMsg:
		return m.exchangeFailed(msg)
	case copiedMsg:
		m.notice.status = msg.status()
		return nil
	case openedMsg:
		m.opened(msg)
		return nil
	case listeningMsg:
		return m.listener.started(msg)
	case capturedMsg:
		return m.captured(msg)
	case approvedMsg:
		return m.approved(msg)
	case deliveredMsg:
		return m.delivered(msg)
	case savedMsg:
		return m.savedProfile(msg)
	case saveWaitingMsg:
		return m.saveWaiting(msg)
	case checkedMsg:
		return m.checked(msg)
	case revokedMsg:
		return m.revokeDone(msg)
	case wroteFileMsg:
		return m.wroteFile(msg)
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			if m.step == stepToken && !m.delivering {
				return m.finish() // the code is spent: keep the token, as q does
			}
			m.aborted = true
			return tea.Quit
		}
		return m.updateStep(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	}
	return m.updateField(msg)
}

func (m *wizard) updateStep(msg tea.KeyPressMsg) tea.Cmd {
	if m.exchange.running {
		if key.Matches(msg, keys.Cancel) {
			m.exchange.end()
			m.notice.err = "Canceled."
			m.notice.hint = "If the request reached the server the code may be used up; press Enter to try it anyway."
		}
		return nil // one Enter, one request: nothing else while it runs
	}
	if m.custom.discovery.running {
		if key.Matches(msg, keys.Cancel) {
			m.cancelDiscovery()
		}
		return nil
	}
	switch m.step {
	case stepProvider:
		return m.updateProvider(msg)
	case stepAuthorize:
		return m.updateAuthorize(msg)
	case stepToken:
		return m.updateToken(msg)
	case stepDevice:
		return m.updateDevice(msg)
	}
	switch {
	case key.Matches(msg, keys.Next):
		if m.step == stepCode {
			return m.submitCode()
		}
		if m.step == stepIssuer {
			return m.submitIssuer()
		}
		return m.submitField()
	case key.Matches(msg, keys.Back):
		return m.back()
	case flow.Fields[m.step].Masked && key.Matches(msg, keys.Reveal):
		in := m.inputs[m.step]
		if in.EchoMode == textinput.EchoPassword {
			in.EchoMode = textinput.EchoNormal
		} else {
			in.EchoMode = textinput.EchoPassword
		}
		return nil
	case m.step == stepCode && key.Matches(msg, keys.Reopen):
		return openCmd(m.opts.Open, m.authURL())
	case m.step == stepIssuer && key.Matches(msg, keys.Endpoints):
		return m.typeEndpoints()
	}
	return m.updateField(msg)
}

// paste cleans a bracketed paste: no surrounding white space or newline
// reaches a field, and a pasted redirect URL becomes its code at once.
func (m *wizard) paste(msg tea.PasteMsg) tea.Cmd {
	if m.exchange.running || m.custom.discovery.running {
		return nil // the field holds the code being exchanged, or the issuer read
	}
	if m.step == stepToken {
		return m.pasteWrite(strings.TrimSpace(msg.Content))
	}
	var cmd tea.Cmd
	if m.step == stepAuthorize {
		cmd = m.goTo(stepCode) // the person has the code already
	}
	return tea.Batch(cmd, m.pasteText(strings.TrimSpace(msg.Content)))
}
