package report

// The board PDF. The pdf*.go files are the only ones that know the PDF library
// (codeberg.org/go-pdf/fpdf, the gofpdf API): replacing the library means replacing them.
// What the PDF shows is decided by the same helpers the Markdown report uses (view.go);
// geometry that needs no library is in layout.go.
//
//   - pdf.go: the writer, the logo, the document and the order of its chapters
//   - the drawing kit: pdf_style.go (page geometry, fonts, palette), pdf_text.go (text
//     primitives), pdf_page.go (headings, running header and footer, contents),
//     pdf_table.go (tables)
//   - pdf_charts.go: every chart
//   - the chapters: pdf_summary.go (executive summary), pdf_workloads.go (workloads),
//     pdf_sections.go (changes, readiness, findings, appendix)

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
	"os"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"whyk8s/assess"
)

// pdfWriter renders the board-ready PDF.
type pdfWriter struct {
	logo     []byte
	logoType string // fpdf's image type: PNG or JPG
}

// newPDFWriter reads and checks the optional logo (opts.Logo) now, so that a bad one is
// reported before a long run. With a bad logo the writer still works, without the logo.
func newPDFWriter(opts Options) (writer, error) {
	path := opts.Logo
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
