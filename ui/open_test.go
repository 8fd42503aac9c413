package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The browser is a real child process: it must not inherit a secret.
func TestOpenBrowserEnv(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "env")
	browser := filepath.Join(dir, "browser")
	script := "#!/bin/sh\nenv > " + dump + ".tmp && mv " + dump + ".tmp " + dump + "\n"
	if err := os.WriteFile(browser, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", browser)
	t.Setenv("NESTAUTH_CLIENT_SECRET", "s3cret-for-the-browser-test")
	t.Setenv("NESTAUTH_CLIENT_ID", "id")
	if err := OpenBrowser("https://example.com/auth"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	var env []byte
	for {
		var err error
		if env, err = os.ReadFile(dump); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the browser never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if strings.Contains(string(env), "NESTAUTH_") || strings.Contains(string(env), "s3cret") {
		t.Errorf("the browser inherited nestauth's variables:\n%s", env)
	}
	if !strings.Contains(string(env), "BROWSER=") {
		t.Errorf("the browser lost the rest of the environment:\n%s", env)
	}
}
