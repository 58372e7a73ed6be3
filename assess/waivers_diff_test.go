package assess_test

import (
	"strings"
	"testing"

	"whyk8s/assess"
)

func diffWaiver(rule, workload string, expired bool) *assess.Waiver {
	return &assess.Waiver{Rule: rule, Workload: workload, Reason: "accepted for Q1", Owner: "data-team",
		Expires: "2025-01-31", Expired: expired, File: "waivers.yaml", Line: 3}
}

// waiveReports moves the s3fs blocker on reports to its waived blockers, as Assess does when
// a waiver in force names it (or leaves it blocking, marked, when the waiver expired). The cap
// goes with the waiver, so the score rises while the rule still loses its share.
func waiveReports(a *assess.Assessment, expired bool) {
	w := &a.Workloads[1]
	wv := diffWaiver("FIT-S3FS-MOUNT", "reports", expired)
	w.Signals[1].Waiver = wv
	if expired {
		w.Blockers[0].Waiver = wv
		return
	}
	w.Signals[1].Points, w.Fit.Score, w.Fit.Category = -12, 58, assess.CategoryMinorWork
	b := w.Blockers[0]
	b.Waiver = wv
	w.Blockers, w.WaivedBlockers = []assess.Blocker{}, []assess.Blocker{b}
}

func waiveSecret(a *assess.Assessment, expired bool) {
	f := a.Findings[0]
	f.Waiver = diffWaiver(f.Rule, "orders-api", expired)
	if expired {
		a.Findings[0] = f
		return
	}
	a.Findings, a.WaivedFindings = []assess.Finding{}, []assess.Finding{f}
}

func wrRules(ws []assess.WorkloadRule) string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Rule)
	}
	return strings.Join(out, ",")
}

