package auth

// What main and ui call today, until they switch to ParseClientID,
// ParseProjectID, Provider.ParseSecret and Error.Hint: delete this file then.

// NormalizeClientID is ParseClientID's cleaning alone.
func NormalizeClientID(s string) string { return normalizeClientID(s) }

// ValidateClientID is ParseClientID's check alone.
func ValidateClientID(id string) error { return checkClientID(id) }

// NormalizeProjectID is ParseProjectID's cleaning alone.
func NormalizeProjectID(s string) string { return normalizeProjectID(s) }

// ValidateProjectID is ParseProjectID's check alone.
func ValidateProjectID(id string) error { return checkProjectID(id) }

// RedirectHint is what Error.Hint says about a redirect_uri_mismatch of a
// request from c.
func (c Config) RedirectHint() string { return redirectHint(c.RedirectURI) }
