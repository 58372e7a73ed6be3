package iac

import (
	"fmt"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// builder collects what the readers map, then joins it the way AWS does: a group to its
// launch template or configuration, policies and hooks to their group, listeners to their
// load balancer. References resolve to the synthetic identifiers both sides agree on (see
// evidenceID), or to names.
//
// Every record says which stack it comes from: the Terraform root or CloudFormation
// template whose code defines it. A reference resolves within its own stack first, so two
// templates that both call a resource WebServerGroup, or two roots that call the same
// module, each join their own; only a name not defined in the stack is looked for in the
// rest of the account and region, as AWS would.
type builder struct {
	gaps []inventory.CoverageGap
	// userData is Options.UserData.
	userData func(raw []byte) (string, error)

	groups    []*groupRec
	templates []*launchRec
	configs   []*launchRec
	policies  []groupPart[inventory.ScalingPolicy]
	schedules []groupPart[inventory.ScheduledAction]
	hooks     []groupPart[inventory.LifecycleHook]
	// deployments are deployment groups, one per group they name.
	deployments []groupPart[inventory.Deployment]
	// associations are Systems Manager associations, which choose instances by tag.
	associations []association
	attach       []groupPart[attachment]
	lbs          []*inventory.LoadBalancer
	listeners    []listenerRec
	rules        []ruleRec
	tgs          []*inventory.TargetGroup
	classic      []classicRec
	clbPolicy    []clbPolicyRec
	// clbListenerPolicy are aws_load_balancer_listener_policy: policies a listener takes.
	clbListenerPolicy []clbListenerPolicyRec
	seenScopes        map[[2]string]bool
	// unknownParts are the lists of groups that a policy, schedule, hook or attachment
	// would add to, had the code said which group: every group of the stack might have it.
	unknownParts []unknownPart
	// images are the images of lookups that groups run, by account/region/id.
	images map[string]inventory.Image
}

// unknownPart is a list of the groups of a stack that may miss an entry (see unknownParts).
type unknownPart struct {
	stack, account, region string
	field                  string // "ScalingPolicies", "TargetGroupARNs"…
}

// groupRef reads the group a policy, schedule, hook or attachment names. When the code
// names it by a value that cannot be known, the part is attached to no group, and field
// (the list it would join) becomes unknown on every group of the stack.
func (b *builder) groupRef(mp mapper, p props, name, stack, account, region, field string) (string, bool) {
	group, ok := mp.strOK(p, name)
	if !ok {
		if _, _, set := p.get(name); set {
			b.unknownParts = append(b.unknownParts, unknownPart{stack, account, region, field})
		}
	}
	return group, ok
}

// evidenceID is the stable identifier that stands for an ARN: a human reads it as the
// place the resource is defined, and every reference to the resource resolves to it.
func evidenceID(path string, line int, addr string) string {
	return fmt.Sprintf("iac:%s:%d:%s", path, line, addr)
}

// groupRec is a group as read, before its launch data is joined.
type groupRec struct {
	g     inventory.AutoScalingGroup
	at    place
	stack string
}

// classicRec is a classic load balancer as read; its name may still get a suffix.
type classicRec struct {
	lb    *inventory.ClassicLoadBalancer
	at    place
	stack string
}

// launchRec is a launch template or configuration: the identifiers a group may name it by.
type launchRec struct {
	id, name        string
	account, region string
	stack           string
	spec            inventory.LaunchSpec
	// image is the lookup the image id comes from, when it comes from one.
	image *imageLookup
}

// groupPart is something that names its group: a policy, schedule, hook or attachment.
type groupPart[T any] struct {
	account, region string
	stack           string
	group           string // the group's name or identifier as the code gives it
	at              place
	what            string // for the gap when the group is not found
	v               T
}

// attachment is an aws_autoscaling_attachment: a target group or classic ELB added to a
// group by a separate resource.
type attachment struct {
	targetGroup string
	elb         string
	at          place
}

type listenerRec struct {
	account, region string
	stack           string
	lb              string
	l               inventory.Listener
	at              place
	what            string
}

// ruleRec is a listener rule: the target groups it forwards to are behind the listener's
// load balancer, as AWS lists them (TargetGroup.LoadBalancerArns), though not among the
// listener's default actions.
type ruleRec struct {
	account, region string
	stack           string
	listener        string
	tgs             []string
	at              place
	what            string
}

type clbListenerPolicyRec struct {
	account, region string
	stack           string
	lb              string
	port            int
	names           []string
	at              place
	what            string
}

type clbPolicyRec struct {
	account, region string
	stack           string
	lb              string
	port            int
	policy          inventory.ClassicPolicy
	at              place
	what            string
}

func scoped(account, region, v string) string { return account + "/" + region + "/" + v }

func (b *builder) scope(account, region string) {
	if b.seenScopes == nil {
		b.seenScopes = map[[2]string]bool{}
	}
	b.seenScopes[[2]string{account, region}] = true
}

func (b *builder) notFound(at place, msg string) {
	b.gaps = append(b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapNotFound, Message: msg})
}

