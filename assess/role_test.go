package assess

import (
	"slices"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// clusterNode is a cluster join a reader recorded.
func clusterNode(name string, class inventory.FactClass, key string) inventory.Fact {
	return inventory.Fact{Kind: inventory.FactClusterNode, Name: name, Class: class, FactParams: &inventory.FactParams{Key: key}}
}

// natRule is an iptables rule in the nat table, as a reader records it.
func natFirewall(target string) inventory.Fact {
	return inventory.Fact{Kind: inventory.FactFirewall, Name: "iptables", FactParams: &inventory.FactParams{Key: "nat", Value: target}}
}

func sysctlValue(key, value string) inventory.Fact {
	f := sysctl(key)
	f.SetParams(func(p *inventory.FactParams) { p.Value = value })
	return f
}

func scheduled(name string, desired int) opt {
	return group(func(g *inventory.AutoScalingGroup) {
		g.ScheduledActions = append(g.ScheduledActions, inventory.ScheduledAction{Name: name, Recurrence: "0 2 * * *", DesiredCapacity: ptr(desired)})
	})
}

func sizes(min, desired, max int) opt {
	return group(func(g *inventory.AutoScalingGroup) { g.MinSize, g.DesiredCapacity, g.MaxSize = min, desired, max })
}

func TestRoleClues(t *testing.T) {
	tcp := func(port int) opt {
		return targetGroup(func(tg *inventory.TargetGroup) {
			tg.Protocol, tg.Port = "TCP", port
			tg.HealthCheck = inventory.TargetHealthCheck{Enabled: true, Protocol: "TCP", Port: "traffic-port"}
		})
	}
	cases := []struct {
		name       string
		opts       []opt
		role       string
		kind       string
		confidence string // empty: any
	}{
		{"nothing known", nil, RoleUnknown, "", ""},
		{"ECS agent configured", []opt{userdata(clusterNode("ecs", 0, "ECS_CLUSTER"), fact(inventory.FactPackage, "ecs-init"))}, RoleOrchestrator, NodeContainerHost, inventory.ConfidenceHigh},
		{"ECS agent image", []opt{userdata(inventory.Fact{Kind: inventory.FactDocker, FactParams: &inventory.FactParams{Command: "docker run", Image: "amazon/amazon-ecs-agent:v1.14.1"}})}, RoleOrchestrator, NodeContainerHost, ""},
		{"EKS bootstrap", []opt{userdata(clusterNode("eks", 0, ""))}, RoleOrchestrator, NodeContainerHost, ""},
		{"kubelet package", []opt{userdata(fact(inventory.FactPackage, "kubelet"))}, RoleOrchestrator, NodeContainerHost, ""},
		{"Nomad server configuration", []opt{userdata(clusterNode("nomad", inventory.ClassClusterServer, ""), fact(inventory.FactService, "nomad"))}, RoleOrchestrator, NodeControlPlane, inventory.ConfidenceHigh},
		{"Vault server", []opt{userdata(fact(inventory.FactService, "vault"))}, RoleOrchestrator, NodeControlPlane, ""},
		{"GitLab runner", []opt{userdata(fact(inventory.FactPackage, "gitlab-runner"), fact(inventory.FactService, "gitlab-runner"))}, RoleCIRunner, "", inventory.ConfidenceHigh},
		{"Buildkite agent downloaded", []opt{userdata(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Name: "buildkite-agent-stable"})}, RoleCIRunner, "", ""},
		{"GitHub Actions runner env file", []opt{userdata(inventory.Fact{Kind: inventory.FactEnvConfig, Name: "ACTIONS_RUNNER_HOOK_JOB_STARTED", FactParams: &inventory.FactParams{Path: "/opt/actions-runner/.env"}})}, RoleCIRunner, "", ""},
		{"Jenkins agent image", []opt{userdata(inventory.Fact{Kind: inventory.FactDocker, FactParams: &inventory.FactParams{Command: "docker run", Image: "jenkins/inbound-agent:latest"}})}, RoleCIRunner, "", ""},
		{"NAT: forwarding and masquerade", []opt{userdata(sysctlValue("net.ipv4.ip_forward", "1"), natFirewall("MASQUERADE"))}, RoleNetwork, NetworkNAT, ""},
		{"forwarding alone is a container host's setting, not NAT", []opt{userdata(sysctlValue("net.ipv4.ip_forward", "1"), fact(inventory.FactFirewall, "iptables"))}, RoleUnknown, "", ""},
		{"OpenVPN server", []opt{userdata(fact(inventory.FactPackage, "openvpn"))}, RoleNetwork, NetworkVPN, ""},
		{"SSH only behind a TCP:22 load balancer", []opt{userdata(fact(inventory.FactService, "sshd"), fact(inventory.FactLocalUser, "alice")), tcp(22)}, RoleBastion, "", inventory.ConfidenceHigh},
		{"sshd and users, nothing else", []opt{userdata(fact(inventory.FactService, "sshd"), fact(inventory.FactLocalUser, "alice"))}, RoleBastion, "", ""},
		{"a two-factor SSH login and nothing else", []opt{userdata(inventory.Fact{Kind: inventory.FactLocalUser, Name: "Duo two-factor SSH login", FactParams: &inventory.FactParams{Path: "/etc/duo/pam_duo.conf"}})}, RoleBastion, "", inventory.ConfidenceMedium},
		{"sshd beside an application is no bastion", []opt{userdata(fact(inventory.FactService, "sshd"), fact(inventory.FactService, "orders-api"))}, RoleAPI, "", ""},
		{"PostgreSQL serving the load balancer's port", []opt{userdata(fact(inventory.FactDatabase, "postgresql")), tcp(5432)}, RoleDatabase, "", inventory.ConfidenceHigh},
		{"Elasticsearch alone", []opt{userdata(fact(inventory.FactDatabase, "elasticsearch"))}, RoleSearch, "", inventory.ConfidenceMedium},
		{"Kafka broker", []opt{userdata(fact(inventory.FactDatabase, "kafka"))}, RoleBroker, "", ""},
		{"a server yum installs and nothing starts does not make a database host", []opt{userdata(
			via(fact(inventory.FactDatabase, "postgresql-server"), "yum"), fact(inventory.FactService, "scanner"))}, RoleWorker, "", inventory.ConfidenceLow},
		{"the same server, enabled, does", []opt{userdata(
			via(fact(inventory.FactDatabase, "postgresql-server"), "yum"), via(fact(inventory.FactDatabase, "postgresql"), "systemctl"), fact(inventory.FactService, "scanner"))}, RoleDatabase, "", ""},
		{"Debian's packages start what they install", []opt{userdata(
			via(fact(inventory.FactDatabase, "postgresql"), "apt-get"), fact(inventory.FactService, "scanner"))}, RoleDatabase, "", ""},
		{"a GlusterFS server keeps data as a database does", []opt{userdata(fact(inventory.FactDatabase, "glusterfs-server"))}, RoleDatabase, "", inventory.ConfidenceMedium},
		{"MinIO is an object store on the host", []opt{userdata(fact(inventory.FactDatabase, "minio"))}, RoleDatabase, "", ""},
		{"Redis is a cache", []opt{userdata(fact(inventory.FactDatabase, "redis-server"))}, RoleCache, "", ""},
		{"Redis beside a web server is its helper", []opt{userdata(fact(inventory.FactDatabase, "redis-server"), fact(inventory.FactWebServer, "nginx")), targetGroup(nil)}, RoleWeb, "", inventory.ConfidenceHigh},
		{"web server behind an HTTP load balancer", []opt{userdata(fact(inventory.FactWebServer, "nginx")), targetGroup(nil)}, RoleWeb, "", inventory.ConfidenceHigh},
		{"API gateway", []opt{userdata(fact(inventory.FactPackage, "kong")), targetGroup(nil)}, RoleAPI, "", ""},
		{"queue-depth scaling", []opt{group(func(g *inventory.AutoScalingGroup) {
			g.ScalingPolicies = []inventory.ScalingPolicy{{Name: "q", Type: "StepScaling", Metric: "AWS/SQS/ApproximateNumberOfMessagesVisible", Enabled: true}}
		})}, RoleWorker, "", ""},
		{"a schedule starts it and takes it to zero", []opt{sizes(0, 0, 4), scheduled("start", 4), scheduled("stop", 0)}, RoleBatch, "", ""},
		{"parked at night behind a load balancer is no batch job", []opt{sizes(0, 1, 3), scheduled("up", 1), scheduled("down", 0), targetGroup(nil)}, RoleWeb, "", ""},
		{"Spark", []opt{userdata(fact(inventory.FactBatchML, "spark"))}, RoleBatch, "", ""},
		{"GPU instances", []opt{group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "g5.xlarge" })}, RoleGPU, "", ""},
		{"a web app on GPUs is GPU work", []opt{group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "p4d.24xlarge" }), userdata(fact(inventory.FactWebServer, "nginx")), targetGroup(nil)}, RoleGPU, "", ""},
		{"a GPU CI runner stays a CI runner", []opt{group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "g4dn.xlarge" }), userdata(fact(inventory.FactPackage, "gitlab-runner"))}, RoleCIRunner, "", ""},
		{"IIS on Windows", []opt{image(func(im *inventory.Image) { im.Platform, im.PlatformDetails = "windows", "Windows" }), userdata(fact(inventory.FactWebServer, "iis")), targetGroup(nil)}, RoleWindows, "", inventory.ConfidenceHigh},
		{"a bastion by name only is a hint", []opt{group(func(g *inventory.AutoScalingGroup) { g.Name = "prod-bastion" })}, RoleBastion, "", inventory.ConfidenceLow},
		{"names agree, yet names alone never decide", []opt{group(func(g *inventory.AutoScalingGroup) { g.Name = "orders-worker" }), tags("Name", "orders-worker", "Role", "worker")}, RoleWorker, "", inventory.ConfidenceLow},
		{"Kubernetes node settings", []opt{userdata(kernelModule("br_netfilter"), kernelModule("overlay"), sysctl("net.bridge.bridge-nf-call-iptables"))}, RoleOrchestrator, NodeContainerHost, ""},
		{"one Kubernetes setting is not a node", []opt{userdata(kernelModule("overlay"))}, RoleUnknown, "", ""},
		{"named for a store whose port the load balancer serves", []opt{group(func(g *inventory.AutoScalingGroup) { g.Name = "metrics-influxdb" }), tcp(8086)}, RoleDatabase, "", ""},
		{"a store's name without its port is a hint", []opt{group(func(g *inventory.AutoScalingGroup) { g.Name = "metrics-influxdb" }), tcp(443)}, RoleDatabase, "", inventory.ConfidenceLow},
		{"a unit named for its job", []opt{userdata(fact(inventory.FactService, "airflow-scheduler"))}, RoleBatch, "", ""},
		{"a workflow engine's web UI is a web service", []opt{userdata(
			at(inventory.Fact{Kind: inventory.FactBatchML, Name: "airflow", Via: "systemctl"}, "web.setup.sh", 16),
			at(fact(inventory.FactService, "airflow-webserver"), "web.setup.sh", 16),
			at(inventory.Fact{Kind: inventory.FactBatchML, Name: "celery", Via: "pip3"}, "commons.sh", 89))}, RoleWeb, "", ""},
		{"the engine's scheduler unit stays batch", []opt{userdata(
			at(inventory.Fact{Kind: inventory.FactBatchML, Name: "airflow", Via: "systemctl"}, "sched.setup.sh", 11),
			at(fact(inventory.FactService, "airflow-scheduler"), "sched.setup.sh", 11),
			at(inventory.Fact{Kind: inventory.FactBatchML, Name: "celery", Via: "pip3"}, "commons.sh", 89))}, RoleBatch, "", inventory.ConfidenceHigh},
		{"a framework only installed as a library is a hint", []opt{userdata(
			at(inventory.Fact{Kind: inventory.FactBatchML, Name: "celery", Via: "pip3"}, "commons.sh", 89))}, RoleWorker, "", inventory.ConfidenceLow},
		{"ECS capacity provider tag", []opt{tags("AmazonECSManaged", "")}, RoleOrchestrator, NodeContainerHost, ""},
		{"EKS node group tag", []opt{tags("eks:cluster-name", "prod")}, RoleOrchestrator, NodeContainerHost, ""},
		{"ECS-optimized image", []opt{image(func(im *inventory.Image) { im.Name = "amzn2-ami-ecs-hvm-2.0.20240409-x86_64-ebs" })}, RoleOrchestrator, NodeContainerHost, ""},
		{"EKS-optimized image", []opt{image(func(im *inventory.Image) { im.Name = "amazon-eks-node-1.29-v20240415" })}, RoleOrchestrator, NodeContainerHost, ""},
		{"an application answering the load balancer with no web server in front", []opt{userdata(fact(inventory.FactService, "orders")), targetGroup(nil)}, RoleAPI, "", ""},
		{"Flatcar hosts", []opt{image(func(im *inventory.Image) { im.Name, im.Description = "Flatcar-stable-3815.2.2-hvm", "" })}, RoleOrchestrator, NodeContainerHost, ""},
		{"compound words in names", []opt{group(func(g *inventory.AutoScalingGroup) { g.Name = "WorkerSetStack" })}, RoleWorker, "", ""},
		{"short words only as whole words", []opt{group(func(g *inventory.AutoScalingGroup) { g.Name = "international-esports" })}, RoleUnknown, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := decideRole(roleClues(), subjectOf(build("g", c.opts...)))
			if r.Name != c.role || r.Kind != c.kind {
				t.Fatalf("role %s/%s, want %s/%s; clues %+v", r.Name, r.Kind, c.role, c.kind, r.Evidence)
			}
			if c.confidence != "" && r.Confidence != c.confidence {
				t.Errorf("confidence %s, want %s; clues %+v", r.Confidence, c.confidence, r.Evidence)
			}
			if r.Name != RoleUnknown && len(r.Evidence) == 0 {
				t.Error("a role without evidence")
			}
			for _, c := range r.Evidence {
				if len(c.Evidence) == 0 {
					t.Errorf("clue %s (%s) carries no evidence", c.Clue, c.Detail)
				}
			}
		})
	}
}

