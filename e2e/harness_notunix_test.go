//go:build !unix

package e2e

// harness_unix_test.go's helpers where there is no Unix kernel: the test
// that needs one stops, as for a missing tool.

import (
	"os/exec"
	"runtime"
	"syscall"
	"testing"

	"nestauth/internal/testkit"
)

// unixKernel is what setsid and signals need.
var unixKernel = testkit.Need{Name: "Unix kernel", How: "Run them on Linux or macOS."}

func newSession(t *testing.T, _ *exec.Cmd) {
	t.Helper()
	unavailable(t, unixKernel, "a process without a controlling terminal (setsid) on "+runtime.GOOS)
}

func sendSignal(t *testing.T, _ int, sig syscall.Signal) {
	t.Helper()
	unavailable(t, unixKernel, "sending "+sig.String()+" to a process on "+runtime.GOOS)
}
