package assess

import (
	"reflect"
	"testing"
)

func TestKeyFactors(t *testing.T) {
	n := func(v int) *int { return &v }
	r := Readiness{Assessed: true, Factors: []Factor{
		{ID: FactorLeadTime, Title: "Environment lead time", Role: RoleBenefit, Weight: 3, Answer: n(1)},            // inverted: long lead time, gain 0.75×3
		{ID: "ORG-DEVOPS", Title: "Developer operational ownership", Role: RoleCapability, Weight: 3, Answer: n(0)}, // shortfall 3
		{ID: "ORG-CICD", Title: "Pipeline self-service", Role: RoleCapability, Weight: 2, Answer: n(4)},             // nothing missing
		{ID: "ORG-OPS", Title: "Operations readiness", Role: RoleCapability, Weight: 2, Answer: n(2)},               // shortfall 1
		{ID: "ORG-PLATFORM", Title: "Platform mandate", Role: RoleCapability, Weight: 5},                            // unknown: never picked
	}}
	var got []string
	for _, k := range keyFactors(r) {
		got = append(got, k.ID+" "+k.Effect)
	}
	// The strongest benefit first, then the largest capability shortfalls.
	want := []string{FactorLeadTime + " " + EffectBenefit, "ORG-DEVOPS " + EffectHoldsBack, "ORG-OPS " + EffectHoldsBack}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keyFactors = %q, want %q", got, want)
	}
	if k := keyFactors(Readiness{}); len(k) != 0 {
		t.Errorf("no answers gave key factors %v", k)
	}
}
