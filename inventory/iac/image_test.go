package iac_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"whyk8s/assess"
	"whyk8s/inventory"
	"whyk8s/inventory/iac"
)

// tfGroup is a provider, a group and its launch template whose image_id is imageExpr;
// the lookups the expression uses come in data.
func tfGroup(data, imageExpr string) map[string]string {
	return map[string]string{"main.tf": `provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
` + data + `
resource "aws_launch_template" "app" {
  name          = "app"
  image_id      = ` + imageExpr + `
  instance_type = "m5.large"
  user_data     = base64encode("#!/bin/bash\nsystemctl start app\n")
}
resource "aws_autoscaling_group" "app" {
  name     = "app"
  min_size = 2
  max_size = 4
  launch_template {
    id = aws_launch_template.app.id
  }
}
`}
}

// cfnGroup is a template with one group and its launch template; imageYAML is what
// ImageId is set to, params go under Parameters.
func cfnGroup(params, imageYAML string) map[string]string {
	return map[string]string{"stack.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Unused:
    Type: String
    Default: x
` + params + `
Resources:
  AppTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: app
      LaunchTemplateData:
        ImageId: ` + imageYAML + `
        InstanceType: m5.large
        UserData:
          Fn::Base64: |
            #!/bin/bash
            systemctl start app
  AppGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: app
      MinSize: "2"
      MaxSize: "4"
      LaunchTemplate:
        LaunchTemplateId: !Ref AppTemplate
        Version: !GetAtt AppTemplate.LatestVersionNumber
`}
}

func ubuntuAMI(name string) string {
	return `data "aws_ami" "` + name + `" {
  most_recent = true
  owners      = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}`
}

func TestImageLookups(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		// imageAt is what the line the image id points at holds; "" when the image id
		// must stay unknown and no Image be made up.
		imageAt string
		owner   string
		imName  string
		// platform and details as DescribeImages would report them.
		platform, details string
		gap               string // a gap message that must be recorded, if any
	}{
		{name: "Canonical Ubuntu", files: tfGroup(ubuntuAMI("ubuntu"), "data.aws_ami.ubuntu.id"),
			imageAt: `data "aws_ami" "ubuntu"`, owner: "099720109477", imName: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*",
			details: "Linux/UNIX", gap: "the image is known only by its lookup (owners 099720109477; name ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*)"},
		{name: "Amazon Linux by alias", files: tfGroup(`data "aws_ami" "al" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }
}`, "data.aws_ami.al.image_id"),
			imageAt: `data "aws_ami" "al"`, owner: "amazon", imName: "al2023-ami-2023.*-x86_64", details: "Linux/UNIX"},
		{name: "an Amazon image of no known distribution (a Deep Learning AMI) is Linux", files: tfGroup(`data "aws_ami" "dlami" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.* (Ubuntu 22.04) *"]
  }
}`, "data.aws_ami.dlami.id"),
			imageAt: `data "aws_ami" "dlami"`, owner: "amazon", imName: "Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.* (Ubuntu 22.04) *", details: "Linux/UNIX"},
		{name: "a known condition picks one of two lookups; a description filter says what the image is", files: tfGroup(`variable "arch" { default = "amd64" }
data "aws_ami" "fcos" {
  most_recent = true
  owners      = ["125523088429"]
  filter {
    name   = "description"
    values = ["Fedora CoreOS stable *"]
  }
}
data "aws_ami" "fcos_arm" {
  count  = var.arch == "arm64" ? 1 : 0
  owners = ["125523088429"]
  filter {
    name   = "description"
    values = ["Fedora CoreOS stable * aarch64"]
  }
}`, `var.arch == "arm64" ? data.aws_ami.fcos_arm[0].image_id : data.aws_ami.fcos.image_id`),
			imageAt: `data "aws_ami" "fcos" {`, owner: "125523088429", details: "Linux/UNIX", gap: "the image is known only by its lookup (owners 125523088429; description Fedora CoreOS stable *)"},
		{name: "Windows by name", files: tfGroup(`data "aws_ami" "win" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["Windows_Server-2022-English-Full-Base-*"]
  }
}`, "data.aws_ami.win.id"),
			imageAt: `data "aws_ami" "win"`, owner: "amazon", imName: "Windows_Server-2022-English-Full-Base-*", platform: "windows", details: "Windows"},
		{name: "Windows by platform filter", files: tfGroup(`data "aws_ami" "iis" {
  owners = ["self"]
  filter {
    name   = "platform"
    values = ["windows"]
  }
  name_regex = "^acme-iis-\\d+"
}`, "data.aws_ami.iis.id"),
			imageAt: `data "aws_ami" "iis"`, owner: "self", imName: `^acme-iis-\d+`, platform: "windows", details: "Windows"},
		{name: "a name no distribution uses, from Canonical, is still Ubuntu", files: tfGroup(`data "aws_ami" "u" {
  owners = ["099720109477"]
  filter {
    name   = "name"
    values = ["*jammy*"]
  }
}`, "data.aws_ami.u.id"),
			imageAt: `data "aws_ami" "u"`, owner: "099720109477", imName: "*jammy*", details: "Linux/UNIX"},
		{name: "the team's own image says no platform", files: tfGroup(`data "aws_ami" "golden" {
  owners = ["self"]
  filter {
    name   = "name"
    values = ["acme-app-*"]
  }
}`, "data.aws_ami.golden.id"),
			imageAt: `data "aws_ami" "golden"`, owner: "self", imName: "acme-app-*"},
		{name: "through a variable default and count", files: tfGroup(`variable "channel" { default = "jammy-22.04" }
