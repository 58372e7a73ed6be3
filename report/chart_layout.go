package report

// Chart layout as data. Every chart of the PDF is first laid out as boxes — text boxes and
// circular markers, in millimetres on the page — and only then drawn, so that a test can
// check what a reader would see: no two labels overlap, no label covers a marker or a
// quadrant title, whatever the estate. Nothing here knows the PDF library; text is
// measured through a measure function the caller gives.

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"whyk8s/assess"
)

// measureFunc is the width in millimetres of s in the given font style ("", "B", "I") and
// size in points.
type measureFunc func(s, style string, size float64) float64

// box is a rectangle with its top-left corner at x, y.
type box struct{ x, y, w, h float64 }

// overlaps reports whether two boxes share area; boxes that only touch do not.
func (b box) overlaps(o box) bool {
	const eps = 1e-6
	return b.x < o.x+o.w-eps && o.x < b.x+b.w-eps && b.y < o.y+o.h-eps && o.y < b.y+b.h-eps
}

// chartText is one label: its box, and how to draw the text in it.
type chartText struct {
	box
	text  string
	style string
	size  float64
	align string // L, C or R inside the box
	muted bool   // drawn in the muted colour
	// owner is the index of the marker this text is drawn inside (a marker's number), or -1.
	owner int
}

// chartMark is one circular marker.
type chartMark struct {
	cx, cy, r float64
	category  string
}

func (m chartMark) bounds() box { return box{m.cx - m.r, m.cy - m.r, 2 * m.r, 2 * m.r} }

// chartRect is a filled area (a quadrant's tint, a bar): decoration that labels may sit on.
type chartRect struct {
	box
	fill rgb
}

// chartLayout is everything a chart draws.
type chartLayout struct {
	frame box // the area the chart occupies, its labels included
	plot  box // the plotting area
	texts []chartText
	marks []chartMark
	rects []chartRect
	// grouped is true when a fit-against-effort chart plots groups rather than workloads.
	grouped bool
}

// collisions lists every pair of things a reader would see on top of each other: two
// labels, a label and a marker it does not belong to, two markers, or anything outside the
// chart's frame. An empty list is a chart that reads.
func (l chartLayout) collisions() []string {
	var out []string
	for i := range l.texts {
		a := l.texts[i]
		if !inside(a.box, l.frame) {
			out = append(out, fmt.Sprintf("label %q at %.1f,%.1f is outside the chart", a.text, a.x, a.y))
		}
		for j := i + 1; j < len(l.texts); j++ {
			if b := l.texts[j]; a.overlaps(b.box) {
				out = append(out, fmt.Sprintf("labels %q and %q overlap", a.text, b.text))
			}
		}
		for k, m := range l.marks {
			if a.owner != k && circleOverlapsBox(m, a.box) {
				out = append(out, fmt.Sprintf("label %q covers marker %d", a.text, k))
			}
		}
	}
	for i, a := range l.marks {
		if !inside(a.bounds(), l.frame) {
			out = append(out, fmt.Sprintf("marker %d is outside the chart", i))
		}
		for j := i + 1; j < len(l.marks); j++ {
			b := l.marks[j]
			if math.Hypot(a.cx-b.cx, a.cy-b.cy) < a.r+b.r-1e-6 {
				out = append(out, fmt.Sprintf("markers %d and %d overlap", i, j))
			}
		}
	}
	return out
}

func inside(b, frame box) bool {
	const eps = 1e-6
	return b.x >= frame.x-eps && b.y >= frame.y-eps && b.x+b.w <= frame.x+frame.w+eps && b.y+b.h <= frame.y+frame.h+eps
}

// circleOverlapsBox reports whether a circle and a box share area.
func circleOverlapsBox(m chartMark, b box) bool {
	nx := math.Max(b.x, math.Min(m.cx, b.x+b.w))
	ny := math.Max(b.y, math.Min(m.cy, b.y+b.h))
	return math.Hypot(m.cx-nx, m.cy-ny) < m.r-1e-6
}

// textH is the height of one line of text at size points, as the PDF draws it.
func textH(size float64) float64 { return lineH(size) }

// --- fit against effort ------------------------------------------------------------------------

// efforts are the effort sizes in the order of the chart's x axis.
var efforts = []string{"S", "M", "L", "XL"}

