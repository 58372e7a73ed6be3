package assess

import (
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// longBootSeconds is the health-check grace period beyond which an instance is taken to
// need a long time to become useful.
const longBootSeconds = 600

// The elasticity-and-health dimension's rule ids, for code elsewhere that names one of
// these rules.
const (
	RuleHTTPHealthCheck  = "FIT-HTTP-HEALTH-CHECK"
	RuleELBHealthCheck   = "FIT-ELB-HEALTH-CHECK"
	RuleTargetTracking   = "FIT-TARGET-TRACKING"
	RuleStepScaling      = "FIT-STEP-SCALING"
	RuleSpotTolerant     = "FIT-SPOT-TOLERANT"
	RuleLongBoot         = "FIT-LONG-BOOT"
	RuleGracefulShutdown = "FIT-GRACEFUL-SHUTDOWN"
	RuleScheduledScaling = "FIT-SCHEDULED-SCALING"
)

func registerElasticityRules(c *Catalogue) {
	c.Register(Rule{
		ID: RuleHTTPHealthCheck, Title: "HTTP health check on an application path",
		Dimension: DimElasticity, Direction: DirHelps, Weight: 8,
		Rationale:   "An HTTP check on a path such as /health means the application can say whether it is ready; it becomes a readiness probe as is. A TCP check only proves a port is open.",
		Remediation: "Add a health endpoint that checks the application's own dependencies and point the load balancer at it.",
		Kubernetes:  "readinessProbe (httpGet) with the same path, interval and thresholds",
		resources:   resourceReader{targetGroup: healthCheckOfTargetGroup, classic: healthCheckOfClassic},
		check:       checkHTTPHealth,
	})
	c.Register(Rule{
		ID: RuleELBHealthCheck, Title: "Instances replaced on load balancer health, not only EC2 status",
		Dimension: DimElasticity, Direction: DirHurts, Weight: 5,
		Rationale:   "With health check type EC2 an instance whose application hangs keeps receiving traffic and is never replaced; nobody has relied on the application's own health to heal it. Kubernetes restarts containers on probe failure, so the probe must be trustworthy.",
		Remediation: "Switch the group's health check type to ELB once the health endpoint is trustworthy; carry the endpoint over as liveness and readiness probes.",
		Kubernetes:  "livenessProbe and readinessProbe",
		resources:   resourceReader{group: elbHealthCheckType},
		check:       checkELBHealth,
	})
	c.Register(Rule{
		ID: RuleTargetTracking, Title: "Target-tracking scaling policy",
		Dimension: DimElasticity, Direction: DirHelps, Weight: 6, NotFor: []string{RoleBatch, RoleWorker},
		Rationale:   "A target-tracking policy shows the workload scales out and in on a metric without harm, and gives the HorizontalPodAutoscaler its metric and target directly.",
		Remediation: "Prove the workload scales horizontally (run two or more instances under load) and add a target-tracking policy, or plan the HPA from load tests.",
		Kubernetes:  "HorizontalPodAutoscaler with the same metric, target, min and max",
		resources:   resourceReader{group: targetTrackingPolicies},
		check:       checkTargetTracking,
	})
	c.Register(Rule{
		ID: RuleStepScaling, Title: "Step or simple scaling policy",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 2,
		Rationale:   "Step scaling on an alarm still shows the workload scales horizontally; the alarm's metric maps to an HPA external metric or a KEDA CloudWatch scaler.",
		Remediation: "Prefer target tracking; carry the alarm's metric over as a KEDA aws-cloudwatch trigger.",
		Kubernetes:  "HPA behavior policies, or KEDA aws-cloudwatch scaler",
		resources:   resourceReader{group: stepScalingPolicies},
		check:       checkStepScaling,
	})
	c.Register(Rule{
		ID: RuleSpotTolerant, Title: "Spot or mixed instances (already tolerates losing instances)",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 4,
		Facts:       []inventory.FactKind{inventory.FactSpot},
		Rationale:   "A workload already running on spot or a mix of instance types survives instances disappearing at short notice, which is how pods are treated every day.",
		Remediation: "Carry the instance mix over to a spot node group (or Karpenter NodePool) and protect the workload with a PodDisruptionBudget.",
		Kubernetes:  "Spot node group or Karpenter NodePool, plus a PodDisruptionBudget",
		resources:   resourceReader{group: spotCapacity},
		check:       checkSpot,
	})
	c.Register(Rule{
		ID: RuleLongBoot, Title: "Long boot (health-check grace period over " + strconv.Itoa(longBootSeconds/60) + " minutes)",
		Dimension: DimElasticity, Direction: DirHurts, Weight: 4,
		Rationale:   "A long grace period means instances take many minutes to become useful, so scaling reacts slowly. Containers start in seconds only if the slow part (installs, warm-up) moves into the image or is made lazy.",
		Remediation: "Find what the boot spends its time on; move installs into the image build and make warm-up lazy. Use a startupProbe for what remains.",
		Kubernetes:  "startupProbe covering the remaining warm-up",
		resources:   resourceReader{group: longGracePeriod},
		check:       checkLongBoot,
	})
	c.Register(Rule{
		ID: RuleGracefulShutdown, Title: "Graceful shutdown (terminating lifecycle hook or connection draining)",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 3,
		Rationale:   "A terminating lifecycle hook or connection draining means the workload already finishes in-flight work before it goes, which pods need at every rollout.",
		Remediation: "Carry the drain over to a preStop hook and a termination grace period at least as long as the drain.",
		Kubernetes:  "preStop hook and terminationGracePeriodSeconds",
		resources:   resourceReader{group: terminatingHooks, classic: connectionDraining},
		check:       checkGracefulShutdown,
	})
	c.Register(Rule{
		ID: RuleScheduledScaling, Title: "Scheduled scaling actions",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 2,
		Rationale:   "Scheduled actions show known load patterns and a workload that tolerates capacity changes on a timetable.",
		Remediation: "Carry the schedule over to a KEDA cron trigger (or a CronJob that patches replicas).",
		Kubernetes:  "KEDA cron scaler, or a CronJob patching the replica count",
		resources:   resourceReader{group: scheduledActions},
		check:       checkScheduled,
	})
}

// targetHealthFields are a target group's health check settings, by their API names.
var targetHealthFields = []string{"HealthCheckEnabled", "HealthCheckPath", "HealthCheckPort", "HealthCheckProtocol", "Matcher",
	"HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount"}

// healthCheckOfTargetGroup reads a target group's health check: favourable when it asks an
// application path over HTTP, not when it only tests a port.
func healthCheckOfTargetGroup(tg *inventory.TargetGroup) []construct {
	hc := tg.HealthCheck
	proto := strings.ToUpper(hc.Protocol)
	dflt := !written(tg.Places, targetHealthFields...)
	switch {
	case (proto == "HTTP" || proto == "HTTPS") && hc.Path != "":
		return []construct{{Kind: "health-check", Title: "HTTP health check on an application path",
			Detail: "target group " + tg.Name + ": " + healthLabel(hc.Protocol, hc.Port, hc.Path), Favourable: true, Value: hc.Path, Default: dflt,
			Evidence: []inventory.Evidence{healthEv(tg, "HealthCheckPath", hc.Path)}}}
	case !tg.Known("HealthCheckPath") || !tg.Known("HealthCheckProtocol"):
		return nil // what it asks is not known from the code
	case proto != "":
		return []construct{{Kind: "health-check", Title: "Health check that only tests that a port is open",
			Detail: "target group " + tg.Name + ": " + healthLabel(hc.Protocol, hc.Port, ""), Default: dflt,
			Evidence: []inventory.Evidence{healthEv(tg, "HealthCheckProtocol", proto)}}}
	}
	return nil
}

// healthEv is evidence of a target group's health check field, cited where the code writes
// it or, when the code leaves that field to AWS but writes other settings of the health
// check (thresholds, interval), at the first of those: where the health check is written.
func healthEv(tg *inventory.TargetGroup, field, value string) inventory.Evidence {
	ev := tgEv(tg, field, value)
	if _, ok := tg.Places[field]; ok || tg.Places == nil {
		return ev
	}
	var first inventory.Place
	for _, f := range targetHealthFields {
		if p, ok := tg.Places[f]; ok && (first.Line == 0 || p.File == first.File && p.Line < first.Line) {
			first = p
		}
	}
	if first.Line > 0 {
		ev.File, ev.Line = first.Cited()
	}
	return ev
}

// healthCheckOfClassic reads a classic load balancer's health check, as its target says.
func healthCheckOfClassic(lb *inventory.ClassicLoadBalancer) []construct {
	if lb.HealthCheck == nil || lb.HealthCheck.Target == "" {
		return nil
	}
	target := lb.HealthCheck.Target
	proto, rest, _ := strings.Cut(target, ":")
	proto = strings.ToUpper(proto)
	ev := []inventory.Evidence{clbEv(lb, "HealthCheck.Target", target)}
	dflt := !written(lb.Places, "HealthCheck", "HealthCheck.Target")
	if _, path, ok := strings.Cut(rest, "/"); (proto == "HTTP" || proto == "HTTPS") && ok {
		return []construct{{Kind: "health-check", Title: "HTTP health check on an application path",
			Detail: lb.Name + ": " + target, Favourable: true, Value: "/" + path, Default: dflt, Evidence: ev}}
	}
	return []construct{{Kind: "health-check", Title: "Health check that only tests that a port is open",
		Detail: lb.Name + ": " + target, Default: dflt, Evidence: ev}}
}

func checkHTTPHealth(s *subject, in seen) result {
	if st, why := s.lbState(); st != pass {
		return result{State: st, Detail: why}
	}
	good, bad := in.split()
	if len(good) > 0 {
		var ev []inventory.Evidence
		var paths []string
		for _, c := range good {
			ev = append(ev, c.Evidence...)
			paths = append(paths, c.Value)
		}
		return result{State: pass, Detail: "HTTP health check on " + strings.Join(paths, ", "), Evidence: ev}
	}
	var ev []inventory.Evidence
	for _, c := range bad {
		ev = append(ev, c.Evidence...)
	}
	// What no construct shows: a target group or classic load balancer without a health
	// check the code or the API states.
	for _, tg := range s.tgs {
		if len(healthCheckOfTargetGroup(tg)) == 0 && tg.Known("HealthCheckPath") && tg.Known("HealthCheckProtocol") {
			ev = append(ev, tgEv(tg, "HealthCheckProtocol", "none"))
		}
	}
	for _, lb := range s.classic {
		switch {
		case lb.HealthCheck == nil:
			ev = append(ev, clbEv(lb, "HealthCheck.Target", "none"))
		case lb.HealthCheck.Target == "":
			ev = append(ev, clbEv(lb, "HealthCheck.Target", ""))
		}
	}
	if len(ev) == 0 {
		return result{State: unknown, Detail: "the health check's path or protocol is not known from the code"}
	}
	return result{State: fail, Detail: "health checks only test that a port is open", Evidence: ev}
}

// elbHealthCheckType reads a group that replaces instances on load balancer health, and one
// whose code sets the health check type to a value it does not determine (unfavourable: it
// shows nothing yet).
func elbHealthCheckType(s *subject) []construct {
	t := strings.ToUpper(s.g.HealthCheckType)
	if _, writes := s.g.Places["HealthCheckType"]; writes && !s.g.Known("HealthCheckType") {
		return []construct{{Kind: "health-check", Title: "Health check type set from a value the code does not determine (ELB or EC2)",
			Detail: "group " + s.g.Name + ": health check type not known", Evidence: []inventory.Evidence{s.groupEv("HealthCheckType", "unknown")}}}
	}
	if !s.g.Known("HealthCheckType") || t == "" || t == "EC2" {
		return nil
	}
	return []construct{{Kind: "health-check", Title: "Instances replaced on load balancer health (health check type " + t + ")",
		Detail: "group " + s.g.Name + ": health check type " + s.g.HealthCheckType, Favourable: t == "ELB",
		Evidence: []inventory.Evidence{s.groupEv("HealthCheckType", s.g.HealthCheckType)}}}
}

func checkELBHealth(s *subject, in seen) result {
	if st, why := s.lbState(); st == notApplicable {
		return result{State: st, Detail: why}
	}
	if !s.g.Known("HealthCheckType") {
		return result{State: unknown, Detail: "the group's health check type is not known from the code"}
	}
	if good, _ := in.split(); len(good) > 0 {
		return result{State: pass, Detail: "health check type ELB", Evidence: good[0].Evidence}
	}
	if strings.EqualFold(s.g.HealthCheckType, "EC2") {
		return result{State: fail, Detail: "health check type EC2 behind a load balancer",
			Evidence: []inventory.Evidence{s.groupEv("HealthCheckType", s.g.HealthCheckType)}}
	}
	return result{State: unknown, Detail: "the group's health check type is not known"}
}

func policyEv(s *subject, p inventory.ScalingPolicy, field, value string) inventory.Evidence {
	arn := p.ARN
	if arn == "" {
		return s.groupEv("ScalingPolicies["+p.Name+"]."+field, value)
	}
	return withPlace(inventory.Evidence{ARN: arn, Field: "ScalingPolicy." + field, Value: value}, p.Places, field)
}

// targetTrackingPolicies reads the group's target-tracking policies in force.
func targetTrackingPolicies(s *subject) []construct {
	var out []construct
	for _, p := range s.g.ScalingPolicies {
		if p.Type != "TargetTrackingScaling" || !p.Enabled {
			continue
		}
		w := p.Metric
		if p.TargetValue != nil {
			w += " = " + formatNumber(*p.TargetValue)
		}
		out = append(out, construct{Kind: "scaling-policy", Title: "Target-tracking scaling policy", Detail: w,
			Evidence: []inventory.Evidence{policyEv(s, p, "PolicyType", p.Type)}})
	}
	return out
}

func checkTargetTracking(s *subject, in seen) result {
	if len(in.found) > 0 {
		var what []string
		for _, c := range in.found {
			what = append(what, c.Detail)
		}
		return result{State: pass, Detail: "target tracking on " + strings.Join(what, ", "), Evidence: in.evidence()}
	}
	// Code that adds policies in a way that was not read (a dynamic block, a count over a
	// variable, a policy in a module not given) leaves the list open: its emptiness says
	// nothing about target tracking.
	if !s.g.Known("ScalingPolicies") {
		return result{State: unknown, Detail: "the group's scaling policies are not all known from the code"}
	}
	detail := "no scaling policy"
	if n := len(s.g.ScalingPolicies); n > 0 {
		detail = "no target-tracking policy among its " + strconv.Itoa(n)
	}
	return result{State: fail, Detail: detail,
		Evidence: []inventory.Evidence{s.groupEv("ScalingPolicies", "no TargetTrackingScaling")}}
}

// stepScalingPolicies reads the group's step and simple scaling policies in force.
func stepScalingPolicies(s *subject) []construct {
	var out []construct
	for _, p := range s.g.ScalingPolicies {
		if (p.Type != "StepScaling" && p.Type != "SimpleScaling") || !p.Enabled {
			continue
		}
		title := "Step scaling policy"
		if p.Type == "SimpleScaling" {
			title = "Simple scaling policy"
		}
		out = append(out, construct{Kind: "scaling-policy", Title: title, Detail: p.Name,
			Evidence: []inventory.Evidence{policyEv(s, p, "PolicyType", p.Type)}})
	}
	return out
}

func checkStepScaling(_ *subject, in seen) result {
	if len(in.found) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: strconv.Itoa(len(in.found)) + " step or simple scaling", Evidence: in.evidence()}
}

