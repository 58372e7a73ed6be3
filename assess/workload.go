package assess

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"whyk8s/inventory"
)

// estateIndex resolves the references of a group (target groups, load balancers, image,
// linked scripts) in one pass over the estate, so each workload costs a few map lookups.
type estateIndex struct {
	tgs     map[string]*inventory.TargetGroup
	lbs     map[string]*inventory.LoadBalancer
	classic map[string]*inventory.ClassicLoadBalancer
	images  map[string]*inventory.Image
	scripts map[string][]linkedScript
	// cited are the files linked only as evidence for a linked script's facts: listed with
	// the workload, never read for facts of their own.
	cited  map[string][]linkedScript
	stages stages
	// notRead are, by script path, the first file each script runs or pulls in that is not
	// in the folders read (a coverage gap of kind not-found).
	notRead map[string][]inventory.CoverageGap
	// byPath are the estate's scripts by path, to follow references (narrowToHosts).
	byPath map[string]*inventory.Script
}

var linkReasonOrder = []string{
	inventory.LinkUserData, inventory.LinkManifestAMI, inventory.LinkImageBuilder, inventory.LinkAMIName, inventory.LinkUserDataNames,
	inventory.LinkReference, inventory.LinkCodeDeploy, inventory.LinkSSM, inventory.LinkTag, inventory.LinkNameMatch, inventory.LinkEvidence,
}

func rankOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return len(list)
}

// strongerLink reports whether link a is better evidence than link b.
func strongerLink(a, b inventory.Link) bool {
	conf := []string{inventory.ConfidenceHigh, inventory.ConfidenceMedium, inventory.ConfidenceLow}
	if ca, cb := rankOf(conf, a.Confidence), rankOf(conf, b.Confidence); ca != cb {
		return ca < cb
	}
	if ra, rb := rankOf(linkReasonOrder, a.Reason), rankOf(linkReasonOrder, b.Reason); ra != rb {
		return ra < rb
	}
	return a.Detail < b.Detail
}

func indexEstate(e *inventory.Estate) *estateIndex {
	ix := &estateIndex{
		tgs:     make(map[string]*inventory.TargetGroup, len(e.TargetGroups)),
		lbs:     make(map[string]*inventory.LoadBalancer, len(e.LoadBalancers)),
		classic: make(map[string]*inventory.ClassicLoadBalancer, len(e.ClassicLoadBalancers)),
		images:  make(map[string]*inventory.Image, len(e.Images)),
		scripts: map[string][]linkedScript{},
		cited:   map[string][]linkedScript{},
		stages:  scriptStages(e.Scripts),
		notRead: map[string][]inventory.CoverageGap{},
		byPath:  make(map[string]*inventory.Script, len(e.Scripts)),
	}
	for i := range e.Scripts {
		ix.byPath[e.Scripts[i].Path] = &e.Scripts[i]
	}
	for _, gap := range e.Coverage {
		if gap.Kind == inventory.GapNotFound || gap.Kind == inventory.GapNotRead {
			ix.notRead[gap.Path] = append(ix.notRead[gap.Path], gap)
		}
	}
	for i := range e.TargetGroups {
		ix.tgs[e.TargetGroups[i].ARN] = &e.TargetGroups[i]
	}
	for i := range e.LoadBalancers {
		ix.lbs[e.LoadBalancers[i].ARN] = &e.LoadBalancers[i]
	}
	for i := range e.ClassicLoadBalancers {
		lb := &e.ClassicLoadBalancers[i]
		ix.classic[inventory.WorkloadID(lb.Account, lb.Region, lb.Name)] = lb
	}
	for i := range e.Images {
		im := &e.Images[i]
		ix.images[im.Account+"/"+im.Region+"/"+im.ID] = im
		if _, ok := ix.images["/"+im.Region+"/"+im.ID]; !ok {
			ix.images["/"+im.Region+"/"+im.ID] = im
		}
	}
	for i := range e.Scripts {
		sc := &e.Scripts[i]
		best := map[string]inventory.Link{}
		for _, l := range sc.Links {
			if prev, ok := best[l.Workload]; !ok || strongerLink(l, prev) {
				best[l.Workload] = l
			}
		}
		for w, l := range best {
			if l.Reason == inventory.LinkEvidence {
				ix.cited[w] = append(ix.cited[w], linkedScript{s: sc, link: l})
				continue
			}
			ix.scripts[w] = append(ix.scripts[w], linkedScript{s: sc, link: l})
		}
	}
	for _, m := range []map[string][]linkedScript{ix.scripts, ix.cited} {
		for w := range m {
			ls := m[w]
			sort.Slice(ls, func(i, j int) bool { return ls[i].s.Path < ls[j].s.Path })
		}
	}
	return ix
}

