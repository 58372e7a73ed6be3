package report

// Tables of the PDF report: columns, cells, page breaks inside a table.

import (
	"strings"
	"unicode/utf8"
)

type column struct {
	title string
	width float64 // share of the table width; widths are normalised
	align string  // L, R or C
	mono  bool
	size  float64 // font size; 0 means the table's
}

type tcell struct {
	text   string
	colour *rgb // text colour; nil means ink
	bold   bool
	swatch *rgb // a small square of colour before the text
	link   int  // internal link for the whole cell; 0 for none
}

func tc(s string) tcell { return tcell{text: s} }

// shortWord is the longest word, in characters, that a table never breaks inside.
const shortWord = 14

// maxCellLines caps a cell so that one row never outgrows a page; the full text is in
// report.md and assessment.json.
const maxCellLines = 40

// table draws rows under a header that is repeated on every page the table spans. Cells
// wrap; rows never split across pages.
func (d *pdfDoc) table(cols []column, rows [][]tcell) { d.tableWithin(cols, rows, 0, nil) }

// tableWithin draws a table that ends above bottom (0: no limit, the table spans pages):
// the rows that fit, then a line from more saying how many did not and where they are.
// The board report and the per-workload pages are of a fixed length, so their tables are
// drawn this way.
func (d *pdfDoc) tableWithin(cols []column, rows [][]tcell, bottom float64, more func(hidden int) string) {
	const padX, padY, size, headSize = 1.5, 1.25, 7.6, 7.2
	// slop keeps a word that exactly fits its column from wrapping on rounding.
	const slop = 0.3
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = contentW * c.width / total
	}
	cellFont := func(c column, cell tcell) float64 {
		s := size
		if c.size > 0 {
			s = c.size
		}
		switch {
		case c.mono:
			d.mono(s - 0.4)
		case cell.bold:
			d.font("B", s)
		default:
			d.font("", s)
		}
		return s
	}
	// No column may be narrower than its longest header word or its longest short word
	// ("unknown", "production"): breaking those inside reads as a typo. Long identifiers
	// (ARNs, paths) may still break, and do.
	mins := make([]float64, len(cols))
	for i, c := range cols {
		d.font("B", headSize)
		for _, w := range strings.Fields(c.title) {
			mins[i] = max(mins[i], d.f.GetStringWidth(w)+2*padX+slop)
		}
		for _, row := range rows {
			if i >= len(row) {
				continue
			}
			cellFont(c, row[i])
			extra := 2 * padX
			if row[i].swatch != nil {
				extra += 3
			}
			for _, w := range strings.Fields(row[i].text) {
				if utf8.RuneCountInString(w) <= shortWord {
					mins[i] = max(mins[i], d.f.GetStringWidth(w)+extra+slop)
				}
			}
		}
	}
	fitWidths(widths, mins)
	// Header rows are wrapped like any other row.
	d.font("B", headSize)
	headLines := make([][]string, len(cols))
	headH := 0.0
	for i, c := range cols {
		headLines[i] = d.wrap(c.title, widths[i]-2*padX)
		headH = max(headH, float64(len(headLines[i]))*lineH(headSize)+2*padY)
	}
	drawHeader := func() {
		y := d.f.GetY()
		d.fillColour(colPanel)
		d.f.Rect(marginL, y, contentW, headH, "F")
		d.font("B", headSize)
		d.textColour(colNavy)
		x := marginL
		for i, c := range cols {
			for k, l := range headLines[i] {
				d.textAt(x+padX, y+padY+float64(k)*lineH(headSize), widths[i]-2*padX, l, c.align, headSize)
			}
			x += widths[i]
		}
		d.drawColour(colNavy)
		d.f.SetLineWidth(0.3)
		d.f.Line(marginL, y+headH, marginL+contentW, y+headH)
		d.f.SetY(y + headH)
	}
	type laid struct {
		lines [][]string
		h     float64
	}
	layout := func(row []tcell) laid {
		l := laid{lines: make([][]string, len(cols))}
		for i, c := range cols {
			if i >= len(row) {
				continue
			}
			s := cellFont(c, row[i])
			w := widths[i] - 2*padX
			if row[i].swatch != nil {
				w -= 3
			}
			lines := d.wrap(row[i].text, w)
			if len(lines) > maxCellLines {
				lines = append(lines[:maxCellLines-1], "…")
			}
			l.lines[i] = lines
			l.h = max(l.h, float64(len(lines))*lineH(s)+2*padY)
		}
		return l
	}
	first := laid{h: lineH(size) + 2*padY}
	if len(rows) > 0 {
		first = layout(rows[0])
	}
	const noteSize = 7.4
	noteH := lineH(noteSize) + 1.5
	stop := func(r int) {
		if more == nil || r >= len(rows) {
			return
		}
		d.font("I", noteSize)
		d.textColour(colMuted)
		d.textAt(marginL, d.f.GetY()+0.8, contentW, d.fit(more(len(rows)-r), contentW), "L", noteSize)
		d.f.SetY(d.f.GetY() + noteH)
	}
	if bottom > 0 && d.f.GetY()+headH+first.h+noteH > bottom {
		stop(0)
		return
	}
	d.need(headH + first.h)
	drawHeader()
	for r, row := range rows {
		if r%64 == 0 && d.ctx.Err() != nil {
			return
		}
		l := first
		if r > 0 {
			l = layout(row)
		}
		if bottom > 0 {
			reserve := 0.0
			if r < len(rows)-1 {
				reserve = noteH
			}
			if d.f.GetY()+l.h+reserve > bottom {
				stop(r)
				d.gap(1)
				return
			}
		}
		if d.f.GetY()+l.h > bottomY {
			d.f.AddPage()
			drawHeader()
		}
		y := d.f.GetY()
		if r%2 == 1 {
			d.fillColour(colZebra)
			d.f.Rect(marginL, y, contentW, l.h, "F")
		}
		x := marginL
		for i, c := range cols {
			if i >= len(row) {
				break
			}
			cell := row[i]
			s := cellFont(c, cell)
			tx := x + padX
			if cell.swatch != nil {
				d.fillColour(*cell.swatch)
				d.f.Rect(tx, y+padY+lineH(s)/2-1, 2, 2, "F")
				tx += 3
			}
			col := colInk
			if cell.colour != nil {
				col = *cell.colour
			}
			d.textColour(col)
			for k, line := range l.lines[i] {
				d.textAt(tx, y+padY+float64(k)*lineH(s), widths[i]-(tx-x)-padX, line, c.align, s)
			}
			if cell.link > 0 {
				d.f.Link(x, y, widths[i], l.h, cell.link)
			}
			x += widths[i]
		}
		d.drawColour(colRule)
		d.f.SetLineWidth(0.1)
		d.f.Line(marginL, y+l.h, marginL+contentW, y+l.h)
		d.f.SetY(y + l.h)
	}
	d.gap(3)
}
