package flow

import (
	"fmt"
	"net/url"
	"strings"

	"nestauth/auth"
)

// What both front ends say in the same words.

// Sentence capitalizes s and ends it with one full stop.
func Sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.TrimSuffix(s[1:], ".") + "."
}

// TookCode says what was taken out of a pasted text to get code, or "" when
// the text was the code itself.
func TookCode(code auth.Code, pasted string) string {
	switch {
	case code.FromURL && !code.StateChecked:
		return "Took the code out of the URL (it carried no state to check)."
	case code.Value != pasted:
		return "Took the code out of what you pasted."
	}
	return ""
}

// DemoApproved says what the demo server's approval gave, then: a PIN, or
// (Device Access) a redirect whose code was taken out of it.
func DemoApproved(got string, code auth.Code, then string) string {
	if code.FromURL {
		landing, _, _ := strings.Cut(got, "?")
		return fmt.Sprintf("The demo server approved and redirected to %s?code=…; %s", landing, then)
	}
	return fmt.Sprintf("The demo server approved and showed PIN %s; %s", got, then)
}

// SecretTakenOut is the hint for an empty client ID after a client secret
// was entered in its place and taken out.
const SecretTakenOut = "The client secret you entered was not kept: it goes in the next step. Here, enter the client ID, which ends in .apps.googleusercontent.com."

// Landing is the address a browser shows for a redirect URI: a bare host
// gets its "/" (https://www.google.com becomes https://www.google.com/).
func Landing(uri string) string {
	if u, err := url.Parse(uri); err == nil && u.Host != "" && u.Path == "" {
		u.Path = "/"
		return u.String()
	}
	return uri
}

// Texts of the Authorize step.
const (
	AuthorizeIntro = "Open this URL in a browser, sign in and press Allow:"
	NoRedirectNote = "No --redirect-uri was given: the server picks the client's registered one, and many refuse a request without it. Paste the code or the address you land on."
	NestShutDown   = "Works with Nest was shut down in 2023: its servers no longer answer. Google Nest Device Access (--provider sdm) is today's API."
)

// The loopback listener, as both front ends say it: why it cannot catch
// the redirect, that it listens on uri, and the ssh command that forwards
// its port from the person's computer to host.
func CannotListen(why string) string {
	return "Cannot catch the redirect: " + why + ". Paste the address instead."
}

func Listening(uri string) string {
	return "Listening on " + uri + ": the browser's redirect brings the code here. Pasting works too."
}

const ForwardPortIntro = "Over SSH, forward the port from your computer first:"

func ForwardPort(port, host string) string {
	return fmt.Sprintf("  ssh -L %s:127.0.0.1:%s %s", port, port, host)
}
