package assess

import (
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"whyk8s/inventory"
)

// roleClues are every reading of a workload's role, registered here and nowhere else. Each
// is one small function over typed facts and estate fields: software installed and run,
// images, load balancer ports and health checks, the scaling shape, instance types, tags
// and names. Adding a reading is one function and one line.
func roleClues() []clueRule {
	return []clueRule{
		{id: "cluster-agent", read: clusterAgentClues},
		{id: "kubernetes-node-settings", read: kubeNodeSettingsClues},
		{id: "cluster-tags", read: clusterTagClues},
		{id: "image", read: imageClues},
		{id: "ci-agent", read: ciAgentClues},
		{id: "network-software", read: networkSoftwareClues},
		{id: "nat", read: natClues},
		{id: "ssh-only", read: sshOnlyClues},
		{id: "data-store", read: dataStoreClues},
		{id: "named-store-port", read: namedStorePortClues},
		{id: "api-gateway", read: apiGatewayClues},
		{id: "web-server", read: webServerClues},
		{id: "load-balancer", read: loadBalancerClues},
		{id: "queue-scaling", read: queueScalingClues},
		{id: "scheduled-to-zero", read: scheduledToZeroClues},
		{id: "batch-framework", read: batchFrameworkClues},
		{id: "background-service", read: backgroundServiceClues},
		{id: "gpu", read: gpuClues},
		{id: "windows", read: windowsClues},
		{id: "names", read: nameClues}, // also raises "unit-names" for units named for their job
	}
}

// clue returns the clue rule with the id, for the readers below to build their hits.
func clue(id string) clueRule { return clueRule{id: id} }

// product is a piece of software that says what a host is for, by the canonical name its
// packages, units, downloads, images or users carry.
type product struct {
	name string // a name, or a prefix when it ends with '*'
	role string
	kind string // the Role.Kind it shows: NodeContainerHost, NodeControlPlane, NetworkVPN…
	what string // in words
}

// products say what a host is for when it runs them. Orchestrator agents make it a node of
// a cluster; CI agents a CI runner; VPN and forward-proxy servers a network appliance.
var products = []product{
	{"ecs-init", RoleOrchestrator, NodeContainerHost, "ECS container agent"},
	{"amazon-ecs-init", RoleOrchestrator, NodeContainerHost, "ECS container agent"},
	{"ecs-agent", RoleOrchestrator, NodeContainerHost, "ECS container agent"},
	{"amazon-ecs-agent", RoleOrchestrator, NodeContainerHost, "ECS container agent"},
	{"kubelet", RoleOrchestrator, NodeContainerHost, "Kubernetes kubelet"},
	{"kubeadm", RoleOrchestrator, NodeContainerHost, "Kubernetes kubeadm"},
	{"nodeadm", RoleOrchestrator, NodeContainerHost, "EKS node bootstrap"},
	{"k3s*", RoleOrchestrator, NodeContainerHost, "k3s"},
	{"rke2*", RoleOrchestrator, NodeContainerHost, "RKE2"},
	{"microk8s", RoleOrchestrator, NodeContainerHost, "MicroK8s"},
	{"nomad", RoleOrchestrator, NodeContainerHost, "Nomad agent"},
	{"vault", RoleOrchestrator, NodeControlPlane, "Vault server"},
	{"gitlab-runner", RoleCIRunner, "", "GitLab Runner"},
	{"gitlab-ci-multi-runner", RoleCIRunner, "", "GitLab Runner"},
	{"buildkite-agent*", RoleCIRunner, "", "Buildkite agent"},
	{"actions-runner*", RoleCIRunner, "", "GitHub Actions runner"},
	{"github-runner*", RoleCIRunner, "", "GitHub Actions runner"},
	{"jenkins-agent*", RoleCIRunner, "", "Jenkins agent"},
	{"jenkins-slave*", RoleCIRunner, "", "Jenkins agent"},
	{"inbound-agent", RoleCIRunner, "", "Jenkins agent"},
	{"swarm-client*", RoleCIRunner, "", "Jenkins swarm agent"},
	{"teamcity-agent*", RoleCIRunner, "", "TeamCity agent"},
	{"bamboo-agent*", RoleCIRunner, "", "Bamboo agent"},
	{"travis-worker", RoleCIRunner, "", "Travis CI worker"},
	{"drone-runner*", RoleCIRunner, "", "Drone runner"},
	{"woodpecker-agent", RoleCIRunner, "", "Woodpecker agent"},
	{"circleci-runner*", RoleCIRunner, "", "CircleCI runner"},
	{"openvpn*", RoleNetwork, NetworkVPN, "OpenVPN server"},
	{"wireguard*", RoleNetwork, NetworkVPN, "WireGuard"},
	{"wg-quick*", RoleNetwork, NetworkVPN, "WireGuard"},
	{"strongswan*", RoleNetwork, NetworkVPN, "strongSwan IPsec"},
	{"libreswan", RoleNetwork, NetworkVPN, "Libreswan IPsec"},
	{"pritunl", RoleNetwork, NetworkVPN, "Pritunl VPN"},
	{"squid", RoleNetwork, NetworkProxy, "Squid proxy"},
	{"tinyproxy", RoleNetwork, NetworkProxy, "tinyproxy"},
	{"fck-nat*", RoleNetwork, NetworkNAT, "NAT instance software"},
	{"kong*", RoleAPI, "", "Kong API gateway"},
	{"tyk*", RoleAPI, "", "Tyk API gateway"},
	{"krakend*", RoleAPI, "", "KrakenD API gateway"},
	{"apisix*", RoleAPI, "", "Apache APISIX API gateway"},
}

