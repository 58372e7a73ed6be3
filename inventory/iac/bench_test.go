package iac_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/inventory/iac"
)

// benchModule is a service module of the kind a platform team keeps: a group with a launch
// template, a target group, policies and user data from a template file, sized by inputs.
const benchModule = `
variable "name" { type = string }
variable "env" { type = string }
variable "sizes" {
  type = object({
    min     = number
    max     = number
    desired = optional(number)
  })
}
variable "instance_type" { default = "t3.medium" }
variable "volumes" {
  type    = map(number)
  default = { "/dev/sdf" = 50 }
}
variable "port" { default = 8080 }

locals {
  full_name = "${var.env}-${var.name}"
  tags      = { Team = "platform", Env = var.env, Service = var.name }
}

resource "aws_launch_template" "this" {
  name_prefix   = "${local.full_name}-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = var.instance_type
  user_data = base64encode(templatefile("${path.module}/boot.sh.tpl", {
    name = var.name
    port = var.port
  }))
  dynamic "block_device_mappings" {
    for_each = var.volumes
    content {
      device_name = block_device_mappings.key
      ebs {
        volume_size           = block_device_mappings.value
        delete_on_termination = true
      }
    }
  }
  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_lb_target_group" "this" {
  name     = local.full_name
  port     = var.port
  protocol = "HTTP"
  health_check {
    path    = "/health"
    matcher = "200-299"
  }
  stickiness {
    type    = "lb_cookie"
    enabled = false
  }
}

resource "aws_autoscaling_group" "this" {
  name                = local.full_name
  min_size            = var.sizes.min
  max_size            = var.sizes.max
  desired_capacity    = coalesce(var.sizes.desired, var.sizes.min)
  health_check_type   = "ELB"
  target_group_arns   = [aws_lb_target_group.this.arn]
  vpc_zone_identifier = ["subnet-0aaa", "subnet-0bbb"]
  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
  dynamic "tag" {
    for_each = local.tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "${local.full_name}-cpu"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"
  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 60
  }
}
`

const benchTemplate = `#!/bin/bash
set -euo pipefail
echo "starting ${name}" | logger
cat > /etc/app.env <<EOF
PORT=${port}
EOF
systemctl enable --now app
`

// benchRoot is an environment root that calls the module once per service.
func benchRoot(env string, services int) string {
	var sb strings.Builder
	sb.WriteString(`provider "aws" { region = "eu-west-1" }` + "\n")
	sb.WriteString("locals {\n  services = {\n")
	for i := 0; i < services; i++ {
		fmt.Fprintf(&sb, "    svc%02d = { min = %d, max = %d }\n", i, 1+i%3, 4+i%5)
	}
	sb.WriteString("  }\n}\n")
	fmt.Fprintf(&sb, `
module "svc" {
  source   = "../../modules/service"
  for_each = local.services
  name     = each.key
  env      = %q
  sizes    = each.value
}
`, env)
	return sb.String()
}

// writeBenchTree writes envs roots of services each over one module.
func writeBenchTree(b *testing.B, envs, services int) string {
	b.Helper()
	dir := b.TempDir()
	files := map[string]string{
		"modules/service/main.tf":     benchModule,
		"modules/service/boot.sh.tpl": benchTemplate,
	}
	for e := 0; e < envs; e++ {
		files[fmt.Sprintf("envs/env%02d/main.tf", e)] = benchRoot(fmt.Sprintf("env%02d", e), services)
	}
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkReadTerraform reads 20 environments of 25 services each: 500 groups, each with
// its launch template, target group and policy, through a module called with for_each.
func BenchmarkReadTerraform(b *testing.B) {
	dir := writeBenchTree(b, 20, 25)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		est, err := iac.Read(context.Background(), []string{dir}, iac.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(est.Groups) != 500 {
			b.Fatalf("%d groups, want 500", len(est.Groups))
		}
	}
}
