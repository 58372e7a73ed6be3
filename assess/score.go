package assess

import "math"

// check is one rule's conclusion as the scoring sees it: which rule, which dimension,
// whether it passed, failed or could not tell, and the cap it imposes when it fails.
type check struct {
	Rule      string
	Dimension string
	State     state
	Cap       int
}

// weights are the rule and dimension weights in force.
type weights struct {
	Rules      map[string]float64 // rule id → weight within its dimension
	Dimensions map[string]float64 // dimension id → weight
}

// breakdown is the scoring of one workload, every number traceable to the checks.
type breakdown struct {
	Score      float64 // 0–100, before rounding
	Confidence int     // 0–100
	Dimensions []Dimension
	// Points holds, for each check in order, the points it moved: a passing check's share
	// of the score, a failing check's share lost (plus what its cap took). 100 plus the sum
	// of the negative points is the score.
	Points []float64
	// CappedBy is the index of the check whose cap set the score, or -1.
	CappedBy int
}

// score is the whole method in one place:
//
//   - within a dimension, the score is the weight of passing rules over the weight of
//     rules that passed or failed (rules with weight 0, not applicable or unknown do not count);
//   - a dimension where no weighted rule passed or failed is unknown; the workload's score is
//     the weighted mean of the known dimensions, so an unknown dimension's weight is
//     redistributed rather than counted as good or bad;
//   - confidence is the dimension-weighted share of rule weight that could be decided
//     (passed or failed) out of the weight that could have been (passed, failed or unknown);
//   - a failing rule with a cap limits the score to that cap.
func score(checks []check, w weights) (float64, int) {
	b := scoreBreakdown(checks, w)
	return b.Score, b.Confidence
}

func scoreBreakdown(checks []check, w weights) breakdown {
	type sums struct{ passed, decided, undecided float64 }
	per := make(map[string]*sums, len(dimensions))
	for _, d := range dimensions {
		per[d.ID] = &sums{}
	}
	for _, c := range checks {
		rw := w.Rules[c.Rule]
		s := per[c.Dimension]
		if rw <= 0 || s == nil {
			continue
		}
		switch c.State {
		case pass:
			s.passed += rw
			s.decided += rw
		case fail:
			s.decided += rw
		case unknown:
			s.undecided += rw
		}
	}
	var known, covered, coverable float64
	b := breakdown{Points: make([]float64, len(checks)), CappedBy: -1}
	for _, d := range dimensions {
		dw := w.Dimensions[d.ID]
		s := per[d.ID]
		dim := Dimension{ID: d.ID, Name: d.Name, Weight: dw}
		if s.decided > 0 {
			dim.Known = true
			dim.Score = int(math.Round(100 * s.passed / s.decided))
		}
		b.Dimensions = append(b.Dimensions, dim)
		if dw <= 0 {
			continue
		}
		if s.decided > 0 {
			known += dw
			b.Score += dw * 100 * s.passed / s.decided
		}
		if s.decided+s.undecided > 0 {
			coverable += dw
			covered += dw * s.decided / (s.decided + s.undecided)
		}
	}
	if known > 0 {
		b.Score /= known
	}
	if coverable > 0 {
		b.Confidence = int(math.Round(100 * covered / coverable))
	}
	capAt, capBy := 101.0, -1
	for i, c := range checks {
		rw, dw := w.Rules[c.Rule], w.Dimensions[c.Dimension]
		s := per[c.Dimension]
		if rw <= 0 || dw <= 0 || s == nil || s.decided == 0 {
			continue
		}
		share := 100 * dw * rw / (known * s.decided)
		switch c.State {
		case pass:
			b.Points[i] = share
		case fail:
			b.Points[i] = -share
			if c.Cap > 0 && float64(c.Cap) < capAt {
				capAt, capBy = float64(c.Cap), i
			}
		}
	}
	if capBy >= 0 && b.Score > capAt {
		b.Points[capBy] -= b.Score - capAt
		b.Score = capAt
		b.CappedBy = capBy
	}
	return b
}

// category names the fit category of a score, or Insufficient data when the confidence is
// below the floor: a guess is never presented as a grade.
func category(score, confidence int, t Thresholds) string {
	switch {
	case confidence < t.MinConfidence:
		return CategoryInsufficient
	case score >= t.Excellent:
		return CategoryExcellent
	case score >= t.Good:
		return CategoryGood
	case score >= t.MinorWork:
		return CategoryMinorWork
	case score >= t.MajorWork:
		return CategoryMajorWork
	}
	return CategoryPoor
}
