package aws

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"whyk8s/inventory"
)

// ErrOptions is wrapped by errors that are the options' fault (a missing role name, an
// unknown retry mode), so the command line can answer them as bad usage.
var ErrOptions = errors.New("invalid AWS inventory options")

// NothingReadError is returned when no account or region could be read at all: the
// credentials are refused, every region is denied. Gaps says why, place by place.
type NothingReadError struct {
	Gaps []inventory.CoverageGap
}

func (e *NothingReadError) Error() string {
	var b strings.Builder
	b.WriteString("aws inventory: nothing could be read")
	for i, g := range e.Gaps {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Gaps)-3)
			break
		}
		where := strings.Trim(g.Account+"/"+g.Region, "/")
		fmt.Fprintf(&b, "; %s %s:%s %s: %s", where, g.Service, g.Operation, g.Kind, g.Message)
	}
	return b.String()
}

// Collect reads the estate the options describe. Whatever cannot be read is recorded in
// the estate's Coverage and the rest is still collected; the error is non-nil only when
// the options are invalid, nothing at all could be read, or ctx was cancelled (then no
// estate is returned, so nothing half-done can be written).
func Collect(ctx context.Context, opts Options) (*inventory.Estate, error) {
	if err := validate(&opts); err != nil {
		return nil, err
	}
	c := &collector{opts: opts, gate: newGate(&opts)}
	if err := c.configure(ctx); err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	c.estate = &inventory.Estate{
		SchemaVersion: inventory.SchemaVersion,
		CollectedAt:   now().UTC(),
		Source:        inventory.SourceAWS,
	}
	targets := c.targets(ctx)
	c.progress(func(p *Progress) { p.AccountsTotal = len(targets) })

	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.account(ctx, t)
		}()
	}
	wg.Wait()

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("aws inventory interrupted: %w", err)
	}
	c.estate.Coverage = c.gaps.list()
	if c.reads.Load() == 0 && len(c.estate.Coverage) > 0 {
		return nil, &NothingReadError{Gaps: c.estate.Coverage}
	}
	// Empty lists rather than nulls: the snapshot's shape does not depend on what was
	// found, and "coverage": [] says plainly that nothing was missed.
	e := c.estate
	e.Accounts = nonNil(e.Accounts)
	e.Groups = nonNil(e.Groups)
	e.ClassicLoadBalancers = nonNil(e.ClassicLoadBalancers)
	e.LoadBalancers = nonNil(e.LoadBalancers)
	e.TargetGroups = nonNil(e.TargetGroups)
	e.Images = nonNil(e.Images)
	e.Scripts = nonNil(e.Scripts)
	e.Sort()
	return e, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func validate(o *Options) error {
	if (o.OrgAccounts || len(o.Accounts) > 0) && o.RoleName == "" {
		return fmt.Errorf("%w: reading other accounts (org accounts or an accounts list) needs a role name to assume in each", ErrOptions)
	}
	if o.OU != "" && !o.OrgAccounts {
		return fmt.Errorf("%w: an OU filter applies to org accounts only", ErrOptions)
	}
	switch o.RetryMode {
	case "", "standard", "adaptive":
	default:
		return fmt.Errorf("%w: retry mode %q is neither adaptive nor standard", ErrOptions, o.RetryMode)
	}
	for _, r := range o.Regions {
		if strings.TrimSpace(r) == "" {
			return fmt.Errorf("%w: empty region name in %q", ErrOptions, o.Regions)
		}
	}
	return nil
}

type collector struct {
	opts   Options
	gate   *gate
	gaps   gapSet
	base   awssdk.Config // the base identity, with retries set
	home   string        // region for STS, Organizations and DescribeRegions
	caller string        // the base identity's account
	sts    *sts.Client   // used for every AssumeRole, so they share limits and retries

	// reads counts successful calls other than STS: zero means nothing was read.
	reads atomic.Int64

	mu     sync.Mutex
	estate *inventory.Estate

	progMu sync.Mutex
	prog   Progress
}

