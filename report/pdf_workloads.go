package report

// workloads.pdf, the consultant's document: an index, then one page per workload — role,
// recommendation, the score by dimension, the three strongest signals for and against with
// their evidence, blockers and the Kubernetes mapping — then the rules in force. A page
// shows what fits and says where the rest is: the full evidence is in report.md,
// assessment.json and workloads.xlsx.

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// uncompressedAbove is the estate size above which workloads.pdf is written without
// compressing its pages (see renderWorkloads).
const uncompressedAbove = 200

// workloadsPDFWriter renders workloads.pdf.
type workloadsPDFWriter struct{}

// indexRowH and the rows per index page make the index's length known before it is
// drawn, so that every workload's page number is too.
const (
	indexRowH     = 4.2
	indexFirstTop = 92.0 // below the title and the how-to-read text on the first page
)

func indexRows(first bool) int {
	top := marginT + 10
	if first {
		top = indexFirstTop
	}
	return int((bottomY - top - 8) / indexRowH)
}

// indexPages is how many pages the index of n workloads takes.
func indexPages(n int) int {
	pages, left := 1, n-indexRows(true)
	for left > 0 {
		pages++
		left -= indexRows(false)
	}
	return pages
}

func (workloadsPDFWriter) write(ctx context.Context, w io.Writer, a *assess.Assessment) error {
	// The rules take a few pages at the end; the guess only sets the width of the
	// footer's page count, and a wrong one costs a second rendering.
	total := indexPages(len(a.Workloads)) + len(a.Workloads) + 4
	for {
		d, err := renderWorkloads(ctx, a, total)
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

func renderWorkloads(ctx context.Context, a *assess.Assessment, total int) (*pdfDoc, error) {
	d, err := newPDFDoc(ctx, a, "Workloads", total)
	if err != nil {
		return nil, err
	}
	// fpdf compresses each page with a zlib writer of its own (about a megabyte of
	// buffers per page): for a page per workload that is most of the time and memory a
	// large estate's document costs. Its pages are short text; stored as they are, the file
	// is a few times larger and written many times faster.
	if len(a.Workloads) > uncompressedAbove {
		d.f.SetCompression(false)
	}
	links := make([]int, len(a.Workloads))
	for i := range links {
		links[i] = d.f.AddLink()
	}
	first := indexPages(len(a.Workloads)) + 1
	steps := []func(){func() { d.workloadIndexPages(first, links) }}
	steps = append(steps, func() {
		for i := range a.Workloads {
			if i%32 == 0 && ctx.Err() != nil {
				return
			}
			d.workloadPage(i, links[i])
		}
	})
	steps = append(steps, d.rulesInForce)
	return d, d.run(steps...)
}

// workloadIndexPages draws the title, how to read the pages, and one line per workload
// with its page number, linked to it.
func (d *pdfDoc) workloadIndexPages(firstPage int, links []int) {
	a := d.a
	d.section = "Index"
	d.f.AddPage()
	d.mark("Workloads: index", 0)
	d.font("B", 20)
	d.textColour(colNavy)
	client := a.Client
	if client == "" {
		client = "Client not named"
	}
	d.textAt(marginL, d.f.GetY(), contentW, d.fit("Workloads · "+client, contentW), "L", 20)
	d.gap(lineH(20))
	d.para(longDate(a.GeneratedAt)+" · whyk8s "+a.ToolVersion+" · "+plural(len(a.Workloads), "workload", "workloads"), "", 9, colMuted, 0)
	d.gap(3)
	d.para("One page per workload: its role, the recommendation, the score by dimension, the three strongest signals for and against with their evidence, its blockers and how it maps to Kubernetes. A page shows what fits on it; every signal with all its evidence, the linked scripts and the inventory are in report.md, assessment.json and workloads.xlsx (sheets Signals, Blockers, Script links). The board's summary is report.pdf; # is the same number there and in the workbook.", "", 8.8, colInk, 0)
	d.f.SetY(indexFirstTop - 6)
	cols := []struct {
		title string
		w     float64
		align string
	}{{"#", 10, "R"}, {"Workload", 70, "L"}, {"Environment", 26, "L"}, {"Category", 30, "L"}, {"Score", 12, "R"}, {"Page", 22, "R"}}
	header := func() {
		y := d.f.GetY()
		d.fillColour(colPanel)
		d.f.Rect(marginL, y, contentW, indexRowH+0.6, "F")
		d.font("B", 7.4)
		d.textColour(colNavy)
		x := marginL
		for _, c := range cols {
			d.textAt(x+1, y+0.4, c.w-2, c.title, c.align, 7.4)
			x += c.w
		}
		d.f.SetY(y + indexRowH + 0.6)
	}
	header()
	rows := indexRows(true)
	for i := range a.Workloads {
		if rows == 0 {
			d.f.AddPage()
			header()
			rows = indexRows(false)
		}
		rows--
		wl := &a.Workloads[i]
		y := d.f.GetY()
		if i%2 == 1 {
			d.fillColour(colZebra)
			d.f.Rect(marginL, y, contentW, indexRowH, "F")
		}
		vals := []string{strconv.Itoa(i + 1), wl.Name, wl.Environment, wl.Fit.Category, strconv.Itoa(wl.Fit.Score), strconv.Itoa(firstPage + i)}
		x := marginL
		for k, c := range cols {
			d.font("", 7.4)
			d.textColour(colInk)
			if k == 1 {
				d.textColour(colAccent)
			}
			d.textAt(x+1, y+0.3, c.w-2, d.fit(vals[k], c.w-2), c.align, 7.4)
			x += c.w
		}
		d.f.Link(marginL, y, contentW, indexRowH, links[i])
		d.f.SetY(y + indexRowH)
	}
}

// workloadPage is one workload on one page.
func (d *pdfDoc) workloadPage(i, link int) {
	wl := &d.a.Workloads[i]
	d.section = wl.Name
	d.f.AddPage()
	y := d.f.GetY()
	d.f.SetLink(link, y, d.f.PageNo())
	d.f.Bookmark(strconv.Itoa(i+1)+". "+wl.Name, 0, -1)

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
	d.textAt(marginL, y, contentW-pillW-4, d.fit(strconv.Itoa(i+1)+". "+wl.Name, contentW-pillW-4), "L", 13)
	d.gap(lineH(13) + 0.5)
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
	d.font("", 7.8)
	d.textColour(colMuted)
	fl := d.wrap(strings.Join(facts, " · "), contentW)
	if len(fl) > 2 {
		fl = append(fl[:1], d.fit(strings.Join(fl[1:], " "), contentW))
	}
	d.f.SetY(d.lines(marginL, d.f.GetY(), contentW, fl, 7.8) + 2)

	// Key facts on the left, the dimension chart on the right.
	top := d.f.GetY()
	const leftW = 96.0
	ly := top
	kv := func(label, value string, maxLines int) {
		d.font("B", 6.6)
		d.textColour(colMuted)
		d.textAt(marginL, ly, leftW, label, "L", 6.6)
		ly += lineH(6.6)
		d.font("", 8.4)
		d.textColour(colInk)
		ls := d.wrap(value, leftW)
		if len(ls) > maxLines {
			ls = append(ls[:maxLines-1], d.fit(strings.Join(ls[maxLines-1:], " "), leftW))
		}
		ly = d.lines(marginL, ly, leftW, ls, 8.4)
		ly += 1.4
	}
	role := roleNotAssessed
	if name, conf, ok := roleOf(wl); ok {
		role = name
		if conf != "" {
			role = fmt.Sprintf("%s (%s confidence)", name, conf)
		}
	}
	kv("ROLE", role, 1)
	kv("RECOMMENDATION", wl.Recommendation.Text, 5)
	kv("EFFORT · WAVE · CONFIDENCE", effortText(wl.Effort)+" · wave "+waveText(d.names, wl.Wave)+" · confidence "+strconv.Itoa(wl.Fit.Confidence)+"%", 2)
	c := wl.Crosswalk
	kv("CROSSWALK", "Google Migration Center: "+c.MigrationCenter+" · Azure Migrate (AKS): "+c.AzureAKS+" · Konveyor: "+c.Konveyor+" · 7 Rs: "+c.Strategy, 3)
	ry := d.dimensionBars(marginL+leftW+8, top, contentW-leftW-8, wl.Fit.Dimensions)
	d.f.SetY(max(ly, ry) + 1)

	// What follows shares the rest of the page. Signals take at most a fixed share each;
	// blockers come before the mapping, which gets what is left.
	const footH = 9.0
	mapRoom := 0.0
	if len(wl.Mapping) > 0 {
		mapRoom = 24
	}
	sigBottom := func() float64 { return min(d.f.GetY()+44, bottomY-footH-mapRoom-30) }
	pos, neg := strongestSignals(wl.Signals, 3)
	sigCols := []column{{title: "Rule", width: 21, mono: true, size: 6.8}, {title: "Signal", width: 31, size: 7.2}, {title: "Points", width: 7, align: "R", size: 7.2}, {title: "Evidence", width: 41, mono: true, size: 6.4}}
	sigRows := func(ss []assess.Signal) [][]tcell {
		var rows [][]tcell
		for _, s := range ss {
			title := s.Title
			if s.Detail != "" {
				title += ": " + s.Detail
			}
			col := colPlus
			if s.Points < 0 {
				col = colMinus
			}
			rows = append(rows, []tcell{tc(s.Rule), tc(truncate(title, 140)), {text: pointsText(s.Points), colour: &col, bold: true}, tc(evidenceBrief(s.Evidence, 2))})
		}
		return rows
	}
	d.caption("Strongest signals for", 5)
	if len(pos) == 0 {
		d.para("No rule found something that helps.", "I", 8, colMuted, 0)
	} else {
		d.tableWithin(sigCols, sigRows(pos), sigBottom(), more("signal", "workloads.xlsx (Signals)"))
	}
	d.caption("Strongest signals against", 5)
	if len(neg) == 0 {
		d.para("No rule found something that hurts.", "I", 8, colMuted, 0)
	} else {
		d.tableWithin(sigCols, sigRows(neg), sigBottom(), more("signal", "workloads.xlsx (Signals)"))
	}
	if len(wl.Blockers)+len(wl.WaivedBlockers) > 0 {
		d.caption("Blockers", 5)
		var rows [][]tcell
		for _, b := range wl.Blockers {
			rows = append(rows, []tcell{{text: b.Title + "\n" + b.Rule, bold: true}, tc(effortText(b.Effort)), tc(truncate(b.Remediation, 240)), tc(evidenceBrief(b.Evidence, 1))})
		}
		// A waived blocker neither blocks nor caps; its points still count.
		for _, b := range wl.WaivedBlockers {
			rows = append(rows, []tcell{{text: b.Title + "\n" + b.Rule, colour: &colMuted}, tc(effortText(b.Effort)), tc(truncate("Waived: "+waiverNote(b.Waiver), 240)), tc(evidenceBrief(b.Evidence, 1))})
		}
		d.tableWithin([]column{{title: "Blocker", width: 24, size: 6.8}, {title: "Effort", width: 6, size: 6.8}, {title: "Remediation", width: 42, size: 6.8}, {title: "Evidence", width: 28, mono: true, size: 6.2}}, rows, bottomY-footH-mapRoom, more("blocker", "workloads.xlsx (Blockers)"))
	}
	if len(wl.WaivedBlockers) > 0 {
		d.caption("Waived blockers: they neither block nor cap; their points still count", captionKeep)
		var rows [][]tcell
		for _, b := range wl.WaivedBlockers {
			rows = append(rows, []tcell{{text: b.Title + "\n" + b.Rule, bold: true}, tc(effortText(b.Effort)), tc(waiverNote(b.Waiver)), tc(strings.Join(evidenceText(b.Evidence), "\n"))})
		}
		d.table([]column{{title: "Blocker", width: 21}, {title: "Effort", width: 7}, {title: "Waiver", width: 39}, {title: "Evidence", width: 33, mono: true, size: 7.2}}, rows)
	}
	if len(wl.Mapping) > 0 {
		d.caption("On Kubernetes", 5)
		var rows [][]tcell
		for _, m := range wl.Mapping {
			rows = append(rows, []tcell{tc(m.From), tc(m.To), tc(m.Note)})
		}
		d.tableWithin([]column{{title: "Today", width: 34, size: 7.2}, {title: "On Kubernetes", width: 36, size: 7.2}, {title: "Note", width: 30, size: 7.2}}, rows, bottomY-footH, more("mapping", "report.md"))
	}
	d.font("I", 7.2)
	d.textColour(colMuted)
	note := fmt.Sprintf("All %s, %s and %s, with every piece of evidence: report.md, assessment.json, workloads.xlsx.",
		plural(len(wl.Signals), "signal", "signals"), plural(len(wl.Unknowns), "unknown", "unknowns"), plural(len(scriptLinkRows(wl.Scripts)), "linked script", "linked scripts"))
	d.textAt(marginL, bottomY-lineH(7.2), contentW, d.fit(note, contentW), "L", 7.2)
}

// strongestSignals returns up to n signals that helped most and n that hurt most, by
// the points assess gave them (ties in assess's order).
func strongestSignals(ss []assess.Signal, n int) (pos, neg []assess.Signal) {
	for _, s := range ss {
		switch {
		case s.Points > 0:
			pos = append(pos, s)
		case s.Points < 0:
			neg = append(neg, s)
		}
	}
	sort.SliceStable(pos, func(i, j int) bool { return pos[i].Points > pos[j].Points })
	sort.SliceStable(neg, func(i, j int) bool { return neg[i].Points < neg[j].Points })
	return pos[:min(n, len(pos))], neg[:min(n, len(neg))]
}

// evidenceBrief is the first n places of evidence with their excerpts, and how many more
// there are.
func evidenceBrief(ev []inventory.Evidence, n int) string {
	s := signalEvidenceLines(ev)
	if len(ev) <= n || strings.HasPrefix(s, "the ") {
		return s
	}
	return evidenceLines(ev[:n]) + fmt.Sprintf("\n… and %d more", len(ev)-n)
}

// rulesInForce lists the catalogue as applied, so a consultant can defend any point.
func (d *pdfDoc) rulesInForce() {
	m := d.a.Methodology
	d.chapter("Rules in force")
	if len(m.Rules) == 0 {
		d.para("No rule catalogue was recorded in this assessment.", "", 9, colInk, 0)
		return
	}
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

// signalEvidenceLines is evidenceLines, except that a long list of whole files — the
// linked scripts searched for something that is not there — is counted rather than
// listed: a page of the same paths under every absent signal buries the evidence that is
// there. report.md, assessment.json and workloads.xlsx keep the full list.
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
			return fmt.Sprintf("the %d linked scripts", len(ev))
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

func waveNumberText(n int) string {
	if n <= 0 {
		return "—"
	}
	return strconv.Itoa(n)
}
