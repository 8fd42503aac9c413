package auth_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nestauth/auth"
)

// encodings are the ways a server may echo a value v it was sent, each as
// a name and the text it writes.
func encodings(v string) [][2]string {
	mixed := strings.NewReplacer("+", "%2B", "&", "%26").Replace(v) // "/" left unescaped
	return [][2]string{
		{"raw", v},
		{"percent, the rest unescaped", mixed},
		{"percent, lowercase hex", strings.NewReplacer("+", "%2b", "&", "%26", "/", "%2f").Replace(v)},
		{"percent, every byte", percentAll(v)},
		{"form-encoded", url.QueryEscape(v)},
		{"percent-encoded twice", url.QueryEscape(url.QueryEscape(v))},
		{"base64", base64.StdEncoding.EncodeToString([]byte(v))},
		{"base64 without padding", base64.RawStdEncoding.EncodeToString([]byte(v))},
		{"URL-safe base64", base64.URLEncoding.EncodeToString([]byte(v))},
		{"URL-safe base64 without padding", base64.RawURLEncoding.EncodeToString([]byte(v))},
		{"base64, percent-encoded", url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(v)))},
	}
}

func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[s[i]>>4])+string("0123456789abcdef"[s[i]&15])))
	}
	return b.String()
}

// The secret: +, & and / each encode differently.
const pctSecret = "S3CR3T-x/y+z&q"

// Every encoding of the client secret, the Basic header's id:secret and a
// refresh token is redacted in what the token endpoint says back.
func TestTokenAnswerRedactsEveryEncoding(t *testing.T) {
	const rt = "1//0g-REFRESH+tok/en"
	basicForms := func(pair string) [][2]string {
		return [][2]string{
			{"Basic", base64.StdEncoding.EncodeToString([]byte(pair))},
			{"Basic without padding", base64.RawStdEncoding.EncodeToString([]byte(pair))},
			{"Basic URL-safe", base64.URLEncoding.EncodeToString([]byte(pair))},
			{"Basic URL-safe without padding", base64.RawURLEncoding.EncodeToString([]byte(pair))},
		}
	}
	cases := map[string]string{}
	for _, e := range encodings(pctSecret) {
		cases["secret "+e[0]] = e[1]
	}
	for _, e := range encodings(rt) {
		cases["refresh token "+e[0]] = e[1]
	}
	for _, e := range append(basicForms(testClientID+":"+url.QueryEscape(pctSecret)), basicForms(testClientID+":"+pctSecret)...) {
		cases["id:secret "+e[0]] = e[1]
	}
	cases["the issue's answer, each form"] = "pct=S3CR3T-x/y%2Bz%26q b64=UzNDUjNULXgveSt6JnE="
	for name, echo := range cases {
		t.Run(name, func(t *testing.T) {
			body := `{"error":"invalid_grant","error_description":"got <` + strings.ReplaceAll(echo, `"`, `\"`) + `> and more"}`
			ts := newTokenServer(t, reply(400, "application/json", body))
			c := nestConfig(ts.TokenURL())
			c.ClientSecret = pctSecret
			_, err := c.Refresh(t.Context(), rt)
			e := asError(t, err)
			msg := e.Error()
			want := "got <[redacted]> and more"
			if strings.HasPrefix(echo, "pct=") {
				want = "got <pct=[redacted] b64=[redacted]> and more"
			}
			if !strings.Contains(msg, want) {
				t.Errorf("Error() = %q, want the echo redacted whole", msg)
			}
			checkNoEncoding(t, msg, pctSecret, rt)
		})
	}
}

// checkNoEncoding fails when text holds any encoding of a value.
func checkNoEncoding(t *testing.T, text string, values ...string) {
	t.Helper()
	for _, v := range values {
		for _, e := range encodings(v) {
			if strings.Contains(text, e[1]) {
				t.Errorf("%q shows %s in %s", text, v, e[0])
			}
		}
	}
}

// An access token echoed by a check or revocation endpoint, in any of the
// encodings, is redacted.
func TestAPIAnswerRedactsEveryEncoding(t *testing.T) {
	const token = "ya29.a0/AcCeSs+tok&en"
	for _, e := range encodings(token) {
		body := `{"error":"invalid_token","error_description":"token <` + e[1] + `> is not valid"}`
		t.Run("check: "+e[0], func(t *testing.T) {
			api := newAPIServer(t, replyJSON(http.StatusUnauthorized, body))
			_, err := check(context.Background(), auth.Config{Provider: auth.Custom()}, endpoints{APIURL: api.URL, CheckURL: api.URL + "/userinfo"}, token)
			if err == nil || !strings.Contains(err.Error(), "token <[redacted]> is not valid") {
				t.Errorf("error = %v, want the echo redacted", err)
			}
			checkNoEncoding(t, err.Error(), token)
		})
		t.Run("revoke: "+e[0], func(t *testing.T) {
			api := newAPIServer(t, replyJSON(http.StatusBadRequest, body))
			err := revoke(context.Background(), auth.Config{Provider: auth.Custom()}, endpoints{RevokeURL: api.URL + "/revoke"}, &auth.Token{AccessToken: token})
			if err == nil || !strings.Contains(err.Error(), "token <[redacted]> is not valid") {
				t.Errorf("error = %v, want the echo redacted", err)
			}
			checkNoEncoding(t, err.Error(), token)
		})
	}
}
