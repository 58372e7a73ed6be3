package assess

import (
	"errors"
	"strings"
	"testing"
	"time"

	"whyk8s/inventory"
)

func TestParseWaivers(t *testing.T) {
	const good = `# accepted by the web team, reviewed every quarter
waivers:
  - rule: FIT-STICKY-SESSIONS
    workload: "orders-*"
    reason: Sessions move to ElastiCache in Q3
    owner: web-platform@example.com
    expires: 2026-09-30
  - rule: fit-local-database
    workload: 111122223333/eu-west-1/reports
    reason: "RDS migration booked for October"
    owner: data-team
    expires: "2026-10-31"
`
	ws, err := ParseWaivers("waivers.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 {
		t.Fatalf("%d waivers, want 2", len(ws))
	}
	want := Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "orders-*", Reason: "Sessions move to ElastiCache in Q3", Owner: "web-platform@example.com", Expires: "2026-09-30", File: "waivers.yaml", Line: 3}
	if ws[0] != want {
		t.Errorf("first waiver\n %+v\nwant\n %+v", ws[0], want)
	}
	if ws[1].Expires != "2026-10-31" || ws[1].Line != 8 || ws[1].Place() != "waivers.yaml:8" {
		t.Errorf("second waiver %+v", ws[1])
	}

	// The same entries without the key, and the same key inside a whole whyk8s.yaml, read
	// the same: an entry can move between the two files unchanged.
	bare := strings.Join(strings.Split(good, "\n")[2:], "\n")
	if got, err := ParseWaivers("w.yaml", []byte(bare)); err != nil || len(got) != 2 || got[1].Owner != "data-team" {
		t.Errorf("bare list: %v, %+v", err, got)
	}
	config := "client: Example Ltd\nout: report\n" + strings.Join(strings.Split(good, "\n")[1:], "\n") + "scoring:\n  weights: {}\n"
	got, err := ConfigWaivers("whyk8s.yaml", []byte(config))
	if err != nil || len(got) != 2 || got[0].Line != 4 || got[0].File != "whyk8s.yaml" {
		t.Errorf("whyk8s.yaml: %v, %+v", err, got)
	}
	if got, err := ConfigWaivers("whyk8s.yaml", []byte("client: x\n")); err != nil || got != nil {
		t.Errorf("whyk8s.yaml without waivers: %v, %+v", err, got)
	}
	if got, err := ParseWaivers("w.yaml", []byte("waivers:\n")); err != nil || len(got) != 0 {
		t.Errorf("an empty list: %v, %+v", err, got)
	}
}