func TestTokens(t *testing.T) {
	cases := map[string]string{
		"WorkerSetStack":              "worker set stack",
		"ASG-bastion-lt":              "asg bastion lt",
		"module.nat.aws_autoscaling":  "module nat aws autoscaling",
		"prod-tracking-api":           "prod tracking api",
		"iac:main.tf:12:aws_instance": "iac main tf 12 aws instance",
	}
	for in, want := range cases {
		if got := strings.Join(tokens(in), " "); got != want {
			t.Errorf("tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRoleAdvice holds what each role makes of a workload: its category, its
// recommendation, whether it is planned into a wave, and the Kubernetes shape it maps to.
func TestRoleAdvice(t *testing.T) {
	cases := []struct {
		name     string
		opts     []opt
		category string
		kind     string
		wave     bool // planned into a wave
		mapping  string
	}{
		{"a data store is never a good fit", []opt{userdata(fact(inventory.FactDatabase, "postgresql")), tags("Environment", "dev"), targetGroup(func(tg *inventory.TargetGroup) {
			tg.Protocol, tg.Port, tg.HealthCheck = "TCP", 5432, inventory.TargetHealthCheck{Enabled: true, Protocol: "TCP"}
		})}, CategoryDataStore, RecommendManagedService, false, "Amazon RDS or Aurora for PostgreSQL"},
		{"a file server is a data store too", []opt{userdata(fact(inventory.FactDatabase, "nfs-server"))}, CategoryDataStore, RecommendManagedService, false, "Amazon EFS or Amazon FSx"},
		{"container hosts are replaced by the cluster", []opt{userdata(clusterNode("ecs", 0, "ECS_CLUSTER"), fact(inventory.FactPackage, "ecs-init"))}, CategoryReplacedByCluster, RecommendReplaceByCluster, true, "Karpenter NodePool"},
		{"a control plane is not a candidate", []opt{userdata(clusterNode("consul", inventory.ClassClusterServer, ""), clusterNode("nomad", inventory.ClassClusterServer, ""))}, CategoryControlPlane, RecommendNotCandidate, false, "control plane"},
		{"a bastion is not a candidate", []opt{userdata(fact(inventory.FactService, "sshd"), fact(inventory.FactLocalUser, "alice")), targetGroup(func(tg *inventory.TargetGroup) {
			tg.Protocol, tg.Port, tg.HealthCheck = "TCP", 22, inventory.TargetHealthCheck{Enabled: true, Protocol: "TCP"}
		})}, CategoryBastion, RecommendNotCandidate, false, "Session Manager"},
		{"a NAT instance is not a candidate", []opt{userdata(sysctlValue("net.ipv4.ip_forward", "1"), natFirewall("MASQUERADE"))}, CategoryNetwork, RecommendNotCandidate, false, "NAT gateway"},
		{"batch work maps to Jobs, never a Deployment", []opt{sizes(0, 0, 4), scheduled("start", 4), scheduled("stop", 0), userdata(fact(inventory.FactBatchML, "spark"))}, "", "", true, "CronJob"},
		{"a queue worker scales on its queue", []opt{userdata(fact(inventory.FactService, "orders-consumer"), fact(inventory.FactBatchML, "celery"))}, "", "", true, "KEDA"},
		{"a CI runner moves to its executor", []opt{userdata(fact(inventory.FactPackage, "gitlab-runner"), fact(inventory.FactService, "gitlab-runner"))}, "", "", true, "GitLab Runner's Kubernetes executor"},
		{"GPU work waits for a GPU node pool, never a good fit to start with", []opt{userdata(fact(inventory.FactGPU, "nvidia-driver-535"), fact(inventory.FactBatchML, "pytorch")), group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "g4dn.xlarge" })}, CategoryMinorWork, RecommendAfterBlockers, true, "GPU node pool"},
		{"scaling policies the code does not show may be there: no Job is claimed", []opt{userdata(fact(inventory.FactGPU, "nvidia-driver-535"), fact(inventory.FactBatchML, "pytorch")), group(func(g *inventory.AutoScalingGroup) {
			g.Launch.InstanceType = "g4dn.xlarge"
			g.Unknown = append(g.Unknown, "ScalingPolicies")
		})}, CategoryMinorWork, RecommendAfterBlockers, true, "Deployment with"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := mustAssess(t, build("g", c.opts...), nil, nil)
			w := a.Workloads[0]
			if c.category != "" && w.Fit.Category != c.category {
				t.Errorf("category %q, want %q (role %+v)", w.Fit.Category, c.category, w.Role)
			}
			if c.category == "" && slices.Contains(RoleCategories, w.Fit.Category) {
				t.Errorf("category %q decided by the role, want a fit category", w.Fit.Category)
			}
			if c.kind != "" && w.Recommendation.Kind != c.kind {
				t.Errorf("recommendation %q, want %q", w.Recommendation.Kind, c.kind)
			}
			if planned := w.Wave != WaveOutside; planned != c.wave {
				t.Errorf("wave %d, planned %v, want %v", w.Wave, planned, c.wave)
			}
			if !c.wave && (len(a.OutsideWaves) != 1 || a.OutsideWaves[0].Workload != w.ID || a.OutsideWaves[0].Reason == "") {
				t.Errorf("outside the waves: %+v", a.OutsideWaves)
			}
			if !strings.Contains(w.Mapping[0].To, c.mapping) {
				t.Errorf("maps to %q, want it to say %q", w.Mapping[0].To, c.mapping)
			}
			if strings.Contains(w.Mapping[0].To, "Deployment") && c.mapping == "CronJob" {
				t.Errorf("batch work mapped to a Deployment: %q", w.Mapping[0].To)
			}
			if w.Role.Name == RoleGPU && !slices.ContainsFunc(w.Blockers, func(b Blocker) bool { return b.Rule == BlockerGPUNodes && len(b.Evidence) > 0 }) {
				t.Errorf("GPU work's blockers lack the GPU node pool, with evidence: %+v", w.Blockers)
			}
			if isDataStore(w.Role.Name) {
				if len(w.Blockers) != 1 || w.Blockers[0].Rule != BlockerDataMove || len(w.Blockers[0].Evidence) == 0 {
					t.Errorf("a data store's blocker is its data move, with evidence: %+v", w.Blockers)
				}
			}
		})
	}
}

// TestVerdictCountsCandidatesOnly: a bastion and a database beside one good web service do
// not make the estate a poor fit.
func TestVerdictCountsCandidatesOnly(t *testing.T) {
	e := build("web", userdata(fact(inventory.FactWebServer, "nginx")), targetGroup(nil), targetTracking("ASGAverageCPUUtilization", 50), tags("Environment", "dev"))
	for _, name := range []string{"bastion", "db"} {
		o := build(name)
		switch name {
		case "bastion":
			userdata(fact(inventory.FactService, "sshd"), fact(inventory.FactLocalUser, "ops"))(o)
		case "db":
			userdata(fact(inventory.FactDatabase, "mysql-server"))(o)
		}
		e.Groups = append(e.Groups, o.Groups...)
		e.Images = append(e.Images, o.Images...)
		e.Scripts = append(e.Scripts, o.Scripts...)
	}
	a := mustAssess(t, e, nil, nil)
	if len(a.OutsideWaves) != 2 {
		t.Fatalf("outside the waves: %+v", a.OutsideWaves)
	}
	if !strings.Contains(a.Verdict.Rationale[0], "2 are not a migration candidate") || !strings.Contains(a.Verdict.Rationale[0], "of the 1 candidate") {
		t.Errorf("rationale: %q", a.Verdict.Rationale[0])
	}
	if a.Verdict.Decision == DecisionNotYet || a.Verdict.Decision == DecisionStay {
		t.Errorf("decision %s: the one candidate fits well", a.Verdict.Decision)
	}
}

// TestSettledCategory: a category the missing evidence cannot change is given whatever the
// confidence; one it could change is Insufficient data.
func TestSettledCategory(t *testing.T) {
	windows := build("billing", noImage(), group(func(g *inventory.AutoScalingGroup) { g.Launch = inventory.LaunchSpec{}; g.LaunchTemplate = nil }),
		userdata(fact(inventory.FactWindows, "powershell")))
	w := mustAssess(t, windows, nil, nil).Workloads[0]
	if w.Fit.Confidence >= DefaultThresholds.MinConfidence || w.Fit.Category != CategoryPoor {
		t.Errorf("Windows with little else known: %s at %d%% confidence, want Poor fit below %d%%", w.Fit.Category, w.Fit.Confidence, DefaultThresholds.MinConfidence)
	}
	bare := build("bare", noImage(), group(func(g *inventory.AutoScalingGroup) { g.Launch = inventory.LaunchSpec{}; g.LaunchTemplate = nil }))
	if w := mustAssess(t, bare, nil, nil).Workloads[0]; w.Fit.Category != CategoryInsufficient {
		t.Errorf("nothing known: %s, want Insufficient data", w.Fit.Category)
	}
}

// TestContainerHostMapping: a fleet of container hosts is mapped to what runs on it; the
// orchestrator's own agent is not carried over.
func TestContainerHostMapping(t *testing.T) {
	e := build("ecs", userdata(clusterNode("ecs", 0, "ECS_CLUSTER"),
		inventory.Fact{Kind: inventory.FactDocker, FactParams: &inventory.FactParams{Command: "docker run", Image: "amazon/amazon-ecs-agent:v1.14.1"}},
		inventory.Fact{Kind: inventory.FactDocker, FactParams: &inventory.FactParams{Command: "docker run", Image: "fluent/fluent-bit:2.2"}},
		inventory.Fact{Kind: inventory.FactDocker, FactParams: &inventory.FactParams{Path: "/opt/app/docker-compose.yml"}}))
	w := mustAssess(t, e, nil, nil).Workloads[0]
	all := mappingText(w)
	for _, want := range []string{
		"amazon/amazon-ecs-agent:v1.14.1 on every host (userdata/ecs.sh:2) → Nothing: the cluster's kubelet replaces the ECS container agent",
		"fluent/fluent-bit:2.2 on every host (userdata/ecs.sh:3) → DaemonSet",
		"Docker Compose file /opt/app/docker-compose.yml (userdata/ecs.sh:4) → A Deployment and a Service per compose service",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("mapping lacks %q:\n%s", want, all)
		}
	}
	if !strings.Contains(w.Recommendation.Text, "fluent/fluent-bit:2.2") {
		t.Errorf("recommendation does not name what the hosts run: %q", w.Recommendation.Text)
	}
}

