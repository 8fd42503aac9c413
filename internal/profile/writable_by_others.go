package profile

import "fmt"

// UntrustedError is a settings directory or file that another user could
// change (checkTrusted): nestauth reads none of it.
type UntrustedError struct {
	Path string
	Why  string // "can be changed by others (mode 0777)"
	Fix  string // a sentence: what to run
}

func (e *UntrustedError) Error() string {
	return fmt.Sprintf("%s %s: whoever can change it chooses where nestauth sends your secrets, so nestauth will not use it. %s",
		e.Path, e.Why, e.Fix)
}
