package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"whyk8s/assess"
	"whyk8s/inventory"
	"whyk8s/report"
)

func TestPrintFormats(t *testing.T) {
	// Text is the documented default; json and md are documented too. A format added later
	// joins them.
	formats := report.PrintFormats()
	if len(formats) == 0 || formats[0] != "text" || !slices.Contains(formats, "json") || !slices.Contains(formats, "md") {
		t.Errorf("PrintFormats() = %v, want text first (the default), json and md", formats)
	}
	for _, f := range report.PrintFormats() {
		if err := report.CheckPrintFormat(f); err != nil {
			t.Errorf("CheckPrintFormat(%q) = %v", f, err)
		}
	}
	err := report.CheckPrintFormat("xml")
	if !errors.Is(err, report.ErrBadOption) || !strings.Contains(err.Error(), `"xml"`) || !strings.Contains(err.Error(), strings.Join(formats, ", ")) {
		t.Errorf("CheckPrintFormat(xml) = %v, want ErrBadOption naming it and the valid formats", err)
	}
	var buf bytes.Buffer
	for name, write := range map[string]func() error{
		"scan": func() error {
			return report.WriteScan(&buf, report.NewScan(nil, nil, inventory.ScriptStats{}, false), "xml")
		},
		"rules":   func() error { return report.WriteRules(&buf, assess.NewCatalogue().Rules(), "xml") },
		"changes": func() error { return report.WriteChanges(&buf, report.Sample(), "xml") },
	} {
		if err := write(); !errors.Is(err, report.ErrBadOption) {
			t.Errorf("%s in an unknown format: %v, want ErrBadOption", name, err)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("an unknown format printed %q", buf.String())
	}
}

// 'whyk8s rules --format json' is for scripts: every field of every rule is there, under
// a key that is always present, so that a script can tell a finding rule from a fit rule.
func TestRulesJSONCarriesEveryField(t *testing.T) {
	rules := assess.NewCatalogue().Rules()
	var buf bytes.Buffer
	if err := report.WriteRules(&buf, rules, "json"); err != nil {
		t.Fatal(err)
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatalf("rules --format json does not parse: %v", err)
	}
	var got []struct {
		ID, Title, Dimension, Direction, Severity, BlockerEffort, Rationale, Remediation, Kubernetes string
		Weight                                                                                       float64
		Cap                                                                                          int
		Keep                                                                                         bool
		Facts, Resources                                                                             []string
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rules) {
		t.Fatalf("%d rules printed, the catalogue has %d", len(got), len(rules))
	}
	keys := []string{"id", "title", "dimension", "direction", "weight", "severity", "cap", "blockerEffort", "keep", "facts", "resources", "rationale", "remediation", "kubernetes"}
	findings, fits := 0, 0
	for i, r := range rules {
		for _, k := range keys {
			if _, ok := raw[i][k]; !ok {
				t.Errorf("%s: no %q key", r.ID, k)
			}
		}
		if len(raw[i]) != len(keys) {
			t.Errorf("%s: %d keys, want the %d documented", r.ID, len(raw[i]), len(keys))
		}
		if string(raw[i]["facts"]) == "null" || string(raw[i]["resources"]) == "null" {
			t.Errorf("%s: facts or resources is null; a rule that reads none has []", r.ID)
		}
		g := got[i]
		facts, resources := []string{}, r.Resources()
		for _, k := range r.Facts {
			facts = append(facts, k.String())
		}
		if resources == nil {
			resources = []string{}
		}
		if g.ID != r.ID || g.Title != r.Title || g.Dimension != r.Dimension || g.Direction != r.Direction || g.Weight != r.Weight ||
			g.Severity != r.Severity || g.Cap != r.Cap || g.BlockerEffort != r.Blocker || g.Keep != r.Keep || !reflect.DeepEqual(g.Facts, facts) || !reflect.DeepEqual(g.Resources, resources) ||
			g.Rationale != r.Rationale || g.Remediation != r.Remediation || g.Kubernetes != r.Kubernetes {
			t.Errorf("%s printed as %+v, the catalogue says %+v", r.ID, g, r)
		}
		switch g.Direction {
		case assess.DirFinding:
			findings++
			if g.Severity == "" || g.Dimension != "" {
				t.Errorf("finding rule %s: severity %q, dimension %q; want a severity and no dimension", g.ID, g.Severity, g.Dimension)
			}
		case assess.DirHelps, assess.DirHurts, assess.DirBonus:
			fits++
			if g.Severity != "" || g.Dimension == "" {
				t.Errorf("fit rule %s: severity %q, dimension %q; want a dimension and no severity", g.ID, g.Severity, g.Dimension)
			}
		default:
			t.Errorf("%s: direction %q", g.ID, g.Direction)
		}
	}
	if findings == 0 || fits == 0 {
		t.Errorf("%d finding rules and %d fit rules: a script could not tell them apart", findings, fits)
	}
}

// sampleScan has what a real scan prints: a finding, a secret (no excerpt), a fact no rule
// uses, a file that could not be read, a reference not followed and a script in a language
// not read, with characters that Markdown must escape.
func sampleScan(all bool) *report.Scan {
	findings := []assess.ScanFinding{
		{Rule: "FIND-S3FS", Title: "S3 bucket mounted with a FUSE filesystem", AlsoRules: []string{"FIT-S3FS-MOUNT"}, Kind: "s3-fuse-mount",
			Detail: "/mnt/data (s3fs my|bucket)", File: "ansible/roles/app/tasks/main.yml", Line: 12, Excerpt: "shell: s3fs my|bucket /mnt/data -o `opts`"},
		{Rule: "FIND-SECRET", Title: "Secret in plain text", AlsoRules: []string{"FIT-PLAINTEXT-SECRET"}, Kind: "secret", Detail: "password", File: "userdata/web.sh", Line: 3},
		{Title: "Package installed", AlsoRules: []string{}, Kind: "package", Detail: "nginx", File: "userdata/web.sh", Line: 5, Excerpt: "yum install -y nginx"},
		{Rule: "FIT-STICKY-SESSIONS", Title: "Sticky sessions on a target group", AlsoRules: []string{}, Kind: "target-group-stickiness",
			Detail: "target group web, lb_cookie", File: "terraform/lb.tf", Line: 31},
	}
	problems := []inventory.CoverageGap{
		{Path: "ansible/site.yml", Line: 6, Kind: inventory.GapNotFound, Message: `role "missing" is not under the scanned folders`},
		{Path: "packer/web.pkr.hcl", Line: 4, Kind: inventory.GapParse, Message: "not valid Packer HCL: Unclosed configuration block"},
		{Path: "terraform/asg.tf", Line: 12, Kind: inventory.GapUnresolved, Message: "aws_autoscaling_group.web max_size = var.max: variable max has no value"},
		{Path: "orders/appspec.yml", Line: 7, Kind: inventory.GapNotRead, Message: `codedeploy hook AfterInstall runs "orders/scripts/migrate.py", which is a Python script: whyk8s does not read it, so what it does is not known`},
	}
	return report.NewScan(findings, problems, inventory.ScriptStats{FilesSeen: 6, FilesRead: 4, FilesSkipped: 1, FilesFailed: 1, Bytes: 2048}, all)
}

// The scan's three formats are golden: scripts parse the JSON, the README quotes the shape,
// and the text and Markdown are what a consultant pastes into a ticket.
func TestScanGolden(t *testing.T) {
	for _, format := range report.PrintFormats() {
		for _, all := range []bool{false, true} {
			name := "scan." + format
			if all {
				name = "scan-all." + format
			}
			t.Run(name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := report.WriteScan(&buf, sampleScan(all), format); err != nil {
					t.Fatal(err)
				}
				golden(t, name+".golden", buf.Bytes())
			})
		}
	}
}

func TestNewScan(t *testing.T) {
	empty := report.NewScan(nil, nil, inventory.ScriptStats{}, false)
	var buf bytes.Buffer
	if err := report.WriteScan(&buf, empty, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"findings": []`) || !strings.Contains(buf.String(), `"problems": []`) {
		t.Errorf("an empty scan prints null where scripts expect a list:\n%s", buf.String())
	}
	if got := len(sampleScan(false).Findings); got != 3 {
		t.Errorf("without --all the scan lists %d findings, want the 3 a rule uses", got)
	}
	if got := len(sampleScan(true).Findings); got != 4 {
		t.Errorf("with --all the scan lists %d findings, want every fact and construct (4)", got)
	}
}
