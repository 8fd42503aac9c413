package ui

// The Authorization code step: the code typed, pasted or caught on
// loopback is exchanged; a failed exchange sends the person to the step
// that can fix it (flow.AfterExchange).

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
	"nestauth/ui/flow"
)

func (m *wizard) submitCode() tea.Cmd {
	in, code := m.inputs[stepCode], m.code
	if value := in.Value(); code.Value == "" || value != code.Value {
		var err error // typed, or edited since the paste: parse it now, once
		if code, err = auth.ParseCode(value, m.state); err != nil {
			m.setError(err)
			return nil
		}
	}
	m.code = code
	in.SetValue(code.Value)
	return m.startExchange(code)
}

func (m *wizard) startExchange(code auth.Code) tea.Cmd {
	cfg := m.config()
	if err := cfg.Validate(); err != nil {
		m.setError(err)
		return nil
	}
	m.notice.clear()
	return m.exchange.start(m.opts.Exchanger, cfg, code.Value, m.pkceVerifier(), m.opts.Timeout)
}

func (m *wizard) gotToken(msg tokenMsg) tea.Cmd {
	if !m.exchange.current(msg.attempt) {
		return nil
	}
	m.exchange.end()
	return tea.Batch(m.tookToken(msg.token), m.listener.stop()) // listen again for another code
}

// exchangeFailed sends the person to the step that can fix the failure.
func (m *wizard) exchangeFailed(msg exchangeErrMsg) tea.Cmd {
	if !m.exchange.current(msg.attempt) {
		return nil
	}
	m.exchange.end()
	after, ok := flow.AfterExchange(msg.err)
	if !ok {
		m.setError(msg.err)
		return nil
	}
	var cmd tea.Cmd
	switch {
	case after.NewCode:
		m.inputs[stepCode].SetValue("")
	case after.Resumes():
		cmd = m.goTo(after.Step)
		m.resume = true
	}
	m.notice.err, m.notice.hint = after.Said, after.Hint
	switch {
	case after.NewCode:
		m.notice.hint += m.newCodeHint()
	case after.Resumes():
		m.notice.hint += " Your code is kept: Enter takes you back to it."
	case after.Then != "":
		m.notice.hint += " " + after.Then
	}
	return cmd
}

// newCodeHint says how to get a new code from the code step: the demo
// approves again; without a browser, the URL is copied from Authorize.
func (m *wizard) newCodeHint() string {
	switch {
	case m.opts.Approve != nil:
		return " Press esc, then a: the demo server approves again and shows a new PIN."
	case m.noBrowser || m.opts.Open == nil:
		return " Press esc, then c to copy the URL; open it in any browser and paste the new code here."
	}
	return " Press ctrl+o to open it, then paste the new code here."
}

// refusedSaid starts what a refused redirect says.
const refusedSaid = "A redirect reached the listener but was refused"

// refusedRedirect says that a redirect was refused. Not setError: it leaves
// what the person typed. Nor over a failed exchange's notice, which says
// what to do next (get a new code): any number of refused redirects, from
// a stale tab or another program, take the status line under it instead.
func (m *wizard) refusedRedirect(err error) {
	err = fmt.Errorf("%s: %w", refusedSaid, err)
	if m.notice.err != "" && !strings.HasPrefix(m.notice.err, refusedSaid) {
		m.notice.status = flow.Sentence(auth.Sanitize(err.Error()))
		return
	}
	m.notice.fail(err)
}

// captured takes a redirect's code, answers the browser, and keeps waiting:
// a rejected code may be followed by a fresh one. The answer is a send that
// never blocks, made here so that it precedes any later close of the listener.
func (m *wizard) captured(msg capturedMsg) tea.Cmd {
	r := msg.result
	if !m.listener.owns(msg) {
		if m.token != nil {
			r.Answer(auth.HaveToken)
		} else {
			r.Answer(auth.NotTaken)
		}
		return nil
	}
	wait := waitCmd(m.listener.capture)
	switch {
	case r.Err != nil:
		if !m.exchange.running && m.step != stepToken {
			m.refusedRedirect(r.Err)
		}
		return wait
	case m.step == stepToken:
		r.Answer(auth.HaveToken)
		return wait
	case m.exchange.running:
		r.Answer(auth.Busy)
		return wait
	}
	var enter tea.Cmd
	if m.step != stepCode {
		enter = m.goTo(stepCode)
	}
	m.code = r.Code
	m.inputs[stepCode].SetValue(r.Code.Value)
	cmd := m.startExchange(r.Code)
	if m.exchange.running {
		r.Answer(auth.Taken)
	} else {
		r.Answer(auth.NotTaken)
	}
	return tea.Batch(enter, cmd, wait)
}
