package ui

// The Access token step's screen and keys.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"nestauth/auth"
)

// n (or esc) to "Replace it?" goes back to the token: the next w is the key
// again, not a letter added to the file name.
func TestKeepingAnExistingFileReturnsToTheToken(t *testing.T) {
	for _, no := range []tea.KeyPressMsg{char('n'), esc} {
		m := atToken(t, Options{})
		dir := t.TempDir()
		path := filepath.Join(dir, "tok.json")
		if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		m = send(t, m, char('w'))
		m.actions.write.input.SetValue(path)
		m = send(t, m, enter)
		wantView(t, m, "Replace it?")
		m = send(t, m, no)
		wantStep(t, m, stepToken)
		wantView(t, m, "Kept "+path+" as it is.", "w write file")
		m = send(t, m, char('w'))
		if got := m.actions.write.input.Value(); got != DefaultTokenFile {
			t.Errorf("after %s, w: the name is %q, want %q", no, got, DefaultTokenFile)
		}
		if b, _ := os.ReadFile(path); string(b) != "keep me" {
			t.Errorf("after %s the file holds %q", no, b)
		}
		if _, err := os.Stat(path + "w"); err == nil {
			t.Errorf("after %s a file %sw was written", no, path)
		}
	}
}

// A revoked token shows that instead of its lifetime, and s says it is not saved.
func TestRevokedTokenScreen(t *testing.T) {
	m, _, _ := atFakeToken(t)
	m.token.ExpiresIn, m.token.Expiry = 315360000, testNow.Add(315360000*1e9)
	wantView(t, m, "Expires in 3650 days")
	m.opts.Save = (&fakeSaver{}).save
	m = send(t, m, char('x'))
	m = send(t, m, char('y'))
	wantView(t, m, "✗ Revoked: this token no longer works.")
	if strings.Contains(view(m), "Expires in") {
		t.Errorf("a revoked token still shows its lifetime:\n%s", view(m))
	}
	m = send(t, m, char('s'))
	wantView(t, m, "it is not saved as a profile")
	if strings.Contains(view(m), "copied or written") {
		t.Errorf("s speaks of copying:\n%s", view(m))
	}
}

func TestRefreshKeyWithoutARefreshToken(t *testing.T) {
	m, _, rec := atCode(t, Options{})
	m = typeString("X", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if strings.Contains(view(m), "refresh") {
		t.Fatalf("no refresh token, yet the step offers one:\n%s", view(m))
	}
	m = send(t, m, char('r'))
	wantStep(t, m, stepToken)
	wantView(t, m, "no refresh token")
	if len(rec.copied) != 0 {
		t.Fatalf("copied %q", rec.copied)
	}
}

// A refresh token the server garbled is dropped, and the token step says
// so beside the access token it keeps.
func TestTokenStepSaysTheRefreshTokenWasDropped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"okAT","refresh_token":"r'\n$(x)","token_type":"Bearer"}`)
	}))
	t.Cleanup(srv.Close)
	m, ex, _ := atCode(t, Options{})
	ex.answers = append(ex.answers, func(ctx context.Context) (*auth.Token, error) {
		p := auth.Custom()
		p.TokenURL = srv.URL + "/token"
		return auth.Config{Provider: p, ClientID: "id", ClientSecret: "secret"}.Exchange(ctx, "X", "")
	})
	m = typeString("X", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if m.Token().AccessToken != "okAT" || m.Token().RefreshToken != "" {
		t.Fatalf("token %+v: want okAT without a refresh token", m.Token())
	}
	wantView(t, m, "refresh token", "dropped")
}
