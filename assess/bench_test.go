package assess

import (
	"fmt"
	"math/rand"
	"testing"

	"whyk8s/inventory"
)

var benchFactKinds = []inventory.FactKind{
	inventory.FactDatabase, inventory.FactWebServer, inventory.FactService, inventory.FactDataVolume,
	inventory.FactNFSMount, inventory.FactKernelTuning, inventory.FactHardcodedIP, inventory.FactCron,
	inventory.FactDocker, inventory.FactConfigStore, inventory.FactEnvConfig, inventory.FactObservability,
	inventory.FactBootWork, inventory.FactPackage, inventory.FactPackage, inventory.FactPackage,
	inventory.FactFirewall, inventory.FactLocalUser, inventory.FactGPU, inventory.FactService,
}

// syntheticEstate builds n workloads, each with a target group behind an ALB, an image, a
// target-tracking policy and two linked scripts carrying facts facts between them.
func syntheticEstate(n, facts int) *inventory.Estate {
	r := rand.New(rand.NewSource(42))
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, CollectedAt: testNow, Source: "synthetic"}
	envs := []string{"prod", "staging", "dev", "test", ""}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("svc-%04d", i)
		account := fmt.Sprintf("1000000000%02d", i%7)
		region := []string{"eu-west-1", "eu-central-1", "us-east-1"}[i%3]
		g := inventory.AutoScalingGroup{
			ARN: "arn:aws:autoscaling:" + region + ":" + account + ":autoScalingGroup:u:autoScalingGroupName/" + name, Name: name,
			Account: account, Region: region, MinSize: 2, DesiredCapacity: 3, MaxSize: 2 + r.Intn(10), HealthCheckType: "ELB", HealthCheckGracePeriod: 60 * (1 + r.Intn(20)),
			LaunchTemplate:  &inventory.LaunchTemplateRef{ID: "lt-" + name, Version: "3"},
			Launch:          inventory.LaunchSpec{ImageID: "ami-" + name, InstanceType: "m5.large", Source: "lt-" + name + " v3"},
			Tags:            map[string]string{"Environment": envs[i%len(envs)], "app": name},
			ScalingPolicies: []inventory.ScalingPolicy{{Name: "tt", Type: "TargetTrackingScaling", Metric: "ASGAverageCPUUtilization", TargetValue: ptr(50.0), Enabled: true}},
		}
		tgARN := "arn:aws:elasticloadbalancing:" + region + ":" + account + ":targetgroup/" + name + "/1"
		lbARN := "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/app/" + name + "/1"
		g.TargetGroupARNs = []string{tgARN}
		e.Groups = append(e.Groups, g)
		e.TargetGroups = append(e.TargetGroups, inventory.TargetGroup{
			ARN: tgARN, Name: name, Account: account, Region: region, Protocol: "HTTP", Port: 8080, LoadBalancerARNs: []string{lbARN},
			HealthCheck: inventory.TargetHealthCheck{Protocol: "HTTP", Path: "/health", Interval: 15},
			Attributes:  map[string]string{"stickiness.enabled": fmt.Sprint(r.Intn(5) == 0), "deregistration_delay.timeout_seconds": "30"},
		})
		e.LoadBalancers = append(e.LoadBalancers, inventory.LoadBalancer{ARN: lbARN, Name: name, Account: account, Region: region, Type: "application"})
		e.Images = append(e.Images, inventory.Image{ID: "ami-" + name, Account: account, Region: region, PlatformDetails: "Linux/UNIX", CreationDate: "2026-01-02T00:00:00Z"})
		link := []inventory.Link{{Workload: g.ID(), Reason: inventory.LinkUserData, Confidence: inventory.ConfidenceHigh}}
		for j, kind := range []string{inventory.ScriptShell, inventory.ScriptPackerHCL} {
			path := fmt.Sprintf("%s/%s.%d", kind, name, j)
			sc := inventory.Script{Path: path, Kind: kind, Links: link}
			for k := 0; k < facts/2; k++ {
				fk := benchFactKinds[r.Intn(len(benchFactKinds))]
				f := inventory.Fact{Kind: fk, Name: fmt.Sprintf("%s-%d", fk, r.Intn(4)), Evidence: inventory.FactEvidence{File: path, Line: k + 1, Excerpt: "line"}}
				inventory.Classify(&f)
				sc.Facts = append(sc.Facts, f)
			}
			e.Scripts = append(e.Scripts, sc)
		}
	}
	return e
}

// BenchmarkAssess holds the speed target: 2,000 workloads with about 20 facts each.
// go test ./assess -run '^$' -bench Assess -benchmem
func BenchmarkAssess(b *testing.B) {
	e := syntheticEstate(2000, 20)
	cfg := DefaultConfig()
	meta := Meta{Now: testNow, ToolVersion: "bench"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Assess(e, nil, cfg, meta); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSyntheticEstateAssesses(t *testing.T) {
	a := mustAssess(t, syntheticEstate(50, 20), nil, nil)
	if len(a.Workloads) != 50 {
		t.Fatalf("%d workloads", len(a.Workloads))
	}
	for _, w := range a.Workloads {
		if w.Fit.Category == CategoryInsufficient {
			t.Errorf("%s: synthetic workload with scripts and a load balancer lacks evidence (confidence %d)", w.ID, w.Fit.Confidence)
		}
	}
}