data "aws_ami" "u" {
  count       = 1
  most_recent = true
  owners      = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-${var.channel}-amd64-server-*"]
  }
}`, "data.aws_ami.u[0].id"),
			imageAt: `data "aws_ami" "u"`, owner: "099720109477", imName: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*", details: "Linux/UNIX"},
		{name: "owner known, name from a variable without value", files: tfGroup(`variable "pattern" {}
data "aws_ami" "u" {
  owners = ["099720109477"]
  filter {
    name   = "name"
    values = [var.pattern]
  }
}`, "data.aws_ami.u.id"),
			imageAt: `data "aws_ami" "u"`, owner: "099720109477", details: "Linux/UNIX",
			gap: "some of its filters are not known (var.pattern has no default or tfvars value)"},
		{name: "a lookup whose filters are all unknown is no evidence", files: tfGroup(`variable "owner" {}
variable "pattern" {}
data "aws_ami" "x" {
  owners = [var.owner]
  filter {
    name   = "name"
    values = [var.pattern]
  }
}`, "data.aws_ami.x.id"),
			gap: "data.aws_ami.x is looked up when Terraform runs; its filters are not known either"},
		{name: "an image id from a variable without value stays unknown", files: tfGroup(`variable "ami" {}`, "var.ami"),
			gap: "image_id = var.ami: var.ami has no default or tfvars value"},
		{name: "an override without value or the lookup could be either", files: tfGroup(`variable "ami_override" {}
`+ubuntuAMI("ubuntu"), `var.ami_override != "" ? var.ami_override : data.aws_ami.ubuntu.id`)},
		{name: "an override left null is the lookup", files: tfGroup(`variable "ami_override" { default = null }
