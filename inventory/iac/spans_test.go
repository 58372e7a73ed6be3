package iac_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

const spansBoot = `#!/bin/bash
# boot script kept beside the module
yum install -y nginx
echo "listen ${port};" > /etc/nginx/conf.d/port.conf
systemctl enable --now nginx
`

// spansDirectives is a template with directives, strip markers and all: the lines they
// leave keep their own.
const spansDirectives = `#!/bin/bash
set -e
%{ if port == 8080 ~}
echo "default port"
%{ else ~}
echo "port ${port}"
%{ endif ~}
%{ for s in ["api", "worker"] ~}
systemctl enable --now ${s}
%{ endfor ~}
%{~ if port > 9000 }
echo "high port"
%{ endif }
touch /var/run/ready
%{ if port > 0 ~}
echo "instance $${INSTANCE_ID}"
%{ endif ~}
`

const spansPlain = "#!/bin/bash\n# no template: sent as it is\nmkdir -p /srv/app\n"

const spansCloudConfig = `#cloud-config
packages:
  - amazon-efs-utils
runcmd:
  - mount -t efs fs-0123:/ /mnt/shared
`

// spansTF writes user data every way Terraform code does.
const spansTF = `
variable "port" { default = 8080 }

resource "aws_launch_template" "heredoc" {
  name      = "heredoc"
  image_id  = "ami-0aaaaaaaaaaaaaaa1"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo "heredoc on ${var.port}"
    touch /var/run/heredoc-ready
  EOT
  )
}

resource "aws_launch_template" "inline" {
  name      = "inline"
  image_id  = "ami-0aaaaaaaaaaaaaaa1"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    %{ if var.port == 8080 ~}
    echo "inline default port"
    %{ endif ~}
    %{ for p in ["nginx", "redis-server"] ~}
    apt-get install -y ${p}
    %{ endfor ~}
    touch /var/run/inline-ready
  EOT
  )
}

resource "aws_launch_template" "directives" {
  name      = "directives"
  image_id  = "ami-0aaaaaaaaaaaaaaa1"
  user_data = base64encode(templatefile("${path.module}/files/directives.sh.tftpl", { port = var.port }))
}

resource "aws_launch_template" "tmpl" {
  name      = "tmpl"
  image_id  = "ami-0aaaaaaaaaaaaaaa1"
  user_data = base64encode(templatefile("${path.module}/files/boot.sh.tpl", { port = var.port }))
}

data "template_file" "legacy" {
  count    = 1
  template = file("${path.module}/files/boot.sh.tpl")
  vars = {
    port = 9090
  }
}

resource "aws_launch_configuration" "legacy" {
  name      = "legacy"
  image_id  = "ami-0aaaaaaaaaaaaaaa1"
  user_data = data.template_file.legacy[0].rendered
}

data "cloudinit_config" "parts" {
  gzip          = true
  base64_encode = true
  part {
    content_type = "text/cloud-config"
    content      = file("${path.module}/files/cloud.cfg")
  }
  part {
    content_type = "text/x-shellscript"
    content      = <<EOF
#!/bin/sh
echo "second part"
EOF
  }
}

resource "aws_launch_template" "b64" {
  name      = "b64"
  image_id  = "ami-0aaaaaaaaaaaaaaa1"
  user_data = filebase64("${path.module}/files/plain.sh")
}

resource "aws_launch_template" "parts" {
  name      = "parts"
  image_id  = "ami-0aaaaaaaaaaaaaaa1"
  user_data = data.cloudinit_config.parts.rendered
}

resource "aws_autoscaling_group" "g" {
  for_each = toset(["heredoc", "tmpl", "parts", "b64", "directives", "inline"])
  name     = each.key
  min_size = 1
  max_size = 1
  launch_template {
    name = each.key
  }
}

resource "aws_autoscaling_group" "legacy" {
  name                 = "legacy"
  min_size             = 1
  max_size             = 1
  launch_configuration = aws_launch_configuration.legacy.name
}
`

const spansCFN = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  SubConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0aaaaaaaaaaaaaaa1
      InstanceType: t3.micro
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash -xe
          echo "environment ${Env}"
          /opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource SubConfig
  JoinConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0aaaaaaaaaaaaaaa1
      InstanceType: t3.micro
      UserData: !Base64
        Fn::Join:
          - ''
          - - "#!/bin/bash\n"
            - "echo join-"
            - !Ref Env
            - "\n"
            - "yum -y update\n"
  SubGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: SubConfig
      LaunchConfigurationName: !Ref SubConfig
      MinSize: '1'
      MaxSize: '1'
  JoinGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: JoinConfig
      LaunchConfigurationName: !Ref JoinConfig
      MinSize: '1'
      MaxSize: '1'
