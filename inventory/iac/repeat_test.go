package iac_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// Resources with count or for_each are one resource per instance when the number or every
// key is known, and one read as one (with a gap) otherwise; an unknown argument of a
// resource leaves the rest of it known to whatever refers to it.
func TestRepeatedResources(t *testing.T) {
	const services = `
variable "subnet_id" { type = string }
variable "groups" {
  type = map(object({ size = number }))
}
resource "aws_launch_template" "svc" {
  for_each      = var.groups
  name          = "${each.key}-lt"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
}
resource "aws_autoscaling_group" "svc" {
  for_each            = var.groups
  name                = "${each.key}_sg"
  min_size            = 1
  max_size            = each.value.size
  vpc_zone_identifier = [var.subnet_id]
  launch_template {
    id      = aws_launch_template.svc[each.key].id
    version = "$Latest"
  }
}
resource "aws_autoscaling_policy" "out" {
  for_each               = aws_autoscaling_group.svc
  name                   = "${each.key}-out"
  autoscaling_group_name = each.value.name
  adjustment_type        = "ChangeInCapacity"
  scaling_adjustment     = 1
}
`
	tests := []struct {
		name      string
		files     map[string]string
		groups    []string // names, sorted
		arnEnds   string   // how the first group's ARN ends
		policies  int      // per group
		gap       string   // a gap message contains it ("" for none expected)
		gapLine   int
		notInGaps []string
	}{
		{
			name: "for_each over a map from tfvars, policies looping over the groups",
			files: map[string]string{"main.tf": services, "terraform.tfvars": `
groups = {
  items     = { size = 3 }
  discounts = { size = 4 }
  auth      = { size = 5 }
}`},
			groups:   []string{"auth_sg", "discounts_sg", "items_sg"},
			arnEnds:  `aws_autoscaling_group.svc["auth"]`,
			policies: 1,
			// The subnet is unknown: a gap for it, but the group's name stays known.
			gap: `vpc_zone_identifier = [var.subnet_id]: var.subnet_id has no default or tfvars value`, gapLine: 17,
			notInGaps: []string{"Unsupported attribute", "read as one", "for_each over"},
		},
		{
			name: "count with a known number",
			files: map[string]string{"main.tf": `
resource "aws_autoscaling_group" "web" {
  count    = 2
  name     = "web-${count.index}"
  min_size = 1
  max_size = 2
}
resource "aws_autoscaling_schedule" "night" {
  count                  = length(aws_autoscaling_group.web)
  scheduled_action_name  = "night"
  autoscaling_group_name = aws_autoscaling_group.web[count.index].name
  recurrence             = "0 22 * * *"
  min_size               = 0
}`},
			groups:  []string{"web-0", "web-1"},
			arnEnds: "aws_autoscaling_group.web[0]",
		},
		{
			name: "for_each whose keys are not known is read as one",
			files: map[string]string{"main.tf": `
variable "names" {}
resource "aws_autoscaling_group" "web" {
  for_each = var.names
  name     = "web"
  min_size = 1
  max_size = 2
}`},
			groups:  []string{"web"},
			arnEnds: ":aws_autoscaling_group.web",
			gap:     "aws_autoscaling_group.web for_each = var.names: read as one resource (var.names has no default or tfvars value)", gapLine: 4,
		},
		{
			name: "count over the limit is read as one",
			files: map[string]string{"main.tf": `
resource "aws_autoscaling_group" "web" {
  count    = 60
  name     = "web"
  min_size = 1
  max_size = 2
}`},
			groups: []string{"web"},
			gap:    "aws_autoscaling_group.web has count = 60, more than the 50 instances read one by one: read as one resource", gapLine: 3,
		},
		{
			name: "an attribute the code does not have is said in words",
			files: map[string]string{"main.tf": `
resource "aws_launch_template" "lt" {
  name     = "lt"
  image_id = "ami-0123456789abcdef0"
}
resource "aws_autoscaling_group" "web" {
  name     = "web"
  min_size = 1
  max_size = aws_launch_template.lt.max_instances
}`},
			groups:    []string{"web"},
			gap:       `aws_autoscaling_group.web max_size = aws_launch_template.lt.max_instances: aws_launch_template.lt.max_instances is not written in the code: it is known only once the resource is created, if it exists at all`,
			gapLine:   9,
			notInGaps: []string{"Unsupported attribute", "This object"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTree(t, writeTree(t, tc.files))
			var names []string
			for _, g := range est.Groups {
				names = append(names, g.Name)
				if tc.policies > 0 && len(g.ScalingPolicies) != tc.policies {
					t.Errorf("group %s has policies %+v, want %d", g.Name, g.ScalingPolicies, tc.policies)
				}
				if strings.HasPrefix(g.Name, "web-") && len(g.ScheduledActions) != 1 {
					t.Errorf("group %s has schedules %+v, want its own", g.Name, g.ScheduledActions)
				}
				if g.LaunchTemplate != nil && g.Launch.InstanceType != "t3.small" {
					t.Errorf("group %s has launch %+v, want its template's", g.Name, g.Launch)
				}
			}
			if strings.Join(names, ",") != strings.Join(tc.groups, ",") {
				t.Fatalf("groups %v, want %v", names, tc.groups)
			}
			if tc.arnEnds != "" && !strings.HasSuffix(est.Groups[0].ARN, tc.arnEnds) {
				t.Errorf("ARN %s, want it to end %s", est.Groups[0].ARN, tc.arnEnds)
			}
			if tc.gap != "" && !hasGapAt(est, "main.tf", tc.gapLine, tc.gap) {
				t.Errorf("no gap at main.tf:%d containing %q: %+v", tc.gapLine, tc.gap, est.Coverage)
			}
			for _, g := range est.Coverage {
				for _, bad := range tc.notInGaps {
					if strings.Contains(g.Message, bad) {
						t.Errorf("gap %+v says %q", g, bad)
					}
				}
				if g.Kind == inventory.GapNotFound {
					t.Errorf("not-found gap %+v", g)
				}
			}
		})
	}
}

func hasGapAt(est *inventory.Estate, path string, line int, contains string) bool {
	for _, g := range est.Coverage {
		if g.Kind == inventory.GapUnresolved && g.Path == path && g.Line == line && strings.Contains(g.Message, contains) {
			return true
		}
	}
	return false
}
