package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// dexDevice answers as Dex does: its device endpoint takes the client from
// client_id in the body alone. Without it the code is issued, but the
// approval page fails, so the polls stay pending until the code expires.
type dexDevice struct {
	*httptest.Server
	mu      sync.Mutex
	devices []url.Values // the device requests' bodies
	auths   []string     // their Authorization headers
}

func newDexDevice(t *testing.T) *dexDevice {
	t.Helper()
	d := &dexDevice{}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(b))
		d.mu.Lock()
		defer d.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/device/code":
			d.devices = append(d.devices, form)
			d.auths = append(d.auths, r.Header.Get("Authorization"))
			_ = json.NewEncoder(w).Encode(map[string]any{"device_code": "dc-1", "user_code": "ABCD-EFGH",
				"verification_uri": d.URL + "/device", "expires_in": 2, "interval": 1})
		case "/token":
			if len(d.devices) == 0 || d.devices[len(d.devices)-1].Get("client_id") == "" {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error":"authorization_pending"}`) // the approval page failed: Invalid client_id ("")
				return
			}
			fmt.Fprint(w, `{"access_token":"at-dex","token_type":"bearer","expires_in":3600}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(d.Close)
	return d
}

func TestRunDeviceSendsClientIDInTheBody(t *testing.T) {
	for _, style := range []string{"post", "basic"} {
		t.Run(style, func(t *testing.T) {
			t.Parallel()
			d := newDexDevice(t)
			r := runArgs(t, map[string]string{"NESTAUTH_CLIENT_SECRET": "cs"}, "", "device", "--provider", "custom",
				"--client-id", "example-app", "--auth-style", style, "--scope", "openid",
				"--device-url", d.URL+"/device/code", "--token-url", d.URL+"/token")
			if r.code != 0 || decodeTokenJSON(t, r.stdout)["access_token"] != "at-dex" {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			if len(d.devices) != 1 || d.devices[0].Get("client_id") != "example-app" {
				t.Fatalf("device requests %v: want one, with client_id=example-app in the body", d.devices)
			}
			basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("example-app:cs"))
			if style == "basic" && (d.auths[0] != basic || d.devices[0].Has("client_secret")) {
				t.Errorf("basic: Authorization %q, body %v; want %q and no client_secret in the body", d.auths[0], d.devices[0], basic)
			}
			if style == "post" && (d.auths[0] != "" || d.devices[0].Get("client_secret") != "cs") {
				t.Errorf("post: Authorization %q, body %v; want the credentials in the body only", d.auths[0], d.devices[0])
			}
		})
	}
}
