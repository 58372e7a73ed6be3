package awstest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"whyk8s/inventory"
)

// syntheticRegions are the regions Synthetic spreads an estate over, in order.
var syntheticRegions = []string{"eu-west-1", "us-east-1", "eu-central-1", "us-west-2", "ap-southeast-2", "eu-north-1", "ca-central-1", "sa-east-1"}

// Synthetic generates an estate of the given size for benchmarks and scale tests: groups,
// load balancers (half classic, half ALB/NLB) and target groups spread round-robin over
// accounts × regions (at most 8 regions). The shapes mirror a typical estate: most groups
// on their own launch template (by $Latest, $Default or a version number), a fifth on
// launch configurations, a tenth with mixed instances; a target-tracking policy on half,
// lifecycle hooks on a third, ~1 KB of user data each, a pool of AMIs per region. The
// same arguments always give the same estate.
func Synthetic(groups, lbs, tgs, regions, accounts int) *inventory.Estate {
	if regions > len(syntheticRegions) {
		regions = len(syntheticRegions)
	}
	e := &inventory.Estate{
		SchemaVersion: inventory.SchemaVersion,
		CollectedAt:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Source:        "synthetic",
	}
	type unit struct{ account, region string }
	var units []unit
	for a := 0; a < accounts; a++ {
		id := fmt.Sprintf("%012d", 100000000000+int64(a)*111111111)
		acct := inventory.Account{ID: id, Name: fmt.Sprintf("account-%02d", a)}
		for r := 0; r < regions; r++ {
			acct.Regions = append(acct.Regions, syntheticRegions[r])
			units = append(units, unit{id, syntheticRegions[r]})
		}
		e.Accounts = append(e.Accounts, acct)
	}
	n := len(units)
	if n == 0 {
		return e
	}
	lbARN := func(u unit, kind, name string, i int) string {
		return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:%s/%s/%016x", u.region, u.account, kind, name, i)
	}
	// Load balancers: even ones classic, odd ones v2 (application, then network).
	v2ByUnit := make([][]int, n)
	classicByUnit := make([][]string, n)
	for i := 0; i < lbs; i++ {
		u := units[i%n]
		name := fmt.Sprintf("lb-%04d", i)
		if i%2 == 0 {
			lb := inventory.ClassicLoadBalancer{
				Name: name, Account: u.account, Region: u.region, Scheme: "internet-facing",
				DNSName: name + ".elb.amazonaws.com",
				Listeners: []inventory.ClassicListener{
					{Protocol: "HTTP", Port: 80, InstanceProtocol: "HTTP", InstancePort: 8080},
					{Protocol: "TCP", Port: 22, InstanceProtocol: "TCP", InstancePort: 22},
				},
				HealthCheck:        &inventory.ClassicHealthCheck{Target: "HTTP:8080/health", Interval: 30, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 2},
				ConnectionDraining: true, ConnectionDrainingTimeout: 300, CrossZone: true, IdleTimeout: 60,
				Tags: map[string]string{"app": name, "env": env(i)},
			}
			if i%3 == 0 {
				lb.Listeners[0].PolicyNames = []string{"sticky"}
				lb.Policies = []inventory.ClassicPolicy{{Name: "sticky", Type: "LBCookieStickinessPolicyType", Attributes: map[string]string{"CookieExpirationPeriod": "600"}}}
			}
			e.ClassicLoadBalancers = append(e.ClassicLoadBalancers, lb)
			classicByUnit[i%n] = append(classicByUnit[i%n], name)
			continue
		}
		typ, kind := "application", "app"
		if i%4 == 3 {
			typ, kind = "network", "net"
		}
		arn := lbARN(u, "loadbalancer", kind+"/"+name, i)
		e.LoadBalancers = append(e.LoadBalancers, inventory.LoadBalancer{
			ARN: arn, Name: name, Account: u.account, Region: u.region, Type: typ, Scheme: "internal",
			DNSName: name + ".elb.amazonaws.com",
			Listeners: []inventory.Listener{
				{ARN: lbARN(u, "listener", kind+"/"+name+"/1", i), Port: 80, Protocol: "HTTP"},
			},
			Tags: map[string]string{"app": name, "env": env(i)},
		})
		v2ByUnit[i%n] = append(v2ByUnit[i%n], len(e.LoadBalancers)-1)
	}
	// Target groups, each behind the next v2 load balancer of its unit (forwarded to by
	// a second listener), or unattached when the unit has none.
	tgByUnit := make([][]string, n)
	for i := 0; i < tgs; i++ {
		u := units[i%n]
		name := fmt.Sprintf("tg-%04d", i)
		arn := lbARN(u, "targetgroup", name, i)
		tg := inventory.TargetGroup{
			ARN: arn, Name: name, Account: u.account, Region: u.region, Protocol: "HTTP", Port: 8080, TargetType: "instance",
			HealthCheck: inventory.TargetHealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/health", Matcher: "200", Interval: 15, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 2},
			Attributes: map[string]string{
				"deregistration_delay.timeout_seconds":  "300",
				"stickiness.enabled":                    strconv.FormatBool(i%4 == 0),
				"stickiness.type":                       "lb_cookie",
				"stickiness.lb_cookie.duration_seconds": "86400",
				"load_balancing.algorithm.type":         "round_robin",
			},
			Tags: map[string]string{"app": name},
		}
		if v2 := v2ByUnit[i%n]; len(v2) > 0 {
			k := v2[(i/n)%len(v2)]
			lb := &e.LoadBalancers[k]
			tg.LoadBalancerARNs = []string{lb.ARN}
			lb.Listeners = append(lb.Listeners, inventory.Listener{
				ARN:  fmt.Sprintf("%s/%d", strings.Replace(lb.ARN, ":loadbalancer/", ":listener/", 1), len(lb.Listeners)+1),
				Port: 8000 + len(lb.Listeners), Protocol: "HTTP", TargetGroupARNs: []string{arn},
			})
		}
		e.TargetGroups = append(e.TargetGroups, tg)
		tgByUnit[i%n] = append(tgByUnit[i%n], arn)
	}
	const amisPerUnit = 20
	for k, u := range units {
		for a := 0; a < amisPerUnit && a < groups; a++ {
			im := inventory.Image{
				ID: fmt.Sprintf("ami-%08x%04x", k, a), Account: u.account, Region: u.region, OwnerID: units[0].account,
				Name: fmt.Sprintf("golden-%02d-2025", a), PlatformDetails: "Linux/UNIX", Architecture: "x86_64",
				CreationDate: "2025-01-01T00:00:00.000Z",
			}
			if a == amisPerUnit-1 {
				im.Platform, im.PlatformDetails = "windows", "Windows"
			}
			e.Images = append(e.Images, im)
		}
	}
	userData := syntheticUserData()
	for i := 0; i < groups; i++ {
		k := i % n
		u := units[k]
		name := fmt.Sprintf("asg-%05d", i)
		g := inventory.AutoScalingGroup{
			ARN:     fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:00000000-0000-0000-0000-%012d:autoScalingGroupName/%s", u.region, u.account, i, name),
			Name:    name,
			Account: u.account, Region: u.region,
			MinSize: 1, MaxSize: 10, DesiredCapacity: 2,
			HealthCheckType: "ELB", HealthCheckGracePeriod: 300,
			AvailabilityZones: []string{u.region + "a", u.region + "b"},
			Subnets:           []string{fmt.Sprintf("subnet-%04xa", k), fmt.Sprintf("subnet-%04xb", k)},
			CreatedTime:       "2024-06-01T12:00:00Z",
			Tags:              map[string]string{"app": name, "env": env(i), "team": fmt.Sprintf("team-%d", i%7), "Name": name},
		}
		image := fmt.Sprintf("ami-%08x%04x", k, (i/n)%amisPerUnit)
		spec := inventory.LaunchSpec{
			ImageID: image, InstanceType: "m6i.large", KeyName: "ops",
			IAMInstanceProfile: "arn:aws:iam::" + u.account + ":instance-profile/" + name,
			SecurityGroups:     []string{fmt.Sprintf("sg-%08x", i)},
			BlockDevices: []inventory.BlockDevice{
				{DeviceName: "/dev/xvda", VolumeSize: 30, VolumeType: "gp3", Encrypted: true, DeleteOnTermination: boolp(true)},
			},
			MetadataHTTPTokens: "required",
			UserData:           userData,
		}
		lt := fmt.Sprintf("lt-%08x%08x", k, i)
		switch kind := i % 10; {
		case kind < 6:
			ref := &inventory.LaunchTemplateRef{ID: lt, Name: name}
			switch i % 3 {
			case 0:
				ref.Version, ref.ResolvedVersion = "$Latest", 5
			case 1:
				ref.Version, ref.ResolvedVersion = "$Default", 3
			default:
				ref.Version, ref.ResolvedVersion = "2", 2
			}
			g.LaunchTemplate = ref
			spec.Source = fmt.Sprintf("launch-template %s v%d", lt, ref.ResolvedVersion)
		case kind < 8:
			g.LaunchConfiguration = name + "-lc"
			spec.Source = fmt.Sprintf("arn:aws:autoscaling:%s:%s:launchConfiguration:00000000-0000-0000-0000-%012d:launchConfigurationName/%s-lc", u.region, u.account, i, name)
		default:
			g.MixedInstances = &inventory.MixedInstancesPolicy{
				LaunchTemplate:                      &inventory.LaunchTemplateRef{ID: lt, Name: name, Version: "4", ResolvedVersion: 4},
				InstanceTypes:                       []string{"m6i.large", "m5.large", "m6a.large"},
				OnDemandPercentageAboveBaseCapacity: 20,
				SpotAllocationStrategy:              "price-capacity-optimized",
			}
			spec.MarketType = "spot"
			spec.Source = fmt.Sprintf("launch-template %s v4", lt)
		}
		g.Launch = spec
		if tgs := tgByUnit[k]; len(tgs) > 0 && i%3 != 2 {
			g.TargetGroupARNs = []string{tgs[(i/n)%len(tgs)]}
		} else if cl := classicByUnit[k]; len(cl) > 0 {
			g.LoadBalancerNames = []string{cl[(i/n)%len(cl)]}
			g.HealthCheckType = "ELB"
		}
		if i%2 == 0 {
			g.ScalingPolicies = []inventory.ScalingPolicy{{
				Name: "cpu-target", ARN: g.ARN + ":policyName/cpu-target", Type: "TargetTrackingScaling",
				Metric: "ASGAverageCPUUtilization", TargetValue: floatp(50), Enabled: true,
			}}
		}
		if i%5 == 0 {
			g.ScheduledActions = []inventory.ScheduledAction{{Name: "night", Recurrence: "0 22 * * *", MinSize: intp(0), DesiredCapacity: intp(0)}}
		}
		if i%3 == 0 {
			g.LifecycleHooks = []inventory.LifecycleHook{{Name: "drain", Transition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 300, DefaultResult: "CONTINUE"}}
		}
		e.Groups = append(e.Groups, g)
	}
	return e
}

func env(i int) string { return [...]string{"prod", "staging", "dev", "test"}[i%4] }

func syntheticUserData() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\nset -euo pipefail\n")
	for b.Len() < 1000 {
		b.WriteString("yum install -y nginx amazon-cloudwatch-agent\nsystemctl enable --now nginx\n")
	}
	return b.String()
}

func boolp(b bool) *bool        { return &b }
func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }
