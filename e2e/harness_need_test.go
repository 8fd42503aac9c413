package e2e

// What a test needs from the machine (tmux, node and npm, a Secret
// Service): outside CI a test without it skips, in CI it fails.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"

	"nestauth/internal/profile"
	"nestauth/internal/testkit"
)

// unavailable stops a test that cannot run here for want of need, detail
// saying what was seen: outside CI it skips, and TestMain says at the end
// which tests did not run and how to get what they need; CI, which must
// never skip, fails.
func unavailable(t *testing.T, need testkit.Need, detail string) {
	t.Helper()
	testkit.Unavailable(t, need, detail)
}

// needTool stops the test, as unavailable does, when need's tool is not on PATH.
func needTool(t *testing.T, need testkit.Need) {
	t.Helper()
	if _, err := exec.LookPath(need.Name); err != nil {
		unavailable(t, need, need.Name+" not found")
	}
}

var oidcDir = filepath.Join("..", ".ci", "oidc")

var (
	npmOnce sync.Once
	npmErr  error
)

// needOIDC makes sure node and the server's node_modules are there.
func needOIDC(t *testing.T) {
	t.Helper()
	needTool(t, testkit.Node)
	if _, err := os.Stat(filepath.Join(oidcDir, "node_modules", "oidc-provider")); err == nil {
		return
	}
	needTool(t, testkit.NPM)
	npmOnce.Do(func() {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = oidcDir
		out, err := cmd.CombinedOutput()
		if err != nil {
			npmErr = fmt.Errorf("npm ci in %s: %v\n%s", oidcDir, err, out)
		}
	})
	if npmErr != nil {
		t.Fatal(npmErr)
	}
}

// keyringHelperEnv, set, makes the test binary a keyring client for one
// question ("get NAME"): the in-process tests replace go-keyring with its
// mock, so the real keyring is asked from a process of its own.
const keyringHelperEnv = "NESTAUTH_E2E_KEYRING_GET"

// keyringHelper answers keyringHelperEnv's question and exits: the value on
// stdout and 0, exit 3 for no such entry, else the error and 1.
func keyringHelper() {
	user, ok := os.LookupEnv(keyringHelperEnv)
	if !ok {
		return
	}
	v, err := keyring.Get(profile.Service, user)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		os.Exit(3)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(v)
	os.Exit(0)
}

// realKeyringGet reads an entry of the real keyring; found is false for none.
func realKeyringGet(t *testing.T, user string) (value string, found bool, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), keyringHelperEnv+"="+user)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return o.String(), true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		return "", false, nil
	}
	return "", false, fmt.Errorf("%v: %s", err, strings.TrimSpace(e.String()))
}

// needRealKeyring stops the test, as unavailable does, when no Secret
// Service answers: .ci/run runs the tests inside dbus-run-session with
// gnome-keyring-daemon unlocked.
func needRealKeyring(t *testing.T) {
	t.Helper()
	if _, _, err := realKeyringGet(t, "nestauth-test-probe"); err != nil {
		unavailable(t, testkit.SecretService, fmt.Sprintf("no Secret Service answers (%v)", err))
	}
}