func TestParseWaiversErrors(t *testing.T) {
	entry := func(lines ...string) string {
		return "waivers:\n  - " + strings.Join(lines, "\n    ") + "\n"
	}
	full := []string{"rule: FIT-STICKY-SESSIONS", "workload: web", "reason: r", "owner: o", "expires: 2026-01-31"}
	without := func(key string, extra ...string) string {
		var ls []string
		for _, l := range full {
			if !strings.HasPrefix(l, key+":") {
				ls = append(ls, l)
			}
		}
		return entry(append(ls, extra...)...)
	}
	cases := []struct {
		name, data string
		want       []string // every one must appear in the error
	}{
		{"empty file", "", []string{"w.yaml: the file is empty"}},
		{"not YAML", "waivers: [\n", []string{"w.yaml:", "not valid YAML"}},
		{"unknown top key", "waiver:\n  - rule: X\n", []string{"w.yaml:1:", `unknown key "waiver"`}},
		{"not a list", "waivers: FIT-X\n", []string{"w.yaml:1:", "must be a list"}},
		{"entry not a mapping", "waivers:\n  - FIT-X\n", []string{"w.yaml:2:", "must be a mapping"}},
		{"no owner", without("owner"), []string{"w.yaml:2:", `has no "owner"`, "FIT-STICKY-SESSIONS"}},
		{"no expiry", without("expires"), []string{"w.yaml:2:", `has no "expires"`}},
		{"empty reason", without("reason", "reason: \"\""), []string{`has no "reason"`}},
		{"date written another way", without("expires", "expires: 31/01/2026"), []string{"w.yaml:6:", `expires "31/01/2026" is not a date`, "YYYY-MM-DD"}},
		{"typo in a key", entry(append(full, "ownr: x")...), []string{"w.yaml:7:", `unknown key "ownr"`}},
		{"key twice", entry(append(full, "owner: p")...), []string{"w.yaml:7:", `"owner" given twice`, "line 5"}},
		{"bad pattern", without("workload", "workload: \"web-[\""), []string{"w.yaml:6:", `workload "web-[" is not a valid pattern`}},
		{"a list where text is due", without("workload", "workload: [a, b]"), []string{"w.yaml:6:", `"workload" must be text`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseWaivers("w.yaml", []byte(tc.data))
			if err == nil {
				t.Fatalf("no error for\n%s", tc.data)
			}
			if !errors.Is(err, ErrBadWaivers) {
				t.Errorf("error does not wrap ErrBadWaivers: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// waive returns a configuration with the given waivers, each placed at waivers.yaml:N.
func waive(ws ...Waiver) *Config {
	c := DefaultConfig()
	for i := range ws {
		ws[i].File, ws[i].Line = "waivers.yaml", 2+5*i
		if ws[i].Reason == "" {
			ws[i].Reason = "accepted until the next release"
		}
		if ws[i].Owner == "" {
			ws[i].Owner = "web-team"
		}
	}
	c.Waivers = ws
	return &c
}

func assessAt(t *testing.T, e *inventory.Estate, cfg *Config, runAt time.Time) *Assessment {
	t.Helper()
	a, err := Assess(e, nil, *cfg, Meta{Now: testNow, ToolVersion: "test", RunAt: runAt})
	if err != nil {
		t.Fatalf("Assess: %v", err)
	}
	return a
}

func ruleList[T any](xs []T, rule func(T) string) string {
	var out []string
	for _, x := range xs {
		out = append(out, rule(x))
	}
	return strings.Join(out, ",")
}

func blockerRules(bs []Blocker) string { return ruleList(bs, func(b Blocker) string { return b.Rule }) }

func signalOf(w Workload, rule string) *Signal {
	for i := range w.Signals {
		if w.Signals[i].Rule == rule {
			return &w.Signals[i]
		}
	}
	return nil
}

// The judgement of one workload with and without a waiver: what is lifted (blocker, cap,
// keep) and what is not (the rule's points).
func TestWaiverOnAWorkload(t *testing.T) {
	windows := image(func(im *inventory.Image) { im.Platform, im.PlatformDetails = "windows", "Windows" })
	database := userdata(fact(inventory.FactDatabase, "postgresql-15"))
	day := func(s string) time.Time { d, _ := time.Parse(DateLayout, s); return d.Add(15 * time.Hour) }
	cases := []struct {
		name     string
		estate   *inventory.Estate
		waiver   Waiver
		runAt    time.Time
		blockers string // blockers that still count
		waived   string // blockers lifted by the waiver
		rec      string
		expired  bool
		category string
	}{
		{"sticky sessions waived by name", cleanAPI("orders", targetGroup(sticky)),
			Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "orders", Expires: "2026-09-30"}, day("2026-06-01"),
			"", "FIT-STICKY-SESSIONS", RecommendContainerise, false, CategoryExcellent},
		{"rule id in lower case, workload by id glob", cleanAPI("orders", targetGroup(sticky)),
			Waiver{Rule: "fit-sticky-sessions", Workload: testAccount + "/" + testRegion + "/ord*", Expires: "2026-09-30"}, day("2026-06-01"),
			"", "FIT-STICKY-SESSIONS", RecommendContainerise, false, CategoryExcellent},
		{"in force on its expiry day", cleanAPI("orders", targetGroup(sticky)),
			Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "*", Expires: "2026-06-01"}, day("2026-06-01"),
			"", "FIT-STICKY-SESSIONS", RecommendContainerise, false, CategoryExcellent},
		{"expired the day after: counts again", cleanAPI("orders", targetGroup(sticky)),
			Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "*", Expires: "2026-05-31"}, day("2026-06-01"),
			"FIT-STICKY-SESSIONS", "", RecommendAfterBlockers, true, CategoryMinorWork},
		{"expiry judged at the run's time, not the snapshot's", cleanAPI("orders", targetGroup(sticky)),
			Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "*", Expires: "2026-06-15"}, day("2026-07-01"),
			"FIT-STICKY-SESSIONS", "", RecommendAfterBlockers, true, CategoryMinorWork},
		{"no run time: judged at the estate's time", cleanAPI("orders", targetGroup(sticky)),
			Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "*", Expires: "2026-06-15"}, time.Time{},
			"", "FIT-STICKY-SESSIONS", RecommendContainerise, false, CategoryExcellent},
		{"database waived: the cap at 49 is lifted", cleanAPI("orders", database),
			Waiver{Rule: "FIT-LOCAL-DATABASE", Workload: "orders", Expires: "2026-12-31"}, day("2026-06-01"),
			"", "FIT-LOCAL-DATABASE", RecommendContainerise, false, CategoryExcellent},
		{"windows waived: no longer kept for it", cleanAPI("billing", windows),
			Waiver{Rule: "FIT-WINDOWS", Workload: "billing", Expires: "2026-12-31"}, day("2026-06-01"),
			"", "FIT-WINDOWS", RecommendContainerise, false, CategoryExcellent},
		{"a waiver for another rule changes nothing", cleanAPI("orders", targetGroup(sticky)),
			Waiver{Rule: "FIT-LOCAL-DATABASE", Workload: "orders", Expires: "2026-12-31"}, day("2026-06-01"),
			"FIT-STICKY-SESSIONS", "", RecommendAfterBlockers, false, CategoryMinorWork},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plain := mustAssess(t, tc.estate, nil, nil).Workloads[0]
			a := assessAt(t, tc.estate, waive(tc.waiver), tc.runAt)
			w := a.Workloads[0]
			if got := blockerRules(w.Blockers); got != tc.blockers {
				t.Errorf("blockers %q, want %q", got, tc.blockers)
			}
			if got := blockerRules(w.WaivedBlockers); got != tc.waived {
				t.Errorf("waived blockers %q, want %q", got, tc.waived)
			}
			if w.Recommendation.Kind != tc.rec || w.Fit.Category != tc.category {
				t.Errorf("%s / %s (score %d), want %s / %s", w.Fit.Category, w.Recommendation.Kind, w.Fit.Score, tc.category, tc.rec)
			}
			if len(a.Waivers) != 1 || a.Waivers[0].Expired != tc.expired {
				t.Fatalf("waiver status %+v, want expired=%v", a.Waivers, tc.expired)
			}
			rule := strings.ToUpper(tc.waiver.Rule)
			sig, before := signalOf(w, rule), signalOf(plain, rule)
			if (sig == nil) != (before == nil) {
				t.Fatalf("signal %s: with waiver %v, without %v", rule, sig, before)
			}
			if tc.waived == "" && !tc.expired {
				if sig != nil && sig.Waiver != nil {
					t.Errorf("a passing signal carries a waiver: %+v", sig.Waiver)
				}
				if len(a.Waivers[0].Workloads) != 0 {
					t.Errorf("a waiver that met no failing signal lists workloads %v", a.Waivers[0].Workloads)
				}
				return
			}
			if sig.Waiver == nil || sig.Waiver.Owner != "web-team" || sig.Waiver.Expired != tc.expired || sig.Waiver.Place() != "waivers.yaml:2" {
				t.Errorf("signal's waiver %+v", sig.Waiver)
			}
			if strings.Join(a.Waivers[0].Workloads, ",") != w.ID {
				t.Errorf("waiver applied to %v, want %s", a.Waivers[0].Workloads, w.ID)
			}
			// The score stays honest: the waived rule still loses its share. Only what its
			// cap took comes back.
			if tc.expired {
				if sig.Points != before.Points || w.Fit.Score != plain.Fit.Score {
					t.Errorf("an expired waiver moved the score: %v → %v points, %d → %d", before.Points, sig.Points, plain.Fit.Score, w.Fit.Score)
				}
			} else if sig.Points >= 0 || sig.Points < before.Points {
				t.Errorf("waived rule gives %v points (%v without the waiver): it must still lose its share, and no more", sig.Points, before.Points)
			}
			if strings.Contains(sig.Detail, "caps the score") && !tc.expired {
				t.Errorf("a waived signal says it caps the score: %q", sig.Detail)
			}
		})
	}
}

