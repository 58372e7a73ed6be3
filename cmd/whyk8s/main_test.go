package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"whyk8s/fixtures"
	"whyk8s/report"
)

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

// reportFiles are the files a run writes by default, sorted: one per format registered in
// package report.
func reportFiles(t *testing.T) []string {
	t.Helper()
	files, err := report.Options{}.Files()
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func names(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The README's first command: the whole pipeline on the demo writes every report, prints a
// summary, and a second run gives byte-identical files (scheduled re-runs depend on it).
func TestAssessDemoIsCompleteAndDeterministic(t *testing.T) {
	dir := t.TempDir()
	outA, outB := filepath.Join(dir, "a"), filepath.Join(dir, "b", "nested")
	code, stdout, stderr := runIn(t, dir, "assess", "--demo", "--out", outA)
	if code != exitOK {
		t.Fatalf("assess --demo: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"workloads", "Verdict:", "report.pdf", "assessment.json"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, stderr := runIn(t, "", "assess", "--demo", "--out", outB); code != exitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	a, b := readDir(t, outA), readDir(t, outB)
	want := reportFiles(t)
	if got := names(a); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("files written: %v, want %v", got, want)
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs on the same input", name)
		}
	}

	// Every workload of the demo estate is in every format.
	est, err := fixtures.DemoEstate()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int    `json:"schemaVersion"`
		GeneratedAt   string `json:"generatedAt"`
		Client        string `json:"client"`
		Verdict       struct {
			Decision  string   `json:"decision"`
			Rationale []string `json:"rationale"`
		} `json:"verdict"`
		Workloads []struct {
			ID, Name, Account, Region, Environment string
			Fit                                    struct {
				Score    int    `json:"score"`
				Category string `json:"category"`
			} `json:"fit"`
			Recommendation struct{ Kind string } `json:"recommendation"`
			Signals        []struct {
				Rule     string            `json:"rule"`
				Points   float64           `json:"points"`
				Evidence []json.RawMessage `json:"evidence"`
			} `json:"signals"`
		} `json:"workloads"`
	}
	if err := json.Unmarshal(a["assessment.json"], &doc); err != nil {
		t.Fatalf("assessment.json: %v", err)
	}
	if doc.SchemaVersion != 1 || doc.GeneratedAt != "2026-11-02T09:00:00Z" || doc.Client == "" || doc.Verdict.Decision == "" || len(doc.Verdict.Rationale) == 0 {
		t.Errorf("assessment.json header: schemaVersion=%d generatedAt=%s client=%q decision=%q", doc.SchemaVersion, doc.GeneratedAt, doc.Client, doc.Verdict.Decision)
	}
	if len(doc.Workloads) != len(est.Groups) {
		t.Errorf("assessment.json has %d workloads, the demo estate %d groups", len(doc.Workloads), len(est.Groups))
	}
	for _, w := range doc.Workloads {
		if w.Fit.Category == "" || w.Recommendation.Kind == "" || w.Environment == "" {
			t.Errorf("workload %s lacks category, recommendation or environment: %+v", w.Name, w)
		}
		for _, s := range w.Signals {
			if s.Rule == "" || len(s.Evidence) == 0 {
				t.Errorf("workload %s: a signal without rule or evidence: %+v", w.Name, s)
			}
		}
	}
	for _, g := range est.Groups {
		for _, f := range []string{"report.md", "workloads.csv", "assessment.json"} {
			if !bytes.Contains(a[f], []byte(g.Name)) {
				t.Errorf("%s does not mention workload %s", f, g.Name)
			}
		}
	}
	pdfWords := pdfText(t, a["report.pdf"])
	for _, g := range est.Groups {
		if !strings.Contains(pdfWords, g.Name) {
			t.Errorf("report.pdf does not mention workload %s", g.Name)
		}
	}
}

func TestAssessFormatSubsetAndBadFormat(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r")
	if code, _, stderr := runIn(t, dir, "assess", "--demo", "--out", out, "--format", "md,json"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := strings.Join(names(readDir(t, out)), ","); got != "assessment.json,report.md" {
		t.Errorf("--format md,json wrote %s", got)
	}
	code, _, stderr := runIn(t, "", "assess", "--demo", "--out", filepath.Join(dir, "x"), "--format", "md,docx")
	if code != exitUsage || !strings.Contains(stderr, "docx") {
		t.Errorf("--format docx: exit %d, stderr %q; want exit 2 naming docx", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x", "report.md")); err == nil {
		t.Errorf("a bad --format still wrote files")
	}
}

// A consultant collects on site and assesses later: the snapshot carries everything.
func TestInventorySnapshotThenAssess(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "estate.json")
	code, stdout, stderr := runIn(t, dir, "inventory", "--demo", "--out", snap)
	if code != exitOK {
		t.Fatalf("inventory --demo: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, snap) {
		t.Errorf("inventory summary does not name the file: %s", stdout)
	}
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"schemaVersion": 2`)) {
		t.Errorf("snapshot lacks schemaVersion 2")
	}
	fromSnap, fromDemo := filepath.Join(dir, "s"), filepath.Join(dir, "d")
	if code, _, stderr := runIn(t, "", "assess", "--snapshot", snap, "--answers", writeDemoAnswers(t, dir), "--out", fromSnap, "--format", "json"); code != exitOK {
		t.Fatalf("assess --snapshot: exit %d: %s", code, stderr)
	}
	runIn(t, "", "assess", "--demo", "--out", fromDemo, "--format", "json")
	a, _ := os.ReadFile(filepath.Join(fromSnap, "assessment.json"))
	b, _ := os.ReadFile(filepath.Join(fromDemo, "assessment.json"))
	var ja, jb map[string]any
	json.Unmarshal(a, &ja)
	json.Unmarshal(b, &jb)
	// The source differs (snapshot vs demo, and where the answers file lies); the judgement
	// must not.
	for _, doc := range []map[string]any{ja, jb} {
		delete(doc["readiness"].(map[string]any), "source")
	}
	for _, key := range []string{"workloads", "verdict", "readiness", "findings"} {
		x, _ := json.Marshal(ja[key])
		y, _ := json.Marshal(jb[key])
		if !bytes.Equal(x, y) {
			t.Errorf("assessing the saved snapshot changes %q", key)
		}
	}
}

func writeDemoAnswers(t *testing.T, dir string) string {
	p := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(p, fixtures.DemoAnswers(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadInputExitsTwoAndNamesTheProblem(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	broken := write("broken.json", "{\"schemaVersion\": 1,\n \"collectedAt\": \n")
	future := write("future.json", `{"schemaVersion": 42}`)
	answers := write("answers.yaml", "factors:\n  ORG-NOPE:\n    answer: 3\n")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"assess", "--snapshot", broken}, []string{"broken.json", "malformed JSON"}},
		{[]string{"assess", "--snapshot", future}, []string{"future.json", "schemaVersion 42"}},
		{[]string{"assess", "--snapshot", filepath.Join(dir, "absent.json")}, []string{"absent.json"}},
		{[]string{"assess", "--demo", "--answers", answers}, []string{"answers.yaml", "ORG-NOPE"}},
		{[]string{"assess"}, []string{"--demo"}},
		{[]string{"assess", "--demo", "--snapshot", future}, []string{"one source"}},
		{[]string{"assess", "--demo", "--iac", dir}, []string{"one source"}},
		{[]string{"assess", "--iac", filepath.Join(dir, "no-terraform-here")}, []string{"no-terraform-here"}},
		{[]string{"assess", "--no-such-flag"}, []string{"no-such-flag"}},
		{[]string{"frobnicate"}, []string{"frobnicate"}},
		{[]string{"scan"}, []string{"arg"}},
		{[]string{"rules", "--format", "xml"}, []string{"xml"}},
	} {
		code, _, stderr := runIn(t, "", append(tc.args, "--out", filepath.Join(dir, "out"))...)
		if tc.args[0] == "frobnicate" || tc.args[0] == "scan" || tc.args[0] == "rules" {
			code, _, stderr = runIn(t, "", tc.args...)
		}
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, exitUsage, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr does not name %q:\n%s", tc.args, w, stderr)
			}
		}
		if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
			t.Errorf("%v: stack trace on stderr:\n%s", tc.args, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Errorf("a run that failed on bad input still wrote an output folder")
	}
}

// TestAssessFromInfrastructureCode runs the whole pipeline on Terraform and CloudFormation
// alone, as a consultant does when the accounts cannot be reached: the groups are judged,
// what the code cannot say is listed as unresolved, and nothing is guessed.
func TestAssessFromInfrastructureCode(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795000000")
	dir, again := t.TempDir(), t.TempDir()
	code, stdout, stderr := runIn(t, "", "assess", "--iac", "../../inventory/iac/testdata", "--iac-region", "eu-west-2",
		"--out", dir, "--format", "json,md,pdf")
	// Three fixture files are broken on purpose: groups in them may be missing, so the run
	// is partial, as with a region that could not be read.
	if code != exitPartial || !strings.Contains(stdout, "3 file(s) of infrastructure code could not be read") {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitPartial, stdout, stderr)
	}
	runIn(t, "", "assess", "--iac", "../../inventory/iac/testdata", "--iac-region", "eu-west-2", "--out", again, "--format", "json,md,pdf")
	first, second := readDir(t, dir), readDir(t, again)
	for name, data := range first {
		if !bytes.Equal(data, second[name]) {
			t.Errorf("%s differs between two runs on the same code with SOURCE_DATE_EPOCH set", name)
		}
	}
	if !strings.Contains(stdout, "assessed 6 workloads (") {
		t.Errorf("summary: %s", stdout)
	}
	var a struct {
		Scope     struct{ Source string }
		Workloads []struct {
			Name, Region string
			Signals      []struct{ Rule string }
		}
		Coverage []struct{ Path, Kind, Message string }
	}
	data, err := os.ReadFile(filepath.Join(dir, "assessment.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if a.Scope.Source != "iac" {
		t.Errorf("source %q, want iac", a.Scope.Source)
	}
	regions := map[string]bool{}
	for _, w := range a.Workloads {
		regions[w.Region] = true
	}
	if !regions["eu-west-2"] {
		t.Errorf("--iac-region was not used for the CloudFormation stacks: regions %v", regions)
	}
	unresolved, broken := 0, 0
	for _, g := range a.Coverage {
		switch g.Kind {
		case "unresolved":
			unresolved++
		case "parse-error":
			broken++
		}
	}
	if unresolved == 0 || broken != 3 {
		t.Errorf("coverage: %d unresolved, %d parse errors (want some, and the 3 broken fixtures)", unresolved, broken)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if !strings.Contains(string(md), "envs/prod/broken.tf") || !strings.Contains(string(md), "no default or tfvars value") {
		t.Errorf("report.md does not list what the code could not say")
	}
	// No client was named: the title says nothing rather than end in a colon, and the
	// date is the run's.
	if !strings.HasPrefix(string(md), "# Kubernetes readiness assessment\n") || !bytes.Contains(first["assessment.json"], []byte(`"generatedAt": "2026-11-18T11:06:40Z"`)) {
		t.Errorf("title or date wrong:\n%.200s", md)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runIn(t, "", "version")
	if code != exitOK || !strings.HasPrefix(out, "whyk8s "+version) {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
