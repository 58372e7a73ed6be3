package manifests

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"whyk8s/assess"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestDemoManifests holds issue 16's measures over the demo: every file validates, scalers
// carry the group's sizes and targets, probes the health check's path and port.
func TestDemoManifests(t *testing.T) {
	a, e := demoInputs(t)
	for _, route := range []string{RouteGateway, RouteIngress} {
		t.Run(route, func(t *testing.T) {
			r := generate(t, a, e, Options{Route: route})
			checkRoles(t, a, r)
			scalers, probes := checkMeasured(t, e, r)
			if scalers == 0 || probes == 0 {
				t.Errorf("the demo has target tracking and HTTP health checks, but %d scalers and %d probes were checked", scalers, probes)
			}
		})
	}
}

// TestDemoShapes pins what the demo's workloads become, by the facts that decide it.
func TestDemoShapes(t *testing.T) {
	a, e := demoInputs(t)
	r := generate(t, a, e, Options{})
	got := map[string]Outcome{}
	for _, o := range r.Workloads {
		got[o.Name+"@"+strings.Split(o.Workload, "/")[1]] = o
	}
	for _, tc := range []struct{ workload, shape, why string }{
		{"prod-tracking-api@eu-west-1", "Deployment + ScaledObject", ""},               // ALB request count per target: a CloudWatch trigger
		{"staging-tracking-api@eu-west-1", "Deployment + HorizontalPodAutoscaler", ""}, // CPU target tracking
		{"dev-tracking-api@eu-west-1", "Deployment + ScaledObject", ""},                // scheduled down to zero at night
		{"staging-dispatch-worker@eu-west-1", "Deployment + ScaledObject", "worker"},
		{"prod-route-optimiser-gpu@eu-west-1", "CronJob", "schedule"},
		{"dev-route-optimiser@eu-central-1", "Job", "batch"},
		{"edi-gateway-prod-asg@eu-central-1", "StatefulSet", "kept when an instance terminates"},
		{"prod-search-data@eu-central-1", "", "elasticsearch on port 9200"},
		{"prod-billing-iis@eu-west-1", "", "Windows"},
		{"asg-euc1-legacy-03@eu-central-1", "", "Insufficient data"},
	} {
		o, ok := got[tc.workload]
		if !ok {
			t.Errorf("%s: not in the result", tc.workload)
			continue
		}
		if !strings.HasPrefix(o.Shape, tc.shape) || (tc.shape == "" && o.Folder != "") {
			t.Errorf("%s: shape %q, want %q", tc.workload, o.Shape, tc.shape)
		}
		if !strings.Contains(o.Why, tc.why) {
			t.Errorf("%s: why %q, want it to say %q", tc.workload, o.Why, tc.why)
		}
	}
}

// TestGolden pins three demo folders whole — a web service with a ScaledObject, a stateful
// gateway behind a network load balancer, a scheduled GPU batch — so that a change to what
// a person reads is a reviewed diff: go test ./manifests -run Golden -update && git diff.
func TestGolden(t *testing.T) {
	a, e := demoInputs(t)
	r := generate(t, a, e, Options{})
	folders := map[string]bool{"prod-tracking-api-eu-west-1": true, "edi-gateway-prod-asg": true, "prod-route-optimiser-gpu": true}
	n := 0
	for _, f := range r.Files {
		folder, _, _ := strings.Cut(f.Path, "/")
		if !folders[folder] && f.Path != "README.md" {
			continue
		}
		n++
		golden := filepath.Join("testdata", "demo", filepath.FromSlash(f.Path))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(f.Data, want) {
			t.Errorf("%s differs from %s (run with -update and review the diff)", f.Path, golden)
		}
	}
	if n < 10 {
		t.Errorf("only %d golden files compared", n)
	}
}

// TestDeterministic: the same input gives the same bytes, whatever order the estate and
// assessment list things in.
func TestDeterministic(t *testing.T) {
	a, e := demoInputs(t)
	r1 := generate(t, a, e, Options{})
	// Reverse the assessment's workloads and the estate's lists.
	for i, j := 0, len(a.Workloads)-1; i < j; i, j = i+1, j-1 {
		a.Workloads[i], a.Workloads[j] = a.Workloads[j], a.Workloads[i]
	}
	for i, j := 0, len(e.TargetGroups)-1; i < j; i, j = i+1, j-1 {
		e.TargetGroups[i], e.TargetGroups[j] = e.TargetGroups[j], e.TargetGroups[i]
	}
	for i, j := 0, len(e.Scripts)-1; i < j; i, j = i+1, j-1 {
		e.Scripts[i], e.Scripts[j] = e.Scripts[j], e.Scripts[i]
	}
	r2 := generate(t, a, e, Options{})
	if len(r1.Files) != len(r2.Files) {
		t.Fatalf("%d files, then %d", len(r1.Files), len(r2.Files))
	}
	for i := range r1.Files {
		if r1.Files[i].Path != r2.Files[i].Path || !bytes.Equal(r1.Files[i].Data, r2.Files[i].Data) {
			t.Errorf("%s differs between two runs", r1.Files[i].Path)
		}
	}
}

