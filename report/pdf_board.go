package report

// report.pdf, the board's document: at most boardMaxPages pages whatever the size of the
// estate — cover and verdict, changes since the last run (with history), readiness, the
// portfolio, the migration plan, the top blockers, findings, what could not be read and a
// one-page method. Each chapter has a fixed number of pages; a table longer than its page
// shows what fits and says how many more rows there are and where they are.

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"whyk8s/assess"
)

// boardMaxPages is the most pages report.pdf has, for any estate.
const boardMaxPages = 12

// elsewhere names the documents that hold what the board report leaves out.
const elsewhere = "workloads.pdf, workloads.xlsx, report.md and assessment.json"

func (p pdfWriter) renderBoard(ctx context.Context, a *assess.Assessment, total int) (*pdfDoc, error) {
	d, err := newPDFDoc(ctx, a, "Kubernetes readiness assessment", total)
	if err != nil {
		return nil, err
	}
	d.fixed = true
	if len(p.logo) > 0 {
		d.f.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: p.logoType}, bytes.NewReader(p.logo))
		d.logo = true
	}
	steps := []func(){d.cover}
	if a.Changes != nil || len(a.Trend) >= 2 {
		steps = append(steps, d.sinceLastRun)
	}
	steps = append(steps, d.readinessPage, d.portfolio, d.planPage, d.blockersPage, d.findingsPage, d.gapsPage, d.methodPage)
	return d, d.run(steps...)
}

// more is the note under a table cut to its page.
func more(what string, where string) func(int) string {
	return func(n int) string {
		return "… and " + plural(n, what, what+"s") + " more: see " + where + "."
	}
}

// --- changes since the last run ----------------------------------------------------------------

func (d *pdfDoc) sinceLastRun() {
	a := d.a
	c := a.Changes
	if c == nil {
		d.chapter("Trend")
		d.trendChart(a.Trend)
		return
	}
	d.chapter("Changes since " + longDate(c.Since))
	verdict := tile{label: "VERDICT", value: "Unchanged", note: decisionText(a.Verdict.Decision)}
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
		{label: "BLOCKERS", value: fmt.Sprintf("−%d / +%d", len(c.BlockersFixed), len(c.BlockersNew)), note: "fixed / new"},
	})
	d.gap(3)
	// Waived is not fixed, and a waiver that ended brings its blocker back.
	if w, u := len(c.BlockersWaived), len(c.BlockersUnwaived); w+u > 0 {
		d.para(fmt.Sprintf("Blockers waived since, not fixed: %d. Blockers that count again because their waiver ended: %d. Each is listed in report.md.", w, u), "", 8.6, colInk, 0)
	}
	d.gap(2)
	if len(a.Trend) >= 2 {
		d.heading("Trend")
		d.trendChart(a.Trend)
	}
	if len(c.Scores) > 0 {
		d.heading("Scores that moved")
		label := func(id string) string { return workloadLabel(d.index, id) }
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
		d.tableWithin([]column{{title: "Workload", width: 30}, {title: "Score", width: 11}, {title: "Category", width: 25}, {title: "Rules that moved it", width: 34, mono: true}}, rows, bottomY, more("workload", "report.md (Changes)"))
	}
}

// --- readiness ------------------------------------------------------------------------------------

