variable "region" {
  type    = string
  default = "us-east-1"
}

variable "team" {
  type    = string
  default = "web"
}

variable "vpc_id" {
  type = string
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "one per AZ"
}

variable "certificate_arn" {
  type = string
}

variable "storefront_instance_type" {
  type    = string
  default = "m6i.large"
}

# No default on purpose: set per environment in tfvars. (Prod's is missing — see PLAT-88.)
variable "storefront_max" {
  type = number
}

variable "db_host" {
  type      = string
  sensitive = true
}

variable "worker_version" {
  type    = string
  default = "1.14.2"
}

variable "enable_reports" {
  type    = bool
  default = false
}
