package auth

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Usage errors: a value a person gave is missing or malformed. None is sent
// anywhere.
var (
	ErrNoClientID     = errors.New("client ID is empty")
	ErrClientIDSpaces = errors.New("client ID contains spaces")
	ErrClientIDLong   = errors.New("client ID is too long (over 512 characters): paste the ID alone")
	// ErrClientIDIsSecret never quotes the value: it is a secret.
	ErrClientIDIsSecret = errors.New("that is a Google client secret (it starts with GOCSPX-), not a client ID, which ends in .apps.googleusercontent.com")
	ErrNoClientSecret   = errors.New("client secret is empty")
	// ErrSecretLines never quotes the value: it is a secret.
	ErrSecretLines    = errors.New("the client secret has more than one line: give the secret alone, on one line")
	ErrNoProjectID    = errors.New("the Device Access project ID is empty")
	ErrCloudProjectID = errors.New("that looks like a Google Cloud project ID, not a Device Access project ID")
	ErrBadProjectID   = errors.New("that is not a Device Access project ID, which is a UUID")
	ErrInsecureURL    = errors.New("refusing a plain http:// endpoint that is not on this machine (loopback)")
	ErrBadEndpointURL = errors.New("the endpoint is not an absolute http(s) URL")
	ErrBadPort        = errors.New("the port is outside 1-65535")
)

// MaxClientID bounds a client ID; real ones are under 100 characters.
const MaxClientID = 512

// ParseClientID cleans a client ID as given (surrounding blanks, quotes and
// a trailing comma copied out of a JSON credentials file, invisible
// characters) and checks it. With an error the cleaned value comes back too,
// for a field that keeps what was typed; never show it after
// ErrClientIDIsSecret.
func ParseClientID(s string) (string, error) {
	id := normalizeClientID(s)
	return id, checkClientID(id)
}

func normalizeClientID(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(Sanitize(s)), ",")
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"'`+"`"))
}

// checkClientID checks a client ID as it will be sent.
func checkClientID(id string) error {
	switch {
	case id == "":
		return ErrNoClientID
	case strings.ContainsFunc(id, isSpace):
		return ErrClientIDSpaces
	case len(id) > MaxClientID:
		return ErrClientIDLong
	case isGoogleSecret(id):
		return ErrClientIDIsSecret
	}
	return nil
}

// isGoogleSecret reports whether s is a Google OAuth client secret.
func isGoogleSecret(s string) bool {
	return len(s) >= 7 && strings.EqualFold(s[:7], "GOCSPX-")
}

// ParseSecret trims a client secret as given: blanks and a byte order mark,
// which files and pastes bring along. Empty is ErrNoClientSecret unless p
// allows a public client; a line break left inside is ErrSecretLines (a
// file of two lines is the wrong file): the one place that decides.
func (p Provider) ParseSecret(s string) (string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "\uFEFF"))
	switch {
	case s == "" && !p.PublicClient:
		return "", ErrNoClientSecret
	case strings.ContainsAny(s, "\r\n"):
		return "", ErrSecretLines
	}
	return s, nil
}

// ProjectIDHelp says where the Device Access project ID is found.
const ProjectIDHelp = "Find it in the Device Access Console (console.nest.google.com/device-access), " +
	"under your project's name: a UUID such as 0a1b2c3d-1234-5678-9abc-0123456789ab."

// ParseProjectID takes a Device Access project ID out of what was given (the
// ID with quotes or braces, or a Device Access Console URL that names it)
// and checks it, catching the common mistake of giving the Google Cloud
// project ID instead. With an error the cleaned value comes back too.
func ParseProjectID(s string) (string, error) {
	id := normalizeProjectID(s)
	return id, checkProjectID(id)
}

func normalizeProjectID(s string) string {
	if id := findUUID(s); id != "" {
		return strings.ToLower(id)
	}
	return strings.Trim(strings.TrimSpace(s), `"'{}<>`+"`")
}

// checkProjectID checks a project ID as it will be sent.
func checkProjectID(id string) error {
	switch {
	case id == "":
		return ErrNoProjectID
	case isUUID(id):
		return nil
	case isCloudProjectID(id) && strings.Contains(id, "-"):
		return ErrCloudProjectID // such as my-project-123456
	}
	return ErrBadProjectID
}

const uuidLen = len("0a1b2c3d-1234-5678-9abc-0123456789ab")

// isUUID reports whether s is a UUID written 8-4-4-4-12 in hex digits.
func isUUID(s string) bool {
	if len(s) != uuidLen {
		return false
	}
	for i := range len(s) {
		switch c := s[i]; i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHexDigit(c) {
				return false
			}
		}
	}
	return true
}

// findUUID returns the first UUID in s, or "".
func findUUID(s string) string {
	for i := 0; i+uuidLen <= len(s); i++ {
		if isUUID(s[i : i+uuidLen]) {
			return s[i : i+uuidLen]
		}
	}
	return ""
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isCloudProjectID reports whether s has the shape of a Google Cloud project
// ID: 6 to 30 lowercase letters, digits and hyphens, starting with a letter
// and not ending with a hyphen.
func isCloudProjectID(s string) bool {
	if len(s) < 6 || len(s) > 30 || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ValidateEndpoint refuses what nestauth must never send a secret to:
// anything but https, or http on a loopback host.
func ValidateEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadEndpointURL, raw)
	}
	if err := checkPort(u); err != nil {
		return err
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: %s", ErrInsecureURL, raw)
	}
	return fmt.Errorf("%w: %q", ErrBadEndpointURL, raw)
}

// checkPort refuses a URL whose port no connection can have: 0, or above
// 65535 (url.Parse takes any digits).
func checkPort(u *url.URL) error {
	p := u.Port()
	if p == "" {
		return nil
	}
	if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%w: %q", ErrBadPort, Sanitize(u.Redacted()))
	}
	return nil
}

// isLoopbackRedirect reports whether u is an http redirect URI on a loopback
// host with an explicit port (RFC 8252 §7.3), one nestauth can listen on.
func isLoopbackRedirect(u *url.URL) bool {
	return u.Scheme == "http" && u.Port() != "" && IsLoopbackHost(u.Hostname())
}

// IsLoopbackHost reports whether host is localhost or a loopback IP literal.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
