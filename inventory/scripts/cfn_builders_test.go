package scripts

import (
	"fmt"
	"testing"

	"whyk8s/inventory"
)

// A template that bakes its own image, the way teams copy it from Quick Starts: an
// instance configured by cfn-init, a custom resource making an AMI of it, and the launch
// configuration launching that AMI. The groups' own launch template keeps a cfn-init of
// its own, read at boot.
const cfnBakesYAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ShopBuilder:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Init:
        config:
          packages:
            yum:
              php-fpm: []
    Properties:
      ImageId: ami-0aaaaaaaaaaaaaaa1
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          /opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource ShopBuilder
  MakeShopAMI:
    Type: Custom::CreateAMI
    Properties:
      ServiceToken: !GetAtt AmiFunction.Arn
      InstanceId: !Ref ShopBuilder
  ShopLC:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: !GetAtt MakeShopAMI.ImageId
  Bastion:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0aaaaaaaaaaaaaaa1
  BastionIP:
    Type: AWS::EC2::EIP
    Properties:
      InstanceId: !Ref Bastion
`

// The same in JSON, through a nested stack given the instance's id, its output read by a
// launch template.
const cfnBakesJSON = `{
  "Resources": {
    "Builder": {
      "Type": "AWS::EC2::Instance",
      "Properties": {"ImageId": "ami-0aaaaaaaaaaaaaaa1"}
    },
    "AmiStack": {
      "Type": "AWS::CloudFormation::Stack",
      "Properties": {
        "TemplateURL": "https://example.s3.amazonaws.com/create-ami.yaml",
        "Parameters": {"EC2InstanceId": {"Ref": "Builder"}}
      }
    },
    "LT": {
      "Type": "AWS::EC2::LaunchTemplate",
      "Properties": {"LaunchTemplateData": {"ImageId": {"Fn::GetAtt": ["AmiStack", "Outputs.AMIId"]}}}
    }
  }
}
`

func TestCFNImageBuilders(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string // name, lines, image, where it names the instance, ImageId lines
	}{
		{"custom resource, YAML; an instance an EIP names is no builder", "shop.yaml", cfnBakesYAML, []string{"ShopBuilder 3-16 MakeShopAMI 21 [25]"}},
		{"nested stack, JSON", "shop.json", cfnBakesJSON, []string{"Builder 3-5 AmiStack 11 [16]"}},
		{"no image made", "plain.yaml", cfnYAML, nil},
		{"a resource without a Type is no builder, and no crash", "broken.yaml", "Resources:\n  LC:\n    Type: AWS::AutoScaling::LaunchConfiguration\n    Properties:\n      ImageId: !GetAtt NoType.ami\n  NoType:\n    Properties:\n      InstanceId: !Ref Box\n  Box:\n    Properties: {}\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, gaps, verdict := readFile(tc.path, []byte(tc.src), 1<<20, "", true)
			if verdict != verdictRead || len(gaps) > 0 {
				t.Fatalf("verdict %d, gaps %+v", verdict, gaps)
			}
			var got []string
			for _, b := range res.script.ImageBuilders {
				got = append(got, fmt.Sprintf("%s %d-%d %s %d %v", b.Name, b.FromLine, b.ToLine, b.Image, b.Evidence.Line, b.ImageIDLines))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("builders %q, want %q", got, tc.want)
			}
		})
	}
}

// The builder's facts are still read, where they are written: only when they happen
// changes, and that is for the assessment to weigh.
func TestCFNImageBuilderFactsKept(t *testing.T) {
	res, _, _ := readFile("shop.yaml", []byte(cfnBakesYAML), 1<<20, "", true)
	var cfg []inventory.Fact
	for _, f := range res.facts() {
		if f.Kind == inventory.FactConfigMgmt || f.Kind == inventory.FactWebServer {
			cfg = append(cfg, f)
		}
	}
	if len(cfg) != 2 {
		t.Errorf("cfn-init and php-fpm on the builder: %+v", cfg)
	}
}
