package assess_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// The tests hand-build assessments: the engine is not what is under test, and a diff must
// hold for any two assessments, including ones from an older build.

var (
	diffJan = time.Date(2025, 1, 1, 6, 0, 0, 0, time.UTC)
	diffFeb = time.Date(2025, 2, 1, 6, 0, 0, 0, time.UTC)
)

const diffAcct = "111122223333"

func diffInt(v int) *int { return &v }

func diffID(name string) string { return inventory.WorkloadID(diffAcct, "eu-west-1", name) }

func diffSignal(rule string, points float64, file string, line int) assess.Signal {
	return assess.Signal{Rule: rule, Title: diffRuleTitle[rule], Points: points,
		Evidence: []inventory.Evidence{{File: file, Line: line}}}
}

func diffBlocker(rule, file string, line int) assess.Blocker {
	return assess.Blocker{Rule: rule, Title: diffRuleTitle[rule], Remediation: "fix it", Effort: "M",
		Evidence: []inventory.Evidence{{File: file, Line: line}}}
}

var diffRuleTitle = map[string]string{
	"FIT-S3FS-MOUNT":      "s3fs mount on the instance",
	"FIT-STICKY-SESSIONS": "Sticky sessions",
	"FIT-BAKED-IMAGE":     "Baked immutable image",
	"FIT-DATABASE":        "Database on the instance",
	"FIT-TARGET-TRACKING": "Target-tracking scaling",
}

func diffWorkload(name string, score int, category string, signals []assess.Signal, blockers ...assess.Blocker) assess.Workload {
	return assess.Workload{
		ID: diffID(name), Name: name, Account: diffAcct, Region: "eu-west-1", Environment: "prod",
		Fit:      assess.Fit{Score: score, Category: category, Confidence: 90},
		Signals:  signals,
		Blockers: blockers,
	}
}

func diffFactor(id string, ans *int) assess.Factor {
	return assess.Factor{ID: id, Title: "Factor " + id, Weight: 1, Answer: ans}
}

// diffBaseline is the January run: three workloads, an s3fs blocker on reports, a secret finding.
func diffBaseline() *assess.Assessment {
	return &assess.Assessment{
		SchemaVersion: assess.SchemaVersion,
		GeneratedAt:   diffJan,
		Client:        "Northwind",
		Verdict:       assess.Verdict{Decision: assess.DecisionStartNonProd, Title: "Start with dev, test and pre-production"},
		Readiness: assess.Readiness{Assessed: true, Score: 50, Level: "Partly ready", Factors: []assess.Factor{
			diffFactor("ORG-CICD", diffInt(1)),
			diffFactor("ORG-DEVOPS", diffInt(2)),
			diffFactor("ORG-LEADTIME", nil),
		}},
		Workloads: []assess.Workload{
			diffWorkload("orders-api", 72, assess.CategoryGood, []assess.Signal{
				diffSignal("FIT-BAKED-IMAGE", 10, "packer/orders.pkr.hcl", 3),
				diffSignal("FIT-TARGET-TRACKING", 5, "", 0),
			}),
			diffWorkload("reports", 40, assess.CategoryMajorWork, []assess.Signal{
				diffSignal("FIT-BAKED-IMAGE", 10, "packer/reports.json", 5),
				diffSignal("FIT-S3FS-MOUNT", -30, "userdata/reports.sh", 12),
			}, diffBlocker("FIT-S3FS-MOUNT", "userdata/reports.sh", 12)),
			diffWorkload("legacy-cms", 30, assess.CategoryPoor, []assess.Signal{
				diffSignal("FIT-DATABASE", -25, "ansible/roles/mysql/tasks/main.yml", 4),
			}, diffBlocker("FIT-DATABASE", "ansible/roles/mysql/tasks/main.yml", 4)),
		},
		Findings: []assess.Finding{{
			Rule: "SEC-SECRET-IN-USERDATA", Severity: "critical", Title: "Secret in user data",
			Detail: "AWS access key", Workloads: []string{diffID("orders-api")},
			Evidence: inventory.Evidence{File: "userdata:lt-0abc v3", Line: 7},
		}},
	}
}