func (d *pdfDoc) readinessPage() {
	r := d.a.Readiness
	d.chapter("Organisational readiness")
	if r.Assessed {
		d.tiles([]tile{
			{label: "LEVEL", value: r.Level, note: "from the questionnaire"},
			{label: "SCORE", value: strconv.Itoa(r.Score) + "/100", note: "weighted over the capability factors"},
			{label: "CONFIDENCE", value: strconv.Itoa(r.Confidence) + "%", note: "share of weight answered"},
			{label: "BENEFIT", value: strconv.Itoa(r.Benefit) + "/100", note: "what the organisation stands to gain"},
		})
		d.gap(3)
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
	if len(r.KeyFactors) > 0 {
		d.heading("The three factors that matter most")
		for _, k := range r.KeyFactors {
			col := colMinus
			if k.Effect == assess.EffectBenefit {
				col = colPlus
			}
			d.font("B", 9.4)
			d.textColour(colNavy)
			y := d.f.GetY()
			d.textAt(marginL, y, contentW*0.62, d.fit(k.Title, contentW*0.62), "L", 9.4)
			d.font("B", 7.6)
			d.textColour(col)
			d.textAt(marginL, y+0.4, contentW, strings.ToUpper(k.Effect), "R", 7.6)
			d.gap(lineH(9.4))
			d.para(k.Why, "", 8.6, colInk, 0)
			d.gap(1.6)
		}
	}
	var disagree []string
	for _, f := range r.Factors {
		if f.Contradiction != "" {
			disagree = append(disagree, f.Title)
		}
	}
	if len(disagree) > 0 && d.f.GetY()+20 < bottomY {
		d.callout("Answers the evidence disagrees with", strings.Join(disagree, ", ")+". Each is explained in report.md and the Readiness sheet of workloads.xlsx.", colWarn)
	}
}

// --- portfolio ------------------------------------------------------------------------------------

// portfolio is up to four pages: the estate by fit category, role and wave; fit against
// effort; and the register, one line per workload while two pages hold them, otherwise
// by group.
func (d *pdfDoc) portfolio() {
	a := d.a
	d.chapter("Portfolio")
	total := len(a.Workloads)
	pct := func(n int) string {
		if total == 0 {
			return ""
		}
		return fmt.Sprintf("  (%d%%)", (n*100+total/2)/total)
	}
	d.heading("By container fit")
	var cats []barRow
	for _, c := range a.Summary.ByCategory {
		cats = append(cats, barRow{label: c.Category, value: c.Count, note: pct(c.Count), fill: categoryColour(c.Category)})
	}
	d.bars(cats)
	d.heading("By role")
	roles := map[string]int{}
	for i := range a.Workloads {
		roles[roleText(&a.Workloads[i])]++
	}
	if total > 0 && roles[roleNotAssessed] == total {
		d.para("Role not assessed: this assessment does not yet say what each workload is (web service, worker, batch job, data store, platform node…). Every workload is counted under its fit and wave instead.", "I", 8.6, colMuted, 0)
		d.gap(2)
	} else {
		var names []string
		for n := range roles {
			names = append(names, n)
		}
		sort.SliceStable(names, func(i, j int) bool {
			if roles[names[i]] != roles[names[j]] {
				return roles[names[i]] > roles[names[j]]
			}
			return names[i] < names[j]
		})
		var rows []barRow
		for i, n := range names {
			if i == 12 {
				rest := 0
				for _, m := range names[12:] {
					rest += roles[m]
				}
				rows = append(rows, barRow{label: "other roles", value: rest, note: pct(rest), fill: colMuted})
				break
			}
			rows = append(rows, barRow{label: n, value: roles[n], note: pct(roles[n]), fill: colAccent})
		}
		d.bars(rows)
	}
	d.heading("By migration wave")
	var waves []barRow
	inWave := 0
	for _, w := range a.Waves {
		waves = append(waves, barRow{label: strconv.Itoa(w.Number) + ". " + w.Name, value: len(w.Workloads), note: pct(len(w.Workloads)), fill: colNavy})
		inWave += len(w.Workloads)
	}
	waves = append(waves, barRow{label: "in no wave", value: total - inWave, note: pct(total - inWave), fill: colMuted})
	if len(waves) > 9 {
		waves = append(waves[:8], waves[len(waves)-1])
	}
	d.bars(waves)

	d.f.AddPage()
	d.heading("Fit against effort")
	marks := fitMarks(a)
	if len(marks) == 0 {
		d.para("No workload has both a fit category and an effort estimate: there is nothing to plot.", "", 9, colInk, 0)
	} else {
		frame := box{marginL, d.f.GetY(), contentW, 0}
		frame.h = min(bottomY-frame.y-14, 78+2*lineH(titleSize)+lineH(axisSize)+4+float64((len(marks)+2)/3)*lineH(keySize)+2)
		l := layoutFitEffort(marks, frame, d.measure)
		d.drawLayout(l)
		d.f.SetY(frame.y + frame.h + 2)
		note := "Each marker is a workload, numbered as in the register and workloads.xlsx, coloured by its category, at its score in the column of its effort. Workloads with insufficient data or no effort estimate are not plotted."
		if l.grouped {
			note = "Each bubble is the workloads of one category and effort size, sized by their number. Workloads with insufficient data or no effort estimate are not plotted."
		}
		d.para(note, "I", 7.6, colMuted, 0)
	}

	// The register follows on the same page when it fits there whole.
	if need := 20 + float64(len(a.Workloads)+1)*registerRowH; len(a.Workloads) == 0 || d.f.GetY()+need > bottomY {
		d.f.AddPage()
	} else {
		d.gap(4)
	}
	d.register()
}

// registerRowH is the height of one line of the register.
const registerRowH = 3.9

// registerPerPage is how many register lines a page holds under its heading.
const registerPerPage = 56

// register lists the workloads one line each while two pages hold them; a larger estate
// is shown by environment and by account instead.
func (d *pdfDoc) register() {
	a := d.a
	perPage := registerPerPage
	if len(a.Workloads) == 0 {
		d.heading("Register")
		d.para("No Auto Scaling group was found in scope.", "", 9.5, colInk, 0)
		return
	}
	if len(a.Workloads) <= 2*perPage {
		d.heading("Register")
		rows := make([][]string, 0, len(a.Workloads))
		colours := make([]rgb, 0, len(a.Workloads))
		for i := range a.Workloads {
			wl := &a.Workloads[i]
			rows = append(rows, []string{strconv.Itoa(i + 1), wl.Name, wl.Environment, roleText(wl), strconv.Itoa(wl.Fit.Score), wl.Fit.Category, effortText(wl.Effort), waveNumberText(wl.Wave), wl.Crosswalk.Strategy})
			colours = append(colours, categoryColour(wl.Fit.Category))
		}
		cols := []column{{title: "#", width: 5, align: "R"}, {title: "Workload", width: 27}, {title: "Environment", width: 11}, {title: "Role", width: 13}, {title: "Score", width: 6, align: "R"}, {title: "Category", width: 15}, {title: "Effort", width: 6}, {title: "Wave", width: 5}, {title: "7 Rs", width: 10}}
		first := min(len(rows), perPage)
		d.lineTable(cols, rows[:first], colours[:first], 5)
		if first < len(rows) {
			d.f.AddPage()
			d.lineTable(cols, rows[first:], colours[first:], 5)
		}
		d.para("# is the workload's number on the chart, in workloads.pdf and in workloads.xlsx. 7 Rs is the crosswalk's strategy (see Method).", "I", 7.4, colMuted, 0)
		return
	}
	d.heading("Register by environment")
	d.para(fmt.Sprintf("This estate has %s workloads, too many for a line each in a document meant to be read: they are counted here by environment and by account. workloads.pdf has a page for each, and workloads.xlsx a row.", thousands(len(a.Workloads))), "", 8.8, colInk, 0)
	d.gap(2)
	d.groupTable("Environment", func(wl *assess.Workload) string { return wl.Environment }, bottomY-110)
	d.heading("Register by account")
	d.groupTable("Account", func(wl *assess.Workload) string { return wl.Account }, bottomY)
}

// groupTable counts workloads by key and category, one row per key, largest first.
func (d *pdfDoc) groupTable(title string, key func(*assess.Workload) string, bottom float64) {
	a := d.a
	type row struct {
		key   string
		n     int
		byCat map[string]int
		waved int
	}
	idx := map[string]*row{}
	var order []*row
	for i := range a.Workloads {
		wl := &a.Workloads[i]
		k := key(wl)
		r := idx[k]
		if r == nil {
			r = &row{key: k, byCat: map[string]int{}}
			idx[k] = r
			order = append(order, r)
		}
		r.n++
		r.byCat[wl.Fit.Category]++
		if wl.Wave > 0 {
			r.waved++
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].n != order[j].n {
			return order[i].n > order[j].n
		}
		return order[i].key < order[j].key
	})
	cols := []column{{title: title, width: 22}, {title: "Workloads", width: 10, align: "R"}}
	short := map[string]string{assess.CategoryExcellent: "Excellent", assess.CategoryGood: "Good", assess.CategoryMinorWork: "Minor work", assess.CategoryMajorWork: "Major work", assess.CategoryPoor: "Poor", assess.CategoryInsufficient: "Insufficient data"}
	for _, c := range assess.Categories {
		cols = append(cols, column{title: short[c], width: 9, align: "R"})
	}
	cols = append(cols, column{title: "In a wave", width: 9, align: "R"})
	var rows [][]tcell
	for _, r := range order {
		cells := []tcell{{text: r.key, bold: true}, tc(thousands(r.n))}
		for _, c := range assess.Categories {
			cells = append(cells, tc(thousands(r.byCat[c])))
		}
		cells = append(cells, tc(thousands(r.waved)))
		rows = append(rows, cells)
	}
	d.tableWithin(cols, rows, bottom, more(strings.ToLower(title), "workloads.xlsx"))
}

