package report

// Page geometry, fonts and the palette of the PDF report: the drawing kit's constants.

import (
	"strings"

	"whyk8s/assess"
)

// Page geometry, in millimetres (A4 portrait).
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 20.0
	marginR  = 20.0
	marginT  = 24.0
	marginB  = 22.0
	contentW = pageW - marginL - marginR
	bottomY  = pageH - marginB
)

const (
	fontSans = "go"
	fontMono = "gomono"
)

type rgb struct{ r, g, b int }

// A restrained palette: navy for structure, one teal accent, greys for text, and colour
// that carries meaning only in the fit categories and severities.
var (
	colInk    = rgb{33, 37, 41}
	colMuted  = rgb{102, 112, 122}
	colNavy   = rgb{22, 50, 79}
	colAccent = rgb{31, 122, 140}
	colRule   = rgb{214, 219, 224}
	colPanel  = rgb{241, 245, 248}
	colZebra  = rgb{248, 250, 251}
	colWhite  = rgb{255, 255, 255}
	colPlus   = rgb{46, 125, 50}
	colMinus  = rgb{176, 42, 42}
	colWarn   = rgb{180, 110, 0}
)

func categoryColour(c string) rgb {
	switch c {
	case assess.CategoryExcellent:
		return rgb{38, 110, 72}
	case assess.CategoryGood:
		return rgb{106, 160, 120}
	case assess.CategoryMinorWork:
		return rgb{222, 170, 60}
	case assess.CategoryMajorWork:
		return rgb{214, 122, 52}
	case assess.CategoryPoor:
		return rgb{178, 62, 52}
	}
	return rgb{160, 166, 172}
}

func severityColour(s string) rgb {
	switch strings.ToLower(s) {
	case "critical":
		return colMinus
	case "high":
		return rgb{214, 122, 52}
	case "medium":
		return colWarn
	}
	return colMuted
}

// lineH is the line height for a font size in points.
func lineH(size float64) float64 { return size * 0.3528 * 1.38 }
