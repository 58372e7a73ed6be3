package assess

import (
	"fmt"
	"math"
	"strings"

	"whyk8s/inventory"
)

// Readiness levels.
const (
	ReadinessReady        = "Ready"
	ReadinessPartly       = "Partly ready"
	ReadinessNotReady     = "Not ready"
	ReadinessInsufficient = "Insufficient answers"
)

// Readiness score boundaries.
const (
	readyAt  = 70
	partlyAt = 45
)

// hint is what the estate suggests a factor's answer is, and why.
type hint struct {
	level int
	text  string
	// floor marks a hint that shows a minimum only (the estate's size says nothing about
	// teams beyond it): only an answer below it is a contradiction.
	floor bool
}

// contradictionGap is how far apart answer and evidence must be to be called a contradiction.
const contradictionGap = 2

// readinessHints reads what the estate says about some factors. A factor gets a hint only
// when there is evidence to read; otherwise it has none rather than a guessed one.
//
// accounts are the estate's account ids, inventory.UnknownScope among them for resources
// whose code does not say where they deploy.
func readinessHints(subjects []*subject, ws []Workload, accounts []string) map[string]hint {
	h := map[string]hint{}
	total := len(ws)
	// The hints read the migration candidates: how a bastion or a database moving to a
	// managed service is run says nothing about how the estate would run on a cluster.
	var cs []*subject
	var cw []Workload
	for i := range ws {
		if migrationCandidate(ws[i].Recommendation.Kind) {
			cs, cw = append(cs, subjects[i]), append(cw, ws[i])
		}
	}
	subjects, ws = cs, cw
	n := len(ws)
	if n == 0 {
		return h
	}

	withScripts, modern, cloudwatch := 0, 0, 0
	for _, s := range subjects {
		if !s.provisioned() {
			continue
		}
		withScripts++
		fs := s.facts(inventory.FactObservability)
		isModern := false
		for _, f := range fs {
			// An agent that exports metrics or traces beyond CloudWatch.
			if f.Class == inventory.ClassMetrics {
				isModern = true
			}
		}
		switch {
		case isModern:
			modern++
		case len(fs) > 0:
			cloudwatch++
		}
	}
	if withScripts > 0 {
		share := float64(modern) / float64(withScripts)
		lvl := 1
		switch {
		case share >= 0.5:
			lvl = 3
		case modern > 0:
			lvl = 2
		}
		h[FactorObservability] = hint{level: lvl, text: fmt.Sprintf("%d of %d workloads with linked scripts run a Prometheus, OpenTelemetry or similar agent; %d only the CloudWatch agent or similar.", modern, withScripts, cloudwatch)}
	}

	batch := 0
	for i, s := range subjects {
		if s.isBatchML() || batchRole(ws[i].Role) {
			batch++
		}
	}
	share := float64(batch) / float64(n)
	h[FactorWorkloads] = hint{level: bucket(share, 0.10, 0.25, 0.50, batch > 0), text: fmt.Sprintf("%d of %d workloads (%d%%) %s GPU, batch or ML work.", batch, n, percent(batch, n), agree(batch, "is", "are"))}

	decided, immutable, docker := 0, 0, 0
	for _, w := range ws {
		for _, sig := range w.Signals {
			switch sig.Rule {
			case RuleImmutableImage:
				decided++
				if sig.Points > 0 {
					immutable++
				}
			case RuleDockerPresent:
				docker++
			}
		}
	}
	if decided > 0 {
		s := float64(immutable) / float64(decided)
		lvl := 0
		switch {
		case s >= 0.75:
			lvl = 3
		case s >= 0.5:
			lvl = 2
		case s >= 0.25:
			lvl = 1
		}
		// decided counts the workloads whose image's making is known either way (a build
		// read, a stock image set up at boot), which is fewer than those with scripts.
		text := fmt.Sprintf("%d of the %d workloads whose image's origin is known %s.", immutable, decided, agree(immutable, "is built as an immutable image", "are built as immutable images"))
		if decided == 1 {
			text = "The one workload whose image's origin is known " + agree(immutable, "is", "is not") + " built as an immutable image."
		}
		if docker > 0 && lvl < 4 {
			lvl++
			text += fmt.Sprintf(" %s already %s Docker.", plural(docker, "workload"), agree(docker, "uses", "use"))
		}
		h[FactorOps] = hint{level: lvl, text: text}
	}

	healthy := 0
	for _, w := range ws {
		tt, health := false, true
		for _, sig := range w.Signals {
			switch sig.Rule {
			case RuleTargetTracking:
				tt = sig.Points > 0
			case RuleELBHealthCheck:
				health = sig.Points > 0
			}
		}
		if tt && health {
			healthy++
		}
	}
	hs := float64(healthy) / float64(n)
	// Healthy scaling and healing is a sign, not proof, that the platform meets every need:
	// the hint stops at 3.
	h[FactorStatusQuo] = hint{level: min(bucket(hs, 0.25, 0.50, 0.75, false), 3), text: fmt.Sprintf("%d of %d workloads already scale on a target and are replaced on application health: the current platform does that job for them.", healthy, n)}
	known, unknown := inventory.KnownScopes(accounts)
	lvl := 0
	switch {
	case total >= 100 || known >= 10:
		lvl = 4
	case total >= 40 || known >= 5:
		lvl = 3
	case total >= 15:
		lvl = 2
	case total >= 5:
		lvl = 1
	}
	where := "in " + plural(max(known, 1), "account")
	switch {
	case unknown && known == 0:
		where = "in accounts the code does not name"
	case unknown:
		where = "in " + plural(known, "account") + " and others the code does not name"
	}
	h[FactorScale] = hint{level: lvl, text: fmt.Sprintf("%s %s: at least this much complexity (the estate does not show the number of teams).", plural(total, "workload"), where), floor: true}
	return h
}

