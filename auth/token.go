package auth

import (
	"errors"
	"fmt"
	"time"
)

// Token is a token endpoint's answer, as nestauth shows and prints it.
type Token struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Scope        string    `json:"scope,omitempty"`
	ExpiresIn    int64     `json:"expires_in,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	// Dropped, when set, says in a sentence why the refresh token of the
	// server's answer was dropped: the access token came through whole.
	Dropped string `json:"-"`
}

// errUnprintableToken: RFC 6749 §A.12 and §A.17 allow only printable ASCII
// in tokens; anything else could carry escape sequences to the terminal.
var errUnprintableToken = errors.New("the server sent a token " + unprintable)

const unprintable = "with characters a token cannot have (RFC 6749 allows printable ASCII only)"

// check refuses an access token that is not printable ASCII. A refresh
// token that is not is dropped, with why in Dropped: the access token is
// worth having without it, and the code that bought them is spent.
func (t *Token) check() error {
	if !printableToken(t.AccessToken) {
		return errUnprintableToken
	}
	if !printableToken(t.RefreshToken) {
		t.RefreshToken = ""
		t.Dropped = "the server sent a refresh token " + unprintable + ", so it was dropped"
	}
	return nil
}

func printableToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Lifetime says in words how long a token lives, counted from now:
// "expires in 3650 days, on 2036-11-26". Empty when the server gave no expiry.
func (t *Token) Lifetime(now time.Time) string {
	if t.Expiry.IsZero() {
		return ""
	}
	d := t.Expiry.Sub(now)
	if d <= 0 {
		return "expired on " + t.Expiry.Local().Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("expires in %s, on %s", Duration(d), t.Expiry.Local().Format(dateLayout(d)))
}

func dateLayout(d time.Duration) string {
	if d >= 48*time.Hour {
		return "2006-01-02"
	}
	return "2006-01-02 15:04 MST"
}

// Duration says d in the largest whole unit that reads naturally.
// It rounds to the nearest unit, so a token of 3600 s read a moment later is
// still "60 minutes", not "59".
func Duration(d time.Duration) string {
	round := func(unit time.Duration) int64 { return int64((d + unit/2) / unit) }
	switch {
	case d >= 48*time.Hour:
		return plural(round(24*time.Hour), "day")
	case d >= 2*time.Hour:
		return plural(round(time.Hour), "hour")
	case d >= 2*time.Minute:
		return plural(round(time.Minute), "minute")
	}
	return plural(round(time.Second), "second")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
