package scripts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

var update = flag.Bool("update", false, "rewrite golden files")

func scanRepo(t *testing.T, workers int) *scripts.Result {
	t.Helper()
	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir("testdata/repo")}, scripts.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the scan; run go test ./inventory/scripts -update and review the diff", p)
	}
}

func TestScanGolden(t *testing.T) {
	golden(t, "repo.golden.json", encode(t, scanRepo(t, 2)))
}

func script(t *testing.T, r *scripts.Result, p string) inventory.Script {
	t.Helper()
	for _, s := range r.Scripts {
		if s.Path == p {
			return s
		}
	}
	t.Fatalf("no script %s", p)
	return inventory.Script{}
}

func hasFact(s inventory.Script, kind, detail, file string, line int) bool {
	for _, f := range s.Facts {
		if f.Kind == kind && f.Detail == detail && f.Evidence.Line == line && (file == "" || f.Evidence.File == file) {
			return true
		}
	}
	return false
}

// TestScanFindings checks what a consultant would open the files to verify: the fact, the
// file and the line.
func TestScanFindings(t *testing.T) {
	r := scanRepo(t, 0)
	tests := []struct {
		script, kind, detail, file string
		line                       int
	}{
		{"userdata/worker.tpl", inventory.FactS3Mount, "/mnt/media (s3fs ${media_bucket})", "", 16},
		{"userdata/worker.tpl", inventory.FactBootWork, "curl | bash (s3.amazonaws.com)", "", 18},
		{"userdata/worker.tpl", inventory.FactSecret, "api-key", "", 18},
		{"userdata/worker.tpl", inventory.FactConfigStore, "ssm /media/${env}/db-url", "", 20},
		{"userdata/worker.tpl", inventory.FactConfigMgmt, "ansible-pull", "", 31},
		{"userdata/cloud-init.yaml", inventory.FactNFSMount, "/var/cache/shared (nfs4 10.30.0.5:/export/cache)", "", 11},
		{"userdata/cloud-init.yaml", inventory.FactSecret, "token", "", 26},
		{"userdata/cloud-init.yaml", inventory.FactKernelTuning, "vm.overcommit_memory", "", 22},
		{"userdata/reporting-windows.txt", inventory.FactWindows, "powershell", "", 1},
		{"userdata/batch-mime.txt", inventory.FactGPU, "nvidia-smi", "", 24},
		// Package names from role defaults: evidence where the name is written.
		{"ansible/roles/nginx/tasks/main.yml", inventory.FactWebServer, "nginx", "ansible/roles/nginx/defaults/main.yml", 2},
		{"ansible/roles/nginx/tasks/main.yml", inventory.FactService, "nginx", "", 14},
		{"ansible/roles/orders/tasks/main.yml", inventory.FactNFSMount, "/srv/uploads (efs fs-0f1e2d3c.efs.eu-west-1.amazonaws.com:/)", "", 4},
		{"ansible/batch.yml", inventory.FactBatchML, "pytorch", "", 9},
		{"ansible/batch.yml", inventory.FactBootWork, "download s3://acme-ml-models/current", "", 35},
		{"ansible/batch.yml", inventory.FactService, "spark-worker", "", 36},
		{"ansible/vars/orders.yml", inventory.FactSecret, "password", "", 3},
		{"packer/orders-api.pkr.hcl", inventory.FactImageBuild, "amazon-ebs.orders-api (${var.app_name}-${local.timestamp})", "", 18},
		{"packer/orders-api.pkr.hcl", inventory.FactDataVolume, "image block device /dev/sdf", "", 35},
		{"packer/variables.pkr.hcl", inventory.FactSecret, "license-key", "", 25},
		{"packer/legacy/reporting-win.json", inventory.FactWindows, "winrm communicator", "", 19},
		{"packer/scripts/base.sh", inventory.FactObservability, "node_exporter", "", 11},
		{"packer/scripts/base.sh", inventory.FactHardcodedIP, "10.40.1.15", "", 30},
		{"packer/scripts/harden", inventory.FactFirewall, "ufw", "", 6},
	}
	for _, tt := range tests {
		s := script(t, r, tt.script)
		if !hasFact(s, tt.kind, tt.detail, tt.file, tt.line) {
			t.Errorf("%s: no %s %q at line %d", tt.script, tt.kind, tt.detail, tt.line)
		}
	}
	// The playbook Packer names is resolved through ${path.root}/../; the file with no
	// extension and no shebang is read as shell because Packer names it as a script.
	tmpl := script(t, r, "packer/orders-api.pkr.hcl")
	refs := map[string]string{}
	for _, ref := range tmpl.References {
		refs[ref.Path] = ref.How
	}
	for p, how := range map[string]string{"ansible/orders-api.yml": "ansible-provisioner", "packer/scripts/base.sh": "shell-provisioner", "packer/scripts/harden": "shell-provisioner"} {
		if refs[p] != how {
			t.Errorf("template references %s as %q, want %q", p, refs[p], how)
		}
	}
	if k := script(t, r, "packer/scripts/harden").Kind; k != inventory.ScriptShell {
		t.Errorf("harden read as %q", k)
	}
	if got := script(t, r, "packer/orders-api.pkr.hcl").AMINamePatterns; strings.Join(got, ",") != "${var.app_name}-${local.timestamp},orders-api-${local.timestamp}" {
		t.Errorf("AMI name patterns %q", got)
	}
	m := script(t, r, "packer/manifest.json")
	if len(m.Artifacts) != 2 || m.Artifacts[1].ImageID != "ami-0a1b2c3d4e5f60718" || m.Artifacts[1].Template != "packer/orders-api.pkr.hcl" || m.Artifacts[1].Evidence.Line != 8 {
		t.Errorf("manifest artifacts %+v", m.Artifacts)
	}
	// A role from Galaxy is a gap, not silence; the README and the PNG are skipped quietly.
	var galaxy bool
	for _, g := range r.Coverage {
		if g.Path == "ansible/orders-api.yml" && g.Line == 27 && g.Kind == inventory.GapNotFound && strings.Contains(g.Message, "geerlingguy.docker") {
			galaxy = true
		}
		if strings.HasSuffix(g.Path, ".png") || strings.HasSuffix(g.Path, ".md") {
			t.Errorf("gap for a non-script file: %+v", g)
		}
	}
	if !galaxy {
		t.Errorf("no gap for the Galaxy role: %+v", r.Coverage)
	}
	if r.Stats.FilesSkipped != 2 || r.Stats.FilesFailed != 0 || r.Stats.FilesRead != len(r.Scripts) {
		t.Errorf("stats %+v for %d scripts", r.Stats, len(r.Scripts))
	}
	// Excerpts are the lines as written, trimmed.
	for _, s := range r.Scripts {
		for _, f := range s.Facts {
			if len(f.Evidence.Excerpt) > 160+len("…") {
				t.Errorf("%s:%d excerpt is %d bytes", f.Evidence.File, f.Evidence.Line, len(f.Evidence.Excerpt))
			}
		}
	}
}

