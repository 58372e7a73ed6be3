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

// renderFormat writes one PDF format of a and parses it back.
func renderFormat(t *testing.T, a *assess.Assessment, format string) *parsedPDF {
	t.Helper()
	dir := t.TempDir()
	if *keep != "" {
		dir = *keep
	}
	paths, err := report.Write(context.Background(), a, report.Options{Dir: dir, Formats: []string{format}})
	if err != nil {
		t.Fatal(err)
	}
	return parsePDF(t, paths[0])
}

func TestPDFSample(t *testing.T) {
	a := report.Sample()
	p := renderFormat(t, a, "pdf")

	if n := len(p.pages); n < 8 || n > 12 {
		t.Errorf("the sample's board report has %d pages, want 8–12", n)
	}
	all := p.text()
	want := []string{a.Verdict.Title, a.Client, "Partly ready", "Zürich-Ölhafen", "Changes since 14 February 2025", "FIT-STICKY-SESSIONS", "AWS secret access key", "assume-role-failed",
		"The three factors that matter most", "Role not assessed", "Fit against effort", "Register", "Crosswalk to the rubrics you know", "Ready with conditions", "Replatform"}
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
	if got := "Page 1 of " + itoa(len(p.pages)); !strings.Contains(p.pages[0], got) {
		t.Errorf("page 1's footer does not say %q", got)
	}
	if strings.Contains(squash(all), report.SampleSecret) || bytes.Contains(p.raw, []byte(report.SampleSecret)) {
		t.Error("the PDF contains the secret value from a finding's evidence excerpt")
	}
	outline := strings.Join(p.outline, "\n")
	for _, s := range []string{"Executive summary", "Changes since 14 February 2025", "Organisational readiness", "Portfolio", "Migration plan", "Top blockers", "Findings by severity", "What could not be read", "Method"} {
		if !strings.Contains(outline, s) {
			t.Errorf("outline has no entry %q; it has:\n%s", s, outline)
		}
	}
}

func TestWorkloadsPDF(t *testing.T) {
	a := report.Sample()
	p := renderFormat(t, a, "workloads-pdf")
	// The index, a page per workload, the rules.
	if n, min := len(p.pages), 1+len(a.Workloads)+1; n < min || n > min+2 {
		t.Errorf("workloads.pdf has %d pages, want an index, one page per workload and the rules (%d–%d)", n, min, min+2)
	}
	for i, wl := range a.Workloads {
		page := p.pages[1+i]
		for _, s := range []string{wl.Name, "ROLE", "role not assessed", "RECOMMENDATION", "SCORE BY DIMENSION", "CROSSWALK", wl.Crosswalk.AzureAKS, "report.md, assessment.json, workloads.xlsx"} {
			if !strings.Contains(squash(page), squash(s)) {
				t.Errorf("page %d (%s) does not contain %q", 2+i, wl.Name, s)
			}
		}
		if !contains(p.outline, itoa(i+1)+". "+wl.Name) {
			t.Errorf("outline has no entry for workload %q", wl.Name)
		}
		for _, b := range wl.Blockers {
			if !strings.Contains(squash(page), squash(b.Title)) {
				t.Errorf("%s's page does not name its blocker %q", wl.Name, b.Title)
			}
		}
	}
	if !strings.Contains(p.pages[1], "Strongest signals for") || !strings.Contains(p.pages[1], "Strongest signals against") {
		t.Errorf("the first workload's page has no strongest signals:\n%s", p.pages[1])
	}
	if !strings.Contains(p.pages[0], "one page per workload") && !strings.Contains(p.pages[0], "One page per workload") {
		t.Error("the index does not say what the document holds and where the rest is")
	}
	// The index links to each workload's page.
	if n := bytes.Count(p.raw, []byte("/Subtype /Link")); n < len(a.Workloads) {
		t.Errorf("the index has %d links, want one per workload", n)
	}
	if bytes.Contains(p.raw, []byte(report.SampleSecret)) {
		t.Error("workloads.pdf contains a secret value")
	}
}

// The board report is at most twelve pages whatever the estate; the consultant's has one
// page per workload.
func TestBoardPDFPageLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("renders estates of up to 5,000 workloads")
	}
	wordy := report.Sample()
	for i := 0; i < 60; i++ {
		wordy.Verdict.Rationale = append(wordy.Verdict.Rationale, "Another sentence the verdict insists on, long enough to wrap onto a second line of the panel at this size.")
		wordy.Summary.TeamChanges = append(wordy.Summary.TeamChanges, "Another change for the teams that goes on for a while so that the list cannot fit on one page.")
		wordy.Coverage = append(wordy.Coverage, wordy.Coverage[0])
	}
	wordy.Waves[0].Rationale = strings.Repeat("A rationale that goes on. ", 80)
	for _, tt := range []struct {
		name string
		a    *assess.Assessment
	}{{"empty", minimal()}, {"one", report.Synthetic(1)}, {"sample", report.Sample()}, {"wordy", wordy}, {"50", report.Synthetic(50)}, {"120", report.Synthetic(120)}, {"2000", report.Synthetic(2000)}, {"5000", report.Synthetic(5000)}} {
		t.Run(tt.name, func(t *testing.T) {
			p := renderFormat(t, tt.a, "pdf")
			if n := len(p.pages); n > 12 {
				t.Errorf("%d pages, want at most 12", n)
			}
			checkMargins(t, p)
		})
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
		name string
		a    *assess.Assessment
	}{
		{"long names", long},
		{"long verdict and waves", wordy},
		{"60", report.Synthetic(60)},
		{"empty", minimal()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"pdf", "workloads-pdf"} {
				p := renderFormat(t, tt.a, format)
				checkMargins(t, p)
				if format == "pdf" && len(p.pages) > 12 {
					t.Errorf("report.pdf has %d pages, want at most 12", len(p.pages))
				}
				if format == "workloads-pdf" && len(p.pages) > len(tt.a.Workloads)+6 {
					t.Errorf("workloads.pdf has %d pages for %d workloads: a workload runs over its page", len(p.pages), len(tt.a.Workloads))
				}
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

func TestPDFLargeEstateGroupsTheRegister(t *testing.T) {
	a := report.Synthetic(300)
	p := renderPDF(t, a, report.Options{})
	all := p.text()
	for _, s := range []string{"Register by environment", "Register by account", "This estate has 300 workloads"} {
		if !strings.Contains(all, s) {
			t.Errorf("the large-estate PDF does not contain %q", s)
		}
	}
	if strings.Contains(all, a.Workloads[299].Name) {
		t.Error("the board report of 300 workloads lists them one by one")
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
	for _, s := range []string{"Stay on ASG + ELB", "Not assessed", "No Auto Scaling group was found in scope.", "Every account, region and file in scope was read.", "Not read by design", "no workloads in scope"} {
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
