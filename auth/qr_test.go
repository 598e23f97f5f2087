package auth

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

type svgDoc struct {
	XMLName   xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	Role      string   `xml:"role,attr"`
	AriaLabel string   `xml:"aria-label,attr"`
	Width     string   `xml:"width,attr"`
	Height    string   `xml:"height,attr"`
	ViewBox   string   `xml:"viewBox,attr"`
	Title     string   `xml:"title"`
	Rect      struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Path struct {
		Fill string `xml:"fill,attr"`
		D    string `xml:"d,attr"`
	} `xml:"path"`
}

// checkWellFormed runs a strict XML tokenizer over the whole document, which
// fails on any syntax error, stray character or unbalanced element.
func checkWellFormed(t *testing.T, doc string) {
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
		}
	}
	if depth != 0 || roots != 1 {
		t.Fatalf("document has %d root elements, depth %d at end", roots, depth)
	}
}

var subpath = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// rasterise turns the path back into an n×n grid of dark modules, failing on
// overlapping or out-of-bounds runs.
func rasterise(t *testing.T, d string, n int) [][]bool {
	t.Helper()
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	for d != "" {
		m := subpath.FindStringSubmatch(d)
		if m == nil {
			t.Fatalf("unexpected path data at %.40q", d)
		}
		d = d[len(m[0]):]
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		back, _ := strconv.Atoi(m[4])
		if w != back || w < 1 || x+w > n || y >= n {
			t.Fatalf("bad run %q in a %d-module image", m[0], n)
		}
		for i := x; i < x+w; i++ {
			if grid[y][i] {
				t.Fatalf("module (%d,%d) drawn twice", i, y)
			}
			grid[y][i] = true
		}
	}
	return grid
}

func TestQRCodeSVG(t *testing.T) {
	texts := []string{
		TOTPURI("Alongside", "sam@example.org", NewTOTPSecret()),
		"https://alongside.example/s/" + NewToken(),
		"12345",
		"HELLO WORLD",
		"a",
	}
	for _, text := range texts {
		t.Run(fmt.Sprintf("%.20s", text), func(t *testing.T) {
			svg, err := QRCodeSVG(text)
			if err != nil {
				t.Fatal(err)
			}
			checkWellFormed(t, svg)
			var doc svgDoc
			if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Role != "img" || doc.Title != DefaultQRTitle || doc.AriaLabel != DefaultQRTitle {
				t.Errorf("role %q, title %q, aria-label %q", doc.Role, doc.Title, doc.AriaLabel)
			}
			if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "><title>") {
				t.Error("title is not the first child of svg")
			}

			code, err := qr.Encode(text, qr.M)
			if err != nil {
				t.Fatal(err)
			}
			n := code.Size + 2*4 // 4-module quiet zone each side
			if doc.ViewBox != fmt.Sprintf("0 0 %d %d", n, n) {
				t.Errorf("viewBox %q, want %d modules square", doc.ViewBox, n)
			}
			if doc.Width != doc.Height || doc.Width != strconv.Itoa(4*n) {
				t.Errorf("size %sx%s, want %d", doc.Width, doc.Height, 4*n)
			}
			if doc.Rect.Fill != "#fff" || doc.Rect.Width != strconv.Itoa(n) || doc.Rect.Height != strconv.Itoa(n) {
				t.Errorf("background %+v does not cover the image in white", doc.Rect)
			}
			if doc.Path.Fill != "#000" {
				t.Errorf("modules drawn in %q, want black", doc.Path.Fill)
			}

			grid := rasterise(t, doc.Path.D, n)
			dark := 0
			for y := range n {
				for x := range n {
					want := code.Black(x-4, y-4) // Black is false outside the code
					if grid[y][x] != want {
						t.Fatalf("module (%d,%d) is %v, want %v", x, y, grid[y][x], want)
					}
					if want {
						dark++
					}
				}
			}
			if dark == 0 {
				t.Fatal("no dark modules")
			}
			// The finder pattern's top-left corner is always dark.
			if !grid[4][4] || grid[3][3] {
				t.Error("code is not offset by the quiet zone")
			}
		})
	}
}

func TestQRCodeSVGTitleIsEscaped(t *testing.T) {
	title := `Scan "this" <b>now</b> & 'then'` + "\n"
	svg, err := QRCodeSVGWithTitle("https://example.org/?a=1&b=<2>", title)
	if err != nil {
		t.Fatal(err)
	}
	checkWellFormed(t, svg)
	if strings.Contains(svg, "<b>") {
		t.Fatal("title markup was not escaped")
	}
	var doc svgDoc
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Title != title || doc.AriaLabel != title {
		t.Errorf("title %q, aria-label %q; want %q", doc.Title, doc.AriaLabel, title)
	}
}

func TestQRCodeSVGDoesNotEmbedText(t *testing.T) {
	// The otpauth link holds the TOTP secret; it must not end up in the
	// markup as readable text, only as modules.
	secret := NewTOTPSecret()
	svg, err := QRCodeSVG(TOTPURI("Alongside", "sam", secret))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(svg, secret) || strings.Contains(svg, "otpauth") {
		t.Fatal("SVG contains the encoded text")
	}
}

func TestQRCodeSVGTooLong(t *testing.T) {
	svg, err := QRCodeSVG(strings.Repeat("x", 5000))
	if err == nil || svg != "" {
		t.Fatalf("5000 bytes encoded without error (%d bytes of SVG)", len(svg))
	}
}
