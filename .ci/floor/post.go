//go:build ignore

// The floor of the stack for `nestauth exchange`: one form POST with net/http,
// the body printed. .ci/speed.py times nestauth against it.
// Run: go build -o /tmp/floor-post .ci/floor/post.go; /tmp/floor-post URL
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
)

func main() {
	resp, err := http.PostForm(os.Args[1], url.Values{
		"grant_type": {"authorization_code"}, "code": {"c"}, "client_id": {"id"}, "client_secret": {"s"},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	os.Stdout.Write(b)
}