// at places a fact where a reader would have found it.
func at(f inventory.Fact, file string, line int) inventory.Fact {
	f.Evidence.File, f.Evidence.Line = file, line
	return f
}

// via is a fact as it came through a mechanism (a package manager, an init system).
func via(f inventory.Fact, how string) inventory.Fact {
	f.Via = how
	return f
}

// TestRoleHintFromNames: a group whose role only its name suggests keeps its fit and its
// place in the plan, and its advice says what the role would change and which name says so.
func TestRoleHintFromNames(t *testing.T) {
	cases := []struct {
		name, group, token string
		want               string // in the recommendation; empty: no hint
	}{
		{"a cluster node by name", "k8s-nodes", "k8s", "if it is a fleet of container or cluster nodes, its capacity becomes a managed node group"},
		{"a database by name", "orders-postgres", "postgres", "if it is a database, its data moves to a managed service"},
		{"a bastion by name", "prod-bastion", "bastion", "if it is a bastion, it is replaced by Session Manager"},
		{"a worker by name changes nothing", "orders-worker", "worker", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := mustAssess(t, build("g", group(func(g *inventory.AutoScalingGroup) { g.Name = c.group }), userdata(fact(inventory.FactPackage, "curl"))), nil, nil)
			w := a.Workloads[0]
			if w.Role.Decisive() || slices.Contains(RoleCategories, w.Fit.Category) {
				t.Fatalf("role %+v decided the category %q from a name", w.Role, w.Fit.Category)
			}
			text := w.Recommendation.Text
			if c.want == "" {
				if strings.Contains(text, "Only names say") {
					t.Errorf("hint where the role changes nothing: %q", text)
				}
				return
			}
			if !strings.Contains(text, c.want) || !strings.Contains(text, "named "+c.token) {
				t.Errorf("recommendation %q, want it to say %q and that it is named %s", text, c.want, c.token)
			}
		})
	}
}
