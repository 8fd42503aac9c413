package testkit

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// DecodeQR draws half-block text as a terminal shows it, light on a
// dark background with a dark margin around, and reads it with ZXing.
func DecodeQR(t testing.TB, text string) string {
	t.Helper()
	const scale, margin = 4, 6
	lines := strings.Split(text, "\n")
	cols := len([]rune(lines[0]))
	img := image.NewGray(image.Rect(0, 0, (cols+2*margin)*scale, (2*len(lines)+2*margin)*scale))
	for i := range img.Pix {
		img.Pix[i] = 255 // light around the code, as paper would be
	}
	set := func(x, y int, light bool) {
		c := color.Gray{}
		if light {
			c.Y = 255
		}
		for dy := range scale {
			for dx := range scale {
				img.SetGray((x+margin)*scale+dx, (y+margin)*scale+dy, c)
			}
		}
	}
	for row, line := range lines {
		if n := len([]rune(line)); n != cols {
			t.Fatalf("row %d is %d columns wide, row 0 is %d", row, n, cols)
		}
		for x, r := range []rune(line) {
			var top, bottom bool
			switch r {
			case '█':
				top, bottom = true, true
			case '▀':
				top = true
			case '▄':
				bottom = true
			case ' ':
			default:
				t.Fatalf("row %d has %q, not a half block", row, r)
			}
			set(x, 2*row, top)
			if 2*row+1 < cols { // an odd side leaves the last half row outside the code
				set(x, 2*row+1, bottom)
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is the code alone, module-aligned: read it as such. gozxing's
	// detector (for photos) misreads about 1 large code in 50 at this scale.
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("the QR code does not decode: %v\n%s", err, text)
	}
	return res.GetText()
}