// A blocker or finding that left the lists because the team waived it is not an improvement
// of the estate; one whose waiver ended counts again, and that is a regression.
func TestDiffTellsWaivedFromResolved(t *testing.T) {
	tests := []struct {
		name     string
		old, new func(a *assess.Assessment)
		// fixed, waived, unwaived, newB list blocker rules; the finding lists count findings.
		fixed, waived, unwaived, newB       string
		resolvedF, waivedF, unwaivedF, newF int
		regressed                           []string
		moveWaiver                          string
		expiredWaiver                       bool
	}{
		{
			name:   "blocker waived is waived, not fixed",
			old:    func(a *assess.Assessment) {},
			new:    func(a *assess.Assessment) { waiveReports(a, false) },
			waived: "FIT-S3FS-MOUNT", moveWaiver: assess.MoveWaived,
		},
		{
			name:     "waiver expired: the blocker counts again",
			old:      func(a *assess.Assessment) { waiveReports(a, false) },
			new:      func(a *assess.Assessment) { waiveReports(a, true) },
			unwaived: "FIT-S3FS-MOUNT", moveWaiver: assess.MoveCountsAgain, expiredWaiver: true,
			regressed: []string{
				"111122223333/eu-west-1/reports: category fell from Needs minor work to Needs major work (score 58 to 40)",
				"111122223333/eu-west-1/reports: blocker FIT-S3FS-MOUNT (s3fs mount on the instance) counts again: its waiver (waivers.yaml:3, owner data-team) expired on 2025-01-31",
			},
		},
		{
			name:     "waiver removed: the blocker counts again",
			old:      func(a *assess.Assessment) { waiveReports(a, false) },
			new:      func(a *assess.Assessment) {},
			unwaived: "FIT-S3FS-MOUNT", moveWaiver: assess.MoveCountsAgain,
			regressed: []string{
				"111122223333/eu-west-1/reports: category fell from Needs minor work to Needs major work (score 58 to 40)",
				"111122223333/eu-west-1/reports: blocker FIT-S3FS-MOUNT (s3fs mount on the instance) counts again: its waiver was removed",
			},
		},
		{
			name: "a waived blocker that is gone from the evidence is fixed",
			old:  func(a *assess.Assessment) { waiveReports(a, false) },
			new: func(a *assess.Assessment) {
				a.Workloads[1].Signals, a.Workloads[1].Blockers = a.Workloads[1].Signals[:1], []assess.Blocker{}
				a.Workloads[1].Fit.Score, a.Workloads[1].Fit.Category = 70, assess.CategoryGood
			},
			fixed: "FIT-S3FS-MOUNT",
		},
		{
			name: "a new blocker waived at once is waived, not new",
			old: func(a *assess.Assessment) {
				a.Workloads[1].Signals, a.Workloads[1].Blockers = a.Workloads[1].Signals[:1], []assess.Blocker{}
			},
			new:    func(a *assess.Assessment) { waiveReports(a, false) },
			waived: "FIT-S3FS-MOUNT",
		},
		{
			name:    "finding waived is waived, not resolved",
			old:     func(a *assess.Assessment) {},
			new:     func(a *assess.Assessment) { waiveSecret(a, false) },
			waivedF: 1,
		},
		{
			name:      "finding whose waiver expired counts again",
			old:       func(a *assess.Assessment) { waiveSecret(a, false) },
			new:       func(a *assess.Assessment) { waiveSecret(a, true) },
			unwaivedF: 1,
			regressed: []string{"finding SEC-SECRET-IN-USERDATA at userdata:lt-0abc v3:7 counts again: its waiver (waivers.yaml:3, owner data-team) expired on 2025-01-31"},
		},
		{
			name:      "a waived finding that is gone is resolved",
			old:       func(a *assess.Assessment) { waiveSecret(a, false) },
			new:       func(a *assess.Assessment) { a.Findings = []assess.Finding{} },
			resolvedF: 1,
		},
		{
			name: "still waived is not news",
			old:  func(a *assess.Assessment) { waiveReports(a, false); waiveSecret(a, false) },
			new:  func(a *assess.Assessment) { waiveReports(a, false); waiveSecret(a, false) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old, new := diffBaseline(), diffBaseline()
			new.GeneratedAt = diffFeb
			tc.old(old)
			tc.new(new)
			c := assess.Diff(old, new)
			for _, l := range []struct{ what, got, want string }{
				{"fixed", wrRules(c.BlockersFixed), tc.fixed},
				{"waived", wrRules(c.BlockersWaived), tc.waived},
				{"counting again", wrRules(c.BlockersUnwaived), tc.unwaived},
				{"new", wrRules(c.BlockersNew), tc.newB},
			} {
				if l.got != l.want {
					t.Errorf("blockers %s %q, want %q", l.what, l.got, l.want)
				}
			}
			if len(c.FindingsResolved) != tc.resolvedF || len(c.FindingsWaived) != tc.waivedF || len(c.FindingsUnwaived) != tc.unwaivedF || len(c.FindingsNew) != tc.newF {
				t.Errorf("findings resolved %d waived %d counting again %d new %d; want %d %d %d %d", len(c.FindingsResolved), len(c.FindingsWaived), len(c.FindingsUnwaived), len(c.FindingsNew), tc.resolvedF, tc.waivedF, tc.unwaivedF, tc.newF)
			}
			for _, b := range c.BlockersWaived {
				if b.Waiver == nil || b.Waiver.Owner != "data-team" {
					t.Errorf("waived blocker without its waiver: %+v", b)
				}
			}
			for _, b := range c.BlockersUnwaived {
				if (b.Waiver != nil && b.Waiver.Expired) != tc.expiredWaiver {
					t.Errorf("blocker counting again: waiver %+v, want expired=%v", b.Waiver, tc.expiredWaiver)
				}
			}
			if tc.moveWaiver != "" {
				if len(c.Scores) != 1 || len(c.Scores[0].Moves) != 1 || c.Scores[0].Moves[0].Waiver != tc.moveWaiver {
					t.Errorf("score moves %s; want FIT-S3FS-MOUNT marked %q", diffJSON(t, c.Scores), tc.moveWaiver)
				}
			}
			_, reasons := c.Regressed()
			if strings.Join(reasons, "\n") != strings.Join(tc.regressed, "\n") {
				t.Errorf("regressions\n %q\nwant\n %q", reasons, tc.regressed)
			}
			// The result shares no waiver with its inputs.
			for _, b := range append(c.BlockersWaived, c.BlockersUnwaived...) {
				if b.Waiver != nil {
					b.Waiver.Owner = "changed"
				}
			}
			for _, f := range append(append(c.FindingsWaived, c.FindingsUnwaived...), c.FindingsResolved...) {
				if f.Waiver != nil {
					f.Waiver.Owner = "changed"
				}
			}
			if strings.Contains(diffJSON(t, []*assess.Assessment{old, new}), "changed") {
				t.Error("Diff's result aliases a waiver of its inputs")
			}
		})
	}
}

// Without waivers on either side, the diff's JSON has none of the waiver keys: scripts that
// read it see the shape they always saw.
func TestDiffWithoutWaiversHasNoWaiverKeys(t *testing.T) {
	out := diffJSON(t, assess.Diff(diffBaseline(), diffImproved()))
	for _, k := range []string{"Waived", "waiver", "Unwaived"} {
		if strings.Contains(out, k) {
			t.Errorf("diff JSON mentions %q:\n%s", k, out)
		}
	}
}
