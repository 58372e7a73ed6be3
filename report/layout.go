package report

import (
	"math"
	"strings"
	"unicode/utf8"
)

// This file holds layout arithmetic that does not depend on the PDF library: line wrapping
// given a width function, chart scales and geometry. Keeping it apart keeps the pdf*.go
// files the only ones that know fpdf.

// wrapText breaks s into lines no wider than width, as measured by measure. Newlines in s
// are kept. A word wider than a line — an ARN, a path — is broken after a '/', ':', '-',
// '.', ',' or '_' where possible, and between characters otherwise, so nothing ever runs
// past its column.
func wrapText(s string, width float64, measure func(string) float64) []string {
	var lines []string
	space := measure(" ")
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		var cur strings.Builder
		curW := 0.0
		flush := func() {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		for _, w := range words {
			ww := measure(w)
			if cur.Len() > 0 && curW+space+ww <= width {
				cur.WriteByte(' ')
				cur.WriteString(w)
				curW += space + ww
				continue
			}
			if cur.Len() > 0 {
				flush()
			}
			if ww <= width {
				cur.WriteString(w)
				curW = ww
				continue
			}
			pieces := breakWord(w, width, measure)
			lines = append(lines, pieces[:len(pieces)-1]...)
			last := pieces[len(pieces)-1]
			cur.WriteString(last)
			curW = measure(last)
		}
		if cur.Len() > 0 {
			flush()
		}
	}
	return lines
}

// breakWord splits a word wider than width into pieces that fit, preferring to break after
// punctuation that separates the parts of identifiers.
func breakWord(w string, width float64, measure func(string) float64) []string {
	var out []string
	for w != "" {
		if measure(w) <= width {
			out = append(out, w)
			break
		}
		// The longest prefix that fits, in whole runes.
		fit, acc := 0, 0.0
		for i, r := range w {
			rw := measure(string(r))
			if acc+rw > width && i > 0 {
				break
			}
			acc += rw
			fit = i + utf8.RuneLen(r)
		}
		cut := fit
		if i := strings.LastIndexAny(w[:fit], "/:-.,_"); i > fit/3 {
			cut = i + 1
		}
		out = append(out, w[:cut])
		w = w[cut:]
	}
	return out
}

// niceCeil rounds a chart's maximum up to a round number (1, 2, 5 × 10ⁿ) so that the axis
// ticks read as whole numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	exp := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*exp >= v {
			return m * exp
		}
	}
	return 10 * exp
}

// radarPoint is the position of value (out of max) on axis i of n, for a radar chart
// centred at cx, cy with radius r; axis 0 points straight up and axes go clockwise.
func radarPoint(cx, cy, r float64, i, n int, value, max float64) (x, y float64) {
	angle := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
	d := r * value / max
	return cx + d*math.Cos(angle), cy + d*math.Sin(angle)
}

// fitWidths widens every column below its minimum and takes the difference from the
// columns that have room to spare, in proportion to their spare room. When the minimums
// add up to more than the table, the widths are left as they were: something must break.
func fitWidths(widths, mins []float64) {
	deficit, slack := 0.0, 0.0
	for i := range widths {
		if mins[i] > widths[i] {
			deficit += mins[i] - widths[i]
		} else {
			slack += widths[i] - mins[i]
		}
	}
	if deficit == 0 || deficit > slack {
		return
	}
	for i := range widths {
		if mins[i] > widths[i] {
			widths[i] = mins[i]
		} else {
			widths[i] -= (widths[i] - mins[i]) * deficit / slack
		}
	}
}
