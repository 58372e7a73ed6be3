package assess

import (
	"fmt"
	"sort"
)

// KeyFactor is one of the readiness factors that weigh most on this organisation's answer,
// as the board report shows them: what holds readiness back, and what makes the move worth
// it.
type KeyFactor struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Effect is "holds readiness back" for a capability answered low, or "reason to adopt"
	// for a benefit the answers say is large.
	Effect string `json:"effect"`
	// Why says it in a sentence, with the answer and the weight.
	Why string `json:"why"`
}

// Key factor effects.
const (
	EffectHoldsBack = "holds readiness back"
	EffectBenefit   = "reason to adopt"
)

// keyFactorCount is how many key factors the board report shows.
const keyFactorCount = 3

// keyFactors picks the answered factors that move the answer most: a capability counts by
// how far below 4 it was answered, a benefit by how much there is to gain (for an inverted
// factor, such as lead time, the lower the answer the larger the gain), each times its
// weight. Unanswered factors are unknown and are never picked.
func keyFactors(r Readiness) []KeyFactor {
	inverted := map[string]bool{}
	for _, f := range factors {
		inverted[f.ID] = f.Inverted
	}
	type cand struct {
		f      Factor
		impact float64
	}
	var cs []cand
	for _, f := range r.Factors {
		if f.Answer == nil || f.Weight <= 0 {
			continue
		}
		v := float64(*f.Answer) / 4
		impact := f.Weight * (1 - v)
		if f.Role == RoleBenefit {
			if inverted[f.ID] {
				v = 1 - v
			}
			impact = f.Weight * v
		}
		if impact > 0 {
			cs = append(cs, cand{f, impact})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].impact != cs[j].impact {
			return cs[i].impact > cs[j].impact
		}
		return cs[i].f.ID < cs[j].f.ID
	})
	// A board needs both sides: the strongest reason to adopt and the capabilities that
	// hold readiness back most. The strongest benefit is kept first; the rest are filled by
	// impact.
	picked := make([]cand, 0, keyFactorCount)
	for _, c := range cs {
		if c.f.Role == RoleBenefit {
			picked = append(picked, c)
			break
		}
	}
	for _, c := range cs {
		if len(picked) == keyFactorCount {
			break
		}
		if c.f.Role != RoleBenefit {
			picked = append(picked, c)
		}
	}
	for _, c := range cs {
		if len(picked) == keyFactorCount {
			break
		}
		if c.f.Role == RoleBenefit && c.f.ID != picked[0].f.ID {
			picked = append(picked, c)
		}
	}
	levels := map[string][5]string{}
	for _, f := range factors {
		levels[f.ID] = f.Levels
	}
	var out []KeyFactor
	for _, c := range picked {
		k := KeyFactor{ID: c.f.ID, Title: c.f.Title, Effect: EffectHoldsBack}
		said := ""
		if l, ok := levels[c.f.ID]; ok && *c.f.Answer >= 0 && *c.f.Answer < len(l) {
			said = " (" + lowerFirst(l[*c.f.Answer]) + ")"
		}
		k.Why = fmt.Sprintf("Answered %d of 4%s, weight %g: a capability to build before teams run on Kubernetes.", *c.f.Answer, said, c.f.Weight)
		if c.f.Role == RoleBenefit {
			k.Effect = EffectBenefit
			k.Why = fmt.Sprintf("Answered %d of 4%s, weight %g: this is where Kubernetes pays off.", *c.f.Answer, said, c.f.Weight)
		}
		if c.f.Contradiction != "" {
			k.Why += " The evidence disagrees with the answer; check it."
		}
		out = append(out, k)
	}
	return out
}
