package auth

import (
	"encoding/xml"
	"strconv"
	"strings"

	"rsc.io/qr"
)

// qrQuietZone is the blank margin, in modules, that the QR specification
// requires around a code; scanners struggle to find codes without it,
// especially on dark page backgrounds.
const qrQuietZone = 4

// qrModulePixels is the default size of one module in CSS pixels. Pages can
// override the size with CSS; the viewBox keeps the drawing crisp at any
// scale.
const qrModulePixels = 4

// DefaultQRTitle is the accessible name QRCodeSVG gives its image when the
// caller has nothing more specific to say.
const DefaultQRTitle = "QR code"

// QRCodeSVG draws text as a QR code that can be placed straight into an HTML
// page, with no image files or client-side scripts. It is used to show the
// otpauth:// link when setting up an authenticator app, and survey links.
// A QR code cannot be used by everyone, so pages must also offer its content
// as text (the setup key, the link itself).
func QRCodeSVG(text string) (string, error) {
	return QRCodeSVGWithTitle(text, DefaultQRTitle)
}

// QRCodeSVGWithTitle is QRCodeSVG with an accessible name describing what
// the code is for (such as "QR code to add Alongside to your authenticator
// app"), which screen reader users hear instead of a bare "QR code". The
// title should describe the purpose, not repeat the content: an otpauth link
// read aloud is long, and it contains the secret.
func QRCodeSVGWithTitle(text, title string) (string, error) {
	// Level M (about 15% of the code recoverable) is what authenticator
	// setups commonly use: it survives glare on a screen without making the
	// code so dense that older phone cameras fail to read it.
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	return renderQRSVG(code, title), nil
}

// renderQRSVG draws each horizontal run of dark modules as one subpath of a
// single path element, which keeps the markup small (a few kilobytes for an
// otpauth link) while staying exact.
func renderQRSVG(code *qr.Code, title string) string {
	n := code.Size + 2*qrQuietZone
	dim := strconv.Itoa(n)
	px := strconv.Itoa(n * qrModulePixels)

	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" role="img" aria-label="`)
	xmlEscape(&b, title)
	b.WriteString(`" width="` + px + `" height="` + px + `" viewBox="0 0 ` + dim + ` ` + dim +
		`" shape-rendering="crispEdges">`)
	b.WriteString(`<title>`)
	xmlEscape(&b, title)
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
			b.WriteString("M" + strconv.Itoa(start+qrQuietZone) + " " + strconv.Itoa(y+qrQuietZone) +
				"h" + w + "v1h-" + w + "z")
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}

// xmlEscape escapes text for use in both element content and double-quoted
// attribute values.
func xmlEscape(b *strings.Builder, s string) {
	// xml.EscapeText only fails if the writer does, and a strings.Builder
	// never does.
	_ = xml.EscapeText(b, []byte(s))
}
