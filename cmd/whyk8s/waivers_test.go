package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"whyk8s/inventory"
)

// epoch pins the run's time, which waivers expire against, the way a reproducible build does.
func epoch(t *testing.T, date string) {
	t.Helper()
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(d.Add(9*time.Hour).Unix(), 10))
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A waiver that names a rule the catalogue does not hold, or a workload the estate does not
// have, is bad input: exit 2, the file, line and name in the message, and no report.
func TestWaiversBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file string
		want       []string
	}{
		{"unknown rule", "waivers:\n  - rule: FIT-STICKY-SESSION\n    workload: bw-customer-portal-prod\n    reason: r\n    owner: o\n    expires: 2099-01-01\n",
			[]string{"bad.yaml:2", `rule "FIT-STICKY-SESSION" is not in the catalogue`, "did you mean FIT-STICKY-SESSIONS?"}},
		{"workload that matches nothing", "waivers:\n  - rule: FIT-WINDOWS\n    workload: billing-iis\n    reason: r\n    owner: o\n    expires: 2099-01-01\n",
			[]string{"bad.yaml:2", `workload "billing-iis" matches no workload`}},
		{"no owner", "waivers:\n  - rule: FIT-WINDOWS\n    workload: prod-billing-iis\n    reason: r\n    expires: 2099-01-01\n",
			[]string{"bad.yaml:2", `has no "owner"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := writeFile(t, filepath.Join(dir, "bad.yaml"), tc.file)
			out := filepath.Join(dir, "report-"+strings.ReplaceAll(tc.name, " ", "-"))
			code, _, stderr := runIn(t, "", "assess", "--demo", "--waivers", bad, "--out", out, "--format", "json")
			if code != exitUsage {
				t.Fatalf("exit %d, want %d (bad input)\n%s", code, exitUsage, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a report was written from bad waivers")
			}
		})
	}
	if code, _, stderr := runIn(t, "", "assess", "--demo", "--waivers", filepath.Join(dir, "missing.yaml"), "--out", filepath.Join(dir, "x")); code != exitUsage || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("missing waivers file: exit %d\n%s", code, stderr)
	}
}

// Issue 14, item 5, end to end: a team's waivers in whyk8s.yaml lift a blocker, and the
// monthly run says it was waived, not fixed; an expired waiver is reported on stderr and in
// the report and its blocker counts again; when the waiver the team relied on expires, the
// next run regresses.
func TestWaiversOverTime(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "history")
	snap := func(n int) string { return filepath.Join(dir, "estate-"+strconv.Itoa(n)+".json") }
	if code, _, stderr := runIn(t, dir, "inventory", "--demo", "--out", snap(1)); code != exitOK {
		t.Fatalf("inventory: exit %d: %s", code, stderr)
	}
	// The same estate a month and two months on: nothing changes but the date.
	for n := 2; n <= 3; n++ {
		e, err := inventory.LoadFile(snap(1))
		if err != nil {
			t.Fatal(err)
		}
		e.CollectedAt = e.CollectedAt.AddDate(0, n-1, 0)
		data, err := inventory.Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, snap(n), string(data))
	}
	const portal = "418273659012/eu-west-1/bw-customer-portal-prod"
	const billing = "418273659012/eu-west-1/prod-billing-iis"

	// Run 1: no waiver.
	epoch(t, "2026-06-01")
	out := func(n int) string { return filepath.Join(dir, "r"+strconv.Itoa(n)) }
	if code, _, stderr := runIn(t, dir, "assess", "--snapshot", snap(1), "--history", hist, "--out", out(1), "--format", "json"); code != exitOK {
		t.Fatalf("run 1: exit %d: %s", code, stderr)
	}

	// Run 2: the team keeps its waivers in whyk8s.yaml. Sticky sessions on the portal are
	// accepted until September; the billing group's Windows waiver ran out in January.
	writeFile(t, filepath.Join(dir, "whyk8s.yaml"), `client: Brightwater Logistics
waivers:
  - rule: FIT-STICKY-SESSIONS
    workload: bw-customer-portal-*
    reason: Sessions move to ElastiCache in Q3
    owner: web-platform@brightwater.example
    expires: 2026-09-30
  - rule: fit-windows
    workload: 418273659012/eu-west-1/prod-billing-iis
    reason: Windows node group under evaluation
    owner: billing-team
    expires: 2026-01-31
`)
	epoch(t, "2026-07-01")
	code, stdout, stderr := runIn(t, dir, "assess", "--snapshot", snap(2), "--history", hist, "--out", out(2), "--format", "json,md", "--fail-on-regression")
	if code != exitOK {
		t.Fatalf("run 2 (a waiver is not a regression): exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "waiver expired") || !strings.Contains(stderr, "rule=FIT-WINDOWS") || !strings.Contains(stderr, "whyk8s.yaml:8") {
		t.Errorf("stderr does not warn about the expired waiver with its place:\n%s", stderr)
	}
	var run2 struct {
		Workloads []struct {
			ID             string                  `json:"id"`
			Blockers       []struct{ Rule string } `json:"blockers"`
			WaivedBlockers []struct {
				Rule   string
				Waiver struct {
					Owner, File string
					Line        int
				} `json:"waiver"`
			} `json:"waivedBlockers"`
		} `json:"workloads"`
		Changes struct {
			BlockersFixed  []struct{ Workload, Rule string } `json:"blockersFixed"`
			BlockersWaived []struct{ Workload, Rule string } `json:"blockersWaived"`
		} `json:"changes"`
	}
	readJSON(t, filepath.Join(out(2), "assessment.json"), &run2)
	for _, w := range run2.Workloads {
		switch w.ID {
		case portal:
			if len(w.WaivedBlockers) != 1 || w.WaivedBlockers[0].Rule != "FIT-STICKY-SESSIONS" || w.WaivedBlockers[0].Waiver.File != "whyk8s.yaml" || w.WaivedBlockers[0].Waiver.Line != 3 {
				t.Errorf("portal's waived blockers %+v", w.WaivedBlockers)
			}
			for _, b := range w.Blockers {
				if b.Rule == "FIT-STICKY-SESSIONS" {
					t.Error("the waived blocker still blocks the portal")
				}
			}
		case billing:
			found := false
			for _, b := range w.Blockers {
				found = found || b.Rule == "FIT-WINDOWS"
			}
			if !found || len(w.WaivedBlockers) != 0 {
				t.Errorf("billing's expired waiver: blockers %+v, waived %+v; FIT-WINDOWS must count again", w.Blockers, w.WaivedBlockers)
			}
		}
	}
	if len(run2.Changes.BlockersFixed) != 0 {
		t.Errorf("a waived blocker is reported fixed: %+v", run2.Changes.BlockersFixed)
	}
	if len(run2.Changes.BlockersWaived) != 1 || run2.Changes.BlockersWaived[0].Workload != portal {
		t.Errorf("blockers waived %+v, want the portal's sticky sessions", run2.Changes.BlockersWaived)
	}
	md, _ := os.ReadFile(filepath.Join(out(2), "report.md"))
	for _, want := range []string{"## Waivers", "**1 waiver has expired: what it waived counts again in this report.**", "waiver expired on 2026-01-31 (billing-team, whyk8s.yaml:8): counts again", "; not fixed |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md does not say %q", want)
		}
	}
	code, diffOut, _ := runIn(t, dir, "diff", filepath.Join(out(1), "assessment.json"), filepath.Join(out(2), "assessment.json"))
	if code != exitOK || !strings.Contains(diffOut, "Blockers waived (not fixed):") || strings.Contains(diffOut, "Blockers fixed:") {
		t.Errorf("diff: exit %d\n%s", code, diffOut)
	}

	// Run 3: October. The sticky-sessions waiver has expired: its blocker counts again,
	// and that is a regression. The waivers now come from a file named on the command line,
	// which replaces whyk8s.yaml's.
	waivers := writeFile(t, filepath.Join(dir, "waivers.yaml"), `waivers:
  - rule: FIT-STICKY-SESSIONS
    workload: bw-customer-portal-*
    reason: Sessions move to ElastiCache in Q3
    owner: web-platform@brightwater.example
    expires: 2026-09-30
`)
	epoch(t, "2026-10-01")
	code, stdout, stderr = runIn(t, dir, "assess", "--snapshot", snap(3), "--waivers", waivers, "--history", hist, "--out", out(3), "--format", "json", "--fail-on-regression")
	if code != exitPartial {
		t.Fatalf("run 3 (a waiver ran out): exit %d, want %d\n%s\n%s", code, exitPartial, stdout, stderr)
	}
	if !strings.Contains(stdout, portal+": blocker FIT-STICKY-SESSIONS (Sticky sessions on the load balancer) counts again: its waiver (") || !strings.Contains(stdout, "expired on 2026-09-30") {
		t.Errorf("the regression does not say the waiver expired:\n%s", stdout)
	}
	if strings.Contains(stdout, "FIT-WINDOWS") {
		t.Errorf("the Windows blocker counted in run 2 already; it is not a regression now:\n%s", stdout)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// 'whyk8s config' prints the waivers of whyk8s.yaml as they were written, so the output can
// be pasted back: an expiry date stays a date.
func TestConfigPrintsWaiversAsWritten(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "whyk8s.yaml"), "waivers:\n  - rule: FIT-WINDOWS\n    workload: prod-billing-iis\n    reason: r\n    owner: o\n    expires: 2026-01-31\n")
	code, out, stderr := runIn(t, dir, "config")
	if code != exitOK {
		t.Fatalf("config: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `expires: "2026-01-31"`) || strings.Contains(out, "T00:00:00Z") {
		t.Errorf("config prints the expiry date as\n%s", out)
	}
}
