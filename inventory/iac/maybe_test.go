package iac_test

import (
	"fmt"
	"strings"
	"testing"

	"whyk8s/assess"
	"whyk8s/inventory/iac"
)

// scanLines is what scan says of a tree of code: "FILE:LINE RULE detail", one per finding.
func scanLines(t *testing.T, files map[string]string) []string {
	t.Helper()
	est := gatherIaC(t, []string{writeTree(t, files)}, iac.Options{})
	var out []string
	for _, f := range assess.ScanFindings(est, nil) {
		out = append(out, fmt.Sprintf("%s:%d %s %s", f.File, f.Line, f.Rule, f.Detail))
	}
	return out
}

func hasFinding(lines []string, place, rule string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, place+" "+rule+" ") {
			return true
		}
	}
	return false
}

// A dynamic block over a value the code does not determine may write spot capacity or a
// mixed instances policy: scan says the group may buy spot, at the dynamic block's line,
// and a collection the code does determine to be empty says nothing.
func TestSpotFromDynamicBlocks(t *testing.T) {
	cases := []struct {
		name, tf string
		at       string // the finding's place, "" for none
	}{
		{"market options from an object variable", `
variable "worker" {
  type = object({ spot_price = string })
}
resource "aws_launch_template" "w" {
  name          = "w"
  image_id      = "ami-0123456789abcdef0"
  dynamic "instance_market_options" {
    for_each = var.worker.spot_price == "" ? [] : ["spot"]
    content {
      market_type = instance_market_options.value
    }
  }
}
resource "aws_autoscaling_group" "w" {
  name     = "w"
  min_size = 0
  max_size = 3
  launch_template {
    id = aws_launch_template.w.id
  }
}
`, "main.tf:8"},
		{"market options through a local and an iterator", `
variable "use_spot" {}
locals { market = var.use_spot ? [{ kind = "spot" }] : [] }
resource "aws_launch_template" "w" {
  name = "w"
  image_id = "ami-0123456789abcdef0"

    dynamic instance_market_options {
      iterator = m
      for_each = local.market
      content { market_type = m.value.kind }
    }
}
resource "aws_autoscaling_group" "w" {
  name = "w"
  min_size = 0
  max_size = 3
  launch_template { id = aws_launch_template.w.id }
}
`, "main.tf:8"},
		{"mixed instances policy behind a flag", `
variable "asg" {}
resource "aws_launch_template" "w" {
  name     = "w"
  image_id = "ami-0123456789abcdef0"
}
resource "aws_autoscaling_group" "w" {
  name     = "w"
  min_size = 0
  max_size = 3
  dynamic "launch_template" {
    for_each = var.asg.mixed ? [] : [1]
    content {
      id = aws_launch_template.w.id
    }
  }
  dynamic "mixed_instances_policy" {
    for_each = var.asg.mixed ? [1] : []
    content {
      instances_distribution {
        on_demand_percentage_above_base_capacity = var.asg.on_demand_pct
      }
      launch_template {
        launch_template_specification {
          launch_template_id = aws_launch_template.w.id
        }
      }
    }
  }
}
`, "main.tf:17"},
		{"a known empty collection writes no market options", `
variable "spot" {
  default = false
}
resource "aws_launch_template" "w" {
  name     = "w"
  image_id = "ami-0123456789abcdef0"
  dynamic "instance_market_options" {
    for_each = var.spot ? ["spot"] : []
    content {
      market_type = instance_market_options.value
    }
  }
}
resource "aws_autoscaling_group" "w" {
  name     = "w"
  min_size = 0
  max_size = 3
  launch_template {
    id = aws_launch_template.w.id
  }
}
`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := scanLines(t, map[string]string{"main.tf": c.tf})
			var spot []string
			for _, l := range got {
				if strings.Contains(l, assess.RuleSpotTolerant) {
					spot = append(spot, l)
				}
			}
			switch {
			case c.at == "" && len(spot) > 0:
				t.Errorf("spot findings %v, want none", spot)
			case c.at != "" && !hasFinding(spot, c.at, assess.RuleSpotTolerant):
				t.Errorf("no spot finding at %s; findings %v", c.at, got)
			}
		})
	}
}

// A CloudFormation template that a team renders with Go templates or Jinja before
// deploying it is read as it renders: lines holding only statements are dropped, every
// other line keeps its number, and expressions stay as placeholders in the text.
func TestTemplatedCloudFormation(t *testing.T) {
	const head = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref Config
      MinSize: '1'
      MaxSize: '4'
  Scale:
    Type: AWS::AutoScaling::ScalingPolicy
    Properties:
      AutoScalingGroupName: !Ref Group
      PolicyType: TargetTrackingScaling
      TargetTrackingConfiguration:
        PredefinedMetricSpecification:
          PredefinedMetricType: ASGAverageCPUUtilization
        TargetValue: 60
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          files:
            /etc/environment:
              content: !Sub |
`
	cases := []struct{ name, body string }{
		{"go template actions at the key's indentation", `              {{with .Environment}}
              {{range $key, $val := .}}
                {{$key}}={{$val}}
              {{end}}
              {{- end }}
`},
		{"jinja statements and a comment", `              {% for k, v in env.items() %}
                {{ k }}={{ v }}
            {# one line per variable #}
              {% endfor %}
`},
	}
	tail := `    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.small
`
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := head + c.body + tail
			want := fmt.Sprintf("stack.yaml:%d", strings.Count(head[:strings.Index(head, "PolicyType")], "\n")+1)
			got := scanLines(t, map[string]string{"stack.yaml": src})
			if !hasFinding(got, want, assess.RuleTargetTracking) {
				t.Errorf("no target tracking at %s; findings %v", want, got)
			}
		})
	}
}
