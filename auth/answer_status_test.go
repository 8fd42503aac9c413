package auth_test

import (
	"net/http"
	"strings"
	"testing"

	"nestauth/auth"
)

// A 500 is the server failing, whatever its error code says: the code's
// reading (a dead refresh token, a scope, a malformed request) is for 4xx.
func TestTokenEndpoint500IsAServerFailure(t *testing.T) {
	for _, body := range []string{
		`{"error":"invalid_request","error_description":"Refresh token is invalid or has already been claimed by another client."}`,
		`{"error":"access_denied","error_description":"the scope is not allowed"}`,
		`{"error":"temporarily_broken"}`,
	} {
		ts := newTokenServer(t, reply(http.StatusInternalServerError, "application/json", body))
		_, err := nestConfig(ts.TokenURL()).Refresh(t.Context(), "1//REFRESH")
		if e := asError(t, err); e.Kind != auth.KindServer {
			t.Errorf("500 %s: kind %v, want server", body, e.Kind)
		}
	}
}

// A redirect is named by its Location from 300 to 399, not at 400; and the
// hint "the answer held no token" is for 2xx and 3xx answers only.
func TestTokenEndpointRedirectStatusBounds(t *testing.T) {
	for _, tt := range []struct {
		status       int
		wantLocation bool
	}{{300, true}, {399, true}, {400, false}} {
		ts := newTokenServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://example.com/elsewhere")
			w.WriteHeader(tt.status)
		})
		_, err := nestConfig(ts.TokenURL()).Exchange(t.Context(), "TB39DWND", "")
		if e := asError(t, err); (e.Location != "") != tt.wantLocation {
			t.Errorf("HTTP %d with a Location: Location = %q, want it named: %v", tt.status, e.Location, tt.wantLocation)
		}
	}
	for status, want := range map[int]bool{399: true, 400: false} {
		hint := (&auth.Error{Kind: auth.KindServer, Status: status}).Hint()
		if got := strings.Contains(hint, "held no token"); got != want {
			t.Errorf("HTTP %d: Hint = %q; want it to say the answer held no token: %v", status, hint, want)
		}
	}
}
