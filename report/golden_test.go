package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"whyk8s/assess"
	"whyk8s/inventory"
	"whyk8s/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gotPath := filepath.Join(t.TempDir(), name)
		os.WriteFile(gotPath, got, 0o644)
		t.Errorf("%s differs from the golden file: diff %s %s (run go test -update if the change is intended)", name, path, gotPath)
	}
}

// writeOne renders one format of a and returns the file's bytes.
func writeOne(t *testing.T, a *assess.Assessment, format string, opts report.Options) []byte {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	opts.Formats = []string{format}
	paths, err := report.Write(context.Background(), a, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 {
		t.Fatalf("Write returned %v, want one path", paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Minimal is the smallest assessment a run can produce: no workloads, no answers, no
// history. Every section must still say something true.
func minimal() *assess.Assessment {
	return &assess.Assessment{
		SchemaVersion: assess.SchemaVersion,
		GeneratedAt:   time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC),
		ToolVersion:   "0.4.0",
		Client:        "Empty Estate Ltd",
		Scope: assess.Scope{Source: "snapshot", Accounts: []string{"999999999999"}, Regions: []string{"eu-west-1"},
			NotRead: []string{"EC2 instances outside Auto Scaling groups", "listener rules (host and path routing)"}},
		Verdict: assess.Verdict{Decision: assess.DecisionStay, Title: "Stay on ASG + ELB",
			Rationale: []string{"No Auto Scaling group was found in scope, so there is nothing to move."}},
		Summary: assess.Summary{ByCategory: []assess.CategoryCount{
			{Category: assess.CategoryExcellent}, {Category: assess.CategoryGood}, {Category: assess.CategoryMinorWork},
			{Category: assess.CategoryMajorWork}, {Category: assess.CategoryPoor}, {Category: assess.CategoryInsufficient},
		}},
		Methodology: assess.Methodology{Thresholds: assess.DefaultThresholds},
	}
}

func TestMarkdownGolden(t *testing.T) {
	tests := []struct {
		golden string
		a      *assess.Assessment
	}{
		{"sample.md.golden", report.Sample()},
		{"minimal.md.golden", minimal()},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			golden(t, tt.golden, writeOne(t, tt.a, "md", report.Options{}))
		})
	}
}

func TestJSONGolden(t *testing.T) {
	a := report.Sample()
	data := writeOne(t, a, "json", report.Options{})
	golden(t, "sample.json.golden", data)
	if !bytes.HasSuffix(data, []byte("}\n")) {
		t.Error("assessment.json does not end with a newline")
	}
	if !bytes.Contains(data, []byte(`"name": "Zürich-Ölhafen"`)) || bytes.Contains(data, []byte(`\u003e`)) {
		t.Error("assessment.json escapes text it should leave readable")
	}
	// It is the contract for history and diff: it must read back to the same value.
	var back assess.Assessment
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, a) {
		t.Error("assessment.json does not decode back to the assessment it was written from")
	}
}

func TestMarkdownSaysWhatIsUnknown(t *testing.T) {
	md := string(writeOne(t, minimal(), "md", report.Options{}))
	for _, s := range []string{
		"Organisational readiness was **not assessed**",
		"No Auto Scaling group was found in scope.",
		"Every account, region and file in scope was read.",
		"Not read by design, so not judged here: EC2 instances outside Auto Scaling groups",
		"No findings.",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("the minimal report does not say %q", s)
		}
	}
	// Nothing judged: an average of no scores is not a score of zero.
	none := report.Sample()
	for i := range none.Summary.ByCategory {
		if none.Summary.ByCategory[i].Category == assess.CategoryInsufficient {
			none.Summary.ByCategory[i].Count = len(none.Workloads)
		} else {
			none.Summary.ByCategory[i].Count = 0
		}
	}
	none.Summary.AverageScore = 0
	if md := string(writeOne(t, none, "md", report.Options{})); !strings.Contains(md, "7 assessed · none could be judged ·") {
		t.Error("with no workload judged, the summary still shows an average fit")
	}
	sample := string(writeOne(t, report.Sample(), "md", report.Options{}))
	for _, s := range []string{"| Process model | 10 | unknown | no evidence |", "| Portability need (`ORG-PORTABILITY`) | 0.5 | not answered |"} {
		if !strings.Contains(sample, s) {
			t.Errorf("the sample report does not show an unknown as unknown: missing %q", s)
		}
	}
}

