package assess

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"whyk8s/inventory"
)

// topBlockerCount is how many blockers the executive summary lists.
const topBlockerCount = 5

func summarise(ws []Workload, subjects []*subject, e *inventory.Estate) Summary {
	s := Summary{Workloads: len(ws)}
	counts := map[string]int{}
	graded, total := 0, 0
	for _, w := range ws {
		counts[w.Fit.Category]++
		if w.Fit.Category != CategoryInsufficient && migrationCandidate(w.Recommendation.Kind) {
			graded++
			total += w.Fit.Score
		}
		if isNonProduction(w.Environment) {
			s.NonProduction++
		}
	}
	// The fit categories always, with zero counts; the categories roles decide only when a
	// workload has one.
	for _, c := range reportCategories {
		if counts[c] > 0 || !slices.Contains(RoleCategories, c) {
			s.ByCategory = append(s.ByCategory, CategoryCount{Category: c, Count: counts[c]})
		}
	}
	if graded > 0 {
		s.AverageScore = int(math.Round(float64(total) / float64(graded)))
	}
	s.TopBlockers = topBlockers(ws, topBlockerCount)
	s.TeamChanges = teamChanges(ws, subjects, e)
	return s
}

// topBlockers counts workloads per blocking rule, most common first.
func topBlockers(ws []Workload, n int) []BlockerCount {
	by := map[string]*BlockerCount{}
	for _, w := range ws {
		for _, b := range w.Blockers {
			bc := by[b.Rule]
			if bc == nil {
				bc = &BlockerCount{Rule: b.Rule, Title: b.Title}
				by[b.Rule] = bc
			}
			bc.Workloads = append(bc.Workloads, w.ID)
		}
	}
	out := make([]BlockerCount, 0, len(by))
	for _, bc := range by {
		sort.Strings(bc.Workloads)
		out = append(out, *bc)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Workloads) != len(out[j].Workloads) {
			return len(out[i].Workloads) > len(out[j].Workloads)
		}
		return out[i].Rule < out[j].Rule
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// teamChanges says in a few lines what changes for development and for operations, drawn
// from what this estate holds.
func teamChanges(ws []Workload, subjects []*subject, e *inventory.Estate) []string {
	moving := 0
	for _, w := range ws {
		if w.Recommendation.Kind == RecommendContainerise || w.Recommendation.Kind == RecommendAfterBlockers {
			moving++
		}
	}
	if moving == 0 {
		return nil
	}
	packer, ansible := 0, 0
	for _, sc := range e.Scripts {
		switch sc.Kind {
		case inventory.ScriptPackerJSON, inventory.ScriptPackerHCL:
			packer++
		case inventory.ScriptAnsiblePlay:
			ansible++
		}
	}
	var out []string
	out = append(out, fmt.Sprintf("Development: each of the %s to move gets a Dockerfile and manifests its team owns (Deployment, probes, resource requests, autoscaling); developers deploy through the pipeline and read their own logs and metrics.", plural(moving, "workload")))
	if packer+ansible > 0 {
		out = append(out, fmt.Sprintf("Development and operations together: the knowledge in %s and %s moves into image builds; the AMI pipeline is kept only for what stays on ASG + ELB.", plural(packer, "Packer template"), plural(ansible, "Ansible playbook")))
	}
	out = append(out, "Operations: runs the cluster as a platform (upgrades, node groups, ingress, secrets sync, observability) instead of one AMI, launch template and runbook per application.")
	cron, agents := 0, 0
	for _, s := range subjects {
		if len(s.facts(inventory.FactCron)) > 0 {
			cron++
		}
		if len(s.facts(inventory.FactObservability)) > 0 {
			agents++
		}
	}
	if cron+agents > 0 {
		out = append(out, fmt.Sprintf("Host cron jobs (%s) become CronJobs and host agents (%s) become DaemonSets the platform team runs.", plural(cron, "workload"), plural(agents, "workload")))
	}
	return out
}

func inventoryTables(e *inventory.Estate, ix *estateIndex, groups []*inventory.AutoScalingGroup) InventoryTables {
	t := InventoryTables{Groups: []GroupRow{}, LoadBalancers: []LoadBalancerRow{}, TargetGroups: []TargetGroupRow{}, Scripts: []ScriptRow{}}
	for _, g := range groups {
		s := ix.subject(g, time.Time{})
		hc := g.HealthCheckType
		if !g.Known("HealthCheckType") {
			hc = "unknown"
		}
		if g.HealthCheckGracePeriod > 0 && g.Known("HealthCheckGracePeriod") {
			hc += fmt.Sprintf(" (grace %ds)", g.HealthCheckGracePeriod)
		}
		t.Groups = append(t.Groups, GroupRow{
			Workload: g.ID(), Name: g.Name, Account: g.Account, Region: g.Region,
			Launch: launchLabel(g), ImageID: g.Launch.ImageID,
			InstanceTypes: strings.Join(s.instanceTypes(), ", "),
			Capacity:      sizeText(g, "MinSize", g.MinSize) + "/" + sizeText(g, "DesiredCapacity", g.DesiredCapacity) + "/" + sizeText(g, "MaxSize", g.MaxSize),
			HealthCheck:   hc, Policies: len(g.ScalingPolicies),
		})
	}
	stickyLB := map[string]bool{}
	for _, tg := range e.TargetGroups {
		if tg.StickinessEnabled() {
			for _, a := range tg.LoadBalancerARNs {
				stickyLB[a] = true
			}
		}
	}
	for _, lb := range e.ClassicLoadBalancers {
		var ls []string
		sticky := false
		for _, l := range lb.Listeners {
			ls = append(ls, l.Protocol+":"+portText(l.Port)+"→"+l.InstanceProtocol+":"+portText(l.InstancePort))
			for _, pn := range l.PolicyNames {
				if pt := classicPolicyType(&lb, pn); strings.Contains(pt, "Stickiness") {
					sticky = true
				}
			}
		}
		t.LoadBalancers = append(t.LoadBalancers, LoadBalancerRow{Name: lb.Name, Type: "classic", Account: lb.Account, Region: lb.Region, Scheme: lb.Scheme, Listeners: strings.Join(ls, ", "), Sticky: sticky})
	}
	lbs := append([]inventory.LoadBalancer(nil), e.LoadBalancers...)
	sort.SliceStable(lbs, func(i, j int) bool { return lbs[i].ARN < lbs[j].ARN })
	for i := range lbs {
		lb := &lbs[i]
		t.LoadBalancers = append(t.LoadBalancers, LoadBalancerRow{Name: lb.Name, Type: lb.Type, Account: lb.Account, Region: lb.Region, Scheme: lb.Scheme, Listeners: listenerLabels(lb), Sticky: stickyLB[lb.ARN]})
	}
	sort.SliceStable(t.LoadBalancers, func(i, j int) bool {
		a, b := t.LoadBalancers[i], t.LoadBalancers[j]
		return a.Account+"/"+a.Region+"/"+a.Name+"/"+a.Type < b.Account+"/"+b.Region+"/"+b.Name+"/"+b.Type
	})
	// Names can repeat across load balancers and target groups; the ARN breaks ties so the
	// order never follows the estate's.
	tgs := append([]inventory.TargetGroup(nil), e.TargetGroups...)
	sort.SliceStable(tgs, func(i, j int) bool {
		a, b := tgs[i], tgs[j]
		if ka, kb := a.Account+"/"+a.Region+"/"+a.Name, b.Account+"/"+b.Region+"/"+b.Name; ka != kb {
			return ka < kb
		}
		return a.ARN < b.ARN
	})
	for _, tg := range tgs {
		dd := tg.Attributes["deregistration_delay.timeout_seconds"]
		if dd != "" {
			dd += "s"
		}
		proto := tg.Protocol
		if tg.Port > 0 {
			proto += ":" + strconv.Itoa(tg.Port)
		}
		t.TargetGroups = append(t.TargetGroups, TargetGroupRow{
			Name: tg.Name, Account: tg.Account, Region: tg.Region, Protocol: proto,
			HealthCheck: healthLabel(tg.HealthCheck.Protocol, tg.HealthCheck.Port, tg.HealthCheck.Path),
			Sticky:      tg.StickinessEnabled(), DeregistrationDelay: dd,
		})
	}
	for _, sc := range e.Scripts {
		t.Scripts = append(t.Scripts, ScriptRow{Path: sc.Path, Kind: sc.Kind, Facts: len(sc.Facts), Links: len(sc.Links)})
	}
	sort.SliceStable(t.Scripts, func(i, j int) bool { return t.Scripts[i].Path < t.Scripts[j].Path })
	return t
}

func launchLabel(g *inventory.AutoScalingGroup) string {
	switch {
	case g.LaunchTemplate != nil:
		return ltLabel(g.LaunchTemplate)
	case g.MixedInstances != nil && g.MixedInstances.LaunchTemplate != nil:
		return ltLabel(g.MixedInstances.LaunchTemplate) + " (mixed instances)"
	case g.LaunchConfiguration != "":
		return "lc: " + g.LaunchConfiguration
	}
	return ""
}

func methodology(c *Catalogue, st settings) Methodology {
	m := Methodology{Thresholds: st.thresholds, Overrides: append([]string{}, st.overrides...), Method: methodText(st.thresholds)}
	for _, d := range dimensions {
		m.Dimensions = append(m.Dimensions, DimensionWeight{ID: d.ID, Name: d.Name, Weight: st.weights.Dimensions[d.ID], DefaultWeight: d.DefaultWeight})
	}
	for _, r := range c.Rules() {
		rf := RuleInForce{ID: r.ID, Title: r.Title, Dimension: r.Dimension, DefaultWeight: r.Weight, Rationale: r.Rationale, Remediation: r.Remediation, Kubernetes: r.Kubernetes}
		if r.Direction != DirFinding {
			rf.Weight = st.weights.Rules[r.ID]
		}
		m.Rules = append(m.Rules, rf)
	}
	return m
}

// methodText says how the numbers are made, so that the report's methodology section and
// the code cannot tell different stories.
func methodText(t Thresholds) []string {
	return []string{
		"Each rule concludes pass, fail, not applicable or unknown for a workload, with the evidence it read: a file and line of a provisioning script, or an AWS resource and API field.",
		"Within a dimension, the score is the weight of the rules that passed over the weight of the rules that passed or failed. A rule that helps passes when its practice is found; a rule that hurts passes when its problem is looked for and not found. Not applicable and unknown rules do not count.",
		"Not finding a problem counts as evidence only when the linked scripts show everything the instance runs: the image is built by a linked script or is one AWS publishes (a distribution, a Deep Learning or ECS-optimised AMI). A custom image of unknown origin, or a vendor's Marketplace image, could hold anything, so there the rule stays unknown.",
		"The workload's score is the mean of its known dimensions, weighted by dimension weight. A dimension with no evidence either way is unknown: its weight is shared among the known dimensions rather than counted as good or bad.",
		fmt.Sprintf("Confidence is the share of rule weight, by dimension, that evidence could decide. Below %d%% the category is Insufficient data, whatever the score.", t.MinConfidence),
		fmt.Sprintf("A few problems cap the score whatever else is good (Windows and Dedicated Hosts at 34, a database or an S3 FUSE mount on the instance at 49), and any blocker caps it at %d: a workload with something to fix first is not an excellent fit. A blocker of effort M or more, or one whose fix changes what the workload becomes on Kubernetes (an NFS mount becomes a PersistentVolume, a host cron job a CronJob), caps it at %d: it needs that work before it moves.", t.Excellent-1, t.Good-1),
		fmt.Sprintf("Categories: Excellent fit from %d, Good fit from %d, Needs minor work from %d, Needs major work from %d, Poor fit below %d.", t.Excellent, t.Good, t.MinorWork, t.MajorWork, t.MajorWork),
		"A signal's points are its share of the score: a passing rule's share gained, a failing rule's share lost (and, for the rule that set a cap, what the cap took). The score is 100 minus the points lost.",
		"Waves: 1, non-production workloads with a good or excellent fit; 2, production ones (a workload without an environment tag counts as production); 3, workloads that need work; 4, workloads without enough evidence; 5, workloads kept on ASG + ELB.",
	}
}