// TestScanDeterministic: the same tree gives the same bytes whatever the worker count.
func TestScanDeterministic(t *testing.T) {
	one := encode(t, scanRepo(t, 1))
	for _, w := range []int{2, 7} {
		if got := encode(t, scanRepo(t, w)); !bytes.Equal(got, one) {
			t.Fatalf("workers=%d gives a different result from workers=1", w)
		}
	}
}

func TestScanMultipleRoots(t *testing.T) {
	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir("testdata/repo/packer"), scripts.Dir("testdata/repo/ansible")}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Paths carry the root's name, and ../ansible/orders-api.yml still resolves.
	tmpl := script(t, r, "packer/orders-api.pkr.hcl")
	found := false
	for _, ref := range tmpl.References {
		found = found || ref.Path == "ansible/orders-api.yml"
	}
	if !found {
		t.Errorf("references %+v", tmpl.References)
	}
	script(t, r, "ansible/roles/nginx/tasks/main.yml")
}

func TestScanNoReadableRoot(t *testing.T) {
	_, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(filepath.Join(t.TempDir(), "missing"))}, scripts.Options{})
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("error %v: want one naming the folder", err)
	}
}

func TestScanCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := scripts.Scan(ctx, []scripts.Root{scripts.Dir("testdata/repo")}, scripts.Options{}); err == nil {
		t.Fatal("a cancelled scan returned no error")
	}
}
