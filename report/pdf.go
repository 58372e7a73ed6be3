package report

// This is the only file that knows the PDF library (codeberg.org/go-pdf/fpdf, the gofpdf
// API): replacing the library means replacing this file. What the PDF shows is decided by
// the same helpers the Markdown report uses (view.go); geometry that needs no library is
// in layout.go.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logo formats accepted by Options.Logo
	_ "image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// pdfWriter renders the board-ready PDF.
type pdfWriter struct {
	logo     []byte
	logoType string // fpdf's image type: PNG or JPG
}

func (pdfWriter) file() string { return "report.pdf" }

// newPDFWriter reads and checks the optional logo now, so that a bad one is reported
// before a long run. With a bad logo the writer still works, without the logo.
func newPDFWriter(path string) (writer, error) {
	if path == "" {
		return pdfWriter{}, nil
	}
	bad := func(format string, args ...any) (writer, error) {
		return pdfWriter{}, fmt.Errorf("%w: logo %s: %s; the PDF is written without it", ErrBadOption, path, fmt.Sprintf(format, args...))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in the message
		}
		return bad("%v", err)
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return bad("not a PNG or JPEG image (%v)", err)
	}
	tp := map[string]string{"png": "PNG", "jpeg": "JPG"}[format]
	if tp == "" {
		return bad("%s images are not supported, use PNG or JPEG", format)
	}
	// fpdf decodes images itself and refuses some files Go accepts (interlaced PNG).
	probe := fpdf.New("P", "mm", "A4", "")
	probe.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: tp}, bytes.NewReader(data))
	if err := probe.Error(); err != nil {
		return bad("%v", err)
	}
	return pdfWriter{logo: data, logoType: tp}, nil
}

func (p pdfWriter) write(ctx context.Context, w io.Writer, a *assess.Assessment) error {
	// The table of contents is drawn last, on pages reserved for it after the executive
	// summary. One page holds it in practice; if it does not, render again with more.
	tocPages := 1
	// The footer's "Page X of Y" is right-aligned on a guess of how many digits Y has
	// (fpdf fills Y in only when the document closes); a wrong guess costs one more render.
	total := 99
	for {
		d, err := p.render(ctx, a, tocPages, total)
		if err != nil {
			return err
		}
		pages := d.f.PageCount()
		if d.tocNeed > tocPages || len(strconv.Itoa(pages)) != len(strconv.Itoa(total)) {
			tocPages, total = max(tocPages, d.tocNeed), pages
			continue
		}
		if err := d.f.Output(w); err != nil {
			return fmt.Errorf("render PDF: %w", err)
		}
		return nil
	}
}

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

type tocEntry struct {
	title string
	level int
	page  int
	y     float64
}

// pdfDoc is one rendering of an assessment.
type pdfDoc struct {
	ctx  context.Context
	f    *fpdf.Fpdf
	a    *assess.Assessment
	logo bool

	section  string // the running header's right-hand side
	toc      []tocEntry
	tocFirst int // first page reserved for the contents
	tocPages int // pages reserved
	tocNeed  int // pages the contents needed
	total    int // the page count the footer is laid out for

	names   map[int]string
	index   map[string]*assess.Workload
	links   map[string]int // workload ID → link to its section
	details bool           // whether the PDF carries per-workload sections
}

func (p pdfWriter) render(ctx context.Context, a *assess.Assessment, tocPages, total int) (*pdfDoc, error) {
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{ctx: ctx, f: f, a: a, tocPages: tocPages, total: total, names: waveNames(a), index: workloadIndex(a), links: map[string]int{}}
	d.details = len(a.Workloads) <= pdfDetailLimit

	f.SetCatalogSort(true)
	when := a.GeneratedAt.UTC()
	if a.GeneratedAt.IsZero() {
		// fpdf would stamp the wall clock; a fixed date keeps the output reproducible.
		when = time.Unix(0, 0).UTC()
	}
	f.SetCreationDate(when)
	f.SetModificationDate(when)
	title := "Kubernetes readiness assessment"
	if a.Client != "" {
		title += ": " + a.Client
	}
	f.SetTitle(title, true)
	f.SetSubject("Container fit and organisational readiness for Kubernetes", true)
	f.SetAuthor("whyk8s", true)
	f.SetCreator("whyk8s "+a.ToolVersion, true)
	f.SetProducer("whyk8s", true)
	// fpdf writes into the font bytes while subsetting, and the gofont slices are shared
	// package variables: without a copy, the first PDF a process renders differs from every
	// later one (TestPDFLeavesSharedFontsUntouched).
	f.AddUTF8FontFromBytes(fontSans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(fontSans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(fontSans, "I", bytes.Clone(goitalic.TTF))
	f.AddUTF8FontFromBytes(fontMono, "", bytes.Clone(gomono.TTF))
	if len(p.logo) > 0 {
		f.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: p.logoType}, bytes.NewReader(p.logo))
		d.logo = true
	}
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(true, marginB)
	f.SetCellMargin(0)
	f.AliasNbPages("")
	f.SetHeaderFuncMode(d.header, true)
	f.SetFooterFunc(d.footer)
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("render PDF: %w", err)
	}

	for i := range a.Workloads {
		if wl := &a.Workloads[i]; d.details && !condensed(a, wl) {
			d.links[wl.ID] = f.AddLink()
		}
	}

	steps := []func(){d.summaryPage1, d.summaryPage2, d.contentsPages}
	switch {
	case a.Changes != nil:
		steps = append(steps, d.changes) // with the trend, when there is one
	case len(a.Trend) >= 2:
		steps = append(steps, func() {
			d.chapter("Trend")
			d.trendChart(a.Trend)
		})
	}
	steps = append(steps, d.readiness, d.workloads, d.findings, d.appendix)
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		step()
		if err := f.Error(); err != nil {
			return nil, fmt.Errorf("render PDF: %w", err)
		}
	}
	d.drawContents()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("render PDF: %w", err)
	}
	return d, nil
}

// --- drawing primitives -----------------------------------------------------------------

func (d *pdfDoc) font(style string, size float64) { d.f.SetFont(fontSans, style, size) }
func (d *pdfDoc) mono(size float64)               { d.f.SetFont(fontMono, "", size) }
func (d *pdfDoc) textColour(c rgb)                { d.f.SetTextColor(c.r, c.g, c.b) }
func (d *pdfDoc) fillColour(c rgb)                { d.f.SetFillColor(c.r, c.g, c.b) }
func (d *pdfDoc) drawColour(c rgb)                { d.f.SetDrawColor(c.r, c.g, c.b) }

