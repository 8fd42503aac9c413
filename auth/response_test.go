package auth_test

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"nestauth/auth"
)

// A token the server issued reaches the person, however it is dressed
// (RFC 6749 §5.1, read leniently): x/oauth2 alone loses some of these after
// the code is spent.
func TestExchangeKeepsIssuedToken(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		want        auth.Token
	}{
		{
			name: "fractional expires_in", contentType: "application/json",
			body: `{"access_token":"A","expires_in":3600.5,"token_type":"Bearer"}`,
			want: auth.Token{AccessToken: "A", TokenType: "Bearer", ExpiresIn: 3600, Expiry: fixedNow.Add(time.Hour)},
		},
		{
			name: "fractional expires_in as a string", contentType: "application/json",
			body: `{"access_token":"A","expires_in":"3600.5"}`,
			want: auth.Token{AccessToken: "A", ExpiresIn: 3600, Expiry: fixedNow.Add(time.Hour)},
		},
		{
			name: "expires_in as a padded string", contentType: "application/json",
			body: `{"access_token":"A","expires_in":" 60 "}`,
			want: auth.Token{AccessToken: "A", ExpiresIn: 60, Expiry: fixedNow.Add(time.Minute)},
		},
		{
			name: "JSON served as text/plain", contentType: "text/plain; charset=utf-8",
			body: `{"access_token":"ya29.A","expires_in":3599,"refresh_token":"1//R","scope":"read write","token_type":"Bearer"}`,
			want: auth.Token{AccessToken: "ya29.A", TokenType: "Bearer", RefreshToken: "1//R", Scope: "read write",
				ExpiresIn: 3599, Expiry: fixedNow.Add(3599 * time.Second)},
		},
		{
			name: "JSON served as text/html with a BOM", contentType: "text/html",
			body: "\uFEFF" + `{"access_token":"A"}` + "\n",
			want: auth.Token{AccessToken: "A"},
		},
		{
			name: "JSON with a scope list", contentType: "application/json",
			body: `{"access_token":"A","scope":["read","write"]}`,
			want: auth.Token{AccessToken: "A", Scope: "read write"},
		},
		{
			name: "GitHub: a form", contentType: "application/x-www-form-urlencoded; charset=utf-8",
			body: "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer",
			want: auth.Token{AccessToken: "gho_16C7e42F292c6912E7710c838347Ae178B4a", TokenType: "bearer", Scope: "repo,gist"},
		},
		{
			name: "a form with no Content-Type", contentType: "",
			body: "access_token=A&token_type=bearer&expires_in=7200",
			want: auth.Token{AccessToken: "A", TokenType: "bearer", ExpiresIn: 7200, Expiry: fixedNow.Add(2 * time.Hour)},
		},
		{
			name: "a form with a fractional expires_in", contentType: "application/x-www-form-urlencoded",
			body: "access_token=A&expires_in=3600.5",
			want: auth.Token{AccessToken: "A", ExpiresIn: 3600, Expiry: fixedNow.Add(time.Hour)},
		},
		{
			name: "a form with a bad escape elsewhere", contentType: "text/plain",
			body: "access_token=A&state=%zz&token_type=bearer",
			want: auth.Token{AccessToken: "A", TokenType: "bearer"},
		},
		{
			name: "nonsense expires_in is no expiry", contentType: "application/json",
			body: `{"access_token":"A","expires_in":"soon"}`,
			want: auth.Token{AccessToken: "A"},
		},
	}
	for _, tt := range tests {
		for _, refresh := range []bool{false, true} {
			name := tt.name
			if refresh {
				name += "/refresh"
			}
			t.Run(name, func(t *testing.T) {
				ts := newTokenServer(t, reply(http.StatusOK, tt.contentType, tt.body))
				c := nestConfig(ts.TokenURL())
				c.Now = func() time.Time { return fixedNow }
				want := tt.want
				var tok *auth.Token
				var err error
				if refresh {
					tok, err = c.Refresh(t.Context(), "1//OLD")
					if want.RefreshToken == "" {
						want.RefreshToken = "1//OLD" // RFC 6749 §6: the old one stays good
					}
				} else {
					tok, err = c.Exchange(t.Context(), "TB39DWND", "")
				}
				if err != nil {
					t.Fatalf("got %v, want the token the server issued", err)
				}
				if !reflect.DeepEqual(*tok, want) {
					t.Errorf("token = %+v\nwant    %+v", *tok, want)
				}
				if n := len(ts.Requests()); n != 1 {
					t.Errorf("the token endpoint got %d requests, want exactly 1", n)
				}
			})
		}
	}
}

