package profile_test

import (
	"strings"
	"testing"

	"nestauth/internal/profile"
)

// A second sign-in whose answer has no refresh token (a provider that sends
// one only on the first consent) keeps the saved one for the same client
// and token URL, and says so; another client or token URL keeps nothing.
func TestSaveWithoutRefreshTokenKeepsTheSavedOne(t *testing.T) {
	for _, in := range []profile.Backend{profile.Keyring, profile.File} {
		t.Run(in.String(), func(t *testing.T) {
			st, _ := newStore(t)
			set := sdmSettings()
			set.SecretsIn = in
			if _, err := st.Save("home", set, someSecrets()); err != nil {
				t.Fatal(err)
			}
			again := someSecrets()
			again.RefreshToken, again.AccessToken = "", "ya29.second"
			saved, err := st.Save("home", set, again)
			if err != nil || !saved.KeptRefreshToken || !strings.Contains(saved.KeptNote(), "saved one") {
				t.Fatalf("saved %+v, %v", saved, err)
			}
			p, err := st.Load("home")
			if err != nil || p.Secrets.RefreshToken != "1//refresh-token" || p.Secrets.AccessToken != "ya29.second" {
				t.Fatalf("loaded %+v, %v", p.Secrets, err)
			}

			other := set
			other.ClientID = "456-other.apps.googleusercontent.com"
			saved, err = st.Save("home", other, again)
			if err != nil || saved.KeptRefreshToken || saved.KeptNote() != "" {
				t.Fatalf("another client: saved %+v, %v", saved, err)
			}
			if p, _ := st.Load("home"); p.Secrets.RefreshToken != "" {
				t.Errorf("another client kept the refresh token %q", p.Secrets.RefreshToken)
			}

			if _, err := st.Save("home", set, someSecrets()); err != nil {
				t.Fatal(err)
			}
			moved := set
			moved.TokenURL = "https://other.example/token"
			if saved, _ = st.Save("home", moved, again); saved.KeptRefreshToken {
				t.Errorf("another token URL kept the refresh token")
			}
		})
	}
}
