package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"whyk8s/fixtures"
	"whyk8s/inventory"
)

// monthLater is the demo estate a month on: the billing team moved sessions to a shared
// store (stickiness off), a canary tracking API was added, the legacy group was retired,
// and everything else is as it was — the AMIs rebuilt on the same cadence, so no image is
// older than before.
func monthLater(t *testing.T, snap1 string) *inventory.Estate {
	t.Helper()
	e, err := inventory.LoadFile(snap1)
	if err != nil {
		t.Fatal(err)
	}
	month := 30 * 24 * time.Hour
	e.CollectedAt = e.CollectedAt.Add(month)
	for i := range e.Images {
		if ts, err := time.Parse(time.RFC3339, e.Images[i].CreationDate); err == nil {
			e.Images[i].CreationDate = ts.Add(month).Format("2006-01-02T15:04:05.000Z")
		}
	}
	for i := range e.TargetGroups {
		if strings.Contains(e.TargetGroups[i].ARN, "/prod-billing-iis/") {
			e.TargetGroups[i].Attributes["stickiness.enabled"] = "false"
		}
	}
	var kept []inventory.AutoScalingGroup
	for _, g := range e.Groups {
		switch g.Name {
		case "asg-euc1-legacy-03":
			continue // retired
		case "dev-tracking-api":
			canary := g
			canary.Name = "dev-tracking-api-canary"
			canary.ARN = strings.Replace(g.ARN, "dev-tracking-api", "dev-tracking-api-canary", 1)
			kept = append(kept, canary)
		}
		kept = append(kept, g)
	}
	e.Groups = kept
	return e
}