// need starts a new page unless h millimetres fit below the current position.
func (d *pdfDoc) need(h float64) {
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

// --- structure: headings, header, footer, contents ---------------------------------------

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

// --- tables --------------------------------------------------------------------------------

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
func (d *pdfDoc) table(cols []column, rows [][]tcell) {
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

// --- charts ---------------------------------------------------------------------------------

type barItem struct {
	label string
	value int
	note  string
	fill  rgb
}

// barChart draws horizontal bars, one per item, scaled to the largest value.
func (d *pdfDoc) barChart(items []barItem, labelW float64) {
	const rowH, barH = 6.6, 4.2
	maxV := 1
	for _, it := range items {
		maxV = max(maxV, it.value)
	}
	trackW := contentW - labelW - 26
	d.need(rowH * float64(len(items)))
	for _, it := range items {
		y := d.f.GetY()
		d.font("", 8.6)
		d.textColour(colInk)
		d.textAt(marginL, y+rowH/2-lineH(8.6)/2, labelW-3, d.fit(it.label, labelW-3), "L", 8.6)
		x := marginL + labelW
		d.fillColour(colPanel)
		d.f.Rect(x, y+(rowH-barH)/2, trackW, barH, "F")
		if it.value > 0 {
			d.fillColour(it.fill)
			d.f.Rect(x, y+(rowH-barH)/2, max(0.8, trackW*float64(it.value)/float64(maxV)), barH, "F")
		}
		d.font("B", 8.6)
		d.textAt(x+trackW+2, y+rowH/2-lineH(8.6)/2, 24, thousands(it.value)+it.note, "L", 8.6)
		d.f.SetY(y + rowH)
	}
}

// dimensionBars draws a workload's score per dimension as small horizontal bars in a box
// at x, y; unknown dimensions are labelled, not drawn as zero.
func (d *pdfDoc) dimensionBars(x, y, w float64, dims []assess.Dimension) float64 {
	const rowH, barH = 4.6, 2.6
	nameW, valueW := 30.0, 12.0
	trackW := w - nameW - valueW
	d.font("B", 6.8)
	d.textColour(colMuted)
	d.textAt(x, y, w, "SCORE BY DIMENSION", "L", 6.8)
	y += lineH(6.8) + 1
	for _, dim := range dims {
		d.font("", 7.4)
		d.textColour(colInk)
		d.textAt(x, y+rowH/2-lineH(7.4)/2, nameW-1.5, d.fit(dim.Name, nameW-1.5), "L", 7.4)
		d.fillColour(colPanel)
		d.f.Rect(x+nameW, y+(rowH-barH)/2, trackW, barH, "F")
		value := "unknown"
		if dim.Known {
			value = strconv.Itoa(dim.Score)
			v := max(0, min(100, dim.Score))
			d.fillColour(colNavy)
			d.f.Rect(x+nameW, y+(rowH-barH)/2, trackW*float64(v)/100, barH, "F")
			d.font("B", 7.4)
		} else {
			d.font("I", 7)
			d.textColour(colMuted)
		}
		d.textAt(x+nameW+trackW, y+rowH/2-lineH(7.4)/2, valueW, value, "R", 7.4)
		y += rowH
	}
	return y
}

// radar draws the readiness factors on a spider chart: the answers as a filled shape and
// what the evidence suggests as a dashed one. Unanswered factors are labelled and left off
// the shape rather than drawn as zero.
func (d *pdfDoc) radar(factors []assess.Factor) {
	n := len(factors)
	if n < 3 {
		return
	}
	const r = 44.0
	h := 2*r + 30
	d.need(h + 10)
	cx, cy := pageW/2, d.f.GetY()+r+12
	// Rings for levels 1–4 and the spokes.
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
	for level := 1; level <= 4; level++ {
		pts := make([]fpdf.PointType, n)
		for i := range factors {
			px, py := radarPoint(cx, cy, r, i, n, float64(level), 4)
			pts[i] = fpdf.PointType{X: px, Y: py}
		}
		d.f.Polygon(pts, "D")
	}
	for i := range factors {
		px, py := radarPoint(cx, cy, r, i, n, 4, 4)
		d.f.Line(cx, cy, px, py)
	}
	d.font("", 6)
	d.textColour(colMuted)
	for level := 1; level <= 4; level++ {
		_, py := radarPoint(cx, cy, r, 0, n, float64(level), 4)
		d.textAt(cx+0.8, py-lineH(6)+0.2, 4, strconv.Itoa(level), "L", 6)
	}
	shape := func(level func(assess.Factor) *int) []fpdf.PointType {
		var pts []fpdf.PointType
		for i, fa := range factors {
			if v := level(fa); v != nil {
				px, py := radarPoint(cx, cy, r, i, n, float64(max(0, min(4, *v))), 4)
				pts = append(pts, fpdf.PointType{X: px, Y: py})
			}
		}
		return pts
	}
	hints := shape(func(f assess.Factor) *int { return f.HintLevel })
	answers := shape(func(f assess.Factor) *int { return f.Answer })
	if len(answers) >= 3 {
		d.f.SetAlpha(0.22, "Normal")
		d.fillColour(colNavy)
		d.f.Polygon(answers, "F")
		d.f.SetAlpha(1, "Normal")
		d.drawColour(colNavy)
		d.f.SetLineWidth(0.6)
		d.f.Polygon(answers, "D")
	}
	d.fillColour(colNavy)
	for _, p := range answers {
		d.f.Circle(p.X, p.Y, 0.9, "F")
	}
	if len(hints) > 0 {
		// A shape through only the factors the evidence speaks to would invent the others,
		// so hints are a shape only when every factor has one, and marks otherwise.
		d.drawColour(colAccent)
		d.f.SetLineWidth(0.5)
		if len(hints) == n {
			d.f.SetDashPattern([]float64{1.4, 1}, 0)
			d.f.Polygon(hints, "D")
			d.f.SetDashPattern([]float64{}, 0)
		}
		d.fillColour(colWhite)
		for _, p := range hints {
			d.f.Circle(p.X, p.Y, 1.3, "FD")
		}
	}
	// Labels outside the rim, aligned away from the centre.
	for i, fa := range factors {
		px, py := radarPoint(cx, cy, r+4, i, n, 1, 1)
		const lw = 36.0
		align, x := "C", px-lw/2
		switch {
		case px > cx+2:
			align, x = "L", px
		case px < cx-2:
			align, x = "R", px-lw
		}
		label := fa.Title
		style := ""
		if fa.Answer == nil {
			label += " (no answer)"
			style = "I"
		}
		d.font(style, 7.2)
		d.textColour(colInk)
		if fa.Answer == nil {
			d.textColour(colMuted)
		}
		lines := d.wrap(label, lw)
		ly := py - float64(len(lines))*lineH(7.2)/2
		if py < cy-r {
			ly = py - float64(len(lines))*lineH(7.2)
		} else if py > cy+r {
			ly = py
		}
		for k, l := range lines {
			d.textAt(x, ly+float64(k)*lineH(7.2), lw, l, align, 7.2)
		}
	}
	d.f.SetY(cy + r + 12)
	// Legend: only what is drawn.
	d.font("", 7.5)
	d.textColour(colMuted)
	legendY := d.f.GetY()
	lx := pageW/2 - 52
	if len(answers) == 0 || len(hints) == 0 {
		lx = pageW/2 - 20
	}
	if len(answers) > 0 {
		d.fillColour(colNavy)
		d.f.SetAlpha(0.4, "Normal")
		d.f.Rect(lx, legendY+0.8, 5, 2.4, "F")
		d.f.SetAlpha(1, "Normal")
		d.textAt(lx+7, legendY, 40, "Answer (0–4)", "L", 7.5)
		lx += 46
	}
	if len(hints) > 0 {
		d.drawColour(colAccent)
		d.fillColour(colWhite)
		d.f.SetLineWidth(0.5)
		d.f.Circle(lx+7, legendY+2, 1.3, "FD")
		d.textAt(lx+11, legendY, 50, "What the evidence suggests", "L", 7.5)
	}
	d.gap(lineH(7.5) + 4)
}

// trendChart draws one stacked bar of fit categories per run and, when every run
// assessed readiness, the readiness score as a line on a 0–100 scale at the right.
// trendChartH is the height the trend chart needs, legend included.
const trendChartH = 62.0 + 22

func (d *pdfDoc) trendChart(trend []assess.TrendPoint) {
	const h = 62.0
	d.need(trendChartH)
	x0, y0 := marginL+12, d.f.GetY()+4
	w := contentW - 24
	maxTotal := 0
	allAssessed := true
	for _, p := range trend {
		t := 0
		for _, c := range p.ByCategory {
			t += c.Count
		}
		maxTotal = max(maxTotal, t)
		allAssessed = allAssessed && p.Assessed
	}
	top := niceCeil(float64(maxTotal))
	// Grid and left axis.
	d.font("", 6.8)
	for k := 0; k <= 4; k++ {
		gy := y0 + h - h*float64(k)/4
		d.drawColour(colRule)
		d.f.SetLineWidth(0.15)
		d.f.Line(x0, gy, x0+w, gy)
		d.textColour(colMuted)
		d.textAt(x0-11, gy-lineH(6.8)/2, 10, strconv.FormatFloat(top*float64(k)/4, 'f', -1, 64), "R", 6.8)
		if allAssessed {
			d.textAt(x0+w+1, gy-lineH(6.8)/2, 10, strconv.Itoa(25*k), "L", 6.8)
		}
	}
	slot := w / float64(len(trend))
	barW := min(18, slot*0.55)
	var line []fpdf.PointType
	for i, p := range trend {
		bx := x0 + slot*float64(i) + (slot-barW)/2
		by := y0 + h
		for _, cat := range assess.Categories {
			for _, c := range p.ByCategory {
				if c.Category == cat && c.Count > 0 {
					bh := h * float64(c.Count) / top
					d.fillColour(categoryColour(cat))
					d.f.Rect(bx, by-bh, barW, bh, "F")
					by -= bh
				}
			}
		}
		d.textColour(colMuted)
		d.textAt(x0+slot*float64(i), y0+h+1.5, slot, shortDate(p.GeneratedAt), "C", 6.8)
		if allAssessed {
			line = append(line, fpdf.PointType{X: bx + barW/2, Y: y0 + h - h*float64(max(0, min(100, p.Readiness)))/100})
		}
	}
	if len(line) > 1 {
		d.drawColour(colNavy)
		d.f.SetLineWidth(0.7)
		for i := 1; i < len(line); i++ {
			d.f.Line(line[i-1].X, line[i-1].Y, line[i].X, line[i].Y)
		}
		d.fillColour(colNavy)
		for _, p := range line {
			d.f.Circle(p.X, p.Y, 1, "F")
		}
	}
	d.f.SetY(y0 + h + 8)
	// Legend: the categories, then the readiness line.
	d.font("", 7)
	lx := marginL
	for _, cat := range assess.Categories {
		d.fillColour(categoryColour(cat))
		d.f.Rect(lx, d.f.GetY()+0.7, 2.6, 2.6, "F")
		d.textColour(colMuted)
		d.textAt(lx+3.6, d.f.GetY(), 30, cat, "L", 7)
		lx += 3.6 + d.f.GetStringWidth(cat) + 4
	}
	if allAssessed {
		d.drawColour(colNavy)
		d.f.SetLineWidth(0.7)
		d.f.Line(lx, d.f.GetY()+2, lx+5, d.f.GetY()+2)
		d.textAt(lx+6.5, d.f.GetY(), 40, "Readiness (right axis)", "L", 7)
	}
	d.gap(lineH(7) + 4)
}

// fitChartH is the height the fit-against-effort chart needs, notes included.
const fitChartH = 96.0

// fitEffortChart plots container fit against migration effort, in four quadrants that
// say what to do: move first, worth planning, quick fixes then move, keep for now.
func (d *pdfDoc) fitEffortChart(pts []fitPoint, grouped bool) {
	const h = 78.0
	d.need(fitChartH)
	x0, y0 := marginL+10, d.f.GetY()+2
	w := contentW - 10
	px := func(x float64) float64 { return x0 + w*x }
	py := func(y float64) float64 { return y0 + h - h*y }
	// Quadrants: the split is between medium and large effort, and at the middle score.
	quads := []struct {
		x, y  float64
		label string
		tint  rgb
		align string
	}{
		{0, 1, "MOVE FIRST", rgb{232, 243, 236}, "L"},
		{0.5, 1, "WORTH PLANNING", rgb{238, 243, 248}, "R"},
		{0, 0.5, "QUICK FIXES, THEN MOVE", rgb{248, 245, 236}, "L"},
		{0.5, 0.5, "KEEP ON ASG FOR NOW", rgb{248, 240, 238}, "R"},
	}
	for _, q := range quads {
		d.fillColour(q.tint)
		d.f.Rect(px(q.x), py(q.y), w/2, h/2, "F")
		d.font("B", 6.6)
		d.textColour(colMuted)
		d.textAt(px(q.x)+2, py(q.y)+1.5, w/2-4, q.label, q.align, 6.6)
	}
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
	d.f.Rect(x0, y0, w, h, "D")
	d.font("", 6.8)
	d.textColour(colMuted)
	for k := 0; k <= 4; k++ {
		d.textAt(x0-10, py(float64(k)/4)-lineH(6.8)/2, 8.5, strconv.Itoa(25*k), "R", 6.8)
	}
	for _, e := range []string{"S", "M", "L", "XL"} {
		d.textAt(px(effortX[e])-10, y0+h+1.2, 20, "effort "+e, "C", 6.8)
	}
	// Points, coloured by category, labelled to the right.
	for _, p := range pts {
		cx, cy := px(p.x), py(p.y)
		r := 1.5
		if grouped {
			r = 1.5 + 3.5*math.Sqrt(float64(p.count)/float64(maxCount(pts)))
		}
		d.fillColour(categoryColour(p.category))
		d.drawColour(colWhite)
		d.f.SetLineWidth(0.3)
		d.f.Circle(cx, cy, r, "FD")
		label := p.label
		if grouped {
			label = thousands(p.count)
		}
		d.font("", 6.4)
		d.textColour(colInk)
		lw := min(d.f.GetStringWidth(label)+1, x0+w-(cx+r+1))
		d.textAt(cx+r+0.8, cy-lineH(6.4)/2, lw, d.fit(label, lw), "L", 6.4)
	}
	d.f.SetY(y0 + h + 7)
	note := "Each point is a workload, coloured by its category. Workloads with insufficient data or no effort estimate are not plotted."
	if grouped {
		note = "Each circle is the workloads of one category and effort size, sized by their number; it sits in the middle of its category's score band."
	}
	d.para(note, "I", 7.6, colMuted, 0)
	d.gap(3)
}

func maxCount(pts []fitPoint) int {
	m := 1
	for _, p := range pts {
		m = max(m, p.count)
	}
	return m
}

// --- the executive summary (pages 1 and 2) ---------------------------------------------------

func (d *pdfDoc) summaryPage1() {
	a := d.a
	d.section = "Executive summary"
	d.f.AddPage()
	const bandH = 66.0
	d.fillColour(colNavy)
	d.f.Rect(0, 0, pageW, bandH, "F")
	d.fillColour(colAccent)
	d.f.Rect(0, bandH, pageW, 1.4, "F")
	textW := contentW
	if d.logo {
		// The logo sits in a white card so that any logo reads on the navy band.
		const boxW, boxH = 46.0, 28.0
		bx, by := pageW-marginR-boxW, 16.0
		d.fillColour(colWhite)
		d.f.RoundedRect(bx, by, boxW, boxH, 2, "1234", "F")
		info := d.f.GetImageInfo("logo")
		iw, ih := boxW-6, boxH-6
		if info != nil && info.Width() > 0 && info.Height() > 0 {
			ratio := info.Width() / info.Height()
			if iw/ih > ratio {
				iw = ih * ratio
			} else {
				ih = iw / ratio
			}
		}
		d.f.ImageOptions("logo", bx+(boxW-iw)/2, by+(boxH-ih)/2, iw, ih, false, fpdf.ImageOptions{ImageType: ""}, 0, "")
		textW -= boxW + 6
	}
	d.f.SetY(0)
	d.mark("Executive summary", 0)
	d.font("B", 8.5)
	d.textColour(rgb{150, 196, 214})
	d.textAt(marginL, 18, textW, "KUBERNETES READINESS ASSESSMENT", "L", 8.5)
	client := a.Client
	if client == "" {
		client = "Client not named"
	}
	d.font("B", 24)
	d.textColour(colWhite)
	y := 25.0
	lines := d.wrap(client, textW)
	if len(lines) > 2 {
		d.font("B", 17)
		lines = d.wrap(client, textW)
	}
	size := 24.0
	if len(lines) > 2 {
		size = 17
		lines = append(lines[:1], d.fit(strings.Join(lines[1:], " "), textW))
	}
	for _, l := range lines {
		d.textAt(marginL, y, textW, l, "L", size)
		y += lineH(size)
	}
	d.font("", 10.5)
	d.textColour(rgb{206, 220, 232})
	d.textAt(marginL, y+2, textW, longDate(a.GeneratedAt)+" · prepared with whyk8s "+a.ToolVersion, "L", 10.5)

	d.f.SetY(bandH + 6)
	d.para(scopeText(a.Scope), "", 8.2, colMuted, 0)
	d.gap(4)

	// The verdict panel: what to do, and why, in the client's own numbers.
	d.font("B", 16)
	titleLines := d.wrap(a.Verdict.Title, contentW-14)
	d.font("", 9.6)
	var ratLines [][]string
	ratH := 0.0
	for _, s := range a.Verdict.Rationale {
		ls := d.wrap(s, contentW-19)
		ratLines = append(ratLines, ls)
		ratH += float64(len(ls))*lineH(9.6) + 1.4
	}
	panelH := 8 + lineH(8) + 1.5 + float64(len(titleLines))*lineH(16) + 3 + ratH + 4
	py := d.f.GetY()
	if py+panelH > bottomY {
		// A rationale too long for the panel flows as text instead, across pages if it must.
		d.font("B", 8)
		d.textColour(colAccent)
		d.textAt(marginL, d.f.GetY(), contentW, "VERDICT", "L", 8)
		d.gap(lineH(8) + 1)
		d.para(a.Verdict.Title, "B", 16, colNavy, 0)
		d.gap(2)
		d.bullets(a.Verdict.Rationale, 9.6, colInk)
	} else {
		d.verdictPanel(py, panelH, titleLines, ratLines)
	}
	d.keyFigures()
}

// verdictPanel draws the verdict's title and rationale in a tinted panel at y.
func (d *pdfDoc) verdictPanel(py, panelH float64, titleLines []string, ratLines [][]string) {
	d.fillColour(colPanel)
	d.f.Rect(marginL, py, contentW, panelH, "F")
	d.fillColour(colNavy)
	d.f.Rect(marginL, py, 1.6, panelH, "F")
	d.font("B", 8)
	d.textColour(colAccent)
	d.textAt(marginL+7, py+6, contentW-14, "VERDICT", "L", 8)
	ty := py + 6 + lineH(8) + 1.5
	d.font("B", 16)
	d.textColour(colNavy)
	ty = d.lines(marginL+7, ty, contentW-14, titleLines, 16)
	ty += 3
	d.font("", 9.6)
	for _, ls := range ratLines {
		d.fillColour(colAccent)
		d.f.Rect(marginL+7.5, ty+lineH(9.6)/2-0.7, 1.4, 1.4, "F")
		d.textColour(colInk)
		ty = d.lines(marginL+12, ty, contentW-19, ls, 9.6)
		ty += 1.4
	}
	d.f.SetY(py + panelH + 6)
}

// keyFigures draws the summary's tiles and the chart of workloads per fit category.
func (d *pdfDoc) keyFigures() {
	a := d.a
	r := a.Readiness
	readiness := tile{label: "READINESS", value: "Not assessed", note: "no questionnaire answers"}
	if r.Assessed {
		readiness = tile{label: "READINESS", value: r.Level, note: fmt.Sprintf("%d/100 · confidence %d%%", r.Score, r.Confidence)}
	}
	// An average of no workloads is not zero: say there is none.
	average := tile{label: "AVERAGE CONTAINER FIT", value: "—", note: "no workloads in scope"}
	if a.Summary.Workloads > 0 && judged(a) == 0 {
		average.note = "no workload could be judged"
	}
	if judged(a) > 0 {
		average = tile{label: "AVERAGE CONTAINER FIT", value: strconv.Itoa(a.Summary.AverageScore) + "/100", note: "0 = poor, 100 = excellent"}
	}
	critical, high := 0, 0
	for _, f := range a.Findings {
		switch strings.ToLower(f.Severity) {
		case "critical":
			critical++
		case "high":
			high++
		}
	}
	d.tiles([]tile{
		readiness,
		{label: "WORKLOADS ASSESSED", value: thousands(a.Summary.Workloads), note: thousands(a.Summary.NonProduction) + " non-production"},
		average,
		{label: "FINDINGS TO ACT ON", value: thousands(len(a.Findings)), note: fmt.Sprintf("%d critical · %d high", critical, high)},
	})
	d.gap(6)

	d.heading("Workloads by container fit")
	var items []barItem
	total := 0
	for _, c := range a.Summary.ByCategory {
		total += c.Count
	}
	for _, c := range a.Summary.ByCategory {
		note := ""
		if total > 0 {
			note = fmt.Sprintf("  (%d%%)", (c.Count*100+total/2)/total)
		}
		items = append(items, barItem{label: c.Category, value: c.Count, note: note, fill: categoryColour(c.Category)})
	}
	d.barChart(items, 36)
}

type tile struct{ label, value, note string }

// tiles draws a row of key figures.
func (d *pdfDoc) tiles(ts []tile) {
	const gap, h = 4.0, 22.0
	w := (contentW - gap*float64(len(ts)-1)) / float64(len(ts))
	d.need(h)
	y := d.f.GetY()
	for i, t := range ts {
		x := marginL + float64(i)*(w+gap)
		d.drawColour(colRule)
		d.f.SetLineWidth(0.25)
		d.f.Rect(x, y, w, h, "D")
		d.fillColour(colAccent)
		d.f.Rect(x, y, w, 0.9, "F")
		d.font("B", 6.4)
		d.textColour(colMuted)
		d.textAt(x+3, y+3, w-6, d.fit(t.label, w-6), "L", 6.4)
		// The value shrinks, then wraps onto two lines, rather than lose its end.
		size := 15.0
		d.font("B", size)
		if d.f.GetStringWidth(t.value) > w-6 {
			size = 11.5
			d.font("B", size)
		}
		d.textColour(colNavy)
		if d.f.GetStringWidth(t.value) <= w-6 {
			d.textAt(x+3, y+7.6, w-6, t.value, "L", size)
		} else {
			size = 9.2
			d.font("B", size)
			lines := d.wrap(t.value, w-6)
			if len(lines) > 2 {
				lines = append(lines[:1], d.fit(strings.Join(lines[1:], " "), w-6))
			}
			for k, l := range lines {
				d.textAt(x+3, y+7+float64(k)*lineH(size), w-6, l, "L", size)
			}
		}
		d.font("", 7.2)
		d.textColour(colMuted)
		d.textAt(x+3, y+h-3-lineH(7.2), w-6, d.fit(t.note, w-6), "L", 7.2)
	}
	d.f.SetY(y + h)
}

func (d *pdfDoc) summaryPage2() {
	a := d.a
	d.f.AddPage()
	d.heading("Top blockers")
	if len(a.Summary.TopBlockers) == 0 {
		d.para("No workload has a blocker.", "", 9.5, colInk, 0)
	} else {
		var rows [][]tcell
		for _, b := range a.Summary.TopBlockers {
			rows = append(rows, []tcell{
				{text: b.Title, bold: true},
				tc(b.Rule),
				tc(thousands(len(b.Workloads))),
				tc(d.workloadList(b.Workloads, 4)),
			})
		}
		d.table([]column{
			{title: "Blocker", width: 26}, {title: "Rule", width: 24, mono: true},
			{title: "Workloads", width: 11, align: "R"}, {title: "For example", width: 39},
		}, rows)
	}

	d.heading("Migration plan")
	d.waveCards()
	outside := 0
	for _, wl := range a.Workloads {
		if wl.Wave <= 0 {
			outside++
		}
	}
	if outside > 0 {
		d.para(plural(outside, "workload is", "workloads are")+" in no wave: they stay on Auto Scaling groups for now, or need more evidence before anyone can judge them (see Workloads).", "I", 8.4, colMuted, 0)
	}
	if len(a.Summary.TeamChanges) > 0 {
		d.heading("What changes for development and operations teams")
		d.bullets(a.Summary.TeamChanges, 9.2, colInk)
	}
}

// waveCards draws the migration waves side by side (up to four), or as a table.
func (d *pdfDoc) waveCards() {
	waves := d.a.Waves
	if len(waves) == 0 {
		d.para("No workload is planned into a migration wave.", "", 9.5, colInk, 0)
		return
	}
	if len(waves) > 4 {
		d.waveTable()
		return
	}
	const gap, pad = 4.0, 3.0
	n := float64(len(waves))
	w := (contentW - gap*(n-1)) / n
	type card struct{ name, why, list []string }
	cards := make([]card, len(waves))
	bodyH := 0.0
	for i, wv := range waves {
		d.font("B", 9.2)
		cards[i].name = d.wrap(wv.Name, w-2*pad)
		d.font("", 7.8)
		cards[i].why = d.wrap(wv.Rationale, w-2*pad)
		cards[i].list = d.wrap(d.workloadList(wv.Workloads, 6), w-2*pad)
		h := float64(len(cards[i].name))*lineH(9.2) + 2 + float64(len(cards[i].why))*lineH(7.8) + 3 + lineH(7) + float64(len(cards[i].list))*lineH(7.8)
		bodyH = max(bodyH, h)
	}
	const stripH = 8.0
	h := stripH + pad + bodyH + pad
	if h > maxCardH {
		d.waveTable()
		return
	}
	d.need(h)
	y := d.f.GetY()
	for i, wv := range waves {
		x := marginL + float64(i)*(w+gap)
		d.fillColour(colPanel)
		d.f.Rect(x, y, w, h, "F")
		d.fillColour(colNavy)
		d.f.Rect(x, y, w, stripH, "F")
		d.font("B", 8.2)
		d.textColour(colWhite)
		d.textAt(x+pad, y+stripH/2-lineH(8.2)/2, w-2*pad, "WAVE "+strconv.Itoa(wv.Number), "L", 8.2)
		d.font("", 8.2)
		d.textAt(x+pad, y+stripH/2-lineH(8.2)/2, w-2*pad, plural(len(wv.Workloads), "workload", "workloads"), "R", 8.2)
		cy := y + stripH + pad
		d.font("B", 9.2)
		d.textColour(colNavy)
		cy = d.lines(x+pad, cy, w-2*pad, cards[i].name, 9.2)
		cy += 2
		d.font("", 7.8)
		d.textColour(colInk)
		cy = d.lines(x+pad, cy, w-2*pad, cards[i].why, 7.8)
		cy += 3
		d.font("B", 6.4)
		d.textColour(colMuted)
		d.textAt(x+pad, cy, w-2*pad, "WORKLOADS", "L", 6.4)
		cy += lineH(7)
		d.font("", 7.8)
		d.textColour(colInk)
		cy = d.lines(x+pad, cy, w-2*pad, cards[i].list, 7.8)
		if i < len(waves)-1 {
			// An arrow between cards says "then".
			d.fillColour(colAccent)
			ax, ay := x+w+gap/2, y+stripH/2
			d.f.Polygon([]fpdf.PointType{{X: ax - 1.2, Y: ay - 1.8}, {X: ax + 1.4, Y: ay}, {X: ax - 1.2, Y: ay + 1.8}}, "F")
		}
	}
	d.f.SetY(y + h + 4)
}

// maxCardH is the tallest the wave cards may be; longer rationales read better in a table.
const maxCardH = 110.0

// waveTable lists the waves as a table, for plans that do not fit side by side.
func (d *pdfDoc) waveTable() {
	var rows [][]tcell
	for _, w := range d.a.Waves {
		rows = append(rows, []tcell{{text: strconv.Itoa(w.Number) + ". " + w.Name, bold: true}, tc(w.Rationale), tc(thousands(len(w.Workloads)) + ": " + d.workloadList(w.Workloads, 6))})
	}
	d.table([]column{{title: "Wave", width: 25}, {title: "Why this wave", width: 40}, {title: "Workloads", width: 35}}, rows)
}

// workloadList names up to n workloads and says how many more there are.
func (d *pdfDoc) workloadList(ids []string, n int) string {
	var names []string
	for i, id := range ids {
		if i == n {
			break
		}
		if wl, ok := d.index[id]; ok {
			names = append(names, wl.Name)
		} else {
			names = append(names, id)
		}
	}
	s := strings.Join(names, ", ")
	if len(ids) > n {
		s += ", and " + thousands(len(ids)-n) + " more"
	}
	if s == "" {
		return "none"
	}
	return s
}

// --- changes since the last run ----------------------------------------------------------------

func (d *pdfDoc) changes() {
	c := d.a.Changes
	d.chapter("Changes since " + longDate(c.Since))
	verdict := tile{label: "VERDICT", value: "Unchanged", note: decisionText(d.a.Verdict.Decision)}
	if c.VerdictTo != "" {
		verdict = tile{label: "VERDICT", value: decisionText(c.VerdictTo), note: "was: " + decisionText(c.VerdictFrom)}
	}
	moved := c.ReadinessTo - c.ReadinessFrom
	sign := ""
	if moved > 0 {
		sign = "+"
	}
	d.tiles([]tile{
		verdict,
		{label: "READINESS SCORE", value: fmt.Sprintf("%d → %d", c.ReadinessFrom, c.ReadinessTo), note: sign + strconv.Itoa(moved) + " points"},
		{label: "WORKLOADS", value: fmt.Sprintf("+%d / −%d", len(c.WorkloadsAdded), len(c.WorkloadsRemoved)), note: "added / removed"},
		{label: "FINDINGS", value: fmt.Sprintf("+%d / −%d", len(c.FindingsNew), len(c.FindingsResolved)), note: "new / resolved"},
	})
	d.gap(5)
	label := func(id string) string { return workloadLabel(d.index, id) }
	if len(c.Scores) > 0 {
		d.caption("Scores that moved", captionKeep)
		var rows [][]tcell
		for _, s := range c.Scores {
			cat := s.CategoryTo
			if s.CategoryFrom != s.CategoryTo {
				cat = s.CategoryFrom + " → " + s.CategoryTo
			}
			col := colPlus
			if s.ScoreTo < s.ScoreFrom {
				col = colMinus
			}
			rows = append(rows, []tcell{tc(label(s.Workload)), {text: fmt.Sprintf("%d → %d", s.ScoreFrom, s.ScoreTo), colour: &col, bold: true}, tc(cat), tc(strings.Join(s.Rules, ", "))})
		}
		d.table([]column{{title: "Workload", width: 30}, {title: "Score", width: 11}, {title: "Category", width: 25}, {title: "Rules that moved it", width: 34, mono: true}}, rows)
	}
	if len(c.WorkloadsAdded)+len(c.WorkloadsRemoved) > 0 {
		d.caption("Workloads added and removed", captionKeep)
		var rows [][]tcell
		for _, id := range c.WorkloadsAdded {
			rows = append(rows, []tcell{tc(label(id)), {text: "added", colour: &colPlus}})
		}
		for _, id := range c.WorkloadsRemoved {
			rows = append(rows, []tcell{tc(label(id)), {text: "removed", colour: &colMinus}})
		}
		d.table([]column{{title: "Workload", width: 80}, {title: "Change", width: 20}}, rows)
	}
	if len(c.BlockersFixed)+len(c.BlockersNew) > 0 {
		d.caption("Blockers fixed and new", captionKeep)
		var rows [][]tcell
		for _, b := range c.BlockersFixed {
			rows = append(rows, []tcell{tc(b.Title + " (" + b.Rule + ")"), tc(label(b.Workload)), {text: "fixed", colour: &colPlus}})
		}
		for _, b := range c.BlockersNew {
			rows = append(rows, []tcell{tc(b.Title + " (" + b.Rule + ")"), tc(label(b.Workload)), {text: "new", colour: &colMinus}})
		}
		d.table([]column{{title: "Blocker", width: 40}, {title: "Workload", width: 45}, {title: "Change", width: 15}}, rows)
	}
	if len(c.FindingsResolved)+len(c.FindingsNew) > 0 {
		d.caption("Findings resolved and new", captionKeep)
		var rows [][]tcell
		add := func(f assess.Finding, what string, col *rgb) {
			t := f.Title
			if f.Detail != "" {
				t += ": " + f.Detail
			}
			rows = append(rows, []tcell{tc(t), tc(findingPlace(f.Evidence)), {text: what, colour: col}})
		}
		for _, f := range c.FindingsResolved {
			add(f, "resolved", &colPlus)
		}
		for _, f := range c.FindingsNew {
			add(f, "new", &colMinus)
		}
		d.table([]column{{title: "Finding", width: 45}, {title: "Where", width: 40, mono: true}, {title: "Change", width: 15}}, rows)
	}
	if len(c.Factors) > 0 {
		d.caption("Readiness answers that changed", captionKeep)
		var rows [][]tcell
		for _, f := range c.Factors {
			rows = append(rows, []tcell{tc(f.ID), tc(answerText(f.From)), tc(answerText(f.To))})
		}
		d.table([]column{{title: "Factor", width: 40, mono: true}, {title: "Before", width: 30}, {title: "Now", width: 30}}, rows)
	}
	if len(d.a.Trend) >= 2 {
		d.headingKeep("Trend", trendChartH)
		d.trendChart(d.a.Trend)
	}
}

// --- organisational readiness ---------------------------------------------------------------------

func (d *pdfDoc) readiness() {
	r := d.a.Readiness
	d.chapter("Organisational readiness")
	if r.Assessed {
		d.tiles([]tile{
			{label: "LEVEL", value: r.Level, note: "from the questionnaire"},
			{label: "SCORE", value: strconv.Itoa(r.Score) + "/100", note: "weighted over twelve factors"},
			{label: "CONFIDENCE", value: strconv.Itoa(r.Confidence) + "%", note: "share of weight answered"},
		})
		d.gap(4)
	} else {
		d.callout("Not assessed", "Organisational readiness was not assessed: no questionnaire answers were given, so the verdict rests on the workloads alone. Run whyk8s questionnaire, fill the answers in with the client and pass the file with --answers.", colWarn)
	}
	plot := false
	for _, f := range r.Factors {
		plot = plot || f.Answer != nil || f.HintLevel != nil
	}
	if plot {
		d.radar(r.Factors)
	}
	if len(r.Factors) > 0 {
		var rows [][]tcell
		for _, f := range r.Factors {
			ans := tcell{text: answerText(f.Answer), bold: f.Answer != nil}
			if f.Answer == nil {
				ans.colour = &colMuted
			}
			hint := f.Hint
			if lv := levelText(f.HintLevel); lv != "" {
				hint += " (" + lv + ")"
			}
			rows = append(rows, []tcell{{text: f.Title + "\n" + f.ID}, tc(weightText(f.Weight)), ans, tc(hint), tc(f.Notes)})
		}
		d.table([]column{
			{title: "Factor", width: 21}, {title: "Weight", width: 6.5, align: "R"}, {title: "Answer", width: 12.5},
			{title: "Evidence suggests", width: 27}, {title: "Notes", width: 33},
		}, rows)
	}
	for _, f := range r.Factors {
		if f.Contradiction != "" {
			d.callout("Answer and evidence disagree: "+f.Title, f.Contradiction, colWarn)
		}
	}
}

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
	ty := y + 4 + lineH(8.8) + 1
	ty = d.lines(marginL+6, ty, contentW-12, lines, 8.8)
	d.f.SetY(y + h + 3)
}

// --- workloads -------------------------------------------------------------------------------------

func (d *pdfDoc) workloads() {
	a := d.a
	d.chapter("Workloads")
	if pts, grouped := fitEffortPoints(a); len(pts) > 0 {
		d.headingKeep("Fit against effort", fitChartH)
		d.fitEffortChart(pts, grouped)
	}
	d.heading("Overview")
	if len(a.Workloads) == 0 {
		d.para("No Auto Scaling group was found in scope.", "", 9.5, colInk, 0)
		return
	}
	// A large estate's overview is a register to look things up in: smaller type keeps
	// each workload on one line.
	size := 0.0
	if !d.details {
		size = 6.9
	}
	var rows [][]tcell
	for i := range a.Workloads {
		wl := &a.Workloads[i]
		cat := categoryColour(wl.Fit.Category)
		name := tcell{text: wl.Name, link: d.links[wl.ID]}
		if name.link > 0 {
			name.colour = &colAccent
		}
		rows = append(rows, []tcell{
			name, tc(wl.Environment), tc(wl.Account + "/" + wl.Region),
			{text: strconv.Itoa(wl.Fit.Score), bold: true}, {text: wl.Fit.Category, swatch: &cat},
			tc(strconv.Itoa(wl.Fit.Confidence) + "%"), tc(effortText(wl.Effort)), tc(waveNumberText(wl.Wave)),
		})
	}
	d.table([]column{
		{title: "Workload", width: 32, size: size}, {title: "Environment", width: 15, size: size}, {title: "Account/region", width: 38, size: size},
		{title: "Score", width: 9, align: "R", size: size}, {title: "Category", width: 30, size: size}, {title: "Confidence", width: 15, align: "R", size: size},
		{title: "Effort", width: 11, size: size}, {title: "Wave", width: 9, size: size},
	}, rows)
	if d.details {
		d.para("Names in teal link to the workload's section.", "I", 7.8, colMuted, 0)
	}

	var sections, short []*assess.Workload
	for i := range a.Workloads {
		if wl := &a.Workloads[i]; condensed(a, wl) {
			short = append(short, wl)
		} else {
			sections = append(sections, wl)
		}
	}
	if !d.details {
		d.blockersByRule()
		return
	}
	if len(sections) > 0 {
		d.headingKeep("Workload details", workloadKeep)
		for i, wl := range sections {
			if d.ctx.Err() != nil {
				return
			}
			d.workloadSection(wl, i == 0)
		}
	}
	if len(short) > 0 {
		d.heading("Workloads ready to move")
		d.para(condenseReason(a, len(short)), "", 9, colInk, 0)
		d.gap(2)
		var rows [][]tcell
		for _, wl := range short {
			var sig []string
			for _, s := range wl.Signals {
				sig = append(sig, s.Rule+" "+pointsText(s.Points))
			}
			cat := categoryColour(wl.Fit.Category)
			rows = append(rows, []tcell{tc(wl.Name), tc(wl.Environment), tc(wl.Account + "/" + wl.Region), {text: strconv.Itoa(wl.Fit.Score), bold: true}, {text: wl.Fit.Category, swatch: &cat}, tc(strings.Join(sig, ", "))})
		}
		d.table([]column{{title: "Workload", width: 20}, {title: "Environment", width: 12}, {title: "Account/region", width: 18}, {title: "Score", width: 7, align: "R"}, {title: "Category", width: 15}, {title: "Signals (points)", width: 28, mono: true}}, rows)
	}
}

// blockersByRule lists, for an estate too large for a section per workload, every blocker
// once with its remediation and the workloads it holds back.
func (d *pdfDoc) blockersByRule() {
	a := d.a
	type group struct {
		rule, title, remediation string
		ids                      []string
	}
	var groups []*group
	byRule := map[string]*group{}
	for i := range a.Workloads {
		wl := &a.Workloads[i]
		for _, b := range wl.Blockers {
			g := byRule[b.Rule]
			if g == nil {
				g = &group{rule: b.Rule, title: b.Title, remediation: b.Remediation}
				byRule[b.Rule] = g
				groups = append(groups, g)
			}
			if len(g.ids) == 0 || g.ids[len(g.ids)-1] != wl.ID {
				g.ids = append(g.ids, wl.ID)
			}
		}
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if len(groups[i].ids) != len(groups[j].ids) {
			return len(groups[i].ids) > len(groups[j].ids)
		}
		return groups[i].rule < groups[j].rule
	})
	d.heading("Blockers by rule")
	d.para(fmt.Sprintf("This estate has %s workloads, too many for a section each in a document meant to be read: each workload is in the overview above, and each blocker is below with the workloads it holds back. Every signal and blocker of every workload, with its evidence (file and line, or ARN and API field), is in report.md and assessment.json.", thousands(len(a.Workloads))), "", 9, colInk, 0)
	d.gap(2)
	if len(groups) == 0 {
		d.para("No workload has a blocker.", "", 9.5, colInk, 0)
		return
	}
	for _, g := range groups {
		d.caption(g.title+" ("+g.rule+"): "+plural(len(g.ids), "workload", "workloads"), 12)
		if g.remediation != "" {
			d.para(g.remediation, "", 8.6, colInk, 0)
			d.gap(1)
		}
		d.mono(6.6)
		d.textColour(colMuted)
		for _, line := range d.wrap(strings.Join(g.ids, ", "), contentW) {
			d.need(lineH(6.6))
			d.textAt(marginL, d.f.GetY(), contentW, line, "L", 6.6)
			d.gap(lineH(6.6))
		}
		d.gap(3)
	}
}

