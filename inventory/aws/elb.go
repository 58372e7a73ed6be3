package aws

import (
	"context"
	"sort"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"whyk8s/inventory"
)

const (
	// Load balancer, listener and target group pages hold at most 400 (API reference).
	elbPage = 400
	// DescribeTags takes at most 20 load balancer names or resource ARNs.
	elbTagBatch = 20
)

// pages calls next until the paginator is done or a call fails.
func (j *job) pages(ctx context.Context, service, op string, more func() bool, next func(context.Context) error) {
	for more() && j.do(ctx, service, op, next) {
	}
}

func (j *job) classicLoadBalancers(ctx context.Context) {
	var raw []elbtypes.LoadBalancerDescription
	p := elb.NewDescribeLoadBalancersPaginator(j.elb, &elb.DescribeLoadBalancersInput{PageSize: awssdk.Int32(elbPage)})
	j.pages(ctx, svcELB, "DescribeLoadBalancers", p.HasMorePages, func(ctx context.Context) error {
		out, err := p.NextPage(ctx)
		if err == nil {
			raw = append(raw, out.LoadBalancerDescriptions...)
		}
		return err
	})
	if len(raw) == 0 {
		return
	}
	lbs := make([]inventory.ClassicLoadBalancer, len(raw))
	hasPolicies := make([]bool, len(raw))
	for i := range raw {
		lbs[i], hasPolicies[i] = j.classicLB(&raw[i])
	}
	// Attributes and policies are per load balancer; there is no batched form. A load
	// balancer whose description lists no policy has none to describe.
	type task struct {
		i        int
		policies bool
	}
	var tasks []task
	for i := range lbs {
		tasks = append(tasks, task{i, false})
		if hasPolicies[i] {
			tasks = append(tasks, task{i, true})
		}
	}
	batches := chunks(indexes(len(lbs)), elbTagBatch)
	parallel(
		func() {
			each(ctx, len(tasks), j.c.opts.concurrency(), func(k int) {
				t := tasks[k]
				lb := &lbs[t.i]
				if t.policies {
					j.do(ctx, svcELB, "DescribeLoadBalancerPolicies", func(ctx context.Context) error {
						out, err := j.elb.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: awssdk.String(lb.Name)})
						if err != nil {
							return err
						}
						for _, d := range out.PolicyDescriptions {
							cp := inventory.ClassicPolicy{Name: awssdk.ToString(d.PolicyName), Type: awssdk.ToString(d.PolicyTypeName)}
							for _, a := range d.PolicyAttributeDescriptions {
								if cp.Attributes == nil {
									cp.Attributes = map[string]string{}
								}
								cp.Attributes[awssdk.ToString(a.AttributeName)] = awssdk.ToString(a.AttributeValue)
							}
							lb.Policies = append(lb.Policies, cp)
						}
						sort.Slice(lb.Policies, func(a, b int) bool { return lb.Policies[a].Name < lb.Policies[b].Name })
						return nil
					})
					return
				}
				j.do(ctx, svcELB, "DescribeLoadBalancerAttributes", func(ctx context.Context) error {
					out, err := j.elb.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: awssdk.String(lb.Name)})
					if err != nil {
						return err
					}
					if a := out.LoadBalancerAttributes; a != nil {
						if a.ConnectionDraining != nil {
							lb.ConnectionDraining = a.ConnectionDraining.Enabled
							lb.ConnectionDrainingTimeout = int(awssdk.ToInt32(a.ConnectionDraining.Timeout))
						}
						if a.CrossZoneLoadBalancing != nil {
							lb.CrossZone = a.CrossZoneLoadBalancing.Enabled
						}
						if a.ConnectionSettings != nil {
							lb.IdleTimeout = int(awssdk.ToInt32(a.ConnectionSettings.IdleTimeout))
						}
					}
					return nil
				})
			})
		},
		func() {
			each(ctx, len(batches), j.c.opts.concurrency(), func(k int) {
				batch := batches[k]
				names := make([]string, len(batch))
				for n, i := range batch {
					names[n] = lbs[i].Name
				}
				j.do(ctx, svcELB, "DescribeTags", func(ctx context.Context) error {
					out, err := j.elb.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: names})
					if err != nil {
						return err
					}
					byName := map[string][]elbtypes.Tag{}
					for _, d := range out.TagDescriptions {
						byName[awssdk.ToString(d.LoadBalancerName)] = d.Tags
					}
					for _, i := range batch {
						for _, t := range byName[lbs[i].Name] {
							if lbs[i].Tags == nil {
								lbs[i].Tags = map[string]string{}
							}
							lbs[i].Tags[awssdk.ToString(t.Key)] = awssdk.ToString(t.Value)
						}
					}
					return nil
				})
			})
		},
	)
	j.classic = lbs
}