// diffImproved is diffBaseline one month later with exactly four changes: the s3fs blocker on
// reports is fixed, billing is added, legacy-cms is removed, and ORG-CICD rose 1 → 3.
func diffImproved() *assess.Assessment {
	a := diffBaseline()
	a.GeneratedAt = diffFeb
	a.Readiness.Factors[0].Answer = diffInt(3)
	a.Readiness.Score = 58
	a.Workloads = []assess.Workload{
		a.Workloads[0],
		diffWorkload("reports", 70, assess.CategoryGood, []assess.Signal{
			diffSignal("FIT-BAKED-IMAGE", 10, "packer/reports.json", 5),
		}),
		diffWorkload("billing", 81, assess.CategoryExcellent, []assess.Signal{
			diffSignal("FIT-BAKED-IMAGE", 10, "packer/billing.pkr.hcl", 1),
		}),
	}
	return a
}

func TestDiffImproved(t *testing.T) {
	got := assess.Diff(diffBaseline(), diffImproved())
	want := &assess.Changes{
		Since:            diffJan,
		Until:            diffFeb,
		WorkloadsAdded:   []string{diffID("billing")},
		WorkloadsRemoved: []string{diffID("legacy-cms")},
		Scores: []assess.ScoreChange{{
			Workload: diffID("reports"), Name: "reports",
			ScoreFrom: 40, ScoreTo: 70,
			CategoryFrom: assess.CategoryMajorWork, CategoryTo: assess.CategoryGood,
			ConfidenceFrom: 90, ConfidenceTo: 90,
			Rules: []string{"FIT-S3FS-MOUNT"},
			Moves: []assess.RuleMove{{Rule: "FIT-S3FS-MOUNT", Title: diffRuleTitle["FIT-S3FS-MOUNT"], From: -30, To: 0}},
		}},
		BlockersFixed:         []assess.WorkloadRule{{Workload: diffID("reports"), Rule: "FIT-S3FS-MOUNT", Title: diffRuleTitle["FIT-S3FS-MOUNT"]}},
		BlockersNew:           []assess.WorkloadRule{},
		FindingsResolved:      []assess.Finding{},
		FindingsNew:           []assess.Finding{},
		Factors:               []assess.FactorChange{{ID: "ORG-CICD", Title: "Factor ORG-CICD", From: diffInt(1), To: diffInt(3)}},
		ReadinessFrom:         50,
		ReadinessTo:           58,
		ReadinessAssessedFrom: true,
		ReadinessAssessedTo:   true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff(january, february) mismatch\n got: %s\nwant: %s", diffJSON(t, got), diffJSON(t, want))
	}
	if bad, reasons := got.Regressed(); bad {
		t.Errorf("improved pair: Regressed() = true, %q; want false", reasons)
	}
}

func TestDiffReversedRegresses(t *testing.T) {
	got := assess.Diff(diffImproved(), diffBaseline())
	if !slices.Equal(got.WorkloadsAdded, []string{diffID("legacy-cms")}) || !slices.Equal(got.WorkloadsRemoved, []string{diffID("billing")}) {
		t.Errorf("added %q removed %q; want legacy-cms added and billing removed", got.WorkloadsAdded, got.WorkloadsRemoved)
	}
	if len(got.BlockersFixed) != 0 || !reflect.DeepEqual(got.BlockersNew, []assess.WorkloadRule{{Workload: diffID("reports"), Rule: "FIT-S3FS-MOUNT", Title: diffRuleTitle["FIT-S3FS-MOUNT"]}}) {
		t.Errorf("blockers fixed %v new %v; want only FIT-S3FS-MOUNT new on reports", got.BlockersFixed, got.BlockersNew)
	}
	if !reflect.DeepEqual(got.Factors, []assess.FactorChange{{ID: "ORG-CICD", Title: "Factor ORG-CICD", From: diffInt(3), To: diffInt(1)}}) {
		t.Errorf("factors %s; want ORG-CICD 3 → 1", diffJSON(t, got.Factors))
	}
	bad, reasons := got.Regressed()
	want := []string{
		"readiness fell from 58 to 50",
		diffID("reports") + ": category fell from Good fit to Needs major work (score 70 to 40)",
		diffID("reports") + ": new blocker FIT-S3FS-MOUNT (s3fs mount on the instance)",
	}
	if !bad || !slices.Equal(reasons, want) {
		t.Errorf("reversed pair: Regressed() = %v,\n%s\nwant true,\n%s", bad, strings.Join(reasons, "\n"), strings.Join(want, "\n"))
	}
}

