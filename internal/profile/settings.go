package profile

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"nestauth/auth"
	"nestauth/internal/output"
)

// Settings are a profile's non-secret values: what the settings file holds.
type Settings struct {
	Provider    string // provider ID: sdm, nest or custom
	ClientID    string
	ProjectID   string
	AuthURL     string
	TokenURL    string
	RevokeURL   string
	RedirectURI string
	Scopes      []string
	AuthParams  [][2]string // extra authorization URL parameters
	AuthStyle   auth.AuthStyle
	PKCE        bool
	SecretsIn   Backend // where the profile's secrets are kept

	// The other endpoints the run used, and how it signed in; empty ones
	// keep the provider's own (a file older than these keys has none).
	Issuer      string // where the endpoints were discovered, if they were
	DeviceURL   string
	CheckURL    string
	APIURL      string // the API origin check calls (sdm, nest)
	UserinfoURL string
	Flow        string // FlowDevice, FlowCode, or "" when not known
}

// The flows a profile signs in with.
const (
	FlowCode   = "code"   // the browser's authorization code
	FlowDevice = "device" // the device authorization grant (RFC 8628)
)

// SettingsFor takes the non-secret values of cfg.
func SettingsFor(cfg auth.Config, in Backend) Settings {
	p := cfg.Provider
	return Settings{
		Provider:    p.ID,
		ClientID:    cfg.ClientID,
		ProjectID:   cfg.ProjectID,
		AuthURL:     p.AuthURL,
		TokenURL:    p.TokenURL,
		RevokeURL:   p.RevokeURL,
		DeviceURL:   p.DeviceURL,
		CheckURL:    p.CheckURL,
		APIURL:      apiURLFor(p),
		UserinfoURL: p.UserinfoURL,
		RedirectURI: p.RedirectURI,
		Scopes:      append([]string(nil), p.Scopes...),
		AuthParams:  append([][2]string(nil), p.AuthParams...),
		AuthStyle:   p.AuthStyle,
		PKCE:        p.PKCE,
		SecretsIn:   in,
	}
}

// apiURLFor is p's API origin when it is not the preset's own: a profile
// keeps only what differs, so a file stays as it was for the real API.
func apiURLFor(p auth.Provider) string {
	if preset, ok := auth.LookupProvider(p.ID); ok && preset.APIURL == p.APIURL {
		return ""
	}
	return p.APIURL
}

// Config is the auth configuration these settings describe, with secret as
// the client secret.
func (s Settings) Config(secret string) (auth.Config, error) {
	p, ok := auth.LookupProvider(s.Provider)
	if !ok {
		return auth.Config{}, fmt.Errorf("unknown provider %q: use sdm, nest or custom", s.Provider)
	}
	p.AuthURL, p.TokenURL, p.RedirectURI = s.AuthURL, s.TokenURL, s.RedirectURI
	// Empty keeps the provider's own (sdm, nest).
	p.RevokeURL = cmp.Or(s.RevokeURL, p.RevokeURL)
	p.DeviceURL = cmp.Or(s.DeviceURL, p.DeviceURL)
	p.CheckURL = cmp.Or(s.CheckURL, p.CheckURL)
	p.APIURL = cmp.Or(s.APIURL, p.APIURL)
	p.UserinfoURL = cmp.Or(s.UserinfoURL, p.UserinfoURL)
	p.Scopes = append([]string(nil), s.Scopes...)
	p.AuthParams = append([][2]string(nil), s.AuthParams...)
	p.AuthStyle, p.PKCE = s.AuthStyle, s.PKCE
	return auth.Config{Provider: p, ClientID: s.ClientID, ClientSecret: secret, ProjectID: s.ProjectID}, nil
}

// SettingsFile is the settings file's name in the settings directory.
const SettingsFile = "profiles.conf"

// maxSettingsFile bounds what is read: a wrong file must not fill memory.
const maxSettingsFile = 1 << 20

// ErrBadName is a profile name nestauth refuses.
var ErrBadName = errors.New("a profile name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")

// ValidateName checks a profile name.
func ValidateName(name string) error {
	// It becomes part of keyring entry names.
	if len(name) > 64 || !isKey(name) || !isAlnum(name[0]) {
		return fmt.Errorf("profile %q: %w", auth.Sanitize(name), ErrBadName)
	}
	return nil
}

// isKey reports whether s is one or more letters, digits, '.', '_' or '-'
// (a settings key, or a profile name). Hand-written: nothing compiles at init.
func isKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return s != ""
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// The keys nestauth writes, in the order it writes them.
var knownKeys = []string{"provider", "client_id", "project_id", "auth_url", "token_url", "revoke_url",
	"redirect_uri", "scopes", "auth_params", "auth_style", "pkce", "secrets",
	"issuer", "device_url", "check_url", "api_url", "userinfo_url", "flow"}