// index maps each identifier of a record to the record, scoped by stack, account and
// region, and by account and region alone for references from other stacks. Synthetic
// identifiers are unique on their own and are also indexed bare.
type index[T any] map[string]T

func (ix index[T]) add(stack, account, region string, v T, ids ...string) {
	for _, id := range ids {
		if id == "" {
			continue
		}
		for _, k := range []string{stack + "\x00" + scoped(account, region, id), scoped(account, region, id)} {
			if _, dup := ix[k]; !dup {
				ix[k] = v
			}
		}
		if strings.HasPrefix(id, "iac:") {
			ix[id] = v
		}
	}
}

func (ix index[T]) find(stack, account, region, id string) (T, bool) {
	if v, ok := ix[stack+"\x00"+scoped(account, region, id)]; ok {
		return v, true
	}
	if v, ok := ix[scoped(account, region, id)]; ok {
		return v, true
	}
	v, ok := ix[id]
	return v, ok && strings.HasPrefix(id, "iac:")
}

// suffixes tells records that share an identity (account, region and name) apart: every
// one of them, not all but the first, gets its stack added, or its place when two share a
// stack too. Records whose identity is their own get no suffix.
func suffixes(ids, stacks []string, at []place) []string {
	byID := map[string][]int{}
	for i, id := range ids {
		byID[id] = append(byID[id], i)
	}
	out := make([]string, len(ids))
	for _, idx := range byID {
		if len(idx) < 2 {
			continue
		}
		perStack := map[string]int{}
		for _, i := range idx {
			perStack[stacks[i]]++
		}
		for _, i := range idx {
			if perStack[stacks[i]] == 1 {
				out[i] = " (" + stackLabel(stacks[i]) + ")"
			} else {
				out[i] = " (" + at[i].path + ":" + itoa(at[i].line) + ")"
			}
		}
	}
	return out
}

// stackLabel is how a stack is named to tell records apart: its folder or template, and
// for the folder given itself, "root module" rather than ".".
func stackLabel(stack string) string {
	if stack == "." || stack == "" {
		return "root module"
	}
	return stack
}

