package aws_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	whyaws "whyk8s/inventory/aws"
	"whyk8s/inventory/aws/awstest"

	"whyk8s/inventory"
)

// Ids smallEstate gives the shared account in eu-west-1.
const (
	ltWeb     = "lt-01111euweb"
	ltBilling = "lt-01111eubil"
	amiWin    = "ami-0111euwin"
)

func groupNamed(e *inventory.Estate, name string) *inventory.AutoScalingGroup {
	for i := range e.Groups {
		if e.Groups[i].Name == name {
			return &e.Groups[i]
		}
	}
	return nil
}

// TestMissingResources: a group can reference a launch template, version, configuration
// or AMI that no longer exists. Its launch data is then unknown — left empty, with a
// not-found gap naming it — and the rest of the region is read as usual.
func TestMissingResources(t *testing.T) {
	tests := []struct {
		name    string
		serve   func(*inventory.Estate) // changes to the served estate
		missing []string
		want    func(*inventory.Estate)
		op, msg string
	}{
		{
			name:    "deleted launch template",
			missing: []string{ltBilling},
			want: func(e *inventory.Estate) {
				g := groupNamed(e, "billing")
				g.Launch, g.LaunchTemplate.ResolvedVersion = inventory.LaunchSpec{}, 0
				e.Images = slices.DeleteFunc(e.Images, func(i inventory.Image) bool { return i.ID == amiWin })
			},
			op: "DescribeLaunchTemplateVersions", msg: "InvalidLaunchTemplateId.NotFound",
		},
		{
			// Two groups share a template; one's version is gone. The API fails the whole
			// call, so the versions are asked for one by one and the other group keeps its
			// launch data.
			name: "deleted version among several",
			serve: func(e *inventory.Estate) {
				g := groupNamed(e, "billing")
				g.LaunchTemplate = &inventory.LaunchTemplateRef{ID: ltWeb, Name: "web", Version: "6", ResolvedVersion: 6}
				g.Launch.Source = "launch-template " + ltWeb + " v6"
			},
			missing: []string{ltWeb + ":6"},
			want: func(e *inventory.Estate) {
				g := groupNamed(e, "billing")
				g.Launch, g.LaunchTemplate.ResolvedVersion = inventory.LaunchSpec{}, 0
				e.Images = slices.DeleteFunc(e.Images, func(i inventory.Image) bool { return i.ID == amiWin })
			},
			op: "DescribeLaunchTemplateVersions", msg: "InvalidLaunchTemplateId.VersionNotFound: Could not find launch template version 6",
		},
		{
			name:    "deleted launch configuration",
			missing: []string{"legacy-lc-v4"},
			want:    func(e *inventory.Estate) { groupNamed(e, "legacy").Launch = inventory.LaunchSpec{} },
			op:      "DescribeLaunchConfigurations", msg: "launch configuration legacy-lc-v4 (group legacy) was not returned",
		},
		{
			name:    "deregistered AMI",
			missing: []string{amiWin},
			want: func(e *inventory.Estate) {
				e.Images = slices.DeleteFunc(e.Images, func(i inventory.Image) bool { return i.ID == amiWin })
			},
			op: "DescribeImages", msg: "AMI ami-0111euwin (used by billing) is not visible",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			served := smallEstate()
			if tt.serve != nil {
				tt.serve(served)
			}
			s := awstest.New(served, awstest.WithCaller(acctShared), awstest.WithMissing(tt.missing...))
			defer s.Close()
			o := options(s, "eu-west-1")
			o.Regions = []string{"eu-west-1"}
			got := collect(t, s, o)
			if len(got.Coverage) != 1 {
				t.Fatalf("want one gap, got %+v", got.Coverage)
			}
			g := got.Coverage[0]
			if g.Kind != inventory.GapNotFound || g.Operation != tt.op || g.Account != acctShared || g.Region != "eu-west-1" || !strings.Contains(g.Message, tt.msg) {
				t.Errorf("gap %+v, want not-found on %s with %q", g, tt.op, tt.msg)
			}
			want := awsView(served)
			dropRegion(acctShared, "us-east-1")(want)
			dropRegion(acctProd, "eu-west-1")(want)
			dropRegion(acctProd, "us-east-1")(want)
			want.Accounts = []inventory.Account{{ID: acctShared, Regions: []string{"eu-west-1"}}}
			tt.want(want)
			want.Coverage = got.Coverage
			sameEstate(t, canonical(t, want), canonical(t, got))
		})
	}
}

