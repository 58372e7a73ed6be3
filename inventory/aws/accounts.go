package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"whyk8s/inventory"
)

type orgAccount struct{ id, name string }

// orgAccounts lists the organisation's ACTIVE accounts, or those under the OU. ok is
// false when the organisation could not be listed (the gap is recorded).
func (c *collector) orgAccounts(ctx context.Context) (accts []orgAccount, ok bool) {
	cfg := c.base.Copy()
	cfg.Region = orgRegion(c.home)
	gate := c.withGate(c.caller, cfg.Region)
	client := organizations.NewFromConfig(cfg, func(o *organizations.Options) { gate(&o.APIOptions) })
	keep := func(as []orgtypes.Account) {
		for _, a := range as {
			if active(a) {
				accts = append(accts, orgAccount{awssdk.ToString(a.Id), awssdk.ToString(a.Name)})
			}
		}
	}
	fail := func(op string, err error) bool {
		if ctx.Err() == nil {
			kind, msg := classify(ctx, err)
			c.gaps.add(inventory.CoverageGap{Account: c.caller, Service: "organizations", Operation: op, Kind: kind, Message: msg})
		}
		return false
	}
	if c.opts.OU == "" {
		p := organizations.NewListAccountsPaginator(client, &organizations.ListAccountsInput{MaxResults: awssdk.Int32(20)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return nil, fail("ListAccounts", err)
			}
			c.reads.Add(1)
			keep(out.Accounts)
		}
		return accts, true
	}
	// Walk the OU and its descendants breadth-first: accounts of each, then its child OUs.
	queue := []string{c.opts.OU}
	for len(queue) > 0 {
		parent := queue[0]
		queue = queue[1:]
		pa := organizations.NewListAccountsForParentPaginator(client, &organizations.ListAccountsForParentInput{ParentId: awssdk.String(parent), MaxResults: awssdk.Int32(20)})
		for pa.HasMorePages() {
			out, err := pa.NextPage(ctx)
			if err != nil {
				return nil, fail("ListAccountsForParent", err)
			}
			c.reads.Add(1)
			keep(out.Accounts)
		}
		pc := organizations.NewListChildrenPaginator(client, &organizations.ListChildrenInput{ParentId: awssdk.String(parent), ChildType: orgtypes.ChildTypeOrganizationalUnit, MaxResults: awssdk.Int32(20)})
		for pc.HasMorePages() {
			out, err := pc.NextPage(ctx)
			if err != nil {
				return nil, fail("ListChildren", err)
			}
			c.reads.Add(1)
			for _, ch := range out.Children {
				queue = append(queue, awssdk.ToString(ch.Id))
			}
		}
	}
	return accts, true
}

// active reports whether an account is ACTIVE. State replaces the retired Status field;
// Status is read only when an older endpoint (or an emulator) does not send State.
func active(a orgtypes.Account) bool {
	if a.State != "" {
		return a.State == orgtypes.AccountStateActive
	}
	return a.Status == orgtypes.AccountStatusActive
}

func orgRegion(home string) string {
	switch partition(home) {
	case "aws-cn":
		return "cn-northwest-1"
	case "aws-us-gov":
		return "us-gov-west-1"
	}
	return "us-east-1"
}

// regions returns the regions to read in an account: those named, or with "all" every
// region enabled in it. When DescribeRegions is refused, the named regions (or the home
// region) are read instead, and the gap says the list may be incomplete.
func (c *collector) regions(ctx context.Context, cfg awssdk.Config, account string) []string {
	explicit := c.explicitRegions()
	all := false
	for _, r := range c.opts.Regions {
		if strings.TrimSpace(r) == "all" {
			all = true
		}
	}
	if !all {
		if len(explicit) == 0 {
			return []string{c.home}
		}
		return explicit
	}
	cfg.Region = c.home
	gate := c.withGate(account, c.home)
	client := ec2.NewFromConfig(cfg, func(o *ec2.Options) { gate(&o.APIOptions) })
	out, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: awssdk.Bool(false)})
	if err != nil {
		fallback := explicit
		if len(fallback) == 0 {
			fallback = []string{c.home}
		}
		if ctx.Err() == nil {
			kind, msg := classify(ctx, err)
			c.gaps.add(inventory.CoverageGap{Account: account, Region: c.home, Service: "ec2", Operation: "DescribeRegions", Kind: kind,
				Message: msg + "; read " + strings.Join(fallback, ", ") + " only, other enabled regions may hold resources"})
		}
		return fallback
	}
	c.reads.Add(1)
	var regions []string
	for _, r := range out.Regions {
		// AllRegions=false already lists only enabled regions; the status check keeps an
		// emulator that ignores the flag honest.
		if awssdk.ToString(r.OptInStatus) == "not-opted-in" {
			continue
		}
		regions = append(regions, awssdk.ToString(r.RegionName))
	}
	return regions
}
