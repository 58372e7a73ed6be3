package iac_test

import (
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
