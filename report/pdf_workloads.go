package report

// The workloads chapter of the PDF report: the overview, blockers by rule and one section
// per workload with its signals and evidence.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"whyk8s/assess"
	"whyk8s/inventory"
)

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
	if len(wl.WaivedBlockers) > 0 {
		d.caption("Waived blockers: they neither block nor cap; their points still count", captionKeep)
		var rows [][]tcell
		for _, b := range wl.WaivedBlockers {
			rows = append(rows, []tcell{{text: b.Title + "\n" + b.Rule, bold: true}, tc(effortText(b.Effort)), tc(waiverNote(b.Waiver)), tc(strings.Join(evidenceText(b.Evidence), "\n"))})
		}
		d.table([]column{{title: "Blocker", width: 21}, {title: "Effort", width: 7}, {title: "Waiver", width: 39}, {title: "Evidence", width: 33, mono: true, size: 7.2}}, rows)
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
