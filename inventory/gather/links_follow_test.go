package gather_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

func linksTo(e *inventory.Estate, path string) map[string]inventory.Link {
	out := map[string]inventory.Link{}
	for _, s := range e.Scripts {
		if s.Path == path {
			for _, l := range s.Links {
				out[l.Workload] = l
			}
		}
	}
	return out
}

// TestAMINameLinks: an AMI name links a group to the template that builds it only through
// what the template says for sure — literal words and the parts that change with every
// build (a timestamp, a date, a UUID). A variable without a value is never a wildcard, and
// generic words alone never link.
func TestAMINameLinks(t *testing.T) {
	tests := []struct {
		name     string
		template string // packer/t.json or packer/t.pkr.hcl
		src      string
		image    string
		link     bool
	}{
		{"literal and timestamp", "packer/t.json",
			`{"builders": [{"type": "amazon-ebs", "ami_name": "orders-api-{{timestamp}}"}]}`, "orders-api-1718000000", true},
		{"a variable without a value matches nothing", "packer/t.json",
			`{"builders": [{"type": "amazon-ebs", "ami_name": "{{user ` + "`project`" + `}}-base-{{timestamp}}"}]}`, "billing-base-1718000000", false},
		{"a variable with a default matches that value only", "packer/t.json",
			`{"variables": {"project": "orders"}, "builders": [{"type": "amazon-ebs", "ami_name": "{{user ` + "`project`" + `}}-base-{{timestamp}}"}]}`, "billing-base-1718000000", false},
		{"…and does match it", "packer/t.json",
			`{"variables": {"project": "orders"}, "builders": [{"type": "amazon-ebs", "ami_name": "{{user ` + "`project`" + `}}-base-{{timestamp}}"}]}`, "orders-base-1718000000", true},
		{"HCL: a variable's default and a formatted date", "packer/t.pkr.hcl", `variable "app" {
  default = "tracking"
}
locals {
  stamp = formatdate("YYYYMMDDhhmm", timestamp())
}
source "amazon-ebs" "t" {
  ami_name = "${var.app}-al2023-${local.stamp}"
}
build { sources = ["source.amazon-ebs.t"] }
`, "tracking-al2023-202406011200", true},
		{"HCL: a version without a default is unknown", "packer/t.pkr.hcl", `variable "version" {}
source "amazon-ebs" "t" {
  ami_name = "ledger-${var.version}"
}
build { sources = ["source.amazon-ebs.t"] }
`, "ledger-anything-at-all", false},
		{"generic words alone", "packer/t.pkr.hcl", `locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
}
source "amazon-ebs" "x86_64" {
  ami_name = "example-hvm-${local.timestamp}-x86_64-ebs"
}
build { sources = ["source.amazon-ebs.x86_64"] }
`, "example-hvm-20240601-x86_64-ebs", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{tt.template: tt.src})
			e := gathered(t, &inventory.Estate{
				Groups: []inventory.AutoScalingGroup{{Name: "g", Account: "1", Region: "r", Launch: inventory.LaunchSpec{ImageID: "ami-1"}}},
				Images: []inventory.Image{{ID: "ami-1", Account: "1", Region: "r", Name: tt.image}},
			}, dir)
			l, ok := linksTo(e, tt.template)["1/r/g"]
			if ok != tt.link || ok && l.Reason != inventory.LinkAMIName {
				t.Errorf("image %s: linked %v (%+v), want %v", tt.image, ok, l, tt.link)
			}
		})
	}
}