// spotCapacity reads a group that buys spot capacity or mixes instance types, and one whose
// code may buy spot but leaves it to a value it does not determine (unfavourable: it shows
// nothing yet).
func spotCapacity(s *subject) []construct {
	const share = "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity"
	var out []construct
	if m := s.g.MixedInstances; m != nil {
		switch {
		case !s.g.Known(share):
			out = append(out, construct{Kind: "spot", Title: "Spot instances possible (the mixed instances policy's on-demand share is not known from the code)",
				// The distribution as a whole decides, and the code leaves it open.
				Detail: "on-demand share above the base capacity not known", Evidence: []inventory.Evidence{s.groupEv("MixedInstancesPolicy.InstancesDistribution", "unknown")}})
		case m.OnDemandPercentageAboveBaseCapacity < 100:
			v := strconv.Itoa(m.OnDemandPercentageAboveBaseCapacity)
			out = append(out, construct{Kind: "spot", Title: "Spot instances in a mixed instances policy", Favourable: true,
				Detail: v + "% on demand above the base capacity", Evidence: []inventory.Evidence{s.groupEv(share, v)}})
		case len(m.InstanceTypes) > 1:
			v := strings.Join(m.InstanceTypes, ",")
			out = append(out, construct{Kind: "mixed-instances", Title: "Mixed instance types (a mixed instances policy)", Detail: v, Favourable: true,
				Evidence: []inventory.Evidence{s.groupEv("MixedInstancesPolicy.LaunchTemplate.Overrides", v)}})
		}
	}
	if s.g.MixedInstances == nil && !s.g.Known("MixedInstancesPolicy") {
		out = append(out, construct{Kind: "spot", Title: "Spot instances possible (whether the group has a mixed instances policy depends on a value the code does not determine)",
			Detail: "mixed instances policy depends on a value not known", Evidence: []inventory.Evidence{s.groupEv("MixedInstancesPolicy", "unknown")}})
	}
	l := &s.g.Launch
	if l.MarketType == "" && !l.Known("InstanceMarketOptions") {
		out = append(out, construct{Kind: "spot", Title: "Spot instances possible (whether the launch template asks for spot depends on a value the code does not determine)",
			Detail: "market options depend on a value not known", Evidence: []inventory.Evidence{s.launchEv("InstanceMarketOptions", "SpotPrice", "unknown")}})
	}
	if p := l.SpotPrice; p != "" {
		out = append(out, construct{Kind: "spot", Title: "Spot instances (a spot price is set)", Detail: "spot price " + p, Favourable: true,
			Evidence: []inventory.Evidence{s.launchEv("InstanceMarketOptions.SpotOptions.MaxPrice", "SpotPrice", p)}})
	}
	switch _, writes := l.Places["InstanceMarketOptions.MarketType"]; {
	case strings.EqualFold(l.MarketType, "spot"):
		out = append(out, construct{Kind: "spot", Title: "Spot instances (market type spot)", Detail: "market type spot", Favourable: true,
			Evidence: []inventory.Evidence{s.launchEv("InstanceMarketOptions.MarketType", "SpotPrice", "spot")}})
	case writes && !l.Known("InstanceMarketOptions.MarketType"):
		out = append(out, construct{Kind: "spot", Title: "Spot instances possible (the market type is not known from the code)", Detail: "market type not known",
			Evidence: []inventory.Evidence{s.launchEv("InstanceMarketOptions.MarketType", "SpotPrice", "unknown")}})
	}
	return out
}

