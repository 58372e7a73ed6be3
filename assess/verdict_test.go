package assess

import (
	"regexp"
	"strings"
	"testing"
)

func ready(score int, benefit int) Readiness {
	level := ReadinessNotReady
	switch {
	case score >= readyAt:
		level = ReadinessReady
	case score >= partlyAt:
		level = ReadinessPartly
	}
	return Readiness{Assessed: true, Score: score, Level: level, Confidence: 100, Benefit: benefit, BenefitConfidence: 100}
}

func TestDecide(t *testing.T) {
	blockers := []BlockerCount{{Rule: "FIT-STICKY-SESSIONS", Title: "Sticky sessions on the load balancer", Workloads: []string{"a", "b", "c"}}}
	cases := []struct {
		name string
		in   verdictInput
		want string
		says string // a phrase the deciding sentence must hold
	}{
		{"adopt now: ready, fits, long lead time",
			verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, NonProdGood: 3, NonBatchJudged: 10, NonBatchGood: 7, Readiness: ready(78, 70), LeadTime: ptr(1)},
			DecisionAdoptNow, "7 of 10 judged workloads (70%)"},
		{"ready and fitting, but a critical finding is open",
			verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, NonProdGood: 3, NonBatchJudged: 10, NonBatchGood: 7, Readiness: ready(78, 70), LeadTime: ptr(1), Critical: 1, CriticalKinds: "secret in plain text"},
			DecisionStartNonProd, "critical findings are open"},
		{"start non-production: readiness not assessed",
			verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, NonProdGood: 4, NonBatchJudged: 10, NonBatchGood: 7},
			DecisionStartNonProd, "Start with the 4 workloads"},
		{"start non-production: no tag names any environment",
			verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, EnvUnknown: 10, NonBatchJudged: 10, NonBatchGood: 7},
			DecisionStartNonProd, "no tag names the environment of any of the 10 migration candidates judged, so none is known"},
		{"start non-production: some environments unknown, the rest production",
			verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, EnvUnknown: 4, NonBatchJudged: 10, NonBatchGood: 7},
			DecisionStartNonProd, "no tag names the environment of 4 of the 10 migration candidates judged"},
		{"start non-production: all production",
			verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, NonBatchJudged: 10, NonBatchGood: 7},
			DecisionStartNonProd, "every migration candidate judged is tagged as production"},
		{"start non-production: the non-production ones need work",
			verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, NonProd: 2, EnvUnknown: 1, NonBatchJudged: 10, NonBatchGood: 7},
			DecisionStartNonProd, "none of the 2 migration candidates in development, test or pre-production fits well yet"},
		{"start non-production: partly ready",
			verdictInput{Workloads: 10, Good: 5, NeedsWork: 5, NonProdGood: 2, NonBatchJudged: 10, NonBatchGood: 5, Readiness: ready(55, 60), LeadTime: ptr(1)},
			DecisionStartNonProd, "the organisation is partly ready (readiness 55/100)"},
		{"pilot batch/ML: GPU work, web estate does not fit",
			verdictInput{Workloads: 10, Good: 3, NeedsWork: 5, Keep: 2, BatchML: 3, NonBatchJudged: 7, NonBatchGood: 1, Readiness: ready(60, 60)},
			DecisionPilotBatchML, "3 of 10 judged workloads (30%) are GPU, batch or ML work"},
		{"pilot batch/ML: mix answered high, status quo healthy",
			verdictInput{Workloads: 20, Good: 12, NeedsWork: 8, BatchML: 2, NonBatchJudged: 18, NonBatchGood: 11, Readiness: ready(60, 60), WorkloadMix: ptr(3), StatusQuo: ptr(3), LeadTime: ptr(2)},
			DecisionPilotBatchML, "GPU, batch or ML work"},
		{"not yet: not ready",
			verdictInput{Workloads: 10, Good: 6, NeedsWork: 4, NonBatchJudged: 10, NonBatchGood: 6, Readiness: ready(30, 70), TopBlockers: blockers},
			DecisionNotYet, "not ready (readiness 30/100)"},
		{"not yet: too few fit",
			verdictInput{Workloads: 10, Good: 2, NeedsWork: 6, Keep: 2, NonBatchJudged: 10, NonBatchGood: 2, TopBlockers: blockers},
			DecisionNotYet, "sticky sessions on the load balancer (3 workloads)"},
		{"not yet: evidence missing",
			verdictInput{Workloads: 10, Good: 2, Insufficient: 6, NonBatchJudged: 4, NonBatchGood: 2},
			DecisionNotYet, "6 of 10 workloads lack the evidence"},
		{"not yet: nothing in scope", verdictInput{}, DecisionNotYet, "check the accounts and regions read"},
		{"not yet: nothing in the infrastructure code", verdictInput{FromCode: true}, DecisionNotYet, "check the folders given and the modules"},
		{"stay: healthy status quo, fast environments",
			verdictInput{Workloads: 10, Good: 8, NeedsWork: 2, NonBatchJudged: 10, NonBatchGood: 8, Readiness: ready(80, 20), StatusQuo: ptr(4), LeadTime: ptr(3)},
			DecisionStay, "status quo 4 of 4"},
		{"stay: nothing fits",
			verdictInput{Workloads: 4, Keep: 3, NeedsWork: 1, NonBatchJudged: 4},
			DecisionStay, "No workload is a good fit and 3 of 4"},
		{"stay: answered benefit low",
			verdictInput{Workloads: 10, Good: 8, NeedsWork: 2, NonBatchJudged: 10, NonBatchGood: 8, Readiness: ready(80, 15)},
			DecisionStay, "little to gain (benefit 15/100)"},
		{"long lead time keeps a healthy status quo from meaning stay",
			verdictInput{Workloads: 10, Good: 8, NeedsWork: 2, NonBatchJudged: 10, NonBatchGood: 8, Readiness: ready(80, 55), StatusQuo: ptr(4), LeadTime: ptr(0)},
			DecisionAdoptNow, "lead time answered 0 of 4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, why := decide(tc.in)
			if got != tc.want {
				t.Fatalf("decision %q (%s), want %q", got, why, tc.want)
			}
			if !strings.Contains(why, tc.says) {
				t.Errorf("sentence %q does not say %q", why, tc.says)
			}
		})
	}
}

