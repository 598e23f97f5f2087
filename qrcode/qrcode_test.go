package qrcode_test

import (
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/alongside-recovery/alongside/qrcode"
)

type svgDoc struct {
	XMLName        xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	Role           string   `xml:"role,attr"`
	AriaLabel      string   `xml:"aria-label,attr"`
	ViewBox        string   `xml:"viewBox,attr"`
	ShapeRendering string   `xml:"shape-rendering,attr"`
	Title          string   `xml:"title"`
	Rect           struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		Fill string `xml:"fill,attr"`
		D    string `xml:"d,attr"`
	} `xml:"path"`
}

// parse checks that doc is well-formed XML with a strict tokenizer (any
// syntax error, stray character or unbalanced element fails) and a single
// root, then reads the parts of the SVG the tests look at.
func parse(t *testing.T, doc string) svgDoc {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && strings.TrimSpace(string(tok.(xml.CharData))) != "" {
				t.Fatal("text outside the root element")
			}
		}
	}
	if depth != 0 || roots != 1 {
		t.Fatalf("%d root elements, depth %d at the end", roots, depth)
	}
	var s svgDoc
	if err := xml.Unmarshal([]byte(doc), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Paths) != 1 {
		t.Fatalf("%d path elements, want one", len(s.Paths))
	}
	return s
}

var (
	viewBox = regexp.MustCompile(`^0 0 (\d+) (\d+)$`)
	run     = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// modules redraws the SVG as an n×n grid of dark modules, n being the
// viewBox size, checking that it is a white square with one black path made
// of one-module-high rectangles that neither overlap nor leave the image.
func modules(t *testing.T, s svgDoc) [][]bool {
	t.Helper()
	m := viewBox.FindStringSubmatch(s.ViewBox)
	if m == nil || m[1] != m[2] {
		t.Fatalf("viewBox %q is not a square from the origin", s.ViewBox)
	}
	n, _ := strconv.Atoi(m[1])
	if s.Rect.Fill != "#fff" || s.Rect.Width != m[1] || s.Rect.Height != m[1] {
		t.Fatalf("background %+v does not cover the image in white", s.Rect)
	}
	if s.Paths[0].Fill != "#000" {
		t.Fatalf("modules drawn in %q, want black", s.Paths[0].Fill)
	}
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	for d := s.Paths[0].D; d != ""; {
		r := run.FindStringSubmatch(d)
		if r == nil {
			t.Fatalf("unexpected path data at %.40q", d)
		}
		d = d[len(r[0]):]
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		back, _ := strconv.Atoi(r[4])
		if w != back || w < 1 || x+w > n || y >= n {
			t.Fatalf("bad rectangle %q in a %d-module image", r[0], n)
		}
		for i := x; i < x+w; i++ {
			if grid[y][i] {
				t.Fatalf("module (%d,%d) drawn twice", i, y)
			}
			grid[y][i] = true
		}
		// Runs in a row are merged, so two rectangles never touch.
		if x+w < n && len(d) > 0 {
			if next := run.FindStringSubmatch(d); next != nil && next[2] == r[2] && next[1] == strconv.Itoa(x+w) {
				t.Fatalf("run %q is not merged with the next one", r[0])
			}
		}
	}
	return grid
}

// scan decodes the grid as a phone would see a printed code. This is the
// independent check that the SVG really is a readable QR code: the grid is
// redrawn from the SVG's path data (not from the encoder's matrix), rendered
// to an image.Gray at 3 pixels a module and read by gozxing, a pure-Go port
// of the ZXing decoder, used here only as a test dependency. It locates the
// code through its finder patterns (no "pure barcode" hint), so it also
// needs the quiet zone and correct corners, and reports the error
// correction level it read from the format bits.
func scan(t *testing.T, grid [][]bool) (text, level string) {
	t.Helper()
	const scale = 3
	n := len(grid)
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for y := range n * scale {
		for x := range n * scale {
			c := color.Gray{Y: 0xff}
			if grid[y/scale][x/scale] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("QR code does not scan: %v", err)
	}
	return res.GetText(), fmt.Sprint(res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL])
}

func TestSVG(t *testing.T) {
	long := "https://alongside.example/s/" + strings.Repeat("aZ0-_", 54) // 298 bytes
	texts := []string{
		"https://alongside.example/s/3fK9xQ2mWp7LrT4vB8nC",
		"https://alongside.example/s/x?lang=en&src=poster",
		long,
		"HTTPS://ALONGSIDE.EXAMPLE/S/ABC123", // alphanumeric mode
		"0123456789",                         // numeric mode
	}
	for _, text := range texts {
		t.Run(fmt.Sprintf("%.40s", text), func(t *testing.T) {
			svg, err := qrcode.SVG(text)
			if err != nil {
				t.Fatal(err)
			}
			s := parse(t, svg)
			if s.Role != "img" || s.AriaLabel != "QR code for "+text || s.Title != s.AriaLabel {
				t.Errorf("role %q, aria-label %q, title %q", s.Role, s.AriaLabel, s.Title)
			}
			if s.ShapeRendering != "crispEdges" {
				t.Errorf("shape-rendering %q", s.ShapeRendering)
			}

			grid := modules(t, s)
			n := len(grid)
			// The specification's quiet zone of 4 modules, not the package's
			// constant, so that a smaller margin fails here.
			const quiet = 4
			// The code is a square of 17 + 4v modules for a version v from
			// 1 to 40, inside the quiet zone.
			size := n - 2*quiet
			if size < 21 || size > 177 || (size-17)%4 != 0 {
				t.Fatalf("code is %d modules across, not a QR code size", size)
			}
			for y := range n {
				for x := range n {
					inner := x >= quiet && x < n-quiet && y >= quiet && y < n-quiet
					if grid[y][x] && !inner {
						t.Fatalf("dark module (%d,%d) in the quiet zone", x, y)
					}
				}
			}

			got, level := scan(t, grid)
			if got != text {
				t.Errorf("scanned %q, want %q", got, text)
			}
			if level != "M" {
				t.Errorf("error correction level %s, want M", level)
			}
		})
	}
}

func TestSVGEscapesTheLabel(t *testing.T) {
	text := `https://alongside.example/s/x?a=1&b=<i>2</i>&c="3"` + "'\n"
	svg, err := qrcode.SVG(text)
	if err != nil {
		t.Fatal(err)
	}
	s := parse(t, svg)
	if strings.Contains(svg, "<i>") || strings.Contains(svg, "&b") || strings.Contains(svg, `"3"`) {
		t.Fatalf("text was not escaped:\n%s", svg)
	}
	if s.AriaLabel != "QR code for "+text || s.Title != s.AriaLabel {
		t.Errorf("aria-label %q, title %q; want %q", s.AriaLabel, s.Title, "QR code for "+text)
	}
	if got, _ := scan(t, modules(t, s)); got != text {
		t.Errorf("scanned %q, want %q", got, text)
	}
}

func TestSVGTooLong(t *testing.T) {
	svg, err := qrcode.SVG(strings.Repeat("x", 3000))
	if err == nil || svg != "" {
		t.Fatalf("3000 bytes encoded without error (%d bytes of SVG)", len(svg))
	}
}
