package assess

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// mapToKubernetes says how each part of today's setup carries over, with the numbers taken
// from the estate (min, max, targets, paths, timeouts) so the first manifests can be
// written from the report. The order is fixed: workload shape, scaling, health, shutdown,
// traffic, nodes, identity, then what the scripts showed.
func mapToKubernetes(s *subject, role Role, results []result, rules []Rule) []Mapping {
	failed := map[string]result{}
	passed := map[string]result{}
	for i, r := range rules {
		switch results[i].State {
		case fail:
			failed[r.ID] = results[i]
		case pass:
			passed[r.ID] = results[i]
		}
	}
	g := s.g
	var m []Mapping
	add := func(from, to, note string) { m = append(m, Mapping{From: from, To: to, Note: note}) }

	capacity := fmt.Sprintf("Auto Scaling group %s (min %s, desired %s, max %s)", g.Name,
		sizeText(g, "MinSize", g.MinSize), sizeText(g, "DesiredCapacity", g.DesiredCapacity), sizeText(g, "MaxSize", g.MaxSize))
	if s.fromCode != nil {
		capacity = "What " + provisionalName(s.fromCode) + " builds (no Auto Scaling group read yet: sizes unknown)"
	}
	replicas := replicaText(g)
	_, stateful := failed[RuleLocalDatabase]
	_, volumes := failed[RuleDataVolume]
	_, batch := passed[RuleBatchML]
	_, single := failed[RuleSingleton]
	firm := decisiveRole(role)
	jobs := false // the workload maps to Jobs: its schedules become CronJobs'
	switch {
	case firm && isDataStore(role.Name):
		store := storeOf(s, role.Name)
		add(capacity, store.managed+", or a StatefulSet with "+replicas+" run by "+store.operator, "the data move is planned on its own, with backup, cut-over and rollback")
	case firm && role.Name == RoleOrchestrator && role.Kind == NodeControlPlane:
		add(capacity, "The Kubernetes control plane (EKS) for scheduling; Vault or Consul kept as services the cluster uses, or replaced", "not migrated as a workload")
	case firm && role.Name == RoleOrchestrator:
		add(capacity, "EKS managed node group or Karpenter NodePool with the same instance types and bounds", "the hosts become cluster capacity; what they run moves as its own Deployments")
	case firm && role.Name == RoleBastion:
		add(capacity, "No workload: AWS Systems Manager Session Manager for hosts, kubectl exec and debug for pods", "not migrated")
	case firm && role.Name == RoleNetwork:
		target, then := networkTarget(role)
		add(capacity, "No workload: "+target, then)
	case firm && role.Name == RoleCIRunner:
		add(capacity, ciExecutor(s)+", build pods started per job", "the runner's controller replaces the group")
	case firm && role.Name == RoleBatch:
		jobs = true
		add(capacity, "Job per run, a CronJob for scheduled runs, or a KEDA ScaledJob for queued work", "batch work runs to completion instead of holding instances: never a long-running Deployment")
	case firm && role.Name == RoleWorker:
		add(capacity, "Deployment scaled by KEDA on the queue it consumes (minReplicaCount "+replicaBound(g, "MinSize", g.MinSize)+", maxReplicaCount "+replicaBound(g, "MaxSize", g.MaxSize)+")", "workers scale on the work waiting, not on CPU")
	// Batch work runs to completion whatever it keeps on disk: its volumes become the
	// Jobs' claims, not a StatefulSet's.
	case firm && role.Name == RoleGPU && noTrafficNoScaling(g):
		jobs = true
		add(capacity, "Jobs (or a queue-driven Deployment scaled by KEDA) on a GPU node pool, requesting nvidia.com/gpu"+claims(stateful || volumes), "GPU work runs to completion on nodes that offer GPUs through the device plugin")
	case batch && noTrafficNoScaling(g):
		jobs = true
		add(capacity, "Jobs (or a queue-driven Deployment scaled by KEDA) on a dedicated node pool"+claims(stateful || volumes), "batch work runs to completion instead of holding instances")
	case stateful || volumes:
		add(capacity, "StatefulSet with "+replicas+" and PersistentVolumeClaims", "state on the instance needs claimed volumes or a managed service")
	case single:
		add(capacity, "Deployment with 1 replica and strategy Recreate", "the group never runs two instances")
	default:
		add(capacity, "Deployment with "+replicas, "")
	}

	if firm && role.Name == RoleOrchestrator && role.Kind == NodeContainerHost {
		for _, m := range containerHostMappings(s) {
			add(m.From, m.To, m.Note)
		}
	}

	image := "AMI " + g.Launch.ImageID
	if g.Launch.ImageID == "" {
		image = "The instance image"
	}
	if r, ok := passed[RuleDockerPresent]; ok {
		add(image+" running Docker", "The existing container image, pushed to ECR", r.Detail)
	} else if r, ok := passed[RuleImmutableImage]; ok {
		add(image+" ("+r.Detail+")", "Container image built in CI from a Dockerfile", "the provisioning steps become Dockerfile steps")
	} else {
		add(image, "Container image built in CI from a Dockerfile", "write down how the image is put together first")
	}

	for _, p := range sortedPolicies(g.ScalingPolicies) {
		from := p.Type + " policy " + p.Name
		if p.Metric != "" {
			from += " on " + p.Metric
		}
		if p.TargetValue != nil {
			from += " = " + formatNumber(*p.TargetValue)
		}
		bounds := fmt.Sprintf("minReplicas %s, maxReplicas %s", replicaBound(g, "MinSize", g.MinSize), replicaBound(g, "MaxSize", g.MaxSize))
		switch p.Type {
		case "TargetTrackingScaling":
			add(from, "HorizontalPodAutoscaler: "+hpaMetric(p)+", "+bounds, "")
		case "StepScaling", "SimpleScaling":
			add(from, "KEDA aws-cloudwatch trigger on the alarm's metric (or HPA behavior policies), "+bounds, "step adjustments become the scaler's target and HPA behavior")
		case "PredictiveScaling":
			add(from, "HorizontalPodAutoscaler plus a KEDA cron trigger for the known daily pattern, "+bounds, "Kubernetes has no built-in predictive scaling")
		}
	}
	for _, a := range g.ScheduledActions {
		from := "Scheduled action " + a.Name
		if a.Recurrence != "" {
			from += " (" + a.Recurrence
			if a.TimeZone != "" {
				from += " " + a.TimeZone
			}
			from += ")"
		} else if a.StartTime != "" {
			from += " (at " + a.StartTime + ")"
		}
		add(scheduleMapping(a, from, jobs))
	}

	for _, tg := range s.tgs {
		hc := tg.HealthCheck
		from := fmt.Sprintf("Target group %s health check %s", tg.Name, healthLabel(hc.Protocol, hc.Port, hc.Path))
		add(from, probe(hc.Protocol, hc.Port, tg.Port, hc.Path, hc.Interval, hc.Timeout, hc.UnhealthyThreshold), "")
	}
	for _, lb := range s.classic {
		if lb.HealthCheck == nil {
			continue
		}
		hc := lb.HealthCheck
		if hc.Target == "" {
			// Infrastructure code that builds the target from a variable without a value.
			add("Classic ELB "+lb.Name+" health check (target not known)", "readinessProbe on the path and port the health check uses, once known", "")
			continue
		}
		proto, rest, _ := strings.Cut(hc.Target, ":")
		port, path, _ := strings.Cut(rest, "/")
		if path != "" {
			path = "/" + path
		}
		add("Classic ELB "+lb.Name+" health check "+hc.Target, probe(proto, port, 0, path, hc.Interval, hc.Timeout, hc.UnhealthyThreshold), "")
	}
	if strings.EqualFold(g.HealthCheckType, "ELB") && g.Known("HealthCheckType") {
		add("Health check type ELB (instances replaced when the load balancer marks them unhealthy)", "livenessProbe (restart on failure), kept looser than the readinessProbe", "")
	}
	if g.HealthCheckGracePeriod > 0 && s.hasLoadBalancer() && g.Known("HealthCheckGracePeriod") {
		add(fmt.Sprintf("Health check grace period %ds", g.HealthCheckGracePeriod),
			fmt.Sprintf("startupProbe with failureThreshold × periodSeconds ≥ %d", g.HealthCheckGracePeriod), "")
	}

	if from, grace := shutdownOf(s); from != "" {
		add(from, fmt.Sprintf("preStop hook (sleep while the load balancer deregisters the pod) and terminationGracePeriodSeconds %d", grace), "")
	}
	for _, a := range g.LifecycleHooks {
		if strings.HasSuffix(a.Transition, "EC2_INSTANCE_LAUNCHING") {
			add("Launching lifecycle hook "+a.Name, "initContainer or startupProbe for the start-up step", "")
		}
	}

	if r, ok := failed[RuleStickySessions]; ok {
		add("Load balancer stickiness ("+r.Detail+")", "External session store (ElastiCache for Redis or DynamoDB)", "ingress cookie affinity only as a stopgap")
	}
	for _, lb := range s.albs {
		listeners := listenerLabels(lb)
		switch lb.Type {
		case "network":
			add("Network Load Balancer "+lb.Name+" ("+listeners+")", "Service of type LoadBalancer (NLB via the AWS Load Balancer Controller)", "")
		default:
			add("Application Load Balancer "+lb.Name+" ("+listeners+")", "Ingress (AWS Load Balancer Controller, ALB)", "")
		}
	}
	for _, lb := range s.classic {
		var ls []string
		for _, l := range lb.Listeners {
			ls = append(ls, l.Protocol+":"+portText(l.Port)+"→"+l.InstanceProtocol+":"+portText(l.InstancePort))
		}
		add("Classic ELB "+lb.Name+" ("+strings.Join(ls, ", ")+")", "Ingress (ALB) or Service of type LoadBalancer", "the classic load balancer is retired in the move")
	}

	var gpus []string
	for _, t := range s.instanceTypes() {
		if isAcceleratorType(t) {
			gpus = append(gpus, t)
		}
	}
	if len(gpus) > 0 || len(s.facts(inventory.FactGPU)) > 0 {
		from := "GPU or accelerator instances"
		if len(gpus) > 0 {
			from += " (" + strings.Join(gpus, ", ") + ")"
		}
		add(from, "GPU node pool with the NVIDIA device plugin; pods request nvidia.com/gpu and tolerate the pool's taint", "")
	}
	if ev := s.spotEvidence(); len(ev) > 0 {
		from := "Spot or mixed instances"
		if mi := g.MixedInstances; mi != nil && len(mi.InstanceTypes) > 0 {
			from += " (" + strings.Join(mi.InstanceTypes, ", ") + fmt.Sprintf("; on-demand base %d, %d%% on-demand above base)", mi.OnDemandBaseCapacity, mi.OnDemandPercentageAboveBaseCapacity)
		}
		add(from, "Spot node group or Karpenter NodePool over the same instance types, plus a PodDisruptionBudget", "")
	}
	if g.Launch.InstanceType != "" {
		add("Instance type "+g.Launch.InstanceType, "Pod resource requests and limits sized from measured usage", "the instance size is an upper bound, not a request")
	}
	if p := g.Launch.IAMInstanceProfile; p != "" {
		add("Instance profile "+p, "Service account with IRSA or EKS Pod Identity bound to the same role", "")
	}
	if len(g.Launch.SecurityGroups) > 0 {
		sgs := append([]string(nil), g.Launch.SecurityGroups...)
		sort.Strings(sgs)
		add("Security groups "+strings.Join(sgs, ", "), "NetworkPolicy, or security groups for pods", "")
	}
	if t := g.Launch.Tenancy; t == "dedicated" || t == "host" {
		add("Tenancy "+t, "Dedicated node group with taints and tolerations", "")
	}

	for _, fm := range factMappings {
		fs := s.facts(fm.kind)
		if len(fs) == 0 {
			continue
		}
		add(fm.from+" ("+factDetails(fs)+")", fm.to, "")
	}
	return m
}