func TestVerdictRationale(t *testing.T) {
	number := regexp.MustCompile(`\d`)
	for _, in := range []verdictInput{
		{Workloads: 10, Good: 7, NeedsWork: 3, NonProdGood: 3, NonBatchJudged: 10, NonBatchGood: 7, Readiness: ready(78, 70), LeadTime: ptr(1), Critical: 2, High: 1, CriticalKinds: "secret in plain text"},
		{Workloads: 3, Good: 1, NeedsWork: 1, Insufficient: 1, EnvUnknown: 2, NonBatchJudged: 2, NonBatchGood: 1},
	} {
		v := verdictOf(in)
		if n := len(v.Rationale); n < 3 || n > 5 {
			t.Errorf("%s: %d sentences, want 3 to 5: %v", v.Decision, n, v.Rationale)
		}
		if v.Title != decisionTitles[v.Decision] || v.Title == "" {
			t.Errorf("title %q for %s", v.Title, v.Decision)
		}
		cited := 0
		for _, s := range v.Rationale {
			if number.MatchString(s) {
				cited++
			}
		}
		if cited < 2 {
			t.Errorf("%s: the rationale cites numbers in %d sentences: %v", v.Decision, cited, v.Rationale)
		}
	}
	v := verdictOf(verdictInput{Workloads: 10, Good: 7, NeedsWork: 3, NonProdGood: 3, NonBatchJudged: 10, NonBatchGood: 7, Readiness: ready(78, 70), LeadTime: ptr(1), Critical: 2, CriticalKinds: "secret in plain text"})
	if all := strings.Join(v.Rationale, " "); !strings.Contains(all, "2 critical findings (secret in plain text)") {
		t.Errorf("critical findings not named: %v", v.Rationale)
	}
}