// spotEvidence returns the evidence that the group buys spot capacity or mixes instance types.
func (s *subject) spotEvidence() []inventory.Evidence {
	good, _ := seen{found: spotCapacity(s)}.split()
	return seen{found: good}.evidence()
}

func checkSpot(_ *subject, in seen) result {
	good, maybe := in.split()
	switch {
	case len(good) > 0:
		return result{State: pass, Detail: "spot or mixed instances", Evidence: seen{found: good}.evidence()}
	case len(maybe) > 0:
		return result{State: unknown, Detail: "whether the group buys spot capacity depends on a value the code does not determine"}
	}
	return result{State: notApplicable}
}

// longGracePeriod reads a health-check grace period longer than a long boot.
func longGracePeriod(s *subject) []construct {
	g := s.g.HealthCheckGracePeriod
	if !s.g.Known("HealthCheckGracePeriod") || g <= longBootSeconds {
		return nil
	}
	return []construct{{Kind: "boot-time", Title: "Long boot (health-check grace period over " + strconv.Itoa(longBootSeconds/60) + " minutes)",
		Detail: strconv.Itoa(g) + "s grace period", Evidence: []inventory.Evidence{s.groupEv("HealthCheckGracePeriod", strconv.Itoa(g))}}}
}

func checkLongBoot(s *subject, in seen) result {
	if !s.g.Known("HealthCheckGracePeriod") {
		return result{State: unknown, Detail: "the group's health check grace period is not known from the code"}
	}
	if len(in.found) > 0 {
		return result{State: fail, Detail: in.found[0].Detail, Evidence: in.evidence()}
	}
	g := s.g.HealthCheckGracePeriod
	if g <= 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: strconv.Itoa(g) + "s grace period",
		Evidence: []inventory.Evidence{s.groupEv("HealthCheckGracePeriod", strconv.Itoa(g))}}
}