func waveNumberText(n int) string {
	if n <= 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

// workloadKeep is the room a workload section needs on a page before it starts: its
// title, key facts, dimension chart and the first rows of its signals.
const workloadKeep = 70.0

// workloadSection is one workload: what it is, how it scored and why, what blocks it,
// how it maps to Kubernetes and which scripts build it.
func (d *pdfDoc) workloadSection(wl *assess.Workload, first bool) {
	if !first {
		d.need(workloadKeep)
		d.drawColour(colRule)
		d.f.SetLineWidth(0.3)
		d.f.Line(marginL, d.f.GetY()+1, pageW-marginR, d.f.GetY()+1)
		d.gap(5)
	} else {
		d.need(workloadKeep)
	}
	y := d.f.GetY()
	if link, ok := d.links[wl.ID]; ok {
		d.f.SetLink(link, y, d.f.PageNo())
	}
	d.f.Bookmark(wl.Name, 2, -1)

	// Title and category pill.
	pill := wl.Fit.Category + " · " + strconv.Itoa(wl.Fit.Score)
	if wl.Fit.Category == assess.CategoryInsufficient {
		pill = wl.Fit.Category
	}
	d.font("B", 8)
	pillW := d.f.GetStringWidth(pill) + 6
	d.fillColour(categoryColour(wl.Fit.Category))
	d.f.RoundedRect(pageW-marginR-pillW, y, pillW, 6, 3, "1234", "F")
	d.textColour(colWhite)
	d.textAt(pageW-marginR-pillW, y+3-lineH(8)/2, pillW, pill, "C", 8)
	d.font("B", 13)
	d.textColour(colNavy)
	for _, l := range d.wrap(wl.Name, contentW-pillW-4) {
		d.textAt(marginL, d.f.GetY(), contentW-pillW-4, l, "L", 13)
		d.gap(lineH(13))
	}
	facts := []string{wl.Environment, wl.Account + "/" + wl.Region}
	if len(wl.InstanceTypes) > 0 {
		facts = append(facts, strings.Join(wl.InstanceTypes, ", "))
	}
	for _, s := range []string{wl.ImageID, wl.Platform} {
		if s != "" {
			facts = append(facts, s)
		}
	}
	if len(wl.LoadBalancers) > 0 {
		facts = append(facts, "load balancers: "+strings.Join(wl.LoadBalancers, ", "))
	}
	d.para(strings.Join(facts, " · "), "", 7.8, colMuted, 0)
	d.gap(2.5)

	// Key facts on the left, the dimension chart on the right.
	top := d.f.GetY()
	const leftW = 96.0
	ly := top
	kv := func(label, value string) {
		d.font("B", 6.6)
		d.textColour(colMuted)
		d.textAt(marginL, ly, leftW, label, "L", 6.6)
		ly += lineH(6.6)
		d.font("", 8.6)
		d.textColour(colInk)
		ly = d.lines(marginL, ly, leftW, d.wrap(value, leftW), 8.6)
		ly += 1.6
	}
	kv("RECOMMENDATION", wl.Recommendation.Text)
	kv("EFFORT · WAVE · CONFIDENCE", effortText(wl.Effort)+" · wave "+waveText(d.names, wl.Wave)+" · confidence "+strconv.Itoa(wl.Fit.Confidence)+"%")
	ry := d.dimensionBars(marginL+leftW+8, top, contentW-leftW-8, wl.Fit.Dimensions)
	d.f.SetY(max(ly, ry) + 2)

	if len(wl.Signals) == 0 {
		d.caption("Signals", 5)
		d.para("No rule found evidence for this workload.", "I", 8.4, colMuted, 0)
	} else {
		d.caption("Signals", captionKeep)
		var rows [][]tcell
		for _, s := range wl.Signals {
			title := s.Title
			if s.Detail != "" {
				title += ": " + s.Detail
			}
			col := colPlus
			if s.Points < 0 {
				col = colMinus
			} else if s.Points == 0 {
				col = colMuted
			}
			rows = append(rows, []tcell{tc(s.Rule), tc(title), {text: pointsText(s.Points), colour: &col, bold: true}, tc(signalEvidenceLines(s.Evidence))})
		}
		d.table([]column{{title: "Rule", width: 21, mono: true}, {title: "Signal", width: 30}, {title: "Points", width: 8, align: "R"}, {title: "Evidence", width: 41, mono: true, size: 7.2}}, rows)
	}
	if len(wl.Blockers) > 0 {
		d.caption("Blockers", captionKeep)
		var rows [][]tcell
		for _, b := range wl.Blockers {
			rows = append(rows, []tcell{{text: b.Title + "\n" + b.Rule, bold: true}, tc(effortText(b.Effort)), tc(b.Remediation), tc(strings.Join(evidenceText(b.Evidence), "\n"))})
		}
		d.table([]column{{title: "Blocker", width: 21}, {title: "Effort", width: 7}, {title: "Remediation", width: 39}, {title: "Evidence", width: 33, mono: true, size: 7.2}}, rows)
	}
	if len(wl.Mapping) > 0 {
		d.caption("On Kubernetes", captionKeep)
		var rows [][]tcell
		for _, m := range wl.Mapping {
			rows = append(rows, []tcell{tc(m.From), tc(m.To), tc(m.Note)})
		}
		d.table([]column{{title: "Today", width: 34}, {title: "On Kubernetes", width: 36}, {title: "Note", width: 30}}, rows)
	}
	if len(wl.Scripts) == 0 {
		d.caption("Linked scripts", 5)
		d.para("No provisioning script is linked to this workload.", "I", 8.4, colMuted, 0)
	} else {
		d.caption("Linked scripts", captionKeep)
		var rows [][]tcell
		for _, s := range scriptLinkRows(wl.Scripts) {
			rows = append(rows, []tcell{tc(s.Path), tc(s.Kind), tc(s.Why), tc(s.Confidence)})
		}
		d.table([]column{{title: "Script", width: 35, mono: true}, {title: "Kind", width: 14}, {title: "Why it is linked", width: 39}, {title: "Confidence", width: 12}}, rows)
	}
	d.gap(2)
}

// signalEvidenceLines is evidenceLines, except that a long list of whole files — the
// linked scripts searched for something that is not there — is counted rather than
// listed: the workload's "Linked scripts" table names them, and a page of the same paths
// under every absent signal buries the evidence that is there. report.md and
// assessment.json keep the full list.
func signalEvidenceLines(ev []inventory.Evidence) string {
	if len(ev) > 3 {
		whole := true
		for _, e := range ev {
			if e.File == "" || e.Line != 0 || e.ARN != "" || e.Field != "" {
				whole = false
				break
			}
		}
		if whole {
			return fmt.Sprintf("the %d linked scripts listed under Linked scripts", len(ev))
		}
	}
	return evidenceLines(ev)
}

// evidenceLines renders evidence one place per line, each followed by its excerpt.
func evidenceLines(ev []inventory.Evidence) string {
	var lines []string
	for _, e := range ev {
		p := e.String()
		if p == "" {
			continue
		}
		lines = append(lines, p)
		if x := strings.TrimSpace(e.Excerpt); x != "" {
			lines = append(lines, "> "+truncate(x, excerptMax))
		}
	}
	return strings.Join(lines, "\n")
}

// --- findings, coverage, unlinked scripts ---------------------------------------------------------

func (d *pdfDoc) findings() {
	a := d.a
	d.chapter("Findings")
	d.para("Things a person must act on, apart from container fit. Secret values are never copied into this report: each secret is named by its kind and its place only.", "", 9, colInk, 0)
	d.gap(3)
	d.heading("Security findings and red flags")
	if len(a.Findings) == 0 {
		d.para("No findings.", "", 9.5, colInk, 0)
	} else {
		var rows [][]tcell
		for _, f := range a.Findings {
			sev := severityColour(f.Severity)
			t := f.Title
			if f.Detail != "" {
				t += ": " + f.Detail
			}
			// The place only: the evidence's value or excerpt may be the secret itself.
			rows = append(rows, []tcell{{text: f.Severity, colour: &sev, bold: true}, tc(t), tc(f.Rule), tc(findingPlace(f.Evidence)), tc(d.workloadList(f.Workloads, 5))})
		}
		d.table([]column{{title: "Severity", width: 10}, {title: "Finding", width: 32}, {title: "Rule", width: 17, mono: true}, {title: "Where", width: 22, mono: true}, {title: "Workloads", width: 19}}, rows)
	}

	d.heading("Coverage gaps")
	if len(a.Coverage) == 0 {
		d.para("Everything in scope was read.", "", 9.5, colInk, 0)
	} else {
		d.para("What could not be read, and why. Workloads in these places are missing from the assessment, or are judged on less evidence.", "", 9, colInk, 0)
		d.gap(2)
		if m := newGapMatrix(a); m != nil {
			cols := []column{{title: "Account", width: 18}}
			for _, r := range m.Regions {
				cols = append(cols, column{title: r, width: 82 / float64(len(m.Regions)), size: 7})
			}
			var rows [][]tcell
			for i, acc := range m.Accounts {
				row := []tcell{{text: acc, bold: true}}
				for _, k := range m.Cells[i] {
					if k == "" {
						row = append(row, tcell{text: "—", colour: &colMuted})
					} else {
						row = append(row, tcell{text: k, colour: &colMinus})
					}
				}
				rows = append(rows, row)
			}
			d.table(cols, rows)
			d.para("— means no gap was reported for that account and region.", "I", 7.8, colMuted, 0)
			d.gap(2)
		}
		var rows [][]tcell
		for _, g := range a.Coverage {
			rows = append(rows, []tcell{tc(gapPlace(g)), tc(g.Kind), tc(g.Message)})
		}
		d.table([]column{{title: "Where", width: 36, mono: true}, {title: "Kind", width: 16}, {title: "What happened", width: 48}}, rows)
	}

	d.heading("Unlinked scripts")
	if len(a.UnlinkedScripts) == 0 {
		d.para("Every script read was linked to a workload.", "", 9.5, colInk, 0)
		return
	}
	d.para("These provisioning scripts could not be tied to any workload. They may belong to groups outside the scope, or the link may need a tag.", "", 9, colInk, 0)
	d.gap(2)
	var rows [][]tcell
	for _, s := range a.UnlinkedScripts {
		rows = append(rows, []tcell{tc(s)})
	}
	d.table([]column{{title: "Script", width: 100, mono: true}}, rows)
}

// --- appendix ----------------------------------------------------------------------------------------

func (d *pdfDoc) appendix() {
	a := d.a
	inv := a.Inventory
	d.chapter("Appendix")
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	d.heading("Auto Scaling groups")
	switch {
	case len(inv.Groups) == 0:
		d.para("None.", "", 9, colInk, 0)
	case !d.details:
		d.para(fmt.Sprintf("The %s Auto Scaling groups are listed in the workload overview; their launch data, capacity and health checks are in assessment.json (inventory.groups).", thousands(len(inv.Groups))), "", 9, colInk, 0)
	default:
		var rows [][]tcell
		for _, g := range inv.Groups {
			rows = append(rows, []tcell{tc(g.Name), tc(g.Account + "/" + g.Region), tc(g.Launch), tc(g.ImageID), tc(g.InstanceTypes), tc(g.Capacity), tc(g.HealthCheck), tc(strconv.Itoa(g.Policies))})
		}
		d.table([]column{{title: "Group", width: 18}, {title: "Account/region", width: 17}, {title: "Launch", width: 14}, {title: "Image", width: 12, mono: true}, {title: "Instance types", width: 13}, {title: "Min/desired/max", width: 9}, {title: "Health check", width: 10}, {title: "Policies", width: 7, align: "R"}}, rows)
	}
	d.heading("Load balancers")
	if len(inv.LoadBalancers) == 0 {
		d.para("None.", "", 9, colInk, 0)
	} else {
		var rows [][]tcell
		for _, lb := range inv.LoadBalancers {
			rows = append(rows, []tcell{tc(lb.Name), tc(lb.Type), tc(lb.Account + "/" + lb.Region), tc(lb.Scheme), tc(lb.Listeners), tc(yes(lb.Sticky))})
		}
		d.table([]column{{title: "Load balancer", width: 20}, {title: "Type", width: 12}, {title: "Account/region", width: 20}, {title: "Scheme", width: 14}, {title: "Listeners", width: 26}, {title: "Sticky", width: 8}}, rows)
	}
	d.heading("Target groups")
	if len(inv.TargetGroups) == 0 {
		d.para("None.", "", 9, colInk, 0)
	} else {
		var rows [][]tcell
		for _, t := range inv.TargetGroups {
			rows = append(rows, []tcell{tc(t.Name), tc(t.Account + "/" + t.Region), tc(t.Protocol), tc(t.HealthCheck), tc(yes(t.Sticky)), tc(t.DeregistrationDelay)})
		}
		d.table([]column{{title: "Target group", width: 20}, {title: "Account/region", width: 20}, {title: "Protocol", width: 12}, {title: "Health check", width: 22}, {title: "Sticky", width: 8}, {title: "Deregistration delay", width: 18}}, rows)
	}
	d.heading("Scripts")
	if len(inv.Scripts) == 0 {
		d.para("None.", "", 9, colInk, 0)
	} else {
		var rows [][]tcell
		for _, s := range inv.Scripts {
			rows = append(rows, []tcell{tc(s.Path), tc(s.Kind), tc(strconv.Itoa(s.Facts)), tc(strconv.Itoa(s.Links))})
		}
		d.table([]column{{title: "Script", width: 56, mono: true}, {title: "Kind", width: 20}, {title: "Facts", width: 12, align: "R"}, {title: "Links", width: 12, align: "R"}}, rows)
	}

	m := a.Methodology
	d.heading("Methodology")
	if len(m.Method) > 0 {
		// assess states its method in words so that this section and the code agree.
		d.bullets(m.Method, 8.8, colInk)
	} else {
		d.para("Each workload's container fit is a score from 0 to 100, built from the rules below, grouped into weighted dimensions. A dimension without evidence is unknown: its weight is spread over the known ones and the workload's confidence drops. Below "+strconv.Itoa(m.Thresholds.MinConfidence)+"% confidence the category is Insufficient data rather than a guess.", "", 9, colInk, 0)
	}
	d.gap(2)
	var dims [][]tcell
	for _, dw := range m.Dimensions {
		dims = append(dims, []tcell{tc(dw.Name), tc(dw.ID), tc(weightInForce(dw.Weight, dw.DefaultWeight))})
	}
	if len(dims) > 0 {
		d.table([]column{{title: "Dimension", width: 40}, {title: "Id", width: 35, mono: true}, {title: "Weight", width: 25, align: "R"}}, dims)
	}
	th := m.Thresholds
	sw := func(c string) *rgb { x := categoryColour(c); return &x }
	d.table([]column{{title: "Category", width: 40}, {title: "Score", width: 60}}, [][]tcell{
		{{text: assess.CategoryExcellent, swatch: sw(assess.CategoryExcellent)}, tc(fmt.Sprintf("%d and above", th.Excellent))},
		{{text: assess.CategoryGood, swatch: sw(assess.CategoryGood)}, tc(fmt.Sprintf("%d–%d", th.Good, th.Excellent-1))},
		{{text: assess.CategoryMinorWork, swatch: sw(assess.CategoryMinorWork)}, tc(fmt.Sprintf("%d–%d", th.MinorWork, th.Good-1))},
		{{text: assess.CategoryMajorWork, swatch: sw(assess.CategoryMajorWork)}, tc(fmt.Sprintf("%d–%d", th.MajorWork, th.MinorWork-1))},
		{{text: assess.CategoryPoor, swatch: sw(assess.CategoryPoor)}, tc(fmt.Sprintf("below %d", th.MajorWork))},
		{{text: assess.CategoryInsufficient, swatch: sw(assess.CategoryInsufficient)}, tc(fmt.Sprintf("confidence below %d%%", th.MinConfidence))},
	})
	if len(m.Rules) > 0 {
		d.caption("Rules in force", captionKeep)
		var rows [][]tcell
		for _, r := range m.Rules {
			why := r.Rationale
			if r.Remediation != "" {
				why += "\nRemediation: " + r.Remediation
			}
			if r.Kubernetes != "" {
				why += "\nOn Kubernetes: " + r.Kubernetes
			}
			rows = append(rows, []tcell{{text: r.ID + "\n" + r.Title}, tc(r.Dimension), tc(weightInForce(r.Weight, r.DefaultWeight)), tc(why)})
		}
		d.table([]column{{title: "Rule", width: 25}, {title: "Dimension", width: 14}, {title: "Weight", width: 11}, {title: "Why it matters", width: 50}}, rows)
	}
	if len(m.Overrides) > 0 {
		d.caption("Changed from the defaults for this assessment", captionKeep)
		d.bullets(m.Overrides, 8.8, colInk)
	} else {
		d.para("Every weight and threshold is at its default.", "I", 8.8, colMuted, 0)
	}
}