// estate joins everything and returns the estate's lists, sorted.
func (b *builder) estate(est *inventory.Estate) {
	lts, lcs := index[*launchRec]{}, index[*launchRec]{}
	for _, r := range b.templates {
		lts.add(r.stack, r.account, r.region, r, r.id, r.name)
	}
	for _, r := range b.configs {
		lcs.add(r.stack, r.account, r.region, r, r.id, r.name)
	}

	groups := index[*groupRec]{}
	for _, gr := range b.groups {
		g := &gr.g
		b.scope(g.Account, g.Region)
		groups.add(gr.stack, g.Account, g.Region, gr, g.Name, g.ARN)
		b.joinLaunch(gr, lts, lcs)
	}
	attachTo := func(stack, account, region, ref string, at place, what string) *inventory.AutoScalingGroup {
		gr, ok := groups.find(stack, account, region, ref)
		if !ok {
			b.notFound(at, what+": group "+ref+" is not defined in the code read")
			return nil
		}
		return &gr.g
	}
	for _, p := range b.policies {
		if g := attachTo(p.stack, p.account, p.region, p.group, p.at, p.what); g != nil {
			g.ScalingPolicies = append(g.ScalingPolicies, p.v)
		}
	}
	for _, p := range b.schedules {
		if g := attachTo(p.stack, p.account, p.region, p.group, p.at, p.what); g != nil {
			g.ScheduledActions = append(g.ScheduledActions, p.v)
		}
	}
	for _, p := range b.hooks {
		if g := attachTo(p.stack, p.account, p.region, p.group, p.at, p.what); g != nil {
			g.LifecycleHooks = append(g.LifecycleHooks, p.v)
		}
	}
	for _, p := range b.deployments {
		if g := attachTo(p.stack, p.account, p.region, p.group, p.at, p.what); g != nil {
			g.Deployments = append(g.Deployments, p.v)
		}
	}
	for _, a := range b.associations {
		for _, gr := range b.groups {
			if ok, how := inventory.TargetsGroup(a.targets, gr.g.Tags); ok && gr.g.Account == a.account && gr.g.Region == a.region {
				d := a.v
				d.Target = how
				gr.g.Deployments = append(gr.g.Deployments, d)
			}
		}
	}
	for _, u := range b.unknownParts {
		for _, gr := range b.groups {
			if gr.stack == u.stack && gr.g.Account == u.account && gr.g.Region == u.region {
				gr.g.Unknown = sortedUnique(append(gr.g.Unknown, u.field))
			}
		}
	}
	for _, p := range b.attach {
		if g := attachTo(p.stack, p.account, p.region, p.group, p.at, p.what); g != nil {
			if p.v.targetGroup != "" {
				g.TargetGroupARNs = append(g.TargetGroupARNs, p.v.targetGroup)
				setAttachPlace(g, "TargetGroupARNs", p.v.at)
			}
			if p.v.elb != "" {
				g.LoadBalancerNames = append(g.LoadBalancerNames, p.v.elb)
				setAttachPlace(g, "LoadBalancerNames", p.v.at)
			}
		}
	}

	lbs := index[*inventory.LoadBalancer]{}
	for _, lb := range b.lbs {
		b.scope(lb.Account, lb.Region)
		lbs.add("", lb.Account, lb.Region, lb, lb.ARN, lb.Name)
	}
	tgs := index[*inventory.TargetGroup]{}
	for _, tg := range b.tgs {
		b.scope(tg.Account, tg.Region)
		tgs.add("", tg.Account, tg.Region, tg, tg.ARN)
	}
	for _, l := range b.listeners {
		lb, ok := lbs.find("", l.account, l.region, l.lb)
		if !ok {
			b.notFound(l.at, l.what+": load balancer "+l.lb+" is not defined in the code read")
			continue
		}
		lb.Listeners = append(lb.Listeners, l.l)
		behind(tgs, l.account, l.region, l.l.TargetGroupARNs, lb.ARN)
	}
	lbOfListener := index[*inventory.LoadBalancer]{}
	for _, lb := range b.lbs {
		for _, l := range lb.Listeners {
			lbOfListener.add("", lb.Account, lb.Region, lb, l.ARN)
		}
	}
	for _, r := range b.rules {
		lb, ok := lbOfListener.find("", r.account, r.region, r.listener)
		if !ok {
			b.notFound(r.at, r.what+": listener "+r.listener+" is not defined in the code read")
			continue
		}
		behind(tgs, r.account, r.region, r.tgs, lb.ARN)
	}
	clbs := index[*inventory.ClassicLoadBalancer]{}
	for _, c := range b.classic {
		b.scope(c.lb.Account, c.lb.Region)
		clbs.add(c.stack, c.lb.Account, c.lb.Region, c.lb, c.lb.Name, c.lb.Source)
	}
	for _, p := range b.clbPolicy {
		lb, ok := clbs.find(p.stack, p.account, p.region, p.lb)
		if !ok {
			b.notFound(p.at, p.what+": load balancer "+p.lb+" is not defined in the code read")
			continue
		}
		lb.Policies = append(lb.Policies, p.policy)
		if lb.Places != nil {
			lb.Places["Policies["+p.policy.Name+"]"] = toPlace(p.at)
		}
		for i := range lb.Listeners {
			if lb.Listeners[i].Port == p.port {
				lb.Listeners[i].PolicyNames = sortedUnique(append(lb.Listeners[i].PolicyNames, p.policy.Name))
				if lb.Places != nil {
					// The policy resource is what makes the listener sticky.
					lb.Places["ListenerDescriptions["+itoa(p.port)+"].PolicyNames"] = toPlace(p.at)
				}
			}
		}
	}

	for _, p := range b.clbListenerPolicy {
		lb, ok := clbs.find(p.stack, p.account, p.region, p.lb)
		if !ok {
			b.notFound(p.at, p.what+": load balancer "+p.lb+" is not defined in the code read")
			continue
		}
		for i := range lb.Listeners {
			if lb.Listeners[i].Port == p.port {
				lb.Listeners[i].PolicyNames = sortedUnique(append(lb.Listeners[i].PolicyNames, p.names...))
				if lb.Places != nil {
					lb.Places["ListenerDescriptions["+itoa(p.port)+"].PolicyNames"] = toPlace(p.at)
				}
			}
		}
	}

	// Names are identities once joined: groups by workload, classic load balancers by the
	// name a group lists. Records from different stacks that share one are told apart.
	var ids, stacks []string
	var at []place
	for _, c := range b.classic {
		ids, stacks, at = append(ids, scoped(c.lb.Account, c.lb.Region, c.lb.Name)), append(stacks, c.stack), append(at, c.at)
	}
	for i, sfx := range suffixes(ids, stacks, at) {
		b.classic[i].lb.Name += sfx
	}
	ids, stacks, at = nil, nil, nil
	for _, gr := range b.groups {
		ids, stacks, at = append(ids, gr.g.ID()), append(stacks, gr.stack), append(at, gr.at)
	}
	for i, sfx := range suffixes(ids, stacks, at) {
		b.groups[i].g.Name += sfx
	}
	// A group lists its classic load balancers by name: the name as the load balancer now
	// has it. One the code names by its identifier only (no name is written) and that is not
	// read cannot be named at all.
	for _, gr := range b.groups {
		g := &gr.g
		var names []string
		for _, n := range g.LoadBalancerNames {
			if lb, ok := clbs.find(gr.stack, g.Account, g.Region, n); ok {
				names = append(names, lb.Name)
				continue
			}
			if inventory.FromCode(n) {
				b.notFound(gr.at, "group "+g.Name+": classic load balancer "+n+" is not defined in the code read")
				continue
			}
			names = append(names, n)
		}
		g.LoadBalancerNames = names
	}

	for _, gr := range b.groups {
		g := gr.g
		g.TargetGroupARNs = sortedUnique(g.TargetGroupARNs)
		g.LoadBalancerNames = sortedUnique(g.LoadBalancerNames)
		sort.SliceStable(g.ScalingPolicies, func(i, j int) bool { return g.ScalingPolicies[i].Name < g.ScalingPolicies[j].Name })
		sort.SliceStable(g.ScheduledActions, func(i, j int) bool { return g.ScheduledActions[i].Name < g.ScheduledActions[j].Name })
		sort.SliceStable(g.LifecycleHooks, func(i, j int) bool { return g.LifecycleHooks[i].Name < g.LifecycleHooks[j].Name })
		est.Groups = append(est.Groups, g)
	}
	for _, lb := range b.lbs {
		sort.SliceStable(lb.Listeners, func(i, j int) bool { return lb.Listeners[i].Port < lb.Listeners[j].Port })
		est.LoadBalancers = append(est.LoadBalancers, *lb)
	}
	for _, tg := range b.tgs {
		est.TargetGroups = append(est.TargetGroups, *tg)
	}
	for _, c := range b.classic {
		lb := c.lb
		sort.SliceStable(lb.Policies, func(i, j int) bool { return lb.Policies[i].Name < lb.Policies[j].Name })
		est.ClassicLoadBalancers = append(est.ClassicLoadBalancers, *lb)
	}
	regions := map[string][]string{}
	for s := range b.seenScopes {
		regions[s[0]] = append(regions[s[0]], s[1])
	}
	for acct, rs := range regions {
		est.Accounts = append(est.Accounts, inventory.Account{ID: acct, Regions: sortedUnique(rs)})
	}
	for _, im := range b.images {
		est.Images = append(est.Images, im)
	}
	est.Coverage = append(est.Coverage, b.gaps...)
}

