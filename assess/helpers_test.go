package assess

import (
	"strconv"
	"strings"
	"time"

	"whyk8s/inventory"
)

// Test estates are built from one plain group and options, so that each rule's test is a
// table row: the option that should trigger the rule, or one that must not.

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	testAccount = "111122223333"
	testRegion  = "eu-west-1"
)

type opt func(e *inventory.Estate)

func ptr[T any](v T) *T { return &v }

// baseEstate is one group on a stock Amazon Linux image from a launch template, with no load
// balancer and no script.
func baseEstate(name string) *inventory.Estate {
	return &inventory.Estate{
		SchemaVersion: inventory.SchemaVersion,
		CollectedAt:   testNow,
		Source:        "test",
		Accounts:      []inventory.Account{{ID: testAccount, Regions: []string{testRegion}}},
		Groups: []inventory.AutoScalingGroup{{
			ARN:            "arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:uuid:autoScalingGroupName/" + name,
			Name:           name,
			Account:        testAccount,
			Region:         testRegion,
			LaunchTemplate: &inventory.LaunchTemplateRef{ID: "lt-0" + name, Name: name, Version: "$Default", ResolvedVersion: 3},
			Launch: inventory.LaunchSpec{
				ImageID: "ami-0" + name, InstanceType: "m5.large",
				Source: "arn:aws:ec2:eu-west-1:111122223333:launch-template/lt-0" + name + ":3",
			},
			MinSize: 2, DesiredCapacity: 2, MaxSize: 6, HealthCheckType: "EC2",
		}},
		Images: []inventory.Image{{
			ID: "ami-0" + name, Account: testAccount, Region: testRegion, OwnerID: "137112412989",
			Name:            "al2023-ami-2023.6.20260501.0-kernel-6.1-x86_64",
			PlatformDetails: "Linux/UNIX", CreationDate: "2026-05-01T00:00:00.000Z",
		}},
	}
}

func build(name string, opts ...opt) *inventory.Estate {
	e := baseEstate(name)
	for _, o := range opts {
		o(e)
	}
	return e
}

// subjectOf resolves the estate's first group the way Assess does.
func subjectOf(e *inventory.Estate) *subject {
	return indexEstate(e).subject(&e.Groups[0], testNow)
}

func group(f func(g *inventory.AutoScalingGroup)) opt {
	return func(e *inventory.Estate) { f(&e.Groups[0]) }
}

func image(f func(im *inventory.Image)) opt {
	return func(e *inventory.Estate) {
		if len(e.Images) > 0 {
			f(&e.Images[0])
		}
	}
}

// customImage makes the image an in-house AMI whose build is not in scope.
func customImage() opt {
	return image(func(im *inventory.Image) { im.OwnerID, im.Name = testAccount, "web-golden-2026-05" })
}

func noImage() opt { return func(e *inventory.Estate) { e.Images = nil } }

// codeImage makes the image one known only from a data "aws_ami" lookup in Terraform: its
// identifier is its place in the code and the API's platform fields are not there.
func codeImage() opt {
	return func(e *inventory.Estate) {
		id := "iac:envs/prod/main.tf:12:data.aws_ami.golden"
		e.Groups[0].Launch.ImageID = id
		for i := range e.Images {
			e.Images[i].ID, e.Images[i].PlatformDetails = id, ""
		}
	}
}

// script links a script of the given kind to the group, with facts at lines 1, 2, 3…
func script(path, kind, reason string, facts ...inventory.Fact) opt {
	return func(e *inventory.Estate) {
		facts := append([]inventory.Fact(nil), facts...)
		for i := range facts {
			if facts[i].Evidence.File == "" {
				facts[i].Evidence.File = path
			}
			if facts[i].Evidence.Line == 0 {
				facts[i].Evidence.Line = i + 1
			}
		}
		e.Scripts = append(e.Scripts, inventory.Script{
			Path: path, Kind: kind, Facts: facts,
			Links: []inventory.Link{{Workload: e.Groups[0].ID(), Reason: reason, Confidence: inventory.ConfidenceHigh}},
		})
	}
}

// userdata links a user-data shell script carrying the facts.
func userdata(facts ...inventory.Fact) opt {
	return func(e *inventory.Estate) {
		script("userdata/"+e.Groups[0].Name+".sh", inventory.ScriptShell, inventory.LinkUserData, facts...)(e)
	}
}

// scripts links a plain provisioning script with no facts: provisioning is visible.
func scripts() opt { return userdata() }

// fact is a fact of the kind about name, with the fields the vocabulary decides from it
// (class, service, scope).
func fact(kind inventory.FactKind, name string) inventory.Fact {
	f := inventory.Fact{Kind: kind, Name: name, Evidence: inventory.FactEvidence{Excerpt: name}}
	inventory.Classify(&f)
	return f
}

// substituted is a fact as ReadUserData marks a secret rendered into user data from a
// value written elsewhere.
func substituted(f inventory.Fact) inventory.Fact { return withVia(f, inventory.ViaSubstituted) }

// withVia is f read through via (a Compose service, a container's image).
func withVia(f inventory.Fact, via string) inventory.Fact {
	f.Via = via
	return f
}

// sysctl is a sysctl set, as a reader records it.
func sysctl(key string) inventory.Fact {
	f := inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Key: key}, Evidence: inventory.FactEvidence{Excerpt: "sysctl -w " + key + "=1"}}
	inventory.Classify(&f)
	return f
}

// kernelModule is a kernel module loaded, as a reader records it.
func kernelModule(name string) inventory.Fact {
	f := inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Name: name, Evidence: inventory.FactEvidence{Excerpt: "modprobe " + name}}
	inventory.Classify(&f)
	return f
}

