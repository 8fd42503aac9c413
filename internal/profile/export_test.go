package profile

// CheckTrusted lets the tests say which user nestauth runs as: a file of
// another user cannot be made without root.
var CheckTrusted = checkTrusted