// hostileSecret has every character that encodes differently in a form, a
// URL path, JSON and HTML.
const hostileSecret = "GOCSPX-s3cr/t+k=y &x<"

// TestExchangeHostileServer runs Exchange against token endpoints that answer
// badly, echo the secret, or say more than their error code. The oidc-provider
// rows are what .ci/oidc (oidc-provider 9.13.3) answers at its token endpoint.
func TestExchangeHostileServer(t *testing.T) {
	huge := strings.Repeat("very long ", 90<<10) // 900 KB
	basic := base64.StdEncoding.EncodeToString([]byte(testClientID + ":" + url.QueryEscape(hostileSecret)))
	jsonErr := func(code, desc string) string {
		b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
		return string(b)
	}
	tests := []struct {
		name        string
		status      int
		contentType string
		location    string
		body        string
		basic       bool // credentials in a Basic header

		wantKind    auth.Kind
		wantText    []string // in Error()
		wantHint    []string // in Hint()
		notHint     []string
		retryable   bool
		wantMaxText int // Error() no longer than this; 0: 600
	}{
		// Point 21: no token, and no OAuth error.
		{
			name: "200 JSON without access_token", status: 200, contentType: "application/json",
			body:     `{"token_type":"Bearer","expires_in":3599}`,
			wantKind: auth.KindServer,
			wantText: []string{"(HTTP 200)", `"token_type\":\"Bearer\"`},
			wantHint: []string{"--token-url"}, notHint: []string{"try again"},
		},
		{
			name: "302 to another path", status: 302, location: "/v2/token",
			body:     `<a href="/v2/token">Found</a>.`,
			wantKind: auth.KindServer,
			wantText: []string{"redirects to http://127.0.0.1:", "/v2/token (HTTP 302)"},
			wantHint: []string{"--token-url", "follows no redirect"}, notHint: []string{"try again"},
		},
		{
			name: "308 to another host", status: 308, location: "https://idp.example/oauth/token",
			wantKind: auth.KindServer,
			wantText: []string{"redirects to https://idp.example/oauth/token (HTTP 308)"},
			wantHint: []string{"--token-url"},
		},
		// Point 10: server text that echoes the secret.
		{
			name: "secret echoed raw", status: 401, contentType: "application/json",
			body:     jsonErr("invalid_client", "secret "+hostileSecret+" is wrong"),
			wantKind: auth.KindSecret,
			wantText: []string{"invalid_client: secret [redacted] is wrong (HTTP 401)"},
		},
		{
			name: "secret echoed in a form error", status: 400, contentType: "application/x-www-form-urlencoded",
			body:     "error=invalid_request&error_description=" + url.QueryEscape("body was client_secret="+url.QueryEscape(hostileSecret)+"&code=TB39DWND"),
			wantKind: auth.KindRequest,
			wantText: []string{"body was client_secret=[redacted]&code=TB39DWND"},
		},
		{
			name: "secret echoed percent-encoded, lowercase hex", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_client", "bad secret "+regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.PathEscape(hostileSecret), strings.ToLower)),
			wantKind: auth.KindSecret,
			wantText: []string{"bad secret [redacted]"},
		},
		{
			name: "secret echoed in an HTML page", status: 500, contentType: "text/html",
			body:     "<p>client_secret=" + html.EscapeString(hostileSecret) + "</p>",
			wantKind: auth.KindServer, retryable: true,
			wantText: []string{`"<p>client_secret=[redacted]</p>"`},
		},
		{
			name: "secret echoed by PHP's json_encode", status: 502, contentType: "application/json",
			body:     `{"request":{"client_secret":"` + strings.ReplaceAll(hostileSecret, "/", `\/`) + `"}}`,
			wantKind: auth.KindServer, retryable: true,
			wantText: []string{`client_secret\":\"[redacted]\"`},
		},
		{
			name: "Basic header echoed", status: 401, contentType: "application/json", basic: true,
			body:     jsonErr("invalid_client", "bad Authorization: Basic "+basic),
			wantKind: auth.KindSecret,
			wantText: []string{"Basic [redacted]"},
		},
		// Point 13: bounded.
		{
			name: "a 900 KB description", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_grant", huge),
			wantKind: auth.KindCode,
			wantText: []string{"invalid_grant: very long very long", "… (HTTP 400)"},
		},
		{
			name: "a 900 KB error code", status: 400, contentType: "application/json",
			body:     jsonErr(huge, "x"),
			wantKind: auth.KindRequest,
			wantText: []string{"very long…: x (HTTP 400)"},
		},
		// Point 17: a redirect URI that does not match is a client setting.
		{
			name: "invalid_grant naming redirect_uri (Keycloak)", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_grant", "Incorrect redirect_uri"),
			wantKind: auth.KindRedirect,
			wantHint: []string{"No redirect_uri was sent: pass --redirect-uri"},
		},
		{
			name: "invalid_grant naming redirect_uri (fosite)", status: 400, contentType: "application/json",
			body: jsonErr("invalid_grant", "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token "+
				"is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client. "+
				`The "redirect_uri" from this request does not match the one from the authorize request.`),
			wantKind: auth.KindRedirect,
		},
		{
			name: "fosite: RFC 6749's list is not a fact", status: 400, contentType: "application/json",
			body: jsonErr("invalid_grant", "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token "+
				"is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client. "+
				"The authorization code has already been used."),
			wantKind: auth.KindCode,
			wantHint: []string{"single-use"},
		},
		{
			name: "oidc-provider: wrong redirect_uri, wrong verifier or a used code", status: 400, contentType: "application/json; charset=utf-8",
			body:     `{"error":"invalid_grant","error_description":"grant request is invalid"}`,
			wantKind: auth.KindCode,
			wantHint: []string{"single-use"},
		},
		// Point 18: PKCE.
		{
			name: "invalid_grant about the verifier (Google)", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_grant", "Invalid code verifier."),
			wantKind: auth.KindCode,
			wantHint: []string{"code_verifier does not match the code_challenge", "--code-verifier must be the verifier of that URL"},
		},
		{
			name: "invalid_grant about PKCE (Keycloak)", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_grant", "PKCE verification failed: Code mismatch"),
			wantKind: auth.KindCode,
			wantHint: []string{"--code-verifier"},
		},
		{
			name: "missing verifier (Google)", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_request", "Missing required parameter: code_verifier"),
			wantKind: auth.KindRequest,
			wantHint: []string{"--code-verifier"},
		},
		{
			// Read as a dead refresh token on a refresh only (TestRefreshErrors).
			name: "a code exchange refused in refresh-token words stays a request error", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_request", "Refresh token is invalid or has already been claimed by another client."),
			wantKind: auth.KindRequest,
			wantHint: []string{"malformed"},
		},
		// Point 19: which part of the client.
		{
			name: "oidc-provider: unknown client or wrong secret", status: 401, contentType: "application/json; charset=utf-8",
			body:     `{"error":"invalid_client","error_description":"client authentication failed"}`,
			wantKind: auth.KindSecret,
			wantHint: []string{"client ID", "client secret"},
		},
		{
			name: "invalid_client without a description", status: 401, contentType: "application/json",
			body:     `{"error":"invalid_client"}`,
			wantKind: auth.KindSecret,
			wantHint: []string{"both the client ID and the client secret"},
		},
		{
			name: "RFC 6749's list does not say the client is unknown", status: 401, contentType: "application/json",
			body:     jsonErr("invalid_client", "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."),
			wantKind: auth.KindSecret,
			wantHint: []string{"both the client ID and the client secret"},
		},
		{
			name: "Keycloak: invalid client or credentials", status: 401, contentType: "application/json",
			body:     jsonErr("unauthorized_client", "Invalid client or Invalid client credentials"),
			wantKind: auth.KindClientID,
			wantHint: []string{"authorization-code grant"},
		},
		{
			name: "a wrong secret, said so", status: 401, contentType: "application/json",
			body:     jsonErr("invalid_client", "The client secret supplied is incorrect."),
			wantKind: auth.KindSecret,
			wantHint: []string{"did not accept the client secret"},
		},
		{
			name: "Google: unknown client", status: 401, contentType: "application/json",
			body:     jsonErr("invalid_client", "The OAuth client was not found."),
			wantKind: auth.KindClientID,
			wantHint: []string{"does not know this client ID"},
		},
		{
			name: "fosite: unknown client", status: 401, contentType: "application/json",
			body: jsonErr("invalid_client", "Client authentication failed (e.g., unknown client, no client authentication included, "+
				"or unsupported authentication method). The requested OAuth 2.0 Client does not exist."),
			wantKind: auth.KindClientID,
			wantHint: []string{"does not know this client ID"},
		},
		{
			name: "unauthorized_client: unknown client", status: 400, contentType: "application/json",
			body:     jsonErr("unauthorized_client", "Unknown client"),
			wantKind: auth.KindClientID,
			wantHint: []string{"does not know this client ID"},
		},
		// Point 20: scope.
		{
			name: "invalid_scope", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid."),
			wantKind: auth.KindScope,
			wantHint: []string{"--scope"},
		},
		{
			name: "missing scope (Azure)", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'."),
			wantKind: auth.KindScope,
			wantHint: []string{"wants a scope", "--scope"},
		},
		{
			name: "missing scope", status: 400, contentType: "application/json",
			body:     jsonErr("invalid_request", "Missing required parameter: scope"),
			wantKind: auth.KindScope,
			wantHint: []string{"--scope"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.location != "" {
					w.Header().Set("Location", tt.location)
				}
				reply(tt.status, tt.contentType, tt.body)(w, r)
			})
			c := nestConfig(ts.TokenURL())
			c.ClientSecret = hostileSecret
			if tt.basic {
				c.AuthStyle = auth.AuthInHeader
			}
			tok, err := c.Exchange(t.Context(), "TB39DWND", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
			if tok != nil {
				t.Fatalf("Exchange returned a token %+v, want an error", tok)
			}
			e := asError(t, err)
			msg, hint := e.Error(), e.Hint()
			if e.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v; error: %.300s", e.Kind, tt.wantKind, msg)
			}
			if e.Status != tt.status {
				t.Errorf("Status = %d, want %d", e.Status, tt.status)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(msg, w) {
					t.Errorf("Error() = %.300q\nwant it to contain %q", msg, w)
				}
			}
			for _, w := range tt.wantHint {
				if !strings.Contains(hint, w) {
					t.Errorf("Hint() = %q\nwant it to contain %q", hint, w)
				}
			}
			for _, w := range tt.notHint {
				if strings.Contains(hint, w) {
					t.Errorf("Hint() = %q, want no %q", hint, w)
				}
			}
			if e.Retryable() != tt.retryable {
				t.Errorf("Retryable() = %v, want %v", e.Retryable(), tt.retryable)
			}
			for what, s := range map[string]string{"Error()": msg, "Hint()": hint, "Code": e.Code, "Description": e.Description,
				"Excerpt": e.Excerpt, "Location": e.Location} {
				for _, secret := range []string{"s3cr", "s3cr%2", "s3cr%2f", basic} {
					if strings.Contains(s, secret) {
						t.Errorf("%s = %.300q shows the secret (%q)", what, s, secret)
					}
				}
			}
			checkErrorSafe(t, e)
			maxText := tt.wantMaxText
			if maxText == 0 {
				maxText = 600
			}
			if len(msg) > maxText || utf8.RuneCountInString(e.Description) > 301 || utf8.RuneCountInString(e.Code) > 61 {
				t.Errorf("Error() is %d bytes (Code %d, Description %d runes), want at most %d: %.200q…",
					len(msg), utf8.RuneCountInString(e.Code), utf8.RuneCountInString(e.Description), maxText, msg)
			}
			if n := len(ts.Requests()); n != 1 {
				t.Errorf("the token endpoint got %d requests, want exactly 1", n)
			}
		})
	}
}

