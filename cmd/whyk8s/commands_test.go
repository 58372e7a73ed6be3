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
