package assess

import (
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// Scan lists every fact of the scripts with the rules that read it: the rule a person
// acts on first (a finding rule, then the lowest id), the others beside it, no rule for
// what no rule reads (an agent, an upgrade during the image build), and one line found
// twice for one rule once.
func TestScanFindingsOfScripts(t *testing.T) {
	scripts := []inventory.Script{
		{Path: "b.sh", Kind: inventory.ScriptShell, Facts: []inventory.Fact{
			on(fact(inventory.FactSecret, "password"), "b.sh", 9, "DB_PASSWORD=CANARY-hunter2"),
			on(fact(inventory.FactPackage, "jq"), "b.sh", 2, "yum install -y jq"),
		}},
		// One service alone is not "several services": scan names no rule for it, as
		// assess would not fail the rule on it.
		{Path: "c.sh", Kind: inventory.ScriptShell, Facts: []inventory.Fact{
			on(fact(inventory.FactService, "nginx"), "c.sh", 5, "systemctl enable nginx"),
		}},
		// User data rendered from b.sh: its facts are b.sh's, at b.sh's lines, and are
		// listed once.
		{Path: "userdata:iac:main.tf:3:aws_launch_template.app", Kind: inventory.ScriptUserData, Facts: []inventory.Fact{
			on(fact(inventory.FactPackage, "jq"), "b.sh", 2, "yum install -y jq"),
		}},
		{Path: "packer/web.pkr.hcl", Kind: inventory.ScriptPackerHCL, References: []inventory.Reference{{Path: "packer/setup.sh", How: "shell-provisioner"}},
			Facts: []inventory.Fact{{Kind: inventory.FactBootWork, Class: inventory.ClassPackageUpgrade, Evidence: inventory.FactEvidence{Line: 88}}}},
		{Path: "packer/setup.sh", Kind: inventory.ScriptShell, Facts: []inventory.Fact{
			{Kind: inventory.FactBootWork, Class: inventory.ClassPackageUpgrade, Evidence: inventory.FactEvidence{Line: 3}},
			// Configuration management while the image is made is what the rule asks for.
			{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet apply"}, Evidence: inventory.FactEvidence{Line: 5}},
		}},
		// A template that configures an instance to make its image of: cfn-init on the
		// builder's lines runs when the image is made, the launch template's at boot.
		{Path: "shop.yaml", Kind: inventory.ScriptCloudFormation, ImageBuilders: []inventory.ImageBuilder{{Name: "ShopBuilder", FromLine: 3, ToLine: 16, Image: "MakeShopAMI"}},
			Facts: []inventory.Fact{
				{Kind: inventory.FactConfigMgmt, Name: "cfn-init", Evidence: inventory.FactEvidence{Line: 6}},
				{Kind: inventory.FactConfigMgmt, Name: "cfn-init", Evidence: inventory.FactEvidence{Line: 30}},
			}},
		{Path: "a.yml", Kind: inventory.ScriptAnsibleTasks, Facts: []inventory.Fact{
			on(fact(inventory.FactDatabase, "postgresql"), "a.yml", 30, ""),
			on(fact(inventory.FactDatabase, "memcached"), "a.yml", 31, ""),
			on(fact(inventory.FactS3Mount, "s3fs"), "", 4, ""),
			on(sysctl("vm.max_map_count"), "", 40, ""),
			on(sysctl("net.core.somaxconn"), "", 41, ""),
			on(fact(inventory.FactService, "chronyd"), "", 50, ""),
			on(fact(inventory.FactService, "orders-api"), "", 51, ""),
			on(fact(inventory.FactService, "ecs"), "", 52, ""),
			on(fact(inventory.FactService, "AmazonSSMAgent"), "", 53, ""),
			on(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab}, "", 60, ""),
			on(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab, FactParams: &inventory.FactParams{Path: "-"}}, "", 60, ""),
		}},
	}
	got := ScanFindings(&inventory.Estate{Scripts: scripts}, NewCatalogue())
	var rows []string
	for _, f := range got {
		rows = append(rows, strings.TrimSpace(f.File+":"+strconv.Itoa(f.Line)+" "+f.Rule+" "+f.Kind+" "+strings.Join(f.AlsoRules, ",")))
		if strings.Contains(f.Excerpt, "CANARY") {
			t.Errorf("scan finding carries a secret: %+v", f)
		}
		if f.Title == "" {
			t.Errorf("finding without a title: %+v", f)
		}
		if f.AlsoRules == nil {
			t.Errorf("alsoRules would be missing from the JSON: %+v", f)
		}
		if f.Line == 60 && f.Detail != "crontab; crontab -" {
			t.Errorf("one line found twice for one rule: detail %q, want both", f.Detail)
		}
	}
	want := "a.yml:4 FIND-S3FS s3-fuse-mount FIT-S3FS-MOUNT|a.yml:30 FIT-LOCAL-DATABASE database FIT-MULTI-SERVICE|a.yml:31 FIT-MULTI-SERVICE database|a.yml:40 FIT-NODE-KERNEL kernel-tuning|" +
		"a.yml:41 FIT-KERNEL-TUNING kernel-tuning|a.yml:50  service|a.yml:51 FIT-MULTI-SERVICE service|a.yml:52  service|a.yml:53  service|" +
		"a.yml:60 FIT-HOST-CRON cron|" +
		"b.sh:2  package|b.sh:9 FIND-SECRET secret FIT-PLAINTEXT-SECRET|c.sh:5  service|packer/setup.sh:3  boot-work|packer/setup.sh:5  config-mgmt|packer/web.pkr.hcl:88  boot-work|shop.yaml:6  config-mgmt|shop.yaml:30 FIT-BOOT-CONFIG-MGMT config-mgmt"
	if s := strings.Join(rows, "|"); s != want {
		t.Errorf("scan findings\n %s\nwant\n %s", s, want)
	}
}

