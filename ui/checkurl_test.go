package ui

import (
	"strings"
	"testing"

	"nestauth/auth"
)

func TestNoCheckURLNamesBothFlags(t *testing.T) {
	tests := []struct {
		name string
		doc  func(string, map[string]any)
	}{
		{"typed endpoints", nil},
		{"discovered without userinfo", func(_ string, d map[string]any) { delete(d, "userinfo_endpoint") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := customOptions()
			if tt.doc != nil {
				opts.Issuer = issuerServer(t, tt.doc).URL
			}
			m, _, _ := newModel(t, opts)
			m = run(t, m, m.Init())
			if tt.doc == nil {
				m = send(t, m, tab)
				for _, v := range []string{"https://x.example/auth", "https://x.example/token"} {
					m = typeString(v, m, t)
					m = send(t, m, enter)
				}
			}
			for m.step != stepAuthorize && m.step != stepDevice {
				m = send(t, m, enter)
			}
			m.token = &auth.Token{AccessToken: "t0ken"}
			m.goTo(stepToken)
			for _, k := range []rune{'v', 'u'} {
				m = send(t, m, char(k))
				v := strings.Join(strings.Fields(view(m)), " ")
				if !strings.Contains(v, "--check-url") || !strings.Contains(v, "--issuer") {
					t.Errorf("%c: the notice does not name --check-url and --issuer:\n%s", k, view(m))
				}
			}
		})
	}
}

// A custom provider without --check-url or --revoke-url: v, u and x are not
// listed, and pressing them says at once which flag, for the next run.
func TestTokenKeysThatCannotWork(t *testing.T) {
	p := auth.Custom()
	p.AuthURL, p.TokenURL = "https://idp.test/auth", "https://idp.test/token"
	m := atToken(t, Options{Providers: []auth.Provider{p}})
	help := view(m)[strings.LastIndex(view(m), "c copy token"):]
	for _, k := range []string{"v verify", "u copy curl", "x revoke"} {
		if strings.Contains(help, k) {
			t.Errorf("the help lists %q:\n%s", k, help)
		}
	}
	wantView(t, m, "h copy header", "w write file")
	for _, k := range "vu" {
		m = send(t, m, char(k))
		wantView(t, m, "set --check-url", "Flags take effect on the next run")
	}
	m = send(t, m, char('x'))
	if m.actions.confirm != confirmNone {
		t.Fatal("x asks to revoke with no revocation endpoint")
	}
	wantView(t, m, "no revocation endpoint", "set --revoke-url", "Flags take effect on the next run")

	// With the flags, the keys are back.
	p.CheckURL, p.RevokeURL = "https://idp.test/userinfo", "https://idp.test/revoke"
	m = atToken(t, Options{Providers: []auth.Provider{p}})
	wantView(t, m, "v verify", "u copy curl", "x revoke")
}