// productOf names the product a package, unit, download, image or user is, if any. A
// container image is named by its last path element without its tag; a file by its base.
func productOf(name string) (product, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return product{}, false
	}
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		n = n[i+1:]
	}
	if i := strings.IndexAny(n, ":@"); i > 0 {
		n = n[:i]
	}
	n = strings.TrimSuffix(n, ".service")
	for _, p := range products {
		if pre, ok := strings.CutSuffix(p.name, "*"); ok {
			if strings.HasPrefix(n, pre) {
				return p, true
			}
		} else if n == p.name {
			return p, true
		}
	}
	return product{}, false
}

// productFacts are the fact kinds whose names say what software a host runs.
var productFacts = []inventory.FactKind{
	inventory.FactPackage, inventory.FactService, inventory.FactDocker, inventory.FactBootWork,
	inventory.FactLocalUser, inventory.FactEnvConfig, inventory.FactClusterNode,
}

// productsIn finds the products of a role among the facts: by the names, the image and
// the path a fact carries. One hit per product; the evidence is every fact that named it.
func productsIn(s *subject, id string, roles ...string) []clueHit {
	type found struct {
		p  product
		ev []inventory.Evidence
	}
	var order []string
	seen := map[string]*found{}
	for _, f := range s.facts(productFacts...) {
		for _, n := range factNames(&f) {
			p, ok := productOf(n)
			if !ok || !slices.Contains(roles, p.role) {
				continue
			}
			k := p.what
			if seen[k] == nil {
				seen[k] = &found{p: p}
				order = append(order, k)
			}
			seen[k].ev = append(seen[k].ev, f.Evidence.Evidence())
			break
		}
	}
	var out []clueHit
	for _, k := range order {
		fd := seen[k]
		h := clue(id).hit(fd.p.role, plainClue, fd.p.what, fd.ev...)
		h.kind = fd.p.kind
		out = append(out, h)
	}
	return out
}

// factNames are the names a fact gives software by: its name, its service, its image and
// the folders of its path ("/opt/actions-runner/.env").
func factNames(f *inventory.Fact) []string {
	out := []string{f.Name, f.Service, f.Image()}
	if f.Path() != "" {
		for _, el := range strings.Split(path.Dir(f.Path()), "/") {
			if el != "" && el != "." {
				out = append(out, el)
			}
		}
	}
	return out
}

// clusterAgentClues: the host joins a cluster — an ECS or Kubernetes agent, a Nomad agent,
// a Vault server, or a cluster join the scripts perform (ECS_CLUSTER, EKS bootstrap, a
// server configuration).
func clusterAgentClues(s *subject) []clueHit {
	out := productsIn(s, "cluster-agent", RoleOrchestrator)
	var ev []inventory.Evidence
	var names []string
	kind := NodeContainerHost
	for _, f := range s.facts(inventory.FactClusterNode) {
		ev = append(ev, f.Evidence.Evidence())
		names = append(names, f.Detail())
		if f.Class == inventory.ClassClusterServer {
			kind = NodeControlPlane
		}
	}
	for _, f := range s.facts(inventory.FactEnvConfig) {
		if f.Name == "ECS_CLUSTER" {
			ev = append(ev, f.Evidence.Evidence())
			names = append(names, "ECS_CLUSTER set")
		}
	}
	if len(ev) > 0 {
		h := clue("cluster-agent").hit(RoleOrchestrator, plainClue, "joins a cluster: "+joinMax(sortedUnique(names), 3), ev...)
		h.kind = kind
		out = append(out, h)
	}
	return out
}

// kubeNodeSettings are the kernel settings every Kubernetes node needs and little else
// does: bridged traffic seen by iptables, the overlay and br_netfilter modules.
var kubeNodeSettings = map[string]bool{
	"net.bridge.bridge-nf-call-iptables": true, "net.bridge.bridge-nf-call-ip6tables": true,
	"br_netfilter": true, "overlay": true,
}

