package auth_test

// A request that went out may have spent its code, or its refresh token,
// even when no answer (or a cut one) came back: the error says so, offers
// no retry of the same code, and never shows the token a cut answer holds.

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"nestauth/internal/testkit"
)

const cutSecret = "ya29.CUT-ANSWER-ACCESS"

func TestMaybeSpentAfterTheRequestWentOut(t *testing.T) {
	tests := []struct {
		name, raw string
		after     time.Duration // before the answer; past the timeout when long
	}{
		{name: "connection closed after the request was read"},
		{name: "HTTP 200, body cut short of its length",
			raw: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"access_token\":\"" + cutSecret + "\",\"refresh_token\":\"1//RT-CUT"},
		{name: "HTTP 200, body cut at the connection's end",
			raw: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"access_token\": \"" + cutSecret + "\", \"refresh_token\": \"1//RT-CUT"},
		{name: "HTTP 200, body cut inside the token",
			raw: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"token_type\":\"Bearer\",\"access_token\":\"" + cutSecret},
		{name: "HTTP 200, body cut, its slashes escaped (PHP's json_encode, Google's 1//)",
			raw: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"access_token\":\"ya29.a0\\/" + cutSecret + "\",\"refresh_token\":\"1\\/\\/RT-CUT"},
		{name: "the answer comes past the timeout", after: 2 * time.Second,
			raw: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n{\"access_token\":\"" + cutSecret + "\"}"},
	}
	for _, tt := range tests {
		for _, refresh := range []bool{false, true} {
			name := tt.name
			if refresh {
				name += ", refresh"
			}
			t.Run(name, func(t *testing.T) {
				c := nestConfig(testkit.RawTokenEndpoint(t, tt.raw, tt.after))
				ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
				defer cancel()
				var err error
				if refresh {
					_, err = c.Refresh(ctx, "1//OLD-REFRESH")
				} else {
					_, err = c.Exchange(ctx, "TB39DWND", "")
				}
				e := asError(t, err)
				said := e.Error() + " " + e.Hint()
				if !e.MaybeSpent() || e.Retryable() {
					t.Errorf("MaybeSpent %v, Retryable %v, want true and false: %s", e.MaybeSpent(), e.Retryable(), said)
				}
				want := "the code may be used up"
				if refresh {
					want = "replaced the refresh token"
				}
				if !strings.Contains(said, want) || strings.Contains(said, "try again") {
					t.Errorf("said %q; want %q and no try again", said, want)
				}
				if strings.Contains(said, cutSecret) || strings.Contains(said, "RT-CUT") {
					t.Errorf("the cut answer's token is shown: %s", said)
				}
			})
		}
	}
}

// A whole answer without a token (a wrong --token-url's page) spent
// nothing, and says where to look.
func TestWholeAnswerWithoutTokenIsNotSpent(t *testing.T) {
	c := nestConfig(testkit.RawTokenEndpoint(t, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\n\r\n<html>hi</html>", 0))
	_, err := c.Exchange(t.Context(), "TB39DWND", "")
	if e := asError(t, err); e.MaybeSpent() || !strings.Contains(e.Hint(), "--token-url") {
		t.Errorf("MaybeSpent %v, hint %q", e.MaybeSpent(), e.Hint())
	}
}

// Nothing sent, nothing spent: a refused connection may be tried again.
func TestRefusedConnectionIsNotSpent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/token"
	ln.Close()
	_, err = nestConfig(url).Exchange(t.Context(), "TB39DWND", "")
	if e := asError(t, err); e.MaybeSpent() || !e.Retryable() || e.Sent {
		t.Errorf("Sent %v, MaybeSpent %v, Retryable %v: %v", e.Sent, e.MaybeSpent(), e.Retryable(), e)
	}
}
