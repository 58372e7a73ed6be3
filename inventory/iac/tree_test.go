package iac_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/iac"
)

// writeTree writes files (slash paths → content) under a new temporary folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readTree(t *testing.T, dir string) *inventory.Estate {
	t.Helper()
	est, err := iac.Read(context.Background(), []string{dir}, withDecoder(iac.Options{}))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return est
}

func hasGap(est *inventory.Estate, kind, path, contains string) bool {
	for _, g := range est.Coverage {
		if g.Kind == kind && g.Path == path && strings.Contains(g.Message, contains) {
			return true
		}
	}
	return false
}

func TestSmallTrees(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		check func(t *testing.T, est *inventory.Estate)
	}{
		{
			name: "count = 0 is not created",
			files: map[string]string{"main.tf": `
variable "on" { default = false }
resource "aws_autoscaling_group" "off" {
  count    = var.on ? 1 : 0
  name     = "off"
  min_size = 1
  max_size = 1
}`},
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 0 {
					t.Errorf("groups %+v, want none", est.Groups)
				}
			},
		},
		{
			// This case used to expect one group, shard-a, and a note: a for_each whose keys
			// are all known is three groups in AWS, so it is three here (see
			// TestRepeatedResources for the cases still read as one).
			name: "for_each over known keys is one group per key",
			files: map[string]string{"main.tf": `
resource "aws_autoscaling_group" "shard" {
  for_each = toset(["b", "a", "c"])
  name     = "shard-${each.key}"
  min_size = 1
  max_size = 2
}`},
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 3 || est.Groups[0].Name != "shard-a" || est.Groups[2].Name != "shard-c" {
					t.Errorf("groups %+v, want shard-a, shard-b and shard-c", est.Groups)
				}
			},
		},
		{
			// A module kept in the same repository and called by its Git URL, so that
			// other repositories can copy the call: the folder of the tree is read.
			name: "a remote module source naming a folder of the tree",
			files: map[string]string{
				"modules/asg/main.tf": "variable \"name\" {}\nresource \"aws_autoscaling_group\" \"this\" {\n  name = var.name\n  min_size = 1\n  max_size = 2\n}\n",
				"envs/qa/main.tf": `module "api" {
  source = "git::https://git.acme.example/platform/infra.git//modules/asg?ref=v2.3.1"
  name   = "qa-api"
}
module "vpc" {
  source = "git::https://git.acme.example/platform/network.git//vpc?ref=v1"
}`,
			},
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 1 || est.Groups[0].Name != "qa-api" || !strings.HasPrefix(est.Groups[0].ARN, "iac:envs/qa:module.api.") {
					t.Fatalf("groups %+v, want qa-api read through envs/qa", est.Groups)
				}
				if !hasGap(est, inventory.GapUnresolved, "envs/qa/main.tf", "module.api source git::https://git.acme.example/platform/infra.git//modules/asg?ref=v2.3.1 is a remote address; read from modules/asg") {
					t.Errorf("no gap for the remote source read from the tree: %+v", est.Coverage)
				}
				if !hasGap(est, inventory.GapUnresolved, "envs/qa/main.tf", "module.vpc: module source git::https://git.acme.example/platform/network.git//vpc?ref=v1 is not local; not read") {
					t.Errorf("no gap for the module not in the tree: %+v", est.Coverage)
				}
			},
		},
		{
			name: "auto.tfvars and a variable without value",
			files: map[string]string{
				"vars.tf":           `variable "min" {}` + "\n" + `variable "max" {}`,
				"prod.auto.tfvars":  `min = 2`,
				"main.tf":           "resource \"aws_autoscaling_group\" \"web\" {\n  name_prefix = \"web-\"\n  min_size = var.min\n  max_size = var.max * 2\n}\n",
				"README.md":         "not read",
				"notes/design.yaml": "a: b\n",
			},
			check: func(t *testing.T, est *inventory.Estate) {
				// name_prefix = "web-": AWS adds a suffix, so the name is "web-…" (this
				// expected the bare prefix "web-", which is not the group's name).
				if len(est.Groups) != 1 || est.Groups[0].Name != "web-…" || est.Groups[0].MinSize != 2 {
					t.Fatalf("groups %+v", est.Groups)
				}
				if !hasGap(est, inventory.GapUnresolved, "main.tf", "aws_autoscaling_group.web max_size = var.max * 2: var.max has no default or tfvars value") {
					t.Errorf("no gap for max_size: %+v", est.Coverage)
				}
			},
		},
		{
			name: "terraform JSON syntax",
			files: map[string]string{"main.tf.json": `{
  "resource": {
    "aws_lb_target_group": {"api": {"name": "api", "port": 80, "protocol": "HTTP", "stickiness": {"type": "lb_cookie", "enabled": true}}},
    "aws_autoscaling_group": {"api": {"name": "api", "min_size": 2, "max_size": 4, "target_group_arns": ["${aws_lb_target_group.api.arn}"]}}
  }
}`},
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 1 || len(est.TargetGroups) != 1 {
					t.Fatalf("groups %+v target groups %+v", est.Groups, est.TargetGroups)
				}
				g, tg := est.Groups[0], est.TargetGroups[0]
				if len(g.TargetGroupARNs) != 1 || g.TargetGroupARNs[0] != tg.ARN || !tg.StickinessEnabled() {
					t.Errorf("group %+v does not join sticky target group %+v", g, tg)
				}
			},
		},
		{
			name: "CloudFormation with an odd extension, GetAtt and If on a whole object",
			files: map[string]string{"stack.cfn": `
Parameters:
  Spot: {Type: String, Default: "yes"}
Conditions:
  UseSpot: !Equals [!Ref Spot, "yes"]
Resources:
  LT:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        InstanceMarketOptions: !If [UseSpot, {MarketType: spot}, !Ref AWS::NoValue]
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "3"
      LaunchTemplate:
        LaunchTemplateId: !Ref LT
        Version: !GetAtt LT.DefaultVersionNumber
`},
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 1 {
					t.Fatalf("groups %+v", est.Groups)
				}
				g := est.Groups[0]
				if g.Launch.MarketType != "spot" || g.LaunchTemplate.Version != "$Default" || g.Launch.ImageID != "ami-0123456789abcdef0" {
					t.Errorf("group %+v", g)
				}
			},
		},
		{
			name: "a reference to something not in the code is a not-found gap",
			files: map[string]string{"main.tf": `
resource "aws_autoscaling_group" "web" {
  name     = "web"
  min_size = 1
  max_size = 1
  launch_template {
    id      = "lt-0abc1234def567890"
    version = "$Latest"
  }
}`},
			check: func(t *testing.T, est *inventory.Estate) {
				if !hasGap(est, inventory.GapNotFound, "main.tf", "launch template lt-0abc1234def567890 is not defined in the code read") {
					t.Errorf("no gap for the outside launch template: %+v", est.Coverage)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, readTree(t, writeTree(t, tc.files)))
		})
	}
}

func TestAwkwardFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf":                "resource \"aws_autoscaling_group\" \"a\" {\n  name     = \"a\"\n  min_size = 1\n  max_size = 1\n}\n",
		"node_modules/x/main.tf": `resource "aws_autoscaling_group" "npm" { name = "npm" }`,
		"vendor/y/stack.yaml":    "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
		"bin/blob.template":      "AWS::\x00\x01\x02",
		"sub/ok.tf":              "# empty module folder\n",
	})
	// A link back to the root would loop if followed.
	if err := os.Symlink(dir, filepath.Join(dir, "sub", "loop")); err != nil {
		t.Skipf("symlinks not supported: %v", err)
	}
	big, err := os.Create(filepath.Join(dir, "huge.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(11 << 20); err != nil {
		t.Fatal(err)
	}
	big.Close()

	est := readTree(t, dir)
	if len(est.Groups) != 1 || est.Groups[0].Name != "a" {
		t.Errorf("groups %+v, want only a", est.Groups)
	}
	if !hasGap(est, inventory.GapTooLarge, "huge.tf", "over the") {
		t.Errorf("no too-large gap: %+v", est.Coverage)
	}
	for _, g := range est.Coverage {
		if strings.HasPrefix(g.Path, "bin/") || strings.HasPrefix(g.Path, "node_modules/") || strings.HasPrefix(g.Path, "vendor/") {
			t.Errorf("gap for a skipped file: %+v", g)
		}
	}
}