// TestGenericNamesNeverLink: a name match or a tag links a script only through a word that
// tells one workload from another.
func TestGenericNamesNeverLink(t *testing.T) {
	tests := []struct {
		group string
		tags  map[string]string
		path  string
		link  bool
	}{
		{"prod-web-server", nil, "ansible/web-server.yml", false},
		{"prod-bastion-asg", nil, "userdata/bastion.sh", false},
		{"example-app-asg", nil, "packer/example-app.pkr.hcl", false},
		{"k8s-cluster-nodes", nil, "ansible/cluster-nodes.yml", false},
		{"prod-billing-api", nil, "ansible/billing-api.yml", true},
		{"asg-1", map[string]string{"app": "web"}, "roles/web/tasks/main.yml", false},
		{"asg-1", map[string]string{"app": "example-app"}, "ansible/example-app.yml", false},
		{"asg-1", map[string]string{"app": "billing"}, "ansible/billing.yml", true},
		{"asg-1", map[string]string{"Name": "default-node"}, "userdata/default-node.sh", false},
	}
	for _, tt := range tests {
		e := &inventory.Estate{
			Groups:  []inventory.AutoScalingGroup{{Name: tt.group, Account: "1", Region: "r", Tags: tt.tags}},
			Scripts: []inventory.Script{{Path: tt.path}},
		}
		scripts.Link(e, scripts.LinkOptions{})
		if got := len(e.Scripts[0].Links) > 0; got != tt.link {
			t.Errorf("group %s %v, script %s: linked %v %+v, want %v", tt.group, tt.tags, tt.path, got, e.Scripts[0].Links, tt.link)
		}
	}
}

// TestEvidenceFilesAreLinked: a file whose lines are cited for a workload's facts (the
// group_vars naming the packages a role installs) is linked to that workload, never left
// among the unlinked scripts.
func TestEvidenceFilesAreLinked(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ansible/site.yml":                       "- hosts: ledger\n  roles: [ledger]\n",
		"ansible/roles/ledger/tasks/main.yml":    "- apt:\n    name: \"{{ ledger_packages }}\"\n",
		"ansible/group_vars/all.yml":             "ledger_packages:\n  - postgresql-15\n  - nginx\n",
		"ansible/group_vars/unrelated.yml":       "other: 1\n",
		"userdata/ledger.sh":                     "#!/bin/bash\nansible-playbook /opt/ansible/site.yml\n",
		"ansible/roles/ledger/defaults/main.yml": "ledger_port: 8080\n",
	})
	ud, err := os.ReadFile(filepath.Join(dir, "userdata/ledger.sh"))
	if err != nil {
		t.Fatal(err)
	}
	e := gathered(t, &inventory.Estate{Groups: []inventory.AutoScalingGroup{{Name: "ledger-prod", Account: "1", Region: "r",
		Launch: inventory.LaunchSpec{UserData: string(ud), Source: "lt-1 v1"}}}}, dir)
	l, ok := linksTo(e, "ansible/group_vars/all.yml")["1/r/ledger-prod"]
	if !ok || l.Reason != inventory.LinkEvidence || l.Detail != "cited for ansible/roles/ledger/tasks/main.yml" {
		t.Errorf("group_vars/all.yml links %+v", linksTo(e, "ansible/group_vars/all.yml"))
	}
	if _, ok := linksTo(e, "ansible/group_vars/unrelated.yml")["1/r/ledger-prod"]; ok {
		t.Error("a vars file no linked script uses is linked")
	}
}

// TestIdentityIgnoresHowTheFolderIsNamed: the same repository scanned through another
// spelling of its path — relative, absolute, with a trailing slash, through a symbolic
// link, from a copy elsewhere — gives the same scripts, paths and links, so that diff and
// history see the same workloads.
func TestIdentityIgnoresHowTheFolderIsNamed(t *testing.T) {
	files := map[string]string{
		"packer/orders.pkr.hcl":               "source \"amazon-ebs\" \"orders\" {\n  ami_name = \"orders-{{timestamp}}\"\n}\nbuild {\n  sources = [\"source.amazon-ebs.orders\"]\n  provisioner \"ansible\" { playbook_file = \"../ansible/orders.yml\" }\n}\n",
		"ansible/orders.yml":                  "- hosts: all\n  roles: [orders]\n",
		"ansible/roles/orders/tasks/main.yml": "- apt: name=nginx\n",
		"user-data.sh":                        "#!/bin/bash\nsystemctl start nginx\n",
	}
	dir := writeTree(t, files)
	copyDir := writeTree(t, files)
	link := filepath.Join(t.TempDir(), "checkout")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Fatal(err)
	}
	estate := func() *inventory.Estate {
		return &inventory.Estate{
			Groups: []inventory.AutoScalingGroup{{Name: "orders-prod", Account: "1", Region: "r", Launch: inventory.LaunchSpec{ImageID: "ami-9"}}},
			Images: []inventory.Image{{ID: "ami-9", Account: "1", Region: "r", Name: "orders-1718000000"}},
		}
	}
	want := scriptsJSON(t, gathered(t, estate(), dir).Scripts)
	for _, spelling := range []string{dir + string(filepath.Separator), rel, link, copyDir} {
		if got := scriptsJSON(t, gathered(t, estate(), spelling).Scripts); got != want {
			t.Errorf("scanned as %q: scripts differ from %q", spelling, dir)
		}
	}
	for _, s := range gathered(t, estate(), dir).Scripts {
		if s.Name == "." || filepath.IsAbs(s.Path) || s.Path == "." {
			t.Errorf("script %q named %q", s.Path, s.Name)
		}
	}
}

