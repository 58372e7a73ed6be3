package assess

import (
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// multiServiceThreshold is the number of distinct application services on one instance from
// which the instance is a bundle to split rather than one process to wrap.
const multiServiceThreshold = 3

// The process-model dimension's rule ids, for code elsewhere that names one of these rules.
const (
	RuleMultiService = "FIT-MULTI-SERVICE"
	RuleHostCron     = "FIT-HOST-CRON"
	RuleSingleton    = "FIT-SINGLETON"
	RuleBatchML      = "FIT-BATCH-ML"
)

func registerProcessRules(c *Catalogue) {
	c.Register(Rule{
		ID: RuleMultiService, Title: "Several services on one instance",
		Dimension: DimProcess, Direction: DirHurts, Weight: 6, Blocker: EffortM,
		// A database or cache server is one more service on the box.
		Facts:       []inventory.FactKind{inventory.FactService, inventory.FactWebServer, inventory.FactDatabase},
		Rationale:   "Three or more application services on one instance (agents not counted) share its lifecycle and scale together. Containers want one concern each, scaled and restarted on their own.",
		Remediation: "Split the services into separate containers: a pod with sidecars where they must share a network namespace, separate Deployments otherwise.",
		Kubernetes:  "One container per service; sidecars in one pod only where they are coupled",
		// A service already in a container of its own (a Compose service, a docker run) is
		// split as the rule asks: it is no service of the box's.
		selects: func(f *inventory.Fact, _ stage) bool {
			return f.Service != "" && !isAgent(f) && f.Via != inventory.ViaCompose && f.Via != inventory.ViaContainer
		},
		together: severalServices,
		check:    checkMultiService,
	})
	c.Register(Rule{
		ID: RuleHostCron, Title: "Host cron jobs or systemd timers",
		Dimension: DimProcess, Direction: DirHurts, Weight: 4, Blocker: EffortS, Reshapes: true,
		Facts:       []inventory.FactKind{inventory.FactCron},
		Rationale:   "A cron job on every instance of a group runs once per instance, often by accident. In a cluster a scheduled task is its own object with its own history and retries: a CronJob beside the Deployment, so the workload does not move as it is and is at best Needs minor work.",
		Remediation: "Turn each cron entry into a CronJob; check whether it was meant to run once per group or once per instance.",
		Kubernetes:  "CronJob",
		check:       hurtsByFacts("scheduled"),
	})
	c.Register(Rule{
		ID: RuleSingleton, Title: "Group never runs more than one instance",
		Dimension: DimProcess, Direction: DirHurts, Weight: 4, NotFor: []string{RoleBatch},
		Rationale:   "A maximum size of one usually means the software cannot run twice (a leader, a local lock, a pet server kept alive by the group). Pods are started before the old one stops at every rollout unless told otherwise.",
		Remediation: "Find out why only one instance runs; if it must stay single, use a Recreate strategy or a StatefulSet of one, and say so in the runbook.",
		Kubernetes:  "Deployment with strategy Recreate, or a StatefulSet with one replica",
		resources:   resourceReader{group: singleInstance},
		check:       checkSingleton,
	})
	c.Register(batchMLRule())
}

// isAgent reports a service that is infrastructure on every host (sshd, a log shipper, a
// monitoring agent), not the application.
func isAgent(f *inventory.Fact) bool {
	return f.Kind == inventory.FactService && f.Class == inventory.ClassAgent
}

// severalServices reports whether facts name as many distinct services as make the rule
// fail.
func severalServices(facts []*inventory.Fact) bool {
	names := map[string]bool{}
	for _, f := range facts {
		names[f.Service] = true
	}
	return len(names) >= multiServiceThreshold
}

func checkMultiService(s *subject, in seen) result {
	first := map[string]inventory.Evidence{}
	for _, f := range in.facts {
		if _, ok := first[f.Service]; !ok {
			first[f.Service] = f.Evidence.Evidence()
		}
	}
	if len(first) == 0 {
		return absentInScripts(s, pass)
	}
	names := make([]string, 0, len(first))
	for n := range first {
		names = append(names, n)
	}
	sort.Strings(names)
	ev := make([]inventory.Evidence, 0, len(names))
	for _, n := range names {
		ev = append(ev, first[n])
	}
	detail := plural(len(names), "service") + ": " + strings.Join(names, ", ")
	if len(names) >= multiServiceThreshold {
		return result{State: fail, Detail: detail, Evidence: ev}
	}
	return result{State: pass, Detail: detail, Evidence: ev}
}

// singleInstance reads a group whose maximum size is one.
func singleInstance(s *subject) []construct {
	if !s.g.Known("MaxSize") || s.g.MaxSize != 1 {
		return nil
	}
	return []construct{{Kind: "group-size", Title: "Group never runs more than one instance", Detail: "maximum size 1",
		Evidence: []inventory.Evidence{s.groupEv("MaxSize", "1")}}}
}

func checkSingleton(s *subject, in seen) result {
	if !s.g.Known("MaxSize") {
		return result{State: unknown, Detail: "the group's maximum size is not known from the code"}
	}
	if len(in.found) > 0 {
		return result{State: fail, Detail: in.found[0].Detail, Evidence: in.evidence()}
	}
	m := s.g.MaxSize
	if m <= 0 {
		return result{State: notApplicable, Detail: "the group's maximum size is 0"}
	}
	return result{State: pass, Detail: "maximum size " + strconv.Itoa(m), Evidence: []inventory.Evidence{s.groupEv("MaxSize", strconv.Itoa(m))}}
}

// acceleratorTypes reads the group's instance types that have GPUs or ML accelerators.
func acceleratorTypes(s *subject) []construct {
	var out []construct
	for _, t := range s.instanceTypes() {
		if isAcceleratorType(t) {
			out = append(out, construct{Kind: "instance-type", Title: "GPU or accelerator instance type", Detail: t,
				Evidence: []inventory.Evidence{s.launchEv("InstanceType", "InstanceType", t)}})
		}
	}
	return out
}

func checkBatchML(s *subject, in seen) result {
	ev := in.evidence()
	var what []string
	for _, c := range in.found {
		what = append(what, c.Detail)
	}
	// GPU drivers installed on instances without a GPU (a shared base image with an optional
	// NVIDIA runtime) say nothing about the workload; batch and ML frameworks do.
	gpuCounts := len(in.found) > 0 || len(s.instanceTypes()) == 0
	var fs []inventory.Fact
	for _, f := range in.facts {
		if f.Kind != inventory.FactGPU || gpuCounts {
			fs = append(fs, f)
		}
	}
	ev = append(ev, factEvidence(fs)...)
	if len(fs) > 0 {
		what = append(what, factDetails(fs))
	}
	if len(ev) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: strings.Join(what, "; "), Evidence: ev}
}

