package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// placeholderFor is a field's placeholder as it fits a field of width
// columns (one kept for the cursor): whole, without its "such as", or none;
// a text input would cut it mid-word.
func placeholderFor(p string, width int) string {
	for _, try := range []string{p, strings.Replace(p, "(such as ", "(", 1)} {
		if ansi.StringWidth(try) < width {
			return try
		}
	}
	return ""
}
