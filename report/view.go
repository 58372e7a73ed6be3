package report

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// This file holds presentation helpers shared by the Markdown and PDF writers: lookups,
// the condensing rule, labels. Nothing here scores; it only arranges what assess decided.

// condenseAbove is the estate size above which workloads that need no work before they
// move are summarised in one table instead of a section each. Below it every workload gets
// its own section, because a small estate reads better in full.
const condenseAbove = 50

// condensed reports whether a workload is summarised in the condensed table rather than
// given its own section.
func condensed(a *assess.Assessment, wl *assess.Workload) bool {
	if len(a.Workloads) <= condenseAbove {
		return false
	}
	switch wl.Fit.Category {
	case assess.CategoryExcellent:
		return true
	case assess.CategoryGood:
		return len(wl.Blockers) == 0
	}
	return false
}

// condenseReason says why some workloads have no section of their own.
func condenseReason(a *assess.Assessment, n int) string {
	return fmt.Sprintf("This estate has %s workloads. To keep the report readable, the %s rated %s, and those rated %s with no blockers, are summarised in one table instead of a section each: nothing has to be fixed before they move. Every signal behind their scores, with its evidence, is in assessment.json.",
		thousands(len(a.Workloads)), plural(n, "workload", "workloads"), assess.CategoryExcellent, assess.CategoryGood)
}

// waveNames maps wave numbers to names. Wave 0 (and any number not in the plan) means the
// workload is in no wave.
func waveNames(a *assess.Assessment) map[int]string {
	m := make(map[int]string, len(a.Waves))
	for _, w := range a.Waves {
		m[w.Number] = w.Name
	}
	return m
}

// workloadIndex maps workload IDs to workloads, for rendering lists of IDs by name.
func workloadIndex(a *assess.Assessment) map[string]*assess.Workload {
	m := make(map[string]*assess.Workload, len(a.Workloads))
	for i := range a.Workloads {
		m[a.Workloads[i].ID] = &a.Workloads[i]
	}
	return m
}

// workloadLabel renders a workload ID as its name with its place, falling back to the ID
// for a workload the assessment no longer holds (a removed one, in Changes).
func workloadLabel(idx map[string]*assess.Workload, id string) string {
	if wl, ok := idx[id]; ok {
		return wl.Name + " (" + wl.Account + "/" + wl.Region + ")"
	}
	return id
}

// longDate is the date as a reader writes it, in UTC so that the report does not depend
// on the machine's zone.
func longDate(t time.Time) string {
	if t.IsZero() {
		return "unknown date"
	}
	return t.UTC().Format("2 January 2006")
}

func shortDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02")
}

// answerText renders a questionnaire answer; nil is unknown, never zero.
func answerText(p *int) string {
	if p == nil {
		return "not answered"
	}
	return strconv.Itoa(*p) + "/4"
}

func levelText(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p) + "/4"
}

// pointsText renders a signal's points with their sign; a signal that moved nothing shows
// 0 rather than +0.
func pointsText(p float64) string {
	s := strconv.FormatFloat(p, 'f', -1, 64)
	if p > 0 {
		return "+" + s
	}
	return s
}

func weightText(w float64) string { return strconv.FormatFloat(w, 'f', -1, 64) }

// weightInForce shows a weight and, when it was changed, its default.
func weightInForce(w, def float64) string {
	if w == def {
		return weightText(w)
	}
	return weightText(w) + " (default " + weightText(def) + ")"
}

func effortText(e string) string {
	if e == "" {
		return "unknown"
	}
	return e
}

func waveText(names map[int]string, n int) string {
	if n <= 0 {
		return "none"
	}
	if name := names[n]; name != "" {
		return strconv.Itoa(n) + " · " + name
	}
	return strconv.Itoa(n)
}

func readinessText(r assess.Readiness) string {
	if !r.Assessed {
		return "Not assessed"
	}
	return fmt.Sprintf("%s (%d/100, confidence %d%%)", r.Level, r.Score, r.Confidence)
}