// on places a fact in a file, on a line, with an excerpt.
func on(f inventory.Fact, file string, line int, excerpt string) inventory.Fact {
	f.Evidence = inventory.FactEvidence{File: file, Line: line, Excerpt: excerpt}
	return f
}

// targetGroup attaches an ALB target group to the group.
func targetGroup(f func(tg *inventory.TargetGroup)) opt {
	return func(e *inventory.Estate) {
		g := &e.Groups[0]
		lbARN := "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/" + g.Name + "/" + strconv.Itoa(len(e.LoadBalancers))
		tg := inventory.TargetGroup{
			ARN:  "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/" + g.Name + "/" + strconv.Itoa(len(e.TargetGroups)),
			Name: g.Name, Account: testAccount, Region: testRegion, Protocol: "HTTP", Port: 8080, TargetType: "instance",
			LoadBalancerARNs: []string{lbARN},
			HealthCheck:      inventory.TargetHealthCheck{Enabled: true, Protocol: "HTTP", Path: "/health", Interval: 15, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 2},
			Attributes:       map[string]string{"stickiness.enabled": "false", "deregistration_delay.timeout_seconds": "60"},
		}
		if f != nil {
			f(&tg)
		}
		e.TargetGroups = append(e.TargetGroups, tg)
		e.LoadBalancers = append(e.LoadBalancers, inventory.LoadBalancer{
			ARN: lbARN, Name: g.Name, Account: testAccount, Region: testRegion, Type: "application", Scheme: "internet-facing",
			Listeners: []inventory.Listener{{ARN: lbARN + "/l1", Port: 443, Protocol: "HTTPS", TargetGroupARNs: []string{tg.ARN}}},
		})
		g.TargetGroupARNs = append(g.TargetGroupARNs, tg.ARN)
		g.HealthCheckType = "ELB"
		g.HealthCheckGracePeriod = 120
	}
}

// classicLB attaches a classic load balancer to the group.
func classicLB(f func(lb *inventory.ClassicLoadBalancer)) opt {
	return func(e *inventory.Estate) {
		g := &e.Groups[0]
		lb := inventory.ClassicLoadBalancer{
			Name: g.Name + "-elb", Account: testAccount, Region: testRegion, Scheme: "internet-facing",
			Listeners:   []inventory.ClassicListener{{Protocol: "HTTP", Port: 80, InstanceProtocol: "HTTP", InstancePort: 8080}},
			HealthCheck: &inventory.ClassicHealthCheck{Target: "HTTP:8080/status", Interval: 30, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 2},
		}
		if f != nil {
			f(&lb)
		}
		e.ClassicLoadBalancers = append(e.ClassicLoadBalancers, lb)
		g.LoadBalancerNames = append(g.LoadBalancerNames, lb.Name)
	}
}

func targetTracking(metric string, target float64) opt {
	return group(func(g *inventory.AutoScalingGroup) {
		g.ScalingPolicies = append(g.ScalingPolicies, inventory.ScalingPolicy{
			Name: "tt-" + metric, ARN: "arn:aws:autoscaling:eu-west-1:111122223333:scalingPolicy:p1:autoScalingGroupName/" + g.Name + ":policyName/tt",
			Type: "TargetTrackingScaling", Metric: metric, TargetValue: ptr(target), Enabled: true,
		})
	})
}

func tags(kv ...string) opt {
	return group(func(g *inventory.AutoScalingGroup) {
		if g.Tags == nil {
			g.Tags = map[string]string{}
		}
		for i := 0; i+1 < len(kv); i += 2 {
			g.Tags[kv[i]] = kv[i+1]
		}
	})
}

// mustAssess runs Assess with the default configuration and fails the test on error.
func mustAssess(t interface {
	Helper()
	Fatalf(string, ...any)
}, e *inventory.Estate, answers *Answers, cfg *Config) *Assessment {
	t.Helper()
	c := DefaultConfig()
	if cfg != nil {
		c = *cfg
	}
	a, err := Assess(e, answers, c, Meta{Now: testNow, ToolVersion: "test"})
	if err != nil {
		t.Fatalf("Assess: %v", err)
	}
	return a
}

// mappingText is a workload's Kubernetes mapping, one "from → to" per line, for tests to
// look for the lines a consultant would read.
func mappingText(w Workload) string {
	lines := make([]string, 0, len(w.Mapping))
	for _, m := range w.Mapping {
		lines = append(lines, m.From+" → "+m.To)
	}
	return strings.Join(lines, "\n")
}

// imageBuilder links, as the builder of the group's image, an instance a CloudFormation
// template configures (inventory.ScriptImageBuilder), carrying the facts on its lines.
func imageBuilder(facts ...inventory.Fact) opt {
	return func(e *inventory.Estate) {
		const tpl = "cfn/app.yaml"
		b := inventory.ImageBuilder{Name: "AppBuilder", FromLine: 1, ToLine: 40, Image: "MakeAppAMI", ImageIDLines: []int{60},
			Evidence: inventory.Evidence{File: tpl, Line: 50, Excerpt: "InstanceId: !Ref AppBuilder"}}
		script("imagebuilder:"+tpl+"#AppBuilder", inventory.ScriptImageBuilder, inventory.LinkImageBuilder, facts...)(e)
		sc := &e.Scripts[len(e.Scripts)-1]
		sc.ImageBuilders = []inventory.ImageBuilder{b}
		for i := range sc.Facts {
			sc.Facts[i].Evidence.File = tpl
		}
	}
}
