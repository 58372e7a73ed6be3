package manifests

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// scaler writes the HorizontalPodAutoscaler or KEDA ScaledObject the plan calls for, with
// the group's own minimum, maximum and targets. Sizes the code leaves unknown are not
// guessed: the README says the scaler is missing and why.
func (b *bundle) scaler() {
	g := b.w.g
	if b.plan.Scaler == scaleNone {
		for _, p := range g.ScalingPolicies {
			if p.Type == "StepScaling" || p.Type == "SimpleScaling" {
				b.gaps = append(b.gaps, fmt.Sprintf("%s policy %s scales on a CloudWatch alarm whose metric is not read: write a KEDA aws-cloudwatch trigger or an HPA on that metric (min %d, max %d)", p.Type, p.Name, g.MinSize, g.MaxSize))
			}
		}
		return
	}
	if !g.Known("MinSize") || !g.Known("MaxSize") {
		b.gaps = append(b.gaps, "no "+b.plan.Scaler+" is written: the group's minimum or maximum size is not known from the code")
		return
	}
	if b.plan.Scaler == scaleHPA {
		b.hpa()
		return
	}
	b.scaledObject()
}

func (b *bundle) target() (string, string) {
	if b.plan.Controller == kindStatefulSet {
		return "apps/v1", "StatefulSet"
	}
	return "apps/v1", "Deployment"
}

// targetTracking returns the enabled target-tracking policies with a metric and target.
func (b *bundle) targetTracking() []inventory.ScalingPolicy {
	var out []inventory.ScalingPolicy
	for _, p := range b.w.g.ScalingPolicies {
		if p.Type == "TargetTrackingScaling" && p.Enabled && p.Metric != "" && p.TargetValue != nil {
			out = append(out, p)
		}
	}
	return out
}

func (b *bundle) policyEv(p inventory.ScalingPolicy, field, value string) inventory.Evidence {
	arn := p.ARN
	if arn == "" {
		arn = b.w.g.ID() + " policy " + p.Name
	}
	return inventory.Evidence{ARN: arn, Field: "ScalingPolicy." + field, Value: value}
}

func (b *bundle) hpa() {
	g := b.w.g
	apiVersion, kind := b.target()
	o := &object{File: "hpa.yaml", Kind: "HorizontalPodAutoscaler", Name: b.app}
	h := &autoscalingv2.HorizontalPodAutoscaler{TypeMeta: metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: b.meta(b.app), Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: apiVersion, Kind: kind, Name: b.app},
			MinReplicas:    ptr(int32(g.MinSize)), MaxReplicas: int32(g.MaxSize)}}
	o.from("spec.minReplicas", assess.RuleTargetTracking, "the group's minimum size", b.w.groupEv("MinSize", strconv.Itoa(g.MinSize)))
	o.from("spec.maxReplicas", assess.RuleTargetTracking, "the group's maximum size", b.w.groupEv("MaxSize", strconv.Itoa(g.MaxSize)))
	for i, p := range b.targetTracking() {
		v := int32(*p.TargetValue)
		h.Spec.Metrics = append(h.Spec.Metrics, autoscalingv2.MetricSpec{Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{Name: "cpu", Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: &v}}})
		o.from(fmt.Sprintf("spec.metrics[%d]", i), assess.RuleTargetTracking,
			"the policy's target; utilisation is measured against the container's cpu request, which is still to fill in",
			b.policyEv(p, "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType", p.Metric),
			b.policyEv(p, "TargetTrackingConfiguration.TargetValue", formatNumber(*p.TargetValue)))
	}
	o.Obj = h
	b.add(o)
}

func (b *bundle) scaledObject() {
	g := b.w.g
	apiVersion, kind := b.target()
	o := &object{File: "scaledobject.yaml", Kind: "ScaledObject", Name: b.app}
	s := &scaledObject{TypeMeta: metav1.TypeMeta{APIVersion: "keda.sh/v1alpha1", Kind: "ScaledObject"}, ObjectMeta: b.meta(b.app),
		Spec: scaledObjectSpec{ScaleTargetRef: scaleTarget{APIVersion: apiVersion, Kind: kind, Name: b.app},
			MinReplicaCount: ptr(int32(g.MinSize)), MaxReplicaCount: ptr(int32(g.MaxSize))}}
	o.from("spec.minReplicaCount", assess.RuleTargetTracking, "the group's minimum size", b.w.groupEv("MinSize", strconv.Itoa(g.MinSize)))
	o.from("spec.maxReplicaCount", assess.RuleTargetTracking, "the group's maximum size", b.w.groupEv("MaxSize", strconv.Itoa(g.MaxSize)))
	onlyResource := true
	for _, p := range b.targetTracking() {
		i := len(s.Spec.Triggers)
		path := fmt.Sprintf("spec.triggers[%d]", i)
		target := formatNumber(*p.TargetValue)
		metricEv := b.policyEv(p, "TargetTrackingConfiguration.Metric", p.Metric)
		targetEv := b.policyEv(p, "TargetTrackingConfiguration.TargetValue", target)
		switch {
		case p.Metric == metricCPU:
			s.Spec.Triggers = append(s.Spec.Triggers, trigger{Type: "cpu", MetricType: "Utilization", Metadata: map[string]string{"value": target}})
			o.from(path, assess.RuleTargetTracking, "the policy's target; utilisation is measured against the container's cpu request, which is still to fill in", metricEv, targetEv)
		case p.Metric == "ALBRequestCountPerTarget":
			onlyResource = false
			s.Spec.Triggers = append(s.Spec.Triggers, trigger{Type: "aws-cloudwatch", Metadata: map[string]string{
				"namespace": "AWS/ApplicationELB", "metricName": "RequestCountPerTarget", "dimensionName": "TargetGroup",
				"dimensionValue": Placeholder, "targetMetricValue": target, "awsRegion": g.Region}})
			o.from(path, assess.RuleTargetTracking, "the policy's metric and target, requests per pod", metricEv, targetEv)
			o.fill(path+".metadata.dimensionValue", "the target group the cluster's load balancer creates for this Service (or scale on the ingress controller's request rate through a prometheus trigger)")
		case strings.Contains(p.Metric, "/"):
			onlyResource = false
			ns, name := p.Metric[:strings.LastIndex(p.Metric, "/")], p.Metric[strings.LastIndex(p.Metric, "/")+1:]
			s.Spec.Triggers = append(s.Spec.Triggers, trigger{Type: "aws-cloudwatch", Metadata: map[string]string{
				"namespace": ns, "metricName": name, "targetMetricValue": target, "awsRegion": g.Region}})
			o.from(path, assess.RuleTargetTracking, "the policy's own CloudWatch metric and target; add dimensionName and dimensionValue if the metric has dimensions, and an authenticationRef (KEDA's aws pod identity) so KEDA may read it", metricEv, targetEv)
		default:
			b.gaps = append(b.gaps, "target-tracking policy "+p.Name+" scales on "+p.Metric+", which has no counterpart in the cluster: choose a metric the pods expose")
		}
	}
	for _, tr := range b.cronTriggers(o, len(s.Spec.Triggers)) {
		s.Spec.Triggers = append(s.Spec.Triggers, tr)
		onlyResource = false
	}
	if len(s.Spec.Triggers) == 0 {
		b.gaps = append(b.gaps, "no ScaledObject is written: none of the group's scaling could be carried over")
		return
	}
	if g.MinSize == 0 && onlyResource {
		b.gaps = append(b.gaps, "the group's minimum is 0, but KEDA scales from zero only on an event or schedule trigger, not on cpu: add one, or raise minReplicaCount")
	}
	o.Obj = s
	b.add(o)
}

// cronTriggers turns the schedule into KEDA cron windows: each action that raises capacity
// starts a window, the next action that lowers it ends it.
func (b *bundle) cronTriggers(o *object, first int) []trigger {
	var out []trigger
	g := b.w.g
	ch := scheduledChanges(g.ScheduledActions)
	if len(ch) == 0 {
		return nil
	}
	up, down := scheduleWindow(g.ScheduledActions)
	if up == nil {
		var names []string
		for _, a := range ch {
			names = append(names, a.Name)
		}
		b.gaps = append(b.gaps, "scheduled actions "+strings.Join(names, ", ")+" do not make one window (one action up, one down): write KEDA cron triggers for them by hand")
		return nil
	}
	n := capacityOf(*up)
	md := map[string]string{"start": up.Recurrence, "end": down.Recurrence, "desiredReplicas": strconv.Itoa(n)}
	tz := up.TimeZone
	if tz == "" {
		tz = "Etc/UTC" // Auto Scaling reads a recurrence without a time zone as UTC.
	}
	md["timezone"] = tz
	out = append(out, trigger{Type: "cron", Metadata: md})
	path := fmt.Sprintf("spec.triggers[%d]", first)
	replicas := "replicas"
	if n == 1 {
		replicas = "replica"
	}
	o.from(path, assess.RuleScheduledScaling, fmt.Sprintf("scheduled actions %s and %s: %d %s between them, the group's minimum outside", up.Name, down.Name, n, replicas),
		b.w.groupEv("ScheduledActions."+up.Name+".Recurrence", up.Recurrence),
		b.w.groupEv("ScheduledActions."+up.Name+".DesiredCapacity", strconv.Itoa(n)),
		b.w.groupEv("ScheduledActions."+down.Name+".Recurrence", down.Recurrence))
	return out
}

// windowSeconds is how long after a start the end schedule comes, both standard five-field
// cron expressions, measured from a fixed date so the answer does not depend on when it is
// asked; 0 when either cannot be read.
func windowSeconds(start, end string) int {
	s, err1 := cron.ParseStandard(start)
	e, err2 := cron.ParseStandard(end)
	if err1 != nil || err2 != nil {
		return 0
	}
	ref := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	t0 := s.Next(ref)
	if t0.IsZero() {
		return 0
	}
	t1 := e.Next(t0)
	if t1.IsZero() {
		return 0
	}
	return int(t1.Sub(t0) / time.Second)
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