// launchUnknown is every launch field, for a group whose launch data is not read: its
// zero values (no user data, no image) are not what the group runs.
func launchUnknown() []string {
	return []string{"BlockDeviceMappings", "IamInstanceProfile", "ImageId", "InstanceMarketOptions.MarketType",
		"InstanceType", "KeyName", "MetadataOptions.HttpTokens", "Placement.Tenancy", "SecurityGroupIds", "UserData"}
}

// setAttachPlace records where an attachment adds to the group's list, when the group
// itself does not write the list.
func setAttachPlace(g *inventory.AutoScalingGroup, field string, at place) {
	if g.Places == nil {
		return
	}
	if _, ok := g.Places[field]; !ok {
		g.Places[field] = toPlace(at)
	}
}

// joinLaunch gives a group the launch data of the template or configuration it names.
func (b *builder) joinLaunch(gr *groupRec, lts, lcs index[*launchRec]) {
	g := &gr.g
	resolve := func(ref *inventory.LaunchTemplateRef) {
		if ref == nil {
			return
		}
		r, ok := lts.find(gr.stack, g.Account, g.Region, ref.ID)
		if !ok {
			r, ok = lts.find(gr.stack, g.Account, g.Region, ref.Name)
		}
		if !ok {
			b.notFound(gr.at, "group "+g.Name+": launch template "+strings.TrimSpace(ref.ID+" "+ref.Name)+" is not defined in the code read; its launch data is unknown")
			g.Launch.Unknown = launchUnknown()
			return
		}
		ref.ID, ref.Name = r.id, r.name
		if ref.Version == "" {
			ref.Version = "$Default"
		}
		b.launch(g, r)
	}
	switch {
	case g.LaunchTemplate != nil:
		resolve(g.LaunchTemplate)
	case g.MixedInstances != nil && g.MixedInstances.LaunchTemplate != nil:
		resolve(g.MixedInstances.LaunchTemplate)
	case g.LaunchConfiguration == "":
		// No launch data the code names (a reference that cannot be known has its gap).
		g.Launch.Unknown = launchUnknown()
	case g.LaunchConfiguration != "":
		r, ok := lcs.find(gr.stack, g.Account, g.Region, g.LaunchConfiguration)
		if !ok {
			b.notFound(gr.at, "group "+g.Name+": launch configuration "+g.LaunchConfiguration+" is not defined in the code read; its launch data is unknown")
			g.Launch.Unknown = launchUnknown()
			return
		}
		g.LaunchConfiguration = r.name
		b.launch(g, r)
	}
}

// launch gives a group its launch data and, when the image comes from a lookup, the image
// as the lookup describes it, in the group's account and region: assess finds a group's
// image there.
func (b *builder) launch(g *inventory.AutoScalingGroup, r *launchRec) {
	g.Launch = r.spec
	if r.image != nil {
		b.addImage(g.Account, g.Region, r.image)
	}
}

// behind records that the target groups arns receive traffic from the load balancer lbARN.
func behind(tgs index[*inventory.TargetGroup], account, region string, arns []string, lbARN string) {
	for _, arn := range arns {
		if tg, ok := tgs.find("", account, region, arn); ok {
			tg.LoadBalancerARNs = sortedUnique(append(tg.LoadBalancerARNs, lbARN))
		}
	}
}
