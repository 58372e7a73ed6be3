package assess

import (
	"fmt"
	"strings"
)

// verdictInput is everything the verdict weighs, counted beforehand so that the decision
// itself is a small pure function.
type verdictInput struct {
	// FromCode says the AWS facts were read from Terraform or CloudFormation; CodeOnly
	// that there were none, only provisioning code.
	FromCode, CodeOnly bool
	// Workloads counts the migration candidates; NotCandidates the workloads that are not
	// (data stores, bastions, network appliances, control planes), which the verdict leaves
	// out.
	Workloads     int
	NotCandidates int
	Good          int // excellent or good fit, not kept
	NeedsWork     int // minor or major work
	Keep          int // recommended to stay on ASG + ELB
	Insufficient  int
	NonProdGood   int // wave 1
	NonProd       int // development, test and pre-production workloads judged
	EnvUnknown    int // judged workloads whose environment no tag says
	// BatchML counts GPU, batch or ML workloads that could move (not kept, judged);
	// NonBatchGood and NonBatchJudged count the rest of the estate.
	BatchML        int
	NonBatchGood   int
	NonBatchJudged int
	TopBlockers    []BlockerCount
	Readiness      Readiness
	// LeadTime, StatusQuo and WorkloadMix are the answers to those factors, nil if unknown.
	LeadTime, StatusQuo, WorkloadMix *int
	Critical, High                   int // findings by severity
	CriticalKinds                    string
}

var decisionTitles = map[string]string{
	DecisionAdoptNow:     "Adopt Kubernetes now",
	DecisionStartNonProd: "Start with dev, test and pre-production",
	DecisionPilotBatchML: "Pilot with ML and batch workloads",
	DecisionNotYet:       "Not yet: fix these first",
	DecisionStay:         "Stay on ASG + ELB",
}

