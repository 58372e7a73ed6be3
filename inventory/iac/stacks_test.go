package iac_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/iac"
)

// Fixtures for what real repositories do that a single small tree does not: several
// CloudFormation templates that reuse logical ids, one module called from several roots,
// the registry module's attachment arguments, names built from values known only once
// applied.

// cfnWebStack is a template in the style of AWS's samples: an unnamed group, launch
// configuration and classic load balancer, joined by Ref.
func cfnWebStack(instanceType, extra string) string {
	return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  WebServerGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AvailabilityZones: !GetAZs ''
      LaunchConfigurationName: !Ref LaunchConfig
      MinSize: '2'
      MaxSize: '4'
      LoadBalancerNames:
        - !Ref ElasticLoadBalancer
  LaunchConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0abcdef1234567890
      InstanceType: ` + instanceType + `
      UserData: !Base64
        Fn::Sub: |
          #!/bin/bash
          echo "group ${WebServerGroup} behind ${ElasticLoadBalancer}" > /etc/motd
  ElasticLoadBalancer:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      AvailabilityZones: !GetAZs ''
      Listeners:
        - LoadBalancerPort: '80'
          InstancePort: '80'
          Protocol: HTTP
` + extra
}

const cfnDraining = `      ConnectionDrainingPolicy:
        Enabled: 'true'
        Timeout: '60'
`

const cfnSchedules = `  ScheduledActionUp:
    Type: AWS::AutoScaling::ScheduledAction
    Properties:
      AutoScalingGroupName: !Ref WebServerGroup
      MaxSize: '10'
      MinSize: '5'
      Recurrence: 0 7 * * *
`

// tfWebModule is a module in the style of "Terraform: Up & Running": nothing named, so
// every name is generated when applied, and user data from a data "template_file" chosen
// by count.
const tfWebModule = `
resource "aws_launch_configuration" "example" {
  image_id        = "ami-0c55b159cbfafe1f0"
  instance_type   = var.instance_type
  security_groups = [aws_security_group.instance.id]
  user_data = (
    length(data.template_file.user_data[*]) > 0
      ? data.template_file.user_data[0].rendered
      : data.template_file.user_data_new[0].rendered
  )
  lifecycle {
    create_before_destroy = true
  }
}

data "template_file" "user_data" {
  count    = var.enable_new_user_data ? 0 : 1
  template = file("${path.module}/user-data.sh")
  vars = {
    server_port = var.server_port
    db_address  = data.terraform_remote_state.db.outputs.address
  }
}

data "template_file" "user_data_new" {
  count    = var.enable_new_user_data ? 1 : 0
  template = file("${path.module}/user-data-new.sh")
  vars = {
    server_port = var.server_port
  }
}

resource "aws_security_group" "instance" {
  name = "${var.cluster_name}-instance"
}

resource "aws_autoscaling_group" "example" {
  launch_configuration = aws_launch_configuration.example.name
  target_group_arns    = [aws_lb_target_group.asg.arn]
  health_check_type    = "ELB"
  min_size             = var.min_size
  max_size             = var.max_size
  tag {
    key                 = "Name"
    value               = var.cluster_name
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_schedule" "scale_out" {
  count                  = var.enable_autoscaling ? 1 : 0
  scheduled_action_name  = "${var.cluster_name}-scale-out"
  min_size               = 2
  max_size               = 10
  desired_capacity       = 10
  recurrence             = "0 9 * * *"
  autoscaling_group_name = aws_autoscaling_group.example.name
}

resource "aws_lb" "example" {
  name               = var.cluster_name
  load_balancer_type = "application"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.example.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.asg.arn
  }
}

resource "aws_lb_target_group" "asg" {
  name     = var.cluster_name
  port     = 8080
  protocol = "HTTP"
}
`

const tfWebVariables = `
variable "cluster_name" {}
variable "instance_type" {}
variable "min_size" {}
variable "max_size" {}
variable "enable_autoscaling" {}
variable "enable_new_user_data" {}
variable "server_port" { default = 8080 }
`

func tfWebCaller(env, instanceType string, newUserData bool) string {
	nu := "false"
	if newUserData {
		nu = "true"
	}
	return `
provider "aws" {
  region = "us-east-2"
}

module "webserver_cluster" {
  source = "../../../../modules/services/webserver-cluster"

  cluster_name         = "webservers-` + env + `"
  instance_type        = "` + instanceType + `"
  min_size             = 2
  max_size             = 10
  enable_autoscaling   = ` + map[bool]string{true: "false", false: "true"}[newUserData] + `
  enable_new_user_data = ` + nu + `
}
`
}

var tfWebTree = map[string]string{
	"modules/services/webserver-cluster/main.tf":          tfWebModule,
	"modules/services/webserver-cluster/variables.tf":     tfWebVariables,
	"modules/services/webserver-cluster/user-data.sh":     "#!/bin/bash\necho \"DB ${db_address}\" > index.html\nnohup busybox httpd -f -p ${server_port} &\n",
	"modules/services/webserver-cluster/user-data-new.sh": "#!/bin/bash\necho \"Hello, World, v2\" > index.html\nnohup busybox httpd -f -p \"${server_port}\" &\n",
	"live/stage/services/webserver-cluster/main.tf":       tfWebCaller("stage", "t2.micro", true),
	"live/prod/services/webserver-cluster/main.tf":        tfWebCaller("prod", "m4.large", false),
}

func readTreeWith(t *testing.T, files map[string]string, opts iac.Options) *inventory.Estate {
	t.Helper()
	est, err := iac.Read(context.Background(), []string{writeTree(t, files)}, withDecoder(opts))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return est
}

// groupFrom is the one group whose evidence names the file or root.
func groupFrom(t *testing.T, est *inventory.Estate, where string) *inventory.AutoScalingGroup {
	t.Helper()
	var found *inventory.AutoScalingGroup
	for i := range est.Groups {
		if strings.Contains(est.Groups[i].ARN, where) {
			if found != nil {
				t.Fatalf("two groups from %s: %s and %s", where, found.ARN, est.Groups[i].ARN)
			}
			found = &est.Groups[i]
		}
	}
	if found == nil {
		t.Fatalf("no group from %s", where)
	}
	return found
}

func classicNamed(est *inventory.Estate, name string) *inventory.ClassicLoadBalancer {
	for i := range est.ClassicLoadBalancers {
		if est.ClassicLoadBalancers[i].Name == name {
			return &est.ClassicLoadBalancers[i]
		}
	}
	return nil
}

// noIdentifierIn fails when an evidence identifier shows where people read text.
func noIdentifierIn(t *testing.T, est *inventory.Estate) {
	t.Helper()
	for _, g := range est.Groups {
		texts := []string{g.Name, g.Launch.UserData}
		for k, v := range g.Tags {
			texts = append(texts, k, v)
		}
		for _, s := range texts {
			if strings.Contains(s, "iac:") {
				t.Errorf("group %s: an evidence identifier shows in text people read: %q", g.ARN, s)
			}
		}
	}
}

func TestStacksStaySeparate(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  iac.Options
		check func(t *testing.T, est *inventory.Estate)
	}{
		{
			name: "CloudFormation: Ref resolves within its own template",
			files: map[string]string{
				"AutoScaling/Scheduled.yaml":         cfnWebStack("t2.small", cfnSchedules),
				"ElasticLoadBalancing/Locked.yaml":   cfnWebStack("t2.small", ""),
				"ElasticLoadBalancing/Draining.yaml": cfnWebStack("t3.micro", cfnDraining),
			},
			opts: iac.Options{DefaultRegion: "eu-west-1"},
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 3 || len(est.ClassicLoadBalancers) != 3 {
					t.Fatalf("%d groups, %d classic load balancers; want 3 and 3", len(est.Groups), len(est.ClassicLoadBalancers))
				}
				for _, tc := range []struct {
					file, instanceType string
					schedules          int
					draining           bool
				}{
					{"AutoScaling/Scheduled.yaml", "t2.small", 1, false},
					{"ElasticLoadBalancing/Locked.yaml", "t2.small", 0, false},
					{"ElasticLoadBalancing/Draining.yaml", "t3.micro", 0, true},
				} {
					g := groupFrom(t, est, tc.file+":")
					// Every group shares the logical id: all of them, not all but the
					// first, are told apart by their template.
					if g.Name != "WebServerGroup ("+tc.file+")" {
						t.Errorf("%s: group name %q", tc.file, g.Name)
					}
					if g.Launch.InstanceType != tc.instanceType || !strings.Contains(g.Launch.Source, tc.file+":") {
						t.Errorf("%s: launch data %s from %s, want %s from the same template", tc.file, g.Launch.InstanceType, g.Launch.Source, tc.instanceType)
					}
					if len(g.ScheduledActions) != tc.schedules {
						t.Errorf("%s: %d scheduled actions, want %d", tc.file, len(g.ScheduledActions), tc.schedules)
					}
					if len(g.LoadBalancerNames) != 1 {
						t.Fatalf("%s: load balancers %v, want one", tc.file, g.LoadBalancerNames)
					}
					lb := classicNamed(est, g.LoadBalancerNames[0])
					if lb == nil {
						t.Fatalf("%s: load balancer %q is not in the estate", tc.file, g.LoadBalancerNames[0])
					}
					if !strings.HasPrefix(lb.Source, "iac:"+tc.file+":") || lb.ARN() != lb.Source {
						t.Errorf("%s: joined load balancer from %s (ARN %s), want the template's own, named by its place", tc.file, lb.Source, lb.ARN())
					}
					if lb.ConnectionDraining != tc.draining {
						t.Errorf("%s: connection draining %v, want %v", tc.file, lb.ConnectionDraining, tc.draining)
					}
					// A Ref to a resource whose name is generated is not its name: the user
					// data keeps the reference as written.
					if !strings.Contains(g.Launch.UserData, "group ${WebServerGroup} behind ${ElasticLoadBalancer}") {
						t.Errorf("%s: user data %q", tc.file, g.Launch.UserData)
					}
				}
				noIdentifierIn(t, est)
				for _, g := range est.Coverage {
					if strings.Contains(g.Message, "!GetAZs :") {
						t.Errorf("stray colon in %q", g.Message)
					}
				}
				if !hasGap(est, inventory.GapUnresolved, "AutoScaling/Scheduled.yaml", "AvailabilityZones = !GetAZs: Fn::GetAZs") {
					t.Errorf("no GetAZs gap: %+v", est.Coverage)
				}
			},
		},
		{
			name:  "CloudFormation: a lone unnamed load balancer keeps its logical id",
			files: map[string]string{"web.yaml": cfnWebStack("t3.small", "")},
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 1 || est.Groups[0].Name != "WebServerGroup" {
					t.Fatalf("groups %+v", est.Groups)
				}
				if got := est.Groups[0].LoadBalancerNames; len(got) != 1 || got[0] != "ElasticLoadBalancer" || classicNamed(est, "ElasticLoadBalancer") == nil {
					t.Errorf("load balancers %v, want ElasticLoadBalancer, joined", got)
				}
			},
		},
		{
			name:  "Terraform: one module called from two roots is two sets of resources",
			files: tfWebTree,
			check: func(t *testing.T, est *inventory.Estate) {
				if len(est.Groups) != 2 || len(est.LoadBalancers) != 2 || len(est.TargetGroups) != 2 {
					t.Fatalf("%d groups, %d load balancers, %d target groups; want 2 of each", len(est.Groups), len(est.LoadBalancers), len(est.TargetGroups))
				}
				for _, tc := range []struct {
					root, instanceType, userData string
					schedules                    int
				}{
					{"live/stage/services/webserver-cluster", "t2.micro", "Hello, World, v2", 0},
					{"live/prod/services/webserver-cluster", "m4.large", "DB ${db_address}", 1},
				} {
					g := groupFrom(t, est, "iac:"+tc.root+":")
					want := "iac:" + tc.root + ":module.webserver_cluster.aws_autoscaling_group.example@modules/services/webserver-cluster/main.tf:"
					if !strings.HasPrefix(g.ARN, want) {
						t.Errorf("group evidence %s, want %s…", g.ARN, want)
					}
					if line, _ := evidenceLineIn(t, est, g.ARN); line != `resource "aws_autoscaling_group" "example" {` {
						t.Errorf("group evidence points at %q", line)
					}
					// The group has no name of its own: it is called by its instances' Name
					// tag, which tells the two roots apart without their folders.
					if g.Name != "webservers-"+strings.Split(tc.root, "/")[1] {
						t.Errorf("group name %q, want its Name tag", g.Name)
					}
					if g.Launch.InstanceType != tc.instanceType || !strings.HasPrefix(g.Launch.Source, "iac:"+tc.root+":") {
						t.Errorf("%s: launch %s from %s", tc.root, g.Launch.InstanceType, g.Launch.Source)
					}
					if !strings.Contains(g.Launch.UserData, tc.userData) || !strings.Contains(g.Launch.UserData, "httpd -f -p") {
						t.Errorf("%s: user data %q, want the template_file rendered", tc.root, g.Launch.UserData)
					}
					if len(g.ScheduledActions) != tc.schedules {
						t.Errorf("%s: schedules %+v", tc.root, g.ScheduledActions)
					}
					if len(g.TargetGroupARNs) != 1 || !strings.HasPrefix(g.TargetGroupARNs[0], "iac:"+tc.root+":") {
						t.Errorf("%s: target groups %v", tc.root, g.TargetGroupARNs)
					}
					if g.Tags["Name"] != "webservers-"+tc.root[5:9] && g.Tags["Name"] != "webservers-"+tc.root[5:10] {
						t.Errorf("%s: tags %v", tc.root, g.Tags)
					}
				}
				for _, lb := range est.LoadBalancers {
					if len(lb.Listeners) != 1 || !strings.HasPrefix(lb.Listeners[0].ARN, lb.ARN[:strings.Index(lb.ARN, ":module.")]) {
						t.Errorf("load balancer %s: listeners %+v, want its own one", lb.Name, lb.Listeners)
					}
				}
				for _, tg := range est.TargetGroups {
					if len(tg.LoadBalancerARNs) != 1 || tg.LoadBalancerARNs[0][:20] != tg.ARN[:20] {
						t.Errorf("target group %s fronted by %v", tg.ARN, tg.LoadBalancerARNs)
					}
				}
				// prod's user data takes db_address from another state: kept as written.
				if !hasGap(est, inventory.GapUnresolved, "modules/services/webserver-cluster/main.tf", "user_data rendered in part, placeholders kept literally: data.terraform_remote_state.db reads another state's outputs") {
					t.Errorf("no gap for the remote state in prod's user data: %+v", est.Coverage)
				}
				noIdentifierIn(t, est)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, readTreeWith(t, tc.files, tc.opts))
		})
	}
}

// evidenceLineIn reads the line an evidence identifier points at, in the tree just read:
// the fixture is in a temporary folder, so the identifier's file is found by its suffix.
func evidenceLineIn(t *testing.T, est *inventory.Estate, id string) (string, string) {
	t.Helper()
	i := strings.LastIndex(id, "@")
	if i < 0 {
		t.Fatalf("%q: want iac:ROOT:ADDRESS@PATH:LINE", id)
	}
	file, line, _ := strings.Cut(id[i+1:], ":")
	src := tfWebTree[file]
	n := 0
	for _, c := range line {
		n = n*10 + int(c-'0')
	}
	lines := strings.Split(src, "\n")
	if n < 1 || n > len(lines) {
		t.Fatalf("%q: %s has no line %d", id, file, n)
	}
	return lines[n-1], id[:i]
}

// registryCall is a call of the registry autoscaling module beside the target group it
// attaches to and a load balancer module that is not read.
const registryCall = `
provider "aws" {
  region = "eu-west-1"
}

resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 80
  protocol = "HTTP"
}

resource "aws_elb" "legacy" {
  name = "legacy"
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"
  name    = "my-alb"
}

module "web" {
  source  = "terraform-aws-modules/autoscaling/aws"
  version = "8.3.0"

  name          = "web"
  instance_name = "WebApp"
  min_size      = 1
  max_size      = 4
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.small"

  ignore_desired_capacity_changes = true

  traffic_source_attachments = {
    own = {
      traffic_source_identifier = aws_lb_target_group.web.arn
      traffic_source_type       = "elbv2"
    }
    classic = {
      traffic_source_identifier = aws_elb.legacy.name
      traffic_source_type       = "elb"
    }
    alb = {
      traffic_source_identifier = module.alb.target_groups["ex_asg"].arn
    }
  }
}

module "v7" {
  source  = "terraform-aws-modules/autoscaling/aws"
  version = "7.7.0"

  name                             = "v7"
  min_size                         = 1
  max_size                         = 1
  image_id                         = "ami-0abcdef1234567890"
  create_traffic_source_attachment = true
  traffic_source_identifier        = aws_lb_target_group.web.arn
  traffic_source_type              = "elbv2"
}

module "plain" {
  source            = "terraform-aws-modules/autoscaling/aws"
  version           = "6.10.0"
  name              = "plain"
  min_size          = 1
  max_size          = 1
  image_id          = "ami-0abcdef1234567890"
  target_group_arns = [aws_lb_target_group.web.arn]
}
`

const workspaceCall = `
variable "project_name" { default = "shop" }
variable "min" {}

resource "random_pet" "suffix" {}

resource "aws_security_group" "web" {
  name = "web"
}

resource "aws_launch_template" "web" {
  name          = "${var.project_name}-${terraform.workspace}-lt"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.small"
  user_data     = base64encode("#!/bin/bash\necho SG=${aws_security_group.web.id} > /etc/app.env\n")
}

resource "aws_autoscaling_group" "web" {
  name     = "${var.project_name}-${terraform.workspace}-asg"
  min_size = var.min
  max_size = 4
  launch_template {
    id = aws_launch_template.web.id
  }
  tag {
    key                 = "Environment"
    value               = terraform.workspace
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_group" "pet" {
  name_prefix = "example-asg-${random_pet.suffix.id}-"
  min_size    = 1
  max_size    = 1
  tags = {
    Owner = "team-${aws_security_group.web.id}"
  }
}
`

func TestRegistryAndNames(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  iac.Options
		check func(t *testing.T, est *inventory.Estate)
	}{
		{
			name:  "registry module attachments, instance_name and the idc group",
			files: map[string]string{"main.tf": registryCall},
			check: func(t *testing.T, est *inventory.Estate) {
				tg := ""
				for _, x := range est.TargetGroups {
					tg = x.ARN
				}
				// The module uses name as name_prefix unless use_name_prefix = false: the
				// groups are "web-…", "v7-…" and "plain-…" (the bare names were expected
				// before); the Name tag is still the bare name.
				web := groupNamed(t, est, "web-…")
				if len(web.TargetGroupARNs) != 1 || web.TargetGroupARNs[0] != tg {
					t.Errorf("web target groups %v, want %s", web.TargetGroupARNs, tg)
				}
				if len(web.LoadBalancerNames) != 1 || web.LoadBalancerNames[0] != "legacy" {
					t.Errorf("web classic load balancers %v, want legacy", web.LoadBalancerNames)
				}
				if !hasGap(est, inventory.GapUnresolved, "main.tf", `module.web traffic_source_attachments.alb traffic_source_identifier = module.alb.target_groups["ex_asg"].arn: module.alb comes from`) {
					t.Errorf("no gap for the unread module's target group: %+v", est.Coverage)
				}
				want := lineOf(registryCall, `traffic_source_identifier = module.alb`)
				for _, g := range est.Coverage {
					if strings.Contains(g.Message, "traffic_source_attachments.alb") && g.Line != want {
						t.Errorf("gap at line %d, want %d, the identifier's", g.Line, want)
					}
				}
				if web.Tags["Name"] != "WebApp" {
					t.Errorf("web tags %v, want Name=WebApp from instance_name", web.Tags)
				}
				if !strings.HasSuffix(web.ARN, ":module.web.aws_autoscaling_group.idc") {
					t.Errorf("web evidence %s, want the module's idc group", web.ARN)
				}
				for _, name := range []string{"v7", "plain"} {
					g := groupNamed(t, est, name+"-…")
					if len(g.TargetGroupARNs) != 1 || g.TargetGroupARNs[0] != tg {
						t.Errorf("%s target groups %v, want %s", name, g.TargetGroupARNs, tg)
					}
					if !strings.HasSuffix(g.ARN, ".aws_autoscaling_group.this") || g.Tags["Name"] != name {
						t.Errorf("%s: %s, tags %v", name, g.ARN, g.Tags)
					}
				}
			},
		},
		{
			name:  "terraform.workspace is unknown, names keep their known prefix",
			files: map[string]string{"main.tf": workspaceCall},
			check: func(t *testing.T, est *inventory.Estate) {
				web := groupFrom(t, est, "aws_autoscaling_group.web")
				if web.Name != "shop-…" {
					t.Errorf("group name %q, want shop-…", web.Name)
				}
				if !hasGap(est, inventory.GapUnresolved, "main.tf", `aws_autoscaling_group.web name = "${var.project_name}-${terraform.workspace}-asg": terraform.workspace: the workspace is chosen when Terraform runs; read as "shop-…"`) {
					t.Errorf("no gap for the name: %+v", est.Coverage)
				}
				if _, ok := web.Tags["Environment"]; ok {
					t.Errorf("tags %v: the workspace is not known", web.Tags)
				}
				if web.LaunchTemplate == nil || web.Launch.InstanceType != "t3.small" {
					t.Errorf("launch template %+v not joined", web.LaunchTemplate)
				}
				if !strings.Contains(web.Launch.UserData, "SG=${aws_security_group.web} ") {
					t.Errorf("user data %q, want the security group id kept as a placeholder", web.Launch.UserData)
				}
				// min_size unknown: so is the desired capacity, which starts at it.
				if strings.Join(web.Unknown, ",") != "DesiredCapacity,MinSize" {
					t.Errorf("unknown fields %v", web.Unknown)
				}
				pet := groupFrom(t, est, "aws_autoscaling_group.pet")
				if pet.Name != "example-asg-…" || pet.Tags["Owner"] != "team-…" || len(pet.Unknown) != 0 {
					t.Errorf("group %q tags %v unknown %v, want example-asg-…, Owner team-…", pet.Name, pet.Tags, pet.Unknown)
				}
				if !hasGap(est, inventory.GapUnresolved, "main.tf", "random_pet.suffix is known only once it is created") {
					t.Errorf("no gap for the random name: %+v", est.Coverage)
				}
				noIdentifierIn(t, est)
			},
		},
		{
			name:  "Options.Workspace gives terraform.workspace",
			files: map[string]string{"main.tf": workspaceCall},
			opts:  iac.Options{Workspace: "prod"},
			check: func(t *testing.T, est *inventory.Estate) {
				web := groupNamed(t, est, "shop-prod-asg")
				if web.Tags["Environment"] != "prod" || web.LaunchTemplate == nil || web.LaunchTemplate.Name != "shop-prod-lt" {
					t.Errorf("group %+v", web)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTreeWith(t, tc.files, tc.opts)
			tc.check(t, est)
			// The estate encodes: the new fields are plain data.
			if _, err := json.Marshal(est); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// lineOf is the number of the line of src that holds s.
func lineOf(src, s string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}
