package iac_test

import (
	"strings"
	"testing"
	"time"

	"whyk8s/assess"
	"whyk8s/inventory/iac"
)

// What the code does not determine is unknown to the rules that need it, never the
// absence they would read as a fact: no user data, default tenancy, no load balancer, an
// open-port health check, only the root volume.
func TestUnknownIsNotAbsent(t *testing.T) {
	const tf = `
variable "boot" {}
variable "tenancy" {}
variable "health_path" {}
variable "extra_tgs" {}
variable "volumes" {}

resource "aws_launch_template" "lt" {
  name      = "lt"
  image_id  = "ami-0123456789abcdef0"
  user_data = var.boot
  placement {
    tenancy = var.tenancy
  }
  dynamic "block_device_mappings" {
    for_each = var.volumes
    content {
      device_name = block_device_mappings.key
    }
  }
}

resource "aws_lb_target_group" "tg" {
  name     = "tg"
  port     = 80
  protocol = "HTTP"
  health_check {
    path = var.health_path
  }
}

resource "aws_autoscaling_group" "g" {
  name              = "g"
  min_size          = 1
  max_size          = 2
  target_group_arns = concat([aws_lb_target_group.tg.arn], var.extra_tgs)
  launch_template {
    id = aws_launch_template.lt.id
  }
}
`
	est := gatherIaC(t, []string{writeTree(t, map[string]string{"main.tf": tf})}, iac.Options{})
	res, err := assess.Assess(est, nil, assess.DefaultConfig(), assess.Meta{Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Workloads) != 1 {
		t.Fatalf("workloads %+v", res.Workloads)
	}
	w := res.Workloads[0]
	unknown := map[string]string{}
	for _, u := range w.Unknowns {
		unknown[u.Rule] = u.Reason
	}
	signals := map[string]string{}
	for _, s := range w.Signals {
		signals[s.Rule] = s.Detail
	}
	for _, rule := range []string{"FIT-HEAVY-BOOT", "FIT-DEDICATED-TENANCY", "FIT-HTTP-HEALTH-CHECK", "FIT-STICKY-SESSIONS"} {
		if _, ok := unknown[rule]; !ok {
			t.Errorf("%s decided (%q), want unknown; unknowns %v", rule, signals[rule], unknown)
		}
	}
	if d, ok := signals["FIT-DATA-VOLUME"]; ok && strings.Contains(d, "only the root volume") {
		t.Errorf("FIT-DATA-VOLUME: %q from volumes the code does not list", d)
	}
	g := est.Groups[0]
	for _, f := range []string{"TargetGroupARNs"} {
		if g.Known(f) {
			t.Errorf("group %s known", f)
		}
	}
	for _, f := range []string{"UserData", "Placement.Tenancy", "BlockDeviceMappings"} {
		if g.Launch.Known(f) {
			t.Errorf("launch %s known: %+v", f, g.Launch)
		}
	}
}