// bucket maps a share to a level 0–4 at the three cut points; any non-zero count is at
// least level 1 when atLeastOne is set.
func bucket(share, a, b, c float64, atLeastOne bool) int {
	switch {
	case share >= c:
		return 4
	case share >= b:
		return 3
	case share >= a:
		return 2
	case share > 0 || atLeastOne:
		return 1
	}
	return 0
}

func percent(a, b int) int {
	if b == 0 {
		return 0
	}
	return int(math.Round(100 * float64(a) / float64(b)))
}

// assessReadiness scores the answers. Unanswered factors are unknown: they lower confidence
// and are left out of the score, never counted as 0. Without any answer the readiness is
// not assessed and carries no score, only the hints.
func assessReadiness(answers *Answers, hints map[string]hint, st settings) Readiness {
	r := Readiness{Assessed: answers.answered() > 0}
	if answers != nil {
		r.Source = answers.Source
	}
	var capW, capAns, capSum, benW, benAns, benSum float64
	for _, f := range factors {
		w := st.factorWeights[f.ID]
		fa := Factor{ID: f.ID, Title: f.Title, Role: f.Role, Weight: w}
		if a, ok := answers.Get(f.ID); ok {
			fa.Answer, fa.Notes = a.Level, a.Notes
		}
		if hn, ok := hints[f.ID]; ok {
			lvl := hn.level
			fa.Hint, fa.HintLevel = hn.text, &lvl
			if fa.Answer != nil && disagree(*fa.Answer, hn) {
				fa.Contradiction = fmt.Sprintf("Answered %d (%s) but the evidence suggests %d (%s): %s",
					*fa.Answer, lowerFirst(f.Levels[*fa.Answer]), lvl, lowerFirst(f.Levels[lvl]), hn.text)
			}
		}
		r.Factors = append(r.Factors, fa)
		if fa.Answer == nil {
			if f.Role == RoleCapability {
				capW += w
			} else {
				benW += w
			}
			continue
		}
		v := float64(*fa.Answer) / 4
		if f.Inverted {
			v = 1 - v
		}
		if f.Role == RoleCapability {
			capW += w
			capAns += w
			capSum += w * v
		} else {
			benW += w
			benAns += w
			benSum += w * v
		}
	}
	if !r.Assessed {
		return r
	}
	if capAns > 0 {
		r.Score = int(math.Round(100 * capSum / capAns))
	}
	if capW > 0 {
		r.Confidence = int(math.Round(100 * capAns / capW))
	}
	if benAns > 0 {
		r.Benefit = int(math.Round(100 * benSum / benAns))
	}
	if benW > 0 {
		r.BenefitConfidence = int(math.Round(100 * benAns / benW))
	}
	switch {
	case r.Confidence < st.thresholds.MinConfidence:
		r.Level = ReadinessInsufficient
	case r.Score >= readyAt:
		r.Level = ReadinessReady
	case r.Score >= partlyAt:
		r.Level = ReadinessPartly
	default:
		r.Level = ReadinessNotReady
	}
	return r
}

// disagree reports whether an answer contradicts a hint: two levels apart, or for a floor
// hint two levels below it.
func disagree(answer int, h hint) bool {
	if h.floor {
		return h.level-answer >= contradictionGap
	}
	return abs(answer-h.level) >= contradictionGap
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// lowerFirst lowers the first letter of a sentence for use mid-sentence, unless the first
// word is a name (Windows, S3, NFS) that keeps its capital.
func lowerFirst(s string) string {
	s = strings.TrimSuffix(s, ".")
	first, _, _ := strings.Cut(s, " ")
	if s == "" || first == "Windows" || (len(first) > 1 && strings.ToUpper(first) == first) {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