// lineTable draws rows of one line each (text shortened to fit), the first cell's colour
// swatch from colours in column swatchCol.
func (d *pdfDoc) lineTable(cols []column, rows [][]string, colours []rgb, swatchCol int) {
	const size = 6.9
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	y := d.f.GetY()
	d.fillColour(colPanel)
	d.f.Rect(marginL, y, contentW, registerRowH+0.6, "F")
	d.font("B", size)
	d.textColour(colNavy)
	x := marginL
	for _, c := range cols {
		w := contentW * c.width / total
		d.textAt(x+0.8, y+0.3, w-1.6, d.fit(c.title, w-1.6), c.align, size)
		x += w
	}
	y += registerRowH + 0.6
	for r, row := range rows {
		if r%2 == 1 {
			d.fillColour(colZebra)
			d.f.Rect(marginL, y, contentW, registerRowH, "F")
		}
		x := marginL
		for i, c := range cols {
			w := contentW * c.width / total
			tx, tw := x+0.8, w-1.6
			if i == swatchCol {
				d.fillColour(colours[r])
				d.f.Rect(tx, y+registerRowH/2-0.9, 1.8, 1.8, "F")
				tx, tw = tx+2.6, tw-2.6
			}
			d.font("", size)
			if i == 1 {
				d.font("B", size)
			}
			d.textColour(colInk)
			d.textAt(tx, y+0.2, tw, d.fit(row[i], tw), c.align, size)
			x += w
		}
		y += registerRowH
	}
	d.drawColour(colRule)
	d.f.SetLineWidth(0.1)
	d.f.Line(marginL, y, marginL+contentW, y)
	d.f.SetY(y + 2)
}

