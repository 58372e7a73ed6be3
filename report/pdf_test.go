package report_test

import (
	"crypto/sha256"

	"bytes"
	"context"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"whyk8s/assess"
	"whyk8s/report"
)

var keep = flag.String("keep", "", "also write the rendered reports to this folder, to look at them (pdftoppm -r 60 -png report.pdf p)")

// parsedPDF is a PDF read back the way a reader's viewer would see it.
type parsedPDF struct {
	raw     []byte
	pages   []string // plain text per page
	outline []string // bookmark titles, depth-first
	runs    [][]textRun
}

// textRun is one text-showing operation: where it starts and what it says.
type textRun struct {
	font string
	size float64
	x, y float64
	s    string
}

// renderPDF writes a's PDF with opts and parses it back.
func renderPDF(t *testing.T, a *assess.Assessment, opts report.Options) *parsedPDF {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	opts.Formats = []string{"pdf"}
	paths, err := report.Write(context.Background(), a, opts)
	if err != nil {
		t.Fatal(err)
	}
	return parsePDF(t, paths[0])
}

func parsePDF(t *testing.T, path string) *parsedPDF {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("%s does not parse as a PDF: %v", path, err)
	}
	p := &parsedPDF{raw: raw}
	for i := 1; i <= r.NumPage(); i++ {
		page := r.Page(i)
		s, err := page.GetPlainText(nil)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		p.pages = append(p.pages, s)
		// The reader reports one entry per glyph, all at the start of their run (it cannot
		// size glyphs of embedded CID fonts); glue them back into runs.
		var runs []textRun
		for _, g := range page.Content().Text {
			if n := len(runs); n > 0 && runs[n-1].x == g.X && runs[n-1].y == g.Y && runs[n-1].font == g.Font {
				runs[n-1].s += g.S
				continue
			}
			runs = append(runs, textRun{font: g.Font, size: g.FontSize, x: g.X, y: g.Y, s: g.S})
		}
		p.runs = append(p.runs, runs)
	}
	var walk func(o pdf.Outline)
	walk = func(o pdf.Outline) {
		if o.Title != "" {
			p.outline = append(p.outline, o.Title)
		}
		for _, c := range o.Child {
			walk(c)
		}
	}
	walk(r.Outline())
	return p
}

func (p *parsedPDF) text() string { return strings.Join(p.pages, "\n") }

func TestPDFSample(t *testing.T) {
	a := report.Sample()
	opts := report.Options{}
	if *keep != "" {
		opts.Dir = *keep
	}
	p := renderPDF(t, a, opts)

	if n := len(p.pages); n < 10 || n > 25 {
		t.Errorf("the sample renders to %d pages, want 10–25", n)
	}
	all := p.text()
	want := []string{a.Verdict.Title, a.Client, "Partly ready", "Zürich-Ölhafen", "Changes since 14 February 2025", "FIT-STICKY-SESSIONS", "AWS secret access key", "assume-role-failed"}
	for _, wl := range a.Workloads {
		want = append(want, wl.Name)
	}
	for _, s := range want {
		if !strings.Contains(all, s) {
			t.Errorf("the PDF does not contain %q", s)
		}
	}
	// A reader of the first page alone learns who, when, what to do and why.
	for _, s := range append([]string{a.Client, "14 March 2025", a.Verdict.Title, "Partly ready"}, a.Verdict.Rationale[0][:30]) {
		if !strings.Contains(p.pages[0], s) {
			t.Errorf("page 1 does not contain %q", s)
		}
	}
	if !strings.Contains(p.pages[1], "Migration plan") || !strings.Contains(p.pages[1], "Non-production, high fit") {
		t.Errorf("page 2 does not carry the wave plan:\n%s", p.pages[1])
	}
	if got := "Page 1 of " + itoa(len(p.pages)); !strings.Contains(p.pages[0], got) {
		t.Errorf("page 1's footer does not say %q", got)
	}
	if strings.Contains(squash(all), report.SampleSecret) || bytes.Contains(p.raw, []byte(report.SampleSecret)) {
		t.Error("the PDF contains the secret value from a finding's evidence excerpt")
	}

	// Column headers and short words are never broken inside ("Confidenc e").
	for _, s := range []string{"Workload", "Environment", "Account/region", "Score", "Category", "Confidence", "Effort", "Wave", "pre-production", "unknown"} {
		if !strings.Contains(all, s) {
			t.Errorf("%q is broken or missing in the PDF", s)
		}
	}

	outline := strings.Join(p.outline, "\n")
	for _, s := range []string{"Executive summary", "Contents", "Changes since 14 February 2025", "Trend", "Organisational readiness", "Workloads", "Overview", "Findings", "Coverage gaps", "Unlinked scripts", "Appendix", "Methodology"} {
		if !strings.Contains(outline, s) {
			t.Errorf("outline has no entry %q; it has:\n%s", s, outline)
		}
	}
	for _, wl := range a.Workloads {
		if !contains(p.outline, wl.Name) {
			t.Errorf("outline has no entry for workload %q", wl.Name)
		}
	}
	// The table of contents links to the sections: one /Link annotation per entry and
	// one per workload name in the overview.
	if n := bytes.Count(p.raw, []byte("/Subtype /Link")); n < 20 {
		t.Errorf("the PDF has %d links, want the contents and the overview to link to their sections", n)
	}
}