// TestUserData: the collector hands the decoded bytes to Options.UserData and keeps only
// what it returns; without it, user data is dropped; a failing decoder is a parse gap.
func TestUserData(t *testing.T) {
	served := smallEstate()
	for i := range served.Groups {
		if served.Groups[i].Name == "web" {
			served.Groups[i].Launch.UserData = "#!/bin/bash\nexport DB_PASSWORD=hunter2\n"
		}
	}
	redact := func(raw []byte) (string, error) {
		if strings.Contains(string(raw), "broken") {
			return "", errors.New("unreadable MIME part 2")
		}
		return strings.ReplaceAll(string(raw), "hunter2", "[REDACTED]"), nil
	}
	tests := []struct {
		name     string
		userData func([]byte) (string, error)
		check    func(t *testing.T, e *inventory.Estate)
	}{
		{"redacted", redact, func(t *testing.T, e *inventory.Estate) {
			if got := groupNamed(e, "web").Launch.UserData; got != "#!/bin/bash\nexport DB_PASSWORD=[REDACTED]\n" {
				t.Errorf("user data %q, want the decoder's redacted text", got)
			}
		}},
		{"dropped without a decoder", nil, func(t *testing.T, e *inventory.Estate) {
			for _, g := range e.Groups {
				if g.Launch.UserData != "" {
					t.Errorf("group %s kept user data %q with no decoder set", g.Name, g.Launch.UserData)
				}
			}
		}},
		{"decoder failure", func(raw []byte) (string, error) {
			if strings.Contains(string(raw), "hunter2") {
				return redact([]byte("broken"))
			}
			return redact(raw)
		}, func(t *testing.T, e *inventory.Estate) {
			if groupNamed(e, "web").Launch.UserData != "" {
				t.Error("user data kept although the decoder failed")
			}
			var found bool
			for _, g := range e.Coverage {
				if g.Kind == inventory.GapParse && strings.Contains(g.Message, "user data of launch-template "+ltWeb+" v7: unreadable MIME part 2") {
					found = true
				}
			}
			if !found {
				t.Errorf("no parse gap for the failed user data: %+v", e.Coverage)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := awstest.New(served, awstest.WithCaller(acctShared))
			defer s.Close()
			o := options(s, "eu-west-1")
			o.Regions = []string{"eu-west-1"}
			o.UserData = tt.userData
			e := collect(t, s, o)
			data, err := inventory.Encode(e)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), "hunter2") {
				t.Fatal("the secret reached the estate")
			}
			tt.check(t, e)
		})
	}
}

// TestCallsAtMinimum: on a synthetic estate the collector makes exactly the fewest calls
// the APIs allow (see minimumCalls), so a lost batch or page size shows up here.
func TestCallsAtMinimum(t *testing.T) {
	e := awstest.Synthetic(240, 60, 100, 2, 2)
	s := awstest.New(e, awstest.WithCaller(e.Accounts[0].ID))
	defer s.Close()
	o := benchOptions(s, e)
	got := collect(t, s, o)
	if len(got.Coverage) > 0 {
		t.Fatalf("gaps: %+v", got.Coverage)
	}
	want := awsView(e)
	for i := range want.Accounts {
		want.Accounts[i].Name = ""
	}
	sameEstate(t, canonical(t, want), canonical(t, got))
	if min := minimumCalls(e).calls; s.Calls() != int64(min) {
		t.Errorf("made %d calls, the minimum is %d: %v", s.Calls(), min, s.CallsByOperation())
	}
}

