package assess

import (
	"fmt"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// Categories a workload's role decides, beside the fit categories. Each says in its own
// words what the workload is and where it goes: a data store, a bastion or an appliance is
// not a candidate for containers whatever its score; a fleet of container hosts is an easy
// move because what it runs is containers already.
const (
	CategoryReplacedByCluster = "Good fit (replaced by the cluster)"
	CategoryDataStore         = "Not a candidate (data store)"
	CategoryControlPlane      = "Not a candidate (cluster control plane)"
	CategoryBastion           = "Not a candidate (bastion)"
	CategoryNetwork           = "Not a candidate (network appliance)"
)

// RoleCategories lists the categories roles decide, in report order.
var RoleCategories = []string{CategoryReplacedByCluster, CategoryDataStore, CategoryControlPlane, CategoryBastion, CategoryNetwork}

// reportCategories are every category in the order the summary counts them: the fit
// categories with the container hosts beside the good fits and the non-candidates before
// Insufficient data.
var reportCategories = []string{
	CategoryExcellent, CategoryGood, CategoryReplacedByCluster, CategoryMinorWork, CategoryMajorWork, CategoryPoor,
	CategoryDataStore, CategoryControlPlane, CategoryBastion, CategoryNetwork, CategoryInsufficient,
}

// Recommendation kinds roles decide.
const (
	// RecommendReplaceByCluster: the hosts become cluster capacity; what they run moves as
	// its own manifests.
	RecommendReplaceByCluster = "replaced-by-cluster"
	// RecommendManagedService: a data store moves to a managed service or an operator-run
	// StatefulSet, the data move planned on its own.
	RecommendManagedService = "managed-service-or-operator"
	// RecommendNotCandidate: a bastion, a network appliance or a cluster's control plane is
	// replaced by a managed service, not migrated.
	RecommendNotCandidate = "not-a-candidate"
)

// migrationCandidate reports whether a recommendation moves the workload into the cluster:
// the organisation's verdict counts these only. A fleet of container hosts counts: what it
// runs moves.
func migrationCandidate(kind string) bool {
	return kind != RecommendManagedService && kind != RecommendNotCandidate
}

// Blocker ids the roles raise. They are not catalogue rules: no weight, no points; they
// say what stands between the workload and the cluster because of what it is.
const (
	BlockerDataMove = "ROLE-DATA-MOVE"
	// BlockerGPUNodes: GPU work lands only on nodes that have GPUs, drivers and the device
	// plugin; a default cluster has none of them.
	BlockerGPUNodes = "ROLE-GPU-NODES"
)

// decisiveRole reports whether the role is read firmly enough to decide the advice: a
// name alone is a hint, never the reason a workload is taken out of the plan.
func decisiveRole(r Role) bool { return r.Decisive() }

// Decisive reports whether the role is read firmly enough to decide the advice (and what
// manifests describe the workload): high or medium confidence; a role read only from
// names never is.
func (r Role) Decisive() bool {
	return r.Confidence == inventory.ConfidenceHigh || r.Confidence == inventory.ConfidenceMedium
}

// adviseByRole sets the category, recommendation, effort and blockers the role calls for.
// The score, its signals and evidence stay as the rules found them: they still describe
// the hosts. Workloads the role does not decide keep the fit category and recommendation.
func adviseByRole(w *Workload, s *subject) {
	r := w.Role
	if !decisiveRole(r) {
		hintByRole(w)
		return
	}
	switch {
	case isDataStore(r.Name):
		store := storeOf(s, r.Name)
		w.Fit.Category = CategoryDataStore
		effort := EffortL
		if s.g.MaxSize > 1 || s.g.DesiredCapacity > 1 {
			effort = EffortXL // a cluster of nodes: replication, quorum, resharding
		}
		ev := roleEvidence(r)
		w.Blockers = []Blocker{{
			Rule: BlockerDataMove, Title: "Data move to a managed service or an operator-run StatefulSet",
			Remediation: fmt.Sprintf("Plan the move of %s's data on its own: %s, or %s if it must stay self-managed; rehearse backup, restore and cut-over, and keep the hosts until the data has moved.", store.label, store.managed, store.operator),
			Effort:      effort, Evidence: ev,
		}}
		w.Recommendation = Recommendation{Kind: RecommendManagedService, Text: fmt.Sprintf(
			"Not a candidate to containerise as it stands: this is a %s (%s) whose data must outlive every instance. Move it to %s, or run it as a StatefulSet under %s; the data move is the blocker. Point the applications that use it at the new endpoint once it has moved.",
			roleWords2[r.Name], store.label, store.managed, store.operator)}
		w.Effort = effort
	case r.Name == RoleOrchestrator && r.Kind == NodeControlPlane:
		w.Fit.Category = CategoryControlPlane
		w.Blockers = []Blocker{}
		w.Recommendation = Recommendation{Kind: RecommendNotCandidate, Text: "Not a migration candidate: these servers are another orchestrator's control plane (" + clueDetails(r) + "). " +
			"Nomad servers are replaced by the Kubernetes control plane (EKS) once the jobs they schedule have moved; Consul servers by the cluster's service discovery, unless a service mesh still needs them; Vault servers keep serving secrets (or move to HCP Vault) and feed the cluster through the External Secrets Operator. Retire them last, after the workloads that depend on them."}
		w.Effort = EffortL
	case r.Name == RoleOrchestrator:
		w.Fit.Category = CategoryReplacedByCluster
		w.Blockers = []Blocker{}
		text := "Replaced by the cluster: these hosts run containers another orchestrator places on them (" + clueDetails(r) + "). Their capacity becomes an EKS managed node group or a Karpenter NodePool; what runs on them moves as its own manifests"
		if imgs := runImages(s); len(imgs) > 0 {
			text += " (containers seen on the hosts: " + joinMax(imgs, 4) + ")"
		}
		text += ", and host settings (kernel tuning, storage) become node group configuration."
		w.Recommendation = Recommendation{Kind: RecommendReplaceByCluster, Text: text}
		w.Effort = EffortM
	case r.Name == RoleBastion:
		w.Fit.Category = CategoryBastion
		w.Blockers = []Blocker{}
		w.Recommendation = Recommendation{Kind: RecommendNotCandidate, Text: "Not a migration candidate: a bastion gives people a shell on hosts (" + clueDetails(r) + "). Replace it with AWS Systems Manager Session Manager (audited, no open port, no keys to sync), use kubectl exec and kubectl debug for pods, and retire it when nothing needs SSH."}
		w.Effort = EffortS
	case r.Name == RoleNetwork:
		w.Fit.Category = CategoryNetwork
		w.Blockers = []Blocker{}
		target, then := networkTarget(r)
		w.Recommendation = Recommendation{Kind: RecommendNotCandidate, Text: "Not a migration candidate: this is network plumbing (" + clueDetails(r) + "). Replace it with " + target + ": " + then + "."}
		w.Effort = EffortS
	case r.Name == RoleGPU && containerising(w.Recommendation.Kind):
		adviseGPU(w)
	case r.Name == RoleCIRunner && migrationCandidate(w.Recommendation.Kind) && w.Recommendation.Kind != RecommendInsufficient && w.Recommendation.Kind != RecommendKeep:
		w.Recommendation.Text += " Move the runner to " + ciExecutor(s) + ": build jobs then run as pods the runner starts and stops; jobs that need the host's Docker daemon move to rootless builders (BuildKit, Kaniko) or a dedicated node pool."
	}
}

// roleWords2 names a data-store role in a sentence.
var roleWords2 = map[string]string{
	RoleDatabase: "database", RoleCache: "cache", RoleSearch: "search engine", RoleBroker: "message broker",
}

// storeAdvice is where a data store goes: the managed service and the operator.
type storeAdvice struct{ label, managed, operator string }

// storeTargets name the managed service and the operator for each state server, by its
// canonical service name.
var storeTargets = map[string]storeAdvice{
	"postgresql":      {"PostgreSQL", "Amazon RDS or Aurora for PostgreSQL", "an operator such as CloudNativePG"},
	"mysql":           {"MySQL", "Amazon RDS or Aurora for MySQL", "an operator such as the Percona or MySQL operator"},
	"sql-server":      {"SQL Server", "Amazon RDS for SQL Server", "no mature operator (keep it on instances until it moves to RDS)"},
	"oracle":          {"Oracle", "Amazon RDS for Oracle", "no mature operator (keep it on instances until it moves to RDS)"},
	"mongodb":         {"MongoDB", "Amazon DocumentDB or MongoDB Atlas", "the MongoDB Community or Percona operator"},
	"mongod":          {"MongoDB", "Amazon DocumentDB or MongoDB Atlas", "the MongoDB Community or Percona operator"},
	"redis":           {"Redis", "Amazon ElastiCache", "a Redis operator"},
	"valkey":          {"Valkey", "Amazon ElastiCache for Valkey", "a Valkey or Redis operator"},
	"memcached":       {"memcached", "Amazon ElastiCache for Memcached", "a plain Deployment (it keeps nothing)"},
	"elasticsearch":   {"Elasticsearch", "Amazon OpenSearch Service", "Elastic Cloud on Kubernetes (ECK)"},
	"opensearch":      {"OpenSearch", "Amazon OpenSearch Service", "the OpenSearch Kubernetes operator"},
	"solr":            {"Solr", "a managed search service (Amazon OpenSearch Service after a port)", "the Apache Solr operator"},
	"kafka":           {"Kafka", "Amazon MSK", "Strimzi"},
	"confluent-kafka": {"Kafka", "Amazon MSK or Confluent Cloud", "Confluent for Kubernetes or Strimzi"},
	"rabbitmq":        {"RabbitMQ", "Amazon MQ for RabbitMQ", "the RabbitMQ cluster operator"},
	"activemq":        {"ActiveMQ", "Amazon MQ", "an ActiveMQ Artemis operator"},
	"cassandra":       {"Cassandra", "Amazon Keyspaces", "K8ssandra"},
	"influxdb":        {"InfluxDB", "Amazon Timestream for InfluxDB", "the InfluxDB Helm chart as a StatefulSet"},
	"zookeeper":       {"ZooKeeper", "the managed service of what uses it (Amazon MSK runs its own)", "a ZooKeeper operator"},
	"etcd":            {"etcd", "the managed control plane of what uses it", "an etcd operator"},
	// Servers of files and objects: the storage others mount or call.
	"glusterfs": {"GlusterFS", "Amazon EFS or Amazon FSx", "a storage operator such as Rook (Ceph)"},
	"nfs":       {"the NFS server", "Amazon EFS or Amazon FSx", "a storage operator such as Rook (Ceph)"},
	"minio":     {"MinIO", "Amazon S3", "the MinIO operator"},
}

// storeOf names the data store a workload is, for its advice: the state server installed,
// or, when only names say so, the role in general terms.
func storeOf(s *subject, role string) storeAdvice {
	for _, f := range s.facts(inventory.FactDatabase) {
		if storeRole(&f) != role {
			continue
		}
		if a, ok := storeTargets[f.Service]; ok {
			return a
		}
		return storeAdvice{f.Detail(), "a managed service for it", "an operator"}
	}
	for _, c := range storeTargetsByWord {
		for _, t := range tokens(s.g.Name + " " + s.g.ARN + " " + s.g.Tags["Name"] + " " + s.g.Tags["app"]) {
			if t == c.word {
				return storeTargets[c.service]
			}
		}
	}
	switch role {
	case RoleCache:
		return storeAdvice{"the cache", "Amazon ElastiCache", "a Redis operator"}
	case RoleSearch:
		return storeAdvice{"the search engine", "Amazon OpenSearch Service", "an Elasticsearch or OpenSearch operator"}
	case RoleBroker:
		return storeAdvice{"the broker", "Amazon MSK or Amazon MQ", "Strimzi or the RabbitMQ cluster operator"}
	}
	return storeAdvice{"the database", "a managed database (Amazon RDS, Aurora, DocumentDB…)", "a database operator"}
}

// storeTargetsByWord find a store's advice from the name a team gave it when no fact says
// which server it runs.
var storeTargetsByWord = []struct{ word, service string }{
	{"postgres", "postgresql"}, {"postgresql", "postgresql"}, {"mysql", "mysql"}, {"mariadb", "mysql"},
	{"mongo", "mongodb"}, {"mongodb", "mongodb"}, {"redis", "redis"}, {"memcached", "memcached"},
	{"elasticsearch", "elasticsearch"}, {"opensearch", "opensearch"}, {"kafka", "kafka"}, {"rabbitmq", "rabbitmq"},
	{"cassandra", "cassandra"}, {"influxdb", "influxdb"}, {"influx", "influxdb"}, {"zookeeper", "zookeeper"}, {"etcd", "etcd"},
}

// roleEvidence gathers the evidence of the role's clues, in clue order.
func roleEvidence(r Role) []inventory.Evidence {
	ev := []inventory.Evidence{}
	for _, c := range r.Evidence {
		ev = append(ev, c.Evidence...)
	}
	return ev
}

// clueDetails says in words what the clues found, strongest first.
func clueDetails(r Role) string {
	var ds []string
	seen := map[string]bool{}
	for _, c := range r.Evidence {
		if !seen[c.Detail] {
			seen[c.Detail] = true
			ds = append(ds, c.Detail)
		}
	}
	return joinMax(ds, 2)
}

// networkTarget names the managed service that replaces a network appliance of the kind
// its clues show, and what changes for the cluster.
func networkTarget(r Role) (string, string) {
	switch r.Kind {
	case NetworkVPN:
		return "AWS Client VPN or Site-to-Site VPN", "pods reach the same networks through the VPC"
	case NetworkProxy:
		return "a managed egress path (AWS Network Firewall, or a NAT gateway with DNS filtering)", "pods get their egress rules from NetworkPolicy"
	}
	return "a managed NAT gateway (one per zone)", "pods and nodes in private subnets reach the internet through it, with no host to patch"
}

// ciExecutor names the Kubernetes executor the workload's CI runner moves to.
func ciExecutor(s *subject) string {
	for _, f := range s.facts(productFacts...) {
		for _, n := range factNames(&f) {
			p, ok := productOf(n)
			if !ok || p.role != RoleCIRunner {
				continue
			}
			switch {
			case strings.HasPrefix(p.what, "GitLab"):
				return "GitLab Runner's Kubernetes executor"
			case strings.HasPrefix(p.what, "GitHub"):
				return "Actions Runner Controller (runner scale sets)"
			case strings.HasPrefix(p.what, "Buildkite"):
				return "Buildkite's agent-stack-k8s"
			case strings.HasPrefix(p.what, "Jenkins"):
				return "the Jenkins Kubernetes plugin (agents as pods)"
			}
			return p.what + "'s Kubernetes executor"
		}
	}
	return "the CI service's Kubernetes executor (GitLab Runner's Kubernetes executor, Actions Runner Controller, Buildkite agent-stack-k8s, the Jenkins Kubernetes plugin)"
}

// runImages lists the container images the hosts run or pull, sorted.
func runImages(s *subject) []string {
	var out []string
	for _, f := range s.facts(inventory.FactDocker) {
		if f.Image() != "" && !strings.ContainsAny(f.Image(), "\\$") {
			out = append(out, f.Image())
		}
	}
	out = sortedUnique(out)
	sort.Strings(out)
	return out
}

// containerising reports whether a recommendation moves the workload into containers as it
// is: not kept, not waiting for data, not decided by the role already.
func containerising(kind string) bool {
	return kind == RecommendContainerise || kind == RecommendAfterBlockers
}

// adviseGPU holds GPU work back from "start here": whatever its score, it runs only once the
// cluster has a GPU node pool whose drivers match the CUDA the work was built against, and
// the device plugin that offers the GPUs to pods. That is platform work the workload waits
// for, so the category is at best Needs minor work and the node pool is its blocker.
func adviseGPU(w *Workload) {
	w.Blockers = append(w.Blockers, Blocker{
		Rule: BlockerGPUNodes, Title: "GPU node pool with drivers and the device plugin",
		Remediation: "Add a GPU node pool (an EKS managed node group or Karpenter NodePool on the same GPU instance types, on an EKS-optimized accelerated AMI or with the NVIDIA GPU Operator), install the NVIDIA device plugin, taint the GPU nodes, and check that the driver matches the CUDA version the work was built against; the pods then request nvidia.com/gpu and tolerate the taint.",
		Effort:      EffortM, Evidence: roleEvidence(w.Role),
	})
	sortBlockers(w.Blockers)
	if w.Fit.Category == CategoryExcellent || w.Fit.Category == CategoryGood {
		w.Fit.Category = CategoryMinorWork
	}
	var names []string
	for _, b := range w.Blockers {
		names = append(names, b.Title+" ("+b.Effort+")")
	}
	w.Recommendation = Recommendation{Kind: RecommendAfterBlockers, Text: "Containerise on Kubernetes after fixing: " + strings.Join(names, "; ") + "."}
	w.Effort = effortOf(w.Blockers)
}

// hintByRole adds to the advice of a workload whose role is read from names only what the
// role would change, were it confirmed: a name is not reason enough to take a workload out
// of the plan, but a consultant must not hand a client "containerise it" for a group named
// after a database or a cluster node without saying what else it may be.
func hintByRole(w *Workload) {
	r := w.Role
	if r.Name == "" || r.Confidence == "" || !containerising(w.Recommendation.Kind) {
		return
	}
	var what, instead string
	switch {
	case isDataStore(r.Name):
		what = "a " + roleWords2[r.Name]
		instead = "its data moves to a managed service or an operator-run StatefulSet as a project of its own, and the instances are not containerised as they are"
	case r.Name == RoleOrchestrator && r.Kind == NodeControlPlane:
		what = "an orchestrator's control plane"
		instead = "it is retired once the workloads it schedules have moved, not containerised"
	case r.Name == RoleOrchestrator:
		what = "a fleet of container or cluster nodes"
		instead = "its capacity becomes a managed node group and what runs on it moves as its own manifests, rather than the hosts being containerised"
	case r.Name == RoleBastion:
		what = "a bastion"
		instead = "it is replaced by Session Manager, not migrated"
	case r.Name == RoleNetwork:
		what = "a network appliance"
		target, _ := networkTarget(r)
		instead = "it is replaced by " + target + ", not migrated"
	default:
		return
	}
	w.Recommendation.Text += " Only names say what it is (" + clueDetails(r) + "): if it is " + what + ", " + instead + ". Confirm with its owners before planning it."
}
