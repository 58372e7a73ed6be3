# Nightly reporting box. Launch-configuration era, nobody dares touch it.

resource "aws_launch_configuration" "reports" {
  name_prefix          = "reports-"
  image_id             = "ami-0fedcba9876543210"
  instance_type        = "r5.xlarge"
  iam_instance_profile = "reports-prod"
  user_data            = file("${path.module}/files/reports-init.sh")
  enable_monitoring    = false

  root_block_device {
    volume_size = 50
  }

  ebs_block_device {
    device_name           = "/dev/sdf"
    volume_size           = 500
    volume_type           = "gp3"
    delete_on_termination = false
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_elb" "reports" {
  name               = "reports-prod"
  availability_zones = ["eu-west-1a"]

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }

  health_check {
    target              = "TCP:8080"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 5
  }

  connection_draining = true
}

resource "aws_lb_cookie_stickiness_policy" "reports" {
  name                     = "reports-sticky"
  load_balancer            = aws_elb.reports.id
  lb_port                  = 80
  cookie_expiration_period = 600
}

resource "aws_autoscaling_group" "reports" {
  count = var.enable_reports ? 1 : 0

  name                      = "reports-${local.env}"
  launch_configuration      = aws_launch_configuration.reports.name
  min_size                  = 1
  max_size                  = 1
  availability_zones        = ["eu-west-1a"]
  load_balancers            = [aws_elb.reports.name]
  health_check_type         = "ELB"
  health_check_grace_period = 900

  tag {
    key                 = "Name"
    value               = "reports-${local.env}"
    propagate_at_launch = true
  }

  dynamic "tag" {
    for_each = local.common_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

resource "aws_autoscaling_schedule" "reports_night" {
  scheduled_action_name  = "reports-nightly-scale-up"
  autoscaling_group_name = aws_autoscaling_group.reports[0].name
  recurrence             = "0 1 * * *"
  min_size               = 1
  max_size               = 2
  desired_capacity       = 2
}
