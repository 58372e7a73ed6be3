package report

// Charts of the PDF report: bars, dimension bars, the readiness radar, the trend and the
// fit-against-effort chart. Their scales and geometry are in layout.go.

import (
	"strconv"

	"whyk8s/assess"

	"codeberg.org/go-pdf/fpdf"
)

// bars draws a bar chart at the current position, one row per item, and moves below it.
func (d *pdfDoc) bars(rows []barRow) {
	const rowH = 6.2
	frame := box{marginL, d.f.GetY(), contentW, rowH * float64(len(rows))}
	d.drawLayout(layoutBars(rows, frame, 44, rowH, d.measure))
	d.f.SetY(frame.y + frame.h + 2)
}

// drawLayout draws a chart laid out as boxes: areas first, then markers, then text.
func (d *pdfDoc) drawLayout(l chartLayout) {
	for _, r := range l.rects {
		d.fillColour(r.fill)
		d.f.Rect(r.x, r.y, r.w, r.h, "F")
	}
	if l.plot.w > 0 && len(l.marks) > 0 {
		d.drawColour(colRule)
		d.f.SetLineWidth(0.2)
		d.f.Rect(l.plot.x, l.plot.y, l.plot.w, l.plot.h, "D")
	}
	for _, m := range l.marks {
		d.fillColour(categoryColour(m.category))
		d.drawColour(colWhite)
		d.f.SetLineWidth(0.3)
		d.f.Circle(m.cx, m.cy, m.r, "FD")
	}
	for _, t := range l.texts {
		d.font(t.style, t.size)
		switch {
		case t.owner >= 0:
			d.textColour(colWhite)
		case t.muted:
			d.textColour(colMuted)
		default:
			d.textColour(colInk)
		}
		// The text is centred on its box's middle: lineH leaves room above and below.
		d.textAt(t.x, t.y+t.h/2-lineH(t.size)/2, t.w, t.text, t.align, t.size)
	}
}

// dimensionBars draws a workload's score per dimension as small horizontal bars in a box
// at x, y; unknown dimensions are labelled, not drawn as zero.
func (d *pdfDoc) dimensionBars(x, y, w float64, dims []assess.Dimension) float64 {
	const rowH, barH = 4.6, 2.6
	nameW, valueW := 30.0, 12.0
	trackW := w - nameW - valueW
	d.font("B", 6.8)
	d.textColour(colMuted)
	d.textAt(x, y, w, "SCORE BY DIMENSION", "L", 6.8)
	y += lineH(6.8) + 1
	for _, dim := range dims {
		d.font("", 7.4)
		d.textColour(colInk)
		d.textAt(x, y+rowH/2-lineH(7.4)/2, nameW-1.5, d.fit(dim.Name, nameW-1.5), "L", 7.4)
		d.fillColour(colPanel)
		d.f.Rect(x+nameW, y+(rowH-barH)/2, trackW, barH, "F")
		value := "unknown"
		if dim.Known {
			value = strconv.Itoa(dim.Score)
			v := max(0, min(100, dim.Score))
			d.fillColour(colNavy)
			d.f.Rect(x+nameW, y+(rowH-barH)/2, trackW*float64(v)/100, barH, "F")
			d.font("B", 7.4)
		} else {
			d.font("I", 7)
			d.textColour(colMuted)
		}
		d.textAt(x+nameW+trackW, y+rowH/2-lineH(7.4)/2, valueW, value, "R", 7.4)
		y += rowH
	}
	return y
}

