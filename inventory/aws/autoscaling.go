package aws

import (
	"context"
	"sort"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"whyk8s/inventory"
)

// Auto Scaling page sizes: MaxRecords is at most 100 for groups, policies and scheduled
// actions (API reference).
const asgPage = 100

func (j *job) autoscaling(ctx context.Context) {
	var (
		raw       []astypes.AutoScalingGroup
		policies  []astypes.ScalingPolicy
		scheduled []astypes.ScheduledUpdateGroupAction
	)
	parallel(
		func() {
			p := autoscaling.NewDescribeAutoScalingGroupsPaginator(j.asg, &autoscaling.DescribeAutoScalingGroupsInput{MaxRecords: awssdk.Int32(asgPage)})
			j.pages(ctx, svcAutoScaling, "DescribeAutoScalingGroups", p.HasMorePages, func(ctx context.Context) error {
				out, err := p.NextPage(ctx)
				if err == nil {
					raw = append(raw, out.AutoScalingGroups...)
				}
				return err
			})
		},
		func() {
			p := autoscaling.NewDescribePoliciesPaginator(j.asg, &autoscaling.DescribePoliciesInput{MaxRecords: awssdk.Int32(asgPage)})
			j.pages(ctx, svcAutoScaling, "DescribePolicies", p.HasMorePages, func(ctx context.Context) error {
				out, err := p.NextPage(ctx)
				if err == nil {
					policies = append(policies, out.ScalingPolicies...)
				}
				return err
			})
		},
		func() {
			p := autoscaling.NewDescribeScheduledActionsPaginator(j.asg, &autoscaling.DescribeScheduledActionsInput{MaxRecords: awssdk.Int32(asgPage)})
			j.pages(ctx, svcAutoScaling, "DescribeScheduledActions", p.HasMorePages, func(ctx context.Context) error {
				out, err := p.NextPage(ctx)
				if err == nil {
					scheduled = append(scheduled, out.ScheduledUpdateGroupActions...)
				}
				return err
			})
		},
	)
	if len(raw) == 0 {
		return
	}
	groups := make([]inventory.AutoScalingGroup, len(raw))
	byName := make(map[string]*inventory.AutoScalingGroup, len(raw))
	for i := range raw {
		groups[i] = j.group(&raw[i])
		byName[groups[i].Name] = &groups[i]
	}
	for _, p := range policies {
		if g := byName[awssdk.ToString(p.AutoScalingGroupName)]; g != nil {
			g.ScalingPolicies = append(g.ScalingPolicies, scalingPolicy(&p))
		}
	}
	for _, a := range scheduled {
		if g := byName[awssdk.ToString(a.AutoScalingGroupName)]; g != nil {
			g.ScheduledActions = append(g.ScheduledActions, scheduledAction(&a))
		}
	}
	parallel(
		func() { j.lifecycleHooks(ctx, groups) },
		// Both add to the groups' Deployments: one after the other, never at once (in
		// parallel they raced on the same slices and lost one another's deployments).
		func() {
			j.codeDeploy(ctx, groups)
			j.ssmAssociations(ctx, groups)
		},
		func() {
			j.launch(ctx, groups)
			j.imagesInUse(ctx, groups)
		},
	)
	for i := range groups {
		g := &groups[i]
		sort.Slice(g.ScalingPolicies, func(a, b int) bool { return g.ScalingPolicies[a].Name < g.ScalingPolicies[b].Name })
		sort.Slice(g.ScheduledActions, func(a, b int) bool { return g.ScheduledActions[a].Name < g.ScheduledActions[b].Name })
		sort.Slice(g.LifecycleHooks, func(a, b int) bool { return g.LifecycleHooks[a].Name < g.LifecycleHooks[b].Name })
		sort.Slice(g.Deployments, func(a, b int) bool { return g.Deployments[a].Source < g.Deployments[b].Source })
	}
	j.groups = groups
}

// lifecycleHooks reads each group's hooks: the API takes one group per call and there is
// no batched form.
func (j *job) lifecycleHooks(ctx context.Context, groups []inventory.AutoScalingGroup) {
	each(ctx, len(groups), j.c.opts.concurrency(), func(i int) {
		g := &groups[i]
		j.do(ctx, svcAutoScaling, "DescribeLifecycleHooks", func(ctx context.Context) error {
			out, err := j.asg.DescribeLifecycleHooks(ctx, &autoscaling.DescribeLifecycleHooksInput{AutoScalingGroupName: awssdk.String(g.Name)})
			if err != nil {
				return err
			}
			for _, h := range out.LifecycleHooks {
				g.LifecycleHooks = append(g.LifecycleHooks, inventory.LifecycleHook{
					Name:             awssdk.ToString(h.LifecycleHookName),
					Transition:       awssdk.ToString(h.LifecycleTransition),
					HeartbeatTimeout: int(awssdk.ToInt32(h.HeartbeatTimeout)),
					DefaultResult:    awssdk.ToString(h.DefaultResult),
				})
			}
			return nil
		})
	})
}

