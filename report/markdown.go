package report

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"whyk8s/assess"
	"whyk8s/internal/inputfile"
	"whyk8s/internal/printable"
	"whyk8s/inventory"
	"whyk8s/templates"
)

// markdownWriter renders the GitHub-flavoured Markdown report from a text/template: the
// embedded one, or the user's.
type markdownWriter struct {
	tmpl      *template.Template
	manifests *ManifestsView
}

// newMarkdownWriter parses the template at opts.Template, or the embedded one when it is
// empty, and takes the links to starter manifests from opts. Parse errors name the file
// and line.
func newMarkdownWriter(opts Options) (writer, error) {
	path := opts.Template
	name, text := templates.ReportMarkdownName, templates.ReportMarkdown()
	if path != "" {
		data, err := inputfile.Read(path, inputfile.MaxTemplate)
		if err != nil {
			return nil, fmt.Errorf("%w: read Markdown template: %w; the Markdown report is not written", ErrBadOption, err)
		}
		name, text = path, string(data)
	}
	tmpl, err := template.New(name).Funcs(markdownFuncs).Option("missingkey=error").Parse(text)
	if err != nil {
		// text/template already says "template: <name>:<line>: …".
		return nil, fmt.Errorf("%w: %w; the Markdown report is not written", ErrBadOption, err)
	}
	return markdownWriter{tmpl: tmpl, manifests: manifestsView(opts)}, nil
}

func (m markdownWriter) write(ctx context.Context, w io.Writer, a *assess.Assessment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := newTemplateData(a)
	d.Manifests = m.manifests
	if err := m.tmpl.Execute(w, d); err != nil {
		return fmt.Errorf("render Markdown: %w", err)
	}
	return nil
}

// TemplateData is what the Markdown template receives. The assessment's fields are
// promoted ({{.Client}}, {{.Verdict.Title}}, {{range .Findings}}); the other fields are
// arrangements of it that a template cannot easily build itself.
//
// Besides text/template's own, templates may call: text and cell (escape client text for
// a paragraph or a table cell — use one of them for anything that came from the estate),
// code and codes (code spans), anchor (GitHub's heading anchor), join, evidence,
// evidenceFull and place (evidence places; place never shows a value), gapPlace, answer
// and level (0–4 answers, "not answered" for none), points, weight, weights, effort, bar
// (a ten-cell text bar), thousands, plural, date, longDate, scope, readiness, decision,
// linkReason, judged, share, add, first and more (shorten lists), pointCount, wave,
// workload and workloads (IDs as links to their sections: call with $ first), known,
// categoryCount, and for waivers waiverNote, waiverStatus, waiversSummary, expiredWaivers
// and movedByWaiver. The embedded template (templates.ReportMarkdown) shows them in use.
type TemplateData struct {
	*assess.Assessment

	// Rows are all workloads in the assessment's order, for the overview table.
	Rows []WorkloadView
	// Sections are the workloads that get a section of their own.
	Sections []WorkloadView
	// Condensed are the workloads summarised in one table, and CondenseNote says why;
	// both are empty for small estates.
	Condensed    []WorkloadView
	CondenseNote string

	// FitPie, Quadrant and TrendChart are the bodies of mermaid charts, empty when there is
	// nothing to draw (no workloads; fewer than two trend points).
	FitPie     string
	Quadrant   string
	TrendChart string
	// QuadrantKey names the Quadrant chart's numbered (or, grouped, lettered) points.
	QuadrantKey []QuadrantKey
	// Crosswalk is the crosswalk table as rows to print (Methodology.Crosswalk flattened).
	Crosswalk []CrosswalkLine

	// AWSGaps and ScriptGaps split the coverage gaps; GapMatrix is the account × region
	// view of the AWS ones (nil when there are none).
	AWSGaps    []inventory.CoverageGap
	ScriptGaps []inventory.CoverageGap
	GapMatrix  *GapMatrix

	// Manifests links each workload to its starter Kubernetes manifests; nil when none
	// were written with the report.
	Manifests *ManifestsView

	rowOf map[string]int // workload ID → index in Rows
}

// WorkloadView is a workload with what the report adds to it: its heading anchor and the
// name of its wave.
type WorkloadView struct {
	*assess.Workload
	Heading  string
	Anchor   string
	WaveName string
	// Section is true when the workload has a section of its own to link to.
	Section bool
}