// radar draws the readiness factors on a spider chart: the answers as a filled shape and
// what the evidence suggests as a dashed one. Unanswered factors are labelled and left off
// the shape rather than drawn as zero.
func (d *pdfDoc) radar(factors []assess.Factor) {
	n := len(factors)
	if n < 3 {
		return
	}
	const r = radarR
	h := 2*r + 30
	d.need(h + 10)
	cx, cy := pageW/2, d.f.GetY()+r+14
	// Rings for levels 1–4 and the spokes.
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
	for level := 1; level <= 4; level++ {
		pts := make([]fpdf.PointType, n)
		for i := range factors {
			px, py := radarPoint(cx, cy, r, i, n, float64(level), 4)
			pts[i] = fpdf.PointType{X: px, Y: py}
		}
		d.f.Polygon(pts, "D")
	}
	for i := range factors {
		px, py := radarPoint(cx, cy, r, i, n, 4, 4)
		d.f.Line(cx, cy, px, py)
	}
	d.font("", 6)
	d.textColour(colMuted)
	for level := 1; level <= 4; level++ {
		_, py := radarPoint(cx, cy, r, 0, n, float64(level), 4)
		d.textAt(cx+0.8, py-lineH(6)+0.2, 4, strconv.Itoa(level), "L", 6)
	}
	shape := func(level func(assess.Factor) *int) []fpdf.PointType {
		var pts []fpdf.PointType
		for i, fa := range factors {
			if v := level(fa); v != nil {
				px, py := radarPoint(cx, cy, r, i, n, float64(max(0, min(4, *v))), 4)
				pts = append(pts, fpdf.PointType{X: px, Y: py})
			}
		}
		return pts
	}
	hints := shape(func(f assess.Factor) *int { return f.HintLevel })
	answers := shape(func(f assess.Factor) *int { return f.Answer })
	if len(answers) >= 3 {
		d.f.SetAlpha(0.22, "Normal")
		d.fillColour(colNavy)
		d.f.Polygon(answers, "F")
		d.f.SetAlpha(1, "Normal")
		d.drawColour(colNavy)
		d.f.SetLineWidth(0.6)
		d.f.Polygon(answers, "D")
	}
	d.fillColour(colNavy)
	for _, p := range answers {
		d.f.Circle(p.X, p.Y, 0.9, "F")
	}
	if len(hints) > 0 {
		// A shape through only the factors the evidence speaks to would invent the others,
		// so hints are a shape only when every factor has one, and marks otherwise.
		d.drawColour(colAccent)
		d.f.SetLineWidth(0.5)
		if len(hints) == n {
			d.f.SetDashPattern([]float64{1.4, 1}, 0)
			d.f.Polygon(hints, "D")
			d.f.SetDashPattern([]float64{}, 0)
		}
		d.fillColour(colWhite)
		for _, p := range hints {
			d.f.Circle(p.X, p.Y, 1.3, "FD")
		}
	}
	// Labels outside the rim, laid out so that none overlaps another.
	titles := make([]string, n)
	muted := make([]bool, n)
	for i, fa := range factors {
		titles[i] = fa.Title
		if fa.Answer == nil {
			titles[i] += " (no answer)"
			muted[i] = true
		}
	}
	d.drawLayout(layoutRadarLabels(titles, muted, cx, cy, r, box{marginL, cy - r - 14, contentW, 2*r + 28}, d.measure))
	d.f.SetY(cy + r + 14)
	// Legend: only what is drawn.
	d.font("", 7.5)
	d.textColour(colMuted)
	legendY := d.f.GetY()
	lx := pageW/2 - 52
	if len(answers) == 0 || len(hints) == 0 {
		lx = pageW/2 - 20
	}
	if len(answers) > 0 {
		d.fillColour(colNavy)
		d.f.SetAlpha(0.4, "Normal")
		d.f.Rect(lx, legendY+0.8, 5, 2.4, "F")
		d.f.SetAlpha(1, "Normal")
		d.textAt(lx+7, legendY, 40, "Answer (0–4)", "L", 7.5)
		lx += 46
	}
	if len(hints) > 0 {
		d.drawColour(colAccent)
		d.fillColour(colWhite)
		d.f.SetLineWidth(0.5)
		d.f.Circle(lx+7, legendY+2, 1.3, "FD")
		d.textAt(lx+11, legendY, 50, "What the evidence suggests", "L", 7.5)
	}
	d.gap(lineH(7.5) + 4)
}