// A refresh token echoed by the server is a secret too.
func TestRefreshRedactsRefreshToken(t *testing.T) {
	const rt = "1//0gREFRESH-TOKEN"
	ts := newTokenServer(t, reply(400, "application/json", `{"error":"invalid_grant","error_description":"refresh token 1//0gREFRESH-TOKEN was revoked"}`))
	_, err := nestConfig(ts.TokenURL()).Refresh(t.Context(), rt)
	e := asError(t, err)
	if strings.Contains(e.Error(), "REFRESH-TOKEN") || !strings.Contains(e.Description, "refresh token [redacted] was revoked") {
		t.Errorf("Error() = %q, want the refresh token redacted", e.Error())
	}
}

// A token that holds the client secret is hidden whole, not around the
// secret: the longer value is redacted first.
func TestRefreshRedactsATokenHoldingTheSecret(t *testing.T) {
	rt := "1//0gREFRESH-" + testClientSecret + "-TAIL"
	ts := newTokenServer(t, reply(400, "application/json", `{"error":"invalid_grant","error_description":"refresh token `+rt+` was revoked"}`))
	_, err := nestConfig(ts.TokenURL()).Refresh(t.Context(), rt)
	if e := asError(t, err); e.Description != "refresh token [redacted] was revoked" {
		t.Errorf("Description = %q, want the whole refresh token redacted", e.Description)
	}
}

