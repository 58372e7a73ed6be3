package inventory_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"whyk8s/fixtures"
	"whyk8s/inventory"
)

func demoEstate(t testing.TB) *inventory.Estate {
	t.Helper()
	e, err := fixtures.DemoEstate()
	if err != nil {
		t.Fatalf("demo estate: %v", err)
	}
	return e
}

// splitByAccount cuts an estate into one snapshot per account, as two teams holding only
// their own credentials would collect it.
func splitByAccount(e *inventory.Estate) []*inventory.Estate {
	var parts []*inventory.Estate
	for _, a := range e.Accounts {
		p := &inventory.Estate{SchemaVersion: e.SchemaVersion, Client: e.Client, CollectedAt: e.CollectedAt, Source: e.Source,
			Accounts: []inventory.Account{a}, Scripts: []inventory.Script{}, Coverage: []inventory.CoverageGap{},
			Groups: []inventory.AutoScalingGroup{}, ClassicLoadBalancers: []inventory.ClassicLoadBalancer{},
			LoadBalancers: []inventory.LoadBalancer{}, TargetGroups: []inventory.TargetGroup{}, Images: []inventory.Image{}}
		for _, g := range e.Groups {
			if g.Account == a.ID {
				p.Groups = append(p.Groups, g)
			}
		}
		for _, lb := range e.ClassicLoadBalancers {
			if lb.Account == a.ID {
				p.ClassicLoadBalancers = append(p.ClassicLoadBalancers, lb)
			}
		}
		for _, lb := range e.LoadBalancers {
			if lb.Account == a.ID {
				p.LoadBalancers = append(p.LoadBalancers, lb)
			}
		}
		for _, tg := range e.TargetGroups {
			if tg.Account == a.ID {
				p.TargetGroups = append(p.TargetGroups, tg)
			}
		}
		for _, img := range e.Images {
			if img.Account == a.ID {
				p.Images = append(p.Images, img)
			}
		}
		parts = append(parts, p)
	}
	return parts
}

