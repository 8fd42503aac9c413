package e2e

// End-to-end tests: the real nestauth binary in a real terminal (tmux),
// against the in-process Works with Nest fake and a real, independent
// authorization server (oidc-provider, .ci/oidc). Loopback only.
//
// Files named harness_* hold what the tests share; each other file holds
// the tests of one behaviour.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"nestauth/internal/testkit"
)

// nestauthBin is the binary under test, built once by TestMain.
var nestauthBin string

func TestMain(m *testing.M) {
	keyringHelper() // harness_need_test.go: the real keyring, asked from another process
	dir, err := os.MkdirTemp("", "nestauth-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		os.Exit(1)
	}
	nestauthBin = filepath.Join(dir, "nestauth")
	if runtime.GOOS == "windows" {
		nestauthBin += ".exe" // what exec looks for there
	}
	build := exec.Command("go", "build", "-o", nestauthBin, "nestauth")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	testkit.ReportMissingAfterRun("e2e") // the tests that skipped for want of tmux, node, …
	os.RemoveAll(dir)
	os.Exit(code)
}
