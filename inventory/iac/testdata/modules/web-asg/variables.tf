variable "name" { type = string }
variable "image_id" { type = string }
variable "instance_type" {
  type    = string
  default = "t3.small"
}
variable "min_size" { type = number }
variable "max_size" { type = number }
variable "desired_capacity" {
  type    = number
  default = null
}
variable "subnet_ids" { type = list(string) }
variable "target_group_arns" {
  type    = list(string)
  default = []
}
variable "app_port" {
  type    = number
  default = 8080
}
variable "db_host" { type = string }
variable "spot" {
  type    = bool
  default = false
}
variable "tags" {
  type    = map(string)
  default = {}
}
