package assess

import (
	"slices"

	"whyk8s/inventory"
)

// What a rule reads. A rule says, as data beside its check, which facts of the scripts and
// which constructs of the estate's resources it reads: a fact predicate (the kinds in
// Rule.Facts, narrowed by Rule.selects) and a resource reader (Rule.resources, one small
// function per kind of resource). The assessment runs them over one workload's linked
// scripts and resources and hands what they select to the rule's check; `whyk8s scan` runs
// the very same functions over every script and resource of the estate. Scan and assess
// therefore cannot disagree about what a rule reads.

// stage is when a script runs, as far as the code shows it.
type stage int

const (
	// stageUnknown: nothing shows when it runs (a shell script linked by tag, a file read
	// on its own).
	stageUnknown stage = iota
	// stageBoot: at instance boot — user data, cloud-config, and what they run.
	stageBoot
	// stageBuild: at image build — a Packer template and what only a Packer template runs.
	stageBuild
)

// A construct is one thing a rule reads in a resource — a sticky target group, a
// target-tracking policy, an extra EBS volume — as `whyk8s scan` prints it and a check
// cites it.
type construct struct {
	// Kind names what it is, for scripts that read scan's JSON: "target-group-stickiness",
	// "health-check", "scaling-policy", "spot", "block-device"…
	Kind string
	// Title says what it is in words a person understands.
	Title  string
	Detail string
	// Evidence is where it is; the first is the construct's own place (the attribute or
	// key), the place scan prints.
	Evidence []inventory.Evidence
	// Value is what a check needs of the construct besides the evidence: a health check's
	// path.
	Value string
	// Default says the construct is AWS's default, which the code does not write (an HTTP
	// health check on / for a target group without a health_check block): the assessment
	// weighs it like any other, scan does not print it as something the code shows.
	Default bool
	// Favourable says the construct counts for the workload under the rule (an HTTP health
	// check) rather than against it (a TCP one); checks that weigh both read it.
	Favourable bool
}

// written reports whether the code writes one of the fields (by their API names) of a
// record read from infrastructure code; a record collected from AWS (no places) states
// every field.
func written(ps inventory.Places, fields ...string) bool {
	if ps == nil {
		return true
	}
	for _, f := range fields {
		if _, ok := ps[f]; ok {
			return true
		}
	}
	return false
}

// resourceReader is what a rule reads of the estate's resources: one function per kind of
// resource, each returning the constructs the rule reads in it. A nil function reads
// nothing of that kind.
type resourceReader struct {
	// group reads an Auto Scaling group with its launch data, scaling policies, scheduled
	// actions and lifecycle hooks.
	group       func(s *subject) []construct
	targetGroup func(tg *inventory.TargetGroup) []construct
	classic     func(lb *inventory.ClassicLoadBalancer) []construct
	image       func(im *inventory.Image) []construct
}

// Resources names the kinds of resource the rule reads constructs of, as `whyk8s rules`
// prints them: "auto-scaling-group" (with its launch data, policies, scheduled actions and
// hooks), "target-group", "classic-load-balancer", "image".
func (r Rule) Resources() []string {
	var out []string
	for _, k := range []struct {
		on   bool
		name string
	}{
		{r.resources.group != nil, "auto-scaling-group"},
		{r.resources.targetGroup != nil, "target-group"},
		{r.resources.classic != nil, "classic-load-balancer"},
		{r.resources.image != nil, "image"},
	} {
		if k.on {
			out = append(out, k.name)
		}
	}
	return out
}

func (rr resourceReader) any() bool {
	return rr.group != nil || rr.targetGroup != nil || rr.classic != nil || rr.image != nil
}

// seen is what a rule's predicates select in one workload: the facts of its linked scripts
// the rule reads, in script then line order, and the constructs of its group, target groups,
// classic load balancers and image.
type seen struct {
	facts []inventory.Fact
	found []construct
}

// evidence is the evidence of every construct seen, in order.
func (in seen) evidence() []inventory.Evidence {
	var ev []inventory.Evidence
	for _, c := range in.found {
		ev = append(ev, c.Evidence...)
	}
	return ev
}

// split parts the constructs seen into favourable and unfavourable ones.
func (in seen) split() (good, bad []construct) {
	for _, c := range in.found {
		if c.Favourable {
			good = append(good, c)
		} else {
			bad = append(bad, c)
		}
	}
	return good, bad
}

