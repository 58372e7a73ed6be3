package awstest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"whyk8s/inventory"
	"whyk8s/inventory/aws/awstest"
)

// config keeps the SDK's standard retries: a response read can fail with "use of closed
// network connection" when net/http's write loop races smithy closing the request body
// (aws/aws-sdk-go-v2#2737) — more likely here, where answers come back in microseconds —
// and the SDK retries that error.
func config(s *awstest.Server) awssdk.Config {
	cfg := s.Config("eu-west-1")
	cfg.Retryer = func() awssdk.Retryer { return retry.NewStandard() }
	return cfg
}

func code(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// TestRequestsTheAPIsRefuse: the fake refuses what AWS refuses, in each protocol's error
// shape, so a collector bug (a page too large, a token replayed, a batch too big) fails
// in tests as it would against AWS.
func TestRequestsTheAPIsRefuse(t *testing.T) {
	e := awstest.Synthetic(30, 10, 30, 1, 1)
	s := awstest.New(e, awstest.WithCaller(e.Accounts[0].ID), awstest.WithPageSize(5))
	defer s.Close()
	cfg := config(s)
	ctx := context.Background()
	asg := autoscaling.NewFromConfig(cfg)
	first, err := asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{MaxRecords: awssdk.Int32(100)})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.AutoScalingGroups) != 5 || first.NextToken == nil {
		t.Fatalf("first page: %v, %d groups, token %v", err, len(first.AutoScalingGroups), first.NextToken)
	}
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"page above the API maximum", func() error {
			_, err := asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{MaxRecords: awssdk.Int32(101)})
			return err
		}, "ValidationError"},
		{"token of another operation", func() error {
			_, err := asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{NextToken: first.NextToken})
			return err
		}, "InvalidNextToken"},
		{"more than 20 ARNs to DescribeTags", func() error {
			arns := make([]string, 21)
			for i := range arns {
				arns[i] = e.TargetGroups[i].ARN
			}
			_, err := elbv2.NewFromConfig(cfg).DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})
			return err
		}, "ValidationError"},
		{"unknown AMI by id (EC2 error shape)", func() error {
			_, err := ec2.NewFromConfig(cfg).DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-00000000deadbeef"}})
			return err
		}, "InvalidAMIID.NotFound"},
		{"lifecycle hooks of an unknown group", func() error {
			_, err := asg.DescribeLifecycleHooks(ctx, &autoscaling.DescribeLifecycleHooksInput{AutoScalingGroupName: awssdk.String("nope")})
			return err
		}, "ValidationError"},
		{"role in an unknown account (STS)", func() error {
			_, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: awssdk.String("arn:aws:iam::999999999999:role/x"), RoleSessionName: awssdk.String("t")})
			return err
		}, "AccessDenied"},
		{"organizations page above 20 (JSON error shape)", func() error {
			_, err := organizations.NewFromConfig(cfg).ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: awssdk.Int32(21)})
			return err
		}, "InvalidInputException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := code(tt.call()); got != tt.code {
				t.Errorf("error code %q, want %q", got, tt.code)
			}
		})
	}
}

// TestPaginationAndAccounts: pages chain through tokens to every item, and a session
// token from AssumeRole switches the account the answers come from.
func TestPaginationAndAccounts(t *testing.T) {
	e := awstest.Synthetic(40, 0, 0, 1, 2)
	caller, other := e.Accounts[0].ID, e.Accounts[1].ID
	s := awstest.New(e, awstest.WithCaller(caller), awstest.WithPageSize(3))
	defer s.Close()
	ctx := context.Background()
	cfg := config(s)
	names := func(cfg awssdk.Config) []string {
		var out []string
		p := autoscaling.NewDescribeAutoScalingGroupsPaginator(autoscaling.NewFromConfig(cfg), &autoscaling.DescribeAutoScalingGroupsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range page.AutoScalingGroups {
				out = append(out, awssdk.ToString(g.AutoScalingGroupName))
			}
		}
		return out
	}
	want := func(account string) []string {
		var out []string
		for _, g := range e.Groups {
			if g.Account == account {
				out = append(out, g.Name)
			}
		}
		return out
	}
	if got := names(cfg); strings.Join(got, ",") != strings.Join(want(caller), ",") {
		t.Errorf("caller's groups %v, want %v", got, want(caller))
	}
	out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: awssdk.String("arn:aws:iam::" + other + ":role/reader"), RoleSessionName: awssdk.String("test"),
	})
	if err != nil {
		t.Fatal(err)
	}
	assumed := cfg.Copy()
	assumed.Credentials = awssdk.CredentialsProviderFunc(func(context.Context) (awssdk.Credentials, error) {
		c := out.Credentials
		return awssdk.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}, nil
	})
	if got := names(assumed); strings.Join(got, ",") != strings.Join(want(other), ",") {
		t.Errorf("assumed account's groups %v, want %v", got, want(other))
	}
	id, err := sts.NewFromConfig(assumed).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || awssdk.ToString(id.Account) != other {
		t.Errorf("GetCallerIdentity with the session: %v, %v", id, err)
	}
	if ops := s.Operations(); strings.Join(ops, ",") != "autoscaling:DescribeAutoScalingGroups,sts:AssumeRole,sts:GetCallerIdentity" {
		t.Errorf("recorded operations %v", ops)
	}
}

func TestUnsignedRequestRefused(t *testing.T) {
	s := awstest.New(&inventory.Estate{})
	defer s.Close()
	resp, err := http.Post(s.URL, "application/x-www-form-urlencoded", strings.NewReader("Action=DescribeAutoScalingGroups&Version=2011-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned request answered %d, want 403", resp.StatusCode)
	}
}

func TestSynthetic(t *testing.T) {
	e := awstest.Synthetic(2000, 800, 1500, 4, 3)
	if len(e.Groups) != 2000 || len(e.ClassicLoadBalancers)+len(e.LoadBalancers) != 800 || len(e.TargetGroups) != 1500 || len(e.Accounts) != 3 {
		t.Fatalf("sizes: %d groups, %d+%d load balancers, %d target groups, %d accounts",
			len(e.Groups), len(e.ClassicLoadBalancers), len(e.LoadBalancers), len(e.TargetGroups), len(e.Accounts))
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := inventory.Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := inventory.Encode(awstest.Synthetic(2000, 800, 1500, 4, 3))
	if string(a) != string(b) {
		t.Error("two generations of the same estate differ")
	}
	regions := map[string]int{}
	for _, g := range e.Groups {
		regions[g.Account+"/"+g.Region]++
	}
	if len(regions) != 12 {
		t.Errorf("groups spread over %d account-regions, want 12", len(regions))
	}
}
