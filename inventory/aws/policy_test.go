package aws_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	whyaws "whyk8s/inventory/aws"
	"whyk8s/inventory/aws/awstest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestLeastPrivilege records every operation full collections send — the organisation
// walked both ways (all accounts; one OU), a base role assumed first, every region
// enabled — and requires the set to be exactly the policy's actions: a call added without
// its permission, or a permission kept for a call no longer made, fails here.
func TestLeastPrivilege(t *testing.T) {
	runs := []struct {
		name     string
		org      *awstest.Organization
		ou       string
		accounts int
	}{
		{name: "whole organisation", accounts: 2},
		// Only prod is under the OU (in a child OU); the suspended account is skipped.
		{name: "one OU", ou: "ou-prod", accounts: 1, org: &awstest.Organization{
			Accounts: []awstest.OrgAccount{
				{ID: acctShared, Name: "shared-services"},
				{ID: acctProd, Name: "prod", Parent: "ou-prod-eu"},
				{ID: "333333333333", Name: "closed", Parent: "ou-prod", State: "SUSPENDED"},
			},
			OUs: []awstest.OU{{ID: "ou-prod"}, {ID: "ou-prod-eu", Parent: "ou-prod"}},
		}},
	}
	sent := map[string]bool{}
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			opts := []awstest.Option{awstest.WithCaller(acctShared)}
			if run.org != nil {
				opts = append(opts, awstest.WithOrganization(*run.org))
			}
			s := awstest.New(smallEstate(), opts...)
			defer s.Close()
			o := options(s, "eu-west-1")
			o.RoleARN = "arn:aws:iam::" + acctShared + ":role/whyk8s-base"
			o.Regions = []string{"all"}
			o.OrgAccounts, o.RoleName, o.OU = true, "whyk8s-reader", run.ou
			e := collect(t, s, o)
			for _, op := range s.Operations() {
				if !slices.Contains(whyaws.Actions(), op) {
					t.Errorf("the collector called %s, which the IAM policy does not allow", op)
				}
				sent[op] = true
			}
			if len(e.Coverage) > 0 {
				t.Errorf("unexpected gaps: %+v", e.Coverage)
			}
			if len(e.Accounts) != run.accounts {
				t.Errorf("read %d accounts, want %d: %+v", len(e.Accounts), run.accounts, e.Accounts)
			}
		})
	}
	for _, a := range whyaws.Actions() {
		if !sent[a] {
			t.Errorf("the IAM policy allows %s, which no collection called", a)
		}
	}
}

func TestPolicyGolden(t *testing.T) {
	got, err := whyaws.Policy()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatalf("policy is not JSON: %v", err)
	}
	if len(doc.Statement) != 1 || doc.Statement[0].Effect != "Allow" || !slices.Equal(doc.Statement[0].Action, whyaws.Actions()) {
		t.Fatalf("policy does not allow exactly Actions(): %s", got)
	}
	if !slices.IsSorted(whyaws.Actions()) {
		t.Fatal("Actions() is not sorted")
	}
	for _, a := range whyaws.Actions() {
		if !isReadOnly(a) {
			t.Errorf("%s is not a read-only action", a)
		}
	}
	golden := filepath.Join("testdata", "iam-policy.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("policy differs from %s (run go test -update if the change is intended):\n%s", golden, got)
	}
}

func isReadOnly(action string) bool {
	_, verb, _ := strings.Cut(action, ":")
	return action == "sts:AssumeRole" || strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "List") || strings.HasPrefix(verb, "Get")
}