func isKnownKey(k string) bool {
	for _, known := range knownKeys {
		if k == known {
			return true
		}
	}
	return false
}

// settingsFile is the settings file as its lines, so that a rewrite keeps
// what nestauth does not own: comments, blank lines, unknown keys.
type settingsFile struct {
	path     string
	lines    []string
	sections []section
}

// section is one [profile NAME] block: lines[start] is its header, end is
// the index after its last line.
type section struct {
	name       string
	start, end int
	settings   Settings
	err        error // a value nestauth cannot use; the file still parses
}

func (f *settingsFile) find(name string) *section {
	for i := range f.sections {
		if f.sections[i].name == name {
			return &f.sections[i]
		}
	}
	return nil
}

// readSettingsFile reads and parses the settings file; a missing file is an
// empty one.
func readSettingsFile(path string) (*settingsFile, error) {
	b, err := readLimited(path, maxSettingsFile)
	if errors.Is(err, os.ErrNotExist) {
		return &settingsFile{path: path}, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := parseSettings(path, b)
	var fe *FileError
	if target, lerr := os.Readlink(path); errors.As(err, &fe) && lerr == nil {
		fe.Err = fmt.Errorf("%w (%s is a link to %s: is it the right file?)", fe.Err, SettingsFile, auth.Sanitize(target))
	}
	return f, err
}

// parseSettings reads the INI-like format:
//
//	# a comment
//	[profile NAME]
//	key = value
//
// A line it cannot read fails the whole file, reported by line number
// alone: a wrong file (a link to another) must not have its text printed. A
// value it cannot use fails only its profile, so the others still load and
// the damaged one can be forgotten.
func parseSettings(path string, b []byte) (*settingsFile, error) {
	f := &settingsFile{path: path}
	text := strings.TrimPrefix(string(b), "\uFEFF")
	if text != "" {
		f.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	}
	fail := func(i int, format string, a ...any) error {
		return &FileError{Path: path, Line: i + 1, Err: fmt.Errorf(format, a...)}
	}
	var cur *section
	seen := map[string]int{} // key → line index in the current section
	vals := map[string]string{}
	finish := func(end int) {
		if cur == nil {
			return
		}
		cur.end = end
		cur.settings, cur.err = decodeSettings(path, cur.start, seen, vals)
		f.sections = append(f.sections, *cur)
	}
	for i, raw := range f.lines {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		f.lines[i] = strings.TrimSuffix(raw, "\r")
		if !utf8.ValidString(line) {
			return nil, fail(i, "not UTF-8 text")
		}
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			name, ok := parseHeader(line)
			if !ok {
				return nil, fail(i, "not a section header: write [profile NAME]")
			}
			if ValidateName(name) != nil {
				return nil, fail(i, "%v", ErrBadName)
			}
			if f.find(name) != nil || cur != nil && cur.name == name {
				return nil, fail(i, "profile %q appears twice", name)
			}
			finish(i)
			cur = &section{name: name, start: i}
			seen, vals = map[string]int{}, map[string]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if !ok || !isKey(k) {
				return nil, fail(i, "not key = value, a [profile NAME] header or a # comment")
			}
			if cur == nil {
				return nil, fail(i, "a setting outside a [profile NAME] section")
			}
			if !isKnownKey(k) {
				continue // kept as it is on a rewrite
			}
			if prev, dup := seen[k]; dup {
				return nil, fail(i, "%s is set twice in profile %q (first on line %d)", k, cur.name, prev+1)
			}
			seen[k], vals[k] = i, v
		}
	}
	finish(len(f.lines))
	return f, nil
}

// parseHeader reads "[profile NAME]".
func parseHeader(line string) (string, bool) {
	inner, ok := strings.CutSuffix(strings.TrimPrefix(line, "["), "]")
	if !ok {
		return "", false
	}
	kind, name, ok := strings.Cut(strings.TrimSpace(inner), " ")
	if !ok || kind != "profile" {
		return "", false
	}
	return strings.TrimSpace(name), true
}

