package profile

// A sign-in whose answer brings no refresh token (some providers send one
// only on the first consent) keeps the one saved for the same client.

// keepRefreshToken gives sec the refresh token saved in old (settings) and
// oldSec when sec has none and the client and the token endpoint are the
// same: that token still works, and dropping it would end the session when
// the access token expires. It reports whether it kept one.
func keepRefreshToken(old *Settings, oldSec Secrets, set Settings, sec *Secrets) bool {
	if sec.RefreshToken != "" || old == nil || oldSec.RefreshToken == "" {
		return false
	}
	if old.Provider != set.Provider || old.ClientID != set.ClientID || old.TokenURL != set.TokenURL {
		return false
	}
	sec.RefreshToken = oldSec.RefreshToken
	return true
}