// classicLB converts a classic load balancer's description and says whether it has
// policies to describe.
func (j *job) classicLB(d *elbtypes.LoadBalancerDescription) (inventory.ClassicLoadBalancer, bool) {
	lb := inventory.ClassicLoadBalancer{
		Name:    awssdk.ToString(d.LoadBalancerName),
		Account: j.account,
		Region:  j.region,
		DNSName: awssdk.ToString(d.DNSName),
		Scheme:  awssdk.ToString(d.Scheme),
	}
	for _, ld := range d.ListenerDescriptions {
		if ld.Listener == nil {
			continue
		}
		l := ld.Listener
		lb.Listeners = append(lb.Listeners, inventory.ClassicListener{
			Protocol:         awssdk.ToString(l.Protocol),
			Port:             int(l.LoadBalancerPort),
			InstanceProtocol: awssdk.ToString(l.InstanceProtocol),
			InstancePort:     int(awssdk.ToInt32(l.InstancePort)),
			SSLCertificateID: awssdk.ToString(l.SSLCertificateId),
			PolicyNames:      sorted(ld.PolicyNames),
		})
	}
	sort.SliceStable(lb.Listeners, func(a, b int) bool { return lb.Listeners[a].Port < lb.Listeners[b].Port })
	if h := d.HealthCheck; h != nil {
		lb.HealthCheck = &inventory.ClassicHealthCheck{
			Target:             awssdk.ToString(h.Target),
			Interval:           int(awssdk.ToInt32(h.Interval)),
			Timeout:            int(awssdk.ToInt32(h.Timeout)),
			HealthyThreshold:   int(awssdk.ToInt32(h.HealthyThreshold)),
			UnhealthyThreshold: int(awssdk.ToInt32(h.UnhealthyThreshold)),
		}
	}
	has := false
	if p := d.Policies; p != nil {
		has = len(p.AppCookieStickinessPolicies)+len(p.LBCookieStickinessPolicies)+len(p.OtherPolicies) > 0
	}
	return lb, has
}

func (j *job) elbV2(ctx context.Context) {
	var rawLBs []elbv2types.LoadBalancer
	var rawTGs []elbv2types.TargetGroup
	parallel(
		func() {
			p := elbv2.NewDescribeLoadBalancersPaginator(j.elbv2, &elbv2.DescribeLoadBalancersInput{PageSize: awssdk.Int32(elbPage)})
			j.pages(ctx, svcELBv2, "DescribeLoadBalancers", p.HasMorePages, func(ctx context.Context) error {
				out, err := p.NextPage(ctx)
				if err == nil {
					rawLBs = append(rawLBs, out.LoadBalancers...)
				}
				return err
			})
		},
		func() {
			p := elbv2.NewDescribeTargetGroupsPaginator(j.elbv2, &elbv2.DescribeTargetGroupsInput{PageSize: awssdk.Int32(elbPage)})
			j.pages(ctx, svcELBv2, "DescribeTargetGroups", p.HasMorePages, func(ctx context.Context) error {
				out, err := p.NextPage(ctx)
				if err == nil {
					rawTGs = append(rawTGs, out.TargetGroups...)
				}
				return err
			})
		},
	)
	lbs := make([]inventory.LoadBalancer, len(rawLBs))
	for i, l := range rawLBs {
		lbs[i] = inventory.LoadBalancer{
			ARN:     awssdk.ToString(l.LoadBalancerArn),
			Name:    awssdk.ToString(l.LoadBalancerName),
			Account: j.account,
			Region:  j.region,
			Type:    string(l.Type),
			Scheme:  string(l.Scheme),
			DNSName: awssdk.ToString(l.DNSName),
		}
	}
	tgs := make([]inventory.TargetGroup, len(rawTGs))
	for i := range rawTGs {
		tgs[i] = j.targetGroup(&rawTGs[i])
	}
	// Tags are read 20 ARNs a call, load balancers and target groups mixed.
	type tagged struct{ tags *map[string]string }
	var arns []string
	var owners []tagged
	for i := range lbs {
		arns = append(arns, lbs[i].ARN)
		owners = append(owners, tagged{&lbs[i].Tags})
	}
	for i := range tgs {
		arns = append(arns, tgs[i].ARN)
		owners = append(owners, tagged{&tgs[i].Tags})
	}
	batches := chunks(indexes(len(arns)), elbTagBatch)
	limit := j.c.opts.concurrency()
	parallel(
		func() { each(ctx, len(lbs), limit, func(i int) { j.listeners(ctx, &lbs[i]) }) },
		func() {
			each(ctx, len(tgs), limit, func(i int) {
				tg := &tgs[i]
				j.do(ctx, svcELBv2, "DescribeTargetGroupAttributes", func(ctx context.Context) error {
					out, err := j.elbv2.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: awssdk.String(tg.ARN)})
					if err != nil {
						return err
					}
					for _, a := range out.Attributes {
						if tg.Attributes == nil {
							tg.Attributes = map[string]string{}
						}
						tg.Attributes[awssdk.ToString(a.Key)] = awssdk.ToString(a.Value)
					}
					return nil
				})
			})
		},
		func() {
			each(ctx, len(batches), limit, func(k int) {
				batch := batches[k]
				in := &elbv2.DescribeTagsInput{ResourceArns: make([]string, len(batch))}
				for n, i := range batch {
					in.ResourceArns[n] = arns[i]
				}
				j.do(ctx, svcELBv2, "DescribeTags", func(ctx context.Context) error {
					out, err := j.elbv2.DescribeTags(ctx, in)
					if err != nil {
						return err
					}
					byARN := map[string][]elbv2types.Tag{}
					for _, d := range out.TagDescriptions {
						byARN[awssdk.ToString(d.ResourceArn)] = d.Tags
					}
					for _, i := range batch {
						for _, t := range byARN[arns[i]] {
							m := owners[i].tags
							if *m == nil {
								*m = map[string]string{}
							}
							(*m)[awssdk.ToString(t.Key)] = awssdk.ToString(t.Value)
						}
					}
					return nil
				})
			})
		},
	)
	j.lbs, j.tgs = lbs, tgs
}

