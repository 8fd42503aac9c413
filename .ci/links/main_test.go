package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSlugFollowsGitHub(t *testing.T) {
	for h, want := range map[string]string{
		"Nest in three steps":                      "nest-in-three-steps",
		"The device flow (RFC 8628)":               "the-device-flow-rfc-8628",
		"Scripting: `exchange` and `refresh`":      "scripting-exchange-and-refresh",
		"Getting the code back: paste or loopback": "getting-the-code-back-paste-or-loopback",
		"Exit codes & [the table](x.md)":           "exit-codes--the-table",
		"Works with Nest (`nest`)":                 "works-with-nest-nest",
		"Dependencies, and why each":               "dependencies-and-why-each",
		"snake_case and trailing ##":               "snake_case-and-trailing",
		"Überblick · Schritt 1":                    "überblick--schritt-1",
	} {
		line := "## " + h
		_, anchors := parse(line)
		if !anchors[want] {
			t.Errorf("%q: anchors %v, want %q", h, anchors, want)
		}
	}
}

// writeTree writes files (path: content) under a temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCheckAcceptsLinksThatResolve(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"README.md": "# Top\n\n## Usage\n\n## Usage\n\n![demo](docs/demo.gif) see [docs](docs/) and [wizard](docs/wizard.md#keys-per-step),\n" +
			"[here](#usage-1), [up](#top), [ext](https://example.com/x#y), [mail](mailto:a@b)\n" +
			"[ref]: docs/wizard.md#the-access-token-step\n<a id=\"custom\"></a> [custom](#custom)\n",
		"docs/demo.gif":  "GIF89a",
		"docs/wizard.md": "# Wizard\n\n## Keys per step\n\n### The Access token step\n\n[back](../README.md#usage)\n",
	})
	problems := check([]string{filepath.Join(dir, "README.md"), filepath.Join(dir, "docs", "wizard.md")})
	if len(problems) != 0 {
		t.Errorf("problems in good links:\n%s", strings.Join(problems, "\n"))
	}
}

func TestCheckReportsEachBrokenLink(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"README.md": "# Top\n\n" +
			"[gone](docs/missing.md)\n" + // line 3
			"[bad anchor](#nope)\n" + // line 4
			"[other file's anchor](docs/wizard.md#keys)\n" + // line 5
			"![gif](docs/demo.gif)\n" + // line 6
			"[abs](/docs/wizard.md)\n" + // line 7
			"<img src=\"docs/shot.png\">\n" + // line 8
			"[r]: docs/gone.md\n", // line 9
		"docs/wizard.md": "# Wizard\n\n## Steps\n",
	})
	problems := check([]string{filepath.Join(dir, "README.md")})
	got := strings.Join(problems, "\n")
	for _, want := range []string{":3: docs/missing.md:", ":4: #nope:", ":5: docs/wizard.md#keys:", ":6: docs/demo.gif:", ":7: /docs/wizard.md:", ":8: docs/shot.png:", ":9: docs/gone.md:"} {
		if !strings.Contains(got, want) {
			t.Errorf("no problem %q in:\n%s", want, got)
		}
	}
	if len(problems) != 7 {
		t.Errorf("%d problems, want 7:\n%s", len(problems), got)
	}
}

func TestCheckIgnoresCode(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"README.md": "# Top\n\n```sh\necho [x](missing.md)\n```\n\nInline `[y](gone.md)` too.\n\n~~~\n## Not a heading\n~~~\n",
	})
	if problems := check([]string{filepath.Join(dir, "README.md")}); len(problems) != 0 {
		t.Errorf("problems from code:\n%s", strings.Join(problems, "\n"))
	}
	_, anchors := parse("```\n## Not a heading\n```\n")
	if anchors["not-a-heading"] {
		t.Error("a heading inside a fence made an anchor")
	}
}
