package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A new user's first run: manifests for the demo, a folder per candidate, an index saying
// why the others have none; run again, the same bytes.
func TestManifestsDemo(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "k8s")
	code, stdout, stderr := runIn(t, dir, "manifests", "--demo", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"starter manifests for", "prod-tracking-api-eu-west-1/", "No manifests:", "README.md"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	first := readTree(t, out)
	if _, ok := first["prod-tracking-api-eu-west-1/kustomization.yaml"]; !ok {
		t.Errorf("no kustomization for prod-tracking-api among %d files", len(first))
	}
	if !strings.Contains(first["README.md"], "prod-billing-iis") {
		t.Error("the index does not say why the Windows workload has no manifests")
	}
	if code, _, stderr := runIn(t, dir, "manifests", "--demo", "--out", out); code != exitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	second := readTree(t, out)
	if len(first) != len(second) {
		t.Fatal("a second run wrote other files")
	}
	for name, data := range first {
		if second[name] != data {
			t.Errorf("%s differs between two runs", name)
		}
	}

	// --format json is the outcome per workload; --route ingress writes Ingresses.
	ing := filepath.Join(dir, "ing")
	code, stdout, stderr = runIn(t, dir, "manifests", "--demo", "--out", ing, "--route", "ingress", "--format", "json")
	if code != exitOK {
		t.Fatalf("--route ingress: exit %d: %s", code, stderr)
	}
	var got struct {
		Dir       string `json:"dir"`
		Workloads []struct {
			Workload, Folder, Shape, Why string
		} `json:"workloads"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || len(got.Workloads) == 0 {
		t.Fatalf("--format json: %v\n%s", err, stdout)
	}
	if _, err := os.Stat(filepath.Join(ing, "prod-tracking-api-eu-west-1", "ingress.yaml")); err != nil {
		t.Errorf("--route ingress: %v", err)
	}
}

func TestManifestsBadInput(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runIn(t, dir, "manifests", "--demo", "--out", filepath.Join(dir, "x"), "--route", "nginx"); code != exitUsage || !strings.Contains(stderr, "nginx") {
		t.Errorf("--route nginx: exit %d, %q; want 2 naming it", code, stderr)
	}
	// A folder of someone else's files is not written into.
	mine := filepath.Join(dir, "mine")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("keep"), 0o644)
	if code, _, stderr := runIn(t, dir, "manifests", "--demo", "--out", mine); code != exitUsage || !strings.Contains(stderr, "did not write") {
		t.Errorf("foreign folder: exit %d, %q; want 2", code, stderr)
	}
}

// assess --manifests writes the same manifests beside the report.
func TestAssessWritesManifests(t *testing.T) {
	dir := t.TempDir()
	k8s := filepath.Join(dir, "k8s")
	code, stdout, stderr := runIn(t, dir, "assess", "--demo", "--out", filepath.Join(dir, "r"), "--format", "json", "--manifests", k8s)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, filepath.ToSlash(filepath.Join(k8s, "README.md"))) {
		t.Errorf("summary does not name the manifests:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(k8s, "staging-tracking-api", "hpa.yaml")); err != nil {
		t.Error(err)
	}
	// The Markdown report links each workload to its folder, relative to the report.
	code, _, stderr = runIn(t, dir, "assess", "--demo", "--out", filepath.Join(dir, "r"), "--format", "md", "--manifests", k8s)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "r", "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"### Starter Kubernetes manifests", "(../k8s/staging-tracking-api/README.md)", "(../k8s/README.md)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// readTree reads every file under dir, by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