// --- migration plan --------------------------------------------------------------------------------

func (d *pdfDoc) planPage() {
	a := d.a
	d.chapter("Migration plan")
	d.waveCards()
	outside := 0
	for _, wl := range a.Workloads {
		if wl.Wave <= 0 {
			outside++
		}
	}
	if outside > 0 {
		d.para(plural(outside, "workload is", "workloads are")+" in no wave: they stay on Auto Scaling groups for now, or need more evidence before anyone can judge them (see the register and workloads.xlsx).", "I", 8.4, colMuted, 0)
	}
	if len(a.Summary.TeamChanges) > 0 && d.f.GetY()+30 < bottomY {
		// As many as the page holds, whole.
		var fit []string
		y := d.f.GetY() + 15
		d.font("", 9)
		for _, s := range a.Summary.TeamChanges {
			h := float64(len(d.wrap(s, contentW-5)))*lineH(9) + 1.2
			if y+h > bottomY {
				break
			}
			fit = append(fit, s)
			y += h
		}
		if len(fit) > 0 {
			d.heading("What changes for development and operations teams")
			d.bullets(fit, 9, colInk)
		}
	}
}

// --- top blockers -------------------------------------------------------------------------------------

func (d *pdfDoc) blockersPage() {
	a := d.a
	d.chapter("Top blockers")
	if len(a.Summary.TopBlockers) == 0 {
		d.para("No workload has a blocker: nothing must be fixed before the candidates move.", "", 9.5, colInk, 0)
		return
	}
	d.para("What holds the most workloads back, what fixes it and how big the fix is. Each workload's blockers, with their evidence, are in workloads.pdf and in the Blockers sheet of workloads.xlsx.", "", 8.8, colInk, 0)
	d.gap(2)
	remedy := map[string]string{}
	for _, r := range a.Methodology.Rules {
		remedy[r.ID] = r.Remediation
	}
	var rows [][]tcell
	for _, b := range a.Summary.TopBlockers {
		efforts := map[string]bool{}
		rem := remedy[b.Rule]
		for _, id := range b.Workloads {
			if wl, ok := d.index[id]; ok {
				for _, x := range wl.Blockers {
					if x.Rule == b.Rule {
						efforts[effortText(x.Effort)] = true
						if rem == "" {
							rem = x.Remediation
						}
					}
				}
			}
		}
		var es []string
		for _, e := range []string{"S", "M", "L", "XL", "unknown"} {
			if efforts[e] {
				es = append(es, e)
			}
		}
		rows = append(rows, []tcell{
			{text: b.Title + "\n" + b.Rule, bold: true},
			tc(thousands(len(b.Workloads))),
			tc(strings.Join(es, ", ")),
			tc(rem),
			tc(d.workloadList(b.Workloads, 3)),
		})
	}
	d.tableWithin([]column{
		{title: "Blocker", width: 22}, {title: "Workloads", width: 9, align: "R"}, {title: "Effort", width: 7},
		{title: "Remediation", width: 40}, {title: "For example", width: 22},
	}, rows, bottomY, more("blocker", "workloads.xlsx (Blockers)"))
}