`+ubuntuAMI("ubuntu"), `coalesce(var.ami_override, data.aws_ami.ubuntu.id)`),
			imageAt: `data "aws_ami" "ubuntu"`, owner: "099720109477", imName: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*", details: "Linux/UNIX"},
		{name: "Terraform reading AWS's SSM image parameter", files: tfGroup(`data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}`, "data.aws_ssm_parameter.al2023.value"),
			imageAt: `data "aws_ssm_parameter" "al2023"`, owner: "amazon", imName: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", details: "Linux/UNIX"},
		{name: "Terraform reading the team's own SSM parameter", files: tfGroup(`data "aws_ssm_parameter" "ami" {
  name = "/acme/golden-ami/latest"
}`, "data.aws_ssm_parameter.ami.value"),
			gap: "data.aws_ssm_parameter.ami is looked up when Terraform runs"},
		{name: "CloudFormation dynamic reference", files: cfnGroup("", "'{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'"),
			imageAt: "ImageId: '{{resolve:ssm:", owner: "amazon", imName: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", details: "Linux/UNIX",
			gap: "the image is known only by the public parameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"},
		{name: "CloudFormation SSM parameter type, Windows", files: cfnGroup(`  LatestWindows:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base`, "!Ref LatestWindows"),
			imageAt: "LatestWindows:", owner: "amazon", imName: "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", platform: "windows", details: "Windows",
			gap: "parameter LatestWindows is read from the SSM parameter /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base when the stack is deployed"},
		{name: "CloudFormation SSM parameter type, Ubuntu", files: cfnGroup(`  UbuntuAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id`, "!Ref UbuntuAmi"),
			imageAt: "UbuntuAmi:", owner: "099720109477", imName: "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id", details: "Linux/UNIX"},
		{name: "CloudFormation SSM parameter of the team's own", files: cfnGroup(`  GoldenAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /acme/golden-ami`, "!Ref GoldenAmi"),
			gap: "parameter GoldenAmi is read from the SSM parameter /acme/golden-ami when the stack is deployed"},
		{name: "CloudFormation AMI id parameter stays an AMI id", files: cfnGroup(`  AmiId:
    Type: AWS::EC2::Image::Id
    Default: ami-0c0ffee0c0ffee000`, "!Ref AmiId")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			est, err := readOpts(dir, iac.Options{DefaultRegion: "eu-west-2", DefaultAccount: "444455556666"})
			if err != nil {
				t.Fatal(err)
			}
			if len(est.Groups) != 1 {
				t.Fatalf("groups %+v", est.Groups)
			}
			g := &est.Groups[0]
			im := imageOf(est, g)
			if tc.gap != "" && !hasGapContaining(est, tc.gap) {
				t.Errorf("no gap with %q: %+v", tc.gap, est.Coverage)
			}
			if tc.imageAt == "" {
				if strings.HasPrefix(g.Launch.ImageID, "iac:") || len(est.Images) != 0 {
					t.Errorf("image id %q, images %+v: want the image unknown and no Image", g.Launch.ImageID, est.Images)
				}
				if g.Launch.ImageID != "" && !strings.HasPrefix(g.Launch.ImageID, "ami-") {
					t.Errorf("image id %q is not an AMI id", g.Launch.ImageID)
				}
				return
			}
			if im == nil {
				t.Fatalf("image id %q has no Image; images %+v", g.Launch.ImageID, est.Images)
			}
			if line := lineIn(t, dir, g.Launch.ImageID); !strings.Contains(line, tc.imageAt) {
				t.Errorf("image id %s points at %q, want %q", g.Launch.ImageID, line, tc.imageAt)
			}
			if im.OwnerID != tc.owner || im.Name != tc.imName || im.Platform != tc.platform || im.PlatformDetails != tc.details {
				t.Errorf("image %+v\nwant owner %q name %q platform %q details %q", im, tc.owner, tc.imName, tc.platform, tc.details)
			}
			if im.CreationDate != "" || !strings.Contains(im.Description, "AMI id is not in the code") {
				t.Errorf("image %+v: want no creation date and a description saying it is a lookup", im)
			}
			if im.Account != g.Account || im.Region != g.Region {
				t.Errorf("image in %s/%s, group in %s/%s", im.Account, im.Region, g.Account, g.Region)
			}
			// The AMI id itself is still unknown, and says so.
			if !hasGapContaining(est, "AMI id is unknown, the image is known only by") {
				t.Errorf("no gap saying the AMI id is unknown: %+v", est.Coverage)
			}
		})
	}
}

// The root volume of a launch configuration has no device name in Terraform; when the
// image's distribution is known, it is that distribution's root device.
func TestLaunchConfigurationRootDevice(t *testing.T) {
	lc := func(data, image string) map[string]string {
		return map[string]string{"main.tf": data + `
