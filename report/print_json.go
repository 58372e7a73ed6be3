package report

import (
	"encoding/json"
	"io"

	"whyk8s/assess"
)

// WriteJSON writes v as every JSON whyk8s prints or writes is written: indented for humans
// and diffs, with '<', '>' and '&' left readable, and a trailing newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func scanJSON(w io.Writer, s *Scan) error { return WriteJSON(w, s) }

// ruleJSON is the stable JSON shape of one rule in 'whyk8s rules --format json'. Every key
// is always present, so that a script can read any of them without checking first.
type ruleJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Dimension string `json:"dimension"` // empty for finding rules
	// Direction is helps, hurts or bonus for a fit rule, finding for a finding rule.
	Direction string  `json:"direction"`
	Weight    float64 `json:"weight"`   // the default weight; 0 for finding rules
	Severity  string  `json:"severity"` // critical, high, medium or low; finding rules only
	// Cap is the highest score a workload can have while the rule fails; 0 for none.
	Cap int `json:"cap"`
	// BlockerEffort is the effort to fix a failure that must be fixed before the workload
	// moves (S, M, L, XL); empty when a failure is not a blocker.
	BlockerEffort string `json:"blockerEffort"`
	// Keep says a failure is a reason to keep the workload on ASG + ELB.
	Keep bool `json:"keep"`
	// Facts are the kinds of script fact the rule reads, as 'whyk8s scan' names them.
	Facts []string `json:"facts"`
	// Resources are the kinds of resource whose constructs the rule reads.
	Resources   []string `json:"resources"`
	Rationale   string   `json:"rationale"`
	Remediation string   `json:"remediation"`
	Kubernetes  string   `json:"kubernetes"`
}

func rulesJSON(w io.Writer, rules []assess.Rule) error {
	out := make([]ruleJSON, 0, len(rules))
	for _, r := range rules {
		facts := make([]string, 0, len(r.Facts))
		for _, k := range r.Facts {
			facts = append(facts, k.String())
		}
		resources := append([]string{}, r.Resources()...)
		out = append(out, ruleJSON{
			ID: r.ID, Title: r.Title, Dimension: r.Dimension, Direction: r.Direction, Weight: r.Weight,
			Severity: r.Severity, Cap: r.Cap, BlockerEffort: r.Blocker, Keep: r.Keep, Facts: facts, Resources: resources,
			Rationale: r.Rationale, Remediation: r.Remediation, Kubernetes: r.Kubernetes,
		})
	}
	return WriteJSON(w, out)
}

func changesJSON(w io.Writer, newer *assess.Assessment) error { return WriteJSON(w, newer.Changes) }