func encode(t testing.TB, e *inventory.Estate) string {
	t.Helper()
	data, err := inventory.Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mustMerge(t *testing.T, snapshots ...*inventory.Estate) *inventory.Estate {
	t.Helper()
	m, err := inventory.Merge(snapshots...)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	return m
}

// TestMergeSplitDemoIsTheDemo: the demo estate cut per account and merged back, in either
// order and with a snapshot given twice, is the demo estate byte for byte.
func TestMergeSplitDemoIsTheDemo(t *testing.T) {
	want := encode(t, demoEstate(t))
	parts := splitByAccount(demoEstate(t))
	if len(parts) < 2 {
		t.Fatalf("the demo has %d accounts; this test needs two", len(parts))
	}
	for _, tt := range []struct {
		name  string
		parts []*inventory.Estate
	}{
		{"in order", parts},
		{"reversed", []*inventory.Estate{parts[1], parts[0]}},
		{"with an identical duplicate", []*inventory.Estate{parts[0], parts[1], parts[0]}},
		{"the whole estate twice", []*inventory.Estate{demoEstate(t), demoEstate(t)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := encode(t, mustMerge(t, tt.parts...)); got != want {
				t.Errorf("merged estate differs from the demo estate:\n%s", firstDiff(got, want))
			}
		})
	}
}

func TestMergeUnionsAccountsCoverageAndScripts(t *testing.T) {
	jan := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	feb := time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)
	site := func(links ...inventory.Link) inventory.Script {
		return inventory.Script{Path: "ansible/site.yml", Kind: inventory.ScriptAnsiblePlay, Bytes: 120,
			Facts: []inventory.Fact{{Kind: inventory.FactDatabase, Name: "postgresql", Evidence: inventory.FactEvidence{File: "ansible/site.yml", Line: 9}}},
			Links: links}
	}
	linkA := inventory.Link{Workload: "111/eu-west-1/a", Reason: inventory.LinkTag, Confidence: inventory.ConfidenceMedium}
	linkB := inventory.Link{Workload: "222/eu-west-1/b", Reason: inventory.LinkTag, Confidence: inventory.ConfidenceMedium}
	denied := inventory.CoverageGap{Account: "222", Region: "us-east-1", Service: "autoscaling", Operation: "DescribeAutoScalingGroups", Kind: inventory.GapAccessDenied, Message: "AccessDenied"}
	parse := inventory.CoverageGap{Path: "ansible/broken.yml", Line: 3, Kind: inventory.GapParse, Message: "bad indent"}
	a := &inventory.Estate{Client: "Northwind", CollectedAt: jan, Source: "aws",
		Accounts:    []inventory.Account{{ID: "111", Name: "prod", Regions: []string{"eu-west-1"}}, {ID: "222", Regions: []string{"us-east-1"}}},
		ScriptRoots: []string{"repo"}, ScriptStats: &inventory.ScriptStats{FilesSeen: 10, FilesRead: 8, FilesFailed: 1, FilesSkipped: 1, Bytes: 900},
		Scripts: []inventory.Script{site(linkA)}, Coverage: []inventory.CoverageGap{denied, parse}}
	b := &inventory.Estate{CollectedAt: feb, Source: "snapshot",
		Accounts:    []inventory.Account{{ID: "222", Name: "nonprod", Regions: []string{"eu-west-1", "us-east-1"}}},
		ScriptRoots: []string{"repo"}, ScriptStats: &inventory.ScriptStats{FilesSeen: 10, FilesRead: 8, FilesFailed: 1, FilesSkipped: 1, Bytes: 900},
		Scripts: []inventory.Script{site(linkB)}, Coverage: []inventory.CoverageGap{parse}}
	c := &inventory.Estate{CollectedAt: jan, Source: "aws", ScriptRoots: []string{"team-c"}, ScriptStats: &inventory.ScriptStats{FilesSeen: 2, FilesRead: 2, Bytes: 50}}

	got := mustMerge(t, a, b, c)
	if got.Client != "Northwind" || !got.CollectedAt.Equal(feb) || got.Source != "aws+snapshot" {
		t.Errorf("client %q collected %v source %q; want Northwind, the latest time, aws+snapshot", got.Client, got.CollectedAt, got.Source)
	}
	wantAccounts := []inventory.Account{{ID: "111", Name: "prod", Regions: []string{"eu-west-1"}}, {ID: "222", Name: "nonprod", Regions: []string{"eu-west-1", "us-east-1"}}}
	if !reflect.DeepEqual(got.Accounts, wantAccounts) {
		t.Errorf("accounts %+v; want %+v", got.Accounts, wantAccounts)
	}
	if want := []inventory.CoverageGap{parse, denied}; !reflect.DeepEqual(got.Coverage, want) {
		t.Errorf("coverage %+v; want both gaps once, sorted", got.Coverage)
	}
	if len(got.Scripts) != 1 || !reflect.DeepEqual(got.Scripts[0].Links, []inventory.Link{linkA, linkB}) {
		t.Errorf("scripts %+v; want site.yml once with both teams' links", got.Scripts)
	}
	// The same repository scanned by two teams counts once; team C's own scan adds.
	if want := (inventory.ScriptStats{FilesSeen: 12, FilesRead: 10, FilesSkipped: 1, FilesFailed: 1, Bytes: 950}); got.ScriptStats == nil || *got.ScriptStats != want {
		t.Errorf("script stats %+v; want %+v", got.ScriptStats, want)
	}
	if !slices.Equal(got.ScriptRoots, []string{"repo", "team-c"}) {
		t.Errorf("script roots %q", got.ScriptRoots)
	}
	// The inputs are untouched: the links slice of a is not grown into.
	if len(a.Scripts[0].Links) != 1 || len(a.Accounts[1].Regions) != 1 || a.Accounts[1].Name != "" {
		t.Errorf("Merge modified its input: %+v %+v", a.Scripts[0].Links, a.Accounts[1])
	}
}

