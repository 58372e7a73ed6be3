package report_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"whyk8s/assess"
	"whyk8s/report"
)

func sampleWaiver(rule, workload, owner, expires string, line int, expired bool) *assess.Waiver {
	return &assess.Waiver{Rule: rule, Workload: workload, Reason: "Accepted | reviewed by the CAB *quarterly*", Owner: owner,
		Expires: expires, Expired: expired, File: "waivers.yaml", Line: line}
}

// waivedSample is the sample with what a waivers file does to an assessment: orders-api's
// sticky sessions waived (the blocker lifted, the points kept), legacy-billing's Windows
// waiver expired (the blocker counts again), checkout's secret waived, one waiver that
// waives nothing, and a comparison with the run before, where the waivers began and ended.
func waivedSample() *assess.Assessment {
	a := report.Sample()
	byName := map[string]*assess.Workload{}
	for i := range a.Workloads {
		byName[a.Workloads[i].Name] = &a.Workloads[i]
	}
	sticky := sampleWaiver("FIT-STICKY-SESSIONS", "orders-*", "web-platform", "2025-09-30", 2, false)
	windows := sampleWaiver("FIT-WINDOWS", "legacy-billing", "billing-team", "2025-01-31", 7, true)
	secret := sampleWaiver("SEC-SECRET-USERDATA", "checkout-*", "security", "2025-06-30", 12, false)
	unused := sampleWaiver("FIT-HARDCODED-IP", "orders-api", "web-platform", "2025-12-31", 17, false)

	orders := byName["orders-api"]
	for i := range orders.Signals {
		if orders.Signals[i].Rule == "FIT-STICKY-SESSIONS" {
			orders.Signals[i].Waiver = sticky
		}
	}
	orders.WaivedBlockers, orders.Blockers = orders.Blockers, []assess.Blocker{}
	orders.WaivedBlockers[0].Waiver = sticky

	billing := byName["legacy-billing"]
	for i := range billing.Signals {
		if billing.Signals[i].Rule == "FIT-WINDOWS" {
			billing.Signals[i].Waiver = windows
		}
	}
	billing.Blockers[0].Waiver = windows

	f := a.Findings[0]
	f.Waiver = secret
	f.Evidence.Excerpt = "" // assess never keeps a secret's line; the sample does, to test the writers
	a.WaivedFindings = []assess.Finding{f}
	a.Findings = a.Findings[1:]
	a.Waivers = []assess.WaiverStatus{
		{Waiver: *sticky, Workloads: []string{orders.ID}},
		{Waiver: *windows, Workloads: []string{billing.ID}},
		{Waiver: *secret, Workloads: f.Workloads},
		{Waiver: *unused, Workloads: []string{}},
	}

	c := a.Changes
	c.Scores[0].Moves = []assess.RuleMove{{Rule: "FIT-TARGET-TRACKING", From: 0, To: 6}, {Rule: "FIT-STICKY-SESSIONS", From: -13, To: -10, Waiver: assess.MoveWaived}}
	c.Scores[0].Rules = []string{"FIT-TARGET-TRACKING", "FIT-STICKY-SESSIONS"}
	c.BlockersWaived = []assess.WorkloadRule{{Workload: orders.ID, Rule: "FIT-STICKY-SESSIONS", Title: "Sticky sessions", Waiver: sticky}}
	c.BlockersUnwaived = []assess.WorkloadRule{{Workload: billing.ID, Rule: "FIT-WINDOWS", Title: "Windows AMI", Waiver: windows}}
	c.FindingsWaived = []assess.Finding{f}
	c.FindingsUnwaived = []assess.Finding{a.Findings[0]} // its waiver was removed from the file
	return a
}

