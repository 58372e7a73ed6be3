package aws_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	whyaws "whyk8s/inventory/aws"
	"whyk8s/inventory/aws/awstest"

	"whyk8s/inventory"
)

var testClock = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// identityUserData keeps user data as decoded, which round trips the estate's text.
func identityUserData(raw []byte) (string, error) { return string(raw), nil }

// options returns collector options aimed at the server, with test-friendly timings.
func options(s *awstest.Server, region string) whyaws.Options {
	cfg := s.Config(region)
	return whyaws.Options{
		Config:      &cfg,
		Now:         func() time.Time { return testClock },
		UserData:    identityUserData,
		Concurrency: 8,
		// The fake answers in microseconds; AWS's own buckets are not in play.
		RateLimit: 1000,
		RateBurst: 1000,
	}
}

func collect(t *testing.T, s *awstest.Server, opts whyaws.Options) *inventory.Estate {
	t.Helper()
	e, err := whyaws.Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return e
}

// awsView is what AWS holds of an estate: no scripts, no coverage, and the collection's
// own time and source.
func awsView(e *inventory.Estate) *inventory.Estate {
	c := *e
	c.Client = ""
	c.Source = "aws"
	c.CollectedAt = testClock
	c.Scripts, c.ScriptRoots, c.ScriptStats = []inventory.Script{}, nil, nil
	c.Coverage = []inventory.CoverageGap{}
	return &c
}

// canonical encodes an estate with the lists AWS returns as sets sorted, so that two
// estates with the same facts compare equal whatever order either was written in.
func canonical(t *testing.T, e *inventory.Estate) string {
	t.Helper()
	for i := range e.Groups {
		g := &e.Groups[i]
		sort.Strings(g.AvailabilityZones)
		sort.Strings(g.Subnets)
		sort.Strings(g.LoadBalancerNames)
		sort.Strings(g.TargetGroupARNs)
		sort.Strings(g.Launch.SecurityGroups)
		sort.SliceStable(g.Launch.BlockDevices, func(a, b int) bool {
			return g.Launch.BlockDevices[a].DeviceName < g.Launch.BlockDevices[b].DeviceName
		})
		sort.Slice(g.ScalingPolicies, func(a, b int) bool { return g.ScalingPolicies[a].Name < g.ScalingPolicies[b].Name })
		sort.Slice(g.ScheduledActions, func(a, b int) bool { return g.ScheduledActions[a].Name < g.ScheduledActions[b].Name })
		sort.Slice(g.LifecycleHooks, func(a, b int) bool { return g.LifecycleHooks[a].Name < g.LifecycleHooks[b].Name })
		for _, ref := range []*inventory.LaunchTemplateRef{g.LaunchTemplate, mixedRef(g)} {
			if ref != nil && ref.ResolvedVersion == 0 {
				ref.ResolvedVersion, _ = strconv.ParseInt(ref.Version, 10, 64)
			}
		}
	}
	for i := range e.ClassicLoadBalancers {
		lb := &e.ClassicLoadBalancers[i]
		sort.SliceStable(lb.Listeners, func(a, b int) bool { return lb.Listeners[a].Port < lb.Listeners[b].Port })
		for k := range lb.Listeners {
			sort.Strings(lb.Listeners[k].PolicyNames)
		}
		sort.Slice(lb.Policies, func(a, b int) bool { return lb.Policies[a].Name < lb.Policies[b].Name })
	}
	for i := range e.LoadBalancers {
		lb := &e.LoadBalancers[i]
		sort.SliceStable(lb.Listeners, func(a, b int) bool {
			if lb.Listeners[a].Port != lb.Listeners[b].Port {
				return lb.Listeners[a].Port < lb.Listeners[b].Port
			}
			return lb.Listeners[a].ARN < lb.Listeners[b].ARN
		})
		for k := range lb.Listeners {
			sort.Strings(lb.Listeners[k].TargetGroupARNs)
		}
	}
	for i := range e.TargetGroups {
		sort.Strings(e.TargetGroups[i].LoadBalancerARNs)
	}
	data, err := inventory.Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mixedRef(g *inventory.AutoScalingGroup) *inventory.LaunchTemplateRef {
	if g.MixedInstances == nil {
		return nil
	}
	return g.MixedInstances.LaunchTemplate
}

// sameEstate fails the test with the first differing lines when the two differ.
func sameEstate(t *testing.T, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		if i >= len(w) || i >= len(g) || w[i] != g[i] {
			lo := max(0, i-8)
			var b bytes.Buffer
			fmt.Fprintf(&b, "estates differ at line %d\n--- want\n", i+1)
			for k := lo; k < min(len(w), i+4); k++ {
				fmt.Fprintf(&b, "%5d %s\n", k+1, w[k])
			}
			b.WriteString("--- got\n")
			for k := lo; k < min(len(g), i+4); k++ {
				fmt.Fprintf(&b, "%5d %s\n", k+1, g[k])
			}
			t.Fatal(b.String())
		}
	}
}