// decodeSettings turns a section's known keys into Settings. An absent key
// takes the provider's default, so a hand-written profile may be short.
func decodeSettings(path string, header int, lines map[string]int, vals map[string]string) (Settings, error) {
	fail := func(k string, err error) error {
		return &FileError{Path: path, Line: lines[k] + 1, Err: fmt.Errorf("%s: %w", k, err)}
	}
	id, ok := vals["provider"]
	if !ok {
		return Settings{}, &FileError{Path: path, Line: header + 1, Err: errors.New("the profile has no provider = sdm, nest or custom")}
	}
	p, ok := auth.LookupProvider(id)
	if !ok {
		return Settings{}, fail("provider", fmt.Errorf("unknown provider %q: use sdm, nest or custom", auth.Sanitize(id)))
	}
	s := SettingsFor(auth.Config{Provider: p}, Keyring)
	for _, k := range knownKeys {
		v, ok := vals[k]
		if !ok {
			continue
		}
		if err := checkValue(v); err != nil {
			return Settings{}, fail(k, err)
		}
		var err error
		switch k {
		case "client_id":
			s.ClientID = v
		case "project_id":
			s.ProjectID = v
		case "auth_url":
			s.AuthURL, err = v, checkURL(v)
		case "token_url":
			s.TokenURL, err = v, checkURL(v)
		case "revoke_url":
			s.RevokeURL, err = v, checkURL(v)
		case "issuer":
			s.Issuer, err = v, checkURL(v)
		case "device_url":
			s.DeviceURL, err = v, checkURL(v)
		case "check_url":
			s.CheckURL, err = v, checkURL(v)
		case "api_url":
			s.APIURL, err = v, checkURL(v)
		case "userinfo_url":
			s.UserinfoURL, err = v, checkURL(v)
		case "flow":
			s.Flow, err = v, checkFlow(v)
		case "redirect_uri":
			s.RedirectURI = v
		case "scopes":
			if s.Scopes = strings.Fields(v); len(s.Scopes) == 0 {
				s.Scopes = nil
			}
		case "auth_params":
			s.AuthParams, err = parseParams(v)
		case "auth_style":
			s.AuthStyle, err = parseAuthStyle(v)
		case "pkce":
			s.PKCE, err = strconv.ParseBool(v)
			if err != nil {
				err = fmt.Errorf("%q is not true or false", v)
			}
		case "secrets":
			s.SecretsIn, err = ParseBackend(v)
		}
		if err != nil {
			return Settings{}, fail(k, err)
		}
	}
	return s, nil
}

func checkFlow(v string) error {
	if v != "" && v != FlowCode && v != FlowDevice {
		return fmt.Errorf("%q is not %s or %s", auth.Sanitize(v), FlowCode, FlowDevice)
	}
	return nil
}

func checkURL(v string) error {
	if v == "" {
		return nil
	}
	return auth.ValidateEndpoint(strings.ReplaceAll(v, "{project}", "p"))
}

// checkValue refuses what a value cannot hold: a control character would
// reach the terminal, a newline would start another line of the file.
func checkValue(v string) error {
	for _, r := range v {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return fmt.Errorf("a control character or invalid text in %q", auth.Sanitize(v))
		}
	}
	return nil
}

func parseAuthStyle(v string) (auth.AuthStyle, error) {
	switch strings.ToLower(v) {
	case "post", "":
		return auth.AuthInParams, nil
	case "basic":
		return auth.AuthInHeader, nil
	}
	return auth.AuthInParams, fmt.Errorf("%q is not post or basic", v)
}

func authStyleName(s auth.AuthStyle) string {
	if s == auth.AuthInHeader {
		return "basic"
	}
	return "post"
}

// parseParams reads "k=v&k2=v2", URL-encoded, keeping the order.
func parseParams(v string) ([][2]string, error) {
	var out [][2]string
	for _, kv := range strings.Split(v, "&") {
		if kv == "" {
			continue
		}
		k, val, _ := strings.Cut(kv, "=")
		uk, err1 := url.QueryUnescape(k)
		uv, err2 := url.QueryUnescape(val)
		if err := errors.Join(err1, err2); err != nil || uk == "" {
			return nil, fmt.Errorf("%q is not key=value&key=value", v)
		}
		out = append(out, [2]string{uk, uv})
	}
	return out, nil
}

func formatParams(ps [][2]string) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = url.QueryEscape(p[0]) + "=" + url.QueryEscape(p[1])
	}
	return strings.Join(parts, "&")
}

// encode is s as the file's keys, in knownKeys order.
func (s Settings) encode() map[string]string {
	return map[string]string{
		"provider":     s.Provider,
		"client_id":    s.ClientID,
		"project_id":   s.ProjectID,
		"auth_url":     s.AuthURL,
		"token_url":    s.TokenURL,
		"revoke_url":   s.RevokeURL,
		"redirect_uri": s.RedirectURI,
		"scopes":       strings.Join(s.Scopes, " "),
		"auth_params":  formatParams(s.AuthParams),
		"auth_style":   authStyleName(s.AuthStyle),
		"pkce":         strconv.FormatBool(s.PKCE),
		"secrets":      s.SecretsIn.String(),
		"issuer":       s.Issuer,
		"device_url":   s.DeviceURL,
		"check_url":    s.CheckURL,
		"api_url":      s.APIURL,
		"userinfo_url": s.UserinfoURL,
		"flow":         s.Flow,
	}
}

