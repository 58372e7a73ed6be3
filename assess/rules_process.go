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

func registerProcessRules(c *Catalogue) {
	c.Register(Rule{
		ID: "FIT-MULTI-SERVICE", Title: "Several services on one instance",
		Dimension: DimProcess, Direction: DirHurts, Weight: 6, Blocker: EffortM,
		Facts:       []string{inventory.FactService, inventory.FactWebServer},
		Rationale:   "Three or more application services on one instance (agents not counted) share its lifecycle and scale together. Containers want one concern each, scaled and restarted on their own.",
		Remediation: "Split the services into separate containers: a pod with sidecars where they must share a network namespace, separate Deployments otherwise.",
		Kubernetes:  "One container per service; sidecars in one pod only where they are coupled",
		check:       checkMultiService,
	})
	c.Register(Rule{
		ID: "FIT-HOST-CRON", Title: "Host cron jobs or systemd timers",
		Dimension: DimProcess, Direction: DirHurts, Weight: 4, Blocker: EffortS,
		Facts:       []string{inventory.FactCron},
		Rationale:   "A cron job on every instance of a group runs once per instance, often by accident. In a cluster a scheduled task is its own object with its own history and retries.",
		Remediation: "Turn each cron entry into a CronJob; check whether it was meant to run once per group or once per instance.",
		Kubernetes:  "CronJob",
		check:       hurtsByFacts("scheduled", inventory.FactCron),
	})
	c.Register(Rule{
		ID: "FIT-SINGLETON", Title: "Group never runs more than one instance",
		Dimension: DimProcess, Direction: DirHurts, Weight: 4, NotFor: []string{RoleBatch},
		Rationale:   "A maximum size of one usually means the software cannot run twice (a leader, a local lock, a pet server kept alive by the group). Pods are started before the old one stops at every rollout unless told otherwise.",
		Remediation: "Find out why only one instance runs; if it must stay single, use a Recreate strategy or a StatefulSet of one, and say so in the runbook.",
		Kubernetes:  "Deployment with strategy Recreate, or a StatefulSet with one replica",
		check:       checkSingleton,
	})
	c.Register(Rule{
		ID: "FIT-BATCH-ML", Title: "GPU, batch or machine-learning workload",
		Dimension: DimProcess, Direction: DirBonus, Weight: 5,
		Facts:       []string{inventory.FactBatchML, inventory.FactGPU},
		Rationale:   "Batch, data and ML work gains the most from a cluster: jobs queue for shared GPU nodes, frameworks such as Kubeflow, Spark and Ray run natively, and the same manifests run on any provider.",
		Remediation: "Run the work as Jobs on a GPU node pool; consider Kubeflow or Ray for pipelines.",
		Kubernetes:  "Jobs on a GPU node pool (NVIDIA device plugin, taints); Kubeflow or Ray",
		check:       checkBatchML,
	})
}

// isAgent reports a service that is infrastructure on every host (sshd, a log shipper, a
// monitoring agent), not the application.
func isAgent(f *inventory.Fact) bool {
	return f.Kind == inventory.FactService && f.Class == inventory.ClassAgent
}

func checkMultiService(s *subject) result {
	fs := s.facts(inventory.FactService, inventory.FactWebServer, inventory.FactDatabase)
	first := map[string]inventory.Evidence{}
	for _, f := range fs {
		n := f.Service
		if n == "" || isAgent(&f) {
			continue
		}
		if _, ok := first[n]; !ok {
			first[n] = f.Evidence
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

func checkSingleton(s *subject) result {
	if !s.g.Known("MaxSize") {
		return result{State: unknown, Detail: "the group's maximum size is not known from the code"}
	}
	m := s.g.MaxSize
	if m <= 0 {
		return result{State: notApplicable, Detail: "the group's maximum size is 0"}
	}
	ev := []inventory.Evidence{s.groupEv("MaxSize", strconv.Itoa(m))}
	if m == 1 {
		return result{State: fail, Detail: "maximum size 1", Evidence: ev}
	}
	return result{State: pass, Detail: "maximum size " + strconv.Itoa(m), Evidence: ev}
}

func checkBatchML(s *subject) result {
	var ev []inventory.Evidence
	var what []string
	for _, t := range s.instanceTypes() {
		if isAcceleratorType(t) {
			ev = append(ev, s.launchEv("InstanceType", "InstanceType", t))
			what = append(what, t)
		}
	}
	// GPU drivers installed on instances without a GPU (a shared base image with an optional
	// NVIDIA runtime) say nothing about the workload; batch and ML frameworks do.
	kinds := []string{inventory.FactBatchML}
	if len(what) > 0 || len(s.instanceTypes()) == 0 {
		kinds = append(kinds, inventory.FactGPU)
	}
	fs := s.facts(kinds...)
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
func (s *subject) isBatchML() bool { return checkBatchML(s).State == pass }
