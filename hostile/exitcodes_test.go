//go:build linux

package hostile_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// TestExitCodesAsDocumented runs one or more command lines for each exit code the README
// documents, and fails when the README documents a code no command line here shows, or a
// command line here ends with a code the README does not document.
func TestExitCodesAsDocumented(t *testing.T) {
	whyk8s(t)
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile(`(?s)## Exit codes\n(.*?)\n## `).FindSubmatch(readme)
	if section == nil {
		t.Fatal("README.md has no \"## Exit codes\" section")
	}
	var documented []int
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \|`).FindAllSubmatch(section[1], -1) {
		n, _ := strconv.Atoi(string(m[1]))
		documented = append(documented, n)
	}

	examples := []struct {
		code  int
		what  string
		setup func(e *caseEnv) []string
	}{
		{0, "a command that did its work", func(e *caseEnv) []string { return []string{"version"} }},
		{0, "an assessment of a snapshot", func(e *caseEnv) []string {
			return []string{"assess", "--snapshot", baseSnapshot(e.t), "--out", "out", "--format", "json"}
		}},
		{1, "a report folder that cannot be created", func(e *caseEnv) []string {
			e.put(e.root, "out", "a file where the folder should be\n")
			return []string{"assess", "--snapshot", baseSnapshot(e.t), "--out", "out/reports", "--format", "json"}
		}},
		{1, "a questionnaire written into a missing folder", func(e *caseEnv) []string {
			return []string{"questionnaire", "--out", "missing/org.yaml"}
		}},
		{2, "an unknown flag", func(e *caseEnv) []string { return []string{"assess", "--frobnicate"} }},
		{2, "an unknown command", func(e *caseEnv) []string { return []string{"asess"} }},
		{2, "an unknown configuration key", func(e *caseEnv) []string {
			e.put(e.root, "whyk8s.yaml", "colour: blue\n")
			return []string{"config"}
		}},
		{2, "a snapshot that is a named pipe", func(e *caseEnv) []string {
			return []string{"assess", "--snapshot", e.fifo(e.root, "estate.json"), "--out", "out"}
		}},
		{2, "a snapshot that is not JSON", func(e *caseEnv) []string {
			e.put(e.root, "estate.json", "not json\n")
			return []string{"assess", "--snapshot", "estate.json", "--out", "out"}
		}},
		{3, "Terraform with a file that does not parse", func(e *caseEnv) []string {
			e.write("good.tf", tfGroup("goodweb", goodGroup))
			e.write("broken.tf", "resource \"aws_autoscaling_group\" \"x\" {\n  name = \n")
			return []string{"assess", "--iac", "in", "--iac-account", account, "--out", "out", "--format", "json"}
		}},
		{3, "a scan with a file that cannot be read", func(e *caseEnv) []string {
			e.write(goodScriptName, goodScript)
			e.putBytes(e.in, "noise.sh", randomBytes(4096, 11))
			return []string{"scan", "in"}
		}},
	}
	shown := map[int]bool{}
	for _, x := range examples {
		t.Run(strconv.Itoa(x.code)+" "+x.what, func(t *testing.T) {
			if !slices.Contains(documented, x.code) {
				t.Errorf("exit code %d is not in the README's table", x.code)
			}
			e := newCaseEnv(t)
			r := runWhyk8s(t, e.root, caseTimeout, childEnv(e.root), x.setup(e)...)
			if r.code != x.code {
				t.Errorf("exit %d; want %d\n%s", r.code, x.code, r)
			}
			if sign := runtimeDump(append(r.stdout, r.stderr...)); sign != "" {
				t.Errorf("Go runtime dump (%q):\n%s", sign, r)
			}
			shown[x.code] = true
		})
	}
	for _, c := range documented {
		if !shown[c] {
			t.Errorf("the README documents exit code %d, and no command line here shows it", c)
		}
	}
	if len(documented) == 0 {
		t.Errorf("no exit code found in the README's table")
	}
}