// decide applies the documented verdict logic, first match wins:
//
//  1. Not yet, when most workloads could not be judged: evidence comes first.
//  2. Stay on ASG + ELB, when the answers say the platform is healthy (status quo ≥ 3) and
//     environments arrive within days (lead time ≥ 3) with little batch or ML work; or when
//     no workload fits and at least half are kept; or when the answered benefit is below 25
//     with no batch or ML work.
//  3. Pilot with ML and batch, when GPU, batch or ML workloads could move and they are a
//     fifth of the judged estate or the workload mix is answered ≥ 3, while under half of
//     the rest fits or the status quo is healthy (≥ 3).
//  4. Not yet, when readiness is assessed as Not ready, or under a quarter of the judged
//     workloads is a good fit.
//  5. Adopt now, when readiness is Ready, at least half of the judged workloads fit, the
//     benefit is high (lead time ≤ 1, or an answered benefit ≥ 50), and no critical finding
//     is open. Readiness that was not assessed never allows adopting now.
//  6. Otherwise start with dev, test and pre-production.
//
// It returns the decision and the sentence that explains what decided it.
func decide(in verdictInput) (string, string) {
	judged := in.Workloads - in.Insufficient
	pct := func(n int) int { return percent(n, judged) }
	switch {
	case in.Workloads == 0 && in.NotCandidates > 0:
		return DecisionStay, fmt.Sprintf("None of the %s is a migration candidate (data stores, bastions, network appliances or another orchestrator's control plane): each has its managed replacement, and nothing here calls for a cluster of its own.", plural(in.NotCandidates, "workload"))
	case in.Workloads == 0 && in.CodeOnly:
		return DecisionNotYet, "The code read builds or configures no host (no Packer build, playbook or boot script was found), so there is nothing to judge yet: check the folders given."
	case in.Workloads == 0 && in.FromCode:
		return DecisionNotYet, "No Auto Scaling group was found in the infrastructure code read, so there is nothing to judge yet: check the folders given and the modules the coverage section says were not read."
	case in.Workloads == 0:
		return DecisionNotYet, "No Auto Scaling group was found in scope, so there is nothing to judge yet: check the accounts and regions read."
	case judged == 0 || in.Insufficient > judged:
		return DecisionNotYet, fmt.Sprintf("%d of %d workloads lack the evidence to judge: link their provisioning scripts and re-assess before deciding.", in.Insufficient, in.Workloads)
	}
	batchShare := float64(in.BatchML) / float64(judged)
	switch {
	case atLeast(in.StatusQuo, 3) && atLeast(in.LeadTime, 3) && batchShare < 0.2:
		return DecisionStay, fmt.Sprintf("Today's platform is answered healthy (status quo %d of 4) and environments arrive within days (lead time %d of 4): Kubernetes would add complexity without the gain that justifies it.", *in.StatusQuo, *in.LeadTime)
	case in.Good == 0 && 2*in.Keep >= judged:
		return DecisionStay, fmt.Sprintf("No workload is a good fit and %d of %d judged workloads are better kept where they are: the estate would not gain from the move.", in.Keep, judged)
	case in.Readiness.Assessed && in.Readiness.BenefitConfidence >= 50 && in.Readiness.Benefit < 25 && in.BatchML == 0:
		return DecisionStay, fmt.Sprintf("The answers show little to gain (benefit %d/100): environments are quick to get and the platform serves its teams, and there is no batch or ML work to draw on a shared cluster.", in.Readiness.Benefit)
	}
	nonBatchFit := in.NonBatchJudged == 0 || 2*in.NonBatchGood >= in.NonBatchJudged
	if in.BatchML > 0 && (batchShare >= 0.2 || atLeast(in.WorkloadMix, 3)) && (!nonBatchFit || atLeast(in.StatusQuo, 3)) {
		return DecisionPilotBatchML, fmt.Sprintf("%d of %d judged workloads (%d%%) %s GPU, batch or ML work, where a shared cluster gains the most; pilot there first, since for the web applications moving is largely a matter of taste.", in.BatchML, judged, pct(in.BatchML), agree(in.BatchML, "is", "are"))
	}
	switch {
	case in.Readiness.Assessed && in.Readiness.Level == ReadinessNotReady:
		return DecisionNotYet, fmt.Sprintf("The organisation is not ready (readiness %d/100): teams would be handed a platform they cannot yet run. Build the skills and ownership first%s.", in.Readiness.Score, blockerClause(in.TopBlockers, ", and meanwhile fix "))
	case 4*in.Good < judged:
		return DecisionNotYet, fmt.Sprintf("Only %d of %d judged workloads (%d%%) %s a good fit today%s; fix those first and re-assess.", in.Good, judged, pct(in.Good), agree(in.Good, "is", "are"), blockerClause(in.TopBlockers, ": the most common blockers are "))
	}
	benefitHigh := atMost(in.LeadTime, 1) || (in.Readiness.BenefitConfidence >= 50 && in.Readiness.Benefit >= 50)
	if in.Readiness.Assessed && in.Readiness.Level == ReadinessReady && 2*in.Good >= judged && benefitHigh && in.Critical == 0 {
		return DecisionAdoptNow, fmt.Sprintf("%d of %d judged workloads (%d%%) are a good fit, teams are ready (readiness %d/100) and the gain is real%s: move production as well, wave by wave.", in.Good, judged, pct(in.Good), in.Readiness.Score, leadTimeClause(in.LeadTime))
	}
	why := "readiness has not been assessed"
	switch {
	case in.Readiness.Assessed && in.Readiness.Level != ReadinessReady:
		why = fmt.Sprintf("the organisation is %s (readiness %d/100)", strings.ToLower(in.Readiness.Level), in.Readiness.Score)
	case in.Readiness.Assessed && in.Critical > 0:
		why = "critical findings are open"
	case in.Readiness.Assessed && 2*in.Good < judged:
		why = fmt.Sprintf("only %d%% of the estate fits so far", pct(in.Good))
	case in.Readiness.Assessed:
		why = "the answers show only a moderate gain"
	}
	first := fmt.Sprintf("Start with the %s in development, test and pre-production that %s well (wave 1)", plural(in.NonProdGood, "workload"), agree(in.NonProdGood, "fits", "fit"))
	if in.NonProdGood == 0 {
		first = "Start by building development, test and pre-production environments on Kubernetes (" + nonProdClause(in) + ")"
	}
	return DecisionStartNonProd, fmt.Sprintf("%s, where teams gain self-service environments and an outage costs least; production follows once the path is proven, because %s.", first, why)
}

// nonProdClause says why no workload is in wave 1: the non-production candidates judged
// do not fit well yet, or none is known to be non-production. An environment no tag names
// is unknown, not production, and is said so: the plan may be missing a wave 1 it has.
func nonProdClause(in verdictInput) string {
	judged := in.Workloads - in.Insufficient
	switch {
	case in.NonProd == 1:
		return "the one migration candidate in development, test or pre-production does not fit well yet"
	case in.NonProd > 1:
		return fmt.Sprintf("none of the %d migration candidates in development, test or pre-production fits well yet", in.NonProd)
	case in.EnvUnknown == 0:
		return "every migration candidate judged is tagged as production"
	case in.EnvUnknown == judged:
		return fmt.Sprintf("no tag names the environment of any of the %s judged, so none is known to be development, test or pre-production: tag them and re-assess", plural(judged, "migration candidate"))
	}
	return fmt.Sprintf("none is tagged as development, test or pre-production, and no tag names the environment of %d of the %s judged", in.EnvUnknown, plural(judged, "migration candidate"))
}

