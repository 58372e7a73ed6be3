package aws

import (
	"context"
	"sync"
	"sync/atomic"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"whyk8s/inventory"
)

// Service names used in coverage gaps: the SDK's package names, which tell the two load
// balancing APIs apart where their shared IAM prefix would not.
const (
	svcAutoScaling = "autoscaling"
	svcEC2         = "ec2"
	svcELB         = "elb"
	svcELBv2       = "elbv2"
	svcCodeDeploy  = "codedeploy"
	svcSSM         = "ssm"
)

// job reads one region of one account.
type job struct {
	c               *collector
	account, region string

	asg   *autoscaling.Client
	ec2   *ec2.Client
	elb   *elb.Client
	elbv2 *elbv2.Client
	cd    *codedeploy.Client
	ssm   *ssm.Client

	// disabled is set when the region turns out not to be enabled for the account: the
	// calls still to come would all fail the same way.
	disabled atomic.Bool
	mu       sync.Mutex
	// denied holds the gap of each operation refused in this region: the operation is
	// not called again, and each call skipped is counted in that gap, so the count does
	// not depend on how many calls were in flight when the first refusal came back.
	denied map[string]inventory.CoverageGap
	gaps   []inventory.CoverageGap

	groups  []inventory.AutoScalingGroup
	classic []inventory.ClassicLoadBalancer
	lbs     []inventory.LoadBalancer
	tgs     []inventory.TargetGroup
	images  []inventory.Image
}

func newJob(c *collector, cfg awssdk.Config, account, region string) *job {
	cfg.Region = region
	gate := c.withGate(account, region)
	return &job{
		c: c, account: account, region: region,
		asg:    autoscaling.NewFromConfig(cfg, func(o *autoscaling.Options) { gate(&o.APIOptions) }),
		ec2:    ec2.NewFromConfig(cfg, func(o *ec2.Options) { gate(&o.APIOptions) }),
		elb:    elb.NewFromConfig(cfg, func(o *elb.Options) { gate(&o.APIOptions) }),
		elbv2:  elbv2.NewFromConfig(cfg, func(o *elbv2.Options) { gate(&o.APIOptions) }),
		cd:     codedeploy.NewFromConfig(cfg, func(o *codedeploy.Options) { gate(&o.APIOptions) }),
		ssm:    ssm.NewFromConfig(cfg, func(o *ssm.Options) { gate(&o.APIOptions) }),
		denied: map[string]inventory.CoverageGap{},
	}
}

func (j *job) run(ctx context.Context) {
	parallel(
		func() { j.autoscaling(ctx) },
		func() { j.classicLoadBalancers(ctx) },
		func() { j.elbV2(ctx) },
	)
}

// do makes one call through fn and turns its failure into a coverage gap. It reports
// whether the call succeeded.
func (j *job) do(ctx context.Context, service, op string, fn func(context.Context) error) bool {
	if ctx.Err() != nil || j.disabled.Load() {
		return false
	}
	key := service + ":" + op
	j.mu.Lock()
	refused, ok := j.denied[key]
	if ok {
		j.gaps = append(j.gaps, refused)
	}
	j.mu.Unlock()
	if ok {
		return false
	}
	err := fn(ctx)
	if err == nil {
		j.c.reads.Add(1)
		return true
	}
	if ctx.Err() != nil {
		return false // cancelled: not a gap, the whole run is abandoned
	}
	kind, msg := classify(ctx, err)
	g := inventory.CoverageGap{Account: j.account, Region: j.region, Service: service, Operation: op, Kind: kind, Message: msg}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.gaps = append(j.gaps, g)
	switch kind {
	case inventory.GapOptIn:
		j.disabled.Store(true)
	case inventory.GapAccessDenied:
		if _, seen := j.denied[key]; !seen {
			j.denied[key] = g
		}
	}
	return false
}

// gap records a gap that is not an API error: a resource the API did not return.
func (j *job) gap(service, op, kind, msg string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.gaps = append(j.gaps, inventory.CoverageGap{Account: j.account, Region: j.region, Service: service, Operation: op, Kind: kind, Message: msg})
}

// coverage returns the region's gaps. A region not enabled for the account is one gap
// for the whole region, naming no operation: which of its calls failed before the others
// were skipped, and which error code each service used, is timing, not fact.
func (j *job) coverage() []inventory.CoverageGap {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.disabled.Load() {
		return j.gaps
	}
	return []inventory.CoverageGap{{
		Account: j.account, Region: j.region, Kind: inventory.GapOptIn,
		Message: "region not enabled for this account: its endpoints refuse the account's credentials (InvalidClientTokenId, AuthFailure or OptInRequired)",
	}}
}

// parallel runs fns at once and waits for all of them.
func parallel(fns ...func()) {
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	wg.Wait()
}

// each calls fn(i) for i in [0, n) from at most limit goroutines. The calls themselves
// are bounded globally by the gate; limit only keeps goroutines few.
func each(ctx context.Context, n, limit int, fn func(i int)) {
	if n == 0 {
		return
	}
	workers := min(n, limit)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// chunks splits vs into slices of at most size.
func chunks[T any](vs []T, size int) [][]T {
	var out [][]T
	for len(vs) > size {
		out = append(out, vs[:size:size])
		vs = vs[size:]
	}
	if len(vs) > 0 {
		out = append(out, vs)
	}
	return out
}
