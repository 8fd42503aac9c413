package output

import (
	"errors"
	"fmt"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// ErrQRTooLarge: the QR code does not fit the space given. A *QRFitError
// wraps it with the numbers.
var ErrQRTooLarge = errors.New("the QR code does not fit the terminal")

// QRFitError says why a QR code does not fit: how long the text is, how many
// modules its code has at the lowest error correction, and how many columns
// and rows it needs with the smallest quiet zone.
type QRFitError struct {
	Chars            int // bytes of the text
	Modules          int // modules on a side
	NeedCols         int
	NeedRows         int
	MaxCols, MaxRows int
}

func (e *QRFitError) Error() string {
	return fmt.Sprintf("the URL is %d characters long: its QR code is %d×%d modules even with the lowest error correction, "+
		"and needs a terminal of %d columns and %d rows (this one has %d×%d); make the terminal larger or the font smaller, or copy the URL instead",
		e.Chars, e.Modules, e.Modules, e.NeedCols, e.NeedRows, e.MaxCols, e.MaxRows)
}

func (e *QRFitError) Unwrap() error { return ErrQRTooLarge }

// QR quiet zones, in modules: the standard's 4 when there is room, at least 1.
const (
	qrQuietMax = 4
	qrQuietMin = 1
)

// QRText draws text as a QR code with Unicode half blocks, two modules per
// character row, within maxCols columns and maxRows rows, with the lowest
// error correction (the smallest code). Light modules are drawn, dark ones
// are spaces: on a dark background it reads as printed, and the UI should
// pin light-on-dark colours for light terminals. The quiet zone is light and
// as wide as fits, 4 to 1 modules. Rows are joined by "\n", none trailing;
// every row has the same width.
func QRText(text string, maxCols, maxRows int) (string, error) {
	bits, err := qrBitmap(text)
	if err != nil {
		return "", err
	}
	n := len(bits)
	for q := qrQuietMax; q >= qrQuietMin; q-- {
		if side := n + 2*q; side <= maxCols && (side+1)/2 <= maxRows {
			return halfBlocks(bits, q), nil
		}
	}
	side := n + 2*qrQuietMin
	return "", &QRFitError{Chars: len(text), Modules: n, NeedCols: side, NeedRows: (side + 1) / 2, MaxCols: maxCols, MaxRows: maxRows}
}

// qrBitmap encodes text at the lowest error correction; true is dark.
func qrBitmap(text string) ([][]bool, error) {
	code, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionLow))
	if err != nil {
		return nil, fmt.Errorf("no QR code can hold this text: %w", err)
	}
	var m bitmapWriter
	if err := code.Save(&m); err != nil {
		return nil, err
	}
	return m.bits, nil
}

// bitmapWriter keeps the code's modules.
type bitmapWriter struct{ bits [][]bool }

func (w *bitmapWriter) Write(mat qrcode.Matrix) error {
	w.bits = mat.Bitmap()
	return nil
}

func (w *bitmapWriter) Close() error { return nil }

// halfBlocks draws bits with a quiet zone of q modules: each character is a
// column of two modules, the upper one first.
func halfBlocks(bits [][]bool, q int) string {
	n := len(bits)
	side := n + 2*q
	light := func(x, y int) bool {
		x, y = x-q, y-q
		return x < 0 || y < 0 || x >= n || y >= n || !bits[y][x]
	}
	var b strings.Builder
	for y := 0; y < side; y += 2 {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := range side {
			top, bottom := light(x, y), y+1 < side && light(x, y+1)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}
