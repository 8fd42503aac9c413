//go:build !unix

package e2e

// harness_unix_test.go's helpers where there is no Unix kernel: the test
// that needs one stops, as for a missing tool.

import (
	"os/exec"
	"runtime"
	"syscall"
	"testing"
)

func newSession(t *testing.T, _ *exec.Cmd) {
	t.Helper()
	unavailable(t, "a process without a controlling terminal (setsid) on "+runtime.GOOS)
}

func sendSignal(t *testing.T, _ int, sig syscall.Signal) {
	t.Helper()
	unavailable(t, "sending "+sig.String()+" to a process on "+runtime.GOOS)
}