// TestDiffCases covers the edges of matching, one change per row.
func TestDiffCases(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *assess.Assessment)
		check  func(t *testing.T, c *assess.Changes)
		// regressed is the expected Regressed() answer and its reasons, in order.
		regressed []string
	}{
		{
			name:   "identical runs report nothing",
			change: func(a *assess.Assessment) {},
			check: func(t *testing.T, c *assess.Changes) {
				if n := diffCount(c); n != 0 {
					t.Errorf("%d changes between identical runs: %s", n, diffJSON(t, c))
				}
			},
		},
		{
			name: "renamed group is removed plus added, never merged",
			change: func(a *assess.Assessment) {
				a.Workloads[0].ID, a.Workloads[0].Name = diffID("orders-api-v2"), "orders-api-v2"
			},
			check: func(t *testing.T, c *assess.Changes) {
				if !slices.Equal(c.WorkloadsAdded, []string{diffID("orders-api-v2")}) || !slices.Equal(c.WorkloadsRemoved, []string{diffID("orders-api")}) || len(c.Scores) != 0 {
					t.Errorf("added %q removed %q scores %d; want orders-api-v2 added, orders-api removed, no score change", c.WorkloadsAdded, c.WorkloadsRemoved, len(c.Scores))
				}
			},
		},
		{
			name: "same group name in another region is another workload",
			change: func(a *assess.Assessment) {
				a.Workloads[0].Region = "us-east-1"
				a.Workloads[0].ID = inventory.WorkloadID(diffAcct, "us-east-1", "orders-api")
			},
			check: func(t *testing.T, c *assess.Changes) {
				if !slices.Equal(c.WorkloadsAdded, []string{diffAcct + "/us-east-1/orders-api"}) || !slices.Equal(c.WorkloadsRemoved, []string{diffID("orders-api")}) {
					t.Errorf("added %q removed %q", c.WorkloadsAdded, c.WorkloadsRemoved)
				}
			},
		},
		{
			name: "move to Insufficient data is reported but is not a regression",
			change: func(a *assess.Assessment) {
				a.Workloads[0].Fit = assess.Fit{Score: 72, Category: assess.CategoryInsufficient, Confidence: 30}
			},
			check: func(t *testing.T, c *assess.Changes) {
				if len(c.Scores) != 1 || c.Scores[0].CategoryTo != assess.CategoryInsufficient || c.Scores[0].ConfidenceTo != 30 || len(c.Scores[0].Rules) != 0 {
					t.Errorf("scores %s; want orders-api Good → Insufficient data, confidence 90 → 30, no rule moved", diffJSON(t, c.Scores))
				}
			},
		},
		{
			name: "score down within the same category is reported, not a regression",
			change: func(a *assess.Assessment) {
				a.Workloads[0].Fit.Score = 66
				a.Workloads[0].Signals[1].Points = -1
			},
			check: func(t *testing.T, c *assess.Changes) {
				want := []assess.RuleMove{{Rule: "FIT-TARGET-TRACKING", Title: diffRuleTitle["FIT-TARGET-TRACKING"], From: 5, To: -1}}
				if len(c.Scores) != 1 || !reflect.DeepEqual(c.Scores[0].Moves, want) {
					t.Errorf("scores %s; want one move of FIT-TARGET-TRACKING 5 → -1", diffJSON(t, c.Scores))
				}
			},
		},
		{
			name: "category fall is a regression naming the workload",
			change: func(a *assess.Assessment) {
				a.Workloads[0].Fit = assess.Fit{Score: 60, Category: assess.CategoryMinorWork, Confidence: 90}
				a.Workloads[0].Signals = append(a.Workloads[0].Signals, diffSignal("FIT-STICKY-SESSIONS", -6, "", 0), diffSignal("FIT-STICKY-SESSIONS", -6, "", 0))
			},
			check: func(t *testing.T, c *assess.Changes) {
				want := []assess.RuleMove{{Rule: "FIT-STICKY-SESSIONS", Title: diffRuleTitle["FIT-STICKY-SESSIONS"], From: 0, To: -12}}
				if len(c.Scores) != 1 || !reflect.DeepEqual(c.Scores[0].Moves, want) {
					t.Errorf("moves %s; want FIT-STICKY-SESSIONS summed over both signals, 0 → -12", diffJSON(t, c.Scores))
				}
			},
			regressed: []string{diffID("orders-api") + ": category fell from Good fit to Needs minor work (score 72 to 60)"},
		},
		{
			name: "a blocker seen at another line is the same blocker",
			change: func(a *assess.Assessment) {
				a.Workloads[1].Blockers[0].Evidence[0].Line = 40
			},
			check: func(t *testing.T, c *assess.Changes) {
				if n := diffCount(c); n != 0 {
					t.Errorf("%d changes; want none: %s", n, diffJSON(t, c))
				}
			},
		},
		{
			name: "a finding at another place is one resolved and one new",
			change: func(a *assess.Assessment) {
				a.Findings[0].Evidence.Line = 9
			},
			check: func(t *testing.T, c *assess.Changes) {
				if len(c.FindingsResolved) != 1 || c.FindingsResolved[0].Evidence.Line != 7 || len(c.FindingsNew) != 1 || c.FindingsNew[0].Evidence.Line != 9 {
					t.Errorf("resolved %s new %s", diffJSON(t, c.FindingsResolved), diffJSON(t, c.FindingsNew))
				}
			},
			regressed: []string{"new finding SEC-SECRET-IN-USERDATA [critical] at userdata:lt-0abc v3:9: AWS access key"},
		},
		{
			name: "a finding touching more workloads is the same finding",
			change: func(a *assess.Assessment) {
				a.Findings[0].Workloads = append(a.Findings[0].Workloads, diffID("reports"))
				a.Findings[0].Severity = "high"
			},
			check: func(t *testing.T, c *assess.Changes) {
				if n := diffCount(c); n != 0 {
					t.Errorf("%d changes; want none: %s", n, diffJSON(t, c))
				}
			},
		},
		{
			name: "an added workload brings its blockers and findings with it",
			change: func(a *assess.Assessment) {
				a.Workloads = append(a.Workloads, diffWorkload("billing", 81, assess.CategoryExcellent, nil, diffBlocker("FIT-DATABASE", "x.yml", 1)))
				a.Findings = append(a.Findings, assess.Finding{Rule: "SEC-SECRET-IN-USERDATA", Severity: "critical", Detail: "password",
					Workloads: []string{diffID("billing")}, Evidence: inventory.Evidence{File: "userdata/billing.sh", Line: 3}})
			},
			check: func(t *testing.T, c *assess.Changes) {
				if !slices.Equal(c.WorkloadsAdded, []string{diffID("billing")}) || len(c.BlockersNew) != 0 || len(c.FindingsNew) != 0 {
					t.Errorf("added %q, blockers new %v, findings new %v; want billing added and nothing else", c.WorkloadsAdded, c.BlockersNew, c.FindingsNew)
				}
			},
		},
		{
			name: "a removed workload takes its blockers and findings with it",
			change: func(a *assess.Assessment) {
				a.Workloads = a.Workloads[1:] // orders-api, which the secret finding names
				a.Findings = nil
			},
			check: func(t *testing.T, c *assess.Changes) {
				if !slices.Equal(c.WorkloadsRemoved, []string{diffID("orders-api")}) || len(c.FindingsResolved) != 0 {
					t.Errorf("removed %q, findings resolved %v; want orders-api removed and nothing else", c.WorkloadsRemoved, c.FindingsResolved)
				}
			},
		},
		{
			name: "a finding on no workload, or on a workload in both runs, is always compared",
			change: func(a *assess.Assessment) {
				a.Workloads = append(a.Workloads, diffWorkload("billing", 81, assess.CategoryExcellent, nil))
				a.Findings = append(a.Findings,
					assess.Finding{Rule: "SEC-SECRET-IN-SCRIPT", Severity: "high", Detail: "private key", Evidence: inventory.Evidence{File: "ansible/unlinked.yml", Line: 2}},
					assess.Finding{Rule: "RED-S3FS", Severity: "high", Workloads: []string{diffID("billing"), diffID("reports")},
						Evidence: inventory.Evidence{ARN: "arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:u:autoScalingGroupName/reports", Field: "LaunchSpec.UserData"}})
			},
			check: func(t *testing.T, c *assess.Changes) {
				if len(c.FindingsNew) != 2 {
					t.Errorf("findings new %s; want the unlinked-script secret and the s3fs finding on reports", diffJSON(t, c.FindingsNew))
				}
			},
			regressed: []string{
				"new finding RED-S3FS [high] at arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:u:autoScalingGroupName/reports LaunchSpec.UserData",
				"new finding SEC-SECRET-IN-SCRIPT [high] at ansible/unlinked.yml:2: private key",
			},
		},
		{
			name:   "readiness no longer assessed is reported but is not a fall",
			change: func(a *assess.Assessment) { a.Readiness = assess.Readiness{} },
			check: func(t *testing.T, c *assess.Changes) {
				if !c.ReadinessAssessedFrom || c.ReadinessAssessedTo || c.ReadinessTo != 0 {
					t.Errorf("readiness assessed %v → %v, score %d → %d", c.ReadinessAssessedFrom, c.ReadinessAssessedTo, c.ReadinessFrom, c.ReadinessTo)
				}
				if len(c.Factors) != 2 {
					t.Errorf("factors %s; want ORG-CICD and ORG-DEVOPS answered → unanswered (ORG-LEADTIME was never answered)", diffJSON(t, c.Factors))
				}
			},
		},
		{
			name: "verdict change carries both decisions and titles",
			change: func(a *assess.Assessment) {
				a.Verdict = assess.Verdict{Decision: assess.DecisionAdoptNow, Title: "Adopt now"}
			},
			check: func(t *testing.T, c *assess.Changes) {
				if c.VerdictFrom != assess.DecisionStartNonProd || c.VerdictTo != assess.DecisionAdoptNow || c.VerdictTitleTo != "Adopt now" {
					t.Errorf("verdict %q → %q (%q)", c.VerdictFrom, c.VerdictTo, c.VerdictTitleTo)
				}
			},
		},
		{
			name: "workload order does not matter",
			change: func(a *assess.Assessment) {
				slices.Reverse(a.Workloads)
				slices.Reverse(a.Readiness.Factors)
			},
			check: func(t *testing.T, c *assess.Changes) {
				if n := diffCount(c); n != 0 {
					t.Errorf("%d changes after reordering: %s", n, diffJSON(t, c))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := diffBaseline(), diffBaseline()
			new.GeneratedAt = diffFeb
			tt.change(new)
			c := assess.Diff(old, new)
			tt.check(t, c)
			bad, reasons := c.Regressed()
			if bad != (len(tt.regressed) > 0) || !slices.Equal(reasons, tt.regressed) {
				t.Errorf("Regressed() = %v, %q; want %q", bad, reasons, tt.regressed)
			}
		})
	}
}