func newTemplateData(a *assess.Assessment) *TemplateData {
	d := &TemplateData{Assessment: a, rowOf: make(map[string]int, len(a.Workloads))}
	names := waveNames(a)
	seen := map[string]int{}
	// Headings the template writes itself; workload anchors must not collide with them.
	for _, h := range []string{"Contents", "Executive summary", "Organisational readiness", "Workloads", "Overview", "Crosswalk", "Fit against effort", "Starter Kubernetes manifests", "Findings", "Waivers", "Coverage gaps", "Unlinked scripts", "Appendix", "Methodology"} {
		seen[slug(h)]++
	}
	for i := range a.Workloads {
		wl := &a.Workloads[i]
		v := WorkloadView{Workload: wl, WaveName: names[wl.Wave], Section: !condensed(a, wl)}
		v.Heading = wl.Name + " (" + wl.Account + "/" + wl.Region + ")"
		v.Anchor = uniqueSlug(seen, v.Heading)
		d.rowOf[wl.ID] = len(d.Rows)
		d.Rows = append(d.Rows, v)
		if v.Section {
			d.Sections = append(d.Sections, v)
		} else {
			d.Condensed = append(d.Condensed, v)
		}
	}
	if len(d.Condensed) > 0 {
		d.CondenseNote = condenseReason(a, len(d.Condensed))
	}
	d.FitPie = mermaidPie(a)
	d.Quadrant, d.QuadrantKey = mermaidQuadrant(a)
	d.Crosswalk = crosswalkLines(a.Methodology.Crosswalk)
	d.TrendChart = mermaidTrend(a.Trend)
	for _, g := range a.Coverage {
		if g.Path != "" {
			d.ScriptGaps = append(d.ScriptGaps, g)
		} else {
			d.AWSGaps = append(d.AWSGaps, g)
		}
	}
	d.GapMatrix = newGapMatrix(a)
	return d
}

// markdownFuncs are the functions templates may call.
var markdownFuncs = template.FuncMap{
	// Text and escaping.
	"text":   mdText,  // inline text with Markdown metacharacters escaped
	"cell":   mdCell,  // text for a table cell: escaped, '|' and newlines made safe
	"code":   mdCode,  // an inline code span
	"codes":  mdCodes, // strings as comma-separated code spans
	"anchor": slug,    // GitHub's anchor for a heading text
	"join":   strings.Join,
	// Evidence.
	"evidence": func(ev []inventory.Evidence) string { return mdCodes(evidenceText(ev)) },
	"place":    func(e inventory.Evidence) string { return mdCode(findingPlace(e)) }, // a finding's place, never its value
	"gapPlace": func(g inventory.CoverageGap) string { return mdCode(gapPlace(g)) },
	// Numbers and labels.
	"answer":      answerText,
	"level":       levelText,
	"points":      pointsText,
	"weight":      weightText,
	"weights":     weightInForce,
	"effort":      effortText,
	"bar":         textBar,
	"thousands":   thousands,
	"plural":      plural,
	"date":        shortDate,
	"longDate":    longDate,
	"scope":       scopeText,
	"readiness":   readinessText,
	"decision":    decisionText,
	"linkReason":  linkReasonText,
	"scriptLinks": scriptLinkRows,
	"judged":      judged,
	"share":       trendShare,
	"add":         func(a, b int) int { return a + b },
	// first and more shorten long lists of workloads: "first 5, and 312 more".
	"first": func(list []string, n int) []string { return list[:min(n, len(list))] },
	"more": func(list []string, n int) string {
		if len(list) <= n {
			return ""
		}
		return ", and " + thousands(len(list)-n) + " more"
	},
	"evidenceFull": mdEvidence,
	"pointCount": func(p assess.TrendPoint, category string) int {
		for _, c := range p.ByCategory {
			if c.Category == category {
				return c.Count
			}
		}
		return 0
	},
	"wave": func(a *assess.Assessment, n int) string {
		return waveText(waveNames(a), n)
	},
	// workload renders a workload ID as a link to its section, or as its name and place
	// when it has none.
	"workload": func(d *TemplateData, id string) string { return d.workloadLink(id) },
	"workloads": func(d *TemplateData, ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = d.workloadLink(id)
		}
		return strings.Join(out, ", ")
	},
	"role":    roleText,
	"roleWhy": roleWhy,
	"known": func(d assess.Dimension) string {
		if !d.Known {
			return "unknown"
		}
		return strconv.Itoa(d.Score)
	},
	// Waivers.
	"waiverNote":     waiverNote,
	"waiverStatus":   waiverStatusText,
	"waiversSummary": waiversSummary,
	"expiredWaivers": expiredWaivers,
	"movedByWaiver":  func(moves []assess.RuleMove) string { return movedByWaiver(moves, mdCode) },
	"categoryCount": func(a *assess.Assessment, category string) int {
		for _, c := range a.Summary.ByCategory {
			if c.Category == category {
				return c.Count
			}
		}
		return 0
	},
}

