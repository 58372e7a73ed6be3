package report

// The other chapters of the PDF report: changes since the last run, organisational
// readiness, findings and coverage, and the appendix.

import (
	"fmt"
	"strconv"
	"strings"

	"whyk8s/assess"
)

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
	if len(c.BlockersFixed)+len(c.BlockersNew)+len(c.BlockersWaived)+len(c.BlockersUnwaived) > 0 {
		d.caption("Blockers fixed and new", captionKeep)
		var rows [][]tcell
		for _, b := range c.BlockersFixed {
			rows = append(rows, []tcell{tc(b.Title + " (" + b.Rule + ")"), tc(label(b.Workload)), {text: "fixed", colour: &colPlus}})
		}
		for _, b := range c.BlockersNew {
			rows = append(rows, []tcell{tc(b.Title + " (" + b.Rule + ")"), tc(label(b.Workload)), {text: "new", colour: &colMinus}})
		}
		// Waived is not fixed, and a waiver that ended brings its blocker back.
		for _, b := range c.BlockersWaived {
			rows = append(rows, []tcell{tc(b.Title + " (" + b.Rule + ")"), tc(label(b.Workload)), {text: "waived, not fixed", colour: &colMuted}})
		}
		for _, b := range c.BlockersUnwaived {
			rows = append(rows, []tcell{tc(b.Title + " (" + b.Rule + ")"), tc(label(b.Workload)), {text: "counts again", colour: &colMinus}})
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
	d.lines(marginL+6, y+4+lineH(8.8)+1, contentW-12, lines, 8.8)
	d.f.SetY(y + h + 3)
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
	if line := waiversSummary(a); line != "" {
		d.gap(2)
		d.para("Waivers: "+line+". report.md and assessment.json list every waiver, and every waived finding with its reason and owner.", "", 9, colInk, 0)
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