// quadrantTitles name the chart's quadrants: top left, top right, bottom left, bottom right.
var quadrantTitles = [4]string{"MOVE FIRST", "WORTH PLANNING", "QUICK FIXES, THEN MOVE", "KEEP ON ASG FOR NOW"}

// fitMark is a workload (or, grouped, a set of workloads) to plot.
type fitMark struct {
	number   int // the workload's number in the reports (its row in the register)
	name     string
	score    int
	effort   string
	category string
	count    int // grouped: how many workloads
}

// fitChartMax is the most workloads a fit-against-effort chart plots one by one; above it,
// or when they cannot be placed without moving a marker off its score, the chart plots
// one bubble per category and effort.
const fitChartMax = 40

// fitMarks returns the workloads a fit-against-effort chart can plot: those with a known
// effort and a category other than Insufficient data, numbered by their place in the
// assessment.
func fitMarks(a *assess.Assessment) []fitMark {
	var out []fitMark
	for i := range a.Workloads {
		wl := &a.Workloads[i]
		if _, ok := effortX[wl.Effort]; !ok || wl.Fit.Category == assess.CategoryInsufficient {
			continue
		}
		out = append(out, fitMark{number: i + 1, name: wl.Name, score: wl.Fit.Score, effort: wl.Effort, category: wl.Fit.Category, count: 1})
	}
	return out
}

// layoutFitEffort lays out the fit-against-effort chart in frame: one numbered marker per
// workload at its score, in the column of its effort, with a key below naming each number;
// or, for a large estate, a bubble per category and effort. Quadrant titles sit above and
// below the plot, where no marker can be.
func layoutFitEffort(marks []fitMark, frame box, measure measureFunc) chartLayout {
	if len(marks) <= fitChartMax {
		if l, ok := layoutFitPoints(marks, frame, measure); ok {
			return l
		}
	}
	return layoutFitGroups(marks, frame, measure)
}

const (
	axisSize  = 6.6
	titleSize = 6.6
	keySize   = 6.6
	markSize  = 5.4
)

// fitFrame places the plot and the quadrant titles inside frame, leaving keyH at the
// bottom for a key and leftW at the left for the y axis.
func fitFrame(frame box, leftW, keyH float64, measure measureFunc, l *chartLayout) {
	th := textH(titleSize)
	ah := textH(axisSize)
	plotH := frame.h - 2*th - ah - keyH - 4
	l.frame = frame
	l.plot = box{frame.x + leftW, frame.y + th + 1, frame.w - leftW, plotH}
	p := l.plot
	tints := []rgb{{232, 243, 236}, {238, 243, 248}, {248, 245, 236}, {248, 240, 238}}
	for q := 0; q < 4; q++ {
		qx := p.x + float64(q%2)*p.w/2
		qy := p.y + float64(q/2)*p.h/2
		l.rects = append(l.rects, chartRect{box{qx, qy, p.w / 2, p.h / 2}, tints[q]})
		// Top titles above the plot, bottom titles under the effort labels.
		ty := frame.y
		if q >= 2 {
			ty = p.y + p.h + ah + 1
		}
		w := measure(quadrantTitles[q], "B", titleSize) + 0.5
		x := qx + 1
		align := "L"
		if q%2 == 1 {
			x, align = qx+p.w/2-w-1, "R"
		}
		l.texts = append(l.texts, chartText{box: box{x, ty, w, th}, text: quadrantTitles[q], style: "B", size: titleSize, align: align, muted: true, owner: -1})
	}
	// Effort labels under the plot, one per column.
	for i, e := range efforts {
		s := "effort " + e
		w := measure(s, "", axisSize) + 0.5
		cx := p.x + p.w*(float64(i)+0.5)/4
		l.texts = append(l.texts, chartText{box: box{cx - w/2, p.y + p.h + 0.5, w, ah}, text: s, size: axisSize, align: "C", muted: true, owner: -1})
	}
}