// excerptMax is the longest excerpt shown beside evidence; the full line is in the file.
const excerptMax = 90

// mdEvidence renders evidence places as code spans, each followed by the excerpt of the
// line when there is one.
func mdEvidence(ev []inventory.Evidence) string {
	var parts []string
	for _, e := range ev {
		p := e.String()
		if p == "" {
			continue
		}
		s := mdCode(p)
		if x := strings.TrimSpace(e.Excerpt); x != "" {
			s += ": " + mdCode(truncate(x, excerptMax))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "<br>")
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (d *TemplateData) workloadLink(id string) string {
	i, ok := d.rowOf[id]
	if !ok {
		return mdCode(id)
	}
	v := d.Rows[i]
	if v.Section {
		return "[" + mdText(v.Name) + "](#" + v.Anchor + ")"
	}
	return mdText(v.Heading)
}

// mdText escapes the characters that would turn a client's names and notes into Markdown
// or HTML, and '|', which would end a table cell: the same text may land in a table or a
// paragraph, and "\|" reads as "|" in both. Underscores are escaped only where they could start or end emphasis, so that
// snake_case names stay readable in the raw file.
func mdText(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '\\', '`', '*', '[', ']', '#', '~', '|':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '_':
			inWord := i > 0 && i < len(rs)-1 && isWord(rs[i-1]) && isWord(rs[i+1])
			if !inWord {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '\r':
		case '\n':
			b.WriteByte(' ')
		default:
			if printable.Clean(string(r)) {
				b.WriteRune(r)
			} else {
				// An escape sequence from a name must not reach a terminal that shows the file.
				b.WriteString(printable.Rune(r))
			}
		}
	}
	return b.String()
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mdCell escapes text for a table cell: a '|' would end the cell and a newline the row.
func mdCell(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = mdText(l)
	}
	return strings.Join(lines, "<br>")
}

// mdCode renders s as an inline code span, safe in a table cell. A span containing
// backticks is fenced with more backticks than it holds.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = printable.Escape(strings.NewReplacer("\r", " ", "\n", " ", "|", `\|`).Replace(s))
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || fence != "`" {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func mdCodes(list []string) string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s != "" {
			out = append(out, mdCode(s))
		}
	}
	return strings.Join(out, ", ")
}

// slug is GitHub's heading anchor: lower case, punctuation and symbols dropped, spaces
// turned into hyphens; letters of any script are kept.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uniqueSlug returns the anchor GitHub gives the n-th heading with the same text: "x",
// then "x-1", "x-2".
func uniqueSlug(seen map[string]int, heading string) string {
	s := slug(heading)
	n := seen[s]
	seen[s]++
	if n == 0 {
		return s
	}
	return s + "-" + strconv.Itoa(n)
}

// textBar draws a 0–100 score as a ten-cell bar, which reads at a glance in a table.
func textBar(score int) string {
	n := max(0, min(10, (score+5)/10))
	return strings.Repeat("█", n) + strings.Repeat("░", 10-n)
}

