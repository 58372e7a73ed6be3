package report

// Charts of the PDF report: bars, dimension bars, the readiness radar, the trend and the
// fit-against-effort chart. Their scales and geometry are in layout.go.

import (
	"math"
	"strconv"

	"whyk8s/assess"

	"codeberg.org/go-pdf/fpdf"
)

type barItem struct {
	label string
	value int
	note  string
	fill  rgb
}

// barChart draws horizontal bars, one per item, scaled to the largest value.
func (d *pdfDoc) barChart(items []barItem, labelW float64) {
	const rowH, barH = 6.6, 4.2
	maxV := 1
	for _, it := range items {
		maxV = max(maxV, it.value)
	}
	trackW := contentW - labelW - 26
	d.need(rowH * float64(len(items)))
	for _, it := range items {
		y := d.f.GetY()
		d.font("", 8.6)
		d.textColour(colInk)
		d.textAt(marginL, y+rowH/2-lineH(8.6)/2, labelW-3, d.fit(it.label, labelW-3), "L", 8.6)
		x := marginL + labelW
		d.fillColour(colPanel)
		d.f.Rect(x, y+(rowH-barH)/2, trackW, barH, "F")
		if it.value > 0 {
			d.fillColour(it.fill)
			d.f.Rect(x, y+(rowH-barH)/2, max(0.8, trackW*float64(it.value)/float64(maxV)), barH, "F")
		}
		d.font("B", 8.6)
		d.textAt(x+trackW+2, y+rowH/2-lineH(8.6)/2, 24, thousands(it.value)+it.note, "L", 8.6)
		d.f.SetY(y + rowH)
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
	const r = 44.0
	h := 2*r + 30
	d.need(h + 10)
	cx, cy := pageW/2, d.f.GetY()+r+12
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
	// Labels outside the rim, aligned away from the centre.
	for i, fa := range factors {
		px, py := radarPoint(cx, cy, r+4, i, n, 1, 1)
		const lw = 36.0
		align, x := "C", px-lw/2
		switch {
		case px > cx+2:
			align, x = "L", px
		case px < cx-2:
			align, x = "R", px-lw
		}
		label := fa.Title
		style := ""
		if fa.Answer == nil {
			label += " (no answer)"
			style = "I"
		}
		d.font(style, 7.2)
		d.textColour(colInk)
		if fa.Answer == nil {
			d.textColour(colMuted)
		}
		lines := d.wrap(label, lw)
		ly := py - float64(len(lines))*lineH(7.2)/2
		if py < cy-r {
			ly = py - float64(len(lines))*lineH(7.2)
		} else if py > cy+r {
			ly = py
		}
		for k, l := range lines {
			d.textAt(x, ly+float64(k)*lineH(7.2), lw, l, align, 7.2)
		}
	}
	d.f.SetY(cy + r + 12)
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
		d.textColour(colMuted)
		d.textAt(x0+slot*float64(i), y0+h+1.5, slot, shortDate(p.GeneratedAt), "C", 6.8)
		if allAssessed {
			line = append(line, fpdf.PointType{X: bx + barW/2, Y: y0 + h - h*float64(max(0, min(100, p.Readiness)))/100})
		}
	}
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

// fitChartH is the height the fit-against-effort chart needs, notes included.
const fitChartH = 96.0

// fitEffortChart plots container fit against migration effort, in four quadrants that
// say what to do: move first, worth planning, quick fixes then move, keep for now.
func (d *pdfDoc) fitEffortChart(pts []fitPoint, grouped bool) {
	const h = 78.0
	d.need(fitChartH)
	x0, y0 := marginL+10, d.f.GetY()+2
	w := contentW - 10
	px := func(x float64) float64 { return x0 + w*x }
	py := func(y float64) float64 { return y0 + h - h*y }
	// Quadrants: the split is between medium and large effort, and at the middle score.
	quads := []struct {
		x, y  float64
		label string
		tint  rgb
		align string
	}{
		{0, 1, "MOVE FIRST", rgb{232, 243, 236}, "L"},
		{0.5, 1, "WORTH PLANNING", rgb{238, 243, 248}, "R"},
		{0, 0.5, "QUICK FIXES, THEN MOVE", rgb{248, 245, 236}, "L"},
		{0.5, 0.5, "KEEP ON ASG FOR NOW", rgb{248, 240, 238}, "R"},
	}
	for _, q := range quads {
		d.fillColour(q.tint)
		d.f.Rect(px(q.x), py(q.y), w/2, h/2, "F")
		d.font("B", 6.6)
		d.textColour(colMuted)
		d.textAt(px(q.x)+2, py(q.y)+1.5, w/2-4, q.label, q.align, 6.6)
	}
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
	d.f.Rect(x0, y0, w, h, "D")
	d.font("", 6.8)
	d.textColour(colMuted)
	for k := 0; k <= 4; k++ {
		d.textAt(x0-10, py(float64(k)/4)-lineH(6.8)/2, 8.5, strconv.Itoa(25*k), "R", 6.8)
	}
	for _, e := range []string{"S", "M", "L", "XL"} {
		d.textAt(px(effortX[e])-10, y0+h+1.2, 20, "effort "+e, "C", 6.8)
	}
	// Points, coloured by category, labelled to the right.
	for _, p := range pts {
		cx, cy := px(p.x), py(p.y)
		r := 1.5
		if grouped {
			r = 1.5 + 3.5*math.Sqrt(float64(p.count)/float64(maxCount(pts)))
		}
		d.fillColour(categoryColour(p.category))
		d.drawColour(colWhite)
		d.f.SetLineWidth(0.3)
		d.f.Circle(cx, cy, r, "FD")
		label := p.label
		if grouped {
			label = thousands(p.count)
		}
		d.font("", 6.4)
		d.textColour(colInk)
		lw := min(d.f.GetStringWidth(label)+1, x0+w-(cx+r+1))
		d.textAt(cx+r+0.8, cy-lineH(6.4)/2, lw, d.fit(label, lw), "L", 6.4)
	}
	d.f.SetY(y0 + h + 7)
	note := "Each point is a workload, coloured by its category. Workloads with insufficient data or no effort estimate are not plotted."
	if grouped {
		note = "Each circle is the workloads of one category and effort size, sized by their number; it sits in the middle of its category's score band."
	}
	d.para(note, "I", 7.6, colMuted, 0)
	d.gap(3)
}

func maxCount(pts []fitPoint) int {
	m := 1
	for _, p := range pts {
		m = max(m, p.count)
	}
	return m
}