// A four-character token is redacted too; a shorter one would hide too much
// of the server's text.
func TestRefreshRedactsAFourCharacterToken(t *testing.T) {
	ts := newTokenServer(t, reply(400, "application/json", `{"error":"invalid_grant","error_description":"token wxyz is revoked"}`))
	_, err := nestConfig(ts.TokenURL()).Refresh(t.Context(), "wxyz")
	if e := asError(t, err); e.Description != "token [redacted] is revoked" {
		t.Errorf("Description = %q, want the token redacted", e.Description)
	}
}

// A network error names the token URL; when that URL holds the client
// secret (pasted into a query by mistake), the error does not show it.
func TestExchangeNetworkErrorRedactsTheSecretInTheURL(t *testing.T) {
	closed := newTokenServer(t, reply(http.StatusOK, "application/json", `{}`))
	dead := closed.TokenURL() + "?note=" + testClientSecret
	closed.Close()
	_, err := nestConfig(dead).Exchange(t.Context(), "TB39DWND", "")
	if e := asError(t, err); e.Kind != auth.KindNetwork || strings.Contains(err.Error(), testClientSecret) {
		t.Errorf("err = %v (kind %v); want a network error without the client secret", err, e.Kind)
	}
}

// A four-character client secret echoed in the Basic form is redacted.
func TestExchangeRedactsTheBasicFormOfAShortSecret(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(testClientID + ":abcd"))
	ts := newTokenServer(t, reply(http.StatusUnauthorized, "application/json", `{"error":"invalid_client","error_description":"bad `+basic+`"}`))
	cfg := nestConfig(ts.TokenURL())
	cfg.ClientSecret = "abcd"
	_, err := cfg.Exchange(t.Context(), "TB39DWND", "")
	if e := asError(t, err); strings.Contains(e.Description, basic) {
		t.Errorf("Description = %q shows the Basic credentials", e.Description)
	}
}

func TestSanitizeStripsC1AndBidi(t *testing.T) {
	var in strings.Builder
	for r := rune(0x80); r <= 0x9f; r++ {
		in.WriteString("a")
		in.WriteRune(r)
	}
	for _, r := range []rune{0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069} {
		in.WriteString("b")
		in.WriteRune(r)
	}
	got := auth.Sanitize(in.String())
	if want := strings.Repeat("a", 32) + strings.Repeat("b", 9); got != want {
		t.Errorf("Sanitize = %q, want %q", got, want)
	}
}

// An answer cut off mid-body is a network failure, not a server's verdict.
func TestExchangeConnectionBrokenMidBody(t *testing.T) {
	ts := newTokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"access_token":"c.`))
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
	})
	_, err := nestConfig(ts.TokenURL()).Exchange(t.Context(), "TB39DWND", "")
	e := asError(t, err)
	if e.Kind != auth.KindNetwork || e.Status != 200 || !strings.Contains(e.Error(), "connection broke") {
		t.Errorf("Kind, Status, Error() = %v, %d, %q; want network, 200, a broken connection", e.Kind, e.Status, e.Error())
	}
}