// factMappings say what each kind of script fact becomes, in report order.
var factMappings = []struct {
	kind     inventory.FactKind
	from, to string
}{
	{inventory.FactCron, "Host cron", "CronJob per entry"},
	{inventory.FactConfigStore, "Configuration from SSM or Secrets Manager", "External Secrets Operator syncing Secrets and ConfigMaps"},
	{inventory.FactEnvConfig, "Environment variables", "env and envFrom a ConfigMap"},
	{inventory.FactDataVolume, "Data volume", "PersistentVolumeClaim (EBS CSI driver)"},
	{inventory.FactNFSMount, "NFS or EFS mount", "PersistentVolume through the EFS CSI driver (ReadWriteMany)"},
	{inventory.FactS3Mount, "S3 FUSE mount", "S3 API calls from the application with the pod's IAM role"},
	{inventory.FactDatabase, "Database on the instance", "Managed service (RDS, ElastiCache, OpenSearch) or a StatefulSet"},
	{inventory.FactKernelTuning, "Kernel tuning", "Pod securityContext.sysctls, or node group configuration"},
	{inventory.FactFirewall, "Host firewall", "NetworkPolicy"},
	{inventory.FactObservability, "Observability agents", "DaemonSets run by the platform team (node exporter, OpenTelemetry collector)"},
	{inventory.FactSecret, "Secret in a script", "Secret synced from Secrets Manager, after rotation"},
	{inventory.FactWindows, "Windows", "Windows node group, if it moves at all"},
}

