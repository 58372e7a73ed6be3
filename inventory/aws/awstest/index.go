package awstest

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// index is the estate rearranged the way the APIs serve it: per account and region, with
// launch templates and configurations reconstructed from the groups that use them.
type index struct {
	accounts map[string]*accountData
}

type accountData struct {
	id       string
	name     string
	regions  []string // enabled regions, as DescribeRegions lists them
	byRegion map[string]*regionData
}

type regionData struct {
	groups    []*inventory.AutoScalingGroup // by name
	lcs       map[string]*launchConfig
	templates map[string]*launchTemplate // by id
	policies  []groupPolicy              // by group, then name
	scheduled []groupAction              // by group, then name
	hooks     map[string][]inventory.LifecycleHook

	classic    []*inventory.ClassicLoadBalancer // by name
	classicBy  map[string]*inventory.ClassicLoadBalancer
	lbs        []*inventory.LoadBalancer // by ARN
	lbBy       map[string]*inventory.LoadBalancer
	tgs        []*inventory.TargetGroup // by ARN
	tgBy       map[string]*inventory.TargetGroup
	images     map[string]*inventory.Image
	imageOrder []string
}

type launchConfig struct {
	name string
	arn  string
	spec inventory.LaunchSpec
}

type launchTemplate struct {
	id, name    string
	versions    map[int64]inventory.LaunchSpec
	defaultVers int64
}

func (t *launchTemplate) latest() int64 {
	var max int64
	for v := range t.versions {
		if v > max {
			max = v
		}
	}
	return max
}

type groupPolicy struct {
	group  string
	policy inventory.ScalingPolicy
}

type groupAction struct {
	group  string
	action inventory.ScheduledAction
}

func newIndex(e *inventory.Estate, missing map[string]bool) *index {
	ix := &index{accounts: map[string]*accountData{}}
	for _, a := range e.Accounts {
		ad := ix.account(a.ID)
		ad.name = a.Name
		ad.regions = append(ad.regions, a.Regions...)
	}
	unresolved := map[*regionData][]*inventory.AutoScalingGroup{}
	for i := range e.Groups {
		g := &e.Groups[i]
		rd := ix.region(g.Account, g.Region)
		rd.groups = append(rd.groups, g)
		for _, p := range g.ScalingPolicies {
			rd.policies = append(rd.policies, groupPolicy{g.Name, p})
		}
		for _, a := range g.ScheduledActions {
			rd.scheduled = append(rd.scheduled, groupAction{g.Name, a})
		}
		if len(g.LifecycleHooks) > 0 {
			rd.hooks[g.Name] = g.LifecycleHooks
		}
		switch ref := templateRef(g); {
		case ref != nil:
			t := rd.template(ref)
			if n, err := strconv.ParseInt(ref.Version, 10, 64); err == nil {
				t.versions[n] = g.Launch
			} else if ref.ResolvedVersion > 0 {
				t.versions[ref.ResolvedVersion] = g.Launch
				if ref.Version == "$Default" || ref.Version == "" {
					t.defaultVers = ref.ResolvedVersion
				}
			} else {
				unresolved[rd] = append(unresolved[rd], g)
			}
		case g.LaunchConfiguration != "":
			arn := g.Launch.Source
			if !strings.HasPrefix(arn, "arn:") {
				arn = "arn:aws:autoscaling:" + g.Region + ":" + g.Account + ":launchConfiguration:00000000-0000-0000-0000-000000000000:launchConfigurationName/" + g.LaunchConfiguration
			}
			rd.lcs[g.LaunchConfiguration] = &launchConfig{name: g.LaunchConfiguration, arn: arn, spec: g.Launch}
		}
	}
	// A symbolic version without a resolved number still has to point somewhere: the
	// latest known version, or version 1 of a template seen nowhere else.
	for rd, groups := range unresolved {
		for _, g := range groups {
			ref := templateRef(g)
			t := rd.template(ref)
			v := t.latest()
			if ref.Version != "$Latest" && t.defaultVers > 0 {
				v = t.defaultVers
			}
			if v == 0 {
				v = 1
			}
			if _, ok := t.versions[v]; !ok {
				t.versions[v] = g.Launch
			}
		}
	}
	for _, ad := range ix.accounts {
		for _, rd := range ad.byRegion {
			for _, t := range rd.templates {
				if t.defaultVers == 0 {
					t.defaultVers = lowest(t.versions)
				}
			}
		}
	}
	for i := range e.ClassicLoadBalancers {
		lb := &e.ClassicLoadBalancers[i]
		rd := ix.region(lb.Account, lb.Region)
		rd.classic = append(rd.classic, lb)
		rd.classicBy[lb.Name] = lb
	}
	for i := range e.LoadBalancers {
		lb := &e.LoadBalancers[i]
		rd := ix.region(lb.Account, lb.Region)
		rd.lbs = append(rd.lbs, lb)
		rd.lbBy[lb.ARN] = lb
	}
	for i := range e.TargetGroups {
		tg := &e.TargetGroups[i]
		rd := ix.region(tg.Account, tg.Region)
		rd.tgs = append(rd.tgs, tg)
		rd.tgBy[tg.ARN] = tg
	}
	for i := range e.Images {
		im := &e.Images[i]
		rd := ix.region(im.Account, im.Region)
		if _, dup := rd.images[im.ID]; !dup {
			rd.images[im.ID] = im
			rd.imageOrder = append(rd.imageOrder, im.ID)
		}
	}
	for _, ad := range ix.accounts {
		for _, rd := range ad.byRegion {
			for id, t := range rd.templates {
				for v := range t.versions {
					if missing[id+":"+itoa64(v)] {
						delete(t.versions, v)
					}
				}
				if missing[id] {
					delete(rd.templates, id)
				}
			}
			for name := range rd.lcs {
				if missing[name] {
					delete(rd.lcs, name)
				}
			}
			for id := range rd.images {
				if missing[id] {
					delete(rd.images, id)
					rd.imageOrder = slices.DeleteFunc(rd.imageOrder, func(x string) bool { return x == id })
				}
			}
		}
		if len(ad.regions) == 0 {
			for r := range ad.byRegion {
				ad.regions = append(ad.regions, r)
			}
		}
		sort.Strings(ad.regions)
		for _, rd := range ad.byRegion {
			rd.sort()
		}
	}
	return ix
}