func atLeast(p *int, v int) bool { return p != nil && *p >= v }
func atMost(p *int, v int) bool  { return p != nil && *p <= v }

func blockerClause(top []BlockerCount, lead string) string {
	if len(top) == 0 {
		return ""
	}
	var parts []string
	for i, b := range top {
		if i == 2 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", lowerFirst(b.Title), plural(len(b.Workloads), "workload")))
	}
	return lead + strings.Join(parts, " and ")
}

func leadTimeClause(lt *int) string {
	if lt == nil {
		return ""
	}
	return fmt.Sprintf(" (environment lead time answered %d of 4)", *lt)
}

// verdictOf writes the verdict: the decision, its title and three to five sentences that
// cite the numbers behind it.
func verdictOf(in verdictInput) Verdict {
	decision, why := decide(in)
	judged := in.Workloads - in.Insufficient
	var rs []string

	parts := []string{fmt.Sprintf("%d (%d%% of those judged) %s a good or excellent container fit", in.Good, percent(in.Good, judged), agree(in.Good, "is", "are"))}
	if in.NeedsWork > 0 {
		parts = append(parts, fmt.Sprintf("%d %s work first", in.NeedsWork, agree(in.NeedsWork, "needs", "need")))
	}
	if in.Keep > 0 {
		parts = append(parts, fmt.Sprintf("%d should stay on ASG + ELB", in.Keep))
	}
	if in.Insufficient > 0 {
		parts = append(parts, fmt.Sprintf("%d %s the evidence to judge", in.Insufficient, agree(in.Insufficient, "lacks", "lack")))
	}
	switch {
	case in.Workloads == 0:
		rs = append(rs, fmt.Sprintf("%s assessed, none of them a migration candidate.", plural(in.NotCandidates, "workload")))
	case in.NotCandidates > 0:
		rs = append(rs, fmt.Sprintf("Of %s assessed, %d %s not a migration candidate (data stores, bastions, appliances or control planes, each with its managed replacement); of the %s, %s.",
			plural(in.Workloads+in.NotCandidates, "workload"), in.NotCandidates, agree(in.NotCandidates, "is", "are"), plural(in.Workloads, "candidate"), joinAnd(parts)))
	default:
		rs = append(rs, fmt.Sprintf("Of %s assessed, %s.", plural(in.Workloads, "workload"), joinAnd(parts)))
	}
	if in.CodeOnly {
		rs = append(rs, "Every workload here is provisional, read from provisioning code alone before the AWS facts: sizes, load balancers and scaling are unknown until the estate is collected.")
	}

	if r := in.Readiness; r.Assessed {
		rs = append(rs, fmt.Sprintf("Organisational readiness scores %d/100 (%s, %d%% of the capability questions answered) and the expected benefit %d/100.", r.Score, r.Level, r.Confidence, r.Benefit))
	} else {
		rs = append(rs, "Organisational readiness was not assessed because no questionnaire answers were given, so this verdict rests on the estate alone and stops short of adopting now.")
	}
	rs = append(rs, why)

	if lt := in.LeadTime; lt != nil && !strings.Contains(why, "lead time") {
		effect := "which adds little to the case"
		if *lt <= 1 {
			effect = "the strongest reason to adopt"
		} else if *lt == 2 {
			effect = "a moderate reason to adopt"
		}
		rs = append(rs, fmt.Sprintf("Environment lead time is answered %d of 4 (%s), %s.", *lt, lowerFirst(factorLevel(FactorLeadTime, *lt)), effect))
	}
	if in.Critical+in.High > 0 {
		s := ""
		switch {
		case in.Critical > 0 && in.High > 0:
			s = fmt.Sprintf("%s (%s) and %s must be dealt with now, whatever the platform.", plural(in.Critical, "critical finding"), in.CriticalKinds, plural(in.High, "high-severity red flag"))
		case in.Critical > 0:
			s = fmt.Sprintf("%s (%s) must be dealt with now, whatever the platform.", plural(in.Critical, "critical finding"), in.CriticalKinds)
		default:
			s = fmt.Sprintf("%s must be dealt with now, whatever the platform.", plural(in.High, "high-severity red flag"))
		}
		rs = append(rs, s)
	}
	if len(rs) > 5 {
		rs = rs[:5]
	}
	return Verdict{Decision: decision, Title: decisionTitles[decision], Rationale: rs}
}

func factorLevel(id string, lvl int) string {
	f, ok := factorInfo(id)
	if !ok || lvl < 0 || lvl > 4 {
		return ""
	}
	return f.Levels[lvl]
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