func TestWaiverErrorsNameTheWaiver(t *testing.T) {
	e := cleanAPI("orders")
	cases := []struct {
		name   string
		waiver Waiver
		want   []string
	}{
		{"unknown rule", Waiver{Rule: "FIT-STICKY-SESSION", Workload: "orders", Expires: "2026-09-30"}, []string{"waivers.yaml:2", `rule "FIT-STICKY-SESSION" is not in the catalogue`, "did you mean FIT-STICKY-SESSIONS?"}},
		{"rule nothing is near", Waiver{Rule: "STICKY", Workload: "orders", Expires: "2026-09-30"}, []string{`rule "STICKY" is not in the catalogue (see 'whyk8s rules')`}},
		{"workload that matches nothing", Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "order", Expires: "2026-09-30"}, []string{"waivers.yaml:2", `workload "order" matches no workload`}},
		{"glob that matches nothing", Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "999999999999/*/orders", Expires: "2026-09-30"}, []string{`workload "999999999999/*/orders" matches no workload`}},
		{"no expiry", Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "orders"}, []string{`expires "" is not a date`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Assess(e, nil, *waive(tc.waiver), Meta{Now: testNow})
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrBadWaivers) {
				t.Errorf("error does not wrap ErrBadWaivers: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	// Every bad waiver is named in one run.
	_, err := Assess(e, nil, *waive(
		Waiver{Rule: "FIT-NOPE", Workload: "orders", Expires: "2026-09-30"},
		Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "nope", Expires: "2026-09-30"},
	), Meta{Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "FIT-NOPE") || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("both bad waivers not named: %v", err)
	}
}

