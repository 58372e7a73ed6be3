package iac_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// asgModule is a local module that makes a group behind its own target group.
const asgModule = `variable "name" { type = string }
variable "min_size" { default = 1 }
variable "max_size" { default = 4 }
variable "subnet_ids" { type = list(string) }

resource "aws_lb_target_group" "this" {
  name     = "${var.name}-tg"
  port     = 8080
  protocol = "HTTP"
}

resource "aws_launch_template" "this" {
  name          = "${var.name}-lt"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
}

resource "aws_autoscaling_group" "this" {
  name                = "${var.name}-asg"
  min_size            = var.min_size
  max_size            = var.max_size
  vpc_zone_identifier = var.subnet_ids
  target_group_arns   = [aws_lb_target_group.this.arn]
  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

output "target_group_arn" { value = aws_lb_target_group.this.arn }
output "asg_name" { value = aws_autoscaling_group.this.name }
`

// serviceRoot calls the module for each service, and routes to each instance's target
// group from one load balancer: by one instance's output, and by a rule per instance.
const serviceRoot = `variable "services" {
  type = map(object({ min = number, max = number }))
}
variable "subnet_ids" { type = list(string) }

module "service" {
  source     = "./modules/asg"
  for_each   = var.services
  name       = each.key
  min_size   = each.value.min
  max_size   = each.value.max
  subnet_ids = var.subnet_ids
}

resource "aws_lb" "main" {
  name               = "main"
  load_balancer_type = "application"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = module.service["orders"].target_group_arn
  }
}

resource "aws_lb_listener_rule" "svc" {
  for_each     = module.service
  listener_arn = aws_lb_listener.http.arn
  action {
    type             = "forward"
    target_group_arn = each.value.target_group_arn
  }
}

resource "aws_autoscaling_policy" "cpu" {
  for_each               = toset([for s in values(module.service) : s.asg_name])
  name                   = "${each.key}-cpu"
  autoscaling_group_name = each.key
  policy_type            = "TargetTrackingScaling"
}
`

const workerRoot = `module "worker" {
  source     = "./modules/asg"
  count      = 2
  name       = "worker-${count.index}"
  max_size   = 2 + count.index
  subnet_ids = ["subnet-0a1b2c3d"]
}

module "disabled" {
  source     = "./modules/asg"
  count      = 0
  name       = "disabled"
  subnet_ids = ["subnet-0a1b2c3d"]
}

module "none" {
  source     = "./modules/asg"
  for_each   = {}
  name       = "none"
  subnet_ids = ["subnet-0a1b2c3d"]
}

resource "aws_autoscaling_schedule" "night" {
  count                  = length(module.worker[*].asg_name)
  scheduled_action_name  = "night"
  autoscaling_group_name = module.worker[count.index].asg_name
  recurrence             = "0 22 * * *"
  min_size               = 0
}
`

// stackModule calls the group module itself: a module inside a repeated module.
const stackModule = `variable "env" { type = string }

module "web" {
  source     = "../asg"
  name       = "${var.env}-web"
  min_size   = var.env == "prod" ? 3 : 1
  subnet_ids = ["subnet-0a1b2c3d"]
}
`