// terminatingHooks reads the group's lifecycle hooks on termination.
func terminatingHooks(s *subject) []construct {
	var out []construct
	for _, h := range s.g.LifecycleHooks {
		if strings.HasSuffix(h.Transition, "EC2_INSTANCE_TERMINATING") {
			out = append(out, construct{Kind: "lifecycle-hook", Title: "Lifecycle hook on termination (drains before the instance goes)", Detail: h.Name,
				Evidence: []inventory.Evidence{s.groupEv("LifecycleHooks["+h.Name+"].LifecycleTransition", h.Transition)}})
		}
	}
	return out
}

// connectionDraining reads a classic load balancer that drains connections.
func connectionDraining(lb *inventory.ClassicLoadBalancer) []construct {
	if !lb.ConnectionDraining {
		return nil
	}
	v := strconv.Itoa(lb.ConnectionDrainingTimeout)
	return []construct{{Kind: "connection-draining", Title: "Connection draining on a classic load balancer", Detail: lb.Name + ": " + v + "s",
		Evidence: []inventory.Evidence{clbEv(lb, "Attributes.ConnectionDraining.Timeout", v)}}}
}

func checkGracefulShutdown(_ *subject, in seen) result {
	if len(in.found) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: "drains before termination", Evidence: in.evidence()}
}

// scheduledActions reads the group's scheduled scaling actions.
func scheduledActions(s *subject) []construct {
	var out []construct
	for _, a := range s.g.ScheduledActions {
		v := a.Recurrence
		if v == "" {
			v = a.StartTime
		}
		detail := a.Name
		if v != "" {
			detail += " (" + v + ")"
		}
		// The action is cited where it is declared: it is a resource of its own.
		out = append(out, construct{Kind: "scheduled-action", Title: "Scheduled scaling action", Detail: detail,
			Evidence: []inventory.Evidence{s.groupEv("ScheduledActions["+a.Name+"]", v)}})
	}
	return out
}

func checkScheduled(_ *subject, in seen) result {
	if len(in.found) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: plural(len(in.found), "scheduled action"), Evidence: in.evidence()}
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