`

// Each line of user data rendered from code keeps the file and line it is written at.
func TestUserDataLines(t *testing.T) {
	files := map[string]string{
		"app/main.tf":                   spansTF,
		"app/files/boot.sh.tpl":         spansBoot,
		"app/files/cloud.cfg":           spansCloudConfig,
		"app/files/plain.sh":            spansPlain,
		"app/files/directives.sh.tftpl": spansDirectives,
		"cfn/launch-configs.yaml":       spansCFN,
	}
	est := readTree(t, writeTree(t, files))
	launch := map[string]inventory.LaunchSpec{}
	for _, g := range spansGroups(est) {
		launch[g.name] = g.spec
	}
	tests := []struct {
		name, spec string
		seen       string // text of a line of the user data
		file       string
		src, at    string // the file's text and the text of the line it is on
	}{
		{"heredoc", "heredoc", "touch /var/run/heredoc-ready", "app/main.tf", spansTF, "touch /var/run/heredoc-ready"},
		{"heredoc line with an interpolation", "heredoc", `echo "heredoc on 8080"`, "app/main.tf", spansTF, `echo "heredoc on ${var.port}"`},
		{"templatefile", "tmpl", "systemctl enable --now nginx", "app/files/boot.sh.tpl", spansBoot, "systemctl enable"},
		{"templatefile line with a placeholder", "tmpl", "listen 8080;", "app/files/boot.sh.tpl", spansBoot, "listen ${port}"},
		{"template_file[0] over file()", "legacy", "listen 9090;", "app/files/boot.sh.tpl", spansBoot, "listen ${port}"},
		{"filebase64", "b64", "mkdir -p /srv/app", "app/files/plain.sh", spansPlain, "mkdir -p /srv/app"},
		{"the branch an if directive takes", "directives", `echo "default port"`, "app/files/directives.sh.tftpl", spansDirectives, `echo "default port"`},
		{"a for directive's body", "directives", "systemctl enable --now api", "app/files/directives.sh.tftpl", spansDirectives, "systemctl enable"},
		{"its second pass", "directives", "systemctl enable --now worker", "app/files/directives.sh.tftpl", spansDirectives, "systemctl enable"},
		{"a line after the directives", "directives", "touch /var/run/ready", "app/files/directives.sh.tftpl", spansDirectives, "touch /var/run/ready"},
		{"a heredoc's if directive", "inline", `echo "inline default port"`, "app/main.tf", spansTF, `echo "inline default port"`},
		{"a heredoc's for directive, first pass", "inline", "apt-get install -y nginx", "app/main.tf", spansTF, "apt-get install -y ${p}"},
		{"a heredoc's for directive, second pass", "inline", "apt-get install -y redis-server", "app/main.tf", spansTF, "apt-get install -y ${p}"},
		{"a line after a heredoc's directives", "inline", "touch /var/run/inline-ready", "app/main.tf", spansTF, "touch /var/run/inline-ready"},
		{"a line with an escape after a strip marker", "directives", "echo \"instance ${INSTANCE_ID}\"", "app/files/directives.sh.tftpl", spansDirectives, "echo \"instance $${"},
		{"cloudinit part from a file", "parts", "mount -t efs", "app/files/cloud.cfg", spansCloudConfig, "mount -t efs"},
		{"cloudinit part from a heredoc", "parts", `echo "second part"`, "app/main.tf", spansTF, `echo "second part"`},
		{"Fn::Sub literal block", "SubConfig", "cfn-init -v", "cfn/launch-configs.yaml", spansCFN, "cfn-init -v"},
		{"Fn::Sub line with a parameter", "SubConfig", `echo "environment prod"`, "cfn/launch-configs.yaml", spansCFN, `echo "environment ${Env}"`},
		{"Fn::Join element", "JoinConfig", "yum -y update", "cfn/launch-configs.yaml", spansCFN, `"yum -y update\n"`},
		{"Fn::Join line of several elements", "JoinConfig", "echo join-prod", "cfn/launch-configs.yaml", spansCFN, `"echo join-"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec, ok := launch[tc.spec]
			if !ok {
				t.Fatalf("no launch data %s in %v", tc.spec, launch)
			}
			n := 0
			for i, l := range strings.Split(spec.UserData, "\n") {
				if strings.Contains(l, tc.seen) {
					n = i + 1
					break
				}
			}
			if n == 0 {
				t.Fatalf("user data has no line %q:\n%s", tc.seen, spec.UserData)
			}
			file, line, ok := inventory.SourceLine(spec.UserDataLines, n)
			if want := lineOf(tc.src, tc.at); !ok || file != tc.file || line != want {
				t.Errorf("line %d (%q) at %s:%d (%v), want %s:%d; spans %+v", n, tc.seen, file, line, ok, tc.file, want, spec.UserDataLines)
			}
		})
	}
}

type namedSpec struct {
	name string
	spec inventory.LaunchSpec
}

// spansGroups lists each group's launch data by the group's name, which the fixture
// gives the name of its launch template or configuration.
func spansGroups(est *inventory.Estate) []namedSpec {
	var out []namedSpec
	for _, g := range est.Groups {
		out = append(out, namedSpec{g.Name, g.Launch})
	}
	return out
}
