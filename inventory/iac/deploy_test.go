package iac_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"whyk8s/inventory/iac"
)

// TestCodeDeployDeploymentGroups: a CodeDeploy deployment group names the groups it
// deploys to, in Terraform (a list of references, the application by reference) and in
// CloudFormation (Ref, the revision of its first deployment); an application named after
// its stack is not known by name.
func TestCodeDeployDeploymentGroups(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // "group: service application group revision @file:line"
	}{
		{"terraform", map[string]string{"main.tf": `resource "aws_autoscaling_group" "web" {
  name     = "orders-web"
  min_size = 2
  max_size = 4
}
resource "aws_autoscaling_group" "worker" {
  name     = "orders-worker"
  min_size = 1
  max_size = 2
}
resource "aws_codedeploy_app" "orders" {
  name = "orders"
}
# both tiers get each release
resource "aws_codedeploy_deployment_group" "prod" {
  app_name               = aws_codedeploy_app.orders.name
  deployment_group_name  = "orders-prod"
  service_role_arn       = "arn:aws:iam::123456789012:role/cd"
  autoscaling_groups     = [aws_autoscaling_group.web.name, aws_autoscaling_group.worker.name]
}
`}, []string{
			"orders-web: codedeploy orders orders-prod  @main.tf:15",
			"orders-worker: codedeploy orders orders-prod  @main.tf:15",
		}},
		{"cloudformation", map[string]string{"stack.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: billing-web
      MinSize: "2"
      MaxSize: "4"
  App:
    Type: AWS::CodeDeploy::Application
    Properties:
      ApplicationName: billing
  Stacked:
    Type: AWS::CodeDeploy::Application
    Properties:
      ApplicationName: !Ref AWS::StackName
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      DeploymentGroupName: billing-prod
      AutoScalingGroups: [!Ref Web]
      Deployment:
        Revision:
          RevisionType: S3
          S3Location: {Bucket: acme-releases, Key: billing/1.4.zip, BundleType: zip}
  Other:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref Stacked
      AutoScalingGroups:
        - !Ref Web
`}, []string{
			"billing-web: codedeploy  Other  @stack.yaml:27",
			"billing-web: codedeploy billing billing-prod s3://acme-releases/billing/1.4.zip @stack.yaml:17",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est := readTreeWith(t, tt.files, iac.Options{})
			var got []string
			for _, g := range est.Groups {
				for _, d := range g.Deployments {
					at := d.Places[""]
					got = append(got, g.Name+": "+strings.Join([]string{d.Service, d.Application, d.DeploymentGroup, d.Revision}, " ")+" @"+at.File+":"+itoa(at.Line))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("deployments\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestSSMAssociations: a Systems Manager association chooses instances by tag, not by
// group: each group whose tags it names gets it, in Terraform and in CloudFormation. Its
// document's source is kept without its signature; no other parameter is kept but the
// playbook an AWS-ApplyAnsiblePlaybooks association applies (TestSSMAssociationCommands).
func TestSSMAssociations(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // "group: application group revision [target] @file:line"
	}{
		{"terraform", map[string]string{"main.tf": `resource "aws_autoscaling_group" "web" {
  name     = "storefront-web"
  min_size = 2
  max_size = 4
  tag {
    key                 = "Role"
    value               = "storefront-web"
    propagate_at_launch = true
  }
}
resource "aws_autoscaling_group" "batch" {
  name     = "storefront-batch"
  min_size = 0
  max_size = 2
  tag {
    key                 = "Role"
    value               = "batch"
    propagate_at_launch = true
  }
}
resource "aws_ssm_association" "web" {
  name             = "AWS-ApplyAnsiblePlaybooks"
  association_name = "storefront-web-config"
  parameters = {
    SourceType   = "S3"
    SourceInfo   = "{\"path\":\"https://deploy:hunter2@acme-config.s3.amazonaws.com/ansible/web.zip?X-Amz-Signature=abc\"}"
    PlaybookFile = "site.yml"
    ExtraVariables = "db_password=Sup3rS3cret"
  }
  targets {
    key    = "tag:Role"
    values = ["storefront-web", "storefront-api"]
  }
}
resource "aws_ssm_association" "patch" {
  name = "AWS-RunPatchBaseline"
  targets {
    key    = "InstanceIds"
    values = ["*"]
  }
}
resource "aws_ssm_association" "elsewhere" {
  name = "Acme-ConfigureReporting"
  targets {
    key    = "tag:Role"
    values = ["reporting"]
  }
}
`}, []string{
			"storefront-batch: AWS-RunPatchBaseline aws_ssm_association.patch  [InstanceIds=*] @main.tf:35",
			"storefront-web: AWS-ApplyAnsiblePlaybooks storefront-web-config https://acme-config.s3.amazonaws.com/ansible/web.zip [tag:Role=storefront-web,storefront-api] @main.tf:21",
			"storefront-web: AWS-RunPatchBaseline aws_ssm_association.patch  [InstanceIds=*] @main.tf:35",
		}},
		{"cloudformation", map[string]string{"stack.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: billing-web
      MinSize: "2"
      MaxSize: "4"
      Tags:
        - Key: app
          Value: billing
          PropagateAtLaunch: true
  Configure:
    Type: AWS::SSM::Association
    Properties:
      Name: AWS-ApplyChefRecipes
      AssociationName: billing-chef
      Parameters:
        SourceType: ["GitHub"]
        SourceInfo: ['{"owner":"acme","repository":"billing-cookbooks","path":"","getOptions":"branch:main"}']
      Targets:
        - Key: tag-key
          Values: [app]
`}, []string{
			"billing-web: AWS-ApplyChefRecipes billing-chef github:acme/billing-cookbooks [tag-key=app] @stack.yaml:13",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est := readTreeWith(t, tt.files, iac.Options{})
			var got []string
			for _, g := range est.Groups {
				for _, d := range g.Deployments {
					if d.Service != "ssm-association" {
						t.Errorf("%s: service %q", g.Name, d.Service)
					}
					at := d.Places[""]
					got = append(got, g.Name+": "+strings.Join([]string{d.Application, d.DeploymentGroup, d.Revision}, " ")+" ["+d.Target+"] @"+at.File+":"+itoa(at.Line))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("associations\n%q\nwant\n%q", got, tt.want)
			}
			for _, g := range est.Groups {
				for _, d := range g.Deployments {
					if s := strings.Join([]string{d.Application, d.DeploymentGroup, d.Revision, d.Target, d.Source}, " "); strings.Contains(s, "hunter2") || strings.Contains(s, "Sup3rS3cret") || strings.Contains(s, "Signature") {
						t.Errorf("%s keeps a parameter it must not: %s", g.Name, s)
					}
				}
			}
		})
	}
}

