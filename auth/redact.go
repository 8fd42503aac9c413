package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
)

// redactor hides the secrets of one request in what the server says back:
// apply is the one function that does it; clean, excerpt and sanitize
// build on it.
type redactor []string // every form of every secret, longest first

// minRedacted: a shorter "secret" would blank out ordinary words.
const minRedacted = 4

// newRedactor returns what hides the client secret and the tokens sent (a
// refresh token, an access token) in the forms a server may echo them: raw,
// in JSON or HTML, in base64 (standard or URL-safe, with or without
// padding), and the Basic header's id:secret in base64 too; apply also
// finds each of these once percent- or form-decoded.
func newRedactor(clientID, clientSecret string, tokens ...string) redactor {
	var bases []string
	for _, s := range append([]string{clientSecret}, tokens...) {
		if len(s) >= minRedacted {
			bases = append(bases, s)
			bases = append(bases, base64Forms(s)...)
		}
	}
	if len(clientSecret) >= minRedacted {
		// The Basic header: RFC 6749 §2.3.1 form-encodes both first
		// (as nestauth sends it); some servers echo them as they were.
		bases = append(bases, base64Forms(url.QueryEscape(clientID)+":"+url.QueryEscape(clientSecret))...)
		bases = append(bases, base64Forms(clientID+":"+clientSecret)...)
	}
	var r redactor
	for _, b := range bases {
		r = append(r, b, html.EscapeString(b))
		for _, j := range jsonForms(b) {
			r = append(r, j, strings.ReplaceAll(j, "/", `\/`)) // PHP escapes slashes
		}
	}
	slices.SortFunc(r, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(r)
}

// base64Forms is s in standard and URL-safe base64, with and without
// padding.
func base64Forms(s string) []string {
	var out []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		out = append(out, enc.EncodeToString([]byte(s)))
	}
	return out
}

// jsonForms is s inside a JSON string, with and without Go's HTML escapes.
func jsonForms(s string) []string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	plain := strings.TrimSuffix(b.String(), "\n")
	escaped, _ := json.Marshal(s)
	return []string{plain[1 : len(plain)-1], string(escaped[1 : len(escaped)-1])}
}

// apply replaces every secret in s with [redacted]: every form of it, found
// in s as it is, and in s percent-decoded (any %XX, either hex case, beside
// whatever was left unescaped; once and twice, with and without + as a
// space). What any of them covers is hidden; overlapping finds are one.
func (r redactor) apply(s string) string {
	if len(r) == 0 || s == "" {
		return s
	}
	hide := make([]bool, len(s))
	views := []decoded{identity(s)}
	if strings.Contains(s, "%") || strings.Contains(s, "+") {
		for _, plus := range []bool{false, true} {
			once := views[0].decode(plus)
			views = append(views, once)
			if strings.Contains(once.text, "%") {
				views = append(views, once.decode(plus))
			}
		}
	}
	for _, v := range views {
		for _, form := range r {
			for i := 0; i+len(form) <= len(v.text); {
				j := strings.Index(v.text[i:], form)
				if j < 0 {
					break
				}
				for k := v.from[i+j]; k < v.from[i+j+len(form)]; k++ {
					hide[k] = true
				}
				i += j + 1
			}
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case !hide[i]:
			b.WriteByte(s[i])
		case i == 0 || !hide[i-1]:
			b.WriteString("[redacted]")
		}
	}
	return b.String()
}

// decoded is a view of a text: text, and for each of its bytes i the
// original bytes from[i] up to from[i+1] it stands for.
type decoded struct {
	text string
	from []int32 // len(text)+1 offsets into the original (at most maxBody)
}

func identity(s string) decoded {
	from := make([]int32, len(s)+1)
	for i := range from {
		from[i] = int32(i)
	}
	return decoded{s, from}
}

// decode percent-decodes d, every %XX whatever the case of its hex digits,
// and + as a space when plus; anything else, a malformed % too, stays.
func (d decoded) decode(plus bool) decoded {
	var b strings.Builder
	from := make([]int32, 0, len(d.text)+1)
	s := d.text
	for i := 0; i < len(s); {
		from = append(from, d.from[i])
		switch {
		case s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 3
		case s[i] == '+' && plus:
			b.WriteByte(' ')
			i++
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	from = append(from, d.from[len(s)])
	return decoded{b.String(), from}
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// clean makes a piece of server text fit to show: redacted, sanitized and cut
// to n runes. The whole text is redacted before it is cut, so a cut never
// leaves a piece of a secret behind; what sanitizing joins is redacted again.
func (r redactor) clean(s string, n int) string { return cut(r.sanitize(s, 4*n), n) }

// excerpt is Excerpt, redacted.
func (r redactor) excerpt(body []byte) string { return oneLine(r.sanitize(string(body), 4*maxExcerpt)) }

// sanitize redacts s, keeps its first n bytes, and sanitizes them.
func (r redactor) sanitize(s string, n int) string {
	s = r.apply(s)
	return r.apply(Sanitize(s[:min(len(s), n)]))
}
