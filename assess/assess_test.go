package assess

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
)

func TestNormaliseEnvironment(t *testing.T) {
	for in, want := range map[string]string{
		"prod": EnvProduction, "Production": EnvProduction, "PRD": EnvProduction, " live ": EnvProduction,
		"staging": EnvStaging, "Stage": EnvStaging, "preprod": EnvStaging, "pre-prod": EnvStaging, "UAT": EnvStaging,
		"dev": EnvDevelopment, "Development": EnvDevelopment, "sandbox": EnvDevelopment,
		"test": EnvTest, "QA": EnvTest, "": EnvUnknown, "shared-services": "shared-services",
	} {
		if got := normaliseEnvironment(in); got != want {
			t.Errorf("normaliseEnvironment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnvironmentOf(t *testing.T) {
	cases := []struct {
		tags map[string]string
		keys []string
		env  string
	}{
		{map[string]string{"Environment": "prod"}, DefaultEnvironmentTags, EnvProduction},
		{map[string]string{"ENV": "uat"}, DefaultEnvironmentTags, EnvStaging},                     // key case ignored
		{map[string]string{"Stage": "dev", "env": "prod"}, DefaultEnvironmentTags, EnvProduction}, // first configured key wins
		{map[string]string{"Name": "web-dev"}, DefaultEnvironmentTags, EnvUnknown},                // names are not guessed from
		{map[string]string{"Tier": "qa"}, []string{"Tier"}, EnvTest},
		{map[string]string{"Environment": " "}, DefaultEnvironmentTags, EnvUnknown},
	}
	for _, tc := range cases {
		g := &inventory.AutoScalingGroup{Name: "g", Tags: tc.tags}
		if got, _ := environmentOf(g, tc.keys); got != tc.env {
			t.Errorf("tags %v keys %v: %q, want %q", tc.tags, tc.keys, got, tc.env)
		}
	}
}

func TestWaves(t *testing.T) {
	w := func(id, env, cat, rec string, score int) Workload {
		x := Workload{ID: id, Environment: env, Fit: Fit{Category: cat, Score: score}, Recommendation: Recommendation{Kind: rec}}
		x.Wave = waveOf(&x)
		return x
	}
	ws := []Workload{
		w("a", EnvProduction, CategoryExcellent, RecommendContainerise, 90),
		w("b", EnvDevelopment, CategoryGood, RecommendAfterBlockers, 70),
		w("c", EnvUnknown, CategoryGood, RecommendContainerise, 75),
		w("d", EnvStaging, CategoryMinorWork, RecommendAfterBlockers, 55),
		w("e", EnvProduction, CategoryMajorWork, RecommendAfterBlockers, 40),
		w("f", EnvTest, CategoryPoor, RecommendKeep, 20),
		w("g", EnvTest, CategoryGood, RecommendKeep, 30),
		w("h", EnvDevelopment, CategoryInsufficient, RecommendInsufficient, 0),
		w("i", EnvTest, CategoryExcellent, RecommendContainerise, 85),
	}
	want := map[string]int{"a": 2, "b": 1, "c": 2, "d": 3, "e": 3, "f": 5, "g": 5, "h": 4, "i": 1}
	for _, x := range ws {
		if x.Wave != want[x.ID] {
			t.Errorf("%s (%s, %s, %s): wave %d, want %d", x.ID, x.Environment, x.Fit.Category, x.Recommendation.Kind, x.Wave, want[x.ID])
		}
	}
	plan := planWaves(ws)
	var got []string
	for _, p := range plan {
		got = append(got, strconv.Itoa(p.Number)+":"+strings.Join(p.Workloads, ","))
		if p.Name == "" || p.Rationale == "" {
			t.Errorf("wave %d has no name or rationale", p.Number)
		}
	}
	// Non-production first within a wave, then higher score.
	if s := strings.Join(got, " "); s != "1:i,b 2:a,c 3:d,e 4:h 5:g,f" {
		t.Errorf("plan %s", s)
	}
	if !strings.Contains(plan[1].Rationale, "treated as production") {
		t.Errorf("wave 2 does not say untagged workloads count as production: %q", plan[1].Rationale)
	}
	if p := planWaves(ws[:1]); len(p) != 1 || p[0].Number != WaveProdGood {
		t.Errorf("empty waves are listed: %+v", p)
	}
}

func TestEffort(t *testing.T) {
	b := func(efforts ...string) []Blocker {
		var out []Blocker
		for _, e := range efforts {
			out = append(out, Blocker{Effort: e})
		}
		return out
	}
	for _, tc := range []struct {
		blockers []Blocker
		want     string
	}{
		{nil, EffortS}, {b(EffortS), EffortS}, {b(EffortS, EffortM), EffortM},
		{b(EffortS, EffortS, EffortS), EffortM}, {b(EffortL, EffortS, EffortM), EffortXL}, {b(EffortXL, EffortL, EffortL), EffortXL},
	} {
		if got := effortOf(tc.blockers); got != tc.want {
			t.Errorf("effortOf(%v) = %s, want %s", tc.blockers, got, tc.want)
		}
	}
}

// cleanAPI is the workload every consultant hopes for.
func cleanAPI(name string, extra ...opt) *inventory.Estate {
	opts := []opt{
		targetGroup(nil), targetTracking("ASGAverageCPUUtilization", 50), packer,
		userdata(fact(inventory.FactConfigStore, "aws ssm get-parameters-by-path /orders"), fact(inventory.FactService, "orders-api")),
		blockDev(inventory.BlockDevice{DeviceName: "/dev/xvda", VolumeSize: 20}),
	}
	return build(name, append(opts, extra...)...)
}

func TestWorkloadJudgements(t *testing.T) {
	cases := []struct {
		name     string
		estate   *inventory.Estate
		category string
		rec      string
		blockers []string
	}{
		{"clean stateless API", cleanAPI("orders"), CategoryExcellent, RecommendContainerise, nil},
		// A blocker that takes real work (M) is work before the move: not a good fit yet.
		{"clean API with sticky sessions", cleanAPI("orders", targetGroup(sticky)), CategoryMinorWork, RecommendAfterBlockers, []string{"FIT-STICKY-SESSIONS"}},
		{"database on the instance is capped at major work", cleanAPI("orders", userdata(fact(inventory.FactDatabase, "postgresql-15"))), CategoryMajorWork, RecommendAfterBlockers, []string{"FIT-LOCAL-DATABASE"}},
		{"windows is kept", cleanAPI("billing", image(func(im *inventory.Image) { im.Platform, im.PlatformDetails = "windows", "Windows" })), CategoryPoor, RecommendKeep, []string{"FIT-WINDOWS"}},
		{"nothing known", build("bare", noImage(), group(func(g *inventory.AutoScalingGroup) { g.Launch = inventory.LaunchSpec{}; g.LaunchTemplate = nil })), CategoryInsufficient, RecommendInsufficient, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := mustAssess(t, tc.estate, nil, nil).Workloads[0]
			if w.Fit.Category != tc.category || w.Recommendation.Kind != tc.rec {
				t.Fatalf("%s / %s (score %d, confidence %d), want %s / %s\nsignals: %+v", w.Fit.Category, w.Recommendation.Kind, w.Fit.Score, w.Fit.Confidence, tc.category, tc.rec, w.Signals)
			}
			var got []string
			for _, b := range w.Blockers {
				got = append(got, b.Rule)
			}
			if strings.Join(got, ",") != strings.Join(tc.blockers, ",") {
				t.Errorf("blockers %v, want %v", got, tc.blockers)
			}
			if w.Recommendation.Text == "" {
				t.Error("no recommendation text")
			}
			for _, s := range w.Signals {
				if len(s.Evidence) == 0 {
					t.Errorf("signal %s without evidence", s.Rule)
				}
			}
		})
	}
}

func TestUnknownsAreReported(t *testing.T) {
	w := mustAssess(t, build("web"), nil, nil).Workloads[0]
	found := false
	for _, u := range w.Unknowns {
		if u.Rule == "FIT-LOCAL-DATABASE" && strings.Contains(u.Reason, "no provisioning script") {
			found = true
		}
	}
	if !found {
		t.Fatalf("a workload without scripts does not say the database rule is unknown: %+v", w.Unknowns)
	}
	if w.Fit.Confidence >= 100 {
		t.Errorf("confidence %d with unknown rules", w.Fit.Confidence)
	}
}

func TestMapping(t *testing.T) {
	e := cleanAPI("orders", targetGroup(sticky),
		group(func(g *inventory.AutoScalingGroup) {
			g.LifecycleHooks = []inventory.LifecycleHook{{Name: "drain", Transition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 120}}
			g.ScheduledActions = []inventory.ScheduledAction{{Name: "morning", Recurrence: "0 7 * * 1-5", TimeZone: "Europe/Dublin", DesiredCapacity: ptr(4)}}
			g.MixedInstances = &inventory.MixedInstancesPolicy{InstanceTypes: []string{"g5.xlarge", "g5.2xlarge"}, OnDemandBaseCapacity: 1}
		}))
	w := mustAssess(t, e, nil, nil).Workloads[0]
	text := mappingText(w)
	for _, want := range []string{
		"HorizontalPodAutoscaler: resource cpu averageUtilization 50%, minReplicas 2, maxReplicas 6",
		"readinessProbe httpGet /health on port 8080, periodSeconds 15, timeoutSeconds 5, failureThreshold 2",
		"terminating lifecycle hook drain (heartbeat 120s) → preStop hook",
		"terminationGracePeriodSeconds 120",
		"KEDA cron trigger start \"0 7 * * 1-5\" timezone Europe/Dublin, desiredReplicas 4",
		"External session store",
		"GPU node pool",
		"Spot node group or Karpenter NodePool",
		"Ingress (AWS Load Balancer Controller, ALB)",
		"startupProbe with failureThreshold × periodSeconds ≥ 120",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("mapping lacks %q:\n%s", want, text)
		}
	}
}

// TestMappingSaysWhatTheCodeLeavesUnknown: sizes that infrastructure code takes from a
// variable without a value are not zeros to size a Deployment by.
func TestMappingSaysWhatTheCodeLeavesUnknown(t *testing.T) {
	e := cleanAPI("orders", group(func(g *inventory.AutoScalingGroup) {
		g.MinSize, g.DesiredCapacity, g.MaxSize = 0, 0, 0
		g.Unknown = []string{"DesiredCapacity", "MaxSize", "MinSize"}
	}))
	a := mustAssess(t, e, nil, nil)
	text := mappingText(a.Workloads[0])
	for _, want := range []string{"(min unknown, desired unknown, max unknown)", "not known from the code", "minReplicas unknown, maxReplicas unknown"} {
		if !strings.Contains(text, want) {
			t.Errorf("mapping lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "with 1 replicas") {
		t.Errorf("an unknown size became a replica count:\n%s", text)
	}
	if c := a.Inventory.Groups[0].Capacity; c != "unknown/unknown/unknown" {
		t.Errorf("inventory capacity %q", c)
	}
}

// TestMappingSaysWhichPortsAreUnknown: a listener port or health check target the code
// builds from a variable without a value is not port 0, nor a TCP check.
func TestMappingSaysWhichPortsAreUnknown(t *testing.T) {
	e := cleanAPI("orders", classicLB(func(lb *inventory.ClassicLoadBalancer) {
		lb.Listeners = []inventory.ClassicListener{{Protocol: "HTTP", InstanceProtocol: "HTTP"}}
		lb.HealthCheck = &inventory.ClassicHealthCheck{Interval: 30}
	}))
	a := mustAssess(t, e, nil, nil)
	text := mappingText(a.Workloads[0])
	if !strings.Contains(text, "HTTP:unknown→HTTP:unknown") || !strings.Contains(text, "health check (target not known)") {
		t.Errorf("mapping:\n%s", text)
	}
	if strings.Contains(text, "tcpSocket") || strings.Contains(text, ":0") {
		t.Errorf("an unknown port or target was guessed:\n%s", text)
	}
}

// TestDeterministic shuffles every list of the estate and checks the assessment's JSON is
// byte-identical: map iteration and input order must never reach the output.
func TestDeterministic(t *testing.T) {
	e := mixedEstate()
	want, _ := json.MarshalIndent(mustAssess(t, e, nil, nil), "", " ")
	r := rand.New(rand.NewSource(5))
	for i := 0; i < 5; i++ {
		s := mixedEstate()
		r.Shuffle(len(s.Groups), func(i, j int) { s.Groups[i], s.Groups[j] = s.Groups[j], s.Groups[i] })
		r.Shuffle(len(s.Scripts), func(i, j int) { s.Scripts[i], s.Scripts[j] = s.Scripts[j], s.Scripts[i] })
		r.Shuffle(len(s.TargetGroups), func(i, j int) { s.TargetGroups[i], s.TargetGroups[j] = s.TargetGroups[j], s.TargetGroups[i] })
		r.Shuffle(len(s.Images), func(i, j int) { s.Images[i], s.Images[j] = s.Images[j], s.Images[i] })
		got, _ := json.MarshalIndent(mustAssess(t, s, nil, nil), "", " ")
		if !bytes.Equal(got, want) {
			t.Fatalf("shuffle %d changed the assessment:\n%s", i, firstDiff(string(want), string(got)))
		}
	}
}

// mixedEstate merges several one-group estates into one.
func mixedEstate() *inventory.Estate {
	parts := []*inventory.Estate{
		cleanAPI("orders", tags("Environment", "dev")),
		cleanAPI("orders-prod", tags("Environment", "prod")),
		cleanAPI("portal", targetGroup(sticky), userdata(fact(inventory.FactS3Mount, "s3fs uploads"), fact(inventory.FactSecret, "aws-access-key"))),
		build("billing", image(func(im *inventory.Image) { im.Platform = "windows" }), tags("env", "uat")),
		build("gpu", group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "p3.2xlarge" }), scripts()),
	}
	e := parts[0]
	for _, p := range parts[1:] {
		e.Groups = append(e.Groups, p.Groups...)
		e.Images = append(e.Images, p.Images...)
		e.Scripts = append(e.Scripts, p.Scripts...)
		e.TargetGroups = append(e.TargetGroups, p.TargetGroups...)
		e.LoadBalancers = append(e.LoadBalancers, p.LoadBalancers...)
		e.ClassicLoadBalancers = append(e.ClassicLoadBalancers, p.ClassicLoadBalancers...)
	}
	e.Scripts = append(e.Scripts, inventory.Script{Path: "zz/unlinked.sh", Kind: inventory.ScriptShell})
	return e
}

func TestAssessmentShape(t *testing.T) {
	e := mixedEstate()
	// A planted secret in an excerpt must never reach the assessment.
	for i := range e.Scripts {
		for j := range e.Scripts[i].Facts {
			if e.Scripts[i].Facts[j].Kind == inventory.FactSecret {
				e.Scripts[i].Facts[j].Evidence.Excerpt = "AKIACANARYCANARY1234"
			}
		}
	}
	before, _ := json.Marshal(e)
	a := mustAssess(t, e, nil, nil)
	after, _ := json.Marshal(e)
	if !bytes.Equal(before, after) {
		t.Error("Assess modified its input estate")
	}
	out, _ := json.Marshal(a)
	if bytes.Contains(out, []byte("CANARY")) {
		t.Fatal("a secret's excerpt reached the assessment")
	}
	if a.SchemaVersion != SchemaVersion || !a.GeneratedAt.Equal(testNow) || a.ToolVersion != "test" {
		t.Errorf("header %d %v %q", a.SchemaVersion, a.GeneratedAt, a.ToolVersion)
	}
	if len(a.Summary.ByCategory) != len(Categories) {
		t.Errorf("summary lists %d categories, want all %d", len(a.Summary.ByCategory), len(Categories))
	}
	n := 0
	for i, c := range a.Summary.ByCategory {
		if c.Category != Categories[i] {
			t.Errorf("category %d is %q, want %q", i, c.Category, Categories[i])
		}
		n += c.Count
	}
	if n != len(a.Workloads) || a.Summary.Workloads != n {
		t.Errorf("category counts add to %d for %d workloads", n, len(a.Workloads))
	}
	if strings.Join(a.UnlinkedScripts, ",") != "zz/unlinked.sh" {
		t.Errorf("unlinked scripts %v", a.UnlinkedScripts)
	}
	if len(a.Inventory.Groups) != 5 || len(a.Inventory.TargetGroups) != 4 || len(a.Inventory.Scripts) != len(e.Scripts) {
		t.Errorf("inventory tables: %d groups, %d target groups, %d scripts", len(a.Inventory.Groups), len(a.Inventory.TargetGroups), len(a.Inventory.Scripts))
	}
	if a.Summary.NonProduction != 2 {
		t.Errorf("%d non-production workloads, want 2 (dev and uat)", a.Summary.NonProduction)
	}
	rules := map[string]string{}
	for _, f := range a.Findings {
		rules[f.Rule] = f.Severity
	}
	if rules["FIND-SECRET"] != SeverityCritical || rules["FIND-S3FS"] != SeverityHigh {
		t.Errorf("findings %v", rules)
	}
	if a.Findings[0].Severity != SeverityCritical {
		t.Errorf("findings not sorted by severity: first is %s", a.Findings[0].Severity)
	}
	if len(a.Summary.TeamChanges) == 0 || len(a.Summary.TopBlockers) == 0 {
		t.Errorf("summary lacks team changes or blockers: %+v", a.Summary)
	}
	if len(a.Methodology.Rules) != len(NewCatalogue().Rules()) {
		t.Errorf("methodology lists %d rules", len(a.Methodology.Rules))
	}
}

// A report that found no gap must still say what whyk8s does not look at, whatever the
// source: "everything was read" is never claimed.
func TestScopeSaysWhatIsNotRead(t *testing.T) {
	for _, src := range []string{inventory.SourceAWS, inventory.SourceDemo, inventory.SourceIaC, inventory.SourceCode, "snapshot"} {
		e := &inventory.Estate{Source: src}
		a, err := Assess(e, nil, DefaultConfig(), Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Scope.NotRead) == 0 {
			t.Errorf("source %q: the scope names nothing as not read", src)
		}
		if src != inventory.SourceCode && !strings.Contains(strings.Join(a.Scope.NotRead, ";"), "outside Auto Scaling groups") {
			t.Errorf("source %q: standalone instances are not named as not read: %q", src, a.Scope.NotRead)
		}
	}
}

// TestCitedFileIsListedNotRead: a file linked only because a linked script's facts cite it
// (the CloudFormation template holding the user data, a role's defaults) is listed with the
// workload and never unlinked, but its own other facts — another launch template's Windows
// user data — are not the workload's.
func TestCitedFileIsListedNotRead(t *testing.T) {
	for _, tc := range []struct {
		name        string
		reason      string
		wantWindows bool
	}{
		{"cited only: its Windows branch stays out", inventory.LinkEvidence, false},
		{"pulled in by a linked script: its facts are the workload's", inventory.LinkReference, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := build("ci-agents",
				userdata(on(fact(inventory.FactDocker, "docker"), "templates/stack.yml", 40, "systemctl start docker")),
				script("templates/stack.yml", inventory.ScriptCloudFormation, tc.reason,
					on(fact(inventory.FactWindows, "powershell"), "templates/stack.yml", 90, "<powershell>")))
			a := mustAssess(t, e, nil, nil)
			w := a.Workloads[0]
			windows := false
			for _, s := range w.Signals {
				windows = windows || s.Rule == RuleWindows && s.Points < 0 // the stock image says Linux: a bonus
			}
			if windows != tc.wantWindows {
				t.Errorf("Windows signal = %v, want %v (signals %+v)", windows, tc.wantWindows, w.Signals)
			}
			listed := false
			for _, s := range w.Scripts {
				listed = listed || s.Path == "templates/stack.yml" && s.Reason == tc.reason
			}
			if !listed {
				t.Errorf("templates/stack.yml not listed with the workload: %+v", w.Scripts)
			}
			if len(a.UnlinkedScripts) != 0 {
				t.Errorf("unlinked %v, want none", a.UnlinkedScripts)
			}
		})
	}
}

