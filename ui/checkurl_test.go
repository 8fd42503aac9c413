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
