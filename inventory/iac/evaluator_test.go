package iac_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// The Terraform evaluator on the constructs real code uses, one per row: each tree holds a
// group whose fields say whether the construct was read as Terraform reads it.
func TestEvaluator(t *testing.T) {
	const group = `
resource "aws_autoscaling_group" "g" {
  name     = "g"
  min_size = %MIN%
  max_size = %MAX%
}
`
	asg := func(min, max string) string {
		return strings.NewReplacer("%MIN%", min, "%MAX%", max).Replace(group)
	}
	tests := []struct {
		name     string
		files    map[string]string
		min, max int
		unknown  []string // fields that must be unknown
		gap      string   // a gap that must be there
		check    func(t *testing.T, g *inventory.AutoScalingGroup)
	}{
		{
			name: "optional() with a default, and without one (null)",
			files: map[string]string{"main.tf": `
variable "sizes" {
  type = object({
    min     = number
    max     = optional(number, 6)
    desired = optional(number)
  })
  default = { min = 2 }
}
resource "aws_autoscaling_group" "g" {
  name             = "g"
  min_size         = var.sizes.min
  max_size         = var.sizes.max
  desired_capacity = coalesce(var.sizes.desired, var.sizes.min)
}
`},
			min: 2, max: 6,
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if g.DesiredCapacity != 2 || !g.Known("DesiredCapacity") {
					t.Errorf("desired %d (known %v), want 2 from coalesce over an optional attribute left out", g.DesiredCapacity, g.Known("DesiredCapacity"))
				}
			},
		},
		{
			name: "a type constraint converts what the caller passes",
			files: map[string]string{
				"modules/asg/main.tf": `
variable "sizes" { type = list(number) }
variable "settings" {
  type = map(object({ size = number, spot = optional(bool, false) }))
}
resource "aws_autoscaling_group" "g" {
  name     = "g"
  min_size = var.sizes[0]
  max_size = var.settings["web"].spot ? 0 : var.settings["web"].size
}
`,
				"main.tf": `
module "asg" {
  source   = "./modules/asg"
  sizes    = ["1", "3"]
  settings = { web = { size = "5" } }
}
`},
			min: 1, max: 5,
		},
		{
			name: "lookup, try and can",
			files: map[string]string{"main.tf": `
variable "by_env" {
  default = { prod = 4 }
}
variable "opts" {
  default = {}
}
resource "aws_autoscaling_group" "g" {
  name     = "g"
  min_size = try(var.opts.min_size, lookup(var.by_env, "staging", 1))
  max_size = can(var.opts.max_size) ? var.opts.max_size : lookup(var.by_env, "prod")
}
`},
			min: 1, max: 4,
		},
		{
			name: "lookup with a null default where the key is not there is unknown, not unset",
			files: map[string]string{"main.tf": `
variable "overrides" {
  default = {}
}
resource "aws_launch_template" "lt" {
  name      = "lt"
  image_id  = "ami-0123456789abcdef0"
  user_data = lookup(var.overrides, "user_data", null)
}
resource "aws_autoscaling_group" "g" {
  name     = "g"
  min_size = 1
  max_size = 1
  launch_template {
    id = aws_launch_template.lt.id
  }
}
`},
			min: 1, max: 1,
			gap: `user_data: lookup(…, null): "user_data" is not in the map`,
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if g.Launch.Known("UserData") {
					t.Errorf("user data known as %q, want unknown", g.Launch.UserData)
				}
			},
		},
		{
			name: "splat over counted target groups, dynamic tag blocks",
			files: map[string]string{"main.tf": `
locals {
  tags = { Team = "payments", Env = "prod" }
}
resource "aws_lb_target_group" "tg" {
  count    = 2
  name     = "tg-${count.index}"
  port     = 8080
  protocol = "HTTP"
}
resource "aws_autoscaling_group" "g" {
  name              = "g"
  min_size          = length(aws_lb_target_group.tg[*].arn)
  max_size          = 4
  target_group_arns = aws_lb_target_group.tg[*].arn
  dynamic "tag" {
    for_each = local.tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
`},
			min: 2, max: 4,
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if len(g.TargetGroupARNs) != 2 || g.Tags["Team"] != "payments" || g.Tags["Env"] != "prod" {
					t.Errorf("target groups %v, tags %v", g.TargetGroupARNs, g.Tags)
				}
			},
		},
		{
			name: "Terraform 0.11: interpolation-only strings, list() and map()",
			files: map[string]string{"main.tf": `
variable "min" { default = "2" }
variable "zones" { default = ["eu-west-1a", "eu-west-1b"] }
resource "aws_autoscaling_group" "g" {
  name               = "${var.min == "2" ? "g" : "other"}"
  min_size           = "${var.min}"
  max_size           = "${length(list("a", "b", "c"))}"
  availability_zones = ["${var.zones}"]
  tags               = ["${map("key", "Name", "value", "g", "propagate_at_launch", true)}"]
}
`},
			min: 2, max: 3,
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if g.Tags["Name"] != "g" {
					t.Errorf("tags %v, want Name = g from map()", g.Tags)
				}
			},
		},
		{
			name: "Terraform 0.11: a trailing comma costs its block, not the file",
			files: map[string]string{"main.tf": `
variable "min" {
  default = 2,
}

` + asg("3", "5") + `
resource "aws_launch_configuration" "lc" {
  image_id      = "ami-0123456789abcdef0",
  instance_type = "t2.micro"
}
`},
			min: 3, max: 5,
			gap: `resource "aws_launch_configuration" "lc" (lines 13–16) is not read`,
		},
		{
			name: "Terraform 0.11: an argument set twice costs its block",
			files: map[string]string{"main.tf": asg("1", "2") + `
resource "aws_autoscaling_policy" "p" {
  name                   = "p"
  autoscaling_group_name = "g"
  policy_type            = "SimpleScaling"
  policy_type            = "StepScaling"
}
`},
			min: 1, max: 2,
			gap: `resource "aws_autoscaling_policy" "p" (lines 8–13) is not read: Attribute redefined`,
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if len(g.ScalingPolicies) != 0 {
					t.Errorf("policies %+v from a block that does not parse", g.ScalingPolicies)
				}
			},
		},
		{
			name: "yamlencode in user data is rendered",
			files: map[string]string{"main.tf": `
resource "aws_launch_template" "lt" {
  name     = "lt"
  image_id = "ami-0123456789abcdef0"
  user_data = base64encode(join("\n", ["#cloud-config", yamlencode({
    runcmd = [["sysctl", "-w", "net.ipv4.ip_forward=1"]]
  })]))
}
` + strings.Replace(asg("1", "1"), "max_size = 1", "max_size = 1\n  launch_template {\n    id = aws_launch_template.lt.id\n  }", 1)},
			min: 1, max: 1,
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if !strings.Contains(g.Launch.UserData, "#cloud-config\n") || !strings.Contains(g.Launch.UserData, "net.ipv4.ip_forward=1") {
					t.Errorf("user data %q", g.Launch.UserData)
				}
			},
		},
		{
			name: "IP network functions as Terraform computes them",
			files: map[string]string{"main.tf": `
locals {
  dns    = cidrhost("10.3.0.0/16", 10)
  last   = cidrhost("10.3.0.0/24", -2)
  subnet = cidrsubnet("10.0.0.0/16", 8, 3)
}
resource "aws_autoscaling_group" "g" {
  name     = "g"
  min_size = length(split(".", local.dns)) + (local.dns == "10.3.0.10" ? 0 : 100) + (cidrnetmask("10.0.0.0/20") == "255.255.240.0" ? 0 : 100)
  max_size = tonumber(split(".", local.last)[3]) + (local.subnet == "10.0.3.0/24" ? 0 : 1000)
}
`},
			min: 4, max: 254,
		},
		{
			name: "a function whyk8s does not compute leaves only its own value unknown",
			files: map[string]string{
				"ud.sh": "#!/bin/bash\necho ${name} > /etc/role\necho ${digest} > /etc/digest\n",
				"main.tf": `
resource "aws_launch_template" "lt" {
  name      = "lt"
  image_id  = "ami-0123456789abcdef0"
  user_data = base64encode(templatefile("${path.module}/ud.sh", { name = "web", digest = md5("x") }))
}
` + strings.Replace(asg("1", "1"), "max_size = 1", "max_size = 1\n  launch_template {\n    id = aws_launch_template.lt.id\n  }", 1)},
			min: 1, max: 1,
			gap: "md5(): whyk8s does not evaluate this function",
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if !strings.Contains(g.Launch.UserData, "echo web > /etc/role") {
					t.Errorf("user data %q, want the known variable rendered", g.Launch.UserData)
				}
			},
		},
		{
			name: "a Butane config transpiled by ct_config is the user data",
			files: map[string]string{
				"butane/node.yaml": "variant: fcos\nversion: 1.5.0\nsystemd:\n  units:\n    - name: kubelet.service\n      enabled: true\npasswd:\n  users:\n    - name: core\n      ssh_authorized_keys: [\"${ssh_key}\"]\n",
				"main.tf": `
variable "ssh_key" {}
data "ct_config" "node" {
  content = templatefile("${path.module}/butane/node.yaml", { ssh_key = var.ssh_key })
  strict  = true
}
resource "aws_launch_template" "lt" {
  name      = "lt"
  image_id  = "ami-0123456789abcdef0"
  user_data = sensitive(base64encode(data.ct_config.node.rendered))
}
` + strings.Replace(asg("1", "1"), "max_size = 1", "max_size = 1\n  launch_template {\n    id = aws_launch_template.lt.id\n  }", 1)},
			min: 1, max: 1,
			check: func(t *testing.T, g *inventory.AutoScalingGroup) {
				if !strings.Contains(g.Launch.UserData, "variant: fcos") || !strings.Contains(g.Launch.UserData, "- name: kubelet.service") {
					t.Errorf("user data %q, want the Butane config", g.Launch.UserData)
				}
				if len(g.Launch.UserDataLines) == 0 || g.Launch.UserDataLines[0].File != "butane/node.yaml" {
					t.Errorf("user data placed at %+v, want in butane/node.yaml", g.Launch.UserDataLines)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTree(t, writeTree(t, tc.files))
			var g *inventory.AutoScalingGroup
			for i := range est.Groups {
				if est.Groups[i].Name == "g" {
					g = &est.Groups[i]
				}
			}
			if g == nil {
				t.Fatalf("no group g: %+v\n%+v", est.Groups, est.Coverage)
			}
			if g.MinSize != tc.min || g.MaxSize != tc.max || !g.Known("MinSize") || !g.Known("MaxSize") {
				t.Errorf("sizes %d..%d (unknown %v), want %d..%d; gaps %+v", g.MinSize, g.MaxSize, g.Unknown, tc.min, tc.max, est.Coverage)
			}
			if tc.gap != "" {
				found := false
				for _, c := range est.Coverage {
					found = found || strings.Contains(c.Message, tc.gap)
				}
				if !found {
					t.Errorf("no gap saying %q: %+v", tc.gap, est.Coverage)
				}
			}
			if tc.check != nil {
				tc.check(t, g)
			}
		})
	}
}
