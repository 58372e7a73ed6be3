package report

// Pieces of the PDF reports that are neither tables nor charts.

// callout draws a boxed note with a coloured bar.
func (d *pdfDoc) callout(title, body string, c rgb) {
	d.font("", 8.8)
	lines := d.wrap(body, contentW-12)
	h := 4 + lineH(8.8) + 1 + float64(len(lines))*lineH(8.8) + 4
	d.need(h + 2)
	y := d.f.GetY()
	d.fillColour(colPanel)
	d.f.Rect(marginL, y, contentW, h, "F")
	d.fillColour(c)
	d.f.Rect(marginL, y, 1.4, h, "F")
	d.font("B", 8.8)
	d.textColour(c)
	d.textAt(marginL+6, y+4, contentW-12, d.fit(title, contentW-12), "L", 8.8)
	d.font("", 8.8)
	d.textColour(colInk)
	d.lines(marginL+6, y+4+lineH(8.8)+1, contentW-12, lines, 8.8)
	d.f.SetY(y + h + 3)
}