func (j *job) group(a *astypes.AutoScalingGroup) inventory.AutoScalingGroup {
	g := inventory.AutoScalingGroup{
		ARN:                    awssdk.ToString(a.AutoScalingGroupARN),
		Name:                   awssdk.ToString(a.AutoScalingGroupName),
		Account:                j.account,
		Region:                 j.region,
		LaunchConfiguration:    awssdk.ToString(a.LaunchConfigurationName),
		MinSize:                int(awssdk.ToInt32(a.MinSize)),
		MaxSize:                int(awssdk.ToInt32(a.MaxSize)),
		DesiredCapacity:        int(awssdk.ToInt32(a.DesiredCapacity)),
		HealthCheckType:        awssdk.ToString(a.HealthCheckType),
		HealthCheckGracePeriod: int(awssdk.ToInt32(a.HealthCheckGracePeriod)),
		AvailabilityZones:      sorted(a.AvailabilityZones),
		LoadBalancerNames:      sorted(a.LoadBalancerNames),
		TargetGroupARNs:        sorted(a.TargetGroupARNs),
	}
	if a.LaunchTemplate != nil {
		g.LaunchTemplate = templateRef(a.LaunchTemplate)
	}
	if m := a.MixedInstancesPolicy; m != nil {
		mi := &inventory.MixedInstancesPolicy{}
		if lt := m.LaunchTemplate; lt != nil {
			if lt.LaunchTemplateSpecification != nil {
				mi.LaunchTemplate = templateRef(lt.LaunchTemplateSpecification)
			}
			// Override order is the priority order of on-demand capacity: kept as given.
			for _, o := range lt.Overrides {
				if t := awssdk.ToString(o.InstanceType); t != "" {
					mi.InstanceTypes = append(mi.InstanceTypes, t)
				}
			}
		}
		if d := m.InstancesDistribution; d != nil {
			mi.OnDemandBaseCapacity = int(awssdk.ToInt32(d.OnDemandBaseCapacity))
			mi.OnDemandPercentageAboveBaseCapacity = int(awssdk.ToInt32(d.OnDemandPercentageAboveBaseCapacity))
			mi.SpotAllocationStrategy = awssdk.ToString(d.SpotAllocationStrategy)
		}
		g.MixedInstances = mi
	}
	if a.CreatedTime != nil {
		g.CreatedTime = a.CreatedTime.UTC().Format(time.RFC3339)
	}
	if v := awssdk.ToString(a.VPCZoneIdentifier); v != "" {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				g.Subnets = append(g.Subnets, s)
			}
		}
		sort.Strings(g.Subnets)
	}
	if len(a.Tags) > 0 {
		g.Tags = make(map[string]string, len(a.Tags))
		for _, t := range a.Tags {
			g.Tags[awssdk.ToString(t.Key)] = awssdk.ToString(t.Value)
		}
	}
	return g
}

func templateRef(s *astypes.LaunchTemplateSpecification) *inventory.LaunchTemplateRef {
	v := awssdk.ToString(s.Version)
	if v == "" {
		// A group that names no version launches the template's default version.
		v = "$Default"
	}
	return &inventory.LaunchTemplateRef{ID: awssdk.ToString(s.LaunchTemplateId), Name: awssdk.ToString(s.LaunchTemplateName), Version: v}
}

func scalingPolicy(p *astypes.ScalingPolicy) inventory.ScalingPolicy {
	sp := inventory.ScalingPolicy{
		Name:           awssdk.ToString(p.PolicyName),
		ARN:            awssdk.ToString(p.PolicyARN),
		Type:           awssdk.ToString(p.PolicyType),
		AdjustmentType: awssdk.ToString(p.AdjustmentType),
		// A policy is enabled unless it says otherwise: AWS's default, and what an
		// older response without the field means.
		Enabled: p.Enabled == nil || *p.Enabled,
	}
	if p.ScalingAdjustment != nil {
		v := int(*p.ScalingAdjustment)
		sp.ScalingAdjustment = &v
	}
	if p.Cooldown != nil {
		v := int(*p.Cooldown)
		sp.Cooldown = &v
	}
	if t := p.TargetTrackingConfiguration; t != nil {
		sp.TargetValue = t.TargetValue
		sp.DisableScaleIn = awssdk.ToBool(t.DisableScaleIn)
		switch {
		case t.PredefinedMetricSpecification != nil:
			sp.Metric = string(t.PredefinedMetricSpecification.PredefinedMetricType)
		case t.CustomizedMetricSpecification != nil:
			c := t.CustomizedMetricSpecification
			if awssdk.ToString(c.MetricName) != "" {
				sp.Metric = awssdk.ToString(c.Namespace) + "/" + awssdk.ToString(c.MetricName)
			} else {
				sp.Metric = "metric-math"
			}
		}
	}
	if pc := p.PredictiveScalingConfiguration; pc != nil && len(pc.MetricSpecifications) > 0 {
		m := pc.MetricSpecifications[0]
		sp.TargetValue = m.TargetValue
		switch {
		case m.PredefinedMetricPairSpecification != nil:
			sp.Metric = string(m.PredefinedMetricPairSpecification.PredefinedMetricType)
		case m.PredefinedScalingMetricSpecification != nil:
			sp.Metric = string(m.PredefinedScalingMetricSpecification.PredefinedMetricType)
		}
	}
	return sp
}

func scheduledAction(a *astypes.ScheduledUpdateGroupAction) inventory.ScheduledAction {
	sa := inventory.ScheduledAction{
		Name:       awssdk.ToString(a.ScheduledActionName),
		Recurrence: awssdk.ToString(a.Recurrence),
		TimeZone:   awssdk.ToString(a.TimeZone),
	}
	if a.StartTime != nil {
		sa.StartTime = a.StartTime.UTC().Format(time.RFC3339)
	}
	if a.EndTime != nil {
		sa.EndTime = a.EndTime.UTC().Format(time.RFC3339)
	}
	sa.MinSize = intp(a.MinSize)
	sa.MaxSize = intp(a.MaxSize)
	sa.DesiredCapacity = intp(a.DesiredCapacity)
	return sa
}

func intp(v *int32) *int {
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

func sorted(vs []string) []string {
	if len(vs) == 0 {
		return nil
	}
	out := append([]string(nil), vs...)
	sort.Strings(out)
	return out
}