// trendChart draws one stacked bar of fit categories per run and, when every run
// assessed readiness, the readiness score as a line on a 0–100 scale at the right.
// trendChartH is the height the trend chart needs, legend included.
const trendChartH = 62.0 + 22

func (d *pdfDoc) trendChart(trend []assess.TrendPoint) {
	const h = 62.0
	d.need(trendChartH)
	x0, y0 := marginL+12, d.f.GetY()+4
	w := contentW - 24
	maxTotal := 0
	allAssessed := true
	for _, p := range trend {
		t := 0
		for _, c := range p.ByCategory {
			t += c.Count
		}
		maxTotal = max(maxTotal, t)
		allAssessed = allAssessed && p.Assessed
	}
	top := niceCeil(float64(maxTotal))
	// Grid and left axis.
	d.font("", 6.8)
	for k := 0; k <= 4; k++ {
		gy := y0 + h - h*float64(k)/4
		d.drawColour(colRule)
		d.f.SetLineWidth(0.15)
		d.f.Line(x0, gy, x0+w, gy)
		d.textColour(colMuted)
		d.textAt(x0-11, gy-lineH(6.8)/2, 10, strconv.FormatFloat(top*float64(k)/4, 'f', -1, 64), "R", 6.8)
		if allAssessed {
			d.textAt(x0+w+1, gy-lineH(6.8)/2, 10, strconv.Itoa(25*k), "L", 6.8)
		}
	}
	slot := w / float64(len(trend))
	barW := min(18, slot*0.55)
	var line []fpdf.PointType
	for i, p := range trend {
		bx := x0 + slot*float64(i) + (slot-barW)/2
		by := y0 + h
		for _, cat := range assess.Categories {
			for _, c := range p.ByCategory {
				if c.Category == cat && c.Count > 0 {
					bh := h * float64(c.Count) / top
					d.fillColour(categoryColour(cat))
					d.f.Rect(bx, by-bh, barW, bh, "F")
					by -= bh
				}
			}
		}
		if allAssessed {
			line = append(line, fpdf.PointType{X: bx + barW/2, Y: y0 + h - h*float64(max(0, min(100, p.Readiness)))/100})
		}
	}
	dates := make([]string, len(trend))
	for i, p := range trend {
		dates[i] = shortDate(p.GeneratedAt)
	}
	d.drawLayout(layoutTrendLabels(dates, x0, slot, y0+h+1.5, box{marginL, y0, contentW, h + 8}, d.measure))
	if len(line) > 1 {
		d.drawColour(colNavy)
		d.f.SetLineWidth(0.7)
		for i := 1; i < len(line); i++ {
			d.f.Line(line[i-1].X, line[i-1].Y, line[i].X, line[i].Y)
		}
		d.fillColour(colNavy)
		for _, p := range line {
			d.f.Circle(p.X, p.Y, 1, "F")
		}
	}
	d.f.SetY(y0 + h + 8)
	// Legend: the categories, then the readiness line.
	d.font("", 7)
	lx := marginL
	for _, cat := range assess.Categories {
		d.fillColour(categoryColour(cat))
		d.f.Rect(lx, d.f.GetY()+0.7, 2.6, 2.6, "F")
		d.textColour(colMuted)
		d.textAt(lx+3.6, d.f.GetY(), 30, cat, "L", 7)
		lx += 3.6 + d.f.GetStringWidth(cat) + 4
	}
	if allAssessed {
		d.drawColour(colNavy)
		d.f.SetLineWidth(0.7)
		d.f.Line(lx, d.f.GetY()+2, lx+5, d.f.GetY()+2)
		d.textAt(lx+6.5, d.f.GetY(), 40, "Readiness (right axis)", "L", 7)
	}
	d.gap(lineH(7) + 4)
}

// radarR is the radar's radius in millimetres.
const radarR = 40.0
