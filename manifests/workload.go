package manifests

import (
	"sort"
	"strings"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// workload is one assessed Auto Scaling group with the facts the manifests are written
// from, resolved once from the estate's typed fields.
type workload struct {
	a       *assess.Workload
	g       *inventory.AutoScalingGroup
	tgs     []*inventory.TargetGroup
	classic []*inventory.ClassicLoadBalancer
	// lbs are the elbv2 load balancers in front of the target groups, by ARN.
	lbs map[string]*inventory.LoadBalancer
	// facts are the facts of the scripts linked to the group, with their places, each
	// place once.
	facts []inventory.Fact
}

// resolve finds the group of an assessed workload and what it references. It returns
// nil when the estate does not hold the group (an assessment of another estate).
func resolve(e *inventory.Estate, a *assess.Workload) *workload {
	g := e.Group(a.ID)
	if g == nil {
		return nil
	}
	w := &workload{a: a, g: g, lbs: map[string]*inventory.LoadBalancer{}}
	tgs := map[string]*inventory.TargetGroup{}
	for i := range e.TargetGroups {
		tgs[e.TargetGroups[i].ARN] = &e.TargetGroups[i]
	}
	for _, arn := range sortedUnique(g.TargetGroupARNs) {
		if tg := tgs[arn]; tg != nil {
			w.tgs = append(w.tgs, tg)
		}
	}
	for _, n := range sortedUnique(g.LoadBalancerNames) {
		for i := range e.ClassicLoadBalancers {
			lb := &e.ClassicLoadBalancers[i]
			if lb.Name == n && lb.Account == g.Account && lb.Region == g.Region {
				w.classic = append(w.classic, lb)
			}
		}
	}
	for _, tg := range w.tgs {
		for _, arn := range tg.LoadBalancerARNs {
			for i := range e.LoadBalancers {
				if e.LoadBalancers[i].ARN == arn {
					w.lbs[arn] = &e.LoadBalancers[i]
				}
			}
		}
	}
	type place struct {
		kind         inventory.FactKind
		detail, file string
		line         int
	}
	seen := map[place]bool{}
	// The same text read twice — a user-data file kept in the repository and the user data
	// AWS returned — holds the same facts: they are kept once, at the first path (the
	// repository's, which a person edits).
	texts := map[string]bool{}
	order := make([]*inventory.Script, len(e.Scripts))
	for i := range e.Scripts {
		order[i] = &e.Scripts[i]
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Path < order[j].Path })
	for _, sc := range order {
		linked := false
		for _, l := range sc.Links {
			if l.Workload == a.ID {
				linked = true
				break
			}
		}
		if !linked || (sc.ContentHash != "" && texts[sc.ContentHash]) {
			continue
		}
		if sc.ContentHash != "" {
			texts[sc.ContentHash] = true
		}
		for _, f := range sc.Facts {
			f = sc.Placed(f)
			k := place{f.Kind, f.Detail(), f.Evidence.File, f.Evidence.Line}
			if !seen[k] {
				seen[k] = true
				w.facts = append(w.facts, f)
			}
		}
	}
	sort.SliceStable(w.facts, func(i, j int) bool { return inventory.CompareFacts(&w.facts[i], &w.facts[j]) < 0 })
	return w
}

// factsOf returns the workload's facts of the given kinds.
func (w *workload) factsOf(kinds ...inventory.FactKind) []inventory.Fact {
	var out []inventory.Fact
	for _, f := range w.facts {
		for _, k := range kinds {
			if f.Kind == k {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// groupEv is evidence naming a field of the group, as the Auto Scaling API spells it.
func (w *workload) groupEv(field, value string) inventory.Evidence {
	arn := w.g.ARN
	if arn == "" {
		arn = w.g.ID()
	}
	return inventory.Evidence{ARN: arn, Field: "AutoScalingGroup." + field, Value: value}
}

// launchEv names a launch data field as the launch template or configuration API spells it.
func (w *workload) launchEv(ltField, lcField, value string) inventory.Evidence {
	src := w.g.Launch.Source
	field := "LaunchTemplateData." + ltField
	if w.g.LaunchConfiguration != "" {
		field = "LaunchConfiguration." + lcField
		if src == "" {
			src = "launch-configuration " + w.g.LaunchConfiguration
		}
	} else if src == "" {
		src = w.g.ID()
	}
	return inventory.Evidence{ARN: src, Field: field, Value: value}
}

func tgEv(tg *inventory.TargetGroup, field, value string) inventory.Evidence {
	return inventory.Evidence{ARN: tg.ARN, Field: "TargetGroup." + field, Value: value}
}

func listenerEv(l *inventory.Listener, field, value string) inventory.Evidence {
	return inventory.Evidence{ARN: l.ARN, Field: "Listener." + field, Value: value}
}

func lbEv(lb *inventory.LoadBalancer, field, value string) inventory.Evidence {
	return inventory.Evidence{ARN: lb.ARN, Field: "LoadBalancer." + field, Value: value}
}

func clbEv(lb *inventory.ClassicLoadBalancer, field, value string) inventory.Evidence {
	return inventory.Evidence{ARN: lb.ARN(), Field: "LoadBalancerDescription." + field, Value: value}
}

func sortedUnique(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	j := 0
	for i, s := range out {
		if i == 0 || s != out[j-1] {
			out[j] = s
			j++
		}
	}
	return out[:j]
}

// instanceTypes lists the group's instance types: the launch spec's and the mixed policy's.
func (w *workload) instanceTypes() []string {
	var ts []string
	if t := w.g.Launch.InstanceType; t != "" {
		ts = append(ts, t)
	}
	if m := w.g.MixedInstances; m != nil {
		ts = append(ts, m.InstanceTypes...)
	}
	return sortedUnique(ts)
}

// accelerated reports whether an instance type has GPUs or ML accelerators: the p and g
// families, and inf, trn and dl.
func accelerated(t string) bool {
	family, _, _ := strings.Cut(strings.ToLower(t), ".")
	digitAt := func(i int) bool { return len(family) > i && family[i] >= '0' && family[i] <= '9' }
	for _, p := range []string{"inf", "trn", "dl", "gr"} {
		if strings.HasPrefix(family, p) && digitAt(len(p)) {
			return true
		}
	}
	return len(family) >= 2 && (family[0] == 'p' || family[0] == 'g') && digitAt(1)
}

// spot reports whether some of the group's instances are bought on the spot market.
func (w *workload) spot() (bool, inventory.Evidence) {
	l := w.g.Launch
	switch {
	case strings.EqualFold(l.MarketType, "spot"):
		return true, w.launchEv("InstanceMarketOptions.MarketType", "SpotPrice", l.MarketType)
	case l.SpotPrice != "":
		return true, w.launchEv("InstanceMarketOptions.SpotOptions.MaxPrice", "SpotPrice", l.SpotPrice)
	}
	if m := w.g.MixedInstances; m != nil && m.OnDemandPercentageAboveBaseCapacity < 100 && w.g.Known("MixedInstancesPolicy") {
		return true, w.groupEv("MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity",
			itoa(m.OnDemandPercentageAboveBaseCapacity))
	}
	return false, inventory.Evidence{}
}
