package aws

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"
)

// gate is what every attempt of every call passes through: the rate limit of its account,
// region and service, the global bound on calls in flight, and the per-attempt timeout.
// It sits after the SDK's retry middleware, so retries are limited and counted like
// first attempts and a retry waiting out its backoff holds no slot.
type gate struct {
	slots    chan struct{}
	timeout  time.Duration
	rate     float64
	burst    int
	calls    atomic.Int64
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

func newGate(opts *Options) *gate {
	return &gate{
		slots:    make(chan struct{}, opts.concurrency()),
		timeout:  opts.callTimeout(),
		rate:     opts.RateLimit,
		burst:    opts.RateBurst,
		limiters: map[string]*rate.Limiter{},
	}
}

// serviceRates are the default per account, region and service limits: below the refill
// rates AWS publishes for read-only calls (EC2: 20/s for Describe*, bucket 100; Elastic
// Load Balancing: a bucket of 40 Describe* per API version), and as low for Auto Scaling,
// whose limits are not published. Other tools share those buckets, so the collector stays
// under them rather than at them.
var serviceRates = map[string]struct {
	rps   float64
	burst int
}{
	ec2.ServiceID:           {20, 50},
	autoscaling.ServiceID:   {10, 20},
	elb.ServiceID:           {10, 20},
	elbv2.ServiceID:         {10, 20},
	sts.ServiceID:           {20, 40},
	organizations.ServiceID: {4, 4},
	codedeploy.ServiceID:    {5, 10}, // limits not published: kept low
	ssm.ServiceID:           {5, 10}, // ListAssociations shares Systems Manager's account quota
	"":                      {10, 20},
}

func (g *gate) limiter(account, region, service string) *rate.Limiter {
	key := account + "|" + region + "|" + service
	g.mu.Lock()
	defer g.mu.Unlock()
	l, ok := g.limiters[key]
	if !ok {
		r, b := g.rate, g.burst
		if r <= 0 {
			d, ok := serviceRates[service]
			if !ok {
				d = serviceRates[""]
			}
			r, b = d.rps, d.burst
		}
		if b <= 0 {
			b = max(1, int(r))
		}
		l = rate.NewLimiter(rate.Limit(r), b)
		g.limiters[key] = l
	}
	return l
}

// middleware returns the gate as a finalize-step middleware for one account and region.
func (g *gate) middleware(account, region string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(&gateMiddleware{g: g, account: account, region: region}, "Retry", middleware.After)
	}
}

type gateMiddleware struct {
	g               *gate
	account, region string
}

func (*gateMiddleware) ID() string { return "whyk8sGate" }

func (m *gateMiddleware) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	service := awsmiddleware.GetServiceID(ctx)
	if err := m.g.limiter(m.account, m.region, service).Wait(ctx); err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	select {
	case m.g.slots <- struct{}{}:
	case <-ctx.Done():
		return middleware.FinalizeOutput{}, middleware.Metadata{}, ctx.Err()
	}
	defer func() { <-m.g.slots }()
	m.g.calls.Add(1)
	// The response body is read inside next (the deserialisers close it before they
	// return), so cancelling the attempt's context afterwards cuts nothing short.
	actx, cancel := context.WithTimeout(ctx, m.g.timeout)
	defer cancel()
	return next.HandleFinalize(actx, in)
}
