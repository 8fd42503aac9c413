package ui

// WrapText fits prose to width columns, breaking only at spaces, as the
// wizard does; main uses it for what it prints after the wizard.
func WrapText(s string, width int) string { return wrapWords(s, width) }
