package manifests

import (
	"strings"

	"whyk8s/assess"
)

// Kinds of workload controller a shape calls for; kindNone means no manifests at all.
const (
	kindNone        = ""
	kindDeployment  = "Deployment"
	kindStatefulSet = "StatefulSet"
	kindJob         = "Job"
	kindCronJob     = "CronJob"
)

// Scalers a shape calls for.
const (
	scaleNone = ""
	scaleHPA  = "HorizontalPodAutoscaler"
	scaleKEDA = "ScaledObject"
)

// metricCPU is the predefined target-tracking metric a HorizontalPodAutoscaler reads
// without an adapter.
const metricCPU = "ASGAverageCPUUtilization"

// shapeInput is what decides a workload's shape. It is read from the estate by
// shapeInputOf. Role is the assessment's role when it is read firmly; the heuristics that
// stood in for it before roles were assessed (DataStore, SSHOnly) still decide a workload
// whose role is not.
type shapeInput struct {
	// Role is what the workload is (web-service, worker, batch-job, database…); empty
	// when the assessment did not read it firmly.
	Role string
	// Recommendation is the assessment's recommendation kind (assess.Recommend*), and
	// RecommendationText its words, quoted when nothing is generated.
	Recommendation     string
	RecommendationText string
	// LoadBalanced: the group is behind a load balancer or target group that was read.
	LoadBalanced bool
	// DataStore names a data store that serves the group's load-balanced ports
	// ("elasticsearch on port 9200"): the group is the data store, not an application
	// that happens to run one.
	DataStore string
	// SSHOnly: every port the load balancers send to is 22.
	SSHOnly bool
	// PersistentState says why data must outlive an instance ("" when it need not): a data
	// volume kept after termination, a database on the instance.
	PersistentState string
	// ZeroAtRest: the group's minimum and desired sizes are both 0 — it runs when
	// something starts it.
	ZeroAtRest bool
	// ScheduledWindow: scheduled actions start the group and bring it back to zero.
	ScheduledWindow bool
	// Scheduled: scheduled actions change the group's capacity on a recurrence.
	Scheduled bool
	// TargetMetrics are the metrics of the enabled target-tracking policies: a predefined
	// metric type or "Namespace/MetricName".
	TargetMetrics []string
	// MinZero: the group's minimum size is 0.
	MinZero bool
}

// plan is what to generate for a workload.
type plan struct {
	Controller string
	Scaler     string
	// Why is one sentence saying why this shape, or why nothing is generated.
	Why string
}

// Candidate reports whether the plan generates manifests.
func (p plan) candidate() bool { return p.Controller != kindNone }

// shape decides what to generate for a workload: the one place where what a workload is
// becomes which objects describe it.
func shape(in shapeInput) plan {
	switch in.Role {
	case assess.RoleDatabase, assess.RoleCache, assess.RoleSearch, assess.RoleBroker:
		what := in.Role
		if in.DataStore != "" {
			what += ": " + in.DataStore
		}
		return plan{Why: "a data store (" + what + "): a managed service, or a StatefulSet run by the product's operator, with the data move planned on its own"}
	case assess.RoleOrchestrator:
		return plan{Why: "the nodes of an orchestrator: the cluster replaces them; what runs on them moves, not the nodes"}
	case assess.RoleCIRunner:
		return plan{Why: "CI runners: the runner's own Kubernetes executor replaces the fleet"}
	case assess.RoleBastion:
		return plan{Why: "a bastion: not a migration candidate (Session Manager or kubectl exec replace it)"}
	case assess.RoleNetwork:
		return plan{Why: "a network appliance: not a migration candidate (a managed NAT gateway or VPN replaces it)"}
	case assess.RoleWindows:
		return plan{Why: "a Windows application: kept on Auto Scaling unless it is ported"}
	}
	switch in.Recommendation {
	case assess.RecommendKeep:
		return plan{Why: "kept on its Auto Scaling group: " + in.RecommendationText}
	case assess.RecommendInsufficient:
		return plan{Why: "too little is known to say what it runs: " + in.RecommendationText}
	}
	if in.DataStore != "" {
		return plan{Why: "a data store (" + in.DataStore + "): a managed service, or a StatefulSet run by the product's operator, with the data move planned on its own"}
	}
	if in.SSHOnly {
		return plan{Why: "it serves only SSH (port 22): a bastion or file drop, not a migration candidate as it stands"}
	}

	batch := in.Role == assess.RoleBatch || (in.Role == assess.RoleGPU && !in.LoadBalanced) ||
		(in.Role == "" && !in.LoadBalanced && in.ZeroAtRest)
	if batch {
		if in.ScheduledWindow {
			return plan{Controller: kindCronJob, Why: "batch work on a schedule: scheduled actions start the group and bring it back to zero"}
		}
		return plan{Controller: kindJob, Why: "batch work: the group runs no instance until something starts it"}
	}

	p := plan{Controller: kindDeployment, Why: "a long-running service"}
	if !in.LoadBalanced {
		p.Why = "a long-running process with no load balancer in front of it"
	}
	if in.Role == assess.RoleWorker || (!in.LoadBalanced && hasCustomMetric(in.TargetMetrics)) {
		p.Why = "a worker: no load balancer, scaled on its own metric"
	}
	if in.PersistentState != "" {
		p.Controller = kindStatefulSet
		p.Why += "; its data must outlive a pod (" + in.PersistentState + ")"
	}
	switch {
	case len(in.TargetMetrics) == 0 && !in.Scheduled:
	case in.Scheduled || in.MinZero || !allCPU(in.TargetMetrics):
		// An HPA reads CPU without an adapter and never scales to zero; schedules and
		// CloudWatch metrics are KEDA's.
		p.Scaler = scaleKEDA
	default:
		p.Scaler = scaleHPA
	}
	return p
}

func allCPU(metrics []string) bool {
	for _, m := range metrics {
		if m != metricCPU {
			return false
		}
	}
	return true
}

// hasCustomMetric reports whether a metric is the team's own (a queue backlog, say),
// written "Namespace/MetricName", rather than a predefined one.
func hasCustomMetric(metrics []string) bool {
	for _, m := range metrics {
		if strings.Contains(m, "/") {
			return true
		}
	}
	return false
}