// --- findings -----------------------------------------------------------------------------------------

func (d *pdfDoc) findingsPage() {
	a := d.a
	d.chapter("Findings by severity")
	d.para("Things a person must act on whatever the platform decision. Secret values are never copied into this report: each secret is named by its kind and its place only.", "", 8.8, colInk, 0)
	d.gap(2)
	count := map[string]int{}
	for _, f := range a.Findings {
		count[strings.ToLower(f.Severity)]++
	}
	d.tiles([]tile{
		{label: "CRITICAL", value: thousands(count["critical"]), note: "act now"},
		{label: "HIGH", value: thousands(count["high"]), note: "act this quarter"},
		{label: "MEDIUM", value: thousands(count["medium"]), note: "plan"},
		{label: "LOW", value: thousands(count["low"]), note: "note"},
	})
	d.gap(3)
	if line := waiversSummary(a); line != "" {
		d.para("Waivers: "+line+". report.md, assessment.json and workloads.xlsx list every waiver, and every waived finding with its reason and owner.", "", 8.6, colInk, 0)
		d.gap(2)
	}
	if len(a.Findings) == 0 {
		d.para("No findings.", "", 9.5, colInk, 0)
		return
	}
	rank := map[string]int{"critical": 0, "high": 1, "medium": 2, "low": 3}
	fs := append([]assess.Finding(nil), a.Findings...)
	// Most severe first; assess's order within a severity.
	sort.SliceStable(fs, func(i, j int) bool {
		return sevRank(rank, fs[i].Severity) < sevRank(rank, fs[j].Severity)
	})
	var rows [][]tcell
	for _, f := range fs {
		sev := severityColour(f.Severity)
		t := f.Title
		if f.Detail != "" {
			t += ": " + f.Detail
		}
		// The place only: the evidence's value or excerpt may be the secret itself.
		rows = append(rows, []tcell{{text: f.Severity, colour: &sev, bold: true}, tc(t), tc(findingPlace(f.Evidence)), tc(d.workloadList(f.Workloads, 3))})
	}
	d.tableWithin([]column{{title: "Severity", width: 10}, {title: "Finding", width: 38}, {title: "Where", width: 30, mono: true}, {title: "Workloads", width: 22}}, rows, bottomY, more("finding", "workloads.xlsx (Findings)"))
}

func sevRank(rank map[string]int, s string) int {
	if r, ok := rank[strings.ToLower(s)]; ok {
		return r
	}
	return len(rank)
}

// --- what could not be read --------------------------------------------------------------------------

