package assess

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// RuleMove is the points one rule gave a workload before and after. A rule that did not
// fire on one side gives 0 there.
type RuleMove struct {
	Rule  string  `json:"rule"`
	Title string  `json:"title"`
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	// Waiver says why a rule's cap came or went without the estate changing: "waived" when a
	// waiver in force now covers the rule and did not before, "counts again" for the reverse.
	Waiver string `json:"waiver,omitempty"`
}

// RuleMove.Waiver values.
const (
	MoveWaived      = "waived"
	MoveCountsAgain = "counts again"
)

// Diff compares two assessments of the same client and returns what moved from old to new.
//
// Workloads are matched by Workload.ID (account/region/group name): a renamed group is one
// workload removed and another added, never the same workload changed, because nothing in
// the inventory proves the two are the same service. Blockers are compared only on
// workloads present in both runs — an added workload's blockers belong to the workload,
// not to the estate's progress, and a scope that grew must not read as a regression.
// Findings are matched by rule, place and detail; by the same reasoning, a finding that
// touches only added (or only removed) workloads travels with them and is not listed as
// new (or resolved). A finding that names no workload, or any workload present in both
// runs, is always compared.
//
// Waivers are told apart from fixes: a blocker or finding that left the lists because a
// waiver now covers it is waived, not fixed or resolved, and one whose waiver expired or was
// removed counts again, which is a regression. One that is gone from the evidence is fixed
// or resolved, waived before or not.
//
// Diff is pure: it reads both assessments, changes neither and keeps nothing from them
// but copies. A nil assessment is treated as an empty one. Every list in the result is
// sorted and non-nil, so the JSON form has [] rather than null.
func Diff(old, new *Assessment) *Changes {
	if old == nil {
		old = &Assessment{}
	}
	if new == nil {
		new = &Assessment{}
	}
	c := &Changes{
		Since:                 old.GeneratedAt,
		Until:                 new.GeneratedAt,
		WorkloadsAdded:        []string{},
		WorkloadsRemoved:      []string{},
		Scores:                []ScoreChange{},
		BlockersFixed:         []WorkloadRule{},
		BlockersNew:           []WorkloadRule{},
		FindingsResolved:      []Finding{},
		FindingsNew:           []Finding{},
		Factors:               []FactorChange{},
		ReadinessFrom:         old.Readiness.Score,
		ReadinessTo:           new.Readiness.Score,
		ReadinessAssessedFrom: old.Readiness.Assessed,
		ReadinessAssessedTo:   new.Readiness.Assessed,
	}
	if old.Verdict.Decision != new.Verdict.Decision {
		c.VerdictFrom, c.VerdictTo = old.Verdict.Decision, new.Verdict.Decision
		c.VerdictTitleFrom, c.VerdictTitleTo = old.Verdict.Title, new.Verdict.Title
	}

	oldW, newW := workloadsByID(old.Workloads), workloadsByID(new.Workloads)
	for _, id := range sortedKeys(oldW) {
		if _, ok := newW[id]; !ok {
			c.WorkloadsRemoved = append(c.WorkloadsRemoved, id)
		}
	}
	for _, id := range sortedKeys(newW) {
		n := newW[id]
		o, ok := oldW[id]
		if !ok {
			c.WorkloadsAdded = append(c.WorkloadsAdded, id)
			continue
		}
		if sc, moved := scoreChange(o, n); moved {
			c.Scores = append(c.Scores, sc)
		}
		bc := blockerChanges(o, n)
		c.BlockersFixed = append(c.BlockersFixed, bc.fixed...)
		c.BlockersNew = append(c.BlockersNew, bc.added...)
		c.BlockersWaived = append(c.BlockersWaived, bc.waived...)
		c.BlockersUnwaived = append(c.BlockersUnwaived, bc.unwaived...)
	}

	inBoth := func(id string) bool {
		_, o := oldW[id]
		_, n := newW[id]
		return o && n
	}
	fc := findingChanges(old, new, inBoth)
	c.FindingsResolved, c.FindingsNew, c.FindingsWaived, c.FindingsUnwaived = fc.resolved, fc.added, fc.waived, fc.unwaived
	c.Factors = factorChanges(old.Readiness.Factors, new.Readiness.Factors)
	return c
}

