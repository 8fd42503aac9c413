package cli

import (
	"context"
	"fmt"
	"io"

	"nestauth/internal/profile"
)

// sayLockWait makes a save, forget or refresh under ctx say on stderr, after
// about a second, that another run holds the profile lock and who it is.
func (o *options) sayLockWait(ctx context.Context, stderr io.Writer) context.Context {
	return profile.OnLockWait(ctx, func(w profile.LockWait) {
		say(stderr, fmt.Sprintf("nestauth: waiting: %s. Giving up after --timeout %s.", w, o.timeout))
	})
}

// profileContext bounds a profile's save, forget or refresh by --timeout,
// saying so when it waits for the lock.
func (o *options) profileContext(parent context.Context, stderr io.Writer) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, o.timeout)
	return o.sayLockWait(ctx, stderr), cancel
}
