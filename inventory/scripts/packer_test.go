package scripts

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestPackerBuildFacts: what a Packer template says about the image and the instance it is
// built on, each fact at the line that says it — a JSON builder or provisioner at its
// "type" key, an HCL setting at its attribute — in both syntaxes.
func TestPackerBuildFacts(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string
	}{
		{"JSON builder and provisioners cited at their type keys", "packer/api.json", `{
  "variables": {
    "instance_type": "g5.2xlarge",
    "spot": "auto"
  },
  "builders": [
    {
      "name": "api",
      "region": "eu-west-1",
      "ami_name": "api-{{timestamp}}",
      "instance_type": "{{user ` + "`instance_type`" + `}}",
      "spot_price": "{{user ` + "`spot`" + `}}",
      "type": "amazon-ebs"
    }
  ],
  "provisioners": [
    {
      "playbook_file": "ansible/api.yml",
      "user": "ec2-user",
      "type": "ansible"
    },
    {
      "extra_arguments": ["--tags", "build"],
      "type": "ansible-local",
      "playbook_file": "ansible/local.yml"
    }
  ]
}
`, []string{
			"13 image-build amazon-ebs.api (api-{{timestamp}})",
			"11 gpu image built on g5.2xlarge (a GPU or accelerator instance)",
			"12 spot spot build instance (spot_price auto), at image build only",
			"20 ansible-provisioner ansible provisioner (image configured by Ansible at build time)",
			"24 ansible-provisioner ansible-local provisioner (image configured by Ansible at build time)",
		}},
		{"HCL: spot instance types, a p3 builder, a root device resized", "images/train.pkr.hcl", `variable "root_device" {
  default = "/dev/xvda"
}
variable "data_device" {}

source "amazon-ebs" "train" {
  ami_name            = "train-${formatdate("YYYYMMDD", timestamp())}"
  spot_price          = "0"
  spot_instance_types = ["p3.2xlarge", "p3.8xlarge"]
  ami_block_device_mappings {
    device_name = var.root_device
    volume_size = 200
  }
  ami_block_device_mappings {
    device_name = var.data_device
  }
  ami_block_device_mappings {
    device_name = "/dev/sdf"
  }
}

build {
  sources = ["source.amazon-ebs.train"]
  provisioner "ansible" {
    playbook_file = "${path.root}/../ansible/train.yml"
  }
}
`, []string{
			"6 image-build amazon-ebs.train (train-${formatdate(\"YYYYMMDD\", timestamp())})",
			"9 spot spot build instance (spot_instance_types p3.2xlarge,p3.8xlarge), at image build only",
			"9 gpu image built on p3.2xlarge (a GPU or accelerator instance)",
			"9 gpu image built on p3.8xlarge (a GPU or accelerator instance)",
			"18 data-volume image block device /dev/sdf",
			"24 ansible-provisioner ansible provisioner (image configured by Ansible at build time)",
		}},
		{"a build named by a variable is named by its default", "packer/node.json", `{
  "variables": {"build_name": "ubuntu-2204"},
  "builders": [{"type": "amazon-ebs", "name": "{{user ` + "`build_name`" + `}}", "ami_name": "node-{{timestamp}}"}]
}`, []string{"3 image-build amazon-ebs.ubuntu-2204 (node-{{timestamp}})"}},
		{"on-demand general purpose build instance: no GPU, no spot", "packer/web.pkr.hcl", `source "amazon-ebs" "web" {
  ami_name      = "web-{{timestamp}}"
  instance_type = "m6g.large"
  spot_price    = ""
}
build { sources = ["source.amazon-ebs.web"] }
`, []string{"1 image-build amazon-ebs.web (web-{{timestamp}})"}},
		{"a build of sources kept in another file", "packer/build-agent.pkr.hcl", `build {
  source "docker.base" {
    name = "ubuntu"
  }

  source "amazon-ebs.base" {
    name          = "ubuntu"
    instance_type = "g4dn.xlarge"
  }

  source "azure-arm.base" {
    name = "ubuntu"
  }
}
`, []string{
			"2 docker packer docker builder",
			"6 image-build amazon-ebs.ubuntu",
			"8 gpu image built on g4dn.xlarge (a GPU or accelerator instance)",
		}},
		{"container and other clouds' images are no AMI; an import is", "packer/multi.json", `{
  "builders": [
    {"type": "docker", "image": "ubuntu:24.04", "commit": true},
    {"type": "azure-arm", "image_name": "node-{{timestamp}}"},
    {"type": "qemu", "vm_name": "node.qcow2"}
  ],
  "post-processors": [
    {"type": "amazon-import", "s3_bucket_name": "imports"}
  ]
}
`, []string{
			"3 docker packer docker builder",
			"8 image-build amazon-import",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := readAs(t, tt.path, tt.src)
			wantFacts(t, got, tt.want, true)
		})
	}
}

// TestPackerAMINamePatterns: only a builder that makes an AMI gives a name to link groups by.
func TestPackerAMINamePatterns(t *testing.T) {
	_, res := readAs(t, "packer/multi.json", `{
  "builders": [
    {"type": "amazon-ebs", "ami_name": "orders-{{timestamp}}"},
    {"type": "azure-arm", "image_name": "orders-{{timestamp}}-azure"}
  ]
}`)
	if got := res.script.AMINamePatterns; len(got) != 1 || got[0] != "orders-{{timestamp}}" {
		t.Errorf("patterns %q, want only the AMI's", got)
	}
}

// TestExprStringLiterals checks that a string read without evaluating its template is the
// string the template evaluates to: escapes, escaped interpolations, heredocs (indented
// ones too), text that is not NFC.
func TestExprStringLiterals(t *testing.T) {
	for _, src := range []string{
		`"plain"`,
		`"tab\there \"quoted\" \u00e9 \\"`,
		`"Cafe` + "\u0301" + `"`,
		`"not $${var.x} nor %%{if}"`,
		`""`,
		"<<EOF\n  sudo apt-get install -y nginx\n  echo done\nEOF\n",
		"<<-EOF\n    indented\n      more\n    EOF\n",
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.pkr.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%q: %v", src, diags)
		}
		want, diags := expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("%q: %v", src, diags)
		}
		if got, ok := exprString(expr, []byte(src)); !ok || got != want.AsString() {
			t.Errorf("%q: %q, the template gives %q", src, got, want.AsString())
		}
	}
}

// TestExprStringProducts: a string whose interpolation multiplies a chain of numbers is
// rendered as written, not evaluated (its value can be tens of thousands of digits, seconds
// to write out); one product is evaluated.
func TestExprStringProducts(t *testing.T) {
	chain := "${" + strings.Repeat("1e-400 * ", 200) + "1}"
	for _, tc := range []struct{ src, want string }{
		{`"mem-${2 * 1024}"`, "mem-2048"},
		{`"echo ` + chain + `"`, "echo " + chain},
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(tc.src), "t.pkr.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%.40q: %v", tc.src, diags)
		}
		if got, _ := exprString(expr, []byte(tc.src)); got != tc.want {
			t.Errorf("%.40q: %.60q, want %.60q", tc.src, got, tc.want)
		}
	}
}