func TestOptions(t *testing.T) {
	s := awstest.New(smallEstate(), awstest.WithCaller(acctShared), awstest.WithExternalID("arn:aws:iam::"+acctProd+":role/audit", "ext-42"))
	defer s.Close()
	tests := []struct {
		name     string
		change   func(*whyaws.Options)
		accounts []string // accounts read, or nil when the options are refused
	}{
		{"caller only by default", func(o *whyaws.Options) {}, []string{acctShared}},
		{"org with exclusion", func(o *whyaws.Options) {
			o.OrgAccounts, o.RoleName, o.ExcludeAccounts = true, "reader", []string{acctShared}
		}, []string{acctProd}},
		{"accounts list with inclusion", func(o *whyaws.Options) {
			o.Accounts, o.RoleName, o.IncludeAccounts = []string{acctShared, acctProd}, "reader", []string{acctProd}
		}, []string{acctProd}},
		{"base role with external id", func(o *whyaws.Options) {
			o.RoleARN, o.ExternalID = "arn:aws:iam::"+acctProd+":role/audit", "ext-42"
		}, []string{acctProd}},
		{"base role without its external id", func(o *whyaws.Options) {
			o.RoleARN = "arn:aws:iam::" + acctProd + ":role/audit"
		}, []string{}},
		{"endpoint option", func(o *whyaws.Options) {
			cfg := s.Config("eu-west-1")
			cfg.BaseEndpoint = nil
			o.Config, o.Endpoint = &cfg, s.URL
		}, []string{acctShared}},
		{"accounts without a role name", func(o *whyaws.Options) { o.Accounts = []string{acctProd} }, nil},
		{"OU without org accounts", func(o *whyaws.Options) { o.OU = "ou-x" }, nil},
		{"unknown retry mode", func(o *whyaws.Options) { o.RetryMode = "eager" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := options(s, "eu-west-1")
			o.Regions = []string{"eu-west-1"}
			tt.change(&o)
			e, err := whyaws.Collect(context.Background(), o)
			if len(tt.accounts) == 0 && tt.accounts != nil {
				var nothing *whyaws.NothingReadError
				if !errors.As(err, &nothing) || nothing.Gaps[0].Kind != inventory.GapAssumeRole {
					t.Fatalf("Collect returned %v, want an assume-role failure", err)
				}
				return
			}
			if tt.accounts == nil {
				if !errors.Is(err, whyaws.ErrOptions) {
					t.Fatalf("Collect returned %v, want an options error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, a := range e.Accounts {
				ids = append(ids, a.ID)
			}
			if !slices.Equal(ids, tt.accounts) || len(e.Coverage) > 0 {
				t.Errorf("read accounts %v with gaps %+v, want %v and no gaps", ids, e.Coverage, tt.accounts)
			}
		})
	}
}

// TestProgress: the callback sees every account and region finish, and the last report
// counts what the estate holds.
func TestProgress(t *testing.T) {
	s := awstest.New(smallEstate(), awstest.WithCaller(acctShared))
	defer s.Close()
	o := options(s, "eu-west-1")
	o.Regions = []string{"eu-west-1", "us-east-1"}
	o.OrgAccounts, o.RoleName = true, "reader"
	var reports []whyaws.Progress
	o.Progress = func(p whyaws.Progress) { reports = append(reports, p) }
	e := collect(t, s, o)
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	last := reports[len(reports)-1]
	want := whyaws.Progress{
		AccountsDone: 2, AccountsTotal: 2, RegionsDone: 4, RegionsTotal: 4,
		Groups: len(e.Groups), ClassicLoadBalancers: len(e.ClassicLoadBalancers), LoadBalancers: len(e.LoadBalancers), TargetGroups: len(e.TargetGroups),
		Calls: s.Calls(), Last: last.Last,
	}
	if last != want {
		t.Errorf("last progress %+v, want %+v", last, want)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].RegionsDone < reports[i-1].RegionsDone || reports[i].AccountsDone < reports[i-1].AccountsDone {
			t.Errorf("progress went backwards: %+v then %+v", reports[i-1], reports[i])
		}
	}
}

// TestDefaultConfigFromEnvironment goes through the SDK's own configuration loading, as a
// consultant's run does: credentials, region and AWS_ENDPOINT_URL from the environment.
func TestDefaultConfigFromEnvironment(t *testing.T) {
	s := awstest.New(smallEstate(), awstest.WithCaller(acctShared))
	defer s.Close()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            s.URL,
		"AWS_ACCESS_KEY_ID":           "AKIDENV",
		"AWS_SECRET_ACCESS_KEY":       "env-secret",
		"AWS_REGION":                  "us-east-1",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_PROFILE":                 "",
	} {
		t.Setenv(k, v)
	}
	e, err := whyaws.Collect(context.Background(), whyaws.Options{Now: func() time.Time { return testClock }})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Accounts) != 1 || e.Accounts[0].ID != acctShared || !slices.Equal(e.Accounts[0].Regions, []string{"us-east-1"}) || len(e.Groups) != 4 || len(e.Coverage) > 0 {
		t.Errorf("read %+v, %d groups, gaps %+v; want the caller's us-east-1 with 4 groups", e.Accounts, len(e.Groups), e.Coverage)
	}
}