func sortedPolicies(ps []inventory.ScalingPolicy) []inventory.ScalingPolicy {
	out := make([]inventory.ScalingPolicy, 0, len(ps))
	for _, p := range ps {
		if p.Enabled {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// hpaMetric names the HPA metric for a target-tracking policy's predefined metric.
func hpaMetric(p inventory.ScalingPolicy) string {
	target := "the same target"
	if p.TargetValue != nil {
		target = formatNumber(*p.TargetValue)
	}
	switch p.Metric {
	case "ASGAverageCPUUtilization":
		return "resource cpu averageUtilization " + target + "%"
	case "ALBRequestCountPerTarget":
		return "requests per pod " + target + " (custom metric through KEDA or the Prometheus adapter)"
	case "ASGAverageNetworkIn", "ASGAverageNetworkOut":
		return "external metric " + p.Metric + " " + target + " (KEDA aws-cloudwatch)"
	}
	return "external metric " + p.Metric + " target " + target + " (KEDA aws-cloudwatch)"
}

func healthLabel(proto, port, path string) string {
	s := strings.ToUpper(proto)
	if port != "" && port != "traffic-port" {
		s += ":" + port
	}
	return s + path
}

// probe writes the readiness probe a load balancer health check becomes.
func probe(proto, port string, trafficPort int, path string, interval, timeout, unhealthy int) string {
	p := port
	if p == "" || p == "traffic-port" {
		p = "the container port"
		if trafficPort > 0 {
			p = strconv.Itoa(trafficPort)
		}
	}
	var b strings.Builder
	switch strings.ToUpper(proto) {
	case "HTTP", "HTTPS":
		fmt.Fprintf(&b, "readinessProbe httpGet %s on port %s", orDefault(path, "/"), p)
		if strings.EqualFold(proto, "HTTPS") {
			b.WriteString(" (scheme HTTPS)")
		}
	default:
		fmt.Fprintf(&b, "readinessProbe tcpSocket on port %s", p)
	}
	var opts []string
	if interval > 0 {
		opts = append(opts, "periodSeconds "+strconv.Itoa(interval))
	}
	if timeout > 0 {
		opts = append(opts, "timeoutSeconds "+strconv.Itoa(timeout))
	}
	if unhealthy > 0 {
		opts = append(opts, "failureThreshold "+strconv.Itoa(unhealthy))
	}
	if len(opts) > 0 {
		b.WriteString(", " + strings.Join(opts, ", "))
	}
	return b.String()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// shutdownOf describes how the group drains today and the grace period that covers it: the
// longest of the deregistration delay, connection draining and a terminating hook's timeout.
func shutdownOf(s *subject) (string, int) {
	var parts []string
	grace := 0
	for _, tg := range s.tgs {
		if v, ok := tg.Attributes["deregistration_delay.timeout_seconds"]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				parts = append(parts, fmt.Sprintf("deregistration delay %ds (%s)", n, tg.Name))
				grace = max(grace, n)
			}
		}
	}
	for _, lb := range s.classic {
		if lb.ConnectionDraining {
			parts = append(parts, fmt.Sprintf("connection draining %ds (%s)", lb.ConnectionDrainingTimeout, lb.Name))
			grace = max(grace, lb.ConnectionDrainingTimeout)
		}
	}
	for _, h := range s.g.LifecycleHooks {
		if strings.HasSuffix(h.Transition, "EC2_INSTANCE_TERMINATING") {
			parts = append(parts, fmt.Sprintf("terminating lifecycle hook %s (heartbeat %ds)", h.Name, h.HeartbeatTimeout))
			grace = max(grace, h.HeartbeatTimeout)
		}
	}
	if len(parts) == 0 {
		return "", 0
	}
	// Kubernetes' default grace period is 30s; never suggest less.
	return strings.Join(parts, "; "), max(grace, 30)
}

func listenerLabels(lb *inventory.LoadBalancer) string {
	var ls []string
	for _, l := range lb.Listeners {
		ls = append(ls, l.Protocol+":"+portText(l.Port))
	}
	sort.Strings(ls)
	return strings.Join(ls, ", ")
}

// sizeText is a group size for the reader: the number, or "unknown" where the source could
// not know it (infrastructure code taking it from a variable without a value).
func sizeText(g *inventory.AutoScalingGroup, field string, n int) string {
	if !g.Known(field) {
		return "unknown"
	}
	return strconv.Itoa(n)
}

func replicaBound(g *inventory.AutoScalingGroup, field string, n int) string {
	if !g.Known(field) {
		return "unknown"
	}
	return strconv.Itoa(max(n, 1))
}

// portText is a listener port for the reader. No load balancer listens on port 0: a 0 is
// a port the source could not know (infrastructure code taking it from a variable without
// a value), and it says so.
func portText(p int) string {
	if p <= 0 {
		return "unknown"
	}
	return strconv.Itoa(p)
}

// containerHostMappings say where what a fleet of container hosts runs goes: each image the
// hosts run or pull, and each Compose file they start. The orchestrator's own agent is
// replaced by the cluster, not carried over.
func containerHostMappings(s *subject) []Mapping {
	var out []Mapping
	seen := map[string]bool{}
	for _, f := range s.facts(inventory.FactDocker) {
		switch {
		case f.Image() != "" && !strings.ContainsAny(f.Image(), "\\$") && !seen[f.Image()]:
			seen[f.Image()] = true
			if p, ok := productOf(f.Image()); ok && p.role == RoleOrchestrator {
				out = append(out, Mapping{From: "Container " + f.Image() + " on every host (" + f.Evidence.String() + ")", To: "Nothing: the cluster's kubelet replaces the " + p.what})
				continue
			}
			out = append(out, Mapping{From: "Container " + f.Image() + " on every host (" + f.Evidence.String() + ")", To: "DaemonSet if it serves each node (logs, metrics), otherwise a Deployment of its own", Note: "run by the platform team"})
		case f.Path() != "" && strings.Contains(f.Path(), "compose") && !seen[f.Path()]:
			seen[f.Path()] = true
			out = append(out, Mapping{From: "Docker Compose file " + f.Path() + " (" + f.Evidence.String() + ")", To: "A Deployment and a Service per compose service (kompose gives a first draft)"})
		}
	}
	return out
}

// noTrafficNoScaling reports a group the code shows with no load balancer and no scaling
// policy. An empty list the code does not determine (a variable, a policy in another
// module) may hold either, and says nothing.
func noTrafficNoScaling(g *inventory.AutoScalingGroup) bool {
	return len(g.ScalingPolicies) == 0 && len(g.TargetGroupARNs)+len(g.LoadBalancerNames) == 0 &&
		g.Known("ScalingPolicies") && g.Known("TargetGroupARNs") && g.Known("LoadBalancerNames")
}

// replicaText says how many replicas the group's size calls for: its desired capacity; a
// group at rest at zero says so, with the size it scales out to, rather than a replica it
// does not run.
func replicaText(g *inventory.AutoScalingGroup) string {
	switch {
	case !g.Known("DesiredCapacity"):
		return "as many replicas as the group runs (not known from the code)"
	case g.DesiredCapacity > 0:
		return plural(g.DesiredCapacity, "replica")
	case g.Known("MaxSize") && g.MaxSize > 0:
		return "0 replicas at rest, up to " + strconv.Itoa(g.MaxSize) + " when scaled out"
	}
	return "0 replicas (the group is scaled to zero)"
}

// claims adds the volumes batch work keeps to its Jobs.
func claims(volumes bool) string {
	if volumes {
		return ", with PersistentVolumeClaims for the volumes it writes"
	}
	return ""
}

// scheduleMapping says what a scheduled action becomes. For work that runs as Jobs, the
// action that starts the group is the CronJob's schedule and the one that takes it back to
// zero is the end of a run, which Jobs reach on their own. For a long-running workload it
// is a KEDA cron trigger: a start, or the end of the window an earlier start opened.
func scheduleMapping(a inventory.ScheduledAction, from string, jobs bool) (string, string, string) {
	desired := a.DesiredCapacity
	if desired == nil {
		desired = a.MinSize
	}
	when := ""
	if a.Recurrence != "" {
		when = " \"" + a.Recurrence + "\""
	}
	if a.TimeZone != "" {
		when += " timezone " + a.TimeZone
	}
	toZero := desired != nil && *desired == 0
	switch {
	case jobs && toZero:
		return from, "End of a run: the Jobs complete on their own (activeDeadlineSeconds where a run must be over by then)", "nothing to schedule"
	case jobs:
		to := "CronJob schedule" + when
		if desired != nil {
			to += fmt.Sprintf(", parallelism %d", *desired)
		}
		return from, to, "the scheduled start becomes the CronJob's schedule"
	case toZero && a.Recurrence != "":
		return from, "KEDA cron trigger end" + when + " (the window a scheduled start opens closes here)", "or a CronJob that patches the replica count"
	}
	to := "KEDA cron trigger"
	if a.Recurrence != "" {
		to += " start" + when
	} else if a.TimeZone != "" {
		to += when
	}
	if desired != nil {
		to += fmt.Sprintf(", desiredReplicas %d", *desired)
	}
	return from, to, "or a CronJob that patches the replica count"
}