resource "aws_launch_configuration" "app" {
  name          = "app"
  image_id      = ` + image + `
  instance_type = "m5.large"
  root_block_device {
    volume_size = 40
  }
}
resource "aws_autoscaling_group" "app" {
  name                 = "app"
  min_size             = 1
  max_size             = 2
  launch_configuration = aws_launch_configuration.app.name
}`}
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"Ubuntu boots from sda1", lc(ubuntuAMI("u"), "data.aws_ami.u.id"), "/dev/sda1"},
		{"Amazon Linux from xvda", lc(`data "aws_ami" "al" {
  owners = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}`, "data.aws_ami.al.id"), "/dev/xvda"},
		{"Debian's own images from xvda", lc(`data "aws_ami" "d" {
  owners = ["136693071363"]
  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }
}`, "data.aws_ami.d.id"), "/dev/xvda"},
		{"an AMI id keeps the default", lc("", `"ami-0123456789abcdef0"`), "/dev/xvda"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTree(t, writeTree(t, tc.files))
			if len(est.Groups) != 1 || len(est.Groups[0].Launch.BlockDevices) != 1 {
				t.Fatalf("groups %+v", est.Groups)
			}
			if bd := est.Groups[0].Launch.BlockDevices[0]; bd.DeviceName != tc.want || bd.VolumeSize != 40 {
				t.Errorf("root volume %+v, want %s", bd, tc.want)
			}
		})
	}
}

// What assess makes of lookup images: a published distribution is stock, so user data that
// shows everything is evidence; the team's own image is not; Windows is Windows.
func TestAssessLookupImages(t *testing.T) {
	self := `data "aws_ami" "golden" {
  owners = ["self"]
  filter {
    name   = "name"
    values = ["acme-app-*"]
  }
}`
	market := `data "aws_ami" "vendor" {
  owners = ["aws-marketplace"]
  filter {
    name   = "name"
    values = ["vendor-appliance-*"]
  }
}`
	tests := []struct {
		name    string
		files   map[string]string
		stock   bool // user data counts as evidence: the rules that look for facts decide
		windows bool
	}{
		{"Ubuntu lookup is stock", tfGroup(ubuntuAMI("ubuntu"), "data.aws_ami.ubuntu.id"), true, false},
		{"Amazon Linux SSM parameter is stock", cfnGroup("", "'{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'"), true, false},
		{"Windows SSM parameter is stock Windows", cfnGroup(`  Win:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base`, "!Ref Win"), true, true},
		{"the team's own image is not stock", tfGroup(self, "data.aws_ami.golden.id"), false, false},
		{"a marketplace image is not stock", tfGroup(market, "data.aws_ami.vendor.id"), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := gatherIaC(t, []string{writeTree(t, tc.files)}, iac.Options{DefaultRegion: "eu-west-2", DefaultAccount: "444455556666"})
			res, err := assess.Assess(est, nil, assess.DefaultConfig(), assess.Meta{Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Workloads) != 1 {
				t.Fatalf("workloads %+v", res.Workloads)
			}
			w := res.Workloads[0]
			signal := map[string]assess.Signal{}
			for _, s := range w.Signals {
				signal[s.Rule] = s
			}
			unknown := map[string]string{}
			for _, u := range w.Unknowns {
				unknown[u.Rule] = u.Reason
			}
			// FIT-LOCAL-DATABASE is decided from the user data only when the image is stock.
			if _, decided := signal["FIT-LOCAL-DATABASE"]; decided != tc.stock {
				t.Errorf("FIT-LOCAL-DATABASE decided = %v, want %v (unknown: %q)", decided, tc.stock, unknown["FIT-LOCAL-DATABASE"])
			}
			// A stock image is not a baked one: it counts against FIT-IMMUTABLE-IMAGE; the
			// team's own image may be baked by scripts not in scope, which is unknown.
			im, decided := signal["FIT-IMMUTABLE-IMAGE"]
			if tc.stock && (!decided || im.Points >= 0 || !strings.Contains(im.Detail, "stock image")) {
				t.Errorf("FIT-IMMUTABLE-IMAGE %+v, want it to count against a stock image", im)
			}
			if !tc.stock && decided {
				t.Errorf("FIT-IMMUTABLE-IMAGE %+v decided for an image nothing in scope builds", im)
			}
			if win := signal["FIT-WINDOWS"]; (win.Points < 0) != tc.windows {
				t.Errorf("FIT-WINDOWS %+v, want Windows = %v", win, tc.windows)
			}
			if !tc.stock && w.Fit.Category != assess.CategoryInsufficient {
				t.Errorf("%s with confidence %d for an image of unknown content, want %s", w.Fit.Category, w.Fit.Confidence, assess.CategoryInsufficient)
			}
		})
	}
}

func readOpts(dir string, opts iac.Options) (*inventory.Estate, error) {
	return iac.Read(context.Background(), []string{dir}, withDecoder(opts))
}

func hasGapContaining(est *inventory.Estate, s string) bool {
	for _, g := range est.Coverage {
		if strings.Contains(g.Message, s) {
			return true
		}
	}
	return false
}

// lineIn returns the line an evidence identifier points at, in a tree under dir.
func lineIn(t *testing.T, dir, id string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(id, "iac:")
	if !ok {
		t.Fatalf("%q is not an iac: evidence identifier", id)
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 {
		t.Fatalf("%q: want iac:PATH:LINE:ADDRESS", id)
	}
	src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(parts[0])))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	n, _ := strconv.Atoi(parts[1])
	if n < 1 || n > len(lines) {
		t.Fatalf("%s: no line %d", parts[0], n)
	}
	return lines[n-1]
}
