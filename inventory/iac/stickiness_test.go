package iac_test

import (
	"testing"
)

// Stickiness is read by its kind, however the code spells it and whichever resource says it.
func TestStickinessByKind(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		wantType string
	}{
		{
			name: "CloudFormation: a classic load balancer's Policies, by LoadBalancerPorts",
			files: map[string]string{"elb.yaml": `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Web:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      LoadBalancerName: web
      Listeners:
        - LoadBalancerPort: '80'
          InstancePort: '8080'
          Protocol: HTTP
      Policies:
        - PolicyName: sticky-web
          PolicyType: lbcookiestickinesspolicytype
          Attributes:
            - Name: CookieExpirationPeriod
              Value: '600'
          LoadBalancerPorts: ['80']
`},
			wantType: "LBCookieStickinessPolicyType",
		},
		{
			name: "Terraform: aws_load_balancer_policy taken by a listener",
			files: map[string]string{"elb.tf": `
resource "aws_elb" "web" {
  name               = "web"
  availability_zones = ["eu-west-1a"]
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }
}
resource "aws_load_balancer_policy" "sticky" {
  load_balancer_name = aws_elb.web.name
  policy_name        = "sticky-web"
  policy_type_name   = "AppCookieStickinessPolicyType"
}
resource "aws_load_balancer_listener_policy" "web80" {
  load_balancer_name = aws_elb.web.name
  load_balancer_port = 80
  policy_names       = [aws_load_balancer_policy.sticky.policy_name]
}
`},
			wantType: "AppCookieStickinessPolicyType",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTree(t, writeTree(t, tc.files))
			lb := classicNamed(est, "web")
			if lb == nil {
				t.Fatalf("no load balancer web: %+v", est.ClassicLoadBalancers)
			}
			if len(lb.Listeners) != 1 || len(lb.Listeners[0].PolicyNames) != 1 || lb.Listeners[0].PolicyNames[0] != "sticky-web" {
				t.Fatalf("listeners %+v", lb.Listeners)
			}
			var typ string
			for _, p := range lb.Policies {
				if p.Name == "sticky-web" {
					typ = p.Type
				}
			}
			if typ != tc.wantType {
				t.Errorf("policy type %q, want %q", typ, tc.wantType)
			}
			if _, ok := lb.Places.At("ListenerDescriptions[80].PolicyNames"); !ok {
				t.Errorf("no place for the listener's policies: %+v", lb.Places)
			}
		})
	}
}