// A renewed waiver left beside its expired entry governs; the expired one is still listed.
func TestWaiverInForceBeforeExpired(t *testing.T) {
	a := assessAt(t, cleanAPI("orders", targetGroup(sticky)), waive(
		Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "orders", Expires: "2026-01-31"},
		Waiver{Rule: "FIT-STICKY-SESSIONS", Workload: "ord*", Expires: "2026-12-31", Owner: "new-owner"},
	), testNow)
	w := a.Workloads[0]
	if len(w.Blockers) != 0 || len(w.WaivedBlockers) != 1 || w.WaivedBlockers[0].Waiver.Owner != "new-owner" {
		t.Errorf("blockers %+v, waived %+v", w.Blockers, w.WaivedBlockers)
	}
	if !a.Waivers[0].Expired || len(a.Waivers[0].Workloads) != 0 || a.Waivers[1].Expired || len(a.Waivers[1].Workloads) != 1 {
		t.Errorf("statuses %+v", a.Waivers)
	}
}

func TestWaivedFindings(t *testing.T) {
	e := mixedEstate() // portal's user data holds a secret; billing and orders use IMDSv1 below
	for i := range e.Groups {
		e.Groups[i].Launch.MetadataHTTPTokens = "optional"
	}
	plain := mustAssess(t, e, nil, nil)
	count := func(fs []Finding, rule string) int {
		n := 0
		for _, f := range fs {
			if f.Rule == rule {
				n++
			}
		}
		return n
	}
	imds := count(plain.Findings, "FIND-IMDSV1")
	if imds != len(e.Groups) || count(plain.Findings, "FIND-SECRET") != 1 {
		t.Fatalf("fixture: %d IMDSv1 and %d secret findings", imds, count(plain.Findings, "FIND-SECRET"))
	}
	a := assessAt(t, e, waive(
		Waiver{Rule: "FIND-IMDSV1", Workload: "orders*", Expires: "2026-12-31"},
		Waiver{Rule: "FIND-SECRET", Workload: "portal", Expires: "2026-12-31"},
		Waiver{Rule: "FIND-S3FS", Workload: "portal", Expires: "2026-01-01"},
	), testNow)
	if got := count(a.Findings, "FIND-IMDSV1"); got != imds-2 {
		t.Errorf("%d IMDSv1 findings to act on, want %d (orders and orders-prod waived)", got, imds-2)
	}
	if count(a.WaivedFindings, "FIND-IMDSV1") != 2 || count(a.WaivedFindings, "FIND-SECRET") != 1 || count(a.Findings, "FIND-SECRET") != 0 {
		t.Errorf("waived findings %+v", a.WaivedFindings)
	}
	for _, f := range a.WaivedFindings {
		if f.Waiver == nil || f.Waiver.Expired {
			t.Errorf("waived finding %s without its waiver in force: %+v", f.Rule, f.Waiver)
		}
	}
	// The expired waiver leaves its finding to act on, saying so.
	for _, f := range a.Findings {
		if f.Rule == "FIND-S3FS" && (f.Waiver == nil || !f.Waiver.Expired) {
			t.Errorf("s3fs finding with an expired waiver: %+v", f.Waiver)
		}
	}
	// A waived critical finding no longer drives the verdict's "deal with now" sentence.
	if strings.Contains(strings.Join(a.Verdict.Rationale, " "), "critical finding") {
		t.Errorf("verdict still counts the waived secret: %q", a.Verdict.Rationale)
	}
	if !strings.Contains(strings.Join(plain.Verdict.Rationale, " "), "critical finding") {
		t.Errorf("fixture: the verdict without waivers does not mention the secret: %q", plain.Verdict.Rationale)
	}
}