// TestSSMAssociationCommands: an association running AWS-RunShellScript or
// AWS-RunPowerShellScript keeps its commands (in Terraform a string, in CloudFormation a
// list, a line each), one running
// AWS-ApplyAnsiblePlaybooks its playbook, each with the place it is written; any other
// document keeps none of its parameters.
func TestSSMAssociationCommands(t *testing.T) {
	files := map[string]string{
		"main.tf": `resource "aws_autoscaling_group" "api" {
  name     = "orders-api"
  min_size = 2
  max_size = 4
  tag {
    key                 = "Role"
    value               = "orders-api"
    propagate_at_launch = true
  }
}
resource "aws_ssm_association" "setup" {
  name = "AWS-RunShellScript"
  targets {
    key    = "tag:Role"
    values = ["orders-api"]
  }
  parameters = {
    commands = "dnf install -y postgresql15-server\nsystemctl enable --now postgresql"
  }
}
resource "aws_ssm_association" "config" {
  name = "AWS-ApplyAnsiblePlaybooks"
  targets {
    key    = "tag:Role"
    values = ["orders-api"]
  }
  parameters = {
    SourceType   = "S3"
    SourceInfo   = "{\"path\":\"https://acme-config.s3.amazonaws.com/ansible.zip\"}"
    PlaybookFile = "playbooks/api.yml"
  }
}
resource "aws_ssm_association" "chef" {
  name = "AWS-ApplyChefRecipes"
  targets {
    key    = "tag:Role"
    values = ["orders-api"]
  }
  parameters = {
    SourceType = "GitHub"
    RunList    = "recipe[orders::api],role[base]"
  }
}
resource "aws_ssm_association" "ps" {
  name = "AWS-RunPowerShellScript"
  targets {
    key    = "tag:Role"
    values = ["orders-api"]
  }
  parameters = {
    commands = "Install-WindowsFeature Web-Server"
  }
}
`,
		"stack.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: billing-web
      MinSize: "2"
      MaxSize: "4"
      Tags:
        - Key: app
          Value: billing
          PropagateAtLaunch: true
  Setup:
    Type: AWS::SSM::Association
    Properties:
      Name: AWS-RunShellScript
      Parameters:
        commands:
          - yum install -y nginx
          - systemctl enable --now nginx
      Targets:
        - Key: tag:app
          Values: [billing]
`,
	}
	est := readTreeWith(t, files, iac.Options{})
	var got []string
	for _, g := range est.Groups {
		for _, d := range g.Deployments {
			at := d.Places["Commands"]
			got = append(got, fmt.Sprintf("%s: %s %q @%s:%d", g.Name, d.Application, d.Commands, at.File, at.Line))
		}
	}
	slices.Sort(got)
	want := []string{
		`billing-web: AWS-RunShellScript "yum install -y nginx\nsystemctl enable --now nginx" @stack.yaml:18`,
		`orders-api: AWS-ApplyAnsiblePlaybooks "" @:0`,
		`orders-api: AWS-ApplyChefRecipes "" @:0`,
		`orders-api: AWS-RunPowerShellScript "Install-WindowsFeature Web-Server" @main.tf:50`,
		`orders-api: AWS-RunShellScript "dnf install -y postgresql15-server\nsystemctl enable --now postgresql" @main.tf:17`,
	}
	var playbooks []string
	for _, g := range est.Groups {
		for _, d := range g.Deployments {
			if d.Playbook != "" {
				at := d.Places["Playbook"]
				playbooks = append(playbooks, fmt.Sprintf("%s: %s %s @%s:%d", g.Name, d.Application, d.Playbook, at.File, at.Line))
			}
		}
	}
	for _, g := range est.Groups {
		for _, d := range g.Deployments {
			if d.RunList != "" {
				at := d.Places["RunList"]
				playbooks = append(playbooks, fmt.Sprintf("%s: %s %s @%s:%d", g.Name, d.Application, d.RunList, at.File, at.Line))
			}
		}
	}
	slices.Sort(playbooks)
	if w := []string{"orders-api: AWS-ApplyAnsiblePlaybooks playbooks/api.yml @main.tf:27", "orders-api: AWS-ApplyChefRecipes recipe[orders::api],role[base] @main.tf:39"}; !slices.Equal(playbooks, w) {
		t.Errorf("playbooks %q, want %q", playbooks, w)
	}
	if !slices.Equal(got, want) {
		t.Errorf("associations\n%q\nwant\n%q", got, want)
	}
}
