package iac_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

const nestedChild = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EnvironmentName:
    Type: String
  InstanceType:
    Type: String
    Default: c4.large
  ClusterSize:
    Type: Number
    Default: 2
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: !Ref InstanceType
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: !Sub ${EnvironmentName}-hosts
      LaunchConfigurationName: !Ref Config
      MinSize: !Ref ClusterSize
      MaxSize: !Ref ClusterSize
`

func nestedParent(stacks string) string {
	return "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + stacks
}

// A nested stack whose template is in the tree is read through its parent, with the
// parent's Parameters; the template is not also read alone.
func TestNestedStacks(t *testing.T) {
	type want struct {
		name, instanceType string
		size               int
	}
	tests := []struct {
		name   string
		files  map[string]string
		groups []want
		gaps   []string // path:line message parts
	}{
		{
			name: "parameters override the child's defaults",
			files: map[string]string{
				"infrastructure/ecs-cluster.yaml": nestedChild,
				"master.yaml": nestedParent(`  ECS:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/acme-templates/infrastructure/ecs-cluster.yaml
      Parameters:
        EnvironmentName: prod
        InstanceType: t2.large
        ClusterSize: 4
`)},
			groups: []want{{"prod-hosts", "t2.large", 4}},
		},
		{
			name: "two references are two stacks; a parameter not passed and without Default is a gap",
			files: map[string]string{
				"templates/infrastructure/ecs-cluster.yaml": nestedChild,
				"master.yaml": nestedParent(`  Blue:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://${AWS::AccountId}-templates.s3.amazonaws.com/infrastructure/ecs-cluster.yaml
      Parameters:
        EnvironmentName: blue
  Green:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/infrastructure/ecs-cluster.yaml?versionId=3
      Parameters:
        InstanceType: m5.large
`)},
			// A group the code does not name is named as AWS names it: after the nested
			// stack that creates it.
			groups: []want{{"Green/Group", "m5.large", 2}, {"blue-hosts", "c4.large", 2}},
			gaps: []string{
				`templates/infrastructure/ecs-cluster.yaml:20 Group AutoScalingGroupName = !Sub ${EnvironmentName}-hosts: parameter EnvironmentName has no Default and master.yaml:Green does not pass it; read as "Green/Group"`,
			},
		},
		{
			name: "a TemplateURL not in the tree is a gap",
			files: map[string]string{"master.yaml": nestedParent(`  VPC:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/acme-templates/infrastructure/vpc.yaml
`)},
			gaps: []string{"master.yaml:6 VPC TemplateURL https://s3.amazonaws.com/acme-templates/infrastructure/vpc.yaml: no template infrastructure/vpc.yaml in the folders read"},
		},
		{
			// AWS Quick Starts name the templates people launch; a wrapper that launches
			// one with other parameters is a variant of it, not a second deployment.
			name: "a documented entry point is read even when a wrapper nests it; the wrapper is a gap",
			files: map[string]string{
				"templates/cluster.yaml": nestedChild,
				"templates/main.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Metadata:
  QuickStartDocumentation:
    EntrypointName: "Launch into a new VPC"
Parameters:
  Size:
    Type: String
    Default: "3"
Resources:
  ClusterStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://${AWS::AccountId}.s3.amazonaws.com/qs/templates/cluster.yaml
      Parameters:
        ClusterSize: !Ref Size
        EnvironmentName: main
`,
				"templates/main-pro.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  MainStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/qs/templates/main.yaml
      Parameters:
        Size: "1"
`,
			},
			groups: []want{{"main-hosts", "c4.large", 3}},
			gaps:   []string{`templates/main-pro.yaml:0 creates the documented entry point templates/main.yaml ("Launch into a new VPC") with parameters of its own`},
		},
		{
			name:   "a child read alone keeps its defaults and says what it lacks",
			files:  map[string]string{"ecs-cluster.yaml": nestedChild},
			groups: []want{{"Group", "c4.large", 2}},
			gaps:   []string{`ecs-cluster.yaml:20 Group AutoScalingGroupName = !Sub ${EnvironmentName}-hosts: parameter EnvironmentName has no Default; read as "Group"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTree(t, writeTree(t, tc.files))
			var got []want
			for _, g := range est.Groups {
				got = append(got, want{g.Name, g.Launch.InstanceType, g.MaxSize})
			}
			if len(got) != len(tc.groups) {
				t.Fatalf("groups %+v, want %+v (coverage %+v)", got, tc.groups, est.Coverage)
			}
			for i := range got {
				if got[i] != tc.groups[i] {
					t.Errorf("group %+v, want %+v", got[i], tc.groups[i])
				}
			}
			for _, want := range tc.gaps {
				loc, msg, _ := strings.Cut(want, " ")
				found := false
				for _, g := range est.Coverage {
					if g.Kind == inventory.GapUnresolved && g.Path+":"+itoa(g.Line) == loc && strings.Contains(g.Message, msg) {
						found = true
					}
				}
				if !found {
					t.Errorf("no gap at %s containing %q: %+v", loc, msg, est.Coverage)
				}
			}
		})
	}
}

func itoa(i int) string {
	var b []byte
	if i == 0 {
		return "0"
	}
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// A nested stack's output joins what another nested stack creates, as in AWS: the target
// group one stack creates is the one the other stack's group is attached to.
func TestNestedStackOutputs(t *testing.T) {
	files := map[string]string{
		"cfn/lb.yaml": `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 443
      Protocol: HTTPS
      HealthCheckPath: /api/status
Outputs:
  TargetGroupArn:
    Value: !Ref TG
`,
		"cfn/app.yaml": `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  TargetGroupArn:
    Type: String
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '2'
      MaxSize: '4'
      TargetGroupARNs:
        - !Ref TargetGroupArn
`,
		"cfn/main.yaml": `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  LoadBalancing:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/cfn/lb.yaml
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/cfn/app.yaml
      Parameters:
        TargetGroupArn: !GetAtt LoadBalancing.Outputs.TargetGroupArn
`,
	}
	est := readTree(t, writeTree(t, files))
	if len(est.Groups) != 1 || len(est.TargetGroups) != 1 {
		t.Fatalf("groups %+v, target groups %+v", est.Groups, est.TargetGroups)
	}
	g, tg := est.Groups[0], est.TargetGroups[0]
	if len(g.TargetGroupARNs) != 1 || g.TargetGroupARNs[0] != tg.ARN || !g.Known("TargetGroupARNs") {
		t.Errorf("group attached to %v (unknown %v), want %s, the other stack's target group", g.TargetGroupARNs, g.Unknown, tg.ARN)
	}
	if tg.Name != "LoadBalancing/TG" || tg.HealthCheck.Path != "/api/status" {
		t.Errorf("target group %s with health check %+v", tg.Name, tg.HealthCheck)
	}
}