// fpdf writes into the font bytes it is given. The Go fonts are shared package variables,
// so if the writer handed them over directly, the first PDF a process renders would differ
// from every later one (a scheduled job renders once per process; the tests render many).
func TestPDFLeavesSharedFontsUntouched(t *testing.T) {
	fonts := [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gomono.TTF}
	var before [][32]byte
	for _, f := range fonts {
		before = append(before, sha256.Sum256(f))
	}
	renderPDF(t, report.Sample(), report.Options{})
	for i, f := range fonts {
		if sha256.Sum256(f) != before[i] {
			t.Fatalf("rendering a PDF changed embedded font %d: later PDFs in this process would differ from the first", i)
		}
	}
}

func TestPDFDeterministic(t *testing.T) {
	a := report.Sample()
	var first []byte
	for i := 0; i < 3; i++ {
		p := renderPDF(t, a, report.Options{})
		if i == 0 {
			first = p.raw
			continue
		}
		if !bytes.Equal(first, p.raw) {
			t.Fatalf("render %d differs from the first: the same assessment must give the same bytes", i+1)
		}
	}
	if !bytes.Contains(first, []byte("/CreationDate (D:20250314093000)")) {
		t.Error("the creation date is not the assessment's GeneratedAt")
	}
}

// TestPDFTextInsideMargins measures every run of text with the fonts the PDF embeds and
// checks it ends inside the content column: long names and ARNs must wrap, not overflow.
func TestPDFTextInsideMargins(t *testing.T) {
	long := report.Sample()
	// A workload name with no break in it, and an ARN longer than any column.
	long.Workloads[0].Name = "orders-api-with-a-name-that-goes-on-and-on-well-past-any-reasonable-column-width-0001"
	long.Workloads[0].Signals[1].Evidence[0].ARN += "/and/a/very/long/suffix/that/no/column/can/hold/on/one/line/at/all"
	long.Client = "Gesellschaft für Hafenlogistik und Containerumschlag Zürich-Ölhafen und Umgebung AG"
	// A rationale longer than a page and a wave plan too tall for cards.
	wordy := report.Sample()
	for i := 0; i < 60; i++ {
		wordy.Verdict.Rationale = append(wordy.Verdict.Rationale, "Another sentence the verdict insists on, long enough to wrap onto a second line of the panel at this size.")
	}
	wordy.Waves[0].Rationale = strings.Repeat("A rationale that goes on. ", 80)
	tests := []struct {
		name     string
		a        *assess.Assessment
		maxPages int
	}{
		{"long names", long, 20},
		{"long verdict and waves", wordy, 22},
		{"condensed", report.Synthetic(60), 60},
		{"register only", report.Synthetic(300), 40},
		{"empty", minimal(), 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := renderPDF(t, tt.a, report.Options{})
			checkMargins(t, p)
			// Text pushed past the bottom lands one line per page: a page count far above
			// the expected one is how that shows.
			if len(p.pages) > tt.maxPages {
				t.Errorf("%d pages, want at most %d", len(p.pages), tt.maxPages)
			}
		})
	}
}

func checkMargins(t *testing.T, p *parsedPDF) {
	t.Helper()
	// The font names are the ones fpdf gives the Go fonts the writer embeds.
	fonts := map[string]*opentype.Font{}
	for name, ttf := range map[string][]byte{"utf8go": goregular.TTF, "utf8goB": gobold.TTF, "utf8goI": goitalic.TTF, "utf8gomono": gomono.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		fonts[name] = f
	}
	const mm = 72 / 25.4
	left, right := 20*mm-0.5, (210-20)*mm+0.5
	for i, runs := range p.runs {
		for _, r := range runs {
			f, ok := fonts[r.font]
			if !ok {
				t.Fatalf("page %d: unexpected font %q", i+1, r.font)
			}
			face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: r.size, DPI: 72, Hinting: font.HintingNone})
			if err != nil {
				t.Fatal(err)
			}
			w := fixedToFloat(font.MeasureString(face, r.s))
			if r.x < left || r.x+w > right {
				t.Errorf("page %d: %q runs from %.1f to %.1f pt, outside the content column %.1f–%.1f", i+1, r.s, r.x, r.x+w, left, right)
			}
			if r.y < 0 || r.y > 297*mm {
				t.Errorf("page %d: %q is off the page at y=%.1f", i+1, r.s, r.y)
			}
			// Below the bottom margin there is only the footer: body text there would run
			// into it.
			footer := strings.HasPrefix(r.s, "Prepared for") || strings.HasPrefix(r.s, "whyk8s ") || strings.HasPrefix(r.s, "Page ")
			if !footer && r.y < 20*mm {
				t.Errorf("page %d: %q is in the bottom margin (y=%.1f pt)", i+1, r.s, r.y)
			}
		}
	}
}

