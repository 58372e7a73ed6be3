package iac_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

const tfBalancers = `
variable "server_port" {}
variable "name" { default = "shop" }

resource "aws_lb" "web" {
  name = var.name
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
  }
}
resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 100
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
  condition {
    path_pattern { values = ["/api/*"] }
  }
}
resource "aws_lb_target_group" "api" {
  name     = "api"
  port     = 8080
  protocol = "HTTP"
}
resource "aws_lb_target_group" "tcp" {
  name     = "tcp"
  port     = 5432
  protocol = "TCP"
}
resource "aws_launch_template" "app" {
  name_prefix = "${var.name}-"
  image_id    = "ami-0123456789abcdef0"
}
resource "aws_elb" "legacy" {
  name = "legacy"
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }
}
resource "aws_elb" "unknown_port" {
  name = "unknown-port"
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = var.server_port
    instance_protocol = "http"
  }
  health_check {
    healthy_threshold   = 2
    unhealthy_threshold = 2
    timeout             = 3
    interval            = 30
    target              = "HTTP:${var.server_port}/"
  }
}
`

const cfnBalancers = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EnvironmentName:
    Type: String
  Port:
    Type: Number
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup::Id
Resources:
  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: !Ref EnvironmentName
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LoadBalancer
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref DefaultTargetGroup
  DefaultTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: !Sub ${EnvironmentName}-default
      Port: 80
      Protocol: HTTP
  ApiTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      Protocol: HTTP
  ApiRule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener
      Priority: 2
      Conditions:
        - Field: path-pattern
          Values: [/api*]
      Actions:
        - Type: forward
          TargetGroupArn: !Ref ApiTargetGroup
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - LoadBalancerPort: 80
          InstancePort: !Ref Port
          Protocol: HTTP
      HealthCheck:
        Target: !Sub HTTP:${Port}/
        HealthyThreshold: 2
        UnhealthyThreshold: 5
        Interval: 10
        Timeout: 5
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0123456789abcdef0
      SecurityGroups:
        - !Ref SecurityGroup
`

// Load balancers: listener rules join their target groups to the load balancer, AWS's
// health check defaults are filled in, and every name, port or target the code cannot say
// is a gap at its line, with the expression as written.
func TestBalancers(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		check func(t *testing.T, est *inventory.Estate)
	}{
		{
			name:  "terraform",
			files: map[string]string{"main.tf": tfBalancers},
			check: func(t *testing.T, est *inventory.Estate) {
				api, tcp := targetGroupNamed(t, est, "api"), targetGroupNamed(t, est, "tcp")
				if len(est.LoadBalancers) != 1 || len(api.LoadBalancerARNs) != 1 || api.LoadBalancerARNs[0] != est.LoadBalancers[0].ARN {
					t.Errorf("api target group behind %v, want the load balancer through the listener rule", api.LoadBalancerARNs)
				}
				if h := api.HealthCheck; h.Timeout != 5 || h.Matcher != "200" {
					t.Errorf("api health check %+v, want AWS's timeout 5 and matcher 200", h)
				}
				if h := tcp.HealthCheck; h.Timeout != 10 || h.Matcher != "" {
					t.Errorf("tcp health check %+v, want timeout 10 and no matcher", h)
				}
				clb := map[string]inventory.ClassicLoadBalancer{}
				for _, lb := range est.ClassicLoadBalancers {
					clb[lb.Name] = lb
				}
				if hc := clb["legacy"].HealthCheck; hc == nil || *hc != (inventory.ClassicHealthCheck{Target: "TCP:8080", Interval: 30, Timeout: 5, HealthyThreshold: 10, UnhealthyThreshold: 2}) {
					t.Errorf("legacy health check %+v, want the default", hc)
				}
				if hc := clb["unknown-port"].HealthCheck; hc == nil || hc.Target != "" {
					t.Errorf("unknown-port health check %+v, want no target", hc)
				}
				if !hasGapAt(est, "main.tf", 63, `aws_elb.unknown_port health_check target = "HTTP:${var.server_port}/": var.server_port has no default or tfvars value`) {
					t.Errorf("no gap for the health check target: %+v", est.Coverage)
				}
				if !hasGapAt(est, "main.tf", 55, `aws_elb.unknown_port listener instance_port = var.server_port`) {
					t.Errorf("no gap for the instance port: %+v", est.Coverage)
				}
				if !hasGapAt(est, "main.tf", 38, `aws_launch_template.app name_prefix = "${var.name}-": AWS adds a unique suffix to name_prefix when it creates the resource; read as "shop-…"`) {
					t.Errorf("no gap for the name prefix: %+v", est.Coverage)
				}
			},
		},
		{
			name:  "cloudformation",
			files: map[string]string{"stack.yaml": cfnBalancers},
			check: func(t *testing.T, est *inventory.Estate) {
				api, def := targetGroupNamed(t, est, "ApiTargetGroup"), targetGroupNamed(t, est, "DefaultTargetGroup")
				if len(est.LoadBalancers) != 1 || len(api.LoadBalancerARNs) != 1 || api.LoadBalancerARNs[0] != est.LoadBalancers[0].ARN {
					t.Errorf("api target group behind %v, want the load balancer through the listener rule", api.LoadBalancerARNs)
				}
				if l := est.LoadBalancers[0].Listeners; len(l) != 1 || len(l[0].TargetGroupARNs) != 1 || l[0].TargetGroupARNs[0] != def.ARN {
					t.Errorf("listeners %+v, want the default action's target group only", l)
				}
				if h := api.HealthCheck; h.Timeout != 5 || h.Matcher != "200" {
					t.Errorf("api health check %+v, want AWS's timeout 5 and matcher 200", h)
				}
				if hc := est.ClassicLoadBalancers[0].HealthCheck; hc == nil || hc.Target != "" || hc.UnhealthyThreshold != 5 {
					t.Errorf("classic health check %+v, want no target", hc)
				}
				for _, want := range []struct {
					line int
					msg  string
				}{
					{13, `LoadBalancer Name = !Ref EnvironmentName: parameter EnvironmentName has no Default; read as "LoadBalancer"`},
					{26, `DefaultTargetGroup Name = !Sub ${EnvironmentName}-default: parameter EnvironmentName has no Default; read as "DefaultTargetGroup"`},
					{53, `Classic HealthCheck Target = !Sub HTTP:${Port}/: parameter Port has no Default`},
					{50, `Classic Listeners InstancePort = !Ref Port: parameter Port has no Default`},
					{63, `Config SecurityGroups = [!Ref SecurityGroup]: parameter SecurityGroup has no Default`},
				} {
					if !hasGapAt(est, "stack.yaml", want.line, want.msg) {
						t.Errorf("no gap at line %d containing %q: %+v", want.line, want.msg, est.Coverage)
					}
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

func targetGroupNamed(t *testing.T, est *inventory.Estate, name string) inventory.TargetGroup {
	t.Helper()
	var names []string
	for _, tg := range est.TargetGroups {
		if tg.Name == name {
			return tg
		}
		names = append(names, tg.Name)
	}
	t.Fatalf("no target group %q; have %s", name, strings.Join(names, ", "))
	return inventory.TargetGroup{}
}
