package testkit

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// probeEnv, set, makes TestProbeNeedsMissingTool ask for a tool no machine
// has; the tests below run this test binary again with it set.
const probeEnv = "NESTAUTH_TESTKIT_PROBE"

var noSuchTool = Need{Name: "nestauth-no-such-tool", How: "Install it from nowhere."}

func TestMain(m *testing.M) {
	code := m.Run()
	ReportMissingAfterRun("testkit")
	os.Exit(code)
}

// TestProbeNeedsMissingTool passes unless run by the tests below.
func TestProbeNeedsMissingTool(t *testing.T) {
	if os.Getenv(probeEnv) == "" {
		return
	}
	if _, err := exec.LookPath(noSuchTool.Name); err != nil {
		Unavailable(t, noSuchTool, noSuchTool.Name+" not found")
	}
	t.Fatal("found", noSuchTool.Name)
}

// runProbe runs TestProbeNeedsMissingTool in a test binary of its own, with
// CI set to ci (unset when empty).
func runProbe(t *testing.T, ci string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProbeNeedsMissingTool$", "-test.v=true", "-test.count=1")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, probeEnv+"=1")
	if ci != "" {
		cmd.Env = append(cmd.Env, "CI="+ci)
	}
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

func TestMissingToolIsNamedAtTheEndOutsideCI(t *testing.T) {
	out, code := runProbe(t, "")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (a skip):\n%s", code, out)
	}
	want := "testkit: 1 test (TestProbeNeedsMissingTool) did not run: no nestauth-no-such-tool here. Install it from nowhere.\n"
	if !strings.Contains(out, want) {
		t.Errorf("want the line\n%s\nin\n%s", want, out)
	}
	if n := strings.Count(out, "did not run"); n != 1 {
		t.Errorf("%d lines say what did not run, want 1:\n%s", n, out)
	}
}

func TestMissingToolFailsInCI(t *testing.T) {
	out, code := runProbe(t, "true")
	if code == 0 {
		t.Fatalf("exit 0 under CI=true, want a failure:\n%s", out)
	}
	if !strings.Contains(out, `nestauth-no-such-tool not found: required in CI (CI="true"). Install it from nowhere.`) {
		t.Errorf("the failure does not say what is missing and how to get it:\n%s", out)
	}
	if strings.Contains(out, "did not run") {
		t.Errorf("a failure in CI is not a skip:\n%s", out)
	}
}

func TestTestListCountsWhatItDoesNotName(t *testing.T) {
	got := testList([]string{"TestE", "TestA", "TestB/sub", "TestC", "TestD", "TestA"})
	want := "5 tests (TestA, TestB/sub, TestC, TestD and 1 more; -v lists each)"
	if got != want {
		t.Errorf("testList = %q, want %q", got, want)
	}
}