func lowest(versions map[int64]inventory.LaunchSpec) int64 {
	var min int64
	for v := range versions {
		if min == 0 || v < min {
			min = v
		}
	}
	return min
}

func templateRef(g *inventory.AutoScalingGroup) *inventory.LaunchTemplateRef {
	if g.LaunchTemplate != nil {
		return g.LaunchTemplate
	}
	if g.MixedInstances != nil {
		return g.MixedInstances.LaunchTemplate
	}
	return nil
}

func (ix *index) account(id string) *accountData {
	ad, ok := ix.accounts[id]
	if !ok {
		ad = &accountData{id: id, byRegion: map[string]*regionData{}}
		ix.accounts[id] = ad
	}
	return ad
}

func (ix *index) region(account, region string) *regionData {
	ad := ix.account(account)
	rd, ok := ad.byRegion[region]
	if !ok {
		rd = &regionData{
			lcs:       map[string]*launchConfig{},
			templates: map[string]*launchTemplate{},
			hooks:     map[string][]inventory.LifecycleHook{},
			classicBy: map[string]*inventory.ClassicLoadBalancer{},
			lbBy:      map[string]*inventory.LoadBalancer{},
			tgBy:      map[string]*inventory.TargetGroup{},
			images:    map[string]*inventory.Image{},
		}
		ad.byRegion[region] = rd
	}
	return rd
}

// lookup returns the region's data, or an empty region: an account with nothing in a
// region answers with empty lists, not an error.
func (ix *index) lookup(account, region string) *regionData {
	if ad, ok := ix.accounts[account]; ok {
		if rd, ok := ad.byRegion[region]; ok {
			return rd
		}
	}
	return emptyRegion
}

var emptyRegion = &regionData{
	lcs:       map[string]*launchConfig{},
	templates: map[string]*launchTemplate{},
	hooks:     map[string][]inventory.LifecycleHook{},
	classicBy: map[string]*inventory.ClassicLoadBalancer{},
	lbBy:      map[string]*inventory.LoadBalancer{},
	tgBy:      map[string]*inventory.TargetGroup{},
	images:    map[string]*inventory.Image{},
}

func (rd *regionData) template(ref *inventory.LaunchTemplateRef) *launchTemplate {
	t, ok := rd.templates[ref.ID]
	if !ok {
		t = &launchTemplate{id: ref.ID, name: ref.Name, versions: map[int64]inventory.LaunchSpec{}}
		rd.templates[ref.ID] = t
	}
	return t
}

func (rd *regionData) templateByName(name string) *launchTemplate {
	for _, t := range rd.templates {
		if t.name == name {
			return t
		}
	}
	return nil
}

func (rd *regionData) sort() {
	sort.Slice(rd.groups, func(i, j int) bool { return rd.groups[i].Name < rd.groups[j].Name })
	sort.SliceStable(rd.policies, func(i, j int) bool {
		a, b := rd.policies[i], rd.policies[j]
		if a.group != b.group {
			return a.group < b.group
		}
		return a.policy.Name < b.policy.Name
	})
	sort.SliceStable(rd.scheduled, func(i, j int) bool {
		a, b := rd.scheduled[i], rd.scheduled[j]
		if a.group != b.group {
			return a.group < b.group
		}
		return a.action.Name < b.action.Name
	})
	sort.Slice(rd.classic, func(i, j int) bool { return rd.classic[i].Name < rd.classic[j].Name })
	sort.Slice(rd.lbs, func(i, j int) bool { return rd.lbs[i].ARN < rd.lbs[j].ARN })
	sort.Slice(rd.tgs, func(i, j int) bool { return rd.tgs[i].ARN < rd.tgs[j].ARN })
	sort.Strings(rd.imageOrder)
}

// templateItems lists the (template, version) pairs the account-wide form of
// DescribeLaunchTemplateVersions returns for the aliases asked for, by template id.
func (rd *regionData) templateItems(latest, def bool) []templateItem {
	ids := make([]string, 0, len(rd.templates))
	for id := range rd.templates {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []templateItem
	for _, id := range ids {
		t := rd.templates[id]
		seen := map[int64]bool{}
		for _, want := range []struct {
			ok bool
			v  int64
		}{{def, t.defaultVers}, {latest, t.latest()}} {
			if want.ok && !seen[want.v] {
				seen[want.v] = true
				out = append(out, templateItem{t, want.v})
			}
		}
	}
	return out
}

type templateItem struct {
	t *launchTemplate
	v int64
}
