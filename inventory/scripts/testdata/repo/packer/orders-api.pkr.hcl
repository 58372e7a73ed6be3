packer {
  required_plugins {
    amazon = {
      version = ">= 1.2.8"
      source  = "github.com/hashicorp/amazon"
    }
    ansible = {
      version = "~> 1"
      source  = "github.com/hashicorp/ansible"
    }
  }
}

locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
}

source "amazon-ebs" "orders-api" {
  ami_name      = "${var.app_name}-${local.timestamp}"
  instance_type = var.build_instance_type
  region        = var.region
  ami_regions   = ["eu-west-1", "eu-central-1"]

  source_ami_filter {
    filters = {
      name                = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    most_recent = true
    owners      = ["099720109477"]
  }

  ami_block_device_mappings {
    device_name           = "/dev/sdf"
    volume_size           = 100
    volume_type           = "gp3"
    delete_on_termination = true
  }

  ssh_username = "ubuntu"
  tags = {
    app             = "orders-api"
    packer_template = "orders-api.pkr.hcl"
  }
}

build {
  name    = "orders-api"
  sources = ["source.amazon-ebs.orders-api"]

  provisioner "shell" {
    inline = [
      "sudo apt-get update",
      "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip unzip awscli",
      "echo 'vm.swappiness = 10' | sudo tee /etc/sysctl.d/60-orders.conf",
    ]
  }

  provisioner "shell" {
    scripts = [
      "${path.root}/scripts/base.sh",
      "${path.root}/scripts/harden",
    ]
    execute_command = "sudo -E bash '{{ .Path }}'"
  }

  provisioner "ansible" {
    playbook_file   = "${path.root}/../ansible/orders-api.yml"
    user            = "ubuntu"
    extra_arguments = ["--extra-vars", "env=${var.env}"]
  }

  post-processor "manifest" {
    output     = "manifest.json"
    strip_path = true
  }
}