// mermaidLabel makes a string safe inside a quoted mermaid label: mermaid's grammars choke
// on quotes, colons, brackets and parentheses even there. Letters of any script are kept;
// the label is quoted where it is used, which is how mermaid accepts non-ASCII text.
func mermaidLabel(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '.' || r == '_' || r == '/' || r == '+' || r == ',' || r == '&':
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// mermaidPie is a pie of workloads per fit category. Empty categories are left out: a
// zero-size slice only adds a label to an empty wedge.
func mermaidPie(a *assess.Assessment) string {
	var b strings.Builder
	total := 0
	for _, c := range a.Summary.ByCategory {
		total += c.Count
	}
	if total == 0 {
		return ""
	}
	b.WriteString("pie showData title Workloads by container fit\n")
	for _, c := range a.Summary.ByCategory {
		if c.Count > 0 {
			fmt.Fprintf(&b, "    %q : %d\n", mermaidLabel(c.Category), c.Count)
		}
	}
	return b.String()
}

// mermaidMarkR is the room one point of a mermaid quadrant chart takes, point and
// label together, as a share of the chart's side: mermaid draws a 5 px point with its
// label in 12 px type under it, on a 500 px chart.
const mermaidMarkR = 0.036

// QuadrantKey is one numbered point of the Markdown's fit-against-effort chart.
type QuadrantKey struct {
	Number int
	Name   string
	Score  int
	Effort string
	Count  int // grouped: how many workloads the point stands for; 0 for one workload
	Label  string
}

// mermaidQuadrant plots container fit against migration effort with the same rule as the
// PDF: each point is a number (the workload's # in the register and the workbook), placed
// at its score in its effort's quarter and moved sideways until no point or label
// touches another; the names are in the key under the chart. Mermaid puts quadrant titles
// where points may be, so the quadrants are named in the text instead. When the points
// cannot all be placed, one point per category and effort is plotted, lettered.
func mermaidQuadrant(a *assess.Assessment) (string, []QuadrantKey) {
	marks := fitMarks(a)
	if len(marks) == 0 {
		return "", nil
	}
	var keys []QuadrantKey
	type pt struct {
		label string
		x, y  float64
	}
	var pts []pt
	placed, ok := []chartMark(nil), false
	if len(marks) <= fitChartMax {
		placed, ok = placeMarkers(marks, box{0, 0, 1, 1}, mermaidMarkR, 0.004, 0.005)
	}
	if ok {
		for i, m := range marks {
			pts = append(pts, pt{strconv.Itoa(m.number), placed[i].cx, 1 - placed[i].cy})
			keys = append(keys, QuadrantKey{Number: m.number, Name: m.name, Score: m.score, Effort: m.effort, Label: strconv.Itoa(m.number)})
		}
	} else {
		count := map[[2]string]int{}
		for _, m := range marks {
			count[[2]string{m.category, m.effort}]++
		}
		cats := []string{assess.CategoryExcellent, assess.CategoryGood, assess.CategoryMinorWork, assess.CategoryMajorWork, assess.CategoryPoor}
		letter := 'A'
		for ri, c := range cats {
			for ci, e := range efforts {
				n := count[[2]string{c, e}]
				if n == 0 {
					continue
				}
				l := string(letter)
				letter++
				pts = append(pts, pt{l, (float64(ci) + 0.5) / 4, 1 - (float64(ri)+0.5)/float64(len(cats))})
				keys = append(keys, QuadrantKey{Name: c, Effort: e, Count: n, Label: l})
			}
		}
	}
	var b strings.Builder
	b.WriteString("quadrantChart\n")
	b.WriteString("    title Container fit against migration effort\n")
	b.WriteString("    x-axis Small effort --> Large effort\n")
	if ok {
		b.WriteString("    y-axis Poor fit --> Excellent fit\n")
	} else {
		b.WriteString("    y-axis Poor fit --> Excellent fit, one row per category\n")
	}
	for _, p := range pts {
		fmt.Fprintf(&b, "    %q: [%s, %s]\n", p.label, unit(p.x), unit(p.y))
	}
	return b.String(), keys
}

// unit formats a 0–1 chart coordinate, clamped inside the chart.
func unit(v float64) string {
	v = math.Max(0.01, math.Min(0.99, v))
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

// mermaidTrend draws readiness and the share of workloads with good fit or better over the
// runs in the history. It needs at least two points to be a trend.
func mermaidTrend(trend []assess.TrendPoint) string {
	if len(trend) < 2 {
		return ""
	}
	// Readiness is drawn only when every run assessed it: a run without answers has no
	// readiness, and a bar at zero would say it had none.
	allAssessed := true
	var labels, readiness, share []string
	for _, p := range trend {
		labels = append(labels, strconv.Quote(shortDate(p.GeneratedAt)))
		share = append(share, strconv.Itoa(trendShare(p)))
		readiness = append(readiness, strconv.Itoa(p.Readiness))
		allAssessed = allAssessed && p.Assessed
	}
	var b strings.Builder
	b.WriteString("xychart-beta\n")
	if allAssessed {
		b.WriteString("    title \"Readiness score (bars) and % of workloads with good fit or better (line)\"\n")
	} else {
		b.WriteString("    title \"% of workloads with good fit or better\"\n")
	}
	b.WriteString("    x-axis [" + strings.Join(labels, ", ") + "]\n")
	b.WriteString("    y-axis \"Percent\" 0 --> 100\n")
	if allAssessed {
		b.WriteString("    bar [" + strings.Join(readiness, ", ") + "]\n")
	}
	b.WriteString("    line [" + strings.Join(share, ", ") + "]\n")
	return b.String()
}