// Local module calls with count or for_each are one module instance per index or key when
// they are known: identities, names and joins are per instance, references to
// module.NAME[KEY] resolve, and a gap every instance shares is said once.
func TestRepeatedModules(t *testing.T) {
	type group struct {
		name       string
		min, max   int
		arnHas     string // the group's identity contains it
		tgName     string // the one target group it is behind ("" for none)
		lbBehindTG bool   // that target group is behind aws_lb.main
		policies   int
		schedules  int
	}
	type gap struct {
		path, contains string
		count          int // gaps at path containing it
	}
	tests := []struct {
		name   string
		files  map[string]string
		groups []group // sorted by name
		gaps   []gap
	}{
		{
			name: "for_each over a map from tfvars",
			files: map[string]string{"main.tf": serviceRoot, "modules/asg/main.tf": asgModule, "terraform.tfvars": `
services = {
  orders   = { min = 2, max = 6 }
  payments = { min = 1, max = 3 }
  search   = { min = 3, max = 9 }
}`},
			groups: []group{
				{name: "orders-asg", min: 2, max: 6, arnHas: `module.service["orders"].aws_autoscaling_group.this@modules/asg/main.tf:18`, tgName: "orders-tg", lbBehindTG: true, policies: 1},
				{name: "payments-asg", min: 1, max: 3, arnHas: `module.service["payments"].aws_autoscaling_group.this`, tgName: "payments-tg", lbBehindTG: true, policies: 1},
				{name: "search-asg", min: 3, max: 9, arnHas: `module.service["search"].aws_autoscaling_group.this`, tgName: "search-tg", lbBehindTG: true, policies: 1},
			},
			gaps: []gap{
				// The subnets are unknown in every instance: said once, for all three.
				{"modules/asg/main.tf", "vpc_zone_identifier = var.subnet_ids: var.subnet_ids has no default or tfvars value (for each of 3 instances)", 1},
				{"modules/asg/main.tf", "vpc_zone_identifier", 1},
				{"main.tf", "read as one", 0},
				{"main.tf", "cannot be evaluated", 0},
			},
		},
		{
			name:  "count, count = 0 and an empty for_each",
			files: map[string]string{"main.tf": workerRoot, "modules/asg/main.tf": asgModule},
			groups: []group{
				{name: "worker-0-asg", min: 1, max: 2, arnHas: `module.worker[0].aws_autoscaling_group.this`, tgName: "worker-0-tg", schedules: 1},
				{name: "worker-1-asg", min: 1, max: 3, arnHas: `module.worker[1].aws_autoscaling_group.this`, tgName: "worker-1-tg", schedules: 1},
			},
			gaps: []gap{{"main.tf", "", 0}, {"modules/asg/main.tf", "", 0}},
		},
		{
			name:  "for_each whose keys are not known is read as one",
			files: map[string]string{"main.tf": serviceRoot, "modules/asg/main.tf": asgModule},
			groups: []group{
				// each.value.min and .max are unknown; the instance stands for all, and the
				// listener cannot say which instance's target group it forwards to.
				{name: "module.service.aws_autoscaling_group.this", min: 0, max: 0, arnHas: `:module.service.aws_autoscaling_group.this@`,
					tgName: "module.service.aws_lb_target_group.this"},
			},
			gaps: []gap{
				{"main.tf", "module.service for_each = var.services: read as one module instance (var.services has no default or tfvars value)", 1},
				{"modules/asg/main.tf", "for each of", 0},
				{"main.tf", "module.service for_each keys are not known", 3},
				{"main.tf", "()", 0},
			},
		},
		{
			name: "a module inside a for_each module",
			files: map[string]string{"modules/asg/main.tf": asgModule, "modules/stack/main.tf": stackModule, "main.tf": `
module "env" {
  source   = "./modules/stack"
  for_each = toset(["prod", "staging"])
  env      = each.key
}`},
			groups: []group{
				{name: "prod-web-asg", min: 3, max: 4, arnHas: `:module.env["prod"].module.web.aws_autoscaling_group.this@`, tgName: "prod-web-tg"},
				{name: "staging-web-asg", min: 1, max: 4, arnHas: `:module.env["staging"].module.web.aws_autoscaling_group.this@`, tgName: "staging-web-tg"},
			},
			gaps: []gap{{"modules/asg/main.tf", "", 0}, {"modules/stack/main.tf", "", 0}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTree(t, writeTree(t, tc.files))
			if len(est.Groups) != len(tc.groups) {
				var names []string
				for _, g := range est.Groups {
					names = append(names, g.Name)
				}
				t.Fatalf("groups %v, want %d", names, len(tc.groups))
			}
			tgs := map[string]inventory.TargetGroup{}
			for _, tg := range est.TargetGroups {
				tgs[tg.ARN] = tg
			}
			lbARN := ""
			for _, lb := range est.LoadBalancers {
				lbARN = lb.ARN
			}
			for i, want := range tc.groups {
				g := est.Groups[i]
				if g.Name != want.name || g.MinSize != want.min || g.MaxSize != want.max {
					t.Errorf("group %s %d..%d, want %s %d..%d", g.Name, g.MinSize, g.MaxSize, want.name, want.min, want.max)
				}
				if !strings.Contains(g.ARN, want.arnHas) {
					t.Errorf("group %s ARN %s, want it to contain %s", g.Name, g.ARN, want.arnHas)
				}
				inst, _, _ := strings.Cut(g.ARN, "aws_autoscaling_group.this@")
				if g.Launch.InstanceType != "t3.small" || g.LaunchTemplate == nil || !strings.HasPrefix(g.LaunchTemplate.ID, inst+"aws_launch_template.this@") {
					t.Errorf("group %s launch %+v %+v, want its own instance's template", g.Name, g.LaunchTemplate, g.Launch)
				}
				if len(g.TargetGroupARNs) != 1 {
					t.Fatalf("group %s target groups %v, want one", g.Name, g.TargetGroupARNs)
				}
				tg, ok := tgs[g.TargetGroupARNs[0]]
				if !ok || tg.Name != want.tgName {
					t.Errorf("group %s is behind %s (%+v), want %s", g.Name, g.TargetGroupARNs[0], tg, want.tgName)
				}
				if behind := len(tg.LoadBalancerARNs) == 1 && tg.LoadBalancerARNs[0] == lbARN; behind != want.lbBehindTG {
					t.Errorf("target group %s load balancers %v, want behind %s: %v", tg.Name, tg.LoadBalancerARNs, lbARN, want.lbBehindTG)
				}
				if len(g.ScalingPolicies) != want.policies || len(g.ScheduledActions) != want.schedules {
					t.Errorf("group %s policies %+v schedules %+v, want %d and %d", g.Name, g.ScalingPolicies, g.ScheduledActions, want.policies, want.schedules)
				}
			}
			for _, want := range tc.gaps {
				n := 0
				for _, g := range est.Coverage {
					if g.Path == want.path && strings.Contains(g.Message, want.contains) {
						n++
					}
				}
				if n != want.count {
					t.Errorf("%d gaps at %s containing %q, want %d", n, want.path, want.contains, want.count)
				}
			}
			for _, g := range est.Coverage {
				t.Logf("gap %s:%d %s", g.Path, g.Line, g.Message)
				if g.Kind == inventory.GapNotFound {
					t.Errorf("not-found gap %+v", g)
				}
			}
		})
	}
}
