package report

import (
	"strings"
	"testing"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// The line 'whyk8s assess' ends with counts what was read; an account or region the code
// does not name is said to be unknown, not counted as one ("1 accounts" for code that
// names none).
func TestWriteSummaryScope(t *testing.T) {
	for _, c := range []struct {
		workloads, scripts int
		accounts, regions  []string
		want               string
	}{
		{14, 93, []string{"111111111111", "222222222222"}, []string{"eu-west-1", "us-east-1"}, "whyk8s assessed 14 workloads (2 accounts, 2 regions, 93 scripts)"},
		{1, 1, []string{"111111111111"}, []string{"eu-west-1"}, "whyk8s assessed 1 workload (1 account, 1 region, 1 script)"},
		{19, 247, []string{inventory.UnknownScope}, []string{inventory.UnknownScope, "us-east-1", "us-west-2"},
			"whyk8s assessed 19 workloads (account not named in the code, 2 regions and others not named in the code, 247 scripts)"},
		{0, 0, []string{}, []string{}, "whyk8s assessed 0 workloads (0 accounts, 0 regions, 0 scripts)"},
	} {
		a := &assess.Assessment{Workloads: make([]assess.Workload, c.workloads),
			Scope: assess.Scope{Accounts: c.accounts, Regions: c.regions, Scripts: c.scripts}}
		var b strings.Builder
		if err := WriteSummary(&b, a, nil); err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(b.String(), "\n"); first != c.want {
			t.Errorf("first line %q, want %q", first, c.want)
		}
	}
}