// configure loads the SDK configuration and settles the base identity.
func (c *collector) configure(ctx context.Context) error {
	var cfg awssdk.Config
	if c.opts.Config != nil {
		cfg = c.opts.Config.Copy()
	} else {
		// All calls to one service in one region go to one host; let as many connections
		// stay open as calls may be in flight, instead of the SDK's 10, so that bursts of
		// per-resource calls reuse TLS connections rather than open new ones.
		httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConnsPerHost = max(tr.MaxIdleConnsPerHost, c.opts.concurrency())
		})
		loadOpts := []func(*config.LoadOptions) error{config.WithHTTPClient(httpClient)}
		if c.opts.Profile != "" {
			loadOpts = append(loadOpts, config.WithSharedConfigProfile(c.opts.Profile))
		}
		var err error
		cfg, err = config.LoadDefaultConfig(ctx, loadOpts...)
		if err != nil {
			return fmt.Errorf("aws inventory: load AWS configuration (profile %q): %w", c.opts.Profile, err)
		}
	}
	if c.opts.Endpoint != "" {
		cfg.BaseEndpoint = awssdk.String(c.opts.Endpoint)
	}
	// Our retryer replaces whatever mode and attempts the environment asked for: the
	// collector's behaviour under throttling was measured with these.
	cfg.RetryMaxAttempts, cfg.RetryMode = 0, ""
	cfg.Retryer = c.retryer()
	c.home = cfg.Region
	if c.home == "" {
		for _, r := range c.opts.Regions {
			if r != "all" {
				c.home = r
				break
			}
		}
	}
	if c.home == "" {
		c.home = fallbackRegion
	}
	cfg.Region = c.home
	if c.opts.RoleARN != "" {
		client := c.stsClient(cfg, "base")
		cfg.Credentials = awssdk.NewCredentialsCache(stscreds.NewAssumeRoleProvider(client, c.opts.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = c.opts.sessionName()
			if c.opts.ExternalID != "" {
				o.ExternalID = awssdk.String(c.opts.ExternalID)
			}
		}))
	}
	c.base = cfg
	return nil
}

func (c *collector) retryer() func() awssdk.Retryer {
	attempts, backoff := c.opts.maxAttempts(), c.opts.maxBackoff()
	// Adaptive by default: under AWS-like token buckets oversubscribed by other tools it
	// read everything where standard mode left calls throttled ten times over, and with
	// half the calls (see BenchmarkCollectThrottled). Its one weakness, throttling that
	// is random rather than rate-driven, is not how AWS throttles.
	adaptive := c.opts.RetryMode != "standard"
	return func() awssdk.Retryer {
		std := func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.MaxBackoff = backoff
			// The retry quota guards a service against a client that retries everything;
			// the collector already paces itself per account, region and service, and a
			// drained quota would turn a throttled burst into gaps.
			o.RateLimiter = ratelimit.None
		}
		if adaptive {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, std)
			})
		}
		return retry.NewStandard(std)
	}
}

// withGate returns a client option that adds the gate for this account and region. The
// option list is copied: clients built from one config share its backing array.
func (c *collector) withGate(account, region string) func(*[]func(*middleware.Stack) error) {
	return func(apiOptions *[]func(*middleware.Stack) error) {
		*apiOptions = append(slices.Clip(*apiOptions), c.gate.middleware(account, region))
	}
}

func (c *collector) stsClient(cfg awssdk.Config, account string) *sts.Client {
	gate := c.withGate(account, cfg.Region)
	return sts.NewFromConfig(cfg, func(o *sts.Options) { gate(&o.APIOptions) })
}

// target is an account to read and how to reach it.
type target struct {
	id, name string
	role     string // role ARN to assume; empty for the base identity's own account
}

