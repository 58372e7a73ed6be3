package report

// Page furniture of the PDF report: headings and the outline, the running header and
// footer, and the table of contents.

import "strconv"

// mark records a heading in the outline (bookmarks) and, for the two top levels, in the
// table of contents.
func (d *pdfDoc) mark(title string, level int) {
	d.f.Bookmark(title, level, -1)
	if level <= 1 {
		d.toc = append(d.toc, tocEntry{title: title, level: level, page: d.f.PageNo(), y: d.f.GetY()})
	}
}

// chapter starts a top-level section on a new page.
func (d *pdfDoc) chapter(title string) {
	d.section = title
	d.f.AddPage()
	d.mark(title, 0)
	d.font("B", 20)
	d.textColour(colNavy)
	for _, l := range d.wrap(title, contentW) {
		d.textAt(marginL, d.f.GetY(), contentW, l, "L", 20)
		d.gap(lineH(20))
	}
	d.fillColour(colAccent)
	d.f.Rect(marginL, d.f.GetY()+1, 16, 1.1, "F")
	d.gap(7)
}

// heading starts a second-level section, keeping it with at least some of what follows.
func (d *pdfDoc) heading(title string) { d.headingKeep(title, 18) }

// headingKeep starts a second-level section and keeps it on the same page as the next
// keep millimetres, so that a heading never ends a page alone.
func (d *pdfDoc) headingKeep(title string, keep float64) {
	d.need(12 + keep)
	if d.f.GetY() > marginT+1 {
		d.gap(3)
	}
	d.mark(title, 1)
	d.font("B", 12.5)
	d.textColour(colNavy)
	for _, l := range d.wrap(title, contentW) {
		d.textAt(marginL, d.f.GetY(), contentW, l, "L", 12.5)
		d.gap(lineH(12.5))
	}
	d.gap(2)
}

// captionKeep keeps a caption with a table's header and first row.
const captionKeep = 17

// caption is a small heading inside a section; it is not in the outline. keep is the
// height of what must follow it on the same page.
func (d *pdfDoc) caption(title string, keep float64) {
	d.need(7 + keep)
	d.gap(1.5)
	d.font("B", 8.8)
	d.textColour(colNavy)
	d.textAt(marginL, d.f.GetY(), contentW, title, "L", 8.8)
	d.gap(lineH(8.8) + 0.8)
}

func (d *pdfDoc) header() {
	if d.f.PageNo() == 1 {
		return
	}
	d.font("", 7.5)
	d.textColour(colMuted)
	left := "Kubernetes readiness assessment"
	if d.a.Client != "" {
		left = d.a.Client + " · " + left
	}
	right := d.fit(d.section, contentW*0.4)
	left = d.fit(left, contentW-d.f.GetStringWidth(right)-8)
	d.textAt(marginL, 11, contentW, left, "L", 7.5)
	d.textAt(marginL, 11, contentW, right, "R", 7.5)
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
	d.f.Line(marginL, 16, pageW-marginR, 16)
}

func (d *pdfDoc) footer() {
	d.font("", 7.5)
	d.textColour(colMuted)
	y := pageH - 14
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
	d.f.Line(marginL, y-1.5, pageW-marginR, y-1.5)
	left := "whyk8s " + d.a.ToolVersion + " · " + longDate(d.a.GeneratedAt)
	if d.a.Client != "" {
		left = "Prepared for " + d.a.Client + " · " + longDate(d.a.GeneratedAt)
	}
	d.textAt(marginL, y, contentW*0.7, d.fit(left, contentW*0.7), "L", 7.5)
	// The total is filled in when the document closes ({nb}); right-aligning on the alias
	// would misplace the text by the alias's width, so the label is placed by the width
	// it will have once the total is in.
	label := "Page " + strconv.Itoa(d.f.PageNo()) + " of {nb}"
	x := pageW - marginR - d.f.GetStringWidth("Page "+strconv.Itoa(d.f.PageNo())+" of "+strconv.Itoa(d.total))
	d.textAt(x, y, pageW-marginR-x, label, "L", 7.5)
}

// contentsPages reserves the pages the table of contents is drawn on at the end, once
// every section's page is known.
func (d *pdfDoc) contentsPages() {
	d.section = "Contents"
	for i := 0; i < d.tocPages; i++ {
		d.f.AddPage()
		if i == 0 {
			d.tocFirst = d.f.PageNo()
			d.f.Bookmark("Contents", 0, -1)
			d.font("B", 20)
			d.textColour(colNavy)
			d.textAt(marginL, d.f.GetY(), contentW, "Contents", "L", 20)
			d.fillColour(colAccent)
			d.f.Rect(marginL, d.f.GetY()+lineH(20)+1, 16, 1.1, "F")
		}
	}
}

// drawContents fills the reserved pages with one clickable line per section.
func (d *pdfDoc) drawContents() {
	last := d.f.PageNo()
	page, y := d.tocFirst, marginT+lineH(20)+9
	d.tocNeed = 1
	d.f.SetPage(page)
	d.restoreState()
	for _, e := range d.toc {
		size, style, indent, before := 9.5, "", 7.0, 0.0
		if e.level == 0 {
			size, style, indent, before = 11, "B", 0, 3.5
		}
		h := lineH(size) + 1.6
		if y+before+h > bottomY {
			d.tocNeed++
			if d.tocNeed > d.tocPages {
				continue // counted; the caller renders again with more pages
			}
			page++
			d.f.SetPage(page)
			d.restoreState()
			y = marginT
		}
		y += before
		num := strconv.Itoa(e.page)
		d.font(style, size)
		d.textColour(colInk)
		if e.level == 0 {
			d.textColour(colNavy)
		}
		numW := d.f.GetStringWidth(num)
		title := d.fit(e.title, contentW-indent-numW-12)
		titleW := d.f.GetStringWidth(title)
		d.textAt(marginL+indent, y, contentW-indent, title, "L", size)
		d.textAt(marginL, y, contentW, num, "R", size)
		// Dotted leader from the title to the page number.
		d.drawColour(colRule)
		d.f.SetLineWidth(0.3)
		d.f.SetDashPattern([]float64{0.3, 1.2}, 0)
		ly := y + lineH(size)*0.72
		d.f.Line(marginL+indent+titleW+2, ly, pageW-marginR-numW-2, ly)
		d.f.SetDashPattern([]float64{}, 0)
		link := d.f.AddLink()
		d.f.SetLink(link, e.y, e.page)
		d.f.Link(marginL+indent, y, contentW-indent, h, link)
		y += h
	}
	d.f.SetPage(last)
}

// restoreState re-emits the graphics state after SetPage: a page's content stream ends
// in whatever state it was left in, which need not be what fpdf believes is current.
func (d *pdfDoc) restoreState() {
	d.mono(9)
	d.font("", 9)
	d.fillColour(colWhite)
	d.textColour(colInk)
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
}
