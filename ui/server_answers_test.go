package ui

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

func TestClientIDCopiedOutOfJSON(t *testing.T) {
	m, _, _ := newModel(t, Options{})
	m = send(t, m, tea.PasteMsg{Content: `"123-abc.apps.googleusercontent.com",`})
	m = send(t, m, enter)
	wantStep(t, m, stepSecret)
	if got := m.inputs[stepClientID].Value(); got != "123-abc.apps.googleusercontent.com" {
		t.Errorf("client ID field = %q, want it without quotes and comma", got)
	}
	if u := m.authURL(); !strings.Contains(u, "client_id=123-abc.apps.googleusercontent.com&") {
		t.Errorf("authorization URL %q lacks the clean client ID", u)
	}
}

func TestClientIDRefusesGoogleSecret(t *testing.T) {
	const secret = "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"
	m, _, _ := newModel(t, Options{})
	m = typeString(secret, m, t) // typed: a paste is refused before Enter
	m = send(t, m, enter)
	wantStep(t, m, stepClientID)
	wantView(t, m, "client secret", "not a client ID", "the secret goes in the next step")
	if got := m.inputs[stepClientID].Value(); got != "" {
		t.Errorf("client ID field = %q, want it emptied", got)
	}
	if strings.Contains(view(m), "1a2b3c4d") {
		t.Errorf("the secret is still on the screen:\n%s", view(m))
	}
}

// A pasted secret is refused at once: it never shows, not even until Enter.
func TestClientIDPasteOfGoogleSecretNeverShows(t *testing.T) {
	const secret = "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"
	m, _, _ := newModel(t, Options{})
	m = send(t, m, tea.PasteMsg{Content: secret + "\n"})
	wantStep(t, m, stepClientID)
	if strings.Contains(view(m), "1a2b3c4d") || m.inputs[stepClientID].Value() != "" {
		t.Errorf("the pasted secret reached the field:\n%s", view(m))
	}
	wantView(t, m, "the secret goes in the next step")
}

// After a secret was taken out of the Client ID field, Enter on the empty
// field still says where the secret goes, not only that the field is empty.
func TestClientIDEmptyAfterSecretKeepsThePointer(t *testing.T) {
	const secret = "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"
	for _, how := range []string{"pasted", "typed"} {
		t.Run(how, func(t *testing.T) {
			m, _, _ := newModel(t, Options{})
			if how == "pasted" {
				m = send(t, m, tea.PasteMsg{Content: secret})
			} else {
				m = send(t, typeString(secret, m, t), enter)
			}
			m = send(t, m, enter) // the field is empty now
			wantStep(t, m, stepClientID)
			wantView(t, m, "Client ID is empty", "client secret you entered was not kept", "it goes in the next step")
			m = send(t, typeString("123-abc.apps.googleusercontent.com", m, t), enter)
			wantStep(t, m, stepSecret)
			if v := view(m); strings.Contains(v, "was not kept") {
				t.Errorf("the pointer outlived the client ID:\n%s", v)
			}
		})
	}
}

// The wizard reads what a real token endpoint answers (through auth, over
// loopback HTTP) and goes where the answer can be fixed.
func TestServerAnswersRouteTheWizard(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		location    string
		body        string
		wantStep    step
		wantCode    string // the code field afterwards
		wantView    []string
		notView     []string
		wantRefresh bool
	}{
		{
			name: "invalid_grant naming the redirect URI keeps the code", status: 400,
			body:     `{"error":"invalid_grant","error_description":"Incorrect redirect_uri"}`,
			wantStep: stepCode, wantCode: "OLDCODE",
			wantView: []string{"Incorrect redirect_uri", "No redirect_uri was sent", "Your code is kept"},
			notView:  []string{"ctrl+o to open it"},
		},
		{
			name: "an unknown client goes to the Client ID step", status: 401,
			body:     `{"error":"invalid_client","error_description":"The OAuth client was not found."}`,
			wantStep: stepClientID, wantCode: "OLDCODE",
			wantView: []string{"does not know this client ID", "Your code is kept"},
		},
		{
			name: "invalid_client without detail names both", status: 401,
			body:     `{"error":"invalid_client","error_description":"client authentication failed"}`,
			wantStep: stepSecret, wantCode: "OLDCODE",
			wantView: []string{"both the client ID and the client secret"},
		},
		{
			name: "a secret echoed is redacted", status: 401,
			body:     `{"error":"invalid_client","error_description":"secret s3cr3t-value is wrong"}`,
			wantStep: stepSecret, wantCode: "OLDCODE",
			wantView: []string{"secret [redacted] is wrong"}, notView: []string{"s3cr3t-value"},
		},
		{
			name: "a redirect is not retried", status: 302, location: "/v2/token",
			wantStep: stepCode, wantCode: "OLDCODE",
			wantView: []string{"redirects to", "/v2/token", "--token-url"}, notView: []string{"retry", "try again"},
		},
		{
			name: "a token with a fractional expires_in", status: 200,
			body:     `{"access_token":"c.FRACTIONAL","expires_in":3600.5}`,
			wantStep: stepToken, wantView: []string{"c.FRACTIONAL", "Expires in 60 minutes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.location != "" {
					w.Header().Set("Location", tt.location)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			p := nestProvider()
			p.TokenURL = srv.URL + "/token"
			m, _, _ := atCode(t, Options{Providers: []auth.Provider{p}, ClientSecret: "s3cr3t-value", ClientID: "id",
				Exchanger: ConfigExchanger{}})
			m = typeString("OLDCODE", m, t)
			m = send(t, m, enter)
			wantStep(t, m, tt.wantStep)
			wantView(t, m, tt.wantView...)
			flat := strings.Join(strings.Fields(view(m)), " ")
			for _, s := range tt.notView {
				if strings.Contains(flat, s) {
					t.Errorf("view has %q:\n%s", s, view(m))
				}
			}
			if got := m.inputs[stepCode].Value(); tt.wantStep != stepToken && got != tt.wantCode {
				t.Errorf("code field = %q, want %q", got, tt.wantCode)
			}
		})
	}
}