// A finding in a script two workloads share is waived only when both are covered.
func TestSharedFindingNeedsEveryWorkloadWaived(t *testing.T) {
	e := cleanAPI("a")
	b := cleanAPI("b")
	e.Groups = append(e.Groups, b.Groups...)
	e.Images = append(e.Images, b.Images...)
	e.Scripts = append(e.Scripts, inventory.Script{
		Path: "shared/bootstrap.sh", Kind: inventory.ScriptShell,
		Facts: []inventory.Fact{{Kind: inventory.FactSecret, Name: "password", Evidence: inventory.FactEvidence{File: "shared/bootstrap.sh", Line: 4}}},
		Links: []inventory.Link{{Workload: e.Groups[0].ID(), Reason: inventory.LinkUserDataNames, Confidence: inventory.ConfidenceHigh}, {Workload: b.Groups[0].ID(), Reason: inventory.LinkUserDataNames, Confidence: inventory.ConfidenceHigh}},
	})
	for _, tc := range []struct {
		pattern string
		waived  bool
	}{{"a", false}, {"[ab]", true}, {"*", true}} {
		a := assessAt(t, e, waive(Waiver{Rule: "FIND-SECRET", Workload: tc.pattern, Expires: "2026-12-31"}), testNow)
		if got := len(a.WaivedFindings) == 1; got != tc.waived {
			t.Errorf("waiver on %q: waived %v, want %v (findings %+v)", tc.pattern, got, tc.waived, a.Findings)
		}
	}
}

// Without waivers, nothing of them reaches the assessment: outputs of teams that keep no
// waivers are byte-identical to before.
func TestNoWaiversLeaveNoTrace(t *testing.T) {
	a := mustAssess(t, mixedEstate(), nil, nil)
	if a.Waivers != nil || a.WaivedFindings != nil {
		t.Errorf("waivers %v, waived findings %v", a.Waivers, a.WaivedFindings)
	}
	for _, m := range a.Methodology.Method {
		if strings.Contains(m, "aiver") {
			t.Errorf("methodology mentions waivers: %q", m)
		}
	}
	b := assessAt(t, mixedEstate(), waive(Waiver{Rule: "FIT-WINDOWS", Workload: "billing", Expires: "2026-12-31"}), testNow)
	if !strings.Contains(strings.Join(b.Methodology.Method, " "), "judged on 2026-06-01") {
		t.Errorf("methodology does not say how waivers work: %q", b.Methodology.Method)
	}
}