// TestNoSecretsInOutput: the demo's scripts hold passwords, keys and a private key; the
// manifests name their places and kinds only.
func TestNoSecretsInOutput(t *testing.T) {
	a, e := demoInputs(t)
	r := generate(t, a, e, Options{})
	leak := regexp.MustCompile(`redacted|BEGIN [A-Z ]*PRIVATE KEY|AKIA[0-9A-Z]{16}`)
	secrets := 0
	for _, f := range r.Files {
		if m := leak.Find(f.Data); m != nil {
			t.Errorf("%s holds %q", f.Path, m)
		}
		if strings.HasSuffix(f.Path, "externalsecret.yaml") {
			secrets++
		}
	}
	if secrets == 0 {
		t.Error("the demo's secrets gave no ExternalSecret")
	}
}

// TestPlaceholdersListed: every FILL-IN in a folder's files is listed, with its line, in the
// folder's README, so the engineer finishing it has one list to work through.
func TestPlaceholdersListed(t *testing.T) {
	a, e := demoInputs(t)
	r := generate(t, a, e, Options{})
	readmes := map[string]string{}
	for _, f := range r.Files {
		if strings.HasSuffix(f.Path, "/README.md") {
			readmes[filepath.Dir(f.Path)] = string(f.Data)
		}
	}
	for _, f := range r.Files {
		if !strings.HasSuffix(f.Path, ".yaml") {
			continue
		}
		dir, file := filepath.Dir(f.Path), filepath.Base(f.Path)
		for i, line := range strings.Split(string(f.Data), "\n") {
			if !strings.Contains(line, Placeholder) || strings.Contains(line, "#") {
				continue
			}
			// The README lists the field's line, which for a list item is the dash's line
			// or the key's; accept the line or the one of its key just above.
			if !strings.Contains(readmes[dir], "`"+file+":"+itoa(i+1)+"`") && !strings.Contains(readmes[dir], "`"+file+":"+itoa(i)+"`") {
				t.Errorf("%s:%d holds %s but the README does not list it", f.Path, i+1, Placeholder)
			}
		}
	}
}

// TestRulesExist: every rule an annotation names is in the catalogue.
func TestRulesExist(t *testing.T) {
	a, e := demoInputs(t)
	r := generate(t, a, e, Options{})
	known := map[string]bool{}
	for _, rule := range assess.NewCatalogue().Rules() {
		known[rule.ID] = true
	}
	ruleRE := regexp.MustCompile(`\b(FIT|FIND)-[A-Z0-9-]+`)
	for _, f := range r.Files {
		for _, m := range ruleRE.FindAll(f.Data, -1) {
			if !known[string(m)] {
				t.Errorf("%s names rule %s, which the catalogue does not have", f.Path, m)
			}
		}
	}
}

func TestWrite(t *testing.T) {
	a, e := demoInputs(t)
	r := generate(t, a, e, Options{})
	dir := filepath.Join(t.TempDir(), "k8s")
	if err := Write(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	// A folder left from an earlier run is replaced whole: a stale workload goes.
	stale := filepath.Join(dir, "gone-workload")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale folder still there: %v", err)
	}
	var got []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(got)
	if len(got) != len(r.Files) {
		t.Errorf("%d files written, want %d", len(got), len(r.Files))
	}
	// A folder holding someone else's files is refused, and left as it was.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "deployment.yaml"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), other, r); !errors.Is(err, ErrBadOption) {
		t.Errorf("writing over a folder of other files: %v, want ErrBadOption", err)
	}
	if data, _ := os.ReadFile(filepath.Join(other, "deployment.yaml")); string(data) != "mine" {
		t.Error("the other folder's file was changed")
	}
}

// TestCorpusEstates holds the same measures over the corpus's estates, read from their
// Terraform and CloudFormation as `--iac eNN --scripts eNN --iac-region us-east-1` does.
func TestCorpusEstates(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpus", "estates")
	dirs, _ := filepath.Glob(filepath.Join(root, "e[0-9]*"))
	if len(dirs) == 0 {
		t.Skip("no corpus at ../shared/corpus/estates: the corpus measure runs where the shared folder sits beside the repository")
	}
	if testing.Short() {
		t.Skip("-short: the corpus estates take a while to read")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			a, e := estateInputs(t, dir)
			r := generate(t, a, e, Options{})
			checkRoles(t, a, r)
			scalers, probes := checkMeasured(t, e, r)
			made := 0
			for _, o := range r.Workloads {
				if o.Folder != "" {
					made++
				}
				t.Logf("%s: %s — %s", o.Name, orNone(o.Shape), o.Why)
			}
			t.Logf("%d groups, %d with manifests; %d scalers and %d probes checked", len(r.Workloads), made, scalers, probes)
		})
	}
}

// checkRoles holds what a firmly read role allows: no long-running Deployment for batch
// work, a data store, the nodes of an orchestrator, a bastion or a network appliance.
func checkRoles(t *testing.T, a *assess.Assessment, r *Result) {
	t.Helper()
	noDeployment := map[string]bool{
		assess.RoleBatch: true, assess.RoleDatabase: true, assess.RoleCache: true, assess.RoleSearch: true,
		assess.RoleBroker: true, assess.RoleOrchestrator: true, assess.RoleBastion: true, assess.RoleNetwork: true,
	}
	role := map[string]assess.Role{}
	for _, w := range a.Workloads {
		role[w.ID] = w.Role
	}
	for _, o := range r.Workloads {
		ro := role[o.Workload]
		if ro.Decisive() && noDeployment[ro.Name] && strings.Contains(o.Shape, "Deployment") {
			t.Errorf("%s is a %s (%s confidence) but gets %s", o.Workload, ro.Name, ro.Confidence, o.Shape)
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "no manifests"
	}
	return s
}
