package assess

import (
	"sort"

	"whyk8s/inventory"
)

// ScanFinding is one script fact as `whyk8s scan` prints it, with the rule that uses it.
type ScanFinding struct {
	// Rule is the catalogue rule that reads this kind of fact; empty when no rule does
	// (the fact is still listed: it is what the scripts say).
	Rule    string `json:"rule"`
	Title   string `json:"title"`
	Kind    string `json:"kind"`
	Detail  string `json:"detail,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Excerpt string `json:"excerpt,omitempty"`
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
	for _, r := range cat.Rules() {
		for _, k := range r.Facts {
			prev, ok := ruleFor[k]
			if !ok || (r.Direction == DirFinding && prev.Direction != DirFinding) {
				ruleFor[k] = r
			}
		}
	}
	var out []ScanFinding
	for i := range scripts {
		sc := &scripts[i]
		for _, f := range sc.Facts {
			f = placed(sc, f)
			sf := ScanFinding{Kind: f.Kind, Detail: f.Detail, File: f.Evidence.File, Line: f.Evidence.Line, Excerpt: f.Evidence.Excerpt}
			if r, ok := ruleFor[f.Kind]; ok {
				sf.Rule, sf.Title = r.ID, r.Title
			} else if t, ok := factTitles[f.Kind]; ok {
				sf.Title = t
			} else {
				sf.Title = f.Kind
			}
			out = append(out, sf)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Detail < b.Detail
	})
	if out == nil {
		out = []ScanFinding{}
	}
	return out
}
