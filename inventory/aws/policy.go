package aws

import (
	"encoding/json"
	"slices"
)

// actions is every IAM action the collector can call. A test records the operations a
// full collection sends and fails when they and this list differ, so a call added
// without its permission, or a permission left behind by a removed call, breaks the
// build rather than a consultant's run.
var actions = []string{
	"autoscaling:DescribeAutoScalingGroups",
	"autoscaling:DescribeLaunchConfigurations",
	"autoscaling:DescribeLifecycleHooks",
	"autoscaling:DescribePolicies",
	"autoscaling:DescribeScheduledActions",
	"codedeploy:GetDeploymentGroup",
	"codedeploy:ListApplications",
	"codedeploy:ListDeploymentGroups",
	"ec2:DescribeImages",
	"ec2:DescribeLaunchTemplateVersions",
	"ec2:DescribeRegions",
	"elasticloadbalancing:DescribeListeners",
	"elasticloadbalancing:DescribeLoadBalancerAttributes",
	"elasticloadbalancing:DescribeLoadBalancerPolicies",
	"elasticloadbalancing:DescribeLoadBalancers",
	"elasticloadbalancing:DescribeTags",
	"elasticloadbalancing:DescribeTargetGroupAttributes",
	"elasticloadbalancing:DescribeTargetGroups",
	"organizations:ListAccounts",
	"organizations:ListAccountsForParent",
	"organizations:ListChildren",
	"ssm:DescribeAssociation",
	"ssm:ListAssociations",
	"sts:AssumeRole",
	"sts:GetCallerIdentity",
}

// Actions returns the sorted IAM actions the collector can call: all Describe, List or
// Get, plus sts:AssumeRole to reach other accounts.
func Actions() []string {
	out := slices.Clone(actions)
	slices.Sort(out)
	return out
}

// Policy returns the least-privilege IAM policy document (indented JSON) that allows
// exactly Actions(). Describe and List calls do not support resource-level permissions,
// hence Resource "*"; sts:AssumeRole can be narrowed to the role name by whoever
// attaches the policy.
func Policy() ([]byte, error) {
	type statement struct {
		Sid      string   `json:"Sid"`
		Effect   string   `json:"Effect"`
		Action   []string `json:"Action"`
		Resource string   `json:"Resource"`
	}
	doc := struct {
		Version   string      `json:"Version"`
		Statement []statement `json:"Statement"`
	}{
		Version: "2012-10-17",
		Statement: []statement{{
			Sid:      "WhyK8sReadOnlyInventory",
			Effect:   "Allow",
			Action:   Actions(),
			Resource: "*",
		}},
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
