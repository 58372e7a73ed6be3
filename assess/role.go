package assess

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// Role names: what a workload is. The role decides the advice (DESIGN §2): data stores move
// to a managed service or an operator, orchestrator nodes are replaced by the cluster,
// bastions and network appliances are not migration candidates, batch work becomes Jobs.
const (
	RoleWeb          = "web-service"
	RoleAPI          = "api-service"
	RoleWorker       = "worker"
	RoleBatch        = "batch-job"
	RoleDatabase     = "database"
	RoleCache        = "cache"
	RoleSearch       = "search"
	RoleBroker       = "message-broker"
	RoleOrchestrator = "orchestrator-node"
	RoleCIRunner     = "ci-runner"
	RoleBastion      = "bastion"
	RoleNetwork      = "network-appliance"
	RoleWindows      = "windows-app"
	RoleGPU          = "gpu-ml"
	RoleOther        = "other"
	RoleUnknown      = "unknown"
)

// Roles lists every role name, in the order reports list them.
var Roles = []string{
	RoleWeb, RoleAPI, RoleWorker, RoleBatch, RoleDatabase, RoleCache, RoleSearch, RoleBroker,
	RoleOrchestrator, RoleCIRunner, RoleBastion, RoleNetwork, RoleWindows, RoleGPU, RoleOther, RoleUnknown,
}

// Kinds of orchestrator node (Role.Kind): the hosts that run a cluster's work, and the
// servers that hold its state.
const (
	NodeContainerHost = "container-host" // ECS container instances, Kubernetes workers, Docker hosts
	NodeControlPlane  = "control-plane"  // Nomad, Consul or Vault servers
)

// Kinds of network appliance (Role.Kind).
const (
	NetworkNAT   = "nat"
	NetworkVPN   = "vpn"
	NetworkProxy = "proxy"
)

// Role is what a workload is, read from everything gathered about it, with how sure the
// reading is and the clues behind it.
type Role struct {
	// Name is one of the Role* constants; RoleUnknown when nothing says.
	Name string `json:"name"`
	// Confidence is high, medium or low: how strongly the clues point to the role and how
	// clearly they beat every other reading. Empty for an unknown role.
	Confidence string `json:"confidence,omitempty"`
	// Kind refines an orchestrator node (NodeContainerHost, NodeControlPlane) or a network
	// appliance (NetworkNAT, NetworkVPN, NetworkProxy).
	Kind string `json:"kind,omitempty"`
	// Evidence are the clues for the role, strongest first.
	Evidence []RoleClue `json:"evidence"`
}

// RoleClue is one clue for a role: which reading found it, how strong it is, in words, and
// where it was seen.
type RoleClue struct {
	// Clue names the reading (one of the clue ids of roleClues).
	Clue string `json:"clue"`
	// Strength is 1 (a hint: a name), 2 (a sign: software installed, a shape) or 3 (what
	// the host plainly is: an ECS agent, a CI runner registered, a data store serving the
	// load balancer's port).
	Strength int                  `json:"strength"`
	Detail   string               `json:"detail"`
	Evidence []inventory.Evidence `json:"evidence"`
}

// Clue strengths.
const (
	hintClue   = 1
	signClue   = 2
	plainClue  = 3
	decidedBy  = 4 // what a role needs in total for high confidence
	clearAhead = 2 // and by how much it must beat the next reading
)

// clueHit is one clue a reading found: the role it points to and the clue itself.
type clueHit struct {
	role string
	// kind refines an orchestrator-node clue (NodeContainerHost, NodeControlPlane).
	kind string
	clue RoleClue
}

// clueRule is one reading of a workload's role: an id and a function over the subject.
// Each is small and reads typed facts and estate fields only.
type clueRule struct {
	id   string
	read func(s *subject) []clueHit
}

// hit builds a clue of the rule.
func (r clueRule) hit(role string, strength int, detail string, ev ...inventory.Evidence) clueHit {
	return clueHit{role: role, clue: RoleClue{Clue: r.id, Strength: strength, Detail: detail, Evidence: ev}}
}

