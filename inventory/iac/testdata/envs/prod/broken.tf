# half-finished refactor, left in the working tree
resource "aws_cloudwatch_metric_alarm" "storefront_5xx" {
  alarm_name = "storefront-5xx"
  threshold  = 10
  dimensions = {
    LoadBalancer = aws_lb.front.arn_suffix
  
}