// layoutFitPoints places one numbered marker per workload. A marker sits at its score and
// moves sideways within its effort's column to clear the others; it may move up or down
// by at most a third of its size. ok is false when some marker finds no place.
func layoutFitPoints(marks []fitMark, frame box, measure measureFunc) (chartLayout, bool) {
	var l chartLayout
	// The key: up to three columns of "12  orders-api (72)".
	cols := 3
	rows := (len(marks) + cols - 1) / cols
	keyH := float64(rows)*textH(keySize) + 2
	leftW := 9.0
	fitFrame(frame, leftW, keyH, measure, &l)
	p := l.plot
	yTicks(&l, measure, func(v float64) float64 { return scoreY(p, v) })

	r := 0.0
	for _, m := range marks {
		r = math.Max(r, measure(strconv.Itoa(m.number), "B", markSize)/2+0.55)
	}
	r = math.Max(r, 1.9)
	placed, ok := placeMarkers(marks, p, r, 0.35, 0.3)
	if !ok {
		return chartLayout{}, false
	}
	for i, m := range marks {
		c := placed[i]
		l.marks = append(l.marks, c)
		s := strconv.Itoa(m.number)
		w := measure(s, "B", markSize)
		h := textH(markSize) * 0.72
		l.texts = append(l.texts, chartText{box: box{c.cx - w/2, c.cy - h/2, w, h}, text: s, style: "B", size: markSize, align: "C", owner: i})
	}
	// The key, in number order.
	byNumber := make([]int, len(marks))
	for i := range byNumber {
		byNumber[i] = i
	}
	sort.SliceStable(byNumber, func(i, j int) bool { return marks[byNumber[i]].number < marks[byNumber[j]].number })
	colW := frame.w / float64(cols)
	keyY := frame.y + frame.h - keyH + 1
	for k, i := range byNumber {
		m := marks[i]
		x := frame.x + float64(k/rows)*colW
		y := keyY + float64(k%rows)*textH(keySize)
		num := strconv.Itoa(m.number)
		numW := measure("00", "B", keySize) + 1
		l.texts = append(l.texts, chartText{box: box{x, y, numW - 0.5, textH(keySize)}, text: num, style: "B", size: keySize, align: "R", owner: -1})
		label := fitText(m.name+" ("+strconv.Itoa(m.score)+")", colW-numW-2, "", keySize, measure)
		l.texts = append(l.texts, chartText{box: box{x + numW + 0.5, y, measure(label, "", keySize) + 0.3, textH(keySize)}, text: label, size: keySize, align: "L", owner: -1})
	}
	return l, true
}