// selectsFact reports whether the rule reads the fact, found in a script run at the stage.
func (r *Rule) selectsFact(f *inventory.Fact, at stage) bool {
	return slices.Contains(r.Facts, f.Kind) && (r.selects == nil || r.selects(f, at))
}

// see runs the rule's predicates over the subject.
func (s *subject) see(r *Rule) seen {
	var in seen
	if len(r.Facts) > 0 {
		fs, at := s.stagedFacts(r.Facts...)
		if r.selects == nil {
			in.facts = fs // shared: checks read it, never change it
		} else {
			for i := range fs {
				if r.selects(&fs[i], at[i]) {
					in.facts = append(in.facts, fs[i])
				}
			}
		}
	}
	add := func(cs []construct) {
		if in.found == nil {
			in.found = cs // most rules read one resource: no copy
		} else {
			in.found = append(in.found, cs...)
		}
	}
	rr := r.resources
	if rr.group != nil {
		add(rr.group(s))
	}
	if rr.targetGroup != nil {
		for _, tg := range s.tgs {
			add(rr.targetGroup(tg))
		}
	}
	if rr.classic != nil {
		for _, lb := range s.classic {
			add(rr.classic(lb))
		}
	}
	if rr.image != nil && s.image != nil {
		add(rr.image(s.image))
	}
	return in
}

// conclude is the rule's conclusion on the subject: its check over what its predicates
// select there.
func (r *Rule) conclude(s *subject) result { return r.check(s, s.see(r)) }

// linkStage is when a linked script runs for the workload its link ties it to: what the
// link says, else what the estate shows of the script (stages).
func linkStage(ls linkedScript, st stages) stage {
	switch ls.link.Reason {
	case inventory.LinkUserData, inventory.LinkSameText, inventory.LinkUserDataNames:
		return stageBoot
	case inventory.LinkSSM:
		// State Manager applies an association when an instance registers, then on its
		// schedule: work each new instance waits for, as for its user data.
		return stageBoot
	}
	if at, ok := st.script[ls.s.Path]; ok {
		return at
	}
	return stageUnknown
}

// scriptStages says when each script of the estate runs, from the scripts alone: user data
// and cloud-config, and what they reach through references, at boot; Packer templates, and
// what only they reach, at build; the rest is not known.
func scriptStages(scripts []inventory.Script) stages {
	refs := map[string][]string{}
	for _, sc := range scripts {
		for _, r := range sc.References {
			refs[sc.Path] = append(refs[sc.Path], r.Path)
		}
	}
	reach := func(from func(inventory.Script) bool) map[string]bool {
		seen := map[string]bool{}
		var stack []string
		for _, sc := range scripts {
			if from(sc) {
				seen[sc.Path] = true
				stack = append(stack, refs[sc.Path]...)
			}
		}
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !seen[p] {
				seen[p] = true
				stack = append(stack, refs[p]...)
			}
		}
		return seen
	}
	build := reach(func(sc inventory.Script) bool { return buildsImage(sc.Kind) })
	boot := reach(func(sc inventory.Script) bool { return isBootKind(sc.Kind) })
	out := make(map[string]stage, len(build)+len(boot))
	for p := range build {
		out[p] = stageBuild
	}
	// A script both run at build and at boot does its work at boot too.
	for p := range boot {
		out[p] = stageBoot
	}
	st := stages{script: out}
	for _, sc := range scripts {
		if len(sc.ImageBuilders) > 0 {
			if st.built == nil {
				st.built = map[string][]inventory.ImageBuilder{}
			}
			st.built[sc.Path] = append(st.built[sc.Path], sc.ImageBuilders...)
		}
	}
	return st
}

// stages says when the estate's scripts run (by path), and which lines of them are an
// image builder's (inventory.ImageBuilder): what those do happens when the image is made.
type stages struct {
	script map[string]stage
	built  map[string][]inventory.ImageBuilder
}

// of is the stage of a fact of sc, which runs at the stage given: build when the fact is
// written on an image builder's lines (of sc, or of the template a user data fact cites).
func (st stages) of(sc *inventory.Script, f *inventory.Fact, at stage) stage {
	if len(st.built) == 0 {
		return at
	}
	for _, b := range st.built[sc.FileOf(f)] {
		if f.Evidence.Line >= b.FromLine && f.Evidence.Line <= b.ToLine {
			return stageBuild
		}
	}
	return at
}

// isBootKind reports the kinds of script that are user data: they run at boot.
func isBootKind(kind string) bool {
	switch kind {
	case inventory.ScriptUserData, inventory.ScriptCloudConfig, inventory.ScriptMIME:
		return true
	}
	return false
}
