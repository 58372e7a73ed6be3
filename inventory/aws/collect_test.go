package aws_test

import (
	"testing"

	"whyk8s/fixtures"
	"whyk8s/inventory"
	"whyk8s/inventory/aws/awstest"
)

// TestRoundTrip serves an estate through the fake AWS and collects it back through the
// real SDK: what AWS holds of it must come back unchanged, across accounts reached
// through AssumeRole, two regions and pages of two items.
func TestRoundTrip(t *testing.T) {
	demo, err := fixtures.DemoEstate()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		estate *inventory.Estate
	}{
		{"small", smallEstate()},
		{"demo", demo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caller := tt.estate.Accounts[0].ID
			s := awstest.New(tt.estate, awstest.WithPageSize(2), awstest.WithCaller(caller))
			defer s.Close()
			opts := options(s, "eu-west-1")
			opts.Regions = []string{"all"}
			opts.OrgAccounts = true
			opts.RoleName = "whyk8s-reader"
			got := collect(t, s, opts)
			if len(got.Coverage) > 0 {
				t.Fatalf("coverage gaps on a clean read: %+v", got.Coverage)
			}
			want := awsView(tt.estate)
			sameEstate(t, canonical(t, want), canonical(t, got))
		})
	}
}