// Regressed reports whether anything got worse, with one reason per regression in a stable
// order: readiness first, then categories, blockers and findings. Readiness counts only when
// both runs were assessed, and a move to or from Insufficient data is not a fall — unknown
// is not worse, it is unknown (the change is still listed in Scores).
func (c *Changes) Regressed() (bool, []string) {
	if c == nil {
		return false, nil
	}
	var reasons []string
	if c.ReadinessAssessedFrom && c.ReadinessAssessedTo && c.ReadinessTo < c.ReadinessFrom {
		reasons = append(reasons, fmt.Sprintf("readiness fell from %d to %d", c.ReadinessFrom, c.ReadinessTo))
	}
	for _, s := range c.Scores {
		from, okFrom := categoryRank[s.CategoryFrom]
		to, okTo := categoryRank[s.CategoryTo]
		if okFrom && okTo && to < from {
			reasons = append(reasons, fmt.Sprintf("%s: category fell from %s to %s (score %d to %d)", s.Workload, s.CategoryFrom, s.CategoryTo, s.ScoreFrom, s.ScoreTo))
		}
	}
	for _, b := range c.BlockersNew {
		reasons = append(reasons, fmt.Sprintf("%s: new blocker %s (%s)", b.Workload, b.Rule, b.Title))
	}
	for _, b := range c.BlockersUnwaived {
		reasons = append(reasons, fmt.Sprintf("%s: blocker %s (%s) counts again: %s", b.Workload, b.Rule, b.Title, waiverEnded(b.Waiver)))
	}
	for _, f := range c.FindingsNew {
		reason := fmt.Sprintf("new finding %s", f.Rule)
		if f.Severity != "" {
			reason += " [" + f.Severity + "]"
		}
		if place := f.Evidence.String(); place != "" {
			reason += " at " + place
		}
		if f.Detail != "" {
			reason += ": " + f.Detail
		}
		reasons = append(reasons, reason)
	}
	for _, f := range c.FindingsUnwaived {
		reason := fmt.Sprintf("finding %s", f.Rule)
		if place := f.Evidence.String(); place != "" {
			reason += " at " + place
		}
		reasons = append(reasons, reason+" counts again: "+waiverEnded(f.Waiver))
	}
	return len(reasons) > 0, reasons
}

// waiverEnded says why a waived signal counts again: its waiver expired (w is the expired
// waiver) or is no longer in the file (w is nil).
func waiverEnded(w *Waiver) string {
	if w != nil && w.Expired {
		return "its waiver (" + w.Place() + ", owner " + w.Owner + ") expired on " + w.Expires
	}
	return "its waiver was removed"
}

// categoryRank orders the graded categories, best highest. Insufficient data has no rank:
// it is not on the same scale.
var categoryRank = map[string]int{
	CategoryExcellent: 5,
	CategoryGood:      4,
	CategoryMinorWork: 3,
	CategoryMajorWork: 2,
	CategoryPoor:      1,
}