// Issue 7: two runs over an estate changed in between — a blocker fixed, a workload added,
// one removed, a readiness answer raised. The second report's change section and 'whyk8s
// diff' name exactly those changes; --fail-on-regression passes on the improvement and
// fails on the reverse.
func TestReassessmentNamesExactlyWhatMoved(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "history")
	snap1, snap2 := filepath.Join(dir, "estate-1.json"), filepath.Join(dir, "estate-2.json")
	if code, _, stderr := runIn(t, dir, "inventory", "--demo", "--out", snap1); code != exitOK {
		t.Fatalf("inventory: exit %d: %s", code, stderr)
	}
	data, err := inventory.Encode(monthLater(t, snap1))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(snap2, data, 0o644)
	answers1 := filepath.Join(dir, "org-1.yaml")
	answers2 := filepath.Join(dir, "org-2.yaml")
	os.WriteFile(answers1, fixtures.DemoAnswers(), 0o644)
	raised := strings.Replace(string(fixtures.DemoAnswers()), "  ORG-CICD:\n    answer: 2\n", "  ORG-CICD:\n    answer: 3\n", 1)
	if raised == string(fixtures.DemoAnswers()) {
		t.Fatal("the demo answers changed shape: ORG-CICD answer 2 not found")
	}
	os.WriteFile(answers2, []byte(raised), 0o644)

	out1, out2 := filepath.Join(dir, "r1"), filepath.Join(dir, "r2")
	if code, _, stderr := runIn(t, "", "assess", "--snapshot", snap1, "--answers", answers1, "--history", hist, "--out", out1); code != exitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runIn(t, "", "assess", "--snapshot", snap2, "--answers", answers2, "--history", hist, "--out", out2, "--fail-on-regression")
	if code != exitOK {
		t.Fatalf("second run (an improvement) with --fail-on-regression: exit %d\n%s\n%s", code, stdout, stderr)
	}
	stored, _ := os.ReadDir(hist)
	if len(stored) != 2 {
		t.Errorf("history holds %d files after two runs, want 2", len(stored))
	}

	// What the second run's assessment says changed.
	var second struct {
		Changes struct {
			WorkloadsAdded   []string `json:"workloadsAdded"`
			WorkloadsRemoved []string `json:"workloadsRemoved"`
			Scores           []struct {
				Workload string   `json:"workload"`
				Rules    []string `json:"rules"`
			} `json:"scores"`
			BlockersFixed []struct{ Workload, Rule string } `json:"blockersFixed"`
			BlockersNew   []struct{ Workload, Rule string } `json:"blockersNew"`
			FindingsNew   []json.RawMessage                 `json:"findingsNew"`
			Resolved      []json.RawMessage                 `json:"findingsResolved"`
			Factors       []struct{ ID string }             `json:"factors"`
			VerdictTo     string                            `json:"verdictTo"`
			ReadinessFrom int                               `json:"readinessFrom"`
			ReadinessTo   int                               `json:"readinessTo"`
		} `json:"changes"`
		Trend []json.RawMessage `json:"trend"`
	}
	raw, _ := os.ReadFile(filepath.Join(out2, "assessment.json"))
	if err := json.Unmarshal(raw, &second); err != nil {
		t.Fatal(err)
	}
	c := second.Changes
	billing := "418273659012/eu-west-1/prod-billing-iis"
	check := func(what string, got, want []string) {
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	check("workloads added", c.WorkloadsAdded, []string{"730516284937/eu-west-1/dev-tracking-api-canary"})
	check("workloads removed", c.WorkloadsRemoved, []string{"730516284937/eu-central-1/asg-euc1-legacy-03"})
	var fixed, added, scored, factors []string
	for _, b := range c.BlockersFixed {
		fixed = append(fixed, b.Workload+" "+b.Rule)
	}
	for _, b := range c.BlockersNew {
		added = append(added, b.Workload+" "+b.Rule)
	}
	for _, s := range c.Scores {
		scored = append(scored, s.Workload+" "+strings.Join(s.Rules, "+"))
	}
	for _, f := range c.Factors {
		factors = append(factors, f.ID)
	}
	check("blockers fixed", fixed, []string{billing + " FIT-STICKY-SESSIONS"})
	check("new blockers", added, nil)
	// The billing group's score may not move at all (the Windows rule caps it), but nothing
	// else may move anyone's score.
	for _, s := range scored {
		if s != billing+" FIT-STICKY-SESSIONS" {
			t.Errorf("a score moved that nothing changed: %s", s)
		}
	}
	check("readiness answers changed", factors, []string{"ORG-CICD"})
	if len(c.FindingsNew) != 0 || len(c.Resolved) != 0 {
		t.Errorf("findings changed although no finding did: new %d, resolved %d", len(c.FindingsNew), len(c.Resolved))
	}
	if c.ReadinessTo <= c.ReadinessFrom {
		t.Errorf("readiness %d → %d after raising an answer", c.ReadinessFrom, c.ReadinessTo)
	}
	if len(second.Trend) != 2 {
		t.Errorf("trend has %d points after two runs, want 2", len(second.Trend))
	}
	md, _ := os.ReadFile(filepath.Join(out2, "report.md"))
	for _, want := range []string{"## Changes since 2 November 2026", "dev-tracking-api-canary", "asg-euc1-legacy-03", "FIT-STICKY-SESSIONS", "ORG-CICD"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md's change section lacks %q", want)
		}
	}

	// whyk8s diff prints the same comparison, and judges the reverse a regression.
	a1, a2 := filepath.Join(out1, "assessment.json"), filepath.Join(out2, "assessment.json")
	code, diffOut, stderr := runIn(t, "", "diff", a1, a2, "--format", "json")
	if code != exitOK {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	var fromDiff, fromReport map[string]any
	json.Unmarshal([]byte(diffOut), &fromDiff)
	var whole map[string]any
	json.Unmarshal(raw, &whole)
	fromReport = whole["changes"].(map[string]any)
	x, _ := json.Marshal(fromDiff)
	y, _ := json.Marshal(fromReport)
	if string(x) != string(y) {
		t.Errorf("'whyk8s diff' and the report's change section disagree:\n%s\n%s", x, y)
	}
	if code, out, _ := runIn(t, "", "diff", a1, a2, "--fail-on-regression"); code != exitOK || !strings.Contains(out, "FIT-STICKY-SESSIONS") {
		t.Errorf("diff of an improvement with --fail-on-regression: exit %d\n%s", code, out)
	}
	if code, _, stderr := runIn(t, "", "diff", a2, a1, "--fail-on-regression"); code != exitPartial || !strings.Contains(stderr, "regressed") {
		t.Errorf("diff of a regression with --fail-on-regression: exit %d, want %d\n%s", code, exitPartial, stderr)
	}
	if code, _, stderr := runIn(t, "", "diff", a1, snap1); code != exitUsage || !strings.Contains(stderr, "estate-1.json") {
		t.Errorf("diff against a snapshot (not an assessment): exit %d, want %d\n%s", code, exitUsage, stderr)
	}
}

// The history is written before the reports are put in place: when it cannot be written,
// the run fails and the folder keeps last run's reports, rather than new reports beside a
// history that does not know them.
func TestHistoryFailureKeepsThePreviousReports(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report")
	if code, _, stderr := runIn(t, dir, "assess", "--demo", "--client", "Last Month Ltd", "--out", out); code != exitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before := readDir(t, out)
	notAFolder := filepath.Join(dir, "history")
	if err := os.WriteFile(notAFolder, []byte("a file where the history folder should be"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runIn(t, dir, "assess", "--demo", "--client", "This Month Ltd", "--out", out, "--history", notAFolder)
	if code == exitOK || !strings.Contains(stderr, "history") {
		t.Fatalf("a history that cannot be written: exit %d, stderr %q; want a failure naming the history", code, stderr)
	}
	after := readDir(t, out)
	if strings.Join(names(after), ",") != strings.Join(names(before), ",") {
		t.Fatalf("the report folder holds %v, want last run's %v", names(after), names(before))
	}
	for name, data := range after {
		if string(data) != string(before[name]) {
			t.Errorf("%s was replaced although the history could not be written", name)
		}
	}
	if md := string(after["report.md"]); !strings.Contains(md, "Last Month Ltd") || strings.Contains(md, "This Month Ltd") {
		t.Error("report.md is not last run's")
	}
}