func evidenceText(ev []inventory.Evidence) []string {
	out := make([]string, 0, len(ev))
	for _, e := range ev {
		if s := e.String(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands groups digits the way the report's English reads: 2,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// scopeText describes what the assessment covered in one line.
func scopeText(s assess.Scope) string {
	var parts []string
	if s.Source != "" {
		parts = append(parts, "source: "+s.Source)
	}
	parts = append(parts, "accounts: "+listOrNone(s.Accounts))
	parts = append(parts, "regions: "+listOrNone(s.Regions))
	folders := "script folders: " + listOrNone(s.ScriptRoots)
	if s.Scripts > 0 || len(s.ScriptRoots) > 0 {
		folders += " (" + plural(s.Scripts, "script", "scripts") + ")"
	}
	parts = append(parts, folders)
	return strings.Join(parts, " · ")
}

// GapMatrix is the account × region view of AWS coverage gaps: which places could not be
// read, and how. Gaps that name no region (an account whose role could not be assumed)
// land in a column of their own.
type GapMatrix struct {
	Accounts []string
	Regions  []string
	// Cells[i][j] lists the gap kinds for Accounts[i] × Regions[j], "" when none.
	Cells [][]string
}

// accountWide is the column for gaps that concern a whole account.
const accountWide = "all regions"

func newGapMatrix(a *assess.Assessment) *GapMatrix {
	type key struct{ account, region string }
	kinds := map[key][]string{}
	accounts := map[string]bool{}
	regions := map[string]bool{}
	for _, g := range a.Coverage {
		if g.Account == "" && g.Region == "" {
			continue // a script gap
		}
		acc, reg := g.Account, g.Region
		if acc == "" {
			acc = "unknown account"
		}
		if reg == "" {
			reg = accountWide
		}
		k := key{acc, reg}
		if !slices.Contains(kinds[k], g.Kind) {
			kinds[k] = append(kinds[k], g.Kind)
		}
		accounts[acc], regions[reg] = true, true
	}
	if len(kinds) == 0 {
		return nil
	}
	for _, acc := range a.Scope.Accounts {
		accounts[acc] = true
	}
	for _, reg := range a.Scope.Regions {
		regions[reg] = true
	}
	m := &GapMatrix{Accounts: sortedKeys(accounts), Regions: sortedKeys(regions)}
	// The account-wide column reads best last.
	if i := indexOf(m.Regions, accountWide); i >= 0 {
		m.Regions = append(append(m.Regions[:i:i], m.Regions[i+1:]...), accountWide)
	}
	for _, acc := range m.Accounts {
		row := make([]string, len(m.Regions))
		for j, reg := range m.Regions {
			ks := kinds[key{acc, reg}]
			sort.Strings(ks)
			row[j] = strings.Join(ks, ", ")
		}
		m.Cells = append(m.Cells, row)
	}
	return m
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// gapPlace names where a coverage gap is: account/region service operation, or path:line.
func gapPlace(g inventory.CoverageGap) string {
	if g.Path != "" {
		if g.Line > 0 {
			return g.Path + ":" + strconv.Itoa(g.Line)
		}
		return g.Path
	}
	var parts []string
	place := g.Account
	if g.Region != "" {
		if place != "" {
			place += "/"
		}
		place += g.Region
	}
	if place != "" {
		parts = append(parts, place)
	}
	op := g.Service
	if g.Operation != "" {
		if op != "" {
			op += ":"
		}
		op += g.Operation
	}
	if op != "" {
		parts = append(parts, op)
	}
	return strings.Join(parts, " ")
}

// trendShare is the share of workloads in the two best categories at one point of the
// trend, as a whole percentage. It is arithmetic on the counts assess recorded, shown so
// the trend reads as "how much of the estate is ready to move".
func trendShare(p assess.TrendPoint) int {
	total, good := 0, 0
	for _, c := range p.ByCategory {
		total += c.Count
		if c.Category == assess.CategoryExcellent || c.Category == assess.CategoryGood {
			good += c.Count
		}
	}
	if total == 0 {
		return 0
	}
	return (good*100 + total/2) / total
}

// decisionText names a decision constant in words, for "verdict moved from … to …".
func decisionText(d string) string {
	switch d {
	case assess.DecisionAdoptNow:
		return "Adopt now"
	case assess.DecisionStartNonProd:
		return "Start with non-production"
	case assess.DecisionPilotBatchML:
		return "Pilot with batch and ML workloads"
	case assess.DecisionNotYet:
		return "Not yet"
	case assess.DecisionStay:
		return "Stay on ASG + ELB"
	}
	return d
}

// linkReasonText says in words why a script is linked to a workload.
func linkReasonText(reason string) string {
	switch reason {
	case inventory.LinkUserData:
		return "its own user data"
	case inventory.LinkSameText:
		return "holds exactly its user data"
	case inventory.LinkImageBuilder:
		return "configures the instance its image is made from"
	case inventory.LinkManifestAMI:
		return "a Packer manifest built its AMI"
	case inventory.LinkAMIName:
		return "its AMI name matches the template"
	case inventory.LinkUserDataNames:
		return "named in its user data"
	case inventory.LinkReference:
		return "pulled in by a linked script"
	case inventory.LinkCodeDeploy:
		return "the revision of the application its CodeDeploy deployment group deploys"
	case inventory.LinkSSM:
		return "run on its instances by a Systems Manager association"
	case inventory.LinkTag:
		return "named by a tag"
	case inventory.LinkNameMatch:
		return "names match"
	case inventory.LinkEvidence:
		return "cited for a linked script's facts"
	}
	return reason
}

// judged counts the workloads with a category other than Insufficient data. When none was
// judged, the summary's average score averages nothing and is not shown as a score.
func judged(a *assess.Assessment) int {
	n := 0
	for _, c := range a.Summary.ByCategory {
		if c.Category != assess.CategoryInsufficient {
			n += c.Count
		}
	}
	return n
}

// effortX places an effort size on a fit-against-effort chart's x axis (0–1), in the
// middle of its quarter.
var effortX = map[string]float64{"S": 0.125, "M": 0.375, "L": 0.625, "XL": 0.875}

// findingPlace names where a finding was seen without what was there: file and line, or
// resource and API field. Evidence.String would add the field's value, and the value of a
// field that holds a secret is the secret.
func findingPlace(e inventory.Evidence) string {
	e.Value, e.Excerpt = "", ""
	return e.String()
}

// scriptLinkRow is one linked script as the reports list it: once, however many reasons
// link it, with the strongest reason first.
type scriptLinkRow struct {
	Path, Kind, Why, Confidence string
}

// scriptLinkRows folds a workload's links into one row per script. A script is often
// linked twice — named in the user data and matched by name — and two rows for one file
// read as two files. assessment.json keeps every link.
func scriptLinkRows(links []assess.LinkedScript) []scriptLinkRow {
	rank := map[string]int{"high": 3, "medium": 2, "low": 1}
	byPath := map[string][]assess.LinkedScript{}
	var order []string
	for _, l := range links {
		if _, ok := byPath[l.Path]; !ok {
			order = append(order, l.Path)
		}
		byPath[l.Path] = append(byPath[l.Path], l)
	}
	rows := make([]scriptLinkRow, 0, len(order))
	for _, p := range order {
		ls := byPath[p]
		sort.SliceStable(ls, func(i, j int) bool { return rank[ls[i].Confidence] > rank[ls[j].Confidence] })
		var why []string
		for _, l := range ls {
			w := linkReasonText(l.Reason)
			if l.Detail != "" {
				w += ": " + l.Detail
			}
			if len(why) > 0 {
				w += " (" + l.Confidence + ")"
			}
			why = append(why, w)
		}
		text := why[0]
		if len(why) > 1 {
			text += "; also " + strings.Join(why[1:], "; ")
		}
		rows = append(rows, scriptLinkRow{Path: p, Kind: ls[0].Kind, Why: text, Confidence: ls[0].Confidence})
	}
	return rows
}

// roleNotAssessed is what every output shows for a workload the assessment gives no role.
const roleNotAssessed = "role not assessed"

// roleOf is the workload's assessed role and how sure the assessment is of it (high,
// medium or low; empty for an unknown role). A workload the assessment gave no role (one
// written before roles were assessed) has none: every output then says "role not
// assessed" rather than leave the column out.
func roleOf(wl *assess.Workload) (name string, confidence string, ok bool) {
	if wl.Role.Name == "" {
		return "", "", false
	}
	return wl.Role.Name, wl.Role.Confidence, true
}

// roleWhy is the strongest clues for the workload's role, in words with where each was
// seen, for the sentence beside the role; empty when there are none.
func roleWhy(wl *assess.Workload) string {
	var parts []string
	for i, c := range wl.Role.Evidence {
		if i == 3 {
			break
		}
		p := c.Detail
		if len(c.Evidence) > 0 {
			p += " (" + c.Evidence[0].String() + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// roleText is the role as the reports print it.
func roleText(wl *assess.Workload) string {
	if name, conf, ok := roleOf(wl); ok {
		if conf != "" {
			return name + " (" + conf + " confidence)"
		}
		return name
	}
	return roleNotAssessed
}

// CrosswalkLine is one row of the crosswalk table as the methodology prints it.
type CrosswalkLine struct {
	When, MigrationCenter, AzureAKS, Konveyor, Strategy, Why string
}

// crosswalkLines flattens the crosswalk table into rows a reader can check a workload
// against: the fit levels, the rows by category and recommendation, the roles, and the
// strategies never given.
func crosswalkLines(t assess.CrosswalkTable) []CrosswalkLine {
	var out []CrosswalkLine
	for _, l := range t.FitLevels {
		out = append(out, CrosswalkLine{When: "Category " + l.Category, MigrationCenter: l.MigrationCenter, AzureAKS: "see below", Konveyor: "see below", Strategy: "see below", Why: "Migration Center's fit level is the category; its lowest level is called No fit."})
	}
	kinds := map[string]string{
		assess.RecommendContainerise:  "containerise, no blocker",
		assess.RecommendAfterBlockers: "containerise after blockers",
		assess.RecommendKeep:          "keep on ASG + ELB",
		assess.RecommendInsufficient:  "insufficient data",
	}
	for _, r := range t.Rows {
		var when []string
		if r.Category != "" {
			when = append(when, r.Category)
		}
		if r.Kind != "" {
			k := kinds[r.Kind]
			if k == "" {
				k = r.Kind
			}
			when = append(when, "recommendation: "+k)
		}
		w := strings.Join(when, ", ")
		if w == "" {
			w = "anything else"
		}
		out = append(out, CrosswalkLine{When: w, MigrationCenter: "by category", AzureAKS: r.AzureAKS, Konveyor: r.Konveyor, Strategy: r.Strategy, Why: r.Why})
	}
	for _, r := range t.Roles {
		out = append(out, CrosswalkLine{When: "Role: " + strings.Join(r.Roles, ", "), MigrationCenter: "as its fit", AzureAKS: "as its fit", Konveyor: "as its fit", Strategy: r.Strategy, Why: r.Why})
	}
	for _, n := range t.Never {
		name, why, _ := strings.Cut(n, ": ")
		out = append(out, CrosswalkLine{When: "never derived", MigrationCenter: "—", AzureAKS: "—", Konveyor: "—", Strategy: name, Why: why})
	}
	return out
}

// waiverNote says what a waiver does to the signal, blocker or finding it is attached to:
// in force, who accepted it until when and why; expired, that the signal counts again.
func waiverNote(w *assess.Waiver) string {
	if w == nil {
		return ""
	}
	if w.Expired {
		return fmt.Sprintf("waiver expired on %s (%s, %s): counts again", w.Expires, w.Owner, w.Place())
	}
	return fmt.Sprintf("waived until %s by %s (%s): %s", w.Expires, w.Owner, w.Place(), w.Reason)
}

// waiverStatusText is a waiver's state in the waivers table.
func waiverStatusText(w assess.WaiverStatus) string {
	switch {
	case w.Expired:
		return "expired: counts again"
	case len(w.Workloads) == 0:
		return "in force, waives nothing now: can be removed"
	}
	return "in force"
}

// waiversSummary is the executive summary's line on waivers: how many are in force and
// what they waive, and how many expired. Empty when no waiver was given.
func waiversSummary(a *assess.Assessment) string {
	if len(a.Waivers) == 0 {
		return ""
	}
	inForce, expired := 0, 0
	for _, w := range a.Waivers {
		if w.Expired {
			expired++
		} else {
			inForce++
		}
	}
	blockers, workloads := 0, 0
	for _, wl := range a.Workloads {
		blockers += len(wl.WaivedBlockers)
		if len(wl.WaivedBlockers) > 0 {
			workloads++
		}
	}
	s := fmt.Sprintf("%s in force: %s waived on %s, %s waived", plural(inForce, "waiver", "waivers"),
		plural(blockers, "blocker", "blockers"), plural(workloads, "workload", "workloads"), plural(len(a.WaivedFindings), "finding", "findings"))
	if expired > 0 {
		s += fmt.Sprintf(" · %s expired: what %s waived counts again", plural(expired, "waiver", "waivers"), map[bool]string{true: "it", false: "they"}[expired == 1])
	}
	return s
}

// expiredWaivers counts the waivers past their date.
func expiredWaivers(a *assess.Assessment) int {
	n := 0
	for _, w := range a.Waivers {
		if w.Expired {
			n++
		}
	}
	return n
}

// movedByWaiver names the rules among a score change's moves that moved because a waiver
// began or ended, as " (FIT-X waived; FIT-Y counts again)"; empty when none did.
func movedByWaiver(moves []assess.RuleMove, code func(string) string) string {
	var parts []string
	for _, m := range moves {
		if m.Waiver != "" {
			parts = append(parts, code(m.Rule)+" "+m.Waiver)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
