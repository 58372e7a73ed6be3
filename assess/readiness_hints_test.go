package assess

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// The scale hint counts accounts the estate names; an account the code does not name is
// said to be unknown, never counted as one account.
func TestScaleHintAccounts(t *testing.T) {
	for _, c := range []struct {
		accounts []string
		says     string
		level    int
	}{
		{[]string{"111111111111"}, "3 workloads in 1 account:", 0},
		{[]string{"111111111111", "222222222222", "333333333333", "444444444444", "555555555555"}, "3 workloads in 5 accounts:", 3},
		{[]string{inventory.UnknownScope}, "3 workloads in accounts the code does not name:", 0},
		{[]string{"111111111111", inventory.UnknownScope}, "3 workloads in 1 account and others the code does not name:", 0},
		{nil, "3 workloads in 1 account:", 0},
	} {
		ws := make([]Workload, 3)
		subjects := bareSubjects(3)
		h := readinessHints(subjects, ws, c.accounts)[FactorScale]
		if !strings.HasPrefix(h.text, c.says) || h.level != c.level {
			t.Errorf("accounts %q: hint %q level %d, want it to start %q at level %d", c.accounts, h.text, h.level, c.says, c.level)
		}
	}
}

// The operations hint's denominator is the workloads whose image's origin is known, and
// it says so: calling them the workloads with linked scripts contradicted the
// observability hint beside it, which counts those.
func TestOpsHintDenominator(t *testing.T) {
	ws := []Workload{
		{Signals: []Signal{{Rule: RuleImmutableImage, Points: 10}}},
		{Signals: []Signal{{Rule: RuleImmutableImage, Points: -5}}},
		{Signals: []Signal{{Rule: RuleDockerPresent, Points: 5}}},
	}
	for _, c := range []struct {
		ws   []Workload
		want string
	}{
		{ws, "1 of the 2 workloads whose image's origin is known is built as an immutable image. 1 workload already uses Docker."},
		{ws[1:], "The one workload whose image's origin is known is not built as an immutable image. 1 workload already uses Docker."},
		{[]Workload{ws[0], ws[0], ws[1]}, "2 of the 3 workloads whose image's origin is known are built as immutable images."},
	} {
		if h := readinessHints(bareSubjects(len(c.ws)), c.ws, nil)[FactorOps]; h.text != c.want {
			t.Errorf("ops hint %q, want %q", h.text, c.want)
		}
	}
}

// bareSubjects are n workloads the estate says nothing else about: a group with no script.
func bareSubjects(n int) []*subject {
	out := make([]*subject, n)
	for i := range out {
		out[i] = &subject{g: &inventory.AutoScalingGroup{Name: "g"}}
	}
	return out
}