func fixedToFloat(v fixed.Int26_6) float64 { return float64(v) / 64 }

func TestPDFNotAssessed(t *testing.T) {
	a := report.Sample()
	a.Readiness.Assessed = false
	a.Readiness.Score, a.Readiness.Level, a.Readiness.Confidence = 0, "", 0
	for i := range a.Readiness.Factors {
		a.Readiness.Factors[i].Answer = nil
	}
	p := renderPDF(t, a, report.Options{})
	if !strings.Contains(p.pages[0], "Not assessed") {
		t.Error("page 1 does not say readiness was not assessed")
	}
	if !strings.Contains(p.text(), "Organisational readiness was not assessed") {
		t.Error("the readiness section does not say plainly that it was not assessed")
	}
	if strings.Contains(p.text(), "Partly ready") {
		t.Error("an unassessed readiness still shows a level")
	}
}

func TestPDFLargeEstateStaysReadable(t *testing.T) {
	a := report.Synthetic(300)
	p := renderPDF(t, a, report.Options{})
	if n := len(p.pages); n > 40 {
		t.Errorf("300 workloads render to %d pages; the PDF should condense, not list every section", n)
	}
	// The register spans pages; its header must be on each of them.
	withHeader := 0
	for _, page := range p.pages {
		if strings.Contains(page, "Account/region") && strings.Contains(page, "Confidence") {
			withHeader++
		}
	}
	if withHeader < 4 {
		t.Errorf("the 300-row overview's header is on %d pages; it must repeat on every page the table spans", withHeader)
	}
	all := p.text()
	for _, s := range []string{"Blockers by rule", "This estate has 300 workloads", a.Workloads[299].Name} {
		if !strings.Contains(all, s) {
			t.Errorf("the large-estate PDF does not contain %q", s)
		}
	}
}

func TestPDFCondensesExcellentFit(t *testing.T) {
	a := report.Synthetic(60)
	p := renderPDF(t, a, report.Options{})
	all := p.text()
	if !strings.Contains(all, "Workloads ready to move") || !strings.Contains(all, "nothing has to be fixed before they move") {
		t.Error("with 60 workloads, Excellent-fit workloads are not condensed into a table with the reason")
	}
	for _, wl := range a.Workloads {
		if wl.Fit.Category == assess.CategoryExcellent && contains(p.outline, wl.Name) {
			t.Errorf("Excellent-fit workload %s still has a section of its own", wl.Name)
		}
	}
}

func TestPDFLogo(t *testing.T) {
	dir := t.TempDir()
	logo := filepath.Join(dir, "logo.png")
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := 0; x < 40; x++ {
		for y := 0; y < 20; y++ {
			img.Set(x, y, color.RGBA{200, 30, 30, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p := renderPDF(t, report.Sample(), report.Options{Logo: logo})
	if !bytes.Contains(p.raw, []byte("/Subtype /Image")) {
		t.Error("the PDF has no image: the logo was not drawn")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPDFEmptyEstate(t *testing.T) {
	p := renderPDF(t, minimal(), report.Options{})
	all := p.text()
	for _, s := range []string{"Stay on ASG + ELB", "Not assessed", "No Auto Scaling group was found in scope.", "Everything in scope was read.", "no workloads in scope"} {
		if !strings.Contains(all, s) {
			t.Errorf("the empty-estate PDF does not say %q", s)
		}
	}
}

func TestPDFTrendWithoutChanges(t *testing.T) {
	a := report.Sample()
	a.Changes = nil
	p := renderPDF(t, a, report.Options{})
	if !contains(p.outline, "Trend") || contains(p.outline, "Changes since 14 February 2025") {
		t.Errorf("with a trend and no changes the outline is %q; want a Trend chapter and no Changes", p.outline)
	}
	a.Trend = a.Trend[:1]
	if p := renderPDF(t, a, report.Options{}); contains(p.outline, "Trend") {
		t.Error("one run is not a trend, but the PDF draws one")
	}
}

// squash drops all white space, so that a value wrapped across lines of a table cell is
// still found.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }
