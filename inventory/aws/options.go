// Package aws collects the estate — Auto Scaling groups with their launch templates or
// configurations, scaling policies, scheduled actions and lifecycle hooks; classic and
// v2 load balancers; target groups; the AMIs in use — from live AWS accounts into an
// inventory.Estate.
//
// It only reads: every call is a Describe or List (plus sts:AssumeRole to reach other
// accounts), and Actions lists them all for the least-privilege policy. What it cannot
// read — a denied operation, a region not enabled, a role it cannot assume, a call that
// timed out or stayed throttled after its retries — becomes a CoverageGap in the estate
// rather than an error, so a partial read is still a result and says where it is partial.
package aws

import (
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
)

// Options says what to collect and how. The zero value collects the account of the
// default credentials in their default region.
type Options struct {
	// Regions to read: names, or the single entry "all" for every region enabled in each
	// account (ec2:DescribeRegions; when that is denied, the other entries of Regions and
	// the default region are read instead). Empty means the SDK's default region.
	Regions []string

	// Profile is a shared-config profile; empty means the default chain.
	Profile string
	// RoleARN is assumed first, with ExternalID when set; the result is the base identity.
	RoleARN, ExternalID string
	// SessionName names every assumed-role session (default "whyk8s-inventory").
	SessionName string

	// OrgAccounts reads every ACTIVE account of the organisation (organizations:ListAccounts,
	// or the accounts under OU and its child OUs) through the role RoleName in each; the
	// base identity's own account (usually the management account, which seldom has that
	// role) is read with the base credentials.
	OrgAccounts bool
	RoleName    string
	// Accounts is a plain list of account ids read through RoleName, for when
	// Organizations is not available. The base identity's own account is read with the
	// base credentials, not through RoleName.
	Accounts []string
	// IncludeAccounts, when set, keeps only these accounts; ExcludeAccounts drops these.
	IncludeAccounts, ExcludeAccounts []string
	// OU limits OrgAccounts to the accounts under this organisational unit (recursively).
	OU string

	// Concurrency bounds the API calls in flight across all accounts and regions
	// (default 32).
	Concurrency int
	// RateLimit is the most calls per second sent to one service in one account and
	// region, and RateBurst how many may go at once, which is the grain at which AWS
	// throttles. Zero means per-service defaults below AWS's published refill rates.
	RateLimit float64
	RateBurst int

	// Endpoint points every client at an AWS-compatible endpoint (LocalStack, moto,
	// awstest). AWS_ENDPOINT_URL is honoured by the SDK's own configuration loading.
	Endpoint string
	// CallTimeout bounds each attempt of each call (default 20s), so that an unreachable
	// region becomes a timeout gap instead of hanging the run.
	CallTimeout time.Duration
	// MaxAttempts is the most attempts per call, retries included (default 10).
	MaxAttempts int
	// RetryMode is "adaptive" (default) or "standard": see BenchmarkCollectThrottled.
	// Adaptive mode paces each client (one per service, account and region — AWS's
	// throttling grain) down when it is throttled; standard mode only backs off.
	RetryMode string
	// MaxBackoff caps the wait between attempts (default 20s).
	MaxBackoff time.Duration

	// UserData receives the decoded bytes of each launch template version's or launch
	// configuration's user data and returns the text to keep, with secrets redacted.
	// When nil, user data is dropped: nothing unredacted is ever kept.
	UserData func(raw []byte) (string, error)
	// Progress, when set, is called as accounts and regions finish; calls are serialised.
	Progress func(Progress)
	// Now is the clock for Estate.CollectedAt (default time.Now).
	Now func() time.Time

	// Config, when set, is used instead of loading the SDK's default configuration
	// (Profile is then ignored): its Region, Credentials and HTTPClient are used, and
	// retries, timeouts and rate limits are still set by these options. Tests use it.
	Config *awssdk.Config
}

// Progress is a snapshot of a collection under way.
type Progress struct {
	AccountsDone, AccountsTotal int
	// RegionsDone and RegionsTotal count account × region pairs.
	RegionsDone, RegionsTotal                                 int
	Groups, ClassicLoadBalancers, LoadBalancers, TargetGroups int
	Calls                                                     int64
	Gaps                                                      int
	// Last names the account/region (or account) that just finished.
	Last string
}

// The defaults of Options, exported so that the command line shows and configures the same.
const (
	DefaultConcurrency = 32
	DefaultCallTimeout = 20 * time.Second
	DefaultMaxAttempts = 10
	DefaultSessionName = "whyk8s-inventory"
)

const (
	// defaultMaxBackoff caps the wait between attempts; it is the SDK's own 20s. A 5s
	// cap halved the run under random throttling (19 s against 38 s) but, with AWS-like
	// token buckets oversubscribed, left calls throttled ten times over (gaps) where the
	// 20s cap let every call through: backing off longer is what relieves a bucket.
	defaultMaxBackoff = 20 * time.Second
	// fallbackRegion is where global calls go (STS, Organizations, DescribeRegions) when
	// neither the configuration nor the options name a region.
	fallbackRegion = "us-east-1"
)

func (o *Options) concurrency() int {
	if o.Concurrency > 0 {
		return o.Concurrency
	}
	return DefaultConcurrency
}

func (o *Options) callTimeout() time.Duration {
	if o.CallTimeout > 0 {
		return o.CallTimeout
	}
	return DefaultCallTimeout
}

func (o *Options) maxAttempts() int {
	if o.MaxAttempts > 0 {
		return o.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (o *Options) maxBackoff() time.Duration {
	if o.MaxBackoff > 0 {
		return o.MaxBackoff
	}
	return defaultMaxBackoff
}

func (o *Options) sessionName() string {
	if o.SessionName != "" {
		return o.SessionName
	}
	return DefaultSessionName
}