func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }
func boolp(b bool) *bool        { return &b }

const (
	acctShared = "111111111111" // the caller, and the organisation's management account
	acctProd   = "222222222222"
)

// smallEstate is a two-account, two-region estate with one of each shape the collector
// converts: a launch template by number, by $Latest and by $Default, a launch
// configuration, mixed instances, every kind of scaling policy, classic and v2 load
// balancers, and a Windows AMI.
func smallEstate() *inventory.Estate {
	e := &inventory.Estate{
		SchemaVersion: inventory.SchemaVersion,
		CollectedAt:   testClock,
		Source:        "aws",
		Accounts: []inventory.Account{
			{ID: acctShared, Name: "shared-services", Regions: []string{"eu-west-1", "us-east-1"}},
			{ID: acctProd, Name: "prod", Regions: []string{"eu-west-1", "us-east-1"}},
		},
	}
	for _, acct := range []string{acctShared, acctProd} {
		for _, region := range []string{"eu-west-1", "us-east-1"} {
			addRegion(e, acct, region)
		}
	}
	return e
}

func addRegion(e *inventory.Estate, acct, region string) {
	arn := func(kind, rest string) string {
		return "arn:aws:elasticloadbalancing:" + region + ":" + acct + ":" + kind + "/" + rest
	}
	albARN := arn("loadbalancer", "app/web/50dc6c495c0c9188")
	nlbARN := arn("loadbalancer", "net/tcp/73e2d6bc24d8a067")
	tgWeb := arn("targetgroup", "web/943f017f100becff")
	tgAPI := arn("targetgroup", "api/a1b2c3d4e5f60718")
	tgTCP := arn("targetgroup", "tcp/1a2b3c4d5e6f7081")
	lt := func(n string) string { return "lt-0" + acct[:4] + region[:2] + n }
	asgARN := func(name string) string {
		return "arn:aws:autoscaling:" + region + ":" + acct + ":autoScalingGroup:11111111-2222-3333-4444-555555555555:autoScalingGroupName/" + name
	}
	ami := "ami-0" + acct[:3] + region[:2] + "linux"
	win := "ami-0" + acct[:3] + region[:2] + "win"
	// Three applications, so that the fake's pages of two are turned; one deployment group
	// deploys to both web and worker.
	dep := func(app, group, rev string) inventory.Deployment {
		return inventory.Deployment{Service: inventory.DeployCodeDeploy, Application: app, DeploymentGroup: group, Revision: rev,
			Source: "arn:aws:codedeploy:" + region + ":" + acct + ":deploymentgroup:" + app + "/" + group}
	}
	shop := dep("shop", "prod", "s3://acme-releases-"+acct[:4]+"/shop/web-2.3.zip")
	e.Groups = append(e.Groups,
		inventory.AutoScalingGroup{
			ARN: asgARN("web"), Name: "web", Account: acct, Region: region,
			LaunchTemplate: &inventory.LaunchTemplateRef{ID: lt("web"), Name: "web", Version: "$Latest", ResolvedVersion: 7},
			Launch: inventory.LaunchSpec{
				ImageID: ami, InstanceType: "m6i.large", KeyName: "ops",
				IAMInstanceProfile: "arn:aws:iam::" + acct + ":instance-profile/web",
				SecurityGroups:     []string{"sg-0a", "sg-0b"},
				BlockDevices: []inventory.BlockDevice{
					{DeviceName: "/dev/xvda", VolumeSize: 20, VolumeType: "gp3", Encrypted: true, DeleteOnTermination: boolp(true)},
					{DeviceName: "/dev/xvdb", NoDevice: true},
				},
				MetadataHTTPTokens: "required", DetailedMonitoring: true,
				UserData: "#!/bin/bash\necho web\n",
				Source:   "launch-template " + lt("web") + " v7",
			},
			MinSize: 2, MaxSize: 10, DesiredCapacity: 3, HealthCheckType: "ELB", HealthCheckGracePeriod: 300,
			AvailabilityZones: []string{region + "a", region + "b"}, Subnets: []string{"subnet-1", "subnet-2"},
			CreatedTime:     "2023-05-06T07:08:09Z",
			TargetGroupARNs: []string{tgAPI, tgWeb},
			Tags:            map[string]string{"app": "web", "env": "prod"},
			ScalingPolicies: []inventory.ScalingPolicy{
				{Name: "cpu", ARN: "arn:aws:autoscaling:" + region + ":" + acct + ":scalingPolicy:1:autoScalingGroupName/web:policyName/cpu", Type: "TargetTrackingScaling", Metric: "ASGAverageCPUUtilization", TargetValue: floatp(55.5), Enabled: true},
				{Name: "queue", Type: "TargetTrackingScaling", Metric: "Custom/QueueDepth", TargetValue: floatp(100), DisableScaleIn: true, Enabled: true},
				{Name: "forecast", Type: "PredictiveScaling", Metric: "ASGCPUUtilization", TargetValue: floatp(40), Enabled: true},
				{Name: "step-up", Type: "StepScaling", AdjustmentType: "ChangeInCapacity", Enabled: false},
				{Name: "simple", Type: "SimpleScaling", AdjustmentType: "ExactCapacity", ScalingAdjustment: intp(4), Cooldown: intp(120), Enabled: true},
			},
			ScheduledActions: []inventory.ScheduledAction{
				{Name: "night", Recurrence: "0 20 * * *", TimeZone: "Europe/Dublin", StartTime: "2024-01-01T20:00:00Z", MinSize: intp(0), MaxSize: intp(2), DesiredCapacity: intp(0)},
				{Name: "once", StartTime: "2025-06-01T08:00:00Z", EndTime: "2025-06-02T08:00:00Z", DesiredCapacity: intp(5)},
			},
			LifecycleHooks: []inventory.LifecycleHook{
				{Name: "drain", Transition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 300, DefaultResult: "CONTINUE"},
			},
			Deployments: []inventory.Deployment{shop, dep("zz-legacy", "old", "")},
		},
		inventory.AutoScalingGroup{
			ARN: asgARN("worker"), Name: "worker", Account: acct, Region: region,
			Deployments: []inventory.Deployment{shop, dep("tools", "nightly", "github:acme/tools")},
			MixedInstances: &inventory.MixedInstancesPolicy{
				LaunchTemplate:                      &inventory.LaunchTemplateRef{ID: lt("wrk"), Name: "worker", Version: "3", ResolvedVersion: 3},
				InstanceTypes:                       []string{"c6i.large", "c5.large", "c6a.large"},
				OnDemandBaseCapacity:                1,
				OnDemandPercentageAboveBaseCapacity: 25,
				SpotAllocationStrategy:              "price-capacity-optimized",
			},
			Launch: inventory.LaunchSpec{
				ImageID: ami, InstanceType: "c6i.large", MarketType: "spot", Tenancy: "default",
				SecurityGroups: []string{"sg-0c"}, Source: "launch-template " + lt("wrk") + " v3",
			},
			MinSize: 0, MaxSize: 50, DesiredCapacity: 0, HealthCheckType: "EC2",
			AvailabilityZones: []string{region + "a"},
		},
		inventory.AutoScalingGroup{
			ARN: asgARN("billing"), Name: "billing", Account: acct, Region: region,
			LaunchTemplate: &inventory.LaunchTemplateRef{ID: lt("bil"), Name: "billing", Version: "$Default", ResolvedVersion: 2},
			Launch: inventory.LaunchSpec{
				ImageID: win, InstanceType: "m5.xlarge", IAMInstanceProfile: "billing-profile", Tenancy: "dedicated",
				SecurityGroups: []string{"billing-sg"},
				UserData:       "<powershell>\nInstall-WindowsFeature Web-Server\n</powershell>\n",
				Source:         "launch-template " + lt("bil") + " v2",
			},
			MinSize: 1, MaxSize: 2, DesiredCapacity: 1, HealthCheckType: "ELB", HealthCheckGracePeriod: 1200,
			LoadBalancerNames: []string{"legacy"},
		},
		inventory.AutoScalingGroup{
			ARN: asgARN("legacy"), Name: "legacy", Account: acct, Region: region,
			LaunchConfiguration: "legacy-lc-v4",
			Launch: inventory.LaunchSpec{
				ImageID: ami, InstanceType: "t3.medium", KeyName: "legacy", SecurityGroups: []string{"sg-0d"},
				IAMInstanceProfile: "legacy-profile", SpotPrice: "0.05",
				BlockDevices: []inventory.BlockDevice{
					{DeviceName: "/dev/sdb", VirtualName: "ephemeral0"},
					{DeviceName: "/dev/xvda", SnapshotID: "snap-0123", VolumeSize: 8, VolumeType: "gp2", IOPS: 100, DeleteOnTermination: boolp(false)},
				},
				MetadataHTTPTokens: "optional",
				UserData:           "#cloud-config\npackages: [nginx]\n",
				Source:             "arn:aws:autoscaling:" + region + ":" + acct + ":launchConfiguration:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee:launchConfigurationName/legacy-lc-v4",
			},
			MinSize: 1, MaxSize: 1, DesiredCapacity: 1, HealthCheckType: "EC2", HealthCheckGracePeriod: 0,
			LoadBalancerNames: []string{"legacy"},
			Tags:              map[string]string{"Name": "legacy"},
		},
	)
	// Three Systems Manager associations, so that the fake's pages of two are turned: one by
	// a tag's value, one by a tag's key, one on every managed instance.
	assoc := func(id, name, doc, target string) inventory.Deployment {
		return inventory.Deployment{Service: inventory.DeploySSM, Application: doc, DeploymentGroup: name, Target: target,
			Source: "arn:aws:ssm:" + region + ":" + acct + ":association/" + id}
	}
	for i := range e.Groups {
		g := &e.Groups[i]
		if g.Account != acct || g.Region != region {
			continue
		}
		if g.Tags["app"] == "web" {
			configure := assoc("0a1b2c3d-web", "configure-web", "AWS-ApplyAnsiblePlaybooks", "tag:app=web")
			configure.Playbook = "playbooks/web.yml"
			g.Deployments = append(g.Deployments, configure)
			// Its commands come from a DescribeAssociation of their own.
			setup := assoc("3d4e5f6a-setup", "setup-web", "AWS-RunShellScript", "tag:app=web")
			setup.Commands = "yum install -y nginx\nsystemctl enable --now nginx"
			g.Deployments = append(g.Deployments, setup)
			chef := assoc("4e5f6a7b-chef", "chef-web", "AWS-ApplyChefRecipes", "tag:app=web")
			chef.RunList = "recipe[base],role[web]"
			g.Deployments = append(g.Deployments, chef)
		}
		if _, ok := g.Tags["env"]; ok {
			g.Deployments = append(g.Deployments, assoc("1b2c3d4e-env", "agents", "AWS-ConfigureAWSPackage", "tag-key=env"))
		}
		g.Deployments = append(g.Deployments, assoc("2c3d4e5f-all", "2c3d4e5f-all", "AWS-RunPatchBaseline", "InstanceIds=*"))
	}
	e.ClassicLoadBalancers = append(e.ClassicLoadBalancers, inventory.ClassicLoadBalancer{
		Name: "legacy", Account: acct, Region: region, DNSName: "legacy-1.elb.amazonaws.com", Scheme: "internet-facing",
		Listeners: []inventory.ClassicListener{
			{Protocol: "HTTP", Port: 80, InstanceProtocol: "HTTP", InstancePort: 8080, PolicyNames: []string{"sticky"}},
			{Protocol: "HTTPS", Port: 443, InstanceProtocol: "HTTP", InstancePort: 8080, SSLCertificateID: "arn:aws:acm:" + region + ":" + acct + ":certificate/abc", PolicyNames: []string{"ELBSecurityPolicy-2016-08", "sticky"}},
		},
		HealthCheck: &inventory.ClassicHealthCheck{Target: "HTTP:8080/health", Interval: 30, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 2},
		Policies: []inventory.ClassicPolicy{
			{Name: "ELBSecurityPolicy-2016-08", Type: "SSLNegotiationPolicyType", Attributes: map[string]string{"Protocol-TLSv1.2": "true", "Reference-Security-Policy": "ELBSecurityPolicy-2016-08"}},
			{Name: "sticky", Type: "LBCookieStickinessPolicyType", Attributes: map[string]string{"CookieExpirationPeriod": "3600"}},
		},
		ConnectionDraining: true, ConnectionDrainingTimeout: 300, CrossZone: true, IdleTimeout: 60,
		Tags: map[string]string{"app": "billing"},
	}, inventory.ClassicLoadBalancer{
		Name: "bare", Account: acct, Region: region, Scheme: "internal",
		Listeners: []inventory.ClassicListener{{Protocol: "TCP", Port: 22, InstanceProtocol: "TCP", InstancePort: 22}},
	})
	e.LoadBalancers = append(e.LoadBalancers,
		inventory.LoadBalancer{
			ARN: albARN, Name: "web", Account: acct, Region: region, Type: "application", Scheme: "internet-facing", DNSName: "web-1.elb.amazonaws.com",
			Listeners: []inventory.Listener{
				{ARN: arn("listener", "app/web/50dc6c495c0c9188/1"), Port: 80, Protocol: "HTTP"},
				{ARN: arn("listener", "app/web/50dc6c495c0c9188/2"), Port: 443, Protocol: "HTTPS", SSLPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", TargetGroupARNs: []string{tgAPI, tgWeb}},
			},
			Tags: map[string]string{"app": "web"},
		},
		inventory.LoadBalancer{
			ARN: nlbARN, Name: "tcp", Account: acct, Region: region, Type: "network", Scheme: "internal", DNSName: "tcp-1.elb.amazonaws.com",
			Listeners: []inventory.Listener{{ARN: arn("listener", "net/tcp/73e2d6bc24d8a067/1"), Port: 5432, Protocol: "TCP", TargetGroupARNs: []string{tgTCP}}},
		},
	)
	e.TargetGroups = append(e.TargetGroups,
		inventory.TargetGroup{
			ARN: tgWeb, Name: "web", Account: acct, Region: region, Protocol: "HTTP", Port: 8080, TargetType: "instance",
			LoadBalancerARNs: []string{albARN},
			HealthCheck:      inventory.TargetHealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/healthz", Matcher: "200-299", Interval: 15, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 2},
			Attributes:       map[string]string{"stickiness.enabled": "true", "stickiness.type": "lb_cookie", "deregistration_delay.timeout_seconds": "30"},
			Tags:             map[string]string{"app": "web"},
		},
		inventory.TargetGroup{
			ARN: tgAPI, Name: "api", Account: acct, Region: region, Protocol: "HTTP", Port: 9090, TargetType: "ip",
			LoadBalancerARNs: []string{albARN},
			HealthCheck:      inventory.TargetHealthCheck{Enabled: true, Protocol: "HTTP", Port: "9091", Path: "/ready", Matcher: "200"},
			Attributes:       map[string]string{"stickiness.enabled": "false"},
		},
		inventory.TargetGroup{
			ARN: tgTCP, Name: "tcp", Account: acct, Region: region, Protocol: "TCP", Port: 5432, TargetType: "instance",
			LoadBalancerARNs: []string{nlbARN},
			HealthCheck:      inventory.TargetHealthCheck{Enabled: true, Protocol: "TCP", Port: "traffic-port"},
		},
		inventory.TargetGroup{
			// Unattached: a target group no load balancer uses is still inventoried.
			ARN: arn("targetgroup", "orphan/0000000000000000"), Name: "orphan", Account: acct, Region: region, TargetType: "lambda",
			HealthCheck: inventory.TargetHealthCheck{Enabled: false},
		},
	)
	e.Images = append(e.Images,
		inventory.Image{ID: ami, Account: acct, Region: region, OwnerID: acctShared, Name: "golden-linux-2024", PlatformDetails: "Linux/UNIX", Architecture: "x86_64", CreationDate: "2024-02-03T04:05:06.000Z", Description: "golden image", Tags: map[string]string{"packer_template": "linux.pkr.hcl"}},
		inventory.Image{ID: win, Account: acct, Region: region, OwnerID: "801119661308", OwnerAlias: "amazon", Name: "Windows_Server-2019-English-Full-Base", Platform: "windows", PlatformDetails: "Windows", Architecture: "x86_64", CreationDate: "2023-11-15T00:00:00.000Z"},
	)
}
