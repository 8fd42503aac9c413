package profile

import (
	"errors"
	"fmt"
	"strings"
)

// KeyringLeftError is Forget's word that it deleted a profile's settings
// while the OS keyring could not be reached: the profile is gone, but its
// keyring entries may remain. Forget of the same name, once the keyring can
// be reached, deletes them.
type KeyringLeftError struct {
	Name    string
	Entries []string // the keyring users that may remain: "NAME/client_secret", …
	Err     error    // the keyring's *KeyringError
}

func (e *KeyringLeftError) Error() string {
	what := "it refused"
	var ke *KeyringError
	if errors.As(e.Err, &ke) {
		what, _ = keyringTrouble(ke.Err)
	}
	return fmt.Sprintf("%s cannot be reached (%s), so the profile's keyring entries %s (service %s) may remain",
		keyringName(), what, strings.Join(e.Entries, ", "), Service)
}

func (e *KeyringLeftError) Unwrap() error { return e.Err }

// keyringLeft is what remains of name's keyring entries after a remove that
// deleted only deleted (as remove words them) and failed with err.
func keyringLeft(name string, deleted []string, err error) *KeyringLeftError {
	e := &KeyringLeftError{Name: name, Err: err}
	for _, what := range entries {
		user := name + "/" + what
		gone := false
		for _, d := range deleted {
			gone = gone || strings.HasSuffix(d, " "+user)
		}
		if !gone {
			e.Entries = append(e.Entries, user)
		}
	}
	return e
}
