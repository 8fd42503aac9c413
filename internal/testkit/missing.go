package testkit

// What a test needs from the machine (tmux, node and npm, a Secret
// Service): outside CI a test without it skips and is counted, so that
// `go test ./...` can say at the end which tests did not run and how to get
// what they need; in CI, which must never skip, it fails.

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Need is something from the machine that some tests cannot run without.
type Need struct {
	Name string // short, after "no": "tmux", "node", "Secret Service"
	How  string // how to get it, one sentence: "Install it: apt-get install tmux."
}

// The needs the tests share, and how a person gets each.
var (
	Tmux          = Need{"tmux", "Install it: apt-get install tmux, or brew install tmux."}
	Node          = Need{"node", "Install Node.js: apt-get install nodejs, or brew install node."}
	NPM           = Need{"npm", "Install it: apt-get install npm (Node.js from nodejs.org has it)."}
	Git           = Need{"git", "Install it: apt-get install git, or brew install git."}
	SecretService = Need{"Secret Service", "Start one as .ci/run does: dbus-run-session with gnome-keyring-daemon unlocked (apt-get install dbus gnome-keyring)."}
)

var (
	missingMu sync.Mutex
	missing   = map[Need][]string{} // what is missing → the tests it stopped
)

// Unavailable stops t for want of need, detail saying what was seen: under
// CI=… it fails; elsewhere it skips, and the skip is counted for
// ReportMissing.
func Unavailable(t testing.TB, need Need, detail string) {
	t.Helper()
	detail = strings.Join(strings.Fields(detail), " ")
	if ci := os.Getenv("CI"); ci != "" {
		t.Fatalf("%s: required in CI (CI=%q). %s", detail, ci, need.How)
	}
	missingMu.Lock()
	missing[need] = append(missing[need], t.Name())
	missingMu.Unlock()
	t.Skipf("skipped: %s (with CI=1 this fails)", detail)
}

// ReportMissing writes one line per missing need: which tests did not run
// for want of it, and how to get it. It writes nothing when nothing was
// missing.
func ReportMissing(w io.Writer, pkg string) {
	missingMu.Lock()
	defer missingMu.Unlock()
	needs := make([]Need, 0, len(missing))
	for n := range missing {
		needs = append(needs, n)
	}
	sort.Slice(needs, func(i, j int) bool { return needs[i].Name < needs[j].Name })
	for _, n := range needs {
		fmt.Fprintf(w, "%s: %s did not run: no %s here. %s\n", pkg, testList(missing[n]), n.Name, n.How)
	}
}

// testList names up to four tests and counts the rest.
func testList(names []string) string {
	seen := map[string]bool{}
	var uniq []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			uniq = append(uniq, n)
		}
	}
	sort.Strings(uniq)
	const shown = 4
	count := fmt.Sprintf("%d test", len(uniq))
	if len(uniq) != 1 {
		count += "s"
	}
	if len(uniq) <= shown {
		return count + " (" + strings.Join(uniq, ", ") + ")"
	}
	return fmt.Sprintf("%s (%s and %d more; -v lists each)", count, strings.Join(uniq[:shown], ", "), len(uniq)-shown)
}

// ReportMissingAfterRun is ReportMissing for TestMain, after m.Run, written
// where a person sees it: `go test ./...` keeps a passing package's output
// to itself unless -v is given, so without -v the lines go to the
// controlling terminal, and only where there is none to stderr.
func ReportMissingAfterRun(pkg string) {
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			ReportMissing(tty, pkg)
			return
		}
	}
	ReportMissing(os.Stderr, pkg)
}
