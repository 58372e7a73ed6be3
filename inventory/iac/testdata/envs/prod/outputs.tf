output "alb_dns_name" {
  value = aws_lb.front.dns_name
}

output "storefront_asg" {
  value = module.storefront.asg_name
}

output "workers_asg" {
  value = module.queue_workers.autoscaling_group_name
}