// TestMappingOfAGroupAtRest: GPU work a schedule starts from zero runs as Jobs, its volumes
// their claims, never a StatefulSet of a replica it does not run; one replica is one.
func TestMappingOfAGroupAtRest(t *testing.T) {
	kept := func(g *inventory.AutoScalingGroup) {
		g.Launch.BlockDevices = append(g.Launch.BlockDevices, inventory.BlockDevice{DeviceName: "/dev/sdb", VolumeSize: 1000, VolumeType: "io2"})
	}
	a := mustAssess(t, build("nightly", sizes(0, 0, 10), scheduled("start", 4), scheduled("stop", 0), group(kept),
		group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "p3.2xlarge" }),
		userdata(fact(inventory.FactGPU, "nvidia-driver-535"), fact(inventory.FactBatchML, "pytorch"))), nil, nil)
	text := mappingText(a.Workloads[0])
	if !strings.Contains(text, "Jobs (or a queue-driven Deployment scaled by KEDA) on a GPU node pool") || !strings.Contains(text, "PersistentVolumeClaims for the volumes it writes") {
		t.Errorf("GPU batch at rest maps to:\n%s", text)
	}
	if strings.Contains(text, "StatefulSet") || strings.Contains(text, "1 replicas") {
		t.Errorf("a group at rest mapped to a StatefulSet or to replicas it does not run:\n%s", text)
	}
	for _, want := range []string{"start (0 2 * * *) → CronJob schedule \"0 2 * * *\", parallelism 4", "stop (0 2 * * *) → End of a run: the Jobs complete on their own"} {
		if !strings.Contains(text, want) {
			t.Errorf("schedules of Jobs: mapping lacks %q:\n%s", want, text)
		}
	}
	one := mustAssess(t, build("ledger", sizes(1, 1, 1), group(kept), userdata(fact(inventory.FactService, "ledger"))), nil, nil)
	if text := mappingText(one.Workloads[0]); strings.Contains(text, "1 replicas") {
		t.Errorf("one replica written as several:\n%s", text)
	}
	web := mustAssess(t, cleanAPI("intranet", scheduled("morning", 3), scheduled("night", 0)), nil, nil)
	if text := mappingText(web.Workloads[0]); !strings.Contains(text, "night (0 2 * * *) → KEDA cron trigger end \"0 2 * * *\"") || !strings.Contains(text, "morning (0 2 * * *) → KEDA cron trigger start \"0 2 * * *\", desiredReplicas 3") {
		t.Errorf("a service's scheduled window:\n%s", text)
	}
	if got := replicaText(&inventory.AutoScalingGroup{MinSize: 0, DesiredCapacity: 0, MaxSize: 10}); got != "0 replicas at rest, up to 10 when scaled out" {
		t.Errorf("replicas of a group at rest: %q", got)
	}
}

