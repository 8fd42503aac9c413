package output

import (
	"errors"
	"strings"
	"testing"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

// sdmAuthURL is a real Device Access authorization URL, PKCE and all.
func sdmAuthURL() string {
	cfg := auth.Config{Provider: auth.SDM(), ClientID: "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com",
		ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"}
	return cfg.AuthCodeURL(auth.NewState(), auth.NewVerifier())
}

func TestQRTextDecodes(t *testing.T) {
	tests := []struct {
		name             string
		text             string
		maxCols, maxRows int
		wantCols         int
	}{
		{name: "a short URL, full quiet zone", text: "http://127.0.0.1:8085/", maxCols: 80, maxRows: 24, wantCols: 25 + 2*4},
		{name: "a Nest URL in 80x24", text: auth.NestAuthURL + "?client_id=0a1b2c3d-1234-5678-9abc-0123456789ab&state=" + auth.NewState(), maxCols: 80, maxRows: 24},
		{name: "Google's long URL, in a tall terminal, quiet zone 1", text: sdmAuthURL(), maxCols: 80, maxRows: 38},
		{name: "Google's long URL, roomy", text: sdmAuthURL(), maxCols: 200, maxRows: 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := QRText(tt.text, tt.maxCols, tt.maxRows)
			if err != nil {
				t.Fatalf("QRText: %v", err)
			}
			lines := strings.Split(out, "\n")
			cols := len([]rune(lines[0]))
			if cols > tt.maxCols || len(lines) > tt.maxRows || tt.wantCols != 0 && cols != tt.wantCols {
				t.Errorf("the code is %d×%d characters; want at most %d×%d (width %d)", cols, len(lines), tt.maxCols, tt.maxRows, tt.wantCols)
			}
			if got := testkit.DecodeQR(t, out); got != tt.text {
				t.Errorf("decoded %q, want %q", got, tt.text)
			}
		})
	}
}

// Google's authorization URL with PKCE is over 400 characters: version 14 at
// the lowest error correction, 73 modules, which needs 38 rows with half
// blocks. It cannot fit 80×24; the error says so and why.
func TestQRTextSDMDoesNotFit80x24(t *testing.T) {
	u := sdmAuthURL()
	if len(u) < 400 {
		t.Fatalf("the SDM URL is %d characters, expected over 400: %s", len(u), u)
	}
	_, err := QRText(u, 80, 24)
	var fit *QRFitError
	if !errors.Is(err, ErrQRTooLarge) || !errors.As(err, &fit) {
		t.Fatalf("QRText(80×24) error = %v, want a QRFitError", err)
	}
	if fit.Modules != 73 || fit.NeedCols != 75 || fit.NeedRows != 38 || fit.Chars != len(u) {
		t.Errorf("QRFitError = %+v, want 73 modules needing 75×38", fit)
	}
	for _, want := range []string{"73×73 modules", "75 columns and 38 rows", "80×24", "copy the URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestQRTextTooLongForAnyCode(t *testing.T) {
	_, err := QRText(strings.Repeat("x", 4000), 1000, 1000)
	if err == nil || errors.Is(err, ErrQRTooLarge) {
		t.Errorf("error = %v, want one saying no QR code holds it", err)
	}
}

// The full quiet zone is taken when it fits exactly, columns and rows alike,
// and the last row, one module high, draws only upper halves.
func TestQRTextFitsExactly(t *testing.T) {
	const text = "http://127.0.0.1:8085/" // 25 modules: 33 columns and 17 rows with a quiet zone of 4
	out, err := QRText(text, 33, 17)
	if err != nil {
		t.Fatalf("QRText(33×17): %v", err)
	}
	lines := strings.Split(out, "\n")
	if cols := len([]rune(lines[0])); cols != 33 || len(lines) != 17 {
		t.Errorf("the code is %d×%d characters, want 33×17 (quiet zone 4)", cols, len(lines))
	}
	if last := lines[len(lines)-1]; last != strings.Repeat("▀", 33) {
		t.Errorf("last row %q, want upper halves only: the module row below the code does not exist", last)
	}
	if got := testkit.DecodeQR(t, out); got != text {
		t.Errorf("decoded %q, want %q", got, text)
	}
}
