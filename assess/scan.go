package assess

import (
	"cmp"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// ScanFinding is one script fact as `whyk8s scan` prints it, with the rule that uses it.
type ScanFinding struct {
	// Rule is the catalogue rule that reads this kind of fact; empty when no rule does
	// (the fact is still listed: it is what the scripts say).
	Rule  string `json:"rule"`
	Title string `json:"title"`
	// AlsoRules are the other rules that read this fact (a secret is a finding and costs
	// fit points; an s3fs mount likewise).
	AlsoRules []string `json:"alsoRules"`
	Kind      string   `json:"kind"`
	Detail    string   `json:"detail,omitempty"`
	File      string   `json:"file"`
	Line      int      `json:"line,omitempty"`
	Excerpt   string   `json:"excerpt"` // empty for a secret: its line may hold the value
}

// factTitles name the fact kinds no rule reads, so that every listed fact has a title.
var factTitles = map[string]string{
	inventory.FactObservability: "Observability agent",
	inventory.FactPackage:       "Package installed",
}

// ScriptFindings lists every fact of the scripts with the rule that uses it, sorted by file
// and line. Where several rules read a kind, a finding rule is named before a fit rule (a
// secret is first a secret), then the lowest id. A secret's excerpt is never included.
func ScriptFindings(scripts []inventory.Script, cat *Catalogue) []ScanFinding {
	if cat == nil {
		cat = NewCatalogue()
	}
	ruleFor := map[string]Rule{}
	readers := map[string][]string{}
	byID := map[string]Rule{}
	for _, r := range cat.Rules() {
		byID[r.ID] = r
		for _, k := range r.Facts {
			readers[k] = append(readers[k], r.ID)
			prev, ok := ruleFor[k]
			if !ok || (r.Direction == DirFinding && prev.Direction != DirFinding) {
				ruleFor[k] = r
			}
		}
	}
	buildOnly := buildTimeScripts(scripts)
	var out []ScanFinding
	for i := range scripts {
		sc := &scripts[i]
		for _, f := range sc.Facts {
			f = placed(sc, f)
			sf := ScanFinding{Kind: f.Kind, Detail: f.Detail(), File: f.Evidence.File, Line: f.Evidence.Line, Excerpt: f.Evidence.Excerpt, AlsoRules: []string{}}
			r, ok := ruleFor[f.Kind]
			// Where the rules split one kind of fact by what it says, name the rule that
			// counts this one, as the assessment does, and no other.
			split := true
			switch {
			case f.Kind == inventory.FactKernelTuning && isNodeKernel(&f):
				r, ok = byID["FIT-NODE-KERNEL"]
			case f.Kind == inventory.FactKernelTuning:
				r, ok = byID["FIT-KERNEL-TUNING"]
			case f.Kind == inventory.FactDatabase && isCache(&f):
				r, ok = byID["FIT-MULTI-SERVICE"] // a cache is another service on the box, not state
			default:
				split = false
			case isAgent(&f):
				ok = false
				sf.Title = "System service or agent (not counted as an application service)"
			case f.Kind == inventory.FactBootWork && (buildOnly[sc.Path] || sc.Kind == inventory.ScriptPackerHCL || sc.Kind == inventory.ScriptPackerJSON):
				ok = false
				sf.Title = "Work at image build (run by a Packer template, not at boot)"
			}
			switch {
			case ok:
				sf.Rule, sf.Title = r.ID, r.Title
				if !split {
					for _, id := range readers[f.Kind] {
						if id != r.ID {
							sf.AlsoRules = append(sf.AlsoRules, id)
						}
					}
					sort.Strings(sf.AlsoRules)
				}
			case sf.Title != "": // named above: a service the rule does not count
			case factTitles[f.Kind] != "":
				sf.Title = factTitles[f.Kind]
			default:
				sf.Title = f.Kind
			}
			out = append(out, sf)
		}
	}
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
	// and as a web server) is one finding: its details are joined.
	merged := out[:0]
	for _, f := range out {
		if n := len(merged); n > 0 && f.Rule != "" {
			last := &merged[n-1]
			if last.Rule == f.Rule && last.File == f.File && last.Line == f.Line {
				if f.Detail != last.Detail && !strings.Contains("; "+last.Detail+"; ", "; "+f.Detail+"; ") {
					last.Detail += "; " + f.Detail
				}
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

// buildTimeScripts are the scripts only an image build runs: reached through references
// from a Packer template and from no user data. Their upgrades and downloads happen once,
// in the build, which is where they belong.
func buildTimeScripts(scripts []inventory.Script) map[string]bool {
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
	build := reach(func(sc inventory.Script) bool {
		return sc.Kind == inventory.ScriptPackerHCL || sc.Kind == inventory.ScriptPackerJSON
	})
	boot := reach(func(sc inventory.Script) bool {
		switch sc.Kind {
		case inventory.ScriptUserData, inventory.ScriptCloudConfig, inventory.ScriptMIME:
			return true
		}
		return false
	})
	for p := range build {
		if boot[p] {
			delete(build, p)
		}
	}
	return build
}
