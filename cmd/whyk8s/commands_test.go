package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// The questionnaire a consultant fills in with the client: written once, never overwritten
// by accident, and readable as answers as it comes (every factor unknown).
func TestQuestionnaireRoundTrip(t *testing.T) {
	dir := t.TempDir()
	org := filepath.Join(dir, "org.yaml")
	code, out, stderr := runIn(t, dir, "questionnaire", "--out", org)
	if code != exitOK || !strings.Contains(out, org) {
		t.Fatalf("questionnaire: exit %d: %s %s", code, out, stderr)
	}
	data, err := os.ReadFile(org)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"ORG-LEADTIME", "ORG-DEVOPS", "ORG-CICD", "ORG-OPS", "ORG-PLATFORM", "ORG-WORKLOADS", "ORG-PORTABILITY", "ORG-OBSERVABILITY", "ORG-CHURN", "ORG-SCALE", "ORG-EXPERIMENT", "ORG-STATUSQUO"} {
		if !strings.Contains(string(data), id) {
			t.Errorf("the questionnaire lacks factor %s", id)
		}
	}
	os.WriteFile(org, append(data, []byte("# the client's notes\n")...), 0o644)
	if code, _, stderr := runIn(t, "", "questionnaire", "--out", org); code != exitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("questionnaire over an existing file: exit %d, %q; want exit 2 suggesting --force", code, stderr)
	}
	if now, _ := os.ReadFile(org); !strings.Contains(string(now), "the client's notes") {
		t.Errorf("the existing answers file was overwritten")
	}

	// The blank template is valid answers: every factor unknown, readiness not invented.
	out2 := filepath.Join(dir, "r")
	if code, _, stderr := runIn(t, "", "assess", "--demo", "--answers", org, "--out", out2, "--format", "json"); code != exitOK {
		t.Fatalf("assess with the blank questionnaire: exit %d: %s", code, stderr)
	}
	var a assess.Assessment
	raw, _ := os.ReadFile(filepath.Join(out2, "assessment.json"))
	json.Unmarshal(raw, &a)
	for _, f := range a.Readiness.Factors {
		if f.Answer != nil {
			t.Errorf("factor %s answered %d from a blank questionnaire", f.ID, *f.Answer)
		}
	}
}

// Snapshots collected per account merge into one; a disagreement names both files.
func TestMergeSnapshots(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.json")
	if code, _, stderr := runIn(t, dir, "inventory", "--demo", "--out", full); code != exitOK {
		t.Fatalf("inventory: %d %s", code, stderr)
	}
	e, err := inventory.LoadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	split := func(name, account string, edit func(*inventory.Estate)) string {
		part := *e
		part.Groups = nil
		for _, g := range e.Groups {
			if g.Account == account {
				part.Groups = append(part.Groups, g)
			}
		}
		if edit != nil {
			edit(&part)
		}
		data, err := inventory.Encode(&part)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	prod := split("prod.json", "418273659012", nil)
	nonprod := split("nonprod.json", "730516284937", nil)
	merged := filepath.Join(dir, "merged.json")
	if code, out, stderr := runIn(t, "", "merge", prod, nonprod, "--out", merged); code != exitOK || !strings.Contains(out, "14 Auto Scaling groups") {
		t.Fatalf("merge: exit %d\n%s\n%s", code, out, stderr)
	}
	back, err := inventory.LoadFile(merged)
	if err != nil || len(back.Groups) != len(e.Groups) {
		t.Fatalf("merged snapshot: %v, %d groups", err, len(back.Groups))
	}

	clash := split("clash.json", "418273659012", func(p *inventory.Estate) {
		groups := append([]inventory.AutoScalingGroup(nil), p.Groups...)
		groups[0].MaxSize += 10
		p.Groups = groups
	})
	code, _, stderr := runIn(t, "", "merge", prod, clash, "--out", filepath.Join(dir, "never.json"))
	if code != exitUsage || !strings.Contains(stderr, "prod.json") || !strings.Contains(stderr, "clash.json") || !strings.Contains(stderr, "maxSize") {
		t.Errorf("merging disagreeing snapshots: exit %d, %q; want exit 2 naming both files and the field", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "never.json")); err == nil {
		t.Errorf("a refused merge still wrote its output")
	}
}

// Before the credentials arrive: `assess --scripts DIR` alone assesses what the code shows,
// one provisional workload per image build and boot script, each with its role and marked
// as from code only.
func TestAssessScriptsAlone(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"packer/runner.pkr.hcl": `source "amazon-ebs" "runner" {
  ami_name      = "ci-runner-{{timestamp}}"
  instance_type = "t3.large"
  source_ami    = "ami-0123456789abcdef0"
  ssh_username  = "ec2-user"
}

build {
  sources = ["source.amazon-ebs.runner"]
  provisioner "shell" {
    script = "scripts/runner.sh"
  }
}
`,
		"packer/scripts/runner.sh": "#!/bin/bash\nyum install -y docker gitlab-runner\nsystemctl enable gitlab-runner\n",
		"userdata/nat.sh":          "#!/bin/bash\nsysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "r")
	code, stdout, stderr := runIn(t, "", "assess", "--scripts", dir, "--out", out, "--format", "json")
	if code != exitOK {
		t.Fatalf("assess --scripts alone: exit %d: %s %s", code, stdout, stderr)
	}
	var a assess.Assessment
	raw, _ := os.ReadFile(filepath.Join(out, "assessment.json"))
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, w := range a.Workloads {
		if w.FromCode == nil {
			t.Errorf("%s is not marked as from code only", w.Name)
			continue
		}
		roles[w.FromCode.Path] = w.Role.Name + " " + w.Fit.Category
	}
	want := map[string]string{
		"packer/runner.pkr.hcl": assess.RoleCIRunner,
		"userdata/nat.sh":       assess.RoleNetwork + " " + assess.CategoryNetwork,
	}
	for p, w := range want {
		if !strings.HasPrefix(roles[p], w) {
			t.Errorf("%s: %q, want %q", p, roles[p], w)
		}
	}
	if len(roles) != len(want) {
		t.Errorf("provisional workloads %v, want one per image build and boot script", roles)
	}
	if a.Scope.Source != inventory.SourceCode {
		t.Errorf("source %q, want %q", a.Scope.Source, inventory.SourceCode)
	}
	if !strings.Contains(strings.Join(a.Verdict.Rationale, " "), "provisional") {
		t.Errorf("the verdict does not say its workloads are provisional: %q", a.Verdict.Rationale)
	}
}