// TestWorkloadName: a workload known from code is named as a person names it.
func TestWorkloadName(t *testing.T) {
	for _, tt := range []struct {
		s    inventory.Script
		want string
	}{
		{inventory.Script{Path: "packer/legacy/gpu.json", Kind: inventory.ScriptPackerJSON, Name: "gpu-trainer",
			AMINamePatterns: []string{"bw-gpu-trainer-cuda12.2-{{timestamp}}", "bw-gpu-trainer-cuda{{user `cuda_version`}}-{{timestamp}}"}}, "bw-gpu-trainer-cuda12.2"},
		{inventory.Script{Path: "images/build.pkr.hcl", Kind: inventory.ScriptPackerHCL, Name: "ledger-api",
			AMINamePatterns: []string{"${var.prefix}-${local.ts}"}}, "ledger-api"},
		{inventory.Script{Path: "packer.pkr.hcl", Kind: inventory.ScriptPackerHCL, Name: "x86_64",
			AMINamePatterns: []string{"example-hvm-${local.timestamp}-x86_64-ebs"}}, "packer"},
		{inventory.Script{Path: "userdata/billing/userdata.sh", Kind: inventory.ScriptShell}, "billing"},
		{inventory.Script{Path: "user-data.sh", Kind: inventory.ScriptShell}, "user-data"},
		{inventory.Script{Path: "ansible/roles/kafka/tasks/main.yml", Kind: inventory.ScriptAnsibleTasks}, "kafka"},
		{inventory.Script{Path: "site.yml", Kind: inventory.ScriptAnsiblePlay, Name: "Configure everything"}, "site"},
	} {
		if got := scripts.WorkloadName(tt.s); got != tt.want {
			t.Errorf("%s: named %q, want %q", tt.s.Path, got, tt.want)
		}
	}
}

// A playbook cfn-init writes on the host imports the repository's playbooks (synced beside
// it from a bucket): the template refers to them, by the end of their path, so they are
// linked to the groups the template's user data runs on.
func TestWrittenPlaybookImports(t *testing.T) {
	files := map[string]string{
		"stacks/app.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppLaunchConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          files:
            /root/.boot/boot.yml:
              content: !Sub |
                # written at boot, run below
                - import_playbook: site-app.yml
                  vars:
                    env: ${Env}
          commands:
            run:
              command: ansible-playbook /root/.boot/boot.yml
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.small
`,
		"installer/site-app.yml": "- hosts: localhost\n  become: true\n  tasks:\n    - name: app\n      package: {name: nginx, state: present}\n",
	}
	dir := writeTree(t, files)
	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Scripts {
		if s.Path != "stacks/app.yaml" {
			continue
		}
		for _, ref := range s.References {
			if ref.Path == "installer/site-app.yml" && ref.Evidence.Line == 12 {
				return
			}
		}
		t.Fatalf("references %+v, want installer/site-app.yml from line 12", s.References)
	}
	t.Fatal("the template was not read")
}
