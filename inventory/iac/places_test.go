package iac_test

import (
	"testing"
	"time"

	"whyk8s/assess"
	"whyk8s/inventory"
	"whyk8s/inventory/iac"
)

// A module the way platform teams write them: sizes and health checks from variables,
// volumes from a dynamic block over a list the caller passes, a target group whose
// stickiness block says nothing but type.
const placesModule = `variable "name" {}
variable "health_path" {
  default = "/healthz"
}
variable "grace" {
  default = 420
}
variable "volumes" {
  type    = list(object({ device = string, size = number }))
  default = []
}

locals {
  check_type = "ELB"
}

resource "aws_launch_template" "lt" {
  name_prefix   = "${var.name}-"
  image_id      = "ami-0a1b2c3d4e5f67890"
  instance_type = "m5.large"
  dynamic "block_device_mappings" {
    for_each = var.volumes
    content {
      device_name = block_device_mappings.value.device
      ebs {
        volume_size           = block_device_mappings.value.size
        delete_on_termination = true
      }
    }
  }
  instance_market_options {
    market_type = "spot"
  }
}

resource "aws_lb_target_group" "tg" {
  name     = var.name
  port     = 8080
  protocol = "HTTP"
  health_check {
    path    = var.health_path
    matcher = "200"
  }
  stickiness {
    type = "LB_Cookie"
  }
}

resource "aws_autoscaling_group" "asg" {
  name                      = var.name
  min_size                  = 1
  max_size                  = 4
  health_check_type         = local.check_type
  health_check_grace_period = var.grace
  target_group_arns         = [aws_lb_target_group.tg.arn]
  launch_template {
    id      = aws_launch_template.lt.id
    version = "$Latest"
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "cpu"
  autoscaling_group_name = aws_autoscaling_group.asg.name
  policy_type            = "TargetTrackingScaling"
  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 50
  }
}

resource "aws_autoscaling_schedule" "night" {
  scheduled_action_name  = "night"
  autoscaling_group_name = aws_autoscaling_group.asg.name
  recurrence             = "0 22 * * *"
  min_size               = 0
  max_size               = 0
  desired_capacity       = 0
}
`

const placesRoot = `module "web" {
  source      = "../modules/web"
  name        = "shop-web"
  health_path = "/status"
  volumes = [
    { device = "/dev/sdf", size = 100 },
  ]
}
`

const placesChild = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  HealthPath:
    Type: String
    Default: /ping
  Sticky:
    Type: String
    Default: 'true'
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '1'
      MaxSize: '2'
      HealthCheckType: ELB
      TargetGroupARNs: [!Ref TG]
      LaunchConfigurationName: !Ref LC
  LC:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0a1b2c3d4e5f67890
      InstanceType: t3.small
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      HealthCheckPath: !Ref HealthPath
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: !Ref Sticky
        - Key: stickiness.type
          Value: LB_COOKIE
`

const placesParent = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/acme/cfn/app.yaml
      Parameters:
        HealthPath: /api/health
`