func TestDiffDoesNotModifyInputs(t *testing.T) {
	old, new := diffBaseline(), diffImproved()
	before := diffJSON(t, []*assess.Assessment{old, new})
	c := assess.Diff(old, new)
	// Writing through the result must not reach the inputs either.
	for i := range c.Factors {
		*c.Factors[i].From = 99
	}
	if after := diffJSON(t, []*assess.Assessment{old, new}); after != before {
		t.Errorf("Diff modified its inputs")
	}
}

func TestDiffNilAndJSON(t *testing.T) {
	c := assess.Diff(nil, diffImproved())
	if len(c.WorkloadsAdded) != 3 || len(c.FindingsNew) != 0 || len(c.BlockersNew) != 0 {
		t.Errorf("Diff(nil, x): added %q, findings new %d, blockers new %d; want every workload added, carrying its findings and blockers", c.WorkloadsAdded, len(c.FindingsNew), len(c.BlockersNew))
	}
	// Scripts read the JSON: empty lists must be [] and the value must round-trip.
	data, err := json.Marshal(assess.Diff(diffBaseline(), diffBaseline()))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "null") {
		t.Errorf("JSON of an empty diff contains null: %s", data)
	}
	orig := assess.Diff(diffBaseline(), diffImproved())
	data, _ = json.Marshal(orig)
	var back assess.Changes
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, orig) {
		t.Errorf("Changes does not survive a JSON round trip:\n%s\n%s", diffJSON(t, &back), diffJSON(t, orig))
	}
	if bad, reasons := (*assess.Changes)(nil).Regressed(); bad || reasons != nil {
		t.Errorf("nil Changes regressed: %q", reasons)
	}
}