func workloadsByID(ws []Workload) map[string]*Workload {
	m := make(map[string]*Workload, len(ws))
	for i := range ws {
		// The first wins if an assessment ever repeats an ID (inventory validation refuses
		// duplicate groups, so this is belt and braces, but it keeps the result stable).
		if _, dup := m[ws[i].ID]; !dup {
			m[ws[i].ID] = &ws[i]
		}
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// scoreChange compares one workload's fit. It reports a change only when the score or the
// category moved; rules whose points moved without moving either are not news.
func scoreChange(o, n *Workload) (ScoreChange, bool) {
	if o.Fit.Score == n.Fit.Score && o.Fit.Category == n.Fit.Category {
		return ScoreChange{}, false
	}
	sc := ScoreChange{
		Workload:       n.ID,
		Name:           n.Name,
		ScoreFrom:      o.Fit.Score,
		ScoreTo:        n.Fit.Score,
		CategoryFrom:   o.Fit.Category,
		CategoryTo:     n.Fit.Category,
		ConfidenceFrom: o.Fit.Confidence,
		ConfidenceTo:   n.Fit.Confidence,
		Rules:          []string{},
		Moves:          []RuleMove{},
	}
	from, to := pointsByRule(o.Signals), pointsByRule(n.Signals)

	rules := map[string]bool{}
	for r := range from {
		rules[r] = true
	}
	for r := range to {
		rules[r] = true
	}
	for _, r := range sortedKeys(rules) {
		f, t := from[r], to[r]
		if samePoints(f.points, t.points) && f.fired == t.fired {
			continue
		}
		title := t.title
		if title == "" {
			title = f.title
		}
		move := RuleMove{Rule: r, Title: title, From: f.points, To: t.points}
		switch {
		case t.waived && !f.waived:
			move.Waiver = MoveWaived
		case f.waived && !t.waived && t.fired:
			move.Waiver = MoveCountsAgain
		}
		sc.Rules = append(sc.Rules, r)
		sc.Moves = append(sc.Moves, move)
	}
	return sc, true
}

type rulePoints struct {
	points float64
	title  string
	fired  bool
	waived bool // a waiver in force covers the rule
}

// pointsByRule sums the points of each rule; a rule may fire several times on one workload
// (one sticky target group each), and it is the total that moved the score.
func pointsByRule(signals []Signal) map[string]rulePoints {
	m := map[string]rulePoints{}
	for _, s := range signals {
		p := m[s.Rule]
		p.points += s.Points
		p.fired = true
		p.waived = p.waived || (s.Waiver != nil && !s.Waiver.Expired)
		if p.title == "" {
			p.title = s.Title
		}
		m[s.Rule] = p
	}
	return m
}

// samePoints compares sums of weights, which are floats: 0.1+0.2 must equal 0.3.
func samePoints(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

type blockerDiff struct{ fixed, added, waived, unwaived []WorkloadRule }

func blockerChanges(o, n *Workload) blockerDiff {
	var d blockerDiff
	before, after := blockersByRule(o.Blockers), blockersByRule(n.Blockers)
	waivedBefore, waivedAfter := blockersByRule(o.WaivedBlockers), blockersByRule(n.WaivedBlockers)
	wr := func(b *Blocker, waiver *Waiver) WorkloadRule {
		return WorkloadRule{Workload: n.ID, Rule: b.Rule, Title: b.Title, Waiver: copyWaiver(waiver)}
	}
	for _, r := range sortedKeys(before) {
		if after[r] == nil && waivedAfter[r] == nil {
			d.fixed = append(d.fixed, wr(before[r], nil))
		}
	}
	// A blocker waived before and gone now is fixed too: the evidence no longer shows it.
	for _, r := range sortedKeys(waivedBefore) {
		if after[r] == nil && waivedAfter[r] == nil && before[r] == nil {
			d.fixed = append(d.fixed, wr(waivedBefore[r], nil))
		}
	}
	slices.SortFunc(d.fixed, func(a, b WorkloadRule) int { return cmp.Compare(a.Rule, b.Rule) })
	for _, r := range sortedKeys(after) {
		switch {
		case waivedBefore[r] != nil && before[r] == nil:
			d.unwaived = append(d.unwaived, wr(after[r], after[r].Waiver))
		case before[r] == nil:
			d.added = append(d.added, wr(after[r], nil))
		}
	}
	for _, r := range sortedKeys(waivedAfter) {
		if waivedBefore[r] == nil {
			d.waived = append(d.waived, wr(waivedAfter[r], waivedAfter[r].Waiver))
		}
	}
	return d
}

// blockersByRule keys a workload's blockers by rule: the same blocker seen at a different
// line is the same blocker, still there.
func blockersByRule(bs []Blocker) map[string]*Blocker {
	m := make(map[string]*Blocker, len(bs))
	for i := range bs {
		if _, ok := m[bs[i].Rule]; !ok {
			m[bs[i].Rule] = &bs[i]
		}
	}
	return m
}

// copyWaiver keeps the result from sharing a waiver with either assessment.
func copyWaiver(w *Waiver) *Waiver {
	if w == nil {
		return nil
	}
	c := *w
	return &c
}

// findingKey identifies a finding across runs: its rule, where it was seen and what it is.
// Severity, title and the workloads it touches may change without making it a new finding.
func findingKey(f Finding) string {
	e := f.Evidence
	return strings.Join([]string{f.Rule, e.File, fmt.Sprint(e.Line), e.ARN, e.Field, f.Detail}, "\x00")
}

type findingDiff struct{ resolved, added, waived, unwaived []Finding }

func findingChanges(old, new *Assessment, inBoth func(string) bool) findingDiff {
	before, after := findingsByKey(old.Findings), findingsByKey(new.Findings)
	waivedBefore, waivedAfter := findingsByKey(old.WaivedFindings), findingsByKey(new.WaivedFindings)
	d := findingDiff{resolved: []Finding{}, added: []Finding{}}
	for _, side := range []map[string]Finding{before, waivedBefore} {
		for k, f := range side {
			_, still := after[k]
			_, stillWaived := waivedAfter[k]
			if !still && !stillWaived && tracked(f, inBoth) {
				d.resolved = append(d.resolved, copyFinding(f))
			}
		}
	}
	for k, f := range after {
		if !tracked(f, inBoth) {
			continue
		}
		_, was := before[k]
		_, wasWaived := waivedBefore[k]
		switch {
		case wasWaived && !was:
			d.unwaived = append(d.unwaived, copyFinding(f))
		case !was && !wasWaived:
			d.added = append(d.added, copyFinding(f))
		}
	}
	for k, f := range waivedAfter {
		if _, wasWaived := waivedBefore[k]; !wasWaived && tracked(f, inBoth) {
			d.waived = append(d.waived, copyFinding(f))
		}
	}
	for _, l := range [][]Finding{d.resolved, d.added, d.waived, d.unwaived} {
		slices.SortFunc(l, compareFindings)
	}
	return d
}

// tracked reports whether a finding is about the part of the estate both runs saw: it names
// no workload (an unlinked script, the estate as a whole) or names one present in both.
func tracked(f Finding, inBoth func(string) bool) bool {
	return len(f.Workloads) == 0 || slices.ContainsFunc(f.Workloads, inBoth)
}

// compareFindings orders findings by rule, then place (line as a number), then detail —
// the fields of findingKey, so no two distinct findings compare equal.
func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Evidence.File, b.Evidence.File),
		cmp.Compare(a.Evidence.Line, b.Evidence.Line),
		cmp.Compare(a.Evidence.ARN, b.Evidence.ARN),
		cmp.Compare(a.Evidence.Field, b.Evidence.Field),
		cmp.Compare(a.Detail, b.Detail),
	)
}