func TestMergeRefusesDuplicatesThatDisagree(t *testing.T) {
	demo := demoEstate(t)
	g, lb, tg, img, clb := demo.Groups[0], demo.LoadBalancers[0], demo.TargetGroups[0], demo.Images[0], demo.ClassicLoadBalancers[0]
	tests := []struct {
		name     string
		change   func(e *inventory.Estate)
		resource string
		id       string
		fields   []string
	}{
		{"group capacity", func(e *inventory.Estate) { e.Groups[0].DesiredCapacity++ }, "auto scaling group", g.ID(), []string{"desiredCapacity"}},
		{"group launch and tags", func(e *inventory.Estate) {
			e.Groups[0].Launch.ImageID = "ami-0ffffffffffffffff"
			e.Groups[0].Tags = map[string]string{"team": "other"}
		}, "auto scaling group", g.ID(), []string{"launch", "tags"}},
		{"load balancer", func(e *inventory.Estate) { e.LoadBalancers[0].Scheme = "internal-changed" }, "load balancer", lb.ARN, []string{"scheme"}},
		{"target group", func(e *inventory.Estate) {
			e.TargetGroups[0].Attributes = map[string]string{"stickiness.enabled": "maybe"}
		}, "target group", tg.ARN, []string{"attributes"}},
		{"image", func(e *inventory.Estate) { e.Images[0].Name = "renamed" }, "image", img.Account + "/" + img.Region + "/" + img.ID, []string{"name"}},
		{"classic load balancer", func(e *inventory.Estate) { e.ClassicLoadBalancers[0].IdleTimeout = 3600 }, "classic load balancer",
			inventory.WorkloadID(clb.Account, clb.Region, clb.Name), []string{"idleTimeout"}},
		{"account name", func(e *inventory.Estate) { e.Accounts[0].Name = "someone-else" }, "account", demo.Accounts[0].ID, []string{"name"}},
		{"client", func(e *inventory.Estate) { e.Client = "Another Client" }, "client", "name", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := demoEstate(t)
			other.Source = "aws"
			other.CollectedAt = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			tt.change(other)
			_, err := inventory.Merge(demoEstate(t), other)
			var conflict *inventory.MergeConflict
			if !errors.As(err, &conflict) {
				t.Fatalf("Merge: %v; want a *MergeConflict", err)
			}
			if conflict.Resource != tt.resource || conflict.ID != tt.id || !slices.Equal(conflict.Fields, tt.fields) || conflict.First != 1 || conflict.Second != 2 {
				t.Errorf("conflict %+v; want %s %s in %q between snapshots 1 and 2", conflict, tt.resource, tt.id, tt.fields)
			}
			if !errors.Is(err, inventory.ErrBadSnapshot) {
				t.Errorf("a conflict is not ErrBadSnapshot (bad input): %v", err)
			}
			// What the user reads names the resource and both sources.
			msg := err.Error()
			for _, s := range []string{tt.id, "snapshot 1 (source demo", "snapshot 2 (source aws", "collected 2026-11-02T09:00:00Z", "collected 2026-12-01T00:00:00Z"} {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not mention %q", msg, s)
				}
			}
		})
	}
}

func TestMergeScriptConflictNamesFieldsNotValues(t *testing.T) {
	secret := "AKIA" + strings.Repeat("X", 16)
	a := &inventory.Estate{CollectedAt: time.Unix(1, 0).UTC(), Scripts: []inventory.Script{{Path: "userdata.sh", Kind: inventory.ScriptShell, Bytes: 10}}}
	b := &inventory.Estate{CollectedAt: time.Unix(2, 0).UTC(), Scripts: []inventory.Script{{Path: "userdata.sh", Kind: inventory.ScriptShell, Bytes: 12,
		Facts: []inventory.Fact{{Kind: inventory.FactSecret, Name: "aws-access-key", Evidence: inventory.FactEvidence{File: "userdata.sh", Line: 2, Excerpt: secret}}}}}}
	_, err := inventory.Merge(a, b)
	if err == nil || !strings.Contains(err.Error(), "script userdata.sh differs") || !strings.Contains(err.Error(), "in bytes, facts") {
		t.Errorf("Merge: %v; want a conflict on script userdata.sh in bytes, facts", err)
	}
	if err != nil && strings.Contains(err.Error(), secret) {
		t.Errorf("the conflict message quotes content: %v", err)
	}
}

func TestMergeBadInput(t *testing.T) {
	tests := []struct {
		name      string
		snapshots []*inventory.Estate
		want      string
	}{
		{"none", nil, "no snapshots"},
		{"nil", []*inventory.Estate{{CollectedAt: time.Unix(1, 0)}, nil}, "snapshot 2 is empty"},
		{"future version", []*inventory.Estate{{SchemaVersion: 7, CollectedAt: time.Unix(1, 0)}}, "snapshot 1 (collected 1970-01-01T00:00:01Z): bad snapshot: schemaVersion 7 is not supported"},
		{"invalid result", []*inventory.Estate{{}}, "merged estate: missing required field \"collectedAt\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := inventory.Merge(tt.snapshots...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Merge: %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

// firstDiff shows the first differing line of two texts, for readable failures.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(g), len(w))
}

// BenchmarkMerge merges three account snapshots of a 3,000-group estate (the synthetic
// estate is the demo's groups repeated under new names).
func BenchmarkMerge(b *testing.B) {
	demo := demoEstate(b)
	var parts []*inventory.Estate
	for acct := range 3 {
		p := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, CollectedAt: demo.CollectedAt, Source: "aws",
			Accounts: []inventory.Account{{ID: fmt.Sprintf("%012d", acct), Regions: []string{"eu-west-1"}}}}
		for i := range 1000 {
			g := demo.Groups[i%len(demo.Groups)]
			g.Account, g.Name = fmt.Sprintf("%012d", acct), fmt.Sprintf("%s-%d", g.Name, i)
			p.Groups = append(p.Groups, g)
		}
		parts = append(parts, p)
	}
	parts = append(parts, parts[0]) // one snapshot given twice: every group compared
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inventory.Merge(parts...); err != nil {
			b.Fatal(err)
		}
	}
}
