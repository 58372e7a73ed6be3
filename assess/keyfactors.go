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
	var out []KeyFactor
	for _, c := range cs {
		if len(out) == keyFactorCount {
			break
		}
		k := KeyFactor{ID: c.f.ID, Title: c.f.Title, Effect: EffectHoldsBack}
		k.Why = fmt.Sprintf("Answered %d of 4 (weight %g): a capability the organisation has to build before teams can run on Kubernetes.", *c.f.Answer, c.f.Weight)
		if c.f.Role == RoleBenefit {
			k.Effect = EffectBenefit
			k.Why = fmt.Sprintf("Answered %d of 4 (weight %g): the more of this there is, the more Kubernetes gives.", *c.f.Answer, c.f.Weight)
		}
		if c.f.Contradiction != "" {
			k.Why += " The evidence disagrees with the answer; check it."
		}
		out = append(out, k)
	}
	return out
}