func diffCount(c *assess.Changes) int {
	n := len(c.WorkloadsAdded) + len(c.WorkloadsRemoved) + len(c.Scores) + len(c.BlockersFixed) + len(c.BlockersNew) +
		len(c.FindingsResolved) + len(c.FindingsNew) + len(c.Factors)
	if c.VerdictFrom != "" || c.VerdictTo != "" {
		n++
	}
	if c.ReadinessFrom != c.ReadinessTo || c.ReadinessAssessedFrom != c.ReadinessAssessedTo {
		n++
	}
	return n
}

func diffJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func BenchmarkDiff(b *testing.B) {
	old, new := diffSyntheticPair(2000)
	if c := assess.Diff(old, new); len(c.WorkloadsAdded) != 10 || len(c.Scores) != 199 || len(c.BlockersFixed) != 100 {
		b.Fatalf("synthetic pair: %d added, %d scores, %d blockers fixed; want 10, 199, 100", len(c.WorkloadsAdded), len(c.Scores), len(c.BlockersFixed))
	}
	b.ReportAllocs()
	for b.Loop() {
		assess.Diff(old, new)
	}
}

// diffSyntheticPair builds two runs of n workloads where every tenth workload changed score,
// every twentieth lost a blocker and the last ten were replaced.
func diffSyntheticPair(n int) (*assess.Assessment, *assess.Assessment) {
	mk := func(at time.Time, shift int) *assess.Assessment {
		a := &assess.Assessment{GeneratedAt: at, Readiness: assess.Readiness{Assessed: true, Score: 50}}
		for i := range n {
			name := "group-" + strconv.Itoa(i)
			if shift == 1 && i >= n-10 {
				name += "-renamed"
			}
			w := diffWorkload(name, 50, assess.CategoryMinorWork, []assess.Signal{
				diffSignal("FIT-BAKED-IMAGE", 10, "packer/"+name+".pkr.hcl", 3),
				diffSignal("FIT-STICKY-SESSIONS", -10, "", 0),
			}, diffBlocker("FIT-DATABASE", "roles/db/tasks/main.yml", i))
			if shift == 1 && i%10 == 0 {
				w.Fit.Score, w.Signals[1].Points = 60, 0
			}
			if shift == 1 && i%20 == 0 {
				w.Blockers = nil
			}
			a.Workloads = append(a.Workloads, w)
			a.Findings = append(a.Findings, assess.Finding{Rule: "SEC-SECRET", Evidence: inventory.Evidence{File: "userdata:" + name, Line: 1}})
		}
		return a
	}
	return mk(diffJan, 0), mk(diffFeb, 1)
}