// Scan reads every resource through the rules' readers, used by a group or not, at the
// place the code writes the construct; what is only AWS's default is not printed, and a
// value the code leaves open is printed as possible, not as fact.
func TestScanFindingsOfResources(t *testing.T) {
	at := func(file string, line int) inventory.Place { return inventory.Place{File: file, Line: line} }
	e := build("web",
		targetGroup(func(tg *inventory.TargetGroup) {
			sticky(tg)
			tg.Places = inventory.Places{"": at("lb.tf", 10), "Attributes[stickiness.enabled]": at("lb.tf", 14), "HealthCheckPath": at("lb.tf", 18)}
		}),
		group(func(g *inventory.AutoScalingGroup) {
			g.Places = inventory.Places{"": at("asg.tf", 1), "HealthCheckType": at("asg.tf", 5), "MixedInstancesPolicy.InstancesDistribution": at("asg.tf", 9)}
			g.MixedInstances = &inventory.MixedInstancesPolicy{InstanceTypes: []string{"m5.large"}, OnDemandPercentageAboveBaseCapacity: 100}
			g.Unknown = []string{"MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity"}
			g.ScalingPolicies = []inventory.ScalingPolicy{{Name: "cpu", Type: "TargetTrackingScaling", Metric: "ASGAverageCPUUtilization", TargetValue: ptr(60.0), Enabled: true,
				Places: inventory.Places{"": at("asg.tf", 30), "PolicyType": at("asg.tf", 32)}}}
		}),
	)
	// Target groups nothing is attached to: a sticky one with the health check AWS gives it,
	// and one whose code writes an interval and leaves the path to AWS.
	e.TargetGroups = append(e.TargetGroups, inventory.TargetGroup{
		ARN: "iac:lb.tf:40:aws_lb_target_group.old", Name: "old", Protocol: "HTTP", Port: 80,
		HealthCheck: inventory.TargetHealthCheck{Protocol: "HTTP", Path: "/"},
		Attributes:  map[string]string{"stickiness.enabled": "true", "stickiness.type": "app_cookie"},
		Places:      inventory.Places{"": at("lb.tf", 40), "Attributes[stickiness.enabled]": at("lb.tf", 45)},
	}, inventory.TargetGroup{
		ARN: "iac:lb.tf:60:aws_lb_target_group.api", Name: "api", Protocol: "HTTP", Port: 80,
		HealthCheck: inventory.TargetHealthCheck{Protocol: "HTTP", Path: "/", Interval: 10},
		Places:      inventory.Places{"": at("lb.tf", 60), "HealthCheckIntervalSeconds": at("lb.tf", 64)},
	})
	// A second group whose health check type the code takes from a variable without a value.
	e.Groups = append(e.Groups, inventory.AutoScalingGroup{ARN: "iac:asg.tf:50:aws_autoscaling_group.batch", Name: "batch", Account: testAccount, Region: testRegion,
		HealthCheckType: "EC2", Unknown: []string{"HealthCheckType"}, Places: inventory.Places{"": at("asg.tf", 50), "HealthCheckType": at("asg.tf", 53)}})
	var rows []string
	for _, f := range ScanFindings(e, NewCatalogue()) {
		rows = append(rows, f.File+":"+strconv.Itoa(f.Line)+" "+f.Rule+" "+f.Kind)
		if f.Title == "" || f.Kind == "" {
			t.Errorf("a construct without a title or kind: %+v", f)
		}
	}
	want := "asg.tf:5 FIT-ELB-HEALTH-CHECK health-check|asg.tf:9 FIT-SPOT-TOLERANT spot|asg.tf:32 FIT-TARGET-TRACKING scaling-policy|asg.tf:53 FIT-ELB-HEALTH-CHECK health-check|" +
		"lb.tf:14 FIT-STICKY-SESSIONS target-group-stickiness|lb.tf:18 FIT-HTTP-HEALTH-CHECK health-check|lb.tf:45 FIT-STICKY-SESSIONS target-group-stickiness|" +
		"lb.tf:64 FIT-HTTP-HEALTH-CHECK health-check"
	if got := strings.Join(rows, "|"); got != want {
		t.Errorf("scan of resources\n %s\nwant\n %s", got, want)
	}
}
