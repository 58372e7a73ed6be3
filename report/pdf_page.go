package report

// Page furniture of the PDF report: headings and the outline, the running header and
// footer, and the table of contents.

import "strconv"

// mark records a heading in the outline (bookmarks).
func (d *pdfDoc) mark(title string, level int) {
	d.f.Bookmark(title, level, -1)
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
	left := d.title
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