// validate refuses settings that would not read back as they are.
func (s Settings) validate() error {
	if _, ok := auth.LookupProvider(s.Provider); !ok {
		return fmt.Errorf("unknown provider %q: use sdm, nest or custom", auth.Sanitize(s.Provider))
	}
	if _, err := ParseBackend(s.SecretsIn.String()); err != nil {
		return err
	}
	vals := s.encode()
	for _, k := range knownKeys {
		v := vals[k]
		if err := checkValue(v); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if v != strings.TrimSpace(v) {
			return fmt.Errorf("%s: %q begins or ends with a space", k, v)
		}
	}
	for _, u := range []string{s.AuthURL, s.TokenURL, s.RevokeURL, s.Issuer, s.DeviceURL, s.CheckURL, s.APIURL, s.UserinfoURL} {
		if err := checkURL(u); err != nil {
			return err
		}
	}
	return checkFlow(s.Flow)
}

// put replaces or adds profile name. Known keys are rewritten where they
// stand; unknown keys and comments stay. Every known key is written, an
// empty one too: empty means empty, absent means the provider's default.
func (f *settingsFile) put(name string, s Settings) {
	vals := s.encode()
	block := []string{"[profile " + name + "]"}
	done := map[string]bool{}
	sec := f.find(name)
	if sec != nil {
		for _, line := range f.lines[sec.start+1 : sec.end] {
			k, _, ok := strings.Cut(strings.TrimSpace(line), "=")
			k = strings.TrimSpace(k)
			if ok && isKnownKey(k) {
				if !done[k] {
					block = append(block, strings.TrimSpace(k+" = "+vals[k]))
				}
				done[k] = true
				continue
			}
			block = append(block, line)
		}
	}
	n := len(block) - trailer(block[1:]) // blank and comment lines before the next section stay last
	tail := append([]string(nil), block[n:]...)
	block = block[:n]
	for _, k := range knownKeys {
		if !done[k] {
			block = append(block, strings.TrimSpace(k+" = "+vals[k]))
		}
	}
	block = append(block, tail...)
	if sec == nil {
		if len(f.lines) == 0 {
			f.lines = append(append([]string(nil), fileHeader...), "")
		}
		if strings.TrimSpace(f.lines[len(f.lines)-1]) != "" {
			f.lines = append(f.lines, "")
		}
		f.lines = append(f.lines, block...)
		return
	}
	f.lines = append(f.lines[:sec.start:sec.start], append(block, f.lines[sec.end:]...)...)
}

// remove deletes profile name's section and reports whether it was there.
// Blank and comment lines at its end stay: they are about the next section.
func (f *settingsFile) remove(name string) bool {
	sec := f.find(name)
	if sec == nil {
		return false
	}
	end := sec.end - trailer(f.lines[sec.start+1:sec.end])
	// Without a line of its own before it, the section's blank lines go too.
	for end < len(f.lines) && strings.TrimSpace(f.lines[end]) == "" && (sec.start == 0 || strings.TrimSpace(f.lines[sec.start-1]) == "") {
		end++
	}
	f.lines = append(f.lines[:sec.start:sec.start], f.lines[end:]...)
	return true
}

// trailer counts the blank and comment lines that end lines.
func trailer(lines []string) int {
	n := 0
	for n < len(lines) {
		l := strings.TrimSpace(lines[len(lines)-1-n])
		if l != "" && l[0] != '#' && l[0] != ';' {
			break
		}
		n++
	}
	return n
}

// fileHeader opens a settings file that nestauth creates.
var fileHeader = []string{
	"# nestauth profiles: settings only. Secrets are in the OS keyring, or in",
	"# secrets.json beside this file for a profile with secrets = file.",
	"# Edit freely: nestauth keeps comments and keys it does not know.",
}

func (f *settingsFile) bytes() []byte {
	lines := f.lines
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// write saves the file atomically; an empty file is removed.
func (f *settingsFile) write() error {
	b := f.bytes()
	if len(bytes.TrimSpace(b)) == 0 || onlyHeader(f.lines) {
		err := os.Remove(f.path)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	return output.WriteFileAtomic(f.path, b, true)
}

// onlyHeader reports whether lines hold nothing but nestauth's own header
// and blank lines: the file is empty for a person.
func onlyHeader(lines []string) bool {
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		header := false
		for _, h := range fileHeader {
			header = header || l == h
		}
		if !header {
			return false
		}
	}
	return true
}
