package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"whyk8s/fixtures"
	"whyk8s/inventory/aws/awstest"
)

// awsEnv isolates the SDK's default credential chain: static keys from the environment, no
// shared config from the developer's home, no instance metadata.
func awsEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLEWHYK8S")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "whyk8s-test-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ENDPOINT_URL", "")
}

// A consultant's live run over two accounts, where the non-production account has denied
// Auto Scaling in one region: the run finishes, says exactly what it could not read, writes
// the report with a coverage section, and exits 3 so a missing group is never taken for no
// workload.
func TestAssessLiveAWSWithADeniedRegion(t *testing.T) {
	est, err := fixtures.DemoEstate()
	if err != nil {
		t.Fatal(err)
	}
	const prod, nonprod = "418273659012", "730516284937"
	srv := awstest.New(est, awstest.WithCaller(prod), awstest.WithPageSize(3),
		awstest.WithFault(awstest.Fault{Account: nonprod, Region: "eu-central-1", Operation: "autoscaling:", Kind: awstest.FaultAccessDenied}))
	defer srv.Close()
	awsEnv(t)

	scriptsDir, err := filepath.Abs(filepath.Join("..", "..", "fixtures", "demo", "scripts"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "report")
	code, stdout, stderr := runIn(t, dir, "assess", "--aws", "--endpoint", srv.URL,
		"--regions", "eu-west-1,eu-central-1", "--accounts", prod+","+nonprod, "--role-name", "WhyK8sReadOnly",
		"--scripts", scriptsDir, "--out", out, "--format", "md,json")
	if code != exitPartial {
		t.Fatalf("exit %d, want %d (partial)\n%s\n%s", code, exitPartial, stdout, stderr)
	}
	if !strings.Contains(stdout, "could not be read") {
		t.Errorf("the summary does not say the run is partial:\n%s", stdout)
	}

	var a struct {
		Workloads []struct{ ID string } `json:"workloads"`
		Coverage  []struct {
			Account, Region, Service, Operation, Kind string
		} `json:"coverage"`
		Scope struct{ Source string } `json:"scope"`
	}
	raw, err := os.ReadFile(filepath.Join(out, "assessment.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(raw, &a)
	got := map[string]bool{}
	for _, w := range a.Workloads {
		got[w.ID] = true
	}
	for _, g := range est.Groups {
		denied := g.Account == nonprod && g.Region == "eu-central-1"
		if got[g.ID()] == denied {
			t.Errorf("group %s: collected=%v, but its region denied=%v", g.ID(), got[g.ID()], denied)
		}
	}
	var gap bool
	for _, c := range a.Coverage {
		if c.Account == nonprod && c.Region == "eu-central-1" && c.Service == "autoscaling" && c.Kind == "access-denied" && c.Operation != "" {
			gap = true
		}
		if c.Account != nonprod || c.Region != "eu-central-1" {
			if c.Service != "" {
				t.Errorf("an AWS gap outside the denied region: %+v", c)
			}
		}
	}
	if !gap {
		t.Errorf("coverage does not record the denied region with account, region, service, operation and kind: %+v", a.Coverage)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), "Coverage gaps") || !strings.Contains(string(md), nonprod) {
		t.Errorf("report.md has no coverage gaps section naming the account")
	}

	// The least-privilege promise, from the command line: everything the run sent is in
	// the policy 'whyk8s iam-policy' prints.
	_, policy, _ := runIn(t, "", "iam-policy")
	for _, op := range srv.Operations() {
		if !strings.Contains(policy, `"`+op+`"`) {
			t.Errorf("the collector called %s, which 'whyk8s iam-policy' does not grant", op)
		}
	}
}

// Ctrl-C during a slow collection: the run stops, says it was interrupted, and
// leaves no report and no snapshot behind, not even a temporary file.
func TestInterruptedCollectionWritesNothing(t *testing.T) {
	est, err := fixtures.DemoEstate()
	if err != nil {
		t.Fatal(err)
	}
	srv := awstest.New(est, awstest.WithCaller("418273659012"), awstest.WithLatency(200*time.Millisecond), awstest.WithPageSize(1))
	defer srv.Close()
	awsEnv(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"assess", "--aws", "--endpoint", srv.URL, "--regions", "eu-west-1,eu-central-1", "--out", filepath.Join(dir, "report")},
		{"inventory", "--endpoint", srv.URL, "--regions", "eu-west-1,eu-central-1", "--out", filepath.Join(dir, "estate.json")},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(500*time.Millisecond, cancel) // the interrupt
		var out, errb bytes.Buffer
		code := run(ctx, args, &out, &errb)
		cancel()
		// Exit 1 with "interrupted" shows the run stopped on the signal: a collection that
		// ran to its end (dozens of calls at 200 ms each) would exit 0.
		if code != exitFailed || !strings.Contains(errb.String(), "interrupted") {
			t.Errorf("%s interrupted: exit %d, stderr %q; want exit 1 saying it was interrupted", args[0], code, errb.String())
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("an interrupted run left %s behind", e.Name())
	}
}
