package assess

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// ScanFinding is one thing the code shows, as `whyk8s scan` prints it, with the rule that
// reads it: a fact of a script (a database installed, a cron entry) or a construct of a
// resource defined in Terraform or CloudFormation (a sticky target group, a target-tracking
// policy, an extra EBS volume).
type ScanFinding struct {
	// Rule is the catalogue rule that reads this fact or construct; empty when no rule does
	// (the fact is still listed with --all: it is what the scripts say).
	Rule  string `json:"rule"`
	Title string `json:"title"`
	// AlsoRules are the other rules that read this fact or construct (a secret is a finding
	// and costs fit points; an s3fs mount likewise).
	AlsoRules []string `json:"alsoRules"`
	// Kind is the fact's kind (inventory.Fact*) or what the construct is:
	// "target-group-stickiness", "health-check", "scaling-policy", "spot", "block-device"…
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"`
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	// Excerpt is the line as written; empty for a secret (its line may hold the value) and
	// for a construct of infrastructure code.
	Excerpt string `json:"excerpt"`
}

// factTitles name the fact kinds no rule reads, so that every listed fact has a title.
var factTitles = map[inventory.FactKind]string{
	inventory.FactObservability: "Observability agent",
	inventory.FactPackage:       "Package installed",
	// A service is read by the several-services rule only in company (Rule.together).
	inventory.FactService:   "Service started or enabled",
	inventory.FactWebServer: "Web server",
}

// unreadFactTitle names a fact no rule reads.
func unreadFactTitle(f *inventory.Fact, at stage) string {
	switch {
	case isAgent(f):
		return "System service or agent (not counted as an application service)"
	case f.Kind == inventory.FactBootWork && at == stageBuild:
		return "Work at image build (not at boot)"
	case f.Kind == inventory.FactConfigMgmt && at == stageBuild:
		return "Configuration management at image build (not at boot)"
	case factTitles[f.Kind] != "":
		return factTitles[f.Kind]
	}
	return f.Kind.String()
}

// ScanFindings lists what the estate's code shows, each with the rules that read it, through
// the rules' own predicates (Rule.Facts, selects and resources), so that scan names the rules
// the assessment would run on the same code: every fact of every script, and every construct
// a rule reads in every group, launch data, target group, classic load balancer and image,
// whether or not a workload uses it. Where several rules read one, a finding rule is named
// before a fit rule (a secret is first a secret), then the lowest id. Sorted by file and line;
// a secret's excerpt is never included.
func ScanFindings(e *inventory.Estate, cat *Catalogue) []ScanFinding {
	if cat == nil {
		cat = NewCatalogue()
	}
	rules := cat.Rules()
	sort.SliceStable(rules, func(i, j int) bool {
		return (rules[i].Direction == DirFinding) && (rules[j].Direction != DirFinding)
	})
	st := scriptStages(e.Scripts)
	var out []ScanFinding
	for i := range e.Scripts {
		sc := &e.Scripts[i]
		scriptAt := st.script[sc.Path]
		alone := rulesAlone(rules, sc, st, scriptAt)
		for _, f := range sc.Facts {
			f = sc.Placed(f)
			at := st.of(sc, &f, scriptAt)
			sf := ScanFinding{Kind: f.Kind.String(), Detail: f.Detail(), File: f.Evidence.File, Line: f.Evidence.Line, Excerpt: f.Evidence.Excerpt, AlsoRules: []string{}}
			for j := range rules {
				if alone[j] || !rules[j].selectsFact(&f, at) {
					continue
				}
				if sf.Rule == "" {
					sf.Rule, sf.Title = rules[j].ID, rules[j].Title
				} else {
					sf.AlsoRules = append(sf.AlsoRules, rules[j].ID)
				}
			}
			if sf.Rule == "" {
				sf.Title = unreadFactTitle(&f, at)
			}
			sort.Strings(sf.AlsoRules)
			out = append(out, sf)
		}
	}
	out = append(out, constructFindings(e, rules)...)
	// In inventory's order of places, the rule first on one line: the findings of one rule
	// on one line are next to each other, to be merged.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return cmp.Or(
			inventory.ComparePlace(inventory.Evidence{File: a.File, Line: a.Line}, inventory.Evidence{File: b.File, Line: b.Line}),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Detail, b.Detail),
		) < 0
	})
	// One line found twice for one rule ("crontab" and "crontab -", nginx as a service
	// and as a web server, a module's resource once per instance) is one finding: its
	// details are joined.
	merged := out[:0]
	for _, f := range out {
		if n := len(merged); n > 0 && f.Rule == "" {
			// A fact no rule reads, seen twice at one place (a template and the user data
			// rendered from it): once.
			if last := &merged[n-1]; last.Rule == "" && last.File == f.File && last.Line == f.Line && last.Kind == f.Kind && last.Detail == f.Detail {
				continue
			}
		}
		if n := len(merged); n > 0 && f.Rule != "" {
			last := &merged[n-1]
			if last.Rule == f.Rule && last.File == f.File && last.Line == f.Line {
				if f.Detail != last.Detail && !strings.Contains("; "+last.Detail+"; ", "; "+f.Detail+"; ") {
					last.Detail += "; " + f.Detail
				}
				for _, id := range f.AlsoRules {
					if !slices.Contains(last.AlsoRules, id) {
						last.AlsoRules = append(last.AlsoRules, id)
					}
				}
				sort.Strings(last.AlsoRules)
				continue
			}
		}
		merged = append(merged, f)
	}
	if merged == nil {
		merged = []ScanFinding{}
	}
	return merged
}

