package aws_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	whyaws "whyk8s/inventory/aws"
	"whyk8s/inventory/aws/awstest"

	"whyk8s/inventory"
)

// gap is the part of a coverage gap a test pins down; Message must contain msg.
type gap struct {
	account, region, service, operation, kind, msg string
}

// dropRegion removes what one account holds in one region.
func dropRegion(account, region string) func(*inventory.Estate) {
	in := func(a, r string) bool { return a == account && r == region }
	return func(e *inventory.Estate) {
		e.Groups = slices.DeleteFunc(e.Groups, func(g inventory.AutoScalingGroup) bool { return in(g.Account, g.Region) })
		e.ClassicLoadBalancers = slices.DeleteFunc(e.ClassicLoadBalancers, func(l inventory.ClassicLoadBalancer) bool { return in(l.Account, l.Region) })
		e.LoadBalancers = slices.DeleteFunc(e.LoadBalancers, func(l inventory.LoadBalancer) bool { return in(l.Account, l.Region) })
		e.TargetGroups = slices.DeleteFunc(e.TargetGroups, func(t inventory.TargetGroup) bool { return in(t.Account, t.Region) })
		e.Images = slices.DeleteFunc(e.Images, func(i inventory.Image) bool { return in(i.Account, i.Region) })
	}
}

func dropGroups(account, region string) func(*inventory.Estate) {
	return func(e *inventory.Estate) {
		e.Groups = slices.DeleteFunc(e.Groups, func(g inventory.AutoScalingGroup) bool { return g.Account == account && g.Region == region })
		e.Images = slices.DeleteFunc(e.Images, func(i inventory.Image) bool { return i.Account == account && i.Region == region })
	}
}

// TestPartialFailure injects one kind of failure at a time: the failure must show up as
// coverage gaps of the right kind and place, and everything else must still be read.
func TestPartialFailure(t *testing.T) {
	const eu, us = "eu-west-1", "us-east-1"
	tests := []struct {
		name   string
		faults []awstest.Fault
		opts   func(*whyaws.Options)
		// want is what the collection should hold: the served estate changed by want.
		want func(*inventory.Estate)
		gaps []gap
	}{
		{
			name:   "auto scaling denied in one region",
			faults: []awstest.Fault{{Account: acctProd, Region: us, Operation: "autoscaling:", Kind: awstest.FaultAccessDenied}},
			want:   dropGroups(acctProd, us),
			gaps: []gap{
				{acctProd, us, "autoscaling", "DescribeAutoScalingGroups", inventory.GapAccessDenied, "AccessDenied: User: arn:aws:sts::222222222222:assumed-role/whyk8s-reader/awstest is not authorized to perform: autoscaling:DescribeAutoScalingGroups"},
				{acctProd, us, "autoscaling", "DescribePolicies", inventory.GapAccessDenied, "autoscaling:DescribePolicies"},
				{acctProd, us, "autoscaling", "DescribeScheduledActions", inventory.GapAccessDenied, "autoscaling:DescribeScheduledActions"},
			},
		},
		{
			// Without CodeDeploy the groups are read all the same, without their
			// deployment groups, and the gap says what is missing.
			name:   "codedeploy denied in one region",
			faults: []awstest.Fault{{Account: acctProd, Region: us, Operation: "codedeploy:", Kind: awstest.FaultAccessDenied}},
			want: func(e *inventory.Estate) {
				for i := range e.Groups {
					if g := &e.Groups[i]; g.Account == acctProd && g.Region == us {
						var kept []inventory.Deployment
						for _, d := range g.Deployments {
							if d.Service != inventory.DeployCodeDeploy {
								kept = append(kept, d)
							}
						}
						g.Deployments = kept
					}
				}
			},
			gaps: []gap{{acctProd, us, "codedeploy", "ListApplications", inventory.GapAccessDenied, "AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/whyk8s-reader/awstest is not authorized to perform: codedeploy:ListApplications"}},
		},
		{
			// Without Systems Manager the groups are read all the same, without the
			// associations that target them, and the gap says what is missing.
			name:   "ssm denied in one region",
			faults: []awstest.Fault{{Account: acctProd, Region: us, Operation: "ssm:", Kind: awstest.FaultAccessDenied}},
			want: func(e *inventory.Estate) {
				for i := range e.Groups {
					if g := &e.Groups[i]; g.Account == acctProd && g.Region == us {
						var kept []inventory.Deployment
						for _, d := range g.Deployments {
							if d.Service != inventory.DeploySSM {
								kept = append(kept, d)
							}
						}
						g.Deployments = kept
					}
				}
			},
			gaps: []gap{{acctProd, us, "ssm", "ListAssociations", inventory.GapAccessDenied, "AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/whyk8s-reader/awstest is not authorized to perform: ssm:ListAssociations"}},
		},
		{
			name:   "region not enabled",
			faults: []awstest.Fault{{Account: acctProd, Region: us, Operation: "", Kind: awstest.FaultRegionDisabled}},
			want:   dropRegion(acctProd, us),
			gaps:   []gap{{acctProd, us, "", "", inventory.GapOptIn, "region not enabled for this account"}},
		},
		{
			name:   "role refused in one account",
			faults: []awstest.Fault{{Account: acctProd, Operation: "sts:AssumeRole", Kind: awstest.FaultAccessDenied}},
			want: func(e *inventory.Estate) {
				dropRegion(acctProd, eu)(e)
				dropRegion(acctProd, us)(e)
			},
			gaps: []gap{{acctProd, "", "sts", "AssumeRole", inventory.GapAssumeRole, "arn:aws:iam::222222222222:role/whyk8s-reader: AccessDenied"}},
		},
		{
			name:   "lifecycle hooks denied everywhere",
			faults: []awstest.Fault{{Operation: "autoscaling:DescribeLifecycleHooks", Kind: awstest.FaultAccessDenied}},
			want: func(e *inventory.Estate) {
				for i := range e.Groups {
					e.Groups[i].LifecycleHooks = nil
				}
			},
			// Four groups a region: the first refusal stops the other three calls, and the
			// gap counts all four.
			gaps: []gap{
				{acctShared, eu, "autoscaling", "DescribeLifecycleHooks", inventory.GapAccessDenied, "(4 calls)"},
				{acctShared, us, "autoscaling", "DescribeLifecycleHooks", inventory.GapAccessDenied, "(4 calls)"},
				{acctProd, eu, "autoscaling", "DescribeLifecycleHooks", inventory.GapAccessDenied, "(4 calls)"},
				{acctProd, us, "autoscaling", "DescribeLifecycleHooks", inventory.GapAccessDenied, "(4 calls)"},
			},
		},
		{
			name:   "region that never answers",
			faults: []awstest.Fault{{Account: acctShared, Region: us, Kind: awstest.FaultDelay, Delay: time.Minute}},
			opts:   func(o *whyaws.Options) { o.CallTimeout = time.Second },
			want:   dropRegion(acctShared, us),
			gaps: []gap{
				{acctShared, us, "autoscaling", "DescribeAutoScalingGroups", inventory.GapTimeout, "no answer within the per-call timeout"},
				{acctShared, us, "autoscaling", "DescribePolicies", inventory.GapTimeout, "timeout"},
				{acctShared, us, "autoscaling", "DescribeScheduledActions", inventory.GapTimeout, "timeout"},
				{acctShared, us, "elb", "DescribeLoadBalancers", inventory.GapTimeout, "timeout"},
				{acctShared, us, "elbv2", "DescribeLoadBalancers", inventory.GapTimeout, "timeout"},
				{acctShared, us, "elbv2", "DescribeTargetGroups", inventory.GapTimeout, "timeout"},
			},
		},
		{
			name:   "DescribeRegions denied falls back to the named regions",
			faults: []awstest.Fault{{Operation: "ec2:DescribeRegions", Kind: awstest.FaultAccessDenied}},
			opts:   func(o *whyaws.Options) { o.Regions = []string{"all", eu} },
			want: func(e *inventory.Estate) {
				dropRegion(acctShared, us)(e)
				dropRegion(acctProd, us)(e)
				for i := range e.Accounts {
					e.Accounts[i].Regions = []string{eu}
				}
			},
			gaps: []gap{
				{acctShared, eu, "ec2", "DescribeRegions", inventory.GapAccessDenied, "read eu-west-1 only"},
				{acctProd, eu, "ec2", "DescribeRegions", inventory.GapAccessDenied, "UnauthorizedOperation"},
			},
		},
		{
			name:   "throttled past the last attempt",
			faults: []awstest.Fault{{Account: acctShared, Region: eu, Operation: "elasticloadbalancing:DescribeTargetGroupAttributes", Kind: awstest.FaultThrottle}},
			// Standard mode: adaptive mode would also pace the client down, which takes
			// seconds and is not what this case is about.
			opts: func(o *whyaws.Options) { o.RetryMode, o.MaxAttempts, o.MaxBackoff = "standard", 2, 10*time.Millisecond },
			want: func(e *inventory.Estate) {
				for i := range e.TargetGroups {
					if tg := &e.TargetGroups[i]; tg.Account == acctShared && tg.Region == eu {
						tg.Attributes = nil
					}
				}
			},
			gaps: []gap{{acctShared, eu, "elbv2", "DescribeTargetGroupAttributes", inventory.GapThrottled, "Throttling: Rate exceeded (after 2 attempts) (4 calls)"}},
		},
		{
			name:   "server errors past the last attempt",
			faults: []awstest.Fault{{Account: acctProd, Region: eu, Operation: "ec2:DescribeImages", Kind: awstest.FaultServerError}},
			opts:   func(o *whyaws.Options) { o.MaxAttempts = 2 },
			want: func(e *inventory.Estate) {
				e.Images = slices.DeleteFunc(e.Images, func(i inventory.Image) bool { return i.Account == acctProd && i.Region == eu })
			},
			gaps: []gap{{acctProd, eu, "ec2", "DescribeImages", inventory.GapError, "InternalError: An internal error has occurred (after 2 attempts)"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			served := smallEstate()
			opts := []awstest.Option{awstest.WithCaller(acctShared), awstest.WithPageSize(3)}
			for _, f := range tt.faults {
				opts = append(opts, awstest.WithFault(f))
			}
			s := awstest.New(served, opts...)
			defer s.Close()
			o := options(s, eu)
			o.Regions = []string{eu, us}
			o.Accounts, o.RoleName = []string{acctProd, acctShared}, "whyk8s-reader"
			if tt.opts != nil {
				tt.opts(&o)
			}
			got := collect(t, s, o)

			var gotGaps []gap
			for _, g := range got.Coverage {
				gotGaps = append(gotGaps, gap{g.Account, g.Region, g.Service, g.Operation, g.Kind, g.Message})
				if strings.Contains(g.Message, "awstest-0") {
					t.Errorf("gap message carries a request id, which changes run to run: %q", g.Message)
				}
			}
			if len(gotGaps) != len(tt.gaps) {
				t.Fatalf("got %d gaps, want %d:\n got %q", len(gotGaps), len(tt.gaps), gotGaps)
			}
			for i, w := range tt.gaps {
				g := gotGaps[i]
				wantPlace := [5]string{w.account, w.region, w.service, w.operation, w.kind}
				gotPlace := [5]string{g.account, g.region, g.service, g.operation, g.kind}
				if wantPlace != gotPlace || !strings.Contains(g.msg, w.msg) {
					t.Errorf("gap %d:\n got  %q\n want %q with message containing %q", i, g, wantPlace, w.msg)
				}
			}

			want := awsView(served)
			want.Accounts[0].Name, want.Accounts[1].Name = "", "" // a plain accounts list has no names
			tt.want(want)
			want.Coverage = got.Coverage // checked above
			sameEstate(t, canonical(t, want), canonical(t, got))
		})
	}
}

// TestThrottledCallsComplete throttles 30% of all calls at random: the retries must
// absorb it, leaving a complete estate and no gaps. It runs in standard mode with short
// backoffs to stay quick (adaptive mode paces itself down to a crawl under random
// throttling: 20 s here); BenchmarkCollectThrottled measures both modes.
func TestThrottledCallsComplete(t *testing.T) {
	served := smallEstate()
	s := awstest.New(served, awstest.WithCaller(acctShared), awstest.WithPageSize(3),
		awstest.WithFault(awstest.Fault{Kind: awstest.FaultThrottle, Rate: 0.3}), awstest.WithSeed(7))
	defer s.Close()
	o := options(s, "eu-west-1")
	o.Regions = []string{"all"}
	o.OrgAccounts, o.RoleName = true, "whyk8s-reader"
	o.RetryMode, o.MaxBackoff = "standard", 20*time.Millisecond
	got := collect(t, s, o)
	if len(got.Coverage) > 0 {
		t.Fatalf("gaps despite retries: %+v", got.Coverage)
	}
	sameEstate(t, canonical(t, awsView(served)), canonical(t, got))

	clean := awstest.New(served, awstest.WithCaller(acctShared), awstest.WithPageSize(3))
	defer clean.Close()
	o = options(clean, "eu-west-1")
	o.Regions = []string{"all"}
	o.OrgAccounts, o.RoleName = true, "whyk8s-reader"
	collect(t, clean, o)
	if s.Calls() <= clean.Calls() {
		t.Errorf("throttled run made %d calls, clean run %d: the throttled calls were not retried", s.Calls(), clean.Calls())
	}
}

// TestCancel cancels the context once the collection is under way: Collect must return
// the cancellation, no estate, and send next to nothing after it.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu = make(chan struct{}, 1)
	mu <- struct{}{}
	received, afterCancel := 0, 0
	cancelled := false
	s := awstest.New(smallEstate(), awstest.WithCaller(acctShared), awstest.WithPageSize(1),
		awstest.WithLatency(20*time.Millisecond),
		awstest.WithObserver(func(awstest.Request) {
			<-mu
			defer func() { mu <- struct{}{} }()
			received++
			if cancelled {
				afterCancel++
			}
			if received == 15 {
				cancelled = true
				cancel()
			}
		}))
	defer s.Close()
	o := options(s, "eu-west-1")
	o.Regions = []string{"eu-west-1", "us-east-1"}
	o.OrgAccounts, o.RoleName = true, "whyk8s-reader"
	e, err := whyaws.Collect(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Collect returned %v, want context.Canceled", err)
	}
	if e != nil {
		t.Fatal("Collect returned an estate after cancellation; a half-read estate must not be written")
	}
	<-mu
	defer func() { mu <- struct{}{} }()
	// Calls already past the gate when cancel came may still arrive; nothing else may.
	if afterCancel > o.Concurrency {
		t.Errorf("%d calls arrived after cancellation, more than the %d that can be in flight", afterCancel, o.Concurrency)
	}
}

// TestNothingRead: credentials refused outright is an error, not an empty estate.
func TestNothingRead(t *testing.T) {
	s := awstest.New(smallEstate(), awstest.WithFault(awstest.Fault{Kind: awstest.FaultRegionDisabled}))
	defer s.Close()
	_, err := whyaws.Collect(context.Background(), options(s, "eu-west-1"))
	var nothing *whyaws.NothingReadError
	if !errors.As(err, &nothing) {
		t.Fatalf("Collect returned %v, want a NothingReadError", err)
	}
	if len(nothing.Gaps) != 1 || nothing.Gaps[0].Operation != "GetCallerIdentity" || nothing.Gaps[0].Kind != inventory.GapAccessDenied ||
		!strings.Contains(err.Error(), "the credentials were refused: InvalidClientTokenId") {
		t.Errorf("error does not say the credentials were refused: %v", err)
	}
}
