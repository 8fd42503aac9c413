package fakenest

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The authorization server: the consent page that shows a PIN or redirects
// with a code, and the token endpoint that redeems it once.

// Approve does what a person's browser does with an authorization URL:
// it checks the URL as the consent page would and presses Allow. It returns
// the PIN or code the person would see.
func (s *Server) Approve(authURL string) (string, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if msg := s.checkAuthRequest(q); msg != "" {
		return "", errors.New(msg)
	}
	return s.IssueCode(), nil
}

func (s *Server) checkAuthRequest(q url.Values) string {
	switch {
	case q.Get("client_id") != s.ClientID:
		return "unknown client_id"
	case q.Get("state") == "":
		return "state is required"
	case q.Get("redirect_uri") != "" && q.Get("redirect_uri") != s.RedirectURI:
		return "redirect_uri not pre-registered"
	}
	return ""
}

// page is the consent page: an error, a PIN, or the Allow and Deny buttons.
type page struct{ Error, PIN, ClientID, State, RedirectURI string }

func (p page) write(w http.ResponseWriter) {
	_, _ = fmt.Fprint(w, `<!doctype html>
<title>Works with Nest (demo)</title>
<style>body{font-family:sans-serif;max-width:30em;margin:3em auto}code{font-size:2em}</style>
`)
	e := html.EscapeString
	switch {
	case p.Error != "":
		_, _ = fmt.Fprintf(w, "<h1>Can't authorize</h1><p>%s</p>\n", e(p.Error))
	case p.PIN != "":
		_, _ = fmt.Fprintf(w, "<h1>Your PIN</h1><p>Enter this PIN in the app:</p><p><code id=\"pin\">%s</code></p>\n", e(p.PIN))
	default:
		_, _ = fmt.Fprintf(w, `<h1>nestauth demo wants access to your Nest account</h1>
<form method="post"><input type="hidden" name="client_id" value="%s">
<input type="hidden" name="state" value="%s"><input type="hidden" name="redirect_uri" value="%s">
<button name="action" value="allow">Allow</button> <button name="action" value="deny">Deny</button></form>
`, e(p.ClientID), e(p.State), e(p.RedirectURI))
	}
}

func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := page{ClientID: q.Get("client_id"), State: q.Get("state"), RedirectURI: q.Get("redirect_uri")}
	if msg := s.checkAuthRequest(q); msg != "" {
		w.WriteHeader(http.StatusBadRequest)
		p = page{Error: msg}
	}
	p.write(w)
}

func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if msg := s.checkAuthRequest(r.PostForm); msg != "" {
		w.WriteHeader(http.StatusBadRequest)
		page{Error: msg}.write(w)
		return
	}
	state := r.PostForm.Get("state")
	if r.PostForm.Get("action") != "allow" {
		if s.RedirectURI == "" {
			page{Error: "You denied access."}.write(w)
			return
		}
		http.Redirect(w, r, s.RedirectURI+"?"+url.Values{"error": {"access_denied"}, "state": {state}}.Encode(), http.StatusFound)
		return
	}
	code := s.IssueCode()
	if s.RedirectURI == "" {
		page{PIN: code}.write(w)
		return
	}
	http.Redirect(w, r, s.RedirectURI+"?"+url.Values{"code": {code}, "state": {state}}.Encode(), http.StatusFound)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()

	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, "input_data_error", "malformed request body")
		return
	}
	f := r.PostForm
	id, secret := f.Get("client_id"), f.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok && id == "" { // works, but not recommended
		id, secret = u, p
	}
	var missing []string
	for _, kv := range [][2]string{{"code", f.Get("code")}, {"client_id", id}, {"client_secret", secret}, {"grant_type", f.Get("grant_type")}} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	switch {
	case len(missing) > 0:
		oauthError(w, "oauth2_error", "missing required parameters: "+strings.Join(missing, ", "))
	case f.Get("grant_type") != "authorization_code":
		oauthError(w, "oauth2_error", "unsupported grant_type")
	case id != s.ClientID:
		oauthError(w, "oauth2_error", "client not found")
	case secret != s.ClientSecret:
		oauthError(w, "oauth2_error", "client secret not found")
	case f.Get("redirect_uri") != "" && f.Get("redirect_uri") != s.RedirectURI:
		oauthError(w, "input_data_error", "redirect_uri not pre-registered")
	default:
		s.redeem(w, f.Get("code"))
	}
}

func (s *Server) redeem(w http.ResponseWriter, code string) {
	s.mu.Lock()
	g, ok := s.codes[code]
	switch {
	case !ok || g.used:
		s.mu.Unlock()
		oauthError(w, "oauth2_error", "authorization code not found")
		return
	case !s.now().Before(g.expires):
		s.mu.Unlock()
		oauthError(w, "oauth2_error", "authorization code expired")
		return
	}
	g.used = true
	s.codes[code] = g
	s.mu.Unlock()
	tok := s.IssueToken()

	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok,
		"expires_in":   int64(TokenLifetime / time.Second),
	})
}

func oauthError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"error":             code,
		"error_description": desc,
		"instance_id":       randomCode(8),
	})
}
