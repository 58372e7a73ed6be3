package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every finding 'whyk8s scan' prints names a file and line; a consultant opens the file at
// that line and must find what the finding quotes there.
func TestScanFindingsPointAtTheirLines(t *testing.T) {
	root := filepath.Join("..", "..", "fixtures", "demo", "scripts")
	code, out, stderr := runIn(t, "", "scan", root, "--format", "json")
	if code != exitOK {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var res struct {
		Findings []struct {
			Rule, Kind, Detail, File, Excerpt string
			Line                              int
		} `json:"findings"`
		Stats struct {
			FilesRead int `json:"filesRead"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("scan --format json is not the documented shape: %v", err)
	}
	if res.Stats.FilesRead < 50 || len(res.Findings) < 50 {
		t.Fatalf("scan read %d files and found %d things in the demo repository", res.Stats.FilesRead, len(res.Findings))
	}
	rules := map[string]bool{}
	for _, f := range res.Findings {
		rules[f.Rule] = true
		if f.Rule == "" {
			t.Errorf("%s:%d: a finding without a rule in the default output", f.File, f.Line)
		}
		if f.File == "" || f.Line < 1 {
			t.Errorf("finding %s %q has no place (file %q, line %d)", f.Rule, f.Detail, f.File, f.Line)
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.File)))
		if err != nil {
			t.Errorf("finding names %s, which cannot be opened: %v", f.File, err)
			continue
		}
		lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		if f.Line > len(lines) {
			t.Errorf("%s:%d: the file has only %d lines", f.File, f.Line, len(lines))
			continue
		}
		// The excerpt is the line as written, trimmed (and cut at a redaction marker or
		// its length limit): its start must be on that line.
		ex := strings.TrimSpace(f.Excerpt)
		if i := strings.Index(ex, "«"); i >= 0 {
			ex = ex[:i]
		}
		ex = strings.TrimSuffix(ex, "…")
		if len(ex) > 40 {
			ex = ex[:40]
		}
		if ex != "" && !strings.Contains(lines[f.Line-1], ex) {
			t.Errorf("%s:%d: finding %s quotes %q, but the line reads %q", f.File, f.Line, f.Rule, f.Excerpt, lines[f.Line-1])
		}
	}
	for _, want := range []string{"FIND-S3FS", "FIND-SECRET", "FIT-NFS-MOUNT", "FIT-LOCAL-DATABASE", "FIT-HOST-CRON", "FIT-HARDCODED-IP", "FIT-KERNEL-TUNING", "FIT-WINDOWS", "FIT-DOCKER-PRESENT", "FIT-CONFIG-STORE"} {
		if !rules[want] {
			t.Errorf("the demo repository's scan has no %s finding", want)
		}
	}
}