// placeMarkers places one marker of radius r per workload in plot: at its score, in the
// column of its effort, moved sideways to keep gap from the others and, failing that, up
// or down by at most a third of its radius. ok is false when some marker finds no place.
func placeMarkers(marks []fitMark, p box, r, gap, pad float64) ([]chartMark, bool) {
	order := make([]int, len(marks))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return marks[order[i]].score > marks[order[j]].score })
	placed := make([]chartMark, len(marks))
	var done []chartMark
	for _, i := range order {
		m := marks[i]
		col := indexOf(efforts, m.effort)
		left, right := p.x+p.w*float64(col)/4+r+gap, p.x+p.w*float64(col+1)/4-r-gap
		if right < left {
			return nil, false
		}
		center := (left + right) / 2
		want := math.Max(p.y+r+pad, math.Min(p.y+p.h-r-pad, scoreY(p, float64(m.score))))
		found := false
		var at chartMark
		for _, dy := range []float64{0, -r / 3, r / 3, -2 * r / 3, 2 * r / 3} {
			y := want + dy
			if y < p.y+r || y > p.y+p.h-r {
				continue
			}
			for _, dx := range offsets((right-left)/2, r/2) {
				c := chartMark{cx: center + dx, cy: y, r: r, category: m.category}
				if clear(c, done, gap) {
					at, found = c, true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			return nil, false
		}
		placed[i] = at
		done = append(done, at)
	}
	return placed, true
}

// offsets are the sideways moves a marker tries, nearest first: 0, +step, −step, … up to
// half either way.
func offsets(half, step float64) []float64 {
	out := []float64{0}
	for k := step; k <= half+1e-9; k += step {
		out = append(out, k, -k)
	}
	return out
}

// clear reports whether c keeps at least gap millimetres from every marker in done.
func clear(c chartMark, done []chartMark, gap float64) bool {
	for _, o := range done {
		if math.Hypot(c.cx-o.cx, c.cy-o.cy) < c.r+o.r+gap {
			return false
		}
	}
	return true
}

// scoreY is the y of a score (0–100) in the plot.
func scoreY(p box, score float64) float64 { return p.y + p.h - p.h*score/100 }

// yTicks adds the 0–100 score ticks left of the plot.
func yTicks(l *chartLayout, measure measureFunc, y func(float64) float64) {
	for k := 0; k <= 4; k++ {
		s := strconv.Itoa(25 * k)
		w := measure(s, "", axisSize) + 0.3
		h := textH(axisSize)
		ty := y(float64(25*k)) - h/2
		ty = math.Max(l.plot.y, math.Min(l.plot.y+l.plot.h-h, ty))
		l.texts = append(l.texts, chartText{box: box{l.plot.x - 1.5 - w, ty, w, h}, text: s, size: axisSize, align: "R", muted: true, owner: -1})
	}
}

// layoutFitGroups plots one bubble per category and effort, sized by its count, in a grid
// of categories (rows) by effort (columns), with the count beside each bubble.
func layoutFitGroups(marks []fitMark, frame box, measure measureFunc) chartLayout {
	var l chartLayout
	l.grouped = true
	cats := []string{assess.CategoryExcellent, assess.CategoryGood, assess.CategoryMinorWork, assess.CategoryMajorWork, assess.CategoryPoor}
	leftW := 0.0
	for _, c := range cats {
		leftW = math.Max(leftW, measure(c, "", axisSize)+3)
	}
	fitFrame(frame, leftW, 0, measure, &l)
	p := l.plot
	count := map[[2]string]int{}
	maxC := 1
	for _, m := range marks {
		k := [2]string{m.category, m.effort}
		count[k] += m.count
		maxC = max(maxC, count[k])
	}
	cellW, cellH := p.w/4, p.h/float64(len(cats))
	for ri, c := range cats {
		cy := p.y + cellH*(float64(ri)+0.5)
		s := c
		w := measure(s, "", axisSize) + 0.3
		l.texts = append(l.texts, chartText{box: box{p.x - 1.5 - w, cy - textH(axisSize)/2, w, textH(axisSize)}, text: s, size: axisSize, align: "R", muted: true, owner: -1})
		for ci, e := range efforts {
			n := count[[2]string{c, e}]
			if n == 0 {
				continue
			}
			rmax := math.Min(cellH/2-0.8, cellW/4)
			r := 1.2 + (rmax-1.2)*math.Sqrt(float64(n)/float64(maxC))
			cx := p.x + cellW*float64(ci) + cellW*0.35
			l.marks = append(l.marks, chartMark{cx: cx, cy: cy, r: r, category: c})
			label := thousands(n)
			lw := measure(label, "B", keySize) + 0.3
			lw = math.Min(lw, p.x+cellW*float64(ci+1)-(cx+rmax+1)-0.5)
			l.texts = append(l.texts, chartText{box: box{cx + rmax + 1, cy - textH(keySize)/2, lw, textH(keySize)}, text: label, style: "B", size: keySize, align: "L", owner: -1})
		}
	}
	return l
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(s string, width float64, style string, size float64, measure measureFunc) string {
	if measure(s, style, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && measure(string(r)+"…", style, size) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// --- bars --------------------------------------------------------------------------------------------

// barRow is one bar of a bar chart.
type barRow struct {
	label string
	value int
	note  string
	fill  rgb
}

const barSize = 8.2

// layoutBars lays out horizontal bars, one per row, scaled to the largest value: the label
// in a column at the left (shortened to fit), the bar, and the value at its right.
func layoutBars(rows []barRow, frame box, labelW, rowH float64, measure measureFunc) chartLayout {
	l := chartLayout{frame: frame}
	maxV := 1
	for _, r := range rows {
		maxV = max(maxV, r.value)
	}
	valueW := 0.0
	for _, r := range rows {
		valueW = math.Max(valueW, measure(thousands(r.value)+r.note, "B", barSize)+2)
	}
	trackW := frame.w - labelW - valueW
	l.plot = box{frame.x + labelW, frame.y, trackW, rowH * float64(len(rows))}
	h := textH(barSize)
	for i, r := range rows {
		y := frame.y + rowH*float64(i)
		label := fitText(r.label, labelW-3, "", barSize, measure)
		l.texts = append(l.texts, chartText{box: box{frame.x, y + rowH/2 - h/2, measure(label, "", barSize) + 0.3, h}, text: label, size: barSize, align: "L", owner: -1})
		barH := math.Min(4.2, rowH-1.4)
		l.rects = append(l.rects, chartRect{box{frame.x + labelW, y + (rowH-barH)/2, trackW, barH}, colPanel})
		if r.value > 0 {
			l.rects = append(l.rects, chartRect{box{frame.x + labelW, y + (rowH-barH)/2, math.Max(0.8, trackW*float64(r.value)/float64(maxV)), barH}, r.fill})
		}
		v := thousands(r.value) + r.note
		l.texts = append(l.texts, chartText{box: box{frame.x + labelW + trackW + 1.5, y + rowH/2 - h/2, measure(v, "B", barSize) + 0.3, h}, text: v, style: "B", size: barSize, align: "L", owner: -1})
	}
	return l
}

// --- radar -------------------------------------------------------------------------------------------

const radarSize = 7.0

// radarLabelW is the widest a radar label may be before it wraps.
const radarLabelW = 34.0

// layoutRadarLabels places the factor labels around a radar of radius r centred at cx, cy:
// outside the rim, aligned away from the centre, wrapped to radarLabelW. Labels that would
// overlap their neighbour are pushed apart vertically, away from the horizontal axis.
func layoutRadarLabels(titles []string, muted []bool, cx, cy, r float64, frame box, measure measureFunc) chartLayout {
	l := chartLayout{frame: frame}
	n := len(titles)
	lh := textH(radarSize)
	type lab struct {
		lines []string
		b     box
		align string
		side  int // -1 left, 0 centre, 1 right
	}
	labs := make([]lab, n)
	for i, t := range titles {
		px, py := radarPoint(cx, cy, r+3.5, i, n, 1, 1)
		style := ""
		if muted[i] {
			style = "I"
		}
		lines := wrapText(t, radarLabelW, func(s string) float64 { return measure(s, style, radarSize) })
		w := 0.0
		for _, ln := range lines {
			w = math.Max(w, measure(ln, style, radarSize)+0.3)
		}
		h := float64(len(lines)) * lh
		x, align, side := px-w/2, "C", 0
		switch {
		case px > cx+2:
			x, align, side = px, "L", 1
		case px < cx-2:
			x, align, side = px-w, "R", -1
		}
		y := py - h/2
		if py < cy-r {
			y = py - h
		} else if py > cy+r {
			y = py
		}
		labs[i] = lab{lines: lines, b: box{x, y, w, h}, align: align, side: side}
	}
	// Push apart labels on the same side that overlap, moving the one further from the
	// horizontal axis outwards, until none overlaps.
	for pass := 0; pass < 20; pass++ {
		moved := false
		for i := range labs {
			for j := range labs {
				if i == j || !labs[i].b.overlaps(labs[j].b) {
					continue
				}
				// Move whichever is further from the centre line, away from it.
				a, b := &labs[i], &labs[j]
				if math.Abs(a.b.y+a.b.h/2-cy) < math.Abs(b.b.y+b.b.h/2-cy) {
					a, b = b, a
				}
				if a.b.y+a.b.h/2 < cy {
					a.b.y = b.b.y - a.b.h - 0.3
				} else {
					a.b.y = b.b.y + b.b.h + 0.3
				}
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	for i, lb := range labs {
		style := ""
		if muted[i] {
			style = "I"
		}
		for k, ln := range lb.lines {
			w := measure(ln, style, radarSize) + 0.3
			x := lb.b.x
			switch lb.align {
			case "R":
				x = lb.b.x + lb.b.w - w
			case "C":
				x = lb.b.x + (lb.b.w-w)/2
			}
			l.texts = append(l.texts, chartText{box: box{x, lb.b.y + float64(k)*lh, w, lh}, text: ln, style: style, size: radarSize, align: "L", muted: muted[i], owner: -1})
		}
	}
	return l
}

// --- trend -------------------------------------------------------------------------------------------

// layoutTrendLabels places the run dates under the trend's bars, skipping dates that would
// touch the previous one (every run keeps its bar; the table lists every date).
func layoutTrendLabels(dates []string, x0, slot, y float64, frame box, measure measureFunc) chartLayout {
	l := chartLayout{frame: frame}
	last := math.Inf(-1)
	for i, d := range dates {
		w := measure(d, "", axisSize) + 0.3
		cx := x0 + slot*(float64(i)+0.5)
		b := box{cx - w/2, y, w, textH(axisSize)}
		if b.x < last+1.5 || b.x < frame.x || b.x+b.w > frame.x+frame.w {
			continue
		}
		l.texts = append(l.texts, chartText{box: b, text: d, size: axisSize, align: "C", muted: true, owner: -1})
		last = b.x + b.w
	}
	return l
}