// decideRole reads the role from the clues the rules find. The role with the most weight
// of clues wins; ties go to the more specific role (the order of rolePrecedence). Platform
// roles then refine an application role: an application on Windows is a windows-app, one on
// GPUs or built on ML frameworks a gpu-ml workload — unless what the host is for (a CI
// runner, a data store, an orchestrator node) says otherwise.
func decideRole(rules []clueRule, s *subject) Role {
	by := map[string][]clueHit{}
	for _, r := range rules {
		for _, h := range r.read(s) {
			by[h.role] = append(by[h.role], h)
		}
	}
	total := func(role string) int {
		n := 0
		for _, h := range by[role] {
			n += h.clue.Strength
		}
		return n
	}
	best, second := "", 0
	for _, role := range rolePrecedence {
		if by[role] == nil {
			continue
		}
		switch t := total(role); {
		case best == "":
			best = role
		case t > total(best):
			second, best = total(best), role
		case t > second:
			second = t
		}
	}
	if best == "" {
		return Role{Name: RoleUnknown, Evidence: []RoleClue{}}
	}
	name, hits := best, by[best]
	if applicationRole[best] {
		for _, platform := range []string{RoleWindows, RoleGPU} {
			if by[platform] != nil {
				name, hits = platform, append(append([]clueHit{}, by[platform]...), hits...)
				second = 0
				break
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].clue.Strength > hits[j].clue.Strength })
	r := Role{Name: name, Evidence: make([]RoleClue, 0, len(hits))}
	lead := 0
	for _, h := range hits {
		r.Evidence = append(r.Evidence, h.clue)
		lead += h.clue.Strength
		if h.kind != "" && r.Kind == "" {
			r.Kind = h.kind
		}
	}
	switch name {
	case RoleOrchestrator:
		r.Kind = orchestratorKind(hits)
	case RoleNetwork:
		if r.Kind == "" {
			r.Kind = NetworkNAT
		}
	default:
		r.Kind = ""
	}
	switch {
	case lead >= decidedBy && lead-second >= clearAhead:
		r.Confidence = inventory.ConfidenceHigh
	case lead >= signClue && lead > second:
		r.Confidence = inventory.ConfidenceMedium
	default:
		r.Confidence = inventory.ConfidenceLow
	}
	if namesOnly(r) {
		// A name is what someone called the group, not what runs on it: the group name and
		// the resource address of one resource usually say the same thing twice (in
		// CloudFormation the name defaults to the logical id). Names alone suggest a role;
		// they never decide the advice (decisiveRole).
		r.Confidence = inventory.ConfidenceLow
	}
	return r
}

// namesOnly reports whether every clue for the role is a name.
func namesOnly(r Role) bool {
	for _, c := range r.Evidence {
		if c.Clue != "names" {
			return false
		}
	}
	return len(r.Evidence) > 0
}

// orchestratorKind says whether an orchestrator node's clues show a server of the cluster's
// state (a control plane) or a host of its work; a host that is both, a Nomad server that
// also runs jobs, is a control plane: its state is what must be planned for.
func orchestratorKind(hits []clueHit) string {
	kind := NodeContainerHost
	for _, h := range hits {
		if h.kind == NodeControlPlane {
			return NodeControlPlane
		}
	}
	return kind
}

// rolePrecedence orders roles from the most specific to the most general: what a host is
// for (a cluster node, a CI runner, a data store) before what it serves (web, API), before
// "other". A tie goes to the earlier role.
var rolePrecedence = []string{
	RoleOrchestrator, RoleCIRunner, RoleNetwork, RoleBastion,
	RoleDatabase, RoleSearch, RoleBroker, RoleCache,
	RoleBatch, RoleWorker, RoleAPI, RoleWeb, RoleGPU, RoleWindows, RoleOther,
}

// applicationRole marks the roles a platform (Windows, GPUs) refines.
var applicationRole = map[string]bool{
	RoleWeb: true, RoleAPI: true, RoleWorker: true, RoleBatch: true, RoleOther: true,
}

// batchRole reports a role read firmly as batch or GPU/ML work, which gains most from a
// shared cluster.
func batchRole(r Role) bool {
	return (r.Name == RoleBatch || r.Name == RoleGPU) && (r.Confidence == inventory.ConfidenceHigh || r.Confidence == inventory.ConfidenceMedium)
}

// isDataStore reports the roles whose advice is a managed service or an operator.
func isDataStore(role string) bool {
	return role == RoleDatabase || role == RoleCache || role == RoleSearch || role == RoleBroker
}

// tokens splits a name into lower-case words at punctuation and at lower-to-upper case
// changes: "WorkerSetStack" → worker, set, stack; "ASG-bastion-lt" → asg, bastion, lt.
func tokens(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			cur = append(cur, c)
		case c >= 'A' && c <= 'Z':
			if prev >= 'a' && prev <= 'z' {
				flush()
			}
			cur = append(cur, c)
		default:
			flush()
		}
		prev = c
	}
	flush()
	return out
}

// servedPorts are the instance ports the group's load balancers send traffic to, sorted.
func (s *subject) servedPorts() []int {
	var out []int
	for _, tg := range s.tgs {
		if tg.Port > 0 && !slices.Contains(out, tg.Port) {
			out = append(out, tg.Port)
		}
	}
	for _, lb := range s.classic {
		for _, l := range lb.Listeners {
			if l.InstancePort > 0 && !slices.Contains(out, l.InstancePort) {
				out = append(out, l.InstancePort)
			}
		}
	}
	sort.Ints(out)
	return out
}

// portEvidence names the target groups and classic listeners that send traffic to port p.
func (s *subject) portEvidence(p int) []inventory.Evidence {
	var ev []inventory.Evidence
	for _, tg := range s.tgs {
		if tg.Port == p {
			ev = append(ev, tgEv(tg, "Port", strconv.Itoa(p)))
		}
	}
	for _, lb := range s.classic {
		for _, l := range lb.Listeners {
			if l.InstancePort == p {
				ev = append(ev, clbEv(lb, "ListenerDescriptions["+strconv.Itoa(l.Port)+"].InstancePort", strconv.Itoa(p)))
			}
		}
	}
	return ev
}
