resource "aws_autoscaling_group" "this" {
  name     = "vendored-copy-must-not-appear"
  min_size = 1
  max_size = 1
}
