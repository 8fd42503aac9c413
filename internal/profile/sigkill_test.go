package profile_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
)

// killDirEnv names the settings directory the save-and-forget helper works in.
const killDirEnv = "NESTAUTH_TEST_KILL_DIR"

// version is profile p as saved in round v ("a" or "b"): its client ID and
// its secrets say which, so that a mix shows.
func version(v string) (profile.Settings, profile.Secrets) {
	set := profile.SettingsFor(auth.Config{Provider: auth.Custom(), ClientID: "client-" + v}, profile.File)
	set.AuthURL, set.TokenURL = "https://"+v+".example/authorize", "https://"+v+".example/token"
	return set, profile.Secrets{ClientSecret: "secret-" + v, RefreshToken: "rt-" + v, AccessToken: "at-" + v, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
}

// TestSaveForgetLoopProcess saves profile p as a, as b, and forgets it, in a
// loop until it is killed, when TestSaveAndForgetSurviveSIGKILL runs it.
func TestSaveForgetLoopProcess(t *testing.T) {
	dir := os.Getenv(killDirEnv)
	if dir == "" {
		return
	}
	st := profile.Store{Dir: dir}
	os.Stdout.WriteString("ready\n")
	for i := 0; ; i++ {
		var err error
		switch i % 3 {
		case 0, 1:
			set, sec := version(string(rune('a' + i%3)))
			_, err = st.Save("p", set, sec)
		case 2:
			_, err = st.Forget("p")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// SIGKILL at random moments of saves and forgets (100 runs, counted): a
// reader then sees the old profile or the new one, never the settings of
// one with the secrets of the other, nor settings without secrets or
// secrets without settings; the next run finishes a step that was cut off;
// the next save or forget removes the temporary files left behind. Another
// profile is never touched.
func TestSaveAndForgetSurviveSIGKILL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nestauth")
	st := profile.Store{Dir: dir}
	oset, osec := version("other")
	if _, err := st.Save("other", oset, osec); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for run := range 100 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSaveForgetLoopProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), killDirEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
			t.Fatalf("run %d: the helper said %q, %v: %s", run, line, err, stderr.String())
		}
		time.Sleep(rand.N(20 * time.Millisecond))
		_ = cmd.Process.Kill()
		if err := cmd.Wait(); !strings.Contains(err.Error(), "killed") {
			t.Fatalf("run %d: the helper ended before the kill: %v: %s", run, err, stderr.String())
		}

		// What the kill left, before any run looks.
		if _, err := os.Stat(filepath.Join(dir, profile.JournalFile)); err == nil {
			counts["cut off mid-step, finished by the next run"]++
		}
		counts["temporary files left by the kill"] += len(temps(t, dir))

		// A reader sees one profile, whole, or none.
		p, err := st.Load("p")
		switch {
		case errors.Is(err, profile.ErrNoProfile):
			counts["no profile p"]++
		case err != nil:
			t.Fatalf("run %d: Load: %v", run, err)
		default:
			v := strings.TrimPrefix(p.Settings.ClientID, "client-")
			if p.Secrets.ClientSecret != "secret-"+v || p.Secrets.RefreshToken != "rt-"+v || p.Settings.TokenURL != "https://"+v+".example/token" {
				t.Fatalf("run %d: a mix: settings of %q with secrets %+v", run, v, p.Secrets)
			}
			counts["profile p as "+v]++
		}
		// No secrets without settings, and the other profile whole.
		if has := secretsHold(t, dir, "p"); has != (err == nil) {
			t.Fatalf("run %d: secrets of p: %v, profile: %v", run, has, err)
		}
		if o, err := st.Load("other"); err != nil || o.Secrets.RefreshToken != osec.RefreshToken || o.Settings.ClientID != oset.ClientID {
			t.Fatalf("run %d: the other profile: %+v, %v", run, o.Secrets, err)
		}

		// The next save, or forget, removes what the kill left.
		if run%2 == 0 {
			_, err = st.Save("other", oset, osec)
		} else {
			_, err = st.Forget("p")
			if errors.Is(err, profile.ErrNoProfile) {
				err = nil
			}
		}
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if left := temps(t, dir); len(left) > 0 {
			t.Fatalf("run %d: temporary files stay: %v", run, left)
		}
	}
	t.Logf("100 SIGKILLs during saves and forgets: %v", counts)
}

// temps lists the temporary files in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// secretsHold reports whether the secrets file holds secrets of name.
func secretsHold(t *testing.T, dir, name string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, profile.SecretsFile))
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	all := map[string]json.RawMessage{}
	if err != nil || json.Unmarshal(b, &all) != nil {
		t.Fatalf("secrets file: %v: %s", err, b)
	}
	_, ok := all[name]
	return ok
}

// While another process saves and forgets profile p in a loop, each read
// sees p whole, as a or as b, or not at all, until each was seen 30 times.
func TestReaderSeesOneProfileDuringSaves(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nestauth")
	st := profile.Store{Dir: dir}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSaveForgetLoopProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), killDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		t.Fatalf("the helper said %q, %v", line, err)
	}
	counts := map[string]int{}
	for i := 0; counts["a"] < 30 || counts["b"] < 30 || counts["none"] < 30; i++ {
		p, err := st.Load("p")
		switch {
		case errors.Is(err, profile.ErrNoProfile):
			counts["none"]++
		case err != nil:
			t.Fatalf("read %d: %v", i, err)
		default:
			v := strings.TrimPrefix(p.Settings.ClientID, "client-")
			if p.Secrets.ClientSecret != "secret-"+v || p.Secrets.RefreshToken != "rt-"+v {
				t.Fatalf("read %d: a mix: settings of %q with secrets %+v", i, v, p.Secrets)
			}
			counts[v]++
		}
	}
	t.Logf("reads during saves and forgets: %v", counts)
}

// A forget killed after it deleted the secrets and before the settings is
// recognised by the next run, which finishes it: the profile is gone, not
// left as settings without secrets ("the profile has no refresh token").
func TestCutOffForgetIsFinished(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nestauth")
	st := profile.Store{Dir: dir}
	for _, name := range []string{"p", "other"} {
		set, sec := version(name)
		if _, err := st.Save(name, set, sec); err != nil {
			t.Fatal(err)
		}
	}
	// What the kill leaves: the journal, the secrets of p deleted, its settings still there.
	if err := os.WriteFile(filepath.Join(dir, profile.JournalFile), []byte(`{"op":"forget","name":"p"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, profile.SecretsFile))
	all := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	delete(all, "p")
	b, _ = json.Marshal(all)
	if err := os.WriteFile(filepath.Join(dir, profile.SecretsFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "."+profile.SecretsFile+".tmp-123"), b, 0o600); err != nil {
		t.Fatal(err)
	}

	if _, err := st.Load("p"); !errors.Is(err, profile.ErrNoProfile) {
		t.Fatalf("Load after a cut-off forget: %v, want no profile", err)
	}
	list, err := st.List()
	if err != nil || len(list) != 1 || list[0].Name != "other" || !list[0].HasRefreshToken {
		t.Errorf("List: %+v, %v; want other alone", list, err)
	}
	if _, err := os.Stat(filepath.Join(dir, profile.JournalFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the journal stays: %v", err)
	}
	if left := temps(t, dir); len(left) > 0 {
		t.Errorf("temporary files stay: %v", left)
	}
}
