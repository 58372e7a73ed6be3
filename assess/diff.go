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
}

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
		fixed, added := blockerChanges(o, n)
		c.BlockersFixed = append(c.BlockersFixed, fixed...)
		c.BlockersNew = append(c.BlockersNew, added...)
	}

	inBoth := func(id string) bool {
		_, o := oldW[id]
		_, n := newW[id]
		return o && n
	}
	c.FindingsResolved, c.FindingsNew = findingChanges(old.Findings, new.Findings, inBoth)
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
	return len(reasons) > 0, reasons
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
		sc.Rules = append(sc.Rules, r)
		sc.Moves = append(sc.Moves, RuleMove{Rule: r, Title: title, From: f.points, To: t.points})
	}
	return sc, true
}

type rulePoints struct {
	points float64
	title  string
	fired  bool
}

// pointsByRule sums the points of each rule; a rule may fire several times on one workload
// (one sticky target group each), and it is the total that moved the score.
func pointsByRule(signals []Signal) map[string]rulePoints {
	m := map[string]rulePoints{}
	for _, s := range signals {
		p := m[s.Rule]
		p.points += s.Points
		p.fired = true
		if p.title == "" {
			p.title = s.Title
		}
		m[s.Rule] = p
	}
	return m
}

// samePoints compares sums of weights, which are floats: 0.1+0.2 must equal 0.3.
func samePoints(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func blockerChanges(o, n *Workload) (fixed, added []WorkloadRule) {
	before, after := blockersByRule(o.Blockers), blockersByRule(n.Blockers)
	for _, r := range sortedKeys(before) {
		if _, ok := after[r]; !ok {
			fixed = append(fixed, WorkloadRule{Workload: n.ID, Rule: r, Title: before[r]})
		}
	}
	for _, r := range sortedKeys(after) {
		if _, ok := before[r]; !ok {
			added = append(added, WorkloadRule{Workload: n.ID, Rule: r, Title: after[r]})
		}
	}
	return fixed, added
}

// blockersByRule keys a workload's blockers by rule: the same blocker seen at a different
// line is the same blocker, still there.
func blockersByRule(bs []Blocker) map[string]string {
	m := make(map[string]string, len(bs))
	for _, b := range bs {
		if _, ok := m[b.Rule]; !ok {
			m[b.Rule] = b.Title
		}
	}
	return m
}

// findingKey identifies a finding across runs: its rule, where it was seen and what it is.
// Severity, title and the workloads it touches may change without making it a new finding.
func findingKey(f Finding) string {
	e := f.Evidence
	return strings.Join([]string{f.Rule, e.File, fmt.Sprint(e.Line), e.ARN, e.Field, f.Detail}, "\x00")
}

func findingChanges(old, new []Finding, inBoth func(string) bool) (resolved, added []Finding) {
	before, after := findingsByKey(old), findingsByKey(new)
	resolved, added = []Finding{}, []Finding{}
	for k, f := range before {
		if _, ok := after[k]; !ok && tracked(f, inBoth) {
			resolved = append(resolved, copyFinding(f))
		}
	}
	for k, f := range after {
		if _, ok := before[k]; !ok && tracked(f, inBoth) {
			added = append(added, copyFinding(f))
		}
	}
	slices.SortFunc(resolved, compareFindings)
	slices.SortFunc(added, compareFindings)
	return resolved, added
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
