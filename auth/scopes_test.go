package auth

import (
	"slices"
	"testing"
)

func TestDefaultScopes(t *testing.T) {
	if got := (&Metadata{Scopes: []string{"email", "openid"}}).DefaultScopes(); !slices.Equal(got, []string{"openid"}) {
		t.Errorf("openid listed: %q", got)
	}
	if got := (&Metadata{Scopes: []string{"email"}}).DefaultScopes(); got != nil {
		t.Errorf("openid not listed: %q; want the server's default", got)
	}
}