// isBatchML reports whether the subject is a GPU, batch or ML workload, for hints and waves.
func (s *subject) isBatchML() bool {
	r := batchMLRule()
	return r.conclude(s).State == pass
}

// batchMLRule is FIT-BATCH-ML, which isBatchML asks too.
func batchMLRule() Rule {
	return Rule{
		ID: RuleBatchML, Title: "GPU, batch or machine-learning workload",
		Dimension: DimProcess, Direction: DirBonus, Weight: 5,
		Facts:       []inventory.FactKind{inventory.FactBatchML, inventory.FactGPU},
		Rationale:   "Batch, data and ML work gains the most from a cluster: jobs queue for shared GPU nodes, frameworks such as Kubeflow, Spark and Ray run natively, and the same manifests run on any provider.",
		Remediation: "Run the work as Jobs on a GPU node pool; consider Kubeflow or Ray for pipelines.",
		Kubernetes:  "Jobs on a GPU node pool (NVIDIA device plugin, taints); Kubeflow or Ray",
		resources:   resourceReader{group: acceleratorTypes},
		// A task queue's workers (Celery) run a web application's background work: a
		// worker, scaled on its queue, not batch or ML work to pilot a cluster with.
		selects: func(f *inventory.Fact, _ stage) bool {
			return f.Kind != inventory.FactBatchML || frameworkRoles[f.Name] != RoleWorker
		},
		check: checkBatchML,
	}
}
