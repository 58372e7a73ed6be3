package assess

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"whyk8s/fixtures"
	"whyk8s/inventory/gather"
)

// demoAssessment runs the whole judgement on the embedded demo client, the way
// `whyk8s assess --demo` gathers it: estate, scripts, user data, links, answers.
func demoAssessment(t testing.TB) *Assessment {
	t.Helper()
	res, err := gather.Estate(context.Background(), gather.Sources{Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Estate
	answers, err := ParseAnswers("fixtures/demo/org-answers.yaml", fixtures.DemoAnswers())
	if err != nil {
		t.Fatal(err)
	}
	a, err := Assess(e, answers, DefaultConfig(), Meta{Now: fixtures.DemoTime, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDemoGolden pins what a consultant reads first: the verdict, readiness, and for each
// workload its category, score, confidence, recommendation, effort, wave and blockers; then
// the findings. Review a change with: go test ./assess -run DemoGolden -update && git diff
func TestDemoGolden(t *testing.T) {
	a := demoAssessment(t)
	var b strings.Builder
	fmt.Fprintf(&b, "verdict: %s (%s)\n", a.Verdict.Decision, a.Verdict.Title)
	for _, s := range a.Verdict.Rationale {
		fmt.Fprintf(&b, "  - %s\n", s)
	}
	r := a.Readiness
	fmt.Fprintf(&b, "readiness: %s, score %d, confidence %d%%, benefit %d (confidence %d%%)\n", r.Level, r.Score, r.Confidence, r.Benefit, r.BenefitConfidence)
	for _, f := range r.Factors {
		ans, hint := "-", "-"
		if f.Answer != nil {
			ans = fmt.Sprint(*f.Answer)
		}
		if f.HintLevel != nil {
			hint = fmt.Sprint(*f.HintLevel)
		}
		flag := ""
		if f.Contradiction != "" {
			flag = "  CONTRADICTION"
		}
		fmt.Fprintf(&b, "  %-18s answer %s hint %s%s\n", f.ID, ans, hint, flag)
	}
	fmt.Fprintf(&b, "\nworkloads:\n")
	for _, w := range a.Workloads {
		fmt.Fprintf(&b, "%s [%s]\n  %s, score %d, confidence %d%%, %s, effort %s, wave %d\n", w.ID, w.Environment, w.Fit.Category, w.Fit.Score, w.Fit.Confidence, w.Recommendation.Kind, w.Effort, w.Wave)
		for _, bl := range w.Blockers {
			fmt.Fprintf(&b, "  blocker %s (%s)\n", bl.Rule, bl.Effort)
		}
	}
	fmt.Fprintf(&b, "\nwaves:\n")
	for _, w := range a.Waves {
		fmt.Fprintf(&b, "  %d %s: %s\n", w.Number, w.Name, strings.Join(w.Workloads, ", "))
	}
	fmt.Fprintf(&b, "\nfindings:\n")
	for _, f := range a.Findings {
		fmt.Fprintf(&b, "  %s %s %s (%s) %s\n", f.Severity, f.Rule, f.Evidence.String(), f.Detail, strings.Join(f.Workloads, ", "))
	}
	golden(t, "demo.golden", []byte(b.String()))
}

// TestDemoEveryJudgementHasEvidence walks the demo: every signal and blocker names its place.
func TestDemoEveryJudgementHasEvidence(t *testing.T) {
	a := demoAssessment(t)
	for _, w := range a.Workloads {
		for _, s := range w.Signals {
			if len(s.Evidence) == 0 {
				t.Errorf("%s: signal %s without evidence", w.ID, s.Rule)
			}
			for _, ev := range s.Evidence {
				if ev.String() == "" {
					t.Errorf("%s: signal %s with an empty place", w.ID, s.Rule)
				}
			}
		}
		for _, bl := range w.Blockers {
			if len(bl.Evidence) == 0 || bl.Remediation == "" {
				t.Errorf("%s: blocker %s without evidence or remediation", w.ID, bl.Rule)
			}
		}
	}
	for _, f := range a.Findings {
		if f.Rule == "FIND-SECRET" && (f.Evidence.Excerpt != "" || f.Evidence.Value != "") {
			t.Errorf("secret finding carries text beyond its place: %+v", f.Evidence)
		}
	}
}

func BenchmarkDemo(b *testing.B) {
	for b.Loop() {
		demoAssessment(b)
	}
}

// TestVersion1SnapshotJudgedAsFresh loads a snapshot of the demo written by whyk8s before
// facts had typed fields (schema version 1: a kind and a line of text per fact) and holds
// its judgement to that of the demo gathered fresh: the verdict, readiness, and for each
// workload its category, score, confidence, signals (rule, points, detail), blockers and
// unknowns; and the findings. The upgrade on load must leave a consultant's report as it
// was. The snapshot is read the way assess --snapshot reads it: through the gather
// pipeline, which derives user data scripts and links again with today's readers.
func TestVersion1SnapshotJudgedAsFresh(t *testing.T) {
	res, err := gather.Estate(context.Background(), gather.Sources{Snapshot: "../inventory/testdata/demo-v1.json"})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Estate
	answers, err := ParseAnswers("fixtures/demo/org-answers.yaml", fixtures.DemoAnswers())
	if err != nil {
		t.Fatal(err)
	}
	old, err := Assess(e, answers, DefaultConfig(), Meta{Now: fixtures.DemoTime, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fresh := demoAssessment(t)
	judgement := func(a *Assessment) string {
		j := struct {
			Verdict   Verdict
			Readiness Readiness
			Workloads []Workload
			Findings  []Finding
		}{a.Verdict, a.Readiness, a.Workloads, a.Findings}
		b, err := json.MarshalIndent(j, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if len(fresh.Workloads) == 0 || len(fresh.Findings) == 0 {
		t.Fatal("the demo judges nothing: the comparison would prove nothing")
	}
	if got, want := judgement(old), judgement(fresh); got != want {
		t.Errorf("a version-1 snapshot is judged differently from the same estate gathered fresh:\n%s", lineDiff(got, want))
	}
}

// lineDiff shows the first lines where got and want part.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			lo := max(i-3, 0)
			return fmt.Sprintf("line %d\n  v1:    %s\n  fresh: %s\ncontext:\n%s", i+1, g[i], w[i], strings.Join(w[lo:min(i+4, len(w))], "\n"))
		}
	}
	return fmt.Sprintf("lengths differ: %d lines from v1, %d fresh", len(g), len(w))
}