// A host whose boot code only readies it for CodeDeploy runs what CodeDeploy brings: with
// no revision read, the absence of a database or a volume from its user data proves
// nothing, and the recommendation says what to collect.
func TestApplicationDeployedByCodeDeploy(t *testing.T) {
	e := build("orders", targetGroup(nil), targetTracking("ASGAverageCPUUtilization", 50),
		userdata(fact(inventory.FactPackage, "ruby"), fact(inventory.FactService, "codedeploy-agent")))
	w := mustAssess(t, e, nil, nil).Workloads[0]
	if w.Recommendation.Kind != RecommendInsufficient || !strings.Contains(w.Recommendation.Text, "deployed by AWS CodeDeploy (userdata/orders.sh:2)") {
		t.Errorf("%s / %s: %q", w.Fit.Category, w.Recommendation.Kind, w.Recommendation.Text)
	}
}

// A group Elastic Beanstalk makes runs the application bundle its platform deploys: the
// bootstrap in its user data shows nothing of it.
func TestBeanstalkGroupIsNotJudgedFromItsBootstrap(t *testing.T) {
	e := build("awseb-e-abc123-stack-AWSEBAutoScalingGroup-XYZ", tags("elasticbeanstalk:environment-name", "orders-prod"),
		targetGroup(nil), userdata(fact(inventory.FactPackage, "ruby"), fact(inventory.FactService, "nginx")))
	w := mustAssess(t, e, nil, nil).Workloads[0]
	var localDB *Unknown
	for i := range w.Unknowns {
		if w.Unknowns[i].Rule == RuleLocalDatabase {
			localDB = &w.Unknowns[i]
		}
	}
	if localDB == nil || !strings.Contains(localDB.Reason, "Elastic Beanstalk's (environment orders-prod)") {
		t.Errorf("local database not unknown for the Beanstalk reason: %+v", w.Unknowns)
	}
}

// A CodeDeploy deployment group in the infrastructure code names the group: the reason says
// which, and where it is defined, so the consultant knows whose revisions to ask for.
func TestDeploymentGroupNamedInTheReason(t *testing.T) {
	e := build("orders", targetGroup(nil), userdata(fact(inventory.FactPackage, "jq")), func(e *inventory.Estate) {
		e.Groups[0].Deployments = []inventory.Deployment{{Service: inventory.DeployCodeDeploy, Application: "orders", DeploymentGroup: "orders-prod",
			Revision: "s3://acme-releases/orders.zip", Source: "iac:deploy.tf:3:aws_codedeploy_deployment_group.orders",
			Places: inventory.Places{"": {File: "deploy.tf", Line: 3}}}}
	})
	w := mustAssess(t, e, nil, nil).Workloads[0]
	want := "deployed by AWS CodeDeploy (deployment group orders-prod of application orders, revisions from s3://acme-releases/orders.zip, deploy.tf:3)"
	if w.Recommendation.Kind != RecommendInsufficient || !strings.Contains(w.Recommendation.Text, want) {
		t.Errorf("%s / %s: %q", w.Fit.Category, w.Recommendation.Kind, w.Recommendation.Text)
	}
}