func (ix *estateIndex) subject(g *inventory.AutoScalingGroup, now time.Time) *subject {
	s := &subject{g: g, now: now, cited: ix.cited[g.ID()], stages: ix.stages, notRead: ix.notRead}
	s.scripts, s.hostsUnknown = narrowToHosts(g, ix.scripts[g.ID()], ix.byPath)
	if id := g.Launch.ImageID; id != "" {
		s.image = ix.images[g.Account+"/"+g.Region+"/"+id]
		if s.image == nil {
			s.image = ix.images["/"+g.Region+"/"+id]
		}
	}
	for _, n := range sortedUnique(g.LoadBalancerNames) {
		if lb := ix.classic[inventory.WorkloadID(g.Account, g.Region, n)]; lb != nil {
			s.classic = append(s.classic, lb)
		}
	}
	seenLB := map[string]bool{}
	for _, arn := range sortedUnique(g.TargetGroupARNs) {
		tg := ix.tgs[arn]
		if tg == nil {
			continue
		}
		s.tgs = append(s.tgs, tg)
		for _, lbARN := range tg.LoadBalancerARNs {
			if lb := ix.lbs[lbARN]; lb != nil && !seenLB[lbARN] {
				seenLB[lbARN] = true
				s.albs = append(s.albs, lb)
			}
		}
	}
	sort.Slice(s.albs, func(i, j int) bool { return s.albs[i].ARN < s.albs[j].ARN })
	return s
}

// fitRules returns the catalogue's fit rules in report order: by dimension, then id. A
// workload's signals come out in that order without sorting.
func (c *Catalogue) fitRules() []Rule {
	var out []Rule
	for _, r := range c.Rules() {
		if r.Direction != DirFinding {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return dimensionIndex(out[i].Dimension) < dimensionIndex(out[j].Dimension) })
	return out
}

// evaluate judges one workload: every fit rule, the score, blockers, recommendation, effort
// and the mapping to Kubernetes. The wave is set later, with the whole plan.
func evaluate(rules []Rule, clues []clueRule, s *subject, env string, envEv *inventory.Evidence, st settings) Workload {
	g := s.g
	w := Workload{
		ID: g.ID(), Name: g.Name, Account: g.Account, Region: g.Region, Environment: env,
		InstanceTypes: s.instanceTypes(), ImageID: g.Launch.ImageID, Platform: platformOf(s),
		LoadBalancers: loadBalancerNames(s), FromCode: s.fromCode,
	}
	if s.fromCode != nil {
		w.Name = provisionalName(s.fromCode)
	}
	if envEv != nil {
		w.EnvironmentTag = strings.TrimPrefix(strings.TrimSuffix(envEv.Field, "]"), "AutoScalingGroup.Tags[") + "=" + envEv.Value
	}
	// The role comes first: a rule may say nothing about some roles (a batch job is not
	// expected to scale on CPU), and the advice follows the role.
	w.Role = decideRole(clues, s)
	results := make([]result, len(rules))
	checks := make([]check, len(rules))
	waived := make([]*Waiver, len(rules))
	for i, r := range rules {
		results[i] = r.conclude(s)
		if s.provisional() && len(r.Facts) == 0 {
			results[i] = provisionalResult(r)
		}
		if decisiveRole(w.Role) && slices.Contains(r.NotFor, w.Role.Name) && results[i].State != notApplicable {
			results[i] = result{State: notApplicable, Detail: "does not apply to a " + w.Role.Name}
		}
		checks[i] = check{Rule: r.ID, Dimension: r.Dimension, State: results[i].State, Cap: effectiveCap(r, results[i], st.thresholds)}
		if results[i].State == fail && st.weights.Rules[r.ID] > 0 && st.weights.Dimensions[r.Dimension] > 0 {
			// A waiver in force lifts the cap; the rule's points still count.
			if waived[i] = st.waivers.forSignal(r.ID, g.ID()); waived[i] != nil && !waived[i].Expired {
				checks[i].Cap = 0
			}
		}
	}
	b := scoreBreakdown(checks, st.weights)
	w.Fit = Fit{Score: int(math.Round(b.Score)), Confidence: b.Confidence, Dimensions: b.Dimensions}
	w.Fit.Category = category(w.Fit.Score, w.Fit.Confidence, st.thresholds)
	if w.Fit.Category == CategoryInsufficient {
		w.Fit.Category = settledCategory(checks, st)
	}

	var keepWhy []string
	for i, r := range rules {
		res := results[i]
		inForce := st.weights.Rules[r.ID] > 0 && st.weights.Dimensions[r.Dimension] > 0
		if !inForce {
			continue
		}
		switch res.State {
		case unknown:
			w.Unknowns = append(w.Unknowns, Unknown{Rule: r.ID, Title: r.Title, Dimension: r.Dimension, Reason: res.Detail})
			continue
		case notApplicable:
			continue
		}
		sig := Signal{Rule: r.ID, Title: r.Title, Dimension: r.Dimension, Points: round1(b.Points[i]), Detail: res.Detail, Evidence: nonNil(res.Evidence), Waiver: waived[i]}
		if b.CappedBy == i {
			sig.Detail += fmt.Sprintf(" (caps the score at %d)", checks[i].Cap)
		}
		w.Signals = append(w.Signals, sig)
		if res.State != fail {
			continue
		}
		if wv := waived[i]; wv != nil && !wv.Expired {
			// Waived: shown with its waiver, it neither blocks nor keeps the workload back.
			if r.Blocker != "" {
				w.WaivedBlockers = append(w.WaivedBlockers, Blocker{Rule: r.ID, Title: r.Title, Remediation: r.Remediation, Effort: blockerEffort(r, res), Evidence: nonNil(res.Evidence), Waiver: wv})
			}
			continue
		}
		if r.Blocker != "" {
			w.Blockers = append(w.Blockers, Blocker{Rule: r.ID, Title: r.Title, Remediation: r.Remediation, Effort: blockerEffort(r, res), Evidence: nonNil(res.Evidence), Waiver: waived[i]})
		}
		if r.Keep {
			keepWhy = append(keepWhy, r.Title+" ("+res.Detail+")")
		}
	}
	sortBlockers(w.Blockers)
	sortBlockers(w.WaivedBlockers)
	w.Recommendation = recommend(&w, keepWhy, st.thresholds)
	if w.Recommendation.Kind != RecommendInsufficient {
		w.Effort = effortOf(w.Blockers)
	}
	adviseByRole(&w, s)
	w.Mapping = mapToKubernetes(s, w.Role, results, rules)
	w.Scripts = linkedScripts(s)
	if w.Signals == nil {
		w.Signals = []Signal{}
	}
	if w.Blockers == nil {
		w.Blockers = []Blocker{}
	}
	return w
}

