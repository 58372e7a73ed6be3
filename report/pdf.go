package report

// The board PDF. The pdf*.go files are the only ones that know the PDF library
// (codeberg.org/go-pdf/fpdf, the gofpdf API): replacing the library means replacing them.
// What the PDF shows is decided by the same helpers the Markdown report uses (view.go);
// geometry that needs no library is in layout.go.
//
// There are two PDFs. report.pdf is the board's: at most twelve pages whatever the estate
// (boardMaxPages), read in ten minutes. workloads.pdf is the consultant's: a page per
// workload, the full evidence left to report.md, assessment.json and workloads.xlsx.
//
//   - pdf.go: the writers, the logo, the document set-up
//   - the drawing kit: pdf_style.go (page geometry, fonts, palette), pdf_text.go (text
//     primitives), pdf_page.go (headings, running header and footer), pdf_table.go
//     (tables, spanning pages or bounded to one)
//   - charts: chart_layout.go lays every chart out as boxes (no library), pdf_charts.go
//     draws the layouts
//   - the documents: pdf_board.go (report.pdf), pdf_workloads.go (workloads.pdf)

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
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"whyk8s/assess"
	"whyk8s/internal/inputfile"
)

// pdfWriter renders the board-ready PDF.
type pdfWriter struct {
	logo     []byte
	logoType string // fpdf's image type: PNG or JPG
}

// maxLogoPixels bounds a logo's declared size: 25 million pixels (5000×5000) is far more
// than a cover needs and decodes in about 100 MB.
const maxLogoPixels = 25_000_000

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
	data, err := inputfile.Read(path, inputfile.MaxLogo)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in the message
		}
		return bad("%v", err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return bad("not a PNG or JPEG image (%v)", err)
	}
	// A few bytes can declare an image of billions of pixels, which decoding would try to
	// hold in memory: refuse what no cover logo needs.
	if int64(cfg.Width)*int64(cfg.Height) > maxLogoPixels {
		return bad("%d×%d pixels, over the limit of %d million for a logo", cfg.Width, cfg.Height, maxLogoPixels/1_000_000)
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
	// The footer's "Page X of Y" is right-aligned on a guess of how many digits Y has
	// (fpdf fills Y in only when the document closes); a wrong guess costs one more render.
	total := boardMaxPages
	for {
		d, err := p.renderBoard(ctx, a, total)
		if err != nil {
			return err
		}
		pages := d.f.PageCount()
		if len(strconv.Itoa(pages)) != len(strconv.Itoa(total)) {
			total = pages
			continue
		}
		if err := d.f.Output(w); err != nil {
			return fmt.Errorf("render PDF: %w", err)
		}
		return nil
	}
}

// pdfDoc is one rendering of an assessment.
type pdfDoc struct {
	ctx  context.Context
	f    *fpdf.Fpdf
	a    *assess.Assessment
	logo bool

	section string // the running header's right-hand side
	title   string // the running header's left-hand side
	total   int    // the page count the footer is laid out for
	fixed   bool   // pages are placed by the chapters; need never adds one

	names map[int]string
	index map[string]*assess.Workload
}

// newPDFDoc sets up a document: metadata dated by the assessment, the embedded fonts,
// margins, header and footer. title names the document in its metadata and running header.
func newPDFDoc(ctx context.Context, a *assess.Assessment, title string, total int) (*pdfDoc, error) {
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{ctx: ctx, f: f, a: a, total: total, title: title, names: waveNames(a), index: workloadIndex(a)}
	f.SetCatalogSort(true)
	when := a.GeneratedAt.UTC()
	if a.GeneratedAt.IsZero() {
		// fpdf would stamp the wall clock; a fixed date keeps the output reproducible.
		when = time.Unix(0, 0).UTC()
	}
	f.SetCreationDate(when)
	f.SetModificationDate(when)
	full := title
	if a.Client != "" {
		full += ": " + a.Client
	}
	f.SetTitle(full, true)
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
	f.SetMargins(marginL, marginT, marginR)
	// Both documents place every page themselves: the board report has a fixed number of
	// pages, and a workload never takes more than one. Nothing breaks a page on its own.
	f.SetAutoPageBreak(false, marginB)
	f.SetCellMargin(0)
	f.AliasNbPages("")
	f.SetHeaderFuncMode(d.header, true)
	f.SetFooterFunc(d.footer)
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("render PDF: %w", err)
	}
	return d, nil
}

// measure is the width of s in millimetres in the document's sans font; chart layouts
// measure their labels with it.
func (d *pdfDoc) measure(s, style string, size float64) float64 {
	d.f.SetFont(fontSans, style, size)
	return d.f.GetStringWidth(s)
}

// run calls each step in turn, stopping at the first error or cancellation.
func (d *pdfDoc) run(steps ...func()) error {
	for _, step := range steps {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		step()
		if err := d.f.Error(); err != nil {
			return fmt.Errorf("render PDF: %w", err)
		}
	}
	return d.ctx.Err()
}