// targets settles the base identity and lists the accounts to read.
func (c *collector) targets(ctx context.Context) []target {
	client := c.stsClient(c.base, "base")
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		kind, msg := classify(ctx, err)
		op := "GetCallerIdentity"
		if kind == inventory.GapOptIn {
			// GetCallerIdentity needs no permission: a refusal means the credentials
			// themselves are not valid (InvalidClientTokenId), not a disabled region.
			kind, msg = inventory.GapAccessDenied, "the credentials were refused: "+msg
		}
		if c.opts.RoleARN != "" {
			kind, op = inventory.GapAssumeRole, "AssumeRole"
			msg = c.opts.RoleARN + ": " + msg
		}
		c.gaps.add(inventory.CoverageGap{Region: c.home, Service: "sts", Operation: op, Kind: kind, Message: msg})
		return nil
	}
	c.caller = awssdk.ToString(out.Account)
	c.sts = c.stsClient(c.base, c.caller)

	var ts []target
	seen := map[string]bool{}
	add := func(id, name string) {
		if seen[id] {
			return
		}
		seen[id] = true
		t := target{id: id, name: name}
		if id != c.caller {
			t.role = "arn:" + partition(c.home) + ":iam::" + id + ":role/" + c.opts.RoleName
		}
		ts = append(ts, t)
	}
	if c.opts.OrgAccounts {
		accts, ok := c.orgAccounts(ctx)
		if !ok {
			// Without the organisation's list, the base account is still readable.
			add(c.caller, "")
		}
		for _, a := range accts {
			add(a.id, a.name)
		}
	}
	for _, id := range c.opts.Accounts {
		add(strings.TrimSpace(id), "")
	}
	if len(ts) == 0 && !c.opts.OrgAccounts {
		add(c.caller, "")
	}
	include, exclude := set(c.opts.IncludeAccounts...), set(c.opts.ExcludeAccounts...)
	ts = slices.DeleteFunc(ts, func(t target) bool {
		return (len(include) > 0 && !include[t.id]) || exclude[t.id]
	})
	slices.SortFunc(ts, func(a, b target) int { return strings.Compare(a.id, b.id) })
	return ts
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func (c *collector) progress(update func(*Progress)) {
	c.progMu.Lock()
	defer c.progMu.Unlock()
	update(&c.prog)
	if c.opts.Progress != nil {
		p := c.prog
		p.Calls = c.gate.calls.Load()
		p.Gaps = c.gaps.len()
		c.opts.Progress(p)
	}
}

// account reads one account: its credentials, its regions, then every region at once.
func (c *collector) account(ctx context.Context, t target) {
	defer c.progress(func(p *Progress) { p.AccountsDone++; p.Last = t.id })
	cfg := c.base.Copy()
	if t.role != "" {
		cfg.Credentials = awssdk.NewCredentialsCache(stscreds.NewAssumeRoleProvider(c.sts, t.role, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = c.opts.sessionName()
		}))
		// Assume the role now, once: a refused role is one gap for the account rather
		// than one per call, and its regions are not tried.
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			_, msg := classify(ctx, err)
			c.gaps.add(inventory.CoverageGap{Account: t.id, Service: "sts", Operation: "AssumeRole", Kind: inventory.GapAssumeRole, Message: t.role + ": " + msg})
			c.addAccount(inventory.Account{ID: t.id, Name: t.name, Regions: c.explicitRegions()})
			return
		}
	}
	regions := c.regions(ctx, cfg, t.id)
	c.addAccount(inventory.Account{ID: t.id, Name: t.name, Regions: regions})
	c.progress(func(p *Progress) { p.RegionsTotal += len(regions) })

	var wg sync.WaitGroup
	for _, r := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := newJob(c, cfg, t.id, r)
			j.run(ctx)
			c.merge(j)
		}()
	}
	wg.Wait()
}

func (c *collector) addAccount(a inventory.Account) {
	if a.Regions == nil {
		a.Regions = []string{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.estate.Accounts = append(c.estate.Accounts, a)
}

// explicitRegions is the regions named in the options, without "all".
func (c *collector) explicitRegions() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range c.opts.Regions {
		r = strings.TrimSpace(r)
		if r != "" && r != "all" && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// merge adds a finished region's resources to the estate.
func (c *collector) merge(j *job) {
	for _, g := range j.coverage() {
		c.gaps.add(g)
	}
	c.mu.Lock()
	c.estate.Groups = append(c.estate.Groups, j.groups...)
	c.estate.ClassicLoadBalancers = append(c.estate.ClassicLoadBalancers, j.classic...)
	c.estate.LoadBalancers = append(c.estate.LoadBalancers, j.lbs...)
	c.estate.TargetGroups = append(c.estate.TargetGroups, j.tgs...)
	c.estate.Images = append(c.estate.Images, j.images...)
	c.mu.Unlock()
	c.progress(func(p *Progress) {
		p.RegionsDone++
		p.Groups += len(j.groups)
		p.ClassicLoadBalancers += len(j.classic)
		p.LoadBalancers += len(j.lbs)
		p.TargetGroups += len(j.tgs)
		p.Last = j.account + "/" + j.region
	})
}
