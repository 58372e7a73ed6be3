# Production web estate — owned by the platform team (#plat-oncall).
# Applied from CI only; see README in the infra repo.

terraform {
  required_version = ">= 1.5.0"

  backend "s3" {
    bucket         = "acme-tf-state-prod"
    key            = "web/prod.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "acme-tf-locks"
    encrypt        = true
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = ["111122223333"]

  default_tags {
    tags = {
      ManagedBy = "terraform"
    }
  }
}

// Golden image baked by the (old) Packer pipeline
data "aws_ami" "golden" {
  most_recent = true
  owners      = ["self"]

  filter {
    name   = "name"
    values = ["acme-storefront-*"]
  }
}

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"] # Canonical
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

locals {
  env = "prod"
  common_tags = {
    Environment = local.env
    CostCenter  = "cc-4410"
    Team        = var.team
  }
  app_subnets = var.private_subnet_ids
}

/*
 * One ALB in front of the storefront and the admin console.
 * TODO(jdoe): split admin onto an internal ALB
 */
resource "aws_lb" "front" {
  name               = "acme-${local.env}-front"
  load_balancer_type = "application"
  internal           = false
  subnets            = var.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]
  tags               = local.common_tags
}

resource "aws_security_group" "alb" {
  name_prefix = "front-alb-"
  vpc_id      = var.vpc_id
}

resource "aws_lb_target_group" "storefront" {
  name                 = "storefront-${local.env}"
  port                 = 8080
  protocol             = "HTTP"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path     = "/healthz"
    matcher  = "200-299"
    interval = 15
  }
}

resource "aws_lb_target_group" "admin" {
  name_prefix = "adm-"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = var.vpc_id

  # sessions live in the JVM heap, do not remove (see INC-2231)
  stickiness {
    type            = "lb_cookie"
    cookie_duration = 3600
    enabled         = true
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.front.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.storefront.arn
  }
}

resource "aws_lb_listener" "admin" {
  load_balancer_arn = aws_lb.front.arn
  port              = 8443
  protocol          = "HTTPS"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "forward"
    forward {
      target_group {
        arn = aws_lb_target_group.admin.arn
      }
    }
  }
}

module "storefront" {
  source = "../../modules/web-asg"

  name              = "storefront-${local.env}"
  image_id          = data.aws_ami.golden.id
  instance_type     = var.storefront_instance_type
  min_size          = 3
  max_size          = var.storefront_max
  subnet_ids        = local.app_subnets
  target_group_arns = [aws_lb_target_group.storefront.arn]
  app_port          = 8080
  db_host           = var.db_host
  spot              = true
  tags              = merge(local.common_tags, { app = "storefront" })
}

module "admin_console" {
  source = "../../modules/web-asg"

  name              = "admin-console-${local.env}"
  image_id          = "ami-0a1b2c3d4e5f60718"
  instance_type     = "t3.medium"
  min_size          = 1
  max_size          = 1
  subnet_ids        = ["subnet-0aaa1111bbbb2222c"] # legacy: single AZ until the DB moves
  target_group_arns = [aws_lb_target_group.admin.arn]
  app_port          = 80
  db_host           = "admin-db.internal.acme.example"
  tags              = merge(local.common_tags, { app = "admin-console" })
}

module "queue_workers" {
  source  = "terraform-aws-modules/autoscaling/aws"
  version = "~> 7.0"

  name                = "queue-workers-${local.env}"
  min_size            = 2
  max_size            = 20
  desired_capacity    = 4
  health_check_type   = "EC2"
  vpc_zone_identifier = var.private_subnet_ids

  image_id      = data.aws_ami.ubuntu.id
  instance_type = "c6i.large"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    set -euo pipefail
    # FIXME: move to instance profile
    export AWS_ACCESS_KEY_ID=AKIAZQ3EXAMPL4CANARY
    docker run -d --restart always --name worker acme/worker:${var.worker_version}
  EOT
  )

  scaling_policies = {
    queue-depth = {
      policy_type = "TargetTrackingScaling"
      target_tracking_configuration = {
        customized_metric_specification = {
          metric_name = "ApproximateNumberOfMessagesVisible"
          namespace   = "AWS/SQS"
          statistic   = "Average"
        }
        target_value = 100
      }
    }
  }

  tags = merge(local.common_tags, { app = "queue-workers" })
}

module "vpc_endpoints" {
  source = "git::https://github.com/acme/tf-modules.git//vpc-endpoints?ref=v1.4.2"
  vpc_id = var.vpc_id
}