// Every field read from code keeps where it is written: the argument, key or block, and
// where the value comes from when the argument passes it on.
func TestPlaces(t *testing.T) {
	files := map[string]string{
		"modules/web/main.tf": placesModule,
		"live/main.tf":        placesRoot,
		"cfn/app.yaml":        placesChild,
		"cfn/main.yaml":       placesParent,
	}
	est := readTree(t, writeTree(t, files))
	at := func(file, src, s string) inventory.Place {
		return inventory.Place{File: file, Line: lineOf(src, s)}
	}
	from := func(p inventory.Place, file, src, s, how string) inventory.Place {
		p.ValueFile, p.ValueLine, p.ValueFrom = file, lineOf(src, s), how
		return p
	}
	const mod, root, child, parent = "modules/web/main.tf", "live/main.tf", "cfn/app.yaml", "cfn/main.yaml"
	var tf, cfn *inventory.AutoScalingGroup
	for i := range est.Groups {
		switch est.Groups[i].Name {
		case "shop-web":
			tf = &est.Groups[i]
		case "App/Group":
			cfn = &est.Groups[i]
		}
	}
	if tf == nil || cfn == nil {
		t.Fatalf("groups %+v", est.Groups)
	}
	tgOf := func(g *inventory.AutoScalingGroup) *inventory.TargetGroup {
		if len(g.TargetGroupARNs) != 1 {
			t.Fatalf("%s: target groups %v", g.Name, g.TargetGroupARNs)
		}
		return targetGroup(est, g.TargetGroupARNs[0])
	}
	tests := []struct {
		name   string
		places inventory.Places
		field  string
		want   inventory.Place
		cited  int // the line evidence cites
	}{
		{"literal argument", tf.Places, "MaxSize", at(mod, placesModule, "max_size                  = 4"), 0},
		{"from a local of the module", tf.Places, "HealthCheckType",
			from(at(mod, placesModule, "health_check_type         = local.check_type"), mod, placesModule, `check_type = "ELB"`, inventory.ValueFromLocal), 0},
		{"from a variable's default", tf.Places, "HealthCheckGracePeriod",
			from(at(mod, placesModule, "health_check_grace_period = var.grace"), "modules/web/main.tf", placesModule, "default = 420", inventory.ValueFromDefault), 0},
		{"a field not written is the resource", tf.Places, "DesiredCapacity", at(mod, placesModule, `resource "aws_autoscaling_group" "asg"`), 0},
		{"from the caller's argument", tgOf(tf).Places, "HealthCheckPath",
			from(at(mod, placesModule, "path    = var.health_path"), root, placesRoot, `health_path = "/status"`, inventory.ValueFromArgument), lineOf(placesRoot, "health_path")},
		{"stickiness turned on by its block", tgOf(tf).Places, "Attributes[stickiness.enabled]", at(mod, placesModule, "stickiness {"), 0},
		{"a volume from a dynamic block over the caller's list", tf.Launch.Places, "BlockDeviceMappings[/dev/sdf]",
			from(at(mod, placesModule, "content {"), root, placesRoot, "volumes = [", inventory.ValueFromArgument), lineOf(placesRoot, "volumes = [")},
		{"a nested block's argument", tf.Launch.Places, "InstanceMarketOptions.MarketType", at(mod, placesModule, `market_type = "spot"`), 0},
		{"CloudFormation key", cfn.Places, "HealthCheckType", at(child, placesChild, "HealthCheckType: ELB"), 0},
		{"CloudFormation parameter the parent passes", tgOf(cfn).Places, "HealthCheckPath",
			from(at(child, placesChild, "HealthCheckPath: !Ref HealthPath"), parent, placesParent, "HealthPath: /api/health", inventory.ValueFromArgument), lineOf(placesParent, "HealthPath:")},
		{"CloudFormation attribute from a parameter's Default", tgOf(cfn).Places, "Attributes[stickiness.enabled]",
			at(child, placesChild, "- Key: stickiness.enabled"), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.places.At(tc.field)
			if !ok {
				t.Fatalf("no place for %s in %+v", tc.field, tc.places)
			}
			if got != tc.want {
				t.Errorf("%s at %+v, want %+v", tc.field, got, tc.want)
			}
			cited := tc.cited
			if cited == 0 {
				cited = tc.want.Line
			}
			if _, line := got.Cited(); line != cited {
				t.Errorf("%s cited at line %d, want %d", tc.field, line, cited)
			}
		})
	}
	if cfn.Launch.Places["InstanceType"].Line != lineOf(placesChild, "InstanceType: t3.small") {
		t.Errorf("launch configuration places %+v", cfn.Launch.Places)
	}
	// Spellings of one kind are one kind; a value from a parameter is the value.
	if tg := tgOf(cfn); tg.Attributes["stickiness.type"] != "lb_cookie" || !tg.StickinessEnabled() {
		t.Errorf("CloudFormation stickiness %v", tg.Attributes)
	}
	if tg := tgOf(tf); tg.Attributes["stickiness.type"] != "lb_cookie" || !tg.StickinessEnabled() {
		t.Errorf("Terraform stickiness %v", tg.Attributes)
	}
	pol := tf.ScalingPolicies
	if len(pol) != 1 || pol[0].Places["PolicyType"].Line != lineOf(placesModule, `policy_type            = "TargetTrackingScaling"`) ||
		pol[0].Places["TargetTrackingConfiguration.TargetValue"].Line != lineOf(placesModule, "target_value = 50") {
		t.Errorf("policy %+v", pol)
	}
	if sa := tf.ScheduledActions; len(sa) != 1 || sa[0].Places["Recurrence"].Line != lineOf(placesModule, `recurrence             = "0 22 * * *"`) {
		t.Errorf("schedule %+v", sa)
	}
}

// The assessment cites a signal read from code at the line that writes it.
func TestAssessCitesLines(t *testing.T) {
	files := map[string]string{
		"modules/web/main.tf": placesModule,
		"live/main.tf":        placesRoot,
	}
	est := gatherIaC(t, []string{writeTree(t, files)}, iac.Options{})
	res, err := assess.Assess(est, nil, assess.DefaultConfig(), assess.Meta{Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	const mod, root = "modules/web/main.tf", "live/main.tf"
	want := map[string]inventory.Evidence{
		"FIT-ELB-HEALTH-CHECK": {File: mod, Line: lineOf(placesModule, "health_check_type         =")},
		"FIT-STICKY-SESSIONS":  {File: mod, Line: lineOf(placesModule, "stickiness {")},
		"FIT-TARGET-TRACKING":  {File: mod, Line: lineOf(placesModule, `policy_type            = "TargetTrackingScaling"`)},
		// A scheduled action is its resource: cited where it is declared.
		"FIT-SCHEDULED-SCALING": {File: mod, Line: lineOf(placesModule, `resource "aws_autoscaling_schedule"`)},
		"FIT-SPOT-TOLERANT":     {File: mod, Line: lineOf(placesModule, `market_type = "spot"`)},
		"FIT-HTTP-HEALTH-CHECK": {File: root, Line: lineOf(placesRoot, "health_path")},
	}
	if len(res.Workloads) != 1 {
		t.Fatalf("workloads %+v", res.Workloads)
	}
	got := map[string][]inventory.Evidence{}
	for _, s := range res.Workloads[0].Signals {
		got[s.Rule] = s.Evidence
	}
	for rule, w := range want {
		evs, ok := got[rule]
		if !ok {
			t.Errorf("%s: no signal; signals %v", rule, got)
			continue
		}
		found := false
		for _, ev := range evs {
			found = found || (ev.File == w.File && ev.Line == w.Line)
		}
		if !found {
			t.Errorf("%s: evidence %+v, want one at %s:%d", rule, evs, w.File, w.Line)
		}
	}
}