// TestReportsNeverShowSecretValues puts a secret where a careless writer would print it:
// the excerpt of one finding's evidence (Sample) and the API field value of another, new
// since the last run. The human-readable reports name the kind and the place only.
func TestReportsNeverShowSecretValues(t *testing.T) {
	a := report.Sample()
	leak := assess.Finding{Rule: "SEC-SECRET-USERDATA", Severity: "critical", Title: "Secret in user data", Detail: "GitHub token",
		Evidence: inventory.Evidence{ARN: "launch-template lt-0checkout v12", Field: "LaunchTemplateData.UserData", Value: report.SampleSecret}}
	a.Findings = append(a.Findings, leak)
	a.Changes.FindingsNew = append(a.Changes.FindingsNew, leak)
	for _, format := range []string{"md", "csv"} {
		out := writeOne(t, a, format, report.Options{})
		if bytes.Contains(out, []byte(report.SampleSecret)) {
			t.Errorf("the %s report contains a secret value", format)
		}
	}
	md := string(writeOne(t, a, "md", report.Options{}))
	if !strings.Contains(md, "`launch-template lt-0checkout v12 LaunchTemplateData.UserData`") {
		t.Error("the finding's place is not named")
	}
	p := renderPDF(t, a, report.Options{})
	if strings.Contains(squash(p.text()), report.SampleSecret) || bytes.Contains(p.raw, []byte(report.SampleSecret)) {
		t.Error("the PDF contains a secret value")
	}
}

func TestMarkdownEscapesClientText(t *testing.T) {
	a := report.Sample()
	a.Workloads[0].Name = "orders|api\nsecond <b>line</b>"
	a.Workloads[0].Recommendation.Text = "Use *this* and [that](http://example.com)"
	md := string(writeOne(t, a, "md", report.Options{}))
	for _, s := range []string{
		`orders\|api second &lt;b&gt;line&lt;/b&gt;`,
		`Use \*this\* and \[that\](http://example.com)`,
	} {
		if !strings.Contains(md, s) {
			t.Errorf("the report does not contain the escaped text %q", s)
		}
	}
	found := false
	for _, line := range strings.Split(md, "\n") {
		overview := strings.HasPrefix(line, "| 1 | [orders\\|api") && strings.Contains(line, "| production | 111111111111/eu-west-1 |")
		if overview && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 11 {
			t.Errorf("the overview row for the renamed workload has the wrong number of cells: %s", line)
		}
		found = found || overview
	}
	if !found {
		t.Error("no overview row for the renamed workload")
	}
}

func TestMarkdownCondensesLargeEstates(t *testing.T) {
	a := report.Synthetic(60)
	md := string(writeOne(t, a, "md", report.Options{}))
	if !strings.Contains(md, "### Workloads ready to move") || !strings.Contains(md, "This estate has 60 workloads.") {
		t.Fatal("a 60-workload report has no condensed table, or does not say why")
	}
	for _, wl := range a.Workloads {
		heading := "### " + wl.Name + " ("
		switch wl.Fit.Category {
		case assess.CategoryExcellent:
			if strings.Contains(md, heading) {
				t.Errorf("Excellent-fit workload %s still has a section", wl.Name)
			}
		case assess.CategoryPoor:
			if !strings.Contains(md, heading) {
				t.Errorf("Poor-fit workload %s lost its section", wl.Name)
			}
		}
	}
}

func TestMarkdownTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "brief.md.tmpl")
	if err := os.WriteFile(tmpl, []byte("# {{.Client}}: {{.Verdict.Title}}\n{{range .Rows}}- {{cell .Name}} {{.Fit.Score}}\n{{end}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := string(writeOne(t, report.Sample(), "md", report.Options{Template: tmpl}))
	if !strings.HasPrefix(got, "# Acme Logistics: Start with dev, test and pre-production\n- orders-api 72\n") {
		t.Errorf("the custom template was not used:\n%s", got)
	}

	bad := filepath.Join(dir, "bad.md.tmpl")
	if err := os.WriteFile(bad, []byte("# ok\n{{range .Rows}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	paths, err := report.Write(context.Background(), report.Sample(), report.Options{Dir: out, Template: bad})
	if err == nil || !strings.Contains(err.Error(), bad+":2") {
		t.Errorf("a template that does not parse gave error %v, want one naming %s:2", err, bad)
	}
	if !errors.Is(err, report.ErrBadOption) {
		t.Errorf("the template error is not ErrBadOption: %v", err)
	}
	if got := readDir(t, out); !reflect.DeepEqual(got, every(t, "", "report.md")) || len(paths) != len(got) {
		t.Errorf("with a bad template the folder holds %v; want every report but the Markdown one", got)
	}
}
