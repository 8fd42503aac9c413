package ui

// The Authorization code step: what a failed exchange says to do.

import (
	"strings"
	"testing"

	"nestauth/auth"
)

// A wrong PIN in the demo points to esc then a; without a browser, to esc then c.
func TestNewCodeHint(t *testing.T) {
	codeErr := fail(&auth.Error{Kind: auth.KindCode, Code: "oauth2_error", Status: 400})

	m, ex, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s", Prefill: true, Approve: demoRun().Approve})
	ex.answers = append(ex.answers, codeErr)
	m = send(t, m, enter)
	m = send(t, m, enter)
	m = send(t, m, char('a'))
	m = send(t, m, enter)
	wantStep(t, m, stepCode)
	wantView(t, m, "Press esc, then a: the demo server approves again and shows a new PIN.")
	if strings.Contains(view(m), "ctrl+o") && strings.Contains(view(m), "Press ctrl+o") {
		t.Errorf("the demo hint points to a browser:\n%s", view(m))
	}

	m, ex, _ = atCode(t, Options{})
	m.opts.Open = func(string) error { return errUnavailable }
	ex.answers = append(ex.answers, codeErr)
	m = send(t, m, ctrlO)
	wantView(t, m, "No browser could be opened here: go back (esc) and copy the URL (c).")
	m = typeString("OLD", m, t)
	m = send(t, m, enter)
	wantView(t, m, "Press esc, then c to copy the URL")

	m, ex, _ = atCode(t, Options{})
	ex.answers = append(ex.answers, codeErr)
	m = typeString("OLD", m, t)
	m = send(t, m, enter)
	wantView(t, m, "Press ctrl+o to open it")
}

// The demo's code step, empty, reminds that a on Authorize approves; with
// the PIN in the field it says nothing more.
func TestDemoCodeStepRemindsOfApprove(t *testing.T) {
	var approvals int
	m, _, _ := newModel(t, demoOptions(&approvals))
	m = send(t, m, enter)
	wantStep(t, m, stepCode)
	wantView(t, m, "no PIN yet? Press esc, then a on Authorize")
	m = send(t, send(t, m, esc), char('a'))
	wantStep(t, m, stepCode)
	if v := view(m); strings.Contains(v, "no PIN yet") {
		t.Errorf("the reminder stays beside the PIN:\n%s", v)
	}
	// Device Access's demo redirects with a code, not a PIN.
	sdm := demoOptions(&approvals)
	sdm.Providers, sdm.ProjectID = []auth.Provider{sdmProvider()}, "0a1b2c3d-1234-5678-9abc-0123456789ab"
	m3, _, _ := newModel(t, sdm)
	m3 = send(t, m3, enter)
	wantStep(t, m3, stepCode)
	wantView(t, m3, "no code yet? Press esc, then a on Authorize", "puts its code here")
	m2, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	if v := view(send(t, m2, enter)); strings.Contains(v, "no PIN yet") {
		t.Errorf("outside the demo, the reminder shows:\n%s", v)
	}
}
