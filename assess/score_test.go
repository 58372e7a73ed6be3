package assess

import (
	"math"
	"testing"
)

func defaultWeights(t *testing.T) weights {
	t.Helper()
	st, err := NewCatalogue().resolve(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return st.weights
}

func TestScore(t *testing.T) {
	// Two made-up rules per dimension keep the arithmetic readable: rule weights 3 and 1.
	w := weights{
		Rules:      map[string]float64{"S1": 3, "S2": 1, "H1": 3, "H2": 1, "OFF": 0},
		Dimensions: map[string]float64{DimState: 25, DimHostCoupling: 20, DimConfig: 15, DimBuild: 15, DimElasticity: 15, DimProcess: 10},
	}
	st := func(rule string, s state) check {
		d := DimState
		if rule[0] == 'H' {
			d = DimHostCoupling
		}
		return check{Rule: rule, Dimension: d, State: s}
	}
	cases := []struct {
		name       string
		checks     []check
		score      float64
		confidence int
	}{
		{"nothing known", []check{st("S1", unknown), st("H1", unknown)}, 0, 0},
		{"no checks at all", nil, 0, 0},
		{"one dimension, all pass", []check{st("S1", pass), st("S2", pass)}, 100, 100},
		// State 3/4 = 75; host 1/4 = 25; mean weighted 25:20 = (25*75+20*25)/45.
		{"two dimensions, mixed", []check{st("S1", pass), st("S2", fail), st("H1", fail), st("H2", pass)}, (25*75 + 20*25) / 45.0, 100},
		// Host unknown: its weight goes to state, which is all that is scored; confidence is
		// the state weight over state and host weight.
		{"unknown dimension is redistributed", []check{st("S1", pass), st("S2", pass), st("H1", unknown), st("H2", unknown)}, 100, int(math.Round(100 * 25.0 / 45))},
		// Half the state weight decided (S2 of S1+S2 = 1/4): confidence is a quarter.
		{"partly decided dimension", []check{st("S1", unknown), st("S2", fail)}, 0, 25},
		{"not applicable neither scores nor lowers confidence", []check{st("S1", pass), st("S2", notApplicable)}, 100, 100},
		{"weight 0 counts for nothing", []check{st("S1", pass), st("OFF", fail)}, 100, 100},
		{"unknown rule id counts for nothing", []check{st("S1", pass), {Rule: "S1", Dimension: "nowhere", State: fail}}, 100, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := score(tc.checks, w)
			if math.Abs(s-tc.score) > 1e-9 || c != tc.confidence {
				t.Fatalf("score = %.4f, confidence %d; want %.4f, %d", s, c, tc.score, tc.confidence)
			}
		})
	}
}

func TestScoreCapAndPoints(t *testing.T) {
	w := weights{
		Rules:      map[string]float64{"A": 1, "B": 1, "C": 1},
		Dimensions: map[string]float64{DimState: 1, DimProcess: 1},
	}
	checks := []check{
		{Rule: "A", Dimension: DimState, State: pass},
		{Rule: "B", Dimension: DimState, State: fail, Cap: 40},
		{Rule: "C", Dimension: DimProcess, State: pass},
	}
	b := scoreBreakdown(checks, w)
	// Uncapped: state 50, process 100 → 75; B caps it at 40.
	if b.Score != 40 || b.CappedBy != 1 {
		t.Fatalf("score %.2f capped by %d, want 40 by check 1", b.Score, b.CappedBy)
	}
	// Shares: A +25, B −25 and −35 for the cap, C +50.
	want := []float64{25, -60, 50}
	for i := range want {
		if math.Abs(b.Points[i]-want[i]) > 1e-9 {
			t.Errorf("points[%d] = %.2f, want %.2f", i, b.Points[i], want[i])
		}
	}
	neg := 0.0
	for _, p := range b.Points {
		if p < 0 {
			neg += p
		}
	}
	if math.Abs(100+neg-b.Score) > 1e-9 {
		t.Errorf("100 + points lost = %.2f, score %.2f: the breakdown does not add up", 100+neg, b.Score)
	}
	// A cap above the score changes nothing; a weight of 0 removes the cap.
	w.Rules["B"] = 0
	if b := scoreBreakdown(checks, w); b.Score != 100 || b.CappedBy != -1 {
		t.Errorf("with B at weight 0: score %.2f capped by %d, want 100 uncapped", b.Score, b.CappedBy)
	}
}

func TestCategory(t *testing.T) {
	th := DefaultThresholds
	cases := []struct {
		score, confidence int
		want              string
	}{
		{100, 100, CategoryExcellent},
		{80, 100, CategoryExcellent},
		{79, 100, CategoryGood},
		{65, 50, CategoryGood},
		{64, 100, CategoryMinorWork},
		{50, 100, CategoryMinorWork},
		{49, 100, CategoryMajorWork},
		{35, 100, CategoryMajorWork},
		{34, 100, CategoryPoor},
		{0, 100, CategoryPoor},
		{95, 49, CategoryInsufficient},
		{0, 0, CategoryInsufficient},
	}
	for _, tc := range cases {
		if got := category(tc.score, tc.confidence, th); got != tc.want {
			t.Errorf("category(%d, %d) = %q, want %q", tc.score, tc.confidence, got, tc.want)
		}
	}
	custom := Thresholds{Excellent: 90, Good: 70, MinorWork: 55, MajorWork: 40, MinConfidence: 80}
	if got := category(85, 90, custom); got != CategoryGood {
		t.Errorf("85 with excellent at 90 = %q, want Good fit", got)
	}
	if got := category(85, 79, custom); got != CategoryInsufficient {
		t.Errorf("confidence 79 with floor 80 = %q, want Insufficient data", got)
	}
}

func TestEffectiveCap(t *testing.T) {
	th := DefaultThresholds // excellent 80, good 65
	cases := []struct {
		name string
		rule Rule
		want int
	}{
		{"no blocker, no cap", Rule{}, 0},
		{"a small blocker keeps it below excellent", Rule{Blocker: EffortS}, 79},
		{"a blocker of effort M keeps it below good", Rule{Blocker: EffortM}, 64},
		{"a small fix that reshapes it keeps it below good", Rule{Blocker: EffortS, Reshapes: true}, 64},
		{"reshaping without a blocker keeps it below good", Rule{Reshapes: true}, 64},
		{"the rule's own lower cap stands", Rule{Blocker: EffortL, Cap: 49, Reshapes: true}, 49},
	}
	for _, tc := range cases {
		if got := effectiveCap(tc.rule, result{}, th); got != tc.want {
			t.Errorf("%s: effectiveCap = %d, want %d", tc.name, got, tc.want)
		}
	}
	// The catalogue's reshaping rules: a mount becomes a volume, a cron job a CronJob.
	c := NewCatalogue()
	for _, id := range []string{RuleNFSMount, RuleHostCron} {
		r, _ := c.Rule(id)
		if got := effectiveCap(r, result{State: fail}, th); got != th.Good-1 {
			t.Errorf("%s caps at %d, want %d (Needs minor work at best)", id, got, th.Good-1)
		}
	}
}
