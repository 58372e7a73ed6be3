variable "app_name" {
  type    = string
  default = "orders-api"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "build_instance_type" {
  type    = string
  default = "t3.medium"
}

variable "env" {
  type    = string
  default = "prod"
}

# TODO move to vault before go-live
variable "newrelic_license_key" {
  type      = string
  sensitive = true
  default   = "fixture0123456789abcdef0123456789abcdefNRAL"
}