// kubeNodeSettingsClues: the host is prepared as a Kubernetes node (two of its settings).
func kubeNodeSettingsClues(s *subject) []clueHit {
	var ev []inventory.Evidence
	seen := map[string]bool{}
	for _, f := range s.facts(inventory.FactKernelTuning) {
		for _, n := range []string{f.Key(), f.Name} {
			if kubeNodeSettings[n] && !seen[n] {
				seen[n] = true
				ev = append(ev, f.Evidence.Evidence())
			}
		}
	}
	if len(seen) < 2 {
		return nil
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	h := clue("kubernetes-node-settings").hit(RoleOrchestrator, signClue, "Kubernetes node settings: "+joinMax(names, 3), ev...)
	h.kind = NodeContainerHost
	return []clueHit{h}
}

// clusterTagClues: the tags AWS and cluster tooling put on the groups of a cluster's nodes:
// an ECS capacity provider's AmazonECSManaged, an EKS node group's eks:cluster-name, the
// kubernetes.io/cluster/NAME ownership tag, Karpenter's and the cluster autoscaler's.
func clusterTagClues(s *subject) []clueHit {
	for _, k := range sortedKeys(s.g.Tags) {
		what := ""
		switch {
		case k == "AmazonECSManaged":
			what = "ECS capacity provider"
		case k == "eks:cluster-name" || k == "eks:nodegroup-name" || strings.HasPrefix(k, "kubernetes.io/cluster/") ||
			strings.HasPrefix(k, "k8s.io/cluster-autoscaler/") || strings.HasPrefix(k, "karpenter.sh/"):
			what = "Kubernetes node group"
		}
		if what != "" {
			h := clue("cluster-tags").hit(RoleOrchestrator, plainClue, what+" (tag "+k+")", s.groupEv("Tags["+k+"]", s.g.Tags[k]))
			h.kind = NodeContainerHost
			return []clueHit{h}
		}
	}
	return nil
}

// nodeImages are the name prefixes of images built to be a cluster's nodes, and deepLearning
// those of images built for ML work.
var nodeImages = []struct{ prefix, what string }{
	{"amzn2-ami-ecs-", "ECS-optimized image"}, {"amzn-ami-", "ECS-optimized image"}, {"al2023-ami-ecs-", "ECS-optimized image"},
	{"amazon-eks-", "EKS-optimized image"}, {"bottlerocket-aws-k8s-", "Bottlerocket for Kubernetes"},
	{"bottlerocket-aws-ecs-", "Bottlerocket for ECS"}, {"ubuntu-eks/", "EKS-optimized Ubuntu image"},
}

// containerOSes are operating systems made to do nothing but run containers, by a word their
// images' names or descriptions hold: a host on one is a container host whatever schedules
// the containers.
var containerOSes = []struct{ word, name string }{
	{"fedora coreos", "Fedora CoreOS"}, {"fedora-coreos", "Fedora CoreOS"}, {"flatcar", "Flatcar Container Linux"},
	{"bottlerocket", "Bottlerocket"}, {"talos", "Talos Linux"},
}

// containerOS names the container-only operating system an image is of, by its name or else
// its description, with the field that says so and its value; os is "" when neither does.
func containerOS(im *inventory.Image) (os, field, value string) {
	for _, f := range [...]struct{ field, value string }{{"Name", im.Name}, {"Description", im.Description}} {
		v := strings.ToLower(f.value)
		for _, c := range containerOSes {
			if strings.Contains(v, c.word) {
				return c.name, f.field, f.value
			}
		}
	}
	return "", "", ""
}

// imageClues: the group's image was built to be a cluster node (ECS- or EKS-optimized,
// Bottlerocket, a container-only OS) or for deep learning.
func imageClues(s *subject) []clueHit {
	im := s.image
	if im == nil || im.Name == "" && im.Description == "" {
		return nil
	}
	n := strings.ToLower(im.Name)
	if os, field, v := containerOS(im); os != "" {
		h := clue("image").hit(RoleOrchestrator, plainClue, "container-only operating system "+os, s.imageEv(field, v))
		h.kind = NodeContainerHost
		return []clueHit{h}
	}
	for _, ni := range nodeImages {
		if strings.HasPrefix(n, ni.prefix) && (ni.prefix != "amzn-ami-" || strings.Contains(n, "ecs-optimized")) {
			h := clue("image").hit(RoleOrchestrator, plainClue, ni.what+" "+im.Name, s.imageEv("Name", im.Name))
			h.kind = NodeContainerHost
			return []clueHit{h}
		}
	}
	if strings.Contains(n, "deep learning") || strings.Contains(n, "deeplearning") {
		return []clueHit{clue("image").hit(RoleGPU, signClue, "deep learning image "+im.Name, s.imageEv("Name", im.Name))}
	}
	return nil
}

// ciAgentClues: a CI service's agent or runner is installed, run or registered.
func ciAgentClues(s *subject) []clueHit { return productsIn(s, "ci-agent", RoleCIRunner) }

// networkSoftwareClues: a VPN server, a forward proxy or NAT software is installed.
func networkSoftwareClues(s *subject) []clueHit {
	return productsIn(s, "network-software", RoleNetwork)
}

// natClues: the host forwards packets (ip_forward) and rewrites their source address
// (MASQUERADE or SNAT in the nat table): it routes other hosts' traffic.
func natClues(s *subject) []clueHit {
	var fwd, nat []inventory.Evidence
	for _, f := range s.facts(inventory.FactKernelTuning) {
		if (f.Key() == "net.ipv4.ip_forward" || f.Key() == "net.ipv6.conf.all.forwarding") && f.Value() == "1" {
			fwd = append(fwd, f.Evidence.Evidence())
		}
	}
	for _, f := range s.facts(inventory.FactFirewall) {
		if f.Key() == "nat" && (f.Value() == "MASQUERADE" || f.Value() == "SNAT") {
			nat = append(nat, f.Evidence.Evidence())
		}
	}
	if len(fwd) == 0 || len(nat) == 0 {
		return nil
	}
	h := clue("nat").hit(RoleNetwork, plainClue, "IP forwarding with source NAT (masquerade)", append(fwd, nat...)...)
	h.kind = NetworkNAT
	return []clueHit{h}
}

// sshOnlyClues: what the host visibly runs is an SSH server and its users, nothing else —
// no application, web server, data store or containers; or its load balancer forwards
// only port 22.
func sshOnlyClues(s *subject) []clueHit {
	var out []clueHit
	if ports := s.servedPorts(); len(ports) > 0 && allEqual(ports, 22) {
		out = append(out, clue("ssh-only").hit(RoleBastion, plainClue, "the load balancer forwards only SSH (port 22)", s.portEvidence(22)...))
	}
	if ok, _ := s.contentsVisible(); !ok && !s.provisional() {
		return out
	}
	for _, f := range s.facts(inventory.FactService, inventory.FactWebServer, inventory.FactDatabase, inventory.FactDocker, inventory.FactBatchML) {
		if f.Kind != inventory.FactService || f.Class != inventory.ClassAgent {
			return out
		}
	}
	var ev []inventory.Evidence
	for _, f := range s.facts(inventory.FactService) {
		if f.Service == "sshd" || f.Service == "ssh" {
			ev = append(ev, f.Evidence.Evidence())
		}
	}
	users := s.facts(inventory.FactLocalUser)
	if len(ev) == 0 && len(users) == 0 {
		return out
	}
	ev = append(ev, factEvidence(users)...)
	return append(out, clue("ssh-only").hit(RoleBastion, signClue, "runs nothing but an SSH server and its users", ev...))
}

func allEqual(xs []int, v int) bool {
	for _, x := range xs {
		if x != v {
			return false
		}
	}
	return true
}

// storeRole is the role a state server makes a host, by its class; and the ports it serves
// by default, by its canonical service name.
func storeRole(f *inventory.Fact) string {
	switch f.Service {
	case "redis", "valkey", "memcached":
		return RoleCache
	}
	switch f.Class {
	case inventory.ClassCache:
		return RoleCache
	case inventory.ClassSearch:
		return RoleSearch
	case inventory.ClassBroker:
		return RoleBroker
	case inventory.ClassDatabase, inventory.ClassCoordination:
		return RoleDatabase
	case inventory.ClassFileServer, inventory.ClassObjectStore:
		// A host serving a file system or an object store (GlusterFS bricks, an NFS
		// server, MinIO) keeps the data others use, as a database does, and takes the
		// same advice: a managed service or an operator, the data move planned on its own.
		return RoleDatabase
	}
	return ""
}

// storePorts are the ports state servers listen on by default, by canonical service name.
var storePorts = map[string][]int{
	"postgresql": {5432}, "mysql": {3306}, "sql-server": {1433}, "oracle": {1521},
	"mongodb": {27017}, "mongod": {27017}, "mongodb-org": {27017}, "cassandra": {9042}, "couchdb": {5984},
	"neo4j": {7474, 7687}, "clickhouse": {8123, 9000}, "influxdb": {8086, 8088}, "influxdb2": {8086},
	"redis": {6379}, "valkey": {6379}, "memcached": {11211},
	"elasticsearch": {9200, 9300}, "opensearch": {9200, 9300}, "solr": {8983},
	"kafka": {9092}, "confluent-kafka": {9092}, "rabbitmq": {5672, 15672}, "activemq": {61616, 8161},
	"zookeeper": {2181}, "etcd": {2379},
}

// dataStoreClues: a state server is installed (a sign), and its port is the one the load
// balancer sends traffic to (what the host plainly is). A store beside a web server that
// serves the load balancer is that application's helper; the web clues then outweigh it.
func dataStoreClues(s *subject) []clueHit {
	ports := s.servedPorts()
	type found struct {
		names []string
		ev    []inventory.Evidence
	}
	by := map[string]*found{}
	var served []clueHit
	stores := s.facts(inventory.FactDatabase)
	runs := map[string]bool{} // services something read starts, enables or installs where installing starts them
	for _, fs := range [][]inventory.Fact{stores, s.facts(inventory.FactService)} {
		for _, f := range fs {
			if !installStartsNothing[f.Via] {
				runs[f.Service] = true
			}
		}
	}
	for _, f := range stores {
		role := storeRole(&f)
		if role == "" {
			continue
		}
		if installStartsNothing[f.Via] && !runs[f.Service] {
			// Installed where installing starts no service (postgresql-server from yum
			// needs an initdb and an enable), and nothing read starts it: the binaries
			// are there, a server is not shown to run. FIT-LOCAL-DATABASE still names
			// it; it does not say what the host is.
			continue
		}
		fd := by[role]
		if fd == nil {
			fd = &found{}
			by[role] = fd
		}
		fd.names = append(fd.names, f.Detail())
		fd.ev = append(fd.ev, f.Evidence.Evidence())
		for _, p := range storePorts[f.Service] {
			if slices.Contains(ports, p) {
				served = append(served, clue("data-store").hit(role, plainClue, f.Detail()+" serves the load balancer's port "+strconv.Itoa(p), append([]inventory.Evidence{f.Evidence.Evidence()}, s.portEvidence(p)...)...))
				break
			}
		}
	}
	// A store whose port the load balancer does not serve, beside ports it does, is a
	// helper of the application there (a session cache, a local queue): a hint only.
	strength, detail := signClue, "installed: "
	if len(ports) > 0 && len(served) == 0 {
		strength, detail = hintClue, "installed beside what the load balancer serves: "
	}
	var out []clueHit
	for _, role := range rolePrecedence {
		if fd := by[role]; fd != nil {
			out = append(out, clue("data-store").hit(role, strength, detail+joinMax(sortedUnique(fd.names), 3), fd.ev...))
		}
	}
	if len(served) > 0 {
		out = append(out, served[0])
	}
	return out
}

// namedStorePortClues: the group is named for a data store and its load balancer serves
// that store's port — what the scripts could not show, the names and the port agree on.
func namedStorePortClues(s *subject) []clueHit {
	ports := s.servedPorts()
	if len(ports) == 0 {
		return nil
	}
	names := []string{s.g.Name}
	if inventory.FromCode(s.g.ARN) {
		names = append(names, s.g.ARN)
	}
	for _, k := range sortedKeys(s.g.Tags) {
		if nameTagKeys[strings.ToLower(k)] {
			names = append(names, s.g.Tags[k])
		}
	}
	for _, n := range names {
		for _, w := range tokens(n) {
			for _, c := range storeTargetsByWord {
				if c.word != w {
					continue
				}
				for _, p := range storePorts[c.service] {
					if slices.Contains(ports, p) {
						f := inventory.Fact{Kind: inventory.FactDatabase, Name: c.service}
						inventory.Classify(&f)
						role := storeRole(&f)
						if role == "" {
							continue
						}
						ev := append([]inventory.Evidence{s.groupEv("AutoScalingGroupName", s.g.Name)}, s.portEvidence(p)...)
						return []clueHit{clue("named-store-port").hit(role, plainClue, "named "+w+" and its load balancer serves "+c.service+"'s port "+strconv.Itoa(p), ev...)}
					}
				}
			}
		}
	}
	return nil
}

// apiGatewayClues: an API gateway is installed.
func apiGatewayClues(s *subject) []clueHit { return productsIn(s, "api-gateway", RoleAPI) }

// webServerClues: a web or application server is installed (nginx, Apache, IIS, php-fpm,
// Tomcat…).
func webServerClues(s *subject) []clueHit {
	fs := s.facts(inventory.FactWebServer)
	if len(fs) == 0 {
		return nil
	}
	return []clueHit{clue("web-server").hit(RoleWeb, signClue, "web server: "+factDetails(fs), factEvidence(fs)...)}
}

// loadBalancerClues: the group serves traffic through a load balancer; an HTTP health check
// says it answers HTTP.
func loadBalancerClues(s *subject) []clueHit {
	if !s.hasLoadBalancer() {
		return nil
	}
	if r := ruleConclusion(s, RuleHTTPHealthCheck); r.State == pass {
		// An application process answering the load balancer itself, with no web server
		// in front, is an API more often than a site: sites put nginx, Apache or IIS
		// before their application.
		if apps := s.applicationServices(); len(apps) > 0 && len(s.facts(inventory.FactWebServer)) == 0 {
			return []clueHit{clue("load-balancer").hit(RoleAPI, signClue, "an application ("+factDetails(apps)+") answers HTTP behind a load balancer ("+r.Detail+") with no web server in front",
				append(r.Evidence, factEvidence(apps)...)...)}
		}
		return []clueHit{clue("load-balancer").hit(RoleWeb, signClue, "answers HTTP behind a load balancer ("+r.Detail+")", r.Evidence...)}
	}
	ports := s.servedPorts()
	for _, p := range ports {
		if p == 80 || p == 443 || p == 8080 || p == 8443 {
			return []clueHit{clue("load-balancer").hit(RoleWeb, hintClue, "behind a load balancer on port "+strconv.Itoa(p), s.portEvidence(p)...)}
		}
	}
	return nil
}

// queueMetricWords mark a scaling metric that measures work waiting in a queue.
var queueMetricWords = []string{"approximatenumberofmessages", "queue", "backlog", "messages", "lag", "pending"}

// queueScalingClues: the group scales on the depth of a queue: it consumes work.
func queueScalingClues(s *subject) []clueHit {
	for _, p := range s.g.ScalingPolicies {
		m := strings.ToLower(p.Metric)
		for _, w := range queueMetricWords {
			if p.Enabled && strings.Contains(m, w) {
				return []clueHit{clue("queue-scaling").hit(RoleWorker, plainClue, "scales on the queue metric "+p.Metric, policyEv(s, p, "Metric", p.Metric))}
			}
		}
	}
	return nil
}

// scheduledToZeroClues: a schedule starts the group and another brings it back to zero, or
// it rests at zero instances with nothing to serve: it runs work to completion.
func scheduledToZeroClues(s *subject) []clueHit {
	var up, down []inventory.Evidence
	for _, a := range s.g.ScheduledActions {
		size := a.DesiredCapacity
		if size == nil {
			size = a.MaxSize
		}
		if size == nil {
			continue
		}
		ev := s.groupEv("ScheduledActions["+a.Name+"].DesiredCapacity", strconv.Itoa(*size))
		if *size == 0 {
			down = append(down, ev)
		} else {
			up = append(up, ev)
		}
	}
	if s.hasLoadBalancer() || len(s.g.LoadBalancerNames)+len(s.g.TargetGroupARNs) > 0 {
		return nil // a service parked at night is still a service
	}
	if len(up) > 0 && len(down) > 0 {
		return []clueHit{clue("scheduled-to-zero").hit(RoleBatch, plainClue, "a schedule starts the group and brings it back to zero", append(up, down...)...)}
	}
	g := s.g
	if g.MinSize == 0 && g.DesiredCapacity == 0 && g.MaxSize > 0 && g.Known("MinSize") && g.Known("DesiredCapacity") && g.Known("MaxSize") &&
		!s.hasLoadBalancer() && len(g.LoadBalancerNames)+len(g.TargetGroupARNs) == 0 && len(g.ScalingPolicies) == 0 {
		return []clueHit{clue("scheduled-to-zero").hit(RoleBatch, signClue, "rests at zero instances with no load balancer and no scaling policy: started for work",
			s.groupEv("MinSize", "0"), s.groupEv("DesiredCapacity", "0"))}
	}
	return nil
}

// frameworkRoles say what a batch or ML framework (a FactBatchML name) makes a workload.
var frameworkRoles = map[string]string{
	"spark": RoleBatch, "hadoop": RoleBatch, "flink": RoleBatch, "airflow": RoleBatch, "slurm": RoleBatch,
	"htcondor": RoleBatch, "luigi": RoleBatch, "prefect": RoleBatch, "dagster": RoleBatch, "ray": RoleBatch, "dask": RoleBatch,
	"celery":  RoleWorker,
	"pytorch": RoleGPU, "tensorflow": RoleGPU, "jax": RoleGPU, "keras": RoleGPU, "mxnet": RoleGPU, "horovod": RoleGPU,
	"xgboost": RoleGPU, "lightgbm": RoleGPU, "catboost": RoleGPU, "transformers": RoleGPU, "scikit-learn": RoleGPU,
	"mlflow": RoleGPU, "jupyter": RoleGPU,
}

// batchFrameworkClues: batch, workflow or ML frameworks are installed or run. A framework
// the host runs (a unit, a command) is a sign; one only installed as a library beside other
// code is a hint. A unit whose own name says its job — airflow-webserver, airflow-workerset
// — is read by that name (nameClues), not as the framework it belongs to: a workflow
// engine's web UI is a web service.
func batchFrameworkClues(s *subject) []clueHit {
	units := s.unitsByPlace()
	type found struct {
		facts []inventory.Fact
		run   bool
	}
	by := map[string]*found{}
	for _, f := range s.facts(inventory.FactBatchML) {
		role := frameworkRoles[f.Name]
		if role == "" {
			continue
		}
		unit, isUnit := units[f.Evidence.File+":"+strconv.Itoa(f.Evidence.Line)]
		if isUnit {
			if named := unitRole(unit); named != "" && named != role {
				continue
			}
		}
		fd := by[role]
		if fd == nil {
			fd = &found{}
			by[role] = fd
		}
		fd.facts = append(fd.facts, f)
		fd.run = fd.run || isUnit || f.Command() != ""
	}
	var out []clueHit
	for _, role := range []string{RoleBatch, RoleWorker, RoleGPU} {
		fd := by[role]
		if fd == nil {
			continue
		}
		strength, verb := signClue, "runs "
		if !fd.run {
			strength, verb = hintClue, "installs "
		}
		out = append(out, clue("batch-framework").hit(role, strength, verb+factDetails(fd.facts), factEvidence(fd.facts)...))
	}
	return out
}

// unitsByPlace are the units the host runs, by the file:line that runs them.
func (s *subject) unitsByPlace() map[string]string {
	out := map[string]string{}
	for _, f := range s.facts(inventory.FactService) {
		if f.Evidence.File != "" {
			out[f.Evidence.File+":"+strconv.Itoa(f.Evidence.Line)] = f.Name
		}
	}
	return out
}

// unitRole is the role a unit's own name gives it ("airflow-webserver": web), or "".
func unitRole(unit string) string {
	for _, w := range tokens(unit) {
		if role, _ := roleOfWord(w); role != "" {
			return role
		}
	}
	return ""
}

// applicationServices are the services the host runs that are its own application: not a
// host agent, and not a server the vocabulary knows (a database, a web server).
func (s *subject) applicationServices() []inventory.Fact {
	known := map[string]bool{}
	for _, f := range s.facts(inventory.FactDatabase, inventory.FactWebServer) {
		known[f.Service] = true
	}
	var out []inventory.Fact
	for _, f := range s.facts(inventory.FactService) {
		if f.Class == inventory.ClassApplication && !known[f.Service] {
			out = append(out, f)
		}
	}
	return out
}

// backgroundServiceClues: the host runs an application service of its own but no load
// balancer sends it traffic: it works from a queue, a stream or a schedule.
func backgroundServiceClues(s *subject) []clueHit {
	if s.hasLoadBalancer() || len(s.g.LoadBalancerNames)+len(s.g.TargetGroupARNs) > 0 || s.provisional() {
		return nil
	}
	var apps []inventory.Fact
	for _, f := range s.applicationServices() {
		// A unit named for serving (a webserver, an api) is not background work, whatever
		// sits in front of it: nameClues reads it.
		if r := unitRole(f.Name); r != RoleWeb && r != RoleAPI {
			apps = append(apps, f)
		}
	}
	if len(apps) == 0 {
		return nil
	}
	return []clueHit{clue("background-service").hit(RoleWorker, hintClue, "runs "+factDetails(apps)+" with no load balancer in front", factEvidence(apps)...)}
}

// gpuClues: accelerator instance types (what the host plainly is for), or GPU drivers
// where the instance types do not say otherwise.
func gpuClues(s *subject) []clueHit {
	var ev []inventory.Evidence
	var types []string
	for _, t := range s.instanceTypes() {
		if isAcceleratorType(t) {
			types = append(types, t)
			ev = append(ev, s.launchEv("InstanceType", "InstanceType", t))
		}
	}
	if len(types) > 0 {
		return []clueHit{clue("gpu").hit(RoleGPU, plainClue, "accelerator instance types: "+strings.Join(types, ", "), ev...)}
	}
	if len(s.instanceTypes()) > 0 {
		return nil
	}
	if fs := s.facts(inventory.FactGPU); len(fs) > 0 {
		return []clueHit{clue("gpu").hit(RoleGPU, signClue, "GPU drivers or runtime: "+factDetails(fs), factEvidence(fs)...)}
	}
	return nil
}

// windowsClues: a Windows image or Windows-only provisioning.
func windowsClues(s *subject) []clueHit {
	r := ruleConclusion(s, RuleWindows)
	if r.State != fail {
		return nil
	}
	return []clueHit{clue("windows").hit(RoleWindows, signClue, "runs on Windows", r.Evidence...)}
}

// composeService is how a name clue cites a Compose service, which the host runs as it
// runs a unit.
const composeService = "compose service"

// roleWords are the words that, in a name a team gave (a group, a tag, a resource address,
// a unit, a Packer build), say what the thing is. Short words must be a whole word of the
// name; words of five letters or more may also begin or end one ("workerset",
// "githubrunner").
var roleWords = map[string]string{
	"web": RoleWeb, "www": RoleWeb, "frontend": RoleWeb, "portal": RoleWeb, "website": RoleWeb, "webserver": RoleWeb,
	"webapp": RoleWeb, "nginx": RoleWeb, "apache": RoleWeb, "httpd": RoleWeb, "wordpress": RoleWeb, "drupal": RoleWeb,
	"magento": RoleWeb,
	"api":     RoleAPI, "apis": RoleAPI, "backend": RoleAPI, "gateway": RoleAPI, "graphql": RoleAPI, "kong": RoleAPI,
	"worker": RoleWorker, "workers": RoleWorker, "consumer": RoleWorker, "consumers": RoleWorker, "queue": RoleWorker,
	"sidekiq": RoleWorker, "celery": RoleWorker,
	"batch": RoleBatch, "scheduler": RoleBatch, "cron": RoleBatch, "etl": RoleBatch, "nightly": RoleBatch, "spark": RoleBatch,
	"db": RoleDatabase, "database": RoleDatabase, "postgres": RoleDatabase, "postgresql": RoleDatabase, "pg": RoleDatabase,
	"mysql": RoleDatabase, "mariadb": RoleDatabase, "mongo": RoleDatabase, "mongodb": RoleDatabase, "cassandra": RoleDatabase,
	"influxdb": RoleDatabase, "influx": RoleDatabase, "couchdb": RoleDatabase, "neo4j": RoleDatabase, "clickhouse": RoleDatabase,
	"mssql": RoleDatabase, "oracle": RoleDatabase, "etcd": RoleDatabase, "zookeeper": RoleDatabase, "patroni": RoleDatabase,
	"cache": RoleCache, "redis": RoleCache, "memcached": RoleCache, "valkey": RoleCache,
	"search": RoleSearch, "elasticsearch": RoleSearch, "opensearch": RoleSearch, "solr": RoleSearch, "es": RoleSearch,
	"kafka": RoleBroker, "rabbitmq": RoleBroker, "rabbit": RoleBroker, "broker": RoleBroker, "mq": RoleBroker,
	"activemq": RoleBroker, "nats": RoleBroker, "pulsar": RoleBroker,
	"ecs": RoleOrchestrator, "eks": RoleOrchestrator, "k8s": RoleOrchestrator, "kubernetes": RoleOrchestrator,
	"kube": RoleOrchestrator, "nomad": RoleOrchestrator, "consul": RoleOrchestrator, "vault": RoleOrchestrator,
	"kubelet": RoleOrchestrator,
	"runner":  RoleCIRunner, "runners": RoleCIRunner, "buildkite": RoleCIRunner, "jenkins": RoleCIRunner, "ci": RoleCIRunner,
	"gitlab":  RoleCIRunner,
	"bastion": RoleBastion, "jump": RoleBastion, "jumpbox": RoleBastion, "jumphost": RoleBastion,
	"nat": RoleNetwork, "snat": RoleNetwork, "vpn": RoleNetwork, "proxy": RoleNetwork, "squid": RoleNetwork,
	"router": RoleNetwork, "egress": RoleNetwork, "openvpn": RoleNetwork, "wireguard": RoleNetwork,
	"gpu": RoleGPU, "ml": RoleGPU, "training": RoleGPU, "inference": RoleGPU, "cuda": RoleGPU,
	"windows": RoleWindows, "iis": RoleWindows,
}

// wordKinds are the role kinds a name's word shows.
var wordKinds = map[string]string{
	"consul": NodeControlPlane, "vault": NodeControlPlane,
	"ecs": NodeContainerHost, "eks": NodeContainerHost, "k8s": NodeContainerHost, "kubernetes": NodeContainerHost,
	"kube": NodeContainerHost, "kubelet": NodeContainerHost, "nomad": NodeContainerHost,
	"nat": NetworkNAT, "snat": NetworkNAT, "egress": NetworkNAT, "router": NetworkNAT,
	"vpn": NetworkVPN, "openvpn": NetworkVPN, "wireguard": NetworkVPN,
	"proxy": NetworkProxy, "squid": NetworkProxy,
}

// roleOfWord returns the role a word of a name points to.
func roleOfWord(w string) (string, string) {
	if r, ok := roleWords[w]; ok {
		return r, w
	}
	// Compound words: "workerset", "githubrunner", "bastionhost".
	for _, k := range sortedRoleWords {
		if len(k) >= 5 && len(w) > len(k) && (strings.HasPrefix(w, k) || strings.HasSuffix(w, k)) {
			return roleWords[k], k
		}
	}
	return "", ""
}

// sortedRoleWords are the role words, longest first, so a compound word is read by its
// longest part.
var sortedRoleWords = func() []string {
	out := make([]string, 0, len(roleWords))
	for k := range roleWords {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}()

// nameTagKeys are the tags whose values name what a group is.
var nameTagKeys = map[string]bool{
	"name": true, "app": true, "application": true, "role": true, "service": true, "component": true,
	"tier": true, "function": true, "purpose": true, "type": true, "workload": true,
}

// nameClues: the words of the names a team gave: the group's name, its naming tags, the
// address of the resource in infrastructure code, the units the host runs and the builds
// that make its image. Each name source counts once per role: names are hints.
func nameClues(s *subject) []clueHit {
	type source struct {
		what string
		name string
		ev   inventory.Evidence
	}
	var srcs []source
	g := s.g
	srcs = append(srcs, source{"group name", g.Name, s.groupEv("AutoScalingGroupName", g.Name)})
	if inventory.FromCode(g.ARN) {
		srcs = append(srcs, source{"resource address", g.ARN, inventory.Evidence{ARN: g.ARN}})
	}
	keys := make([]string, 0, len(g.Tags))
	for k := range g.Tags {
		if nameTagKeys[strings.ToLower(k)] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		srcs = append(srcs, source{"tag " + k, g.Tags[k], s.groupEv("Tags["+k+"]", g.Tags[k])})
	}
	// Units named for a server the vocabulary already knows (redis, nginx) are read as that
	// server by the other clues; their names would count it twice.
	known := map[string]bool{}
	for _, f := range s.facts(inventory.FactDatabase, inventory.FactWebServer) {
		known[f.Service] = true
	}
	for _, f := range s.facts(inventory.FactService, inventory.FactImageBuild) {
		if f.Kind == inventory.FactService && (f.Class == inventory.ClassAgent || known[f.Service]) {
			continue
		}
		what := "unit"
		switch {
		case f.Kind == inventory.FactImageBuild:
			what = "image build"
		case f.Via == inventory.ViaCompose:
			what = composeService
		}
		srcs = append(srcs, source{what, f.Name, f.Evidence.Evidence()})
		if f.Kind == inventory.FactImageBuild && f.Image() != "" {
			srcs = append(srcs, source{"image name", f.Image(), f.Evidence.Evidence()})
		}
	}
	type found struct {
		words []string
		ev    []inventory.Evidence
		kinds []string
	}
	by := map[string]*found{}
	for _, src := range srcs {
		seen := map[string]bool{}
		for _, w := range tokens(src.name) {
			role, word := roleOfWord(w)
			if role == "" || seen[role] {
				continue
			}
			seen[role] = true
			fd := by[role]
			if fd == nil {
				fd = &found{}
				by[role] = fd
			}
			fd.words = append(fd.words, word)
			fd.kinds = append(fd.kinds, src.what)
			fd.ev = append(fd.ev, src.ev)
		}
	}
	var out []clueHit
	for _, role := range rolePrecedence {
		fd := by[role]
		if fd == nil {
			continue
		}
		strength, id := hintClue, "names"
		runs := slices.Contains(fd.kinds, "unit") || slices.Contains(fd.kinds, composeService)
		if len(sortedUnique(fd.kinds)) > 1 || runs {
			// Two names agree, or the host runs a unit named for its job.
			strength = signClue
		}
		if runs {
			// A unit the host runs is a construct the code shows, not only a name: it may
			// decide the role (namesOnly).
			id = "unit-names"
		}
		h := clue(id).hit(role, strength, "named "+joinMax(sortedUnique(fd.words), 3)+" ("+joinMax(sortedUnique(fd.kinds), 3)+")", fd.ev...)
		for _, w := range sortedUnique(fd.words) {
			if k := wordKinds[w]; k != "" {
				h.kind = k
			}
		}
		out = append(out, h)
	}
	return out
}

// builtinRules is the catalogue as whyk8s registers it, built once, for clues that read what
// a rule reads.
var builtinRules = sync.OnceValue(NewCatalogue)

// ruleConclusion is a catalogue rule's conclusion on the subject, through the rule's own
// predicates, so that a clue and the rule it leans on cannot disagree about what they read.
func ruleConclusion(s *subject, id string) result {
	r, ok := builtinRules().Rule(id)
	if !ok {
		panic("assess: role clue reads unknown rule " + id)
	}
	return r.conclude(s)
}

// installStartsNothing are the package managers of the distributions whose packages do not
// start the services they install (Red Hat's, SUSE's): a server installed through them
// runs only when something starts it. Debian's start what they install.
var installStartsNothing = map[string]bool{"yum": true, "dnf": true, "microdnf": true, "tdnf": true, "zypper": true, "rpm": true}
