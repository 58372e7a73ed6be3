package assess

import (
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// longBootSeconds is the health-check grace period beyond which an instance is taken to
// need a long time to become useful.
const longBootSeconds = 600

func registerElasticityRules(c *Catalogue) {
	c.Register(Rule{
		ID: "FIT-HTTP-HEALTH-CHECK", Title: "HTTP health check on an application path",
		Dimension: DimElasticity, Direction: DirHelps, Weight: 8,
		Rationale:   "An HTTP check on a path such as /health means the application can say whether it is ready; it becomes a readiness probe as is. A TCP check only proves a port is open.",
		Remediation: "Add a health endpoint that checks the application's own dependencies and point the load balancer at it.",
		Kubernetes:  "readinessProbe (httpGet) with the same path, interval and thresholds",
		check:       checkHTTPHealth,
	})
	c.Register(Rule{
		ID: "FIT-ELB-HEALTH-CHECK", Title: "Instances replaced on load balancer health, not only EC2 status",
		Dimension: DimElasticity, Direction: DirHurts, Weight: 5,
		Rationale:   "With health check type EC2 an instance whose application hangs keeps receiving traffic and is never replaced; nobody has relied on the application's own health to heal it. Kubernetes restarts containers on probe failure, so the probe must be trustworthy.",
		Remediation: "Switch the group's health check type to ELB once the health endpoint is trustworthy; carry the endpoint over as liveness and readiness probes.",
		Kubernetes:  "livenessProbe and readinessProbe",
		check:       checkELBHealth,
	})
	c.Register(Rule{
		ID: "FIT-TARGET-TRACKING", Title: "Target-tracking scaling policy",
		Dimension: DimElasticity, Direction: DirHelps, Weight: 6, NotFor: []string{RoleBatch, RoleWorker},
		Rationale:   "A target-tracking policy shows the workload scales out and in on a metric without harm, and gives the HorizontalPodAutoscaler its metric and target directly.",
		Remediation: "Prove the workload scales horizontally (run two or more instances under load) and add a target-tracking policy, or plan the HPA from load tests.",
		Kubernetes:  "HorizontalPodAutoscaler with the same metric, target, min and max",
		check:       checkTargetTracking,
	})
	c.Register(Rule{
		ID: "FIT-STEP-SCALING", Title: "Step or simple scaling policy",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 2,
		Rationale:   "Step scaling on an alarm still shows the workload scales horizontally; the alarm's metric maps to an HPA external metric or a KEDA CloudWatch scaler.",
		Remediation: "Prefer target tracking; carry the alarm's metric over as a KEDA aws-cloudwatch trigger.",
		Kubernetes:  "HPA behavior policies, or KEDA aws-cloudwatch scaler",
		check:       checkStepScaling,
	})
	c.Register(Rule{
		ID: "FIT-SPOT-TOLERANT", Title: "Spot or mixed instances (already tolerates losing instances)",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 4,
		Rationale:   "A workload already running on spot or a mix of instance types survives instances disappearing at short notice, which is how pods are treated every day.",
		Remediation: "Carry the instance mix over to a spot node group (or Karpenter NodePool) and protect the workload with a PodDisruptionBudget.",
		Kubernetes:  "Spot node group or Karpenter NodePool, plus a PodDisruptionBudget",
		check:       checkSpot,
	})
	c.Register(Rule{
		ID: "FIT-LONG-BOOT", Title: "Long boot (health-check grace period over " + strconv.Itoa(longBootSeconds/60) + " minutes)",
		Dimension: DimElasticity, Direction: DirHurts, Weight: 4,
		Rationale:   "A long grace period means instances take many minutes to become useful, so scaling reacts slowly. Containers start in seconds only if the slow part (installs, warm-up) moves into the image or is made lazy.",
		Remediation: "Find what the boot spends its time on; move installs into the image build and make warm-up lazy. Use a startupProbe for what remains.",
		Kubernetes:  "startupProbe covering the remaining warm-up",
		check:       checkLongBoot,
	})
	c.Register(Rule{
		ID: "FIT-GRACEFUL-SHUTDOWN", Title: "Graceful shutdown (terminating lifecycle hook or connection draining)",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 3,
		Rationale:   "A terminating lifecycle hook or connection draining means the workload already finishes in-flight work before it goes, which pods need at every rollout.",
		Remediation: "Carry the drain over to a preStop hook and a termination grace period at least as long as the drain.",
		Kubernetes:  "preStop hook and terminationGracePeriodSeconds",
		check:       checkGracefulShutdown,
	})
	c.Register(Rule{
		ID: "FIT-SCHEDULED-SCALING", Title: "Scheduled scaling actions",
		Dimension: DimElasticity, Direction: DirBonus, Weight: 2,
		Rationale:   "Scheduled actions show known load patterns and a workload that tolerates capacity changes on a timetable.",
		Remediation: "Carry the schedule over to a KEDA cron trigger (or a CronJob that patches replicas).",
		Kubernetes:  "KEDA cron scaler, or a CronJob patching the replica count",
		check:       checkScheduled,
	})
}

func checkHTTPHealth(s *subject) result {
	if st, why := s.lbState(); st != pass {
		return result{State: st, Detail: why}
	}
	var good, bad []inventory.Evidence
	var paths []string
	for _, tg := range s.tgs {
		hc := tg.HealthCheck
		proto := strings.ToUpper(hc.Protocol)
		if (proto == "HTTP" || proto == "HTTPS") && hc.Path != "" {
			good = append(good, tgEv(tg, "HealthCheckPath", hc.Path))
			paths = append(paths, hc.Path)
		} else if tg.Known("HealthCheckPath") && tg.Known("HealthCheckProtocol") {
			v := proto
			if v == "" {
				v = "none"
			}
			bad = append(bad, tgEv(tg, "HealthCheckProtocol", v))
		}
	}
	for _, lb := range s.classic {
		if lb.HealthCheck == nil {
			bad = append(bad, clbEv(lb, "HealthCheck.Target", "none"))
			continue
		}
		proto, rest, _ := strings.Cut(lb.HealthCheck.Target, ":")
		proto = strings.ToUpper(proto)
		if _, path, ok := strings.Cut(rest, "/"); (proto == "HTTP" || proto == "HTTPS") && ok {
			good = append(good, clbEv(lb, "HealthCheck.Target", lb.HealthCheck.Target))
			paths = append(paths, "/"+path)
		} else {
			bad = append(bad, clbEv(lb, "HealthCheck.Target", lb.HealthCheck.Target))
		}
	}
	if len(good) > 0 {
		return result{State: pass, Detail: "HTTP health check on " + strings.Join(paths, ", "), Evidence: good}
	}
	if len(bad) == 0 {
		return result{State: unknown, Detail: "the health check's path or protocol is not known from the code"}
	}
	return result{State: fail, Detail: "health checks only test that a port is open", Evidence: bad}
}

func checkELBHealth(s *subject) result {
	if st, why := s.lbState(); st == notApplicable {
		return result{State: st, Detail: why}
	}
	if !s.g.Known("HealthCheckType") {
		return result{State: unknown, Detail: "the group's health check type is not known from the code"}
	}
	t := strings.ToUpper(s.g.HealthCheckType)
	ev := []inventory.Evidence{s.groupEv("HealthCheckType", s.g.HealthCheckType)}
	switch t {
	case "ELB":
		return result{State: pass, Detail: "health check type ELB", Evidence: ev}
	case "EC2":
		return result{State: fail, Detail: "health check type EC2 behind a load balancer", Evidence: ev}
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

func checkTargetTracking(s *subject) result {
	var ev []inventory.Evidence
	var what []string
	for _, p := range s.g.ScalingPolicies {
		if p.Type != "TargetTrackingScaling" || !p.Enabled {
			continue
		}
		ev = append(ev, policyEv(s, p, "PolicyType", p.Type))
		w := p.Metric
		if p.TargetValue != nil {
			w += " = " + formatNumber(*p.TargetValue)
		}
		what = append(what, w)
	}
	if len(ev) > 0 {
		return result{State: pass, Detail: "target tracking on " + strings.Join(what, ", "), Evidence: ev}
	}
	detail := "no scaling policy"
	if n := len(s.g.ScalingPolicies); n > 0 {
		detail = "no target-tracking policy among its " + strconv.Itoa(n)
	}
	return result{State: fail, Detail: detail,
		Evidence: []inventory.Evidence{s.groupEv("ScalingPolicies", "no TargetTrackingScaling")}}
}

func checkStepScaling(s *subject) result {
	var ev []inventory.Evidence
	for _, p := range s.g.ScalingPolicies {
		if (p.Type == "StepScaling" || p.Type == "SimpleScaling") && p.Enabled {
			ev = append(ev, policyEv(s, p, "PolicyType", p.Type))
		}
	}
	if len(ev) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: strconv.Itoa(len(ev)) + " step or simple scaling", Evidence: ev}
}

// spotEvidence returns the evidence that the group buys spot capacity or mixes instance types.
func (s *subject) spotEvidence() []inventory.Evidence {
	var ev []inventory.Evidence
	if m := s.g.MixedInstances; m != nil {
		if m.OnDemandPercentageAboveBaseCapacity < 100 {
			ev = append(ev, s.groupEv("MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity", strconv.Itoa(m.OnDemandPercentageAboveBaseCapacity)))
		} else if len(m.InstanceTypes) > 1 {
			ev = append(ev, s.groupEv("MixedInstancesPolicy.LaunchTemplate.Overrides", strings.Join(m.InstanceTypes, ",")))
		}
	}
	if p := s.g.Launch.SpotPrice; p != "" {
		ev = append(ev, s.launchEv("InstanceMarketOptions.SpotOptions.MaxPrice", "SpotPrice", p))
	}
	if strings.EqualFold(s.g.Launch.MarketType, "spot") {
		ev = append(ev, s.launchEv("InstanceMarketOptions.MarketType", "SpotPrice", "spot"))
	}
	return ev
}

func checkSpot(s *subject) result {
	ev := s.spotEvidence()
	if len(ev) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: "spot or mixed instances", Evidence: ev}
}

func checkLongBoot(s *subject) result {
	if !s.g.Known("HealthCheckGracePeriod") {
		return result{State: unknown, Detail: "the group's health check grace period is not known from the code"}
	}
	g := s.g.HealthCheckGracePeriod
	if g <= 0 {
		return result{State: notApplicable}
	}
	ev := []inventory.Evidence{s.groupEv("HealthCheckGracePeriod", strconv.Itoa(g))}
	detail := strconv.Itoa(g) + "s grace period"
	if g > longBootSeconds {
		return result{State: fail, Detail: detail, Evidence: ev}
	}
	return result{State: pass, Detail: detail, Evidence: ev}
}

func checkGracefulShutdown(s *subject) result {
	var ev []inventory.Evidence
	for _, h := range s.g.LifecycleHooks {
		if strings.HasSuffix(h.Transition, "EC2_INSTANCE_TERMINATING") {
			ev = append(ev, s.groupEv("LifecycleHooks["+h.Name+"].LifecycleTransition", h.Transition))
		}
	}
	for _, lb := range s.classic {
		if lb.ConnectionDraining {
			ev = append(ev, clbEv(lb, "Attributes.ConnectionDraining.Timeout", strconv.Itoa(lb.ConnectionDrainingTimeout)))
		}
	}
	if len(ev) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: "drains before termination", Evidence: ev}
}

func checkScheduled(s *subject) result {
	var ev []inventory.Evidence
	for _, a := range s.g.ScheduledActions {
		v := a.Recurrence
		if v == "" {
			v = a.StartTime
		}
		ev = append(ev, s.groupEv("ScheduledActions["+a.Name+"].Recurrence", v))
	}
	if len(ev) == 0 {
		return result{State: notApplicable}
	}
	return result{State: pass, Detail: plural(len(ev), "scheduled action"), Evidence: ev}
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
