package report

// Drawing primitives of the PDF report: fonts, colours, wrapped and fitted text, paragraphs
// and bullets.

func (d *pdfDoc) font(style string, size float64) { d.f.SetFont(fontSans, style, size) }
func (d *pdfDoc) mono(size float64)               { d.f.SetFont(fontMono, "", size) }
func (d *pdfDoc) textColour(c rgb)                { d.f.SetTextColor(c.r, c.g, c.b) }
func (d *pdfDoc) fillColour(c rgb)                { d.f.SetFillColor(c.r, c.g, c.b) }
func (d *pdfDoc) drawColour(c rgb)                { d.f.SetDrawColor(c.r, c.g, c.b) }

// need starts a new page unless h millimetres fit below the current position. In a
// document of fixed pages (the board report) it never does: each chapter sizes what it
// draws to its pages.
func (d *pdfDoc) need(h float64) {
	if d.fixed {
		return
	}
	if d.f.GetY()+h > bottomY {
		d.f.AddPage()
	}
}

// wrap breaks s into lines that fit width in the current font.
func (d *pdfDoc) wrap(s string, width float64) []string {
	return wrapText(s, width, d.f.GetStringWidth)
}

// fit shortens s with an ellipsis until it fits width in the current font.
func (d *pdfDoc) fit(s string, width float64) string {
	if d.f.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && d.f.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// textAt writes one line of text with its top at y.
// lines draws ls one under another from y, left-aligned in width w at the given size, and
// returns the y below the last line.
func (d *pdfDoc) lines(x, y, w float64, ls []string, size float64) float64 {
	for _, l := range ls {
		d.textAt(x, y, w, l, "L", size)
		y += lineH(size)
	}
	return y
}

func (d *pdfDoc) textAt(x, y, w float64, s, align string, size float64) {
	d.f.SetXY(x, y)
	d.f.CellFormat(w, lineH(size), s, "", 0, align, false, 0, "")
}

// para writes wrapped text across the content width (less indent), breaking pages
// between lines.
func (d *pdfDoc) para(s string, style string, size float64, c rgb, indent float64) {
	d.font(style, size)
	d.textColour(c)
	w := contentW - indent
	for _, line := range d.wrap(s, w) {
		d.need(lineH(size))
		d.textAt(marginL+indent, d.f.GetY(), w, line, "L", size)
		d.f.SetY(d.f.GetY() + lineH(size))
	}
}

// bullets writes a list with square markers.
func (d *pdfDoc) bullets(items []string, size float64, c rgb) {
	for _, it := range items {
		d.font("", size)
		lines := d.wrap(it, contentW-5)
		d.need(lineH(size) * float64(min(len(lines), 3)))
		d.fillColour(colAccent)
		d.f.Rect(marginL+0.6, d.f.GetY()+lineH(size)/2-0.8, 1.6, 1.6, "F")
		d.textColour(c)
		for _, l := range lines {
			d.need(lineH(size))
			d.textAt(marginL+5, d.f.GetY(), contentW-5, l, "L", size)
			d.f.SetY(d.f.GetY() + lineH(size))
		}
		d.f.SetY(d.f.GetY() + 1.2)
	}
}

func (d *pdfDoc) gap(h float64) { d.f.SetY(d.f.GetY() + h) }