// onlyIn returns the lines of got that are not lines of base, in order: what the waivers
// add to or change in a report, without the rest of the report around it.
func onlyIn(got, base []byte) []byte {
	seen := map[string]bool{}
	for _, l := range strings.Split(string(base), "\n") {
		seen[l] = true
	}
	var out []string
	for _, l := range strings.Split(string(got), "\n") {
		if !seen[l] {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

func TestWaiversMarkdown(t *testing.T) {
	plain := writeOne(t, report.Sample(), "md", report.Options{})
	md := writeOne(t, waivedSample(), "md", report.Options{})
	golden(t, "waivers.md.golden", onlyIn(md, plain))

	s := string(md)
	for _, want := range []string{
		"- [Waivers](#waivers)",
		"| **[Waivers](#waivers)** | 3 waivers in force: 1 blocker waived on 1 workload, 1 finding waived · 1 waiver expired: what it waived counts again |",
		"**Waived blockers**",
		"**1 waiver has expired: what it waived counts again in this report.**",
		"in force, waives nothing now: can be removed",
		"**Waived findings**",
		// A reason is the team's text: escaped like any other.
		`Accepted \| reviewed by the CAB \*quarterly\*`,
		"waived until 2025-09-30 by web-platform (waivers.yaml:2)",
		"waiver expired on 2025-01-31 (billing-team, waivers.yaml:7): counts again",
		"waiver removed: counts again",
		"; not fixed |",
		"(`FIT-STICKY-SESSIONS` waived)",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report.md does not say %q", want)
		}
	}
	// The waived blocker is no longer among orders-api's blockers to fix.
	section := s[strings.Index(s, "### orders-api (")+1:]
	section = section[:strings.Index(section, "\n### ")]
	if strings.Contains(section, "**Blockers**") {
		t.Errorf("orders-api still lists a blocker to fix:\n%s", section)
	}
	// A secret's value never reaches the report, waived or not.
	if strings.Contains(s, report.SampleSecret) {
		t.Error("a waived finding's secret reached report.md")
	}
}

func TestWaiversJSON(t *testing.T) {
	a := waivedSample()
	data := writeOne(t, a, "json", report.Options{})
	var back assess.Assessment
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, a) {
		t.Error("assessment.json with waivers does not decode back to the assessment it was written from")
	}
	// The waiver-bearing parts, as scripts read them.
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	part := map[string]any{"waivers": doc["waivers"], "waivedFindings": doc["waivedFindings"]}
	var ws []any
	for _, w := range doc["workloads"].([]any) {
		w := w.(map[string]any)
		if w["waivedBlockers"] == nil && !strings.Contains(mustJSON(t, w["blockers"]), "waiver") {
			continue
		}
		ws = append(ws, map[string]any{"id": w["id"], "blockers": w["blockers"], "waivedBlockers": w["waivedBlockers"]})
	}
	part["workloads"] = ws
	changes := doc["changes"].(map[string]any)
	for _, k := range []string{"blockersWaived", "blockersUnwaived", "findingsWaived", "findingsUnwaived"} {
		part["changes."+k] = changes[k]
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(part); err != nil {
		t.Fatal(err)
	}
	golden(t, "waivers.json.golden", buf.Bytes())
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestWaiversChangesText(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteChanges(&buf, waivedSample(), "text"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Blockers waived (not fixed):\n  orders-api (111111111111/eu-west-1): Sticky sessions (FIT-STICKY-SESSIONS); waived until 2025-09-30 by web-platform (waivers.yaml:2)",
		"Blockers counting again:\n  legacy-billing (111111111111/eu-west-1): Windows AMI (FIT-WINDOWS); waiver expired on 2025-01-31 (billing-team, waivers.yaml:7): counts again",
		"Findings waived (not resolved):\n  Secret in user data: AWS secret access key at userdata:launch-template lt-0checkout v12:14; waived until 2025-06-30 by security",
		"Findings counting again:\n  s3fs mount in production",
		"waiver removed: counts again",
		"moved by FIT-TARGET-TRACKING, FIT-STICKY-SESSIONS (FIT-STICKY-SESSIONS waived)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff text does not say %q:\n%s", want, out)
		}
	}
	if fixed := out[strings.Index(out, "Blockers fixed:"):]; strings.Contains(fixed[:strings.Index(fixed, "\n\n")], "Sticky sessions") {
		t.Errorf("a waived blocker is listed as fixed:\n%s", out)
	}
}

func TestWaiversPDF(t *testing.T) {
	// The board report counts waivers; the workload's page names each waived blocker.
	text := squash(renderFormat(t, waivedSample(), "pdf").text() + renderFormat(t, waivedSample(), "workloads-pdf").text())
	for _, want := range []string{
		"Waived:",
		"waiveduntil2025-09-30byweb-platform",
		"waivedsince,notfixed",
		"countagain",
		"Waivers:3waiversinforce",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q", want)
		}
	}
}
