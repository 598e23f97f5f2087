// Package qrcode draws QR codes as standalone, accessible SVG images, for
// survey links that are handed out on paper as well as shown on screen.
//
// The encoding itself is done by rsc.io/qr; this package only draws its
// module matrix.
package qrcode

import (
	"encoding/xml"
	"strconv"
	"strings"

	"rsc.io/qr"
)

// QuietZone is the blank margin, in modules, left on every side of the code.
// The QR specification requires four; scanners struggle to find a code
// without it, above all when it is printed near other ink.
const QuietZone = 4

// modulePixels is the intrinsic size of one module in CSS pixels (about a
// millimetre when printed). The drawing is in module units through its
// viewBox, so CSS or a document editor can scale it to any size and it stays
// sharp.
const modulePixels = 4

// SVG draws text (typically a survey link of up to a few hundred bytes) as a
// QR code at error correction level M, returned as a standalone SVG document:
// black modules on a white background with a quiet zone of QuietZone
// modules, a viewBox in module units, and an accessible name of
// "QR code for " followed by the text.
//
// A QR code cannot be used by everyone, so a page or handout showing one
// must also give the link as text.
//
// SVG fails only if text is too long for the largest QR code (about 2,300
// bytes at level M).
func SVG(text string) (string, error) {
	// Level M lets about 15% of the code be damaged or smudged and still
	// read. Level Q (25%) would make a code for the same link denser, with
	// smaller modules at a given printed size, which hurts phone cameras more
	// than the extra redundancy helps on clean print.
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	return render(code, "QR code for "+text), nil
}

// render draws each horizontal run of dark modules in a row as one
// rectangle of a single path, which keeps the markup small while staying
// exact.
func render(code *qr.Code, label string) string {
	n := code.Size + 2*QuietZone
	dim := strconv.Itoa(n)
	px := strconv.Itoa(n * modulePixels)

	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" role="img" aria-label="`)
	escape(&b, label)
	b.WriteString(`" width="` + px + `" height="` + px + `" viewBox="0 0 ` + dim + ` ` + dim +
		`" shape-rendering="crispEdges">`)
	b.WriteString(`<title>`)
	escape(&b, label)
	b.WriteString(`</title>`)
	b.WriteString(`<rect width="` + dim + `" height="` + dim + `" fill="#fff"/>`)
	b.WriteString(`<path fill="#000" d="`)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			start := x
			for x < code.Size && code.Black(x, y) {
				x++
			}
			w := strconv.Itoa(x - start)
			b.WriteString("M" + strconv.Itoa(start+QuietZone) + " " + strconv.Itoa(y+QuietZone) +
				"h" + w + "v1h-" + w + "z")
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}

// escape writes s escaped for both element content and double-quoted
// attribute values; characters that XML cannot hold become U+FFFD.
func escape(b *strings.Builder, s string) {
	// xml.EscapeText fails only if its writer does, and a strings.Builder
	// never does.
	_ = xml.EscapeText(b, []byte(s))
}
