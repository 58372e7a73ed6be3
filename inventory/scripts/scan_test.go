package scripts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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

func hasFact(s inventory.Script, kind inventory.FactKind, detail, file string, line int) bool {
	for _, f := range s.Facts {
		if f.Kind == kind && f.Detail() == detail && f.Evidence.Line == line && (file == "" || f.Evidence.File == file) {
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
		script       string
		kind         inventory.FactKind
		detail, file string
		line         int
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
	if got := script(t, r, "packer/orders-api.pkr.hcl").AMINamePatterns; strings.Join(got, ",") != "${var.app_name}-${local.timestamp},orders-api-${regex_replace(timestamp(), \"[- TZ:]\", \"\")}" {
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

// TestScanRoleRepositories reads roles laid out the way Galaxy publishes them, one role per
// repository with no roles/ folder above it, and Ansible's extensionless vars files.
func TestScanRoleRepositories(t *testing.T) {
	role := map[string]string{
		"tasks/main.yml": `---
- name: Include OS-specific variables.
  include_vars: "{{ ansible_os_family }}.yml"
- name: Install packages.
  ansible.builtin.package:
    name: "{{ app_packages }}"
- name: Configure the app.
  template: src=app.conf.j2 dest=/etc/app.conf
- name: Start the broker.
  ansible.builtin.systemd:
    name: "{{ app.broker.service_name }}"
    enabled: true
    state: started
`,
		"templates/app.conf.j2": "upstream = 10.44.0.9:8080\n",
		"defaults/main.yml":     "app_packages: \"{{ __app_install }}\"\napp:\n  broker:\n    service_name: orders-broker\n",
		"vars/Debian.yml":       "app_user: app\n__app_install:\n  - redis-server\n__mysql_packages: [mysql-server]\npackages_to_remove: [postgresql]\n",
		"meta/main.yml":         "galaxy_info:\n  role_name: app\n",
		"handlers/main.yml":     "- name: restart app\n  service: name=app state=restarted\n",
	}
	tests := []struct {
		name   string
		prefix string // where the role sits in the scanned folder
	}{
		{"the scanned folder is the role", ""},
		{"a role repository among others", "acme.app/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"playbooks/group_vars/all": "ntp_server: 10.44.0.3\n"}
			for name, text := range role {
				files[tt.prefix+name] = text
			}
			dir := writeTree(t, files)
			r := scanWithoutGaps(t, dir)
			kinds := map[string]string{}
			ips := map[string]string{}
			for _, s := range r.Scripts {
				kinds[s.Path] = s.Kind
				for _, f := range s.Facts {
					if f.Kind == inventory.FactHardcodedIP {
						ips[f.Detail()] = s.Path
					}
				}
			}
			for path, kind := range map[string]string{
				"tasks/main.yml": inventory.ScriptAnsibleTasks, "handlers/main.yml": inventory.ScriptAnsibleTasks,
				"defaults/main.yml": inventory.ScriptAnsibleVars, "vars/Debian.yml": inventory.ScriptAnsibleVars,
				"meta/main.yml": inventory.ScriptAnsibleVars, "templates/app.conf.j2": inventory.ScriptTemplate,
			} {
				if got := kinds[tt.prefix+path]; got != kind {
					t.Errorf("%s read as %q, want %q", tt.prefix+path, got, kind)
				}
			}
			if kinds["playbooks/group_vars/all"] != inventory.ScriptAnsibleVars || ips["10.44.0.3"] != "playbooks/group_vars/all" {
				t.Errorf("group_vars/all: kind %q, addresses %v", kinds["playbooks/group_vars/all"], ips)
			}
			if ips["10.44.0.9"] != tt.prefix+"templates/app.conf.j2" {
				t.Errorf("the template's address was not found: %v", ips)
			}
			// Packages named through a chain of variables, and a vars list of packages,
			// are found where they are written; a list of packages to remove is not.
			dbs := map[string]string{}
			for _, s := range r.Scripts {
				for _, f := range s.Facts {
					if f.Kind == inventory.FactDatabase {
						dbs[f.Detail()] = f.Evidence.File + ":" + strconv.Itoa(f.Evidence.Line)
					}
				}
			}
			// A setting kept in a dictionary (app.broker.service_name) is found where written.
			services := map[string]string{}
			for _, s := range r.Scripts {
				for _, f := range s.Facts {
					if f.Kind == inventory.FactService {
						services[f.Detail()] = f.Evidence.File + ":" + strconv.Itoa(f.Evidence.Line)
					}
				}
			}
			if services["orders-broker"] != tt.prefix+"defaults/main.yml:4" {
				t.Errorf("services %v, want orders-broker at %sdefaults/main.yml:4", services, tt.prefix)
			}
			vars := tt.prefix + "vars/Debian.yml"
			if dbs["redis-server"] != vars+":3" || dbs["mysql-server"] != vars+":4" || dbs["postgresql"] != "" {
				t.Errorf("databases %v, want redis-server at %s:3 and mysql-server at %s:4 only", dbs, vars, vars)
			}
		})
	}
}

// TestScanPackerPathsFromTheRepositoryTop follows a Packer template's paths the way Packer
// does, from the folder it runs in — usually the repository's top, above the template —
// also when the scanned folder holds several repositories.
func TestScanPackerPathsFromTheRepositoryTop(t *testing.T) {
	files := map[string]string{
		"acme-images/packfiles/redhat/broker.json": `{
  "builders": [{"type": "amazon-ebs", "ami_name": "broker-{{timestamp}}"}],
  "provisioners": [{"type": "ansible", "playbook_file": "provisioners/ansible/playbooks/broker.yml"}]
}`,
		"acme-images/provisioners/ansible/playbooks/broker.yml": "- hosts: all\n  tasks:\n    - yum: name=kafka state=present\n",
		"other-repo/README.txt":                                 "nothing here\n",
	}
	dir := writeTree(t, files)
	r := scanWithoutGaps(t, dir)
	for _, s := range r.Scripts {
		if s.Path == "acme-images/packfiles/redhat/broker.json" {
			if len(s.References) != 1 || s.References[0].Path != "acme-images/provisioners/ansible/playbooks/broker.yml" {
				t.Errorf("references %+v", s.References)
			}
			return
		}
	}
	t.Error("the template was not read")
}

// TestScanSourcedPathsOnTheInstance: a script that sources a file by a path on the instance
// ("${KAFKACFGDIR}/kafka-env.sh") is linked to the repository's file of that name when
// there is one, and is no problem when there is not.
func TestScanSourcedPathsOnTheInstance(t *testing.T) {
	files := map[string]string{
		"roles/kafka/files/kafka-server-start": "#!/bin/bash\nexport KAFKACFGDIR=/etc/kafka\n. ${KAFKACFGDIR}/kafka-env.sh\nsource ${KAFKACFGDIR}/extra.sh\nexec /opt/kafka/bin/kafka-server-start.sh\n",
		"roles/kafka/files/kafka-env.sh":       "#!/bin/bash\nexport KAFKA_HEAP_OPTS=\"-Xmx4g\"\n",
	}
	dir := writeTree(t, files)
	r := scanWithoutGaps(t, dir)
	for _, s := range r.Scripts {
		if s.Path == "roles/kafka/files/kafka-server-start" {
			if len(s.References) != 1 || s.References[0].Path != "roles/kafka/files/kafka-env.sh" {
				t.Errorf("references %+v", s.References)
			}
		}
	}
}

// scanWithoutGaps scans dir and fails the test for every coverage gap: the trees these
// tests write are all readable.
func scanWithoutGaps(t *testing.T, dir string) *scripts.Result {
	t.Helper()
	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Coverage {
		t.Errorf("gap %+v", g)
	}
	return r
}

// A scan reads Terraform's own files for the credentials written in them, and only for
// those: a repository's .tf and .tfvars are walked, not skipped by their extension, and
// one without a literal credential is counted as another file.
func TestScanReadsTerraformForSecrets(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"envs/prod/main.tf":          "module \"db\" {\n  source = \"../../modules/db\"\n  master_password = \"N0t-a-real-one-42\"\n}\n",
		"envs/prod/prod.auto.tfvars": "instance_type = \"m5.large\"\nredis_auth_token = \"N0t-a-real-one-43\"\n",
		"modules/db/main.tf":         "resource \"aws_db_instance\" \"this\" {\n  password = var.master_password\n}\n",
		"modules/db/variables.tf":    "variable \"master_password\" {\n  sensitive = true\n}\n",
	})
	r := scanWithoutGaps(t, dir)
	var got []string
	for _, s := range r.Scripts {
		if s.Kind != inventory.ScriptTerraform {
			t.Errorf("%s read as %s", s.Path, s.Kind)
		}
		for _, f := range s.Facts {
			got = append(got, fmt.Sprintf("%s:%d %s %s", s.Path, f.Evidence.Line, f.Kind, f.Name))
		}
	}
	want := "envs/prod/main.tf:3 secret password, envs/prod/prod.auto.tfvars:2 secret token"
	if strings.Join(got, ", ") != want {
		t.Errorf("facts %q, want %q", strings.Join(got, ", "), want)
	}
	if r.Stats.FilesRead != 2 || r.Stats.FilesSkipped != 2 {
		t.Errorf("stats %+v: want the two files with a credential read and the other two counted as skipped", r.Stats)
	}
}