func (d *pdfDoc) gapsPage() {
	a := d.a
	d.chapter("What could not be read")
	aws, code := 0, 0
	for _, g := range a.Coverage {
		if g.Path != "" {
			code++
		} else {
			aws++
		}
	}
	var insufficient []string
	for i := range a.Workloads {
		if a.Workloads[i].Fit.Category == assess.CategoryInsufficient {
			insufficient = append(insufficient, a.Workloads[i].ID)
		}
	}
	d.tiles([]tile{
		{label: "AWS GAPS", value: thousands(aws), note: "account, region or call not read"},
		{label: "FILES NOT READ", value: thousands(code), note: "scripts or IaC"},
		{label: "NOT JUDGED", value: thousands(len(insufficient)), note: "workloads with too little evidence"},
		{label: "UNLINKED SCRIPTS", value: thousands(len(a.UnlinkedScripts)), note: "tied to no workload"},
	})
	d.gap(5)
	if len(a.Coverage) == 0 {
		d.para("Every account, region and file in scope was read.", "", 9.5, colInk, 0)
	} else {
		d.para("Workloads in these places are missing from the assessment, or are judged on less evidence. Unknown is reported as unknown, never as absent.", "", 8.8, colInk, 0)
		d.gap(2)
		if m := newGapMatrix(a); m != nil && len(m.Regions) <= 8 {
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
			d.tableWithin(cols, rows, bottomY-60, more("account", "workloads.xlsx (Coverage gaps)"))
		}
		var rows [][]tcell
		for _, g := range a.Coverage {
			rows = append(rows, []tcell{tc(gapPlace(g)), tc(g.Kind), tc(g.Message)})
		}
		limit := bottomY
		if len(insufficient) > 0 {
			limit -= 22
		}
		d.tableWithin([]column{{title: "Where", width: 36, mono: true}, {title: "Kind", width: 16}, {title: "What happened", width: 48}}, rows, limit, more("gap", "workloads.xlsx (Coverage gaps)"))
	}
	if len(a.Scope.NotRead) > 0 && d.f.GetY()+14 < bottomY {
		d.gap(2)
		d.para("Not read by design, so not judged here: "+strings.Join(a.Scope.NotRead, "; ")+".", "", 8.2, colMuted, 0)
	}
	if len(insufficient) > 0 && d.f.GetY()+18 < bottomY {
		d.heading("Workloads too little is known about")
		d.para(d.workloadList(insufficient, 8)+". Linking the scripts that build them (a tag, a Packer manifest) lets the next run judge them.", "", 8.8, colInk, 0)
	}
}

// --- method ---------------------------------------------------------------------------------------------

func (d *pdfDoc) methodPage() {
	a := d.a
	m := a.Methodology
	d.chapter("Method")
	th := m.Thresholds
	var dims []string
	for _, dw := range m.Dimensions {
		dims = append(dims, dw.Name+" "+weightText(dw.Weight))
	}
	intro := "Each workload's container fit is a score from 0 to 100, from documented rules grouped into weighted dimensions"
	if len(dims) > 0 {
		intro += " (" + strings.Join(dims, ", ") + ")"
	}
	intro += fmt.Sprintf(". Categories: Excellent fit %d and above, Good fit %d–%d, Needs minor work %d–%d, Needs major work %d–%d, Poor fit below %d; below %d%% confidence, Insufficient data. Readiness is the questionnaire's twelve factors, answered 0–4 and weighted.",
		th.Excellent, th.Good, th.Excellent-1, th.MinorWork, th.Good-1, th.MajorWork, th.MinorWork-1, th.MajorWork, th.MinConfidence)
	d.para(intro, "", 8.4, colInk, 0)
	d.gap(2)
	if len(m.Method) > 0 {
		var fit []string
		h := 0.0
		for _, s := range m.Method {
			d.font("", 7.8)
			sh := float64(len(d.wrap(s, contentW-5)))*lineH(7.8) + 1.2
			if d.f.GetY()+h+sh > bottomY-95 {
				break
			}
			fit = append(fit, s)
			h += sh
		}
		d.bullets(fit, 7.8, colInk)
	}
	if len(m.Overrides) > 0 {
		d.para("Changed from the defaults: "+strings.Join(m.Overrides, " "), "I", 7.8, colMuted, 0)
	}
	d.heading("Crosswalk to the rubrics you know")
	var rows [][]tcell
	for _, l := range crosswalkLines(m.Crosswalk) {
		rows = append(rows, []tcell{tc(l.When), tc(l.MigrationCenter), tc(l.AzureAKS), tc(l.Konveyor), tc(l.Strategy)})
	}
	d.tableWithin([]column{{title: "When", width: 34, size: 6.6}, {title: "Google Migration Center", width: 17, size: 6.6}, {title: "Azure Migrate (AKS)", width: 17, size: 6.6}, {title: "Konveyor", width: 10, size: 6.6}, {title: "7 Rs", width: 12, size: 6.6}}, rows, bottomY-9, more("row", "workloads.xlsx (Crosswalk)"))
	d.para("Every score, signal, blocker and finding, with its evidence (file and line, or ARN and API field), is in "+elsewhere+"; the rules in force are listed at the end of workloads.pdf and in report.md.", "I", 7.4, colMuted, 0)
}