// sortBlockers puts the largest effort first, then orders by rule.
func sortBlockers(bs []Blocker) {
	sort.SliceStable(bs, func(i, j int) bool {
		a, b := bs[i], bs[j]
		if ea, eb := effortRank(a.Effort), effortRank(b.Effort); ea != eb {
			return ea > eb
		}
		return a.Rule < b.Rule
	})
}

func nonNil(ev []inventory.Evidence) []inventory.Evidence {
	if ev == nil {
		return []inventory.Evidence{}
	}
	return ev
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// settledCategory is the category the missing evidence cannot change, or Insufficient
// data. The score only rises when an unknown rule passes and only falls when one fails (a
// failure may also cap it), so the score with every unknown passed and with every unknown
// failed bound every score the evidence could give. When both fall in one category — a
// Windows host capped at 34 is a poor fit whatever else is found — that category is known
// however little else is.
func settledCategory(checks []check, st settings) string {
	t := st.thresholds
	best := append([]check(nil), checks...)
	worst := append([]check(nil), checks...)
	for i := range checks {
		if checks[i].State == unknown {
			best[i].State, worst[i].State = pass, fail
		}
	}
	hi := int(math.Round(scoreBreakdown(best, st.weights).Score))
	lo := int(math.Round(scoreBreakdown(worst, st.weights).Score))
	if c := category(hi, 100, t); c == category(lo, 100, t) {
		return c
	}
	return CategoryInsufficient
}

// blockerEffort is the effort of a rule's blocker on one workload: what the finding shows,
// or the rule's own. A rule that is no blocker stays none.
func blockerEffort(r Rule, res result) string {
	if r.Blocker != "" && res.Effort != "" {
		return res.Effort
	}
	return r.Blocker
}

// effectiveCap is the rule's own cap, lowered for blockers: a workload with something to
// fix first is not an excellent fit, however well the rest scores; and one whose blocker
// takes real work (effort M or more), or whose fix changes what it becomes on Kubernetes
// (a volume, a CronJob beside the Deployment), needs that work before it moves, so it is
// not a good fit either.
func effectiveCap(r Rule, res result, t Thresholds) int {
	c := r.Cap
	effort := blockerEffort(r, res)
	if effort != "" && t.Excellent > 0 && (c == 0 || t.Excellent-1 < c) {
		c = t.Excellent - 1
	}
	if (effortRank(effort) >= effortRank(EffortM) || r.Reshapes) && t.Good > 0 && (c == 0 || t.Good-1 < c) {
		c = t.Good - 1
	}
	return c
}

// effortOf sizes the work from the blockers: the largest blocker, one size up when there
// are three or more of them (they compound), S when there is none.
func effortOf(blockers []Blocker) string {
	if len(blockers) == 0 {
		return EffortS
	}
	max := 0
	for _, b := range blockers {
		if r := effortRank(b.Effort); r > max {
			max = r
		}
	}
	if len(blockers) >= 3 && max < len(effortOrder)-1 {
		max++
	}
	return effortOrder[max]
}

func recommend(w *Workload, keepWhy []string, t Thresholds) Recommendation {
	switch {
	case w.Fit.Category == CategoryInsufficient:
		missing := map[string]bool{}
		var why []string
		for _, u := range w.Unknowns {
			if u.Reason != "" && !missing[u.Reason] {
				missing[u.Reason] = true
				why = append(why, u.Reason)
			}
		}
		sort.Strings(why)
		text := fmt.Sprintf("Insufficient data: only %d%% of the evidence needed was found (at least %d%% is required).", w.Fit.Confidence, t.MinConfidence)
		if len(why) > 0 {
			text += " Missing: " + joinMax(why, 3) + "."
		}
		return Recommendation{Kind: RecommendInsufficient, Text: text}
	case len(keepWhy) > 0:
		return Recommendation{Kind: RecommendKeep, Text: "Keep on ASG + ELB. Reason: " + strings.Join(keepWhy, "; ") + "."}
	case w.Fit.Category == CategoryPoor:
		var worst []string
		sigs := append([]Signal(nil), w.Signals...)
		sort.SliceStable(sigs, func(i, j int) bool { return sigs[i].Points < sigs[j].Points })
		for _, s := range sigs {
			if s.Points < 0 && len(worst) < 3 {
				worst = append(worst, s.Title)
			}
		}
		return Recommendation{Kind: RecommendKeep, Text: fmt.Sprintf("Keep on ASG + ELB because the fit is poor (score %d): %s. Moving it would cost more than it gains.", w.Fit.Score, strings.Join(worst, "; "))}
	case len(w.Blockers) > 0:
		var names []string
		for _, b := range w.Blockers {
			names = append(names, b.Title+" ("+b.Effort+")")
		}
		return Recommendation{Kind: RecommendAfterBlockers, Text: "Containerise on Kubernetes after fixing: " + strings.Join(names, "; ") + "."}
	}
	return Recommendation{Kind: RecommendContainerise, Text: fmt.Sprintf("Containerise on Kubernetes: %s (score %d) with no blocker.", strings.ToLower(w.Fit.Category), w.Fit.Score)}
}

func platformOf(s *subject) string {
	if s.image != nil {
		switch {
		case s.image.PlatformDetails != "":
			return s.image.PlatformDetails
		case strings.EqualFold(s.image.Platform, "windows"):
			return "Windows"
		case inventory.FromCode(s.image.ID):
			return ""
		}
		return "Linux/UNIX"
	}
	return ""
}

func loadBalancerNames(s *subject) []string {
	var out []string
	for _, lb := range s.classic {
		out = append(out, lb.Name)
	}
	for _, lb := range s.albs {
		out = append(out, lb.Name)
	}
	if len(s.albs) == 0 {
		for _, tg := range s.tgs {
			out = append(out, tg.Name)
		}
	}
	return sortedUnique(out)
}

func linkedScripts(s *subject) []LinkedScript {
	out := []LinkedScript{}
	for _, ls := range append(append([]linkedScript{}, s.scripts...), s.cited...) {
		if s.provisional() {
			l := ls.link
			out = append(out, LinkedScript{Path: ls.s.Path, Kind: ls.s.Kind, Reason: l.Reason, Detail: l.Detail, Confidence: l.Confidence})
			continue
		}
		for _, l := range ls.s.Links {
			if l.Workload == s.g.ID() {
				out = append(out, LinkedScript{Path: ls.s.Path, Kind: ls.s.Kind, Reason: l.Reason, Detail: l.Detail, Confidence: l.Confidence})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Reason+out[i].Detail < out[j].Reason+out[j].Detail
	})
	return out
}
