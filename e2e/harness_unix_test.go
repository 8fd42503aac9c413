//go:build unix

package e2e

// What the harness asks of a Unix kernel: a session of a process's own and
// signals by number. harness_notunix_test.go stops the tests that need them.

import (
	"os/exec"
	"syscall"
	"testing"
)

// newSession has cmd start a session of its own: no controlling terminal,
// so no /dev/tty to fall back on.
func newSession(_ *testing.T, cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

// sendSignal sends sig to the process pid.
func sendSignal(t *testing.T, pid int, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(pid, sig); err != nil {
		t.Fatal(err)
	}
}