// listeners reads one load balancer's listeners: DescribeListeners takes one load
// balancer per call.
func (j *job) listeners(ctx context.Context, lb *inventory.LoadBalancer) {
	p := elbv2.NewDescribeListenersPaginator(j.elbv2, &elbv2.DescribeListenersInput{LoadBalancerArn: awssdk.String(lb.ARN), PageSize: awssdk.Int32(elbPage)})
	j.pages(ctx, svcELBv2, "DescribeListeners", p.HasMorePages, func(ctx context.Context) error {
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, l := range out.Listeners {
			li := inventory.Listener{
				ARN:       awssdk.ToString(l.ListenerArn),
				Port:      int(awssdk.ToInt32(l.Port)),
				Protocol:  string(l.Protocol),
				SSLPolicy: awssdk.ToString(l.SslPolicy),
			}
			var tgs []string
			for _, a := range l.DefaultActions {
				if a.Type != elbv2types.ActionTypeEnumForward {
					continue
				}
				if arn := awssdk.ToString(a.TargetGroupArn); arn != "" {
					tgs = append(tgs, arn)
				}
				if a.ForwardConfig != nil {
					for _, t := range a.ForwardConfig.TargetGroups {
						tgs = append(tgs, awssdk.ToString(t.TargetGroupArn))
					}
				}
			}
			li.TargetGroupARNs = dedupeSorted(tgs)
			lb.Listeners = append(lb.Listeners, li)
		}
		return nil
	})
	sort.SliceStable(lb.Listeners, func(a, b int) bool {
		if lb.Listeners[a].Port != lb.Listeners[b].Port {
			return lb.Listeners[a].Port < lb.Listeners[b].Port
		}
		return lb.Listeners[a].ARN < lb.Listeners[b].ARN
	})
}

func (j *job) targetGroup(t *elbv2types.TargetGroup) inventory.TargetGroup {
	tg := inventory.TargetGroup{
		ARN:              awssdk.ToString(t.TargetGroupArn),
		Name:             awssdk.ToString(t.TargetGroupName),
		Account:          j.account,
		Region:           j.region,
		Protocol:         string(t.Protocol),
		Port:             int(awssdk.ToInt32(t.Port)),
		TargetType:       string(t.TargetType),
		LoadBalancerARNs: sorted(t.LoadBalancerArns),
		HealthCheck: inventory.TargetHealthCheck{
			// Health checks are on for instance and IP targets whether or not the
			// response says so; only a Lambda target group has them off by default.
			Enabled:            awssdk.ToBool(t.HealthCheckEnabled) || t.HealthCheckEnabled == nil && t.TargetType != elbv2types.TargetTypeEnumLambda,
			Protocol:           string(t.HealthCheckProtocol),
			Port:               awssdk.ToString(t.HealthCheckPort),
			Path:               awssdk.ToString(t.HealthCheckPath),
			Interval:           int(awssdk.ToInt32(t.HealthCheckIntervalSeconds)),
			Timeout:            int(awssdk.ToInt32(t.HealthCheckTimeoutSeconds)),
			HealthyThreshold:   int(awssdk.ToInt32(t.HealthyThresholdCount)),
			UnhealthyThreshold: int(awssdk.ToInt32(t.UnhealthyThresholdCount)),
		},
	}
	if m := t.Matcher; m != nil {
		tg.HealthCheck.Matcher = awssdk.ToString(m.HttpCode)
		if tg.HealthCheck.Matcher == "" {
			tg.HealthCheck.Matcher = awssdk.ToString(m.GrpcCode)
		}
	}
	return tg
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