func findingsByKey(fs []Finding) map[string]Finding {
	m := make(map[string]Finding, len(fs))
	for _, f := range fs {
		if _, ok := m[findingKey(f)]; !ok {
			m[findingKey(f)] = f
		}
	}
	return m
}

// copyFinding keeps the result from sharing a Workloads slice with either assessment.
func copyFinding(f Finding) Finding {
	f.Workloads = slices.Clone(f.Workloads)
	f.Waiver = copyWaiver(f.Waiver)
	return f
}

func factorChanges(old, new []Factor) []FactorChange {
	before, after := factorsByID(old), factorsByID(new)
	ids := map[string]bool{}
	for id := range before {
		ids[id] = true
	}
	for id := range after {
		ids[id] = true
	}
	changes := []FactorChange{}
	for _, id := range sortedKeys(ids) {
		o, n := before[id], after[id]
		from, to := answer(o), answer(n)
		if equalAnswer(from, to) {
			continue
		}
		fc := FactorChange{ID: id, From: from, To: to}
		if n != nil {
			fc.Title = n.Title
		} else {
			fc.Title = o.Title
		}
		changes = append(changes, fc)
	}
	return changes
}

func factorsByID(fs []Factor) map[string]*Factor {
	m := make(map[string]*Factor, len(fs))
	for i := range fs {
		if _, ok := m[fs[i].ID]; !ok {
			m[fs[i].ID] = &fs[i]
		}
	}
	return m
}

// answer copies a factor's answer so the change does not alias either assessment; a factor
// missing from a run is unanswered there.
func answer(f *Factor) *int {
	if f == nil || f.Answer == nil {
		return nil
	}
	v := *f.Answer
	return &v
}

func equalAnswer(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
