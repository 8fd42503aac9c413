package auth_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"nestauth/auth"
)

func FuzzParseCode(f *testing.F) {
	seeds := []struct{ input, state string }{
		{"TB39DWND", ""},
		{"TB39DWND\r\n", "S"},
		{`"4%2F0AeanS0b"`, ""},
		{"https://www.google.com/?code=4/0AeanS0b%2Fx&scope=https://www.googleapis.com/auth/sdm.service&state=S", "S"},
		{"https://www.google.com/?code=4%2F0Aean&state=EVIL", "S"},
		{"http://127.0.0.1:8085/cb?code=abc&state=S&iss=https%3A%2F%2Faccounts.google.com", "S"},
		{"https://app.example.com/cb#code=abc&state=S", "S"},
		{"https://app.example.com/cb?x=1#code=abc&state=EVIL", "S"},
		{"?error=access_denied&error_description=no&state=S", "S"},
		{"code=abc&state=", "S"},
		{"?code=%0A&state=S", "S"}, // a code that cleans to nothing is no code
		{"\x1b[200~TB39DWND\x1b[201~", ""},
		{"%", ""},
		{"", ""},
	}
	for _, s := range seeds {
		f.Add(s.input, s.state)
	}
	f.Fuzz(func(t *testing.T, input, wantState string) {
		parsed, err := auth.ParseCode(input, wantState)
		code := parsed.Value
		if err != nil {
			if code != "" {
				t.Errorf("ParseCode(%q, %q) = %q with error %v, want no code", input, wantState, code, err)
			}
			return
		}
		if code == "" {
			t.Fatalf("ParseCode(%q, %q) = \"\" without an error", input, wantState)
		}
		if !utf8.ValidString(code) {
			t.Errorf("ParseCode(%q, %q) = %q: invalid UTF-8", input, wantState, code)
		}
		for _, r := range code {
			if unicode.IsSpace(r) || unicode.IsControl(r) || unsafeRune(r) != "" {
				t.Fatalf("ParseCode(%q, %q) = %q: it contains %U", input, wantState, code, r)
			}
		}
		if wrongState(input, wantState) {
			t.Errorf("ParseCode(%q, %q) = %q: the URL's state is not ours, want an error", input, wantState, code)
		}
	})
}

// wrongState reports whether input is plainly a URL (printable ASCII with a
// scheme and host, or a bare "?query") carrying a non-empty state parameter
// other than want, or one that does not decode.
func wrongState(input, want string) bool {
	if want == "" || input == "" || strings.ContainsAny(input[:1]+input[len(input)-1:], "\"'<>`") {
		return false
	}
	for i := range len(input) {
		if input[i] <= ' ' || input[i] >= 0x7f {
			return false
		}
	}
	u, err := url.Parse(input)
	if err != nil || !((u.Scheme != "" && u.Host != "") || strings.HasPrefix(input, "?")) {
		return false
	}
	for pair := range strings.SplitSeq(u.RawQuery, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if k != "state" || v == "" {
			continue
		}
		if st, err := url.QueryUnescape(v); err != nil || st != want {
			return true
		}
	}
	return false
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"authorization code not found",
		"\x1b[31mred\x1b]0;title\x07\u202e",
		"\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
		"\x1bP+q\x1b\\\x1b_apc\x1b\\\x1b^pm\x1b\\",
		"a\x00b\x7fc\u0085d\u009b31me\u2066f\u200bg",
		"line\r\nline\ttab",
		"\xff\xfe\xc2",
		"\x1b\x00[31m",
		"Gerät ✓ 日本語",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := auth.Sanitize(s)
		checkTerminalSafe(t, "Sanitize("+strconv.Quote(s)+")", got)
		if again := auth.Sanitize(got); again != got {
			t.Errorf("Sanitize is not idempotent on %q: %q, then %q", s, got, again)
		}
		ex := auth.Excerpt([]byte(s))
		checkTerminalSafe(t, "Excerpt("+strconv.Quote(s)+")", ex)
		if n := utf8.RuneCountInString(ex); n > 121 {
			t.Errorf("Excerpt(%q) has %d runes, want at most 121", s, n)
		}
	})
}

// FuzzClassify runs Exchange against a token endpoint that answers with the
// fuzzed status, Content-Type and body.
func FuzzClassify(f *testing.F) {
	type answer struct {
		status      int
		contentType string
		body        []byte
	}
	var (
		answers sync.Map // path → answer
		next    atomic.Int64
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		v, ok := answers.LoadAndDelete(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		a := v.(answer)
		if a.contentType != "" {
			w.Header().Set("Content-Type", a.contentType)
		} else {
			w.Header()["Content-Type"] = nil
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	f.Cleanup(srv.Close)

	seeds := []answer{
		{200, "application/json", []byte(nestTokenJSON)},
		{200, "text/plain", []byte("access_token=A&expires_in=3600&scope=x")},
		{200, "application/json", []byte(`{"access_token":""}`)},
		{200, "application/json", []byte(`{"access_token":"A","expires_in":-99999999999}`)},
		{200, "application/x-www-form-urlencoded", []byte("access_token=A&expires_in=9223372036854775807")},
		{200, "text/html", []byte("<!doctype html><title>Sign in</title>")},
		{400, "application/json", []byte(`{"error":"oauth2_error","error_description":"authorization code not found"}`)},
		{400, "application/json", []byte(`{"error":"invalid_grant","error_description":"\u001b[31mred\u001b]0;title\u0007\u202e"}`)},
		{400, "text/html", []byte(`{"error":"invalid_\u009bclient"}`)},
		{400, "application/json", []byte(`{"error":42,"error_description":["x"]}`)},
		{401, "", nil},
		{302, "text/html", []byte("<a href=/x>Found</a>")},
		{500, "text/html", []byte("<p>\x1b[2J\xff\x00boom</p>")},
		{503, "application/json; charset=\x1b", []byte(`{"error":"temporarily_unavailable"}`)},
	}
	for _, s := range seeds {
		f.Add(s.status, s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		// 1xx answers are not final; keep to 200-599.
		status = 200 + (status%400+400)%400
		path := "/token/" + strconv.FormatInt(next.Add(1), 10)
		answers.Store(path, answer{status, contentType, body})
		defer answers.Delete(path)

		tok, err := nestConfig(srv.URL+path).Exchange(t.Context(), "TB39DWND", "")
		if err == nil {
			if tok == nil || tok.AccessToken == "" {
				t.Fatalf("Exchange = %+v with no error, want a token with an access_token", tok)
			}
			return
		}
		if tok != nil {
			t.Errorf("Exchange returned both %+v and %v", tok, err)
		}
		e := asError(t, err)
		switch e.Kind {
		case auth.KindCode, auth.KindClientID, auth.KindSecret, auth.KindRedirect,
			auth.KindScope, auth.KindRequest, auth.KindNetwork, auth.KindServer:
		default:
			t.Errorf("Kind = %v for an answer (error %q)", e.Kind, e.Error())
		}
		if e.Refresh {
			t.Error("Refresh = true for a code exchange")
		}
		checkErrorSafe(t, e)
		if n := utf8.RuneCountInString(e.Excerpt); n > 121 {
			t.Errorf("Excerpt has %d runes, want at most 121", n)
		}
		if e.Hint() == "" {
			t.Errorf("no Hint() for kind %v", e.Kind)
		}
	})
}
