package report

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"whyk8s/assess"
	"whyk8s/fixtures"
	"whyk8s/inventory/gather"
)

// demoAssessment is the demo's assessment, as whyk8s assess --demo makes it.
func demoAssessment(t testing.TB) *assess.Assessment {
	t.Helper()
	res, err := gather.Estate(context.Background(), gather.Sources{Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	answers, err := assess.ParseAnswers("fixtures/demo/org-answers.yaml", fixtures.DemoAnswers())
	if err != nil {
		t.Fatal(err)
	}
	a, err := assess.Assess(res.Estate, answers, assess.DefaultConfig(), assess.Meta{Now: fixtures.DemoTime, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// pdfMeasure measures text with the fonts the PDF embeds, as the writer does.
func pdfMeasure(t testing.TB) measureFunc {
	t.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(fontSans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(fontSans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(fontSans, "I", bytes.Clone(goitalic.TTF))
	if err := f.Error(); err != nil {
		t.Fatal(err)
	}
	return func(s, style string, size float64) float64 {
		f.SetFont(fontSans, style, size)
		return f.GetStringWidth(s)
	}
}

// chartEstates are the estates every chart is laid out for: the demo, and generated
// estates of 1, 50 and 2,000 workloads.
func chartEstates(t *testing.T) map[string]*assess.Assessment {
	t.Helper()
	out := map[string]*assess.Assessment{"demo": demoAssessment(t), "sample": Sample()}
	for _, n := range []int{1, 50, 2000} {
		out[fmt.Sprint(n)] = Synthetic(n)
	}
	// Forty workloads at the same score and effort: the worst case for one marker each.
	crowd := Synthetic(40)
	for i := range crowd.Workloads {
		crowd.Workloads[i].Fit = assess.Fit{Score: 100, Category: assess.CategoryExcellent, Confidence: 100}
		crowd.Workloads[i].Effort = "S"
	}
	out["40 on one spot"] = crowd
	return out
}

// TestChartsNeverCollide lays out every chart of the board report for each estate and
// checks that no two labels overlap, no label covers a marker it does not belong to, no
// two markers overlap and nothing leaves the chart.
func TestChartsNeverCollide(t *testing.T) {
	measure := pdfMeasure(t)
	for name, a := range chartEstates(t) {
		t.Run(name, func(t *testing.T) {
			marks := fitMarks(a)
			charts := map[string]chartLayout{}
			if len(marks) > 0 {
				frame := box{marginL, 40, contentW, 78 + 2*lineH(titleSize) + lineH(axisSize) + 4 + float64((len(marks)+2)/3)*lineH(keySize) + 2}
				charts["fit against effort"] = layoutFitEffort(marks, frame, measure)
			}
			var cats []barRow
			for _, c := range a.Summary.ByCategory {
				cats = append(cats, barRow{label: c.Category, value: c.Count, note: "  (100%)"})
			}
			charts["bars"] = layoutBars(cats, box{marginL, 40, contentW, 6.2 * float64(len(cats))}, 44, 6.2, measure)
			if fs := a.Readiness.Factors; len(fs) >= 3 {
				titles := make([]string, len(fs))
				muted := make([]bool, len(fs))
				for i, f := range fs {
					titles[i] = f.Title
					if f.Answer == nil {
						titles[i] += " (no answer)"
						muted[i] = true
					}
				}
				cy := 100.0
				charts["radar"] = layoutRadarLabels(titles, muted, pageW/2, cy, radarR, box{marginL, cy - radarR - 14, contentW, 2*radarR + 28}, measure)
			}
			var dates []string
			for i := 0; i < 40; i++ {
				dates = append(dates, fmt.Sprintf("2025-%02d-14", i%12+1))
			}
			charts["trend of 40 runs"] = layoutTrendLabels(dates, marginL+12, (contentW-24)/40, 100, box{marginL, 30, contentW, 80}, measure)
			for cname, l := range charts {
				if len(l.texts) == 0 {
					t.Errorf("%s: nothing laid out", cname)
				}
				for _, c := range l.collisions() {
					t.Errorf("%s: %s", cname, c)
				}
			}
			if l, ok := charts["fit against effort"]; ok {
				wantGrouped := len(marks) > fitChartMax
				if l.grouped != wantGrouped && name != "40 on one spot" {
					t.Errorf("fit against effort of %d workloads: grouped = %v", len(marks), l.grouped)
				}
				if !l.grouped && len(l.marks) != len(marks) {
					t.Errorf("%d markers for %d workloads", len(l.marks), len(marks))
				}
			}
		})
	}
}

// A marker stays at its score: moved sideways within its effort's column, never by more
// than a third of its size up or down.
func TestFitMarkersKeepTheirScore(t *testing.T) {
	measure := pdfMeasure(t)
	a := Sample()
	marks := fitMarks(a)
	frame := box{marginL, 40, contentW, 130}
	l := layoutFitEffort(marks, frame, measure)
	if l.grouped {
		t.Fatal("the sample is grouped")
	}
	for i, m := range marks {
		c := l.marks[i]
		if d := c.cy - scoreY(l.plot, float64(m.score)); d > c.r/3+1e-6 || d < -c.r/3-1e-6 {
			if !(c.cy-c.r < l.plot.y+1 || c.cy+c.r > l.plot.y+l.plot.h-1) {
				t.Errorf("%s (score %d) is drawn %.1f mm off its score", m.name, m.score, d)
			}
		}
		col := indexOf(efforts, m.effort)
		if c.cx < l.plot.x+l.plot.w*float64(col)/4 || c.cx > l.plot.x+l.plot.w*float64(col+1)/4 {
			t.Errorf("%s (effort %s) is outside its column", m.name, m.effort)
		}
	}
}

func TestCollisionsAreFound(t *testing.T) {
	l := chartLayout{frame: box{0, 0, 100, 100}, texts: []chartText{
		{box: box{10, 10, 20, 4}, text: "a", owner: -1},
		{box: box{25, 12, 20, 4}, text: "b", owner: -1},
	}, marks: []chartMark{{cx: 50, cy: 50, r: 2}, {cx: 51, cy: 50, r: 2}}}
	if got := l.collisions(); len(got) != 2 {
		t.Errorf("collisions() = %q, want the two labels and the two markers", got)
	}
}

// The Markdown's mermaid chart follows the same rule: no point (with the label mermaid
// draws under it) touches another, whatever the estate.
func TestMermaidQuadrantNeverCollides(t *testing.T) {
	re := regexp.MustCompile(`"([^"]+)": \[([0-9.]+), ([0-9.]+)\]`)
	for name, a := range chartEstates(t) {
		t.Run(name, func(t *testing.T) {
			chart, keys := mermaidQuadrant(a)
			if chart == "" {
				return
			}
			var l chartLayout
			l.frame = box{0, 0, 1, 1}
			for _, m := range re.FindAllStringSubmatch(chart, -1) {
				x, _ := strconv.ParseFloat(m[2], 64)
				y, _ := strconv.ParseFloat(m[3], 64)
				l.marks = append(l.marks, chartMark{cx: x, cy: 1 - y, r: mermaidMarkR * 0.98})
			}
			if len(l.marks) != len(keys) || len(keys) == 0 {
				t.Fatalf("%d points and %d key rows", len(l.marks), len(keys))
			}
			for _, c := range l.collisions() {
				t.Error(c)
			}
		})
	}
}