// rulesAlone marks the rules that count facts (Rule.together) and do not have enough of
// them in the script to conclude: scan does not name them for its facts.
func rulesAlone(rules []Rule, sc *inventory.Script, st stages, at stage) []bool {
	alone := make([]bool, len(rules))
	for j := range rules {
		if rules[j].together == nil {
			continue
		}
		var sel []*inventory.Fact
		for k := range sc.Facts {
			if rules[j].selectsFact(&sc.Facts[k], st.of(sc, &sc.Facts[k], at)) {
				sel = append(sel, &sc.Facts[k])
			}
		}
		alone[j] = !rules[j].together(sel)
	}
	return alone
}

// constructFindings runs the rules' resource readers over every resource of the estate.
// rules are in the order that picks the rule to name first. One construct read by several
// rules (a launch configuration is a finding and costs fit points) is one finding.
func constructFindings(e *inventory.Estate, rules []Rule) []ScanFinding {
	type key struct {
		kind, file string
		line       int
		detail     string
	}
	var out []ScanFinding
	at := map[key]int{}
	add := func(r *Rule, cs []construct) {
		for _, c := range cs {
			if c.Default {
				continue // AWS's default: not something the code shows
			}
			file, line := EvidencePlace(c.Evidence[0])
			k := key{c.Kind, file, line, c.Detail}
			if i, ok := at[k]; ok {
				if f := &out[i]; f.Rule != r.ID && !slices.Contains(f.AlsoRules, r.ID) {
					f.AlsoRules = append(f.AlsoRules, r.ID)
					sort.Strings(f.AlsoRules)
				}
				continue
			}
			at[k] = len(out)
			out = append(out, ScanFinding{Rule: r.ID, Title: c.Title, AlsoRules: []string{}, Kind: c.Kind, Detail: c.Detail, File: file, Line: line})
		}
	}
	ix := indexEstate(e)
	groups := make([]*inventory.AutoScalingGroup, len(e.Groups))
	for i := range e.Groups {
		groups[i] = &e.Groups[i]
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].ID() < groups[j].ID() })
	for _, g := range groups {
		s := ix.subject(g, e.CollectedAt)
		for i := range rules {
			if read := rules[i].resources.group; read != nil {
				add(&rules[i], read(s))
			}
		}
	}
	for ti := range e.TargetGroups {
		for i := range rules {
			if read := rules[i].resources.targetGroup; read != nil {
				add(&rules[i], read(&e.TargetGroups[ti]))
			}
		}
	}
	for li := range e.ClassicLoadBalancers {
		for i := range rules {
			if read := rules[i].resources.classic; read != nil {
				add(&rules[i], read(&e.ClassicLoadBalancers[li]))
			}
		}
	}
	for mi := range e.Images {
		for i := range rules {
			if read := rules[i].resources.image; read != nil {
				add(&rules[i], read(&e.Images[mi]))
			}
		}
	}
	return out
}

// EvidencePlace is the file and line evidence is cited at, as scan prints it: the
// evidence's own, else, for a resource read from infrastructure code, the place its
// identifier names ("iac:PATH:LINE:ADDRESS" or "iac:ROOT:ADDRESS@PATH:LINE"), else the
// evidence in words with no line.
func EvidencePlace(ev inventory.Evidence) (string, int) {
	if ev.File != "" {
		return ev.File, ev.Line
	}
	if inventory.FromCode(ev.ARN) {
		rest := strings.TrimPrefix(ev.ARN, "iac:")
		if i := strings.LastIndex(rest, "@"); i >= 0 {
			if j := strings.LastIndex(rest, ":"); j > i {
				if n, err := strconv.Atoi(rest[j+1:]); err == nil && n > 0 {
					return rest[i+1 : j], n
				}
			}
		}
		// The path may hold a colon; the line is the first all-digit part after it.
		parts := strings.Split(rest, ":")
		for i := 1; i < len(parts); i++ {
			if n, err := strconv.Atoi(parts[i]); err == nil && n > 0 {
				return strings.Join(parts[:i], ":"), n
			}
		}
	}
	return ev.String(), 0
}
