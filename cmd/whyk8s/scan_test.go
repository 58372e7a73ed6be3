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

// A file that could not be read may hold findings nobody saw: like assess, scan finishes,
// names the file, and exits 3 (partial) rather than 0.
func TestScanExitsPartialWhenAFileCannotBeRead(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		wantCode int
	}{
		{name: "all read", files: map[string]string{
			"ansible/site.yml": "- hosts: web\n  tasks:\n    - name: mount the bucket\n      shell: s3fs media /mnt/media\n",
		}, wantCode: exitOK},
		{name: "a playbook that does not parse", files: map[string]string{
			"ansible/site.yml":   "- hosts: web\n  tasks:\n    - name: mount the bucket\n      shell: s3fs media /mnt/media\n",
			"ansible/broken.yml": "- hosts: db\n  tasks:\n    - name: bad\n      shell: [unclosed\n",
		}, wantCode: exitPartial},
		{name: "a role named but not there is no unread file", files: map[string]string{
			"ansible/site.yml": "- hosts: web\n  roles:\n    - not-in-this-repo\n  tasks:\n    - name: mount\n      shell: s3fs media /mnt/media\n",
		}, wantCode: exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range tt.files {
				path := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, format := range []string{"text", "json", "md"} {
				code, out, stderr := runIn(t, "", "scan", root, "--format", format)
				if code != tt.wantCode {
					t.Errorf("--format %s: exit %d, want %d\n%s%s", format, code, tt.wantCode, out, stderr)
				}
				if !strings.Contains(out, "FIND-S3FS") {
					t.Errorf("--format %s: the readable playbook's finding is missing:\n%s", format, out)
				}
				if tt.wantCode == exitPartial && !strings.Contains(out, "broken.yml") {
					t.Errorf("--format %s: the unread file is not named:\n%s", format, out)
				}
			}
		})
	}
}
