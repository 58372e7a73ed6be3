package report

// The cover of the board report, and the pieces other chapters share: tiles, the verdict
// panel, wave cards.

import (
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

func (d *pdfDoc) cover() {
	a := d.a
	d.section = "Executive summary"
	d.f.AddPage()
	const bandH = 66.0
	d.fillColour(colNavy)
	d.f.Rect(0, 0, pageW, bandH, "F")
	d.fillColour(colAccent)
	d.f.Rect(0, bandH, pageW, 1.4, "F")
	textW := contentW
	if d.logo {
		// The logo sits in a white card so that any logo reads on the navy band.
		const boxW, boxH = 46.0, 28.0
		bx, by := pageW-marginR-boxW, 16.0
		d.fillColour(colWhite)
		d.f.RoundedRect(bx, by, boxW, boxH, 2, "1234", "F")
		info := d.f.GetImageInfo("logo")
		iw, ih := boxW-6, boxH-6
		if info != nil && info.Width() > 0 && info.Height() > 0 {
			ratio := info.Width() / info.Height()
			if iw/ih > ratio {
				iw = ih * ratio
			} else {
				ih = iw / ratio
			}
		}
		d.f.ImageOptions("logo", bx+(boxW-iw)/2, by+(boxH-ih)/2, iw, ih, false, fpdf.ImageOptions{ImageType: ""}, 0, "")
		textW -= boxW + 6
	}
	d.f.SetY(0)
	d.mark("Executive summary", 0)
	d.font("B", 8.5)
	d.textColour(rgb{150, 196, 214})
	d.textAt(marginL, 18, textW, "KUBERNETES READINESS ASSESSMENT", "L", 8.5)
	client := a.Client
	if client == "" {
		client = "Client not named"
	}
	d.font("B", 24)
	d.textColour(colWhite)
	y := 25.0
	lines := d.wrap(client, textW)
	if len(lines) > 2 {
		d.font("B", 17)
		lines = d.wrap(client, textW)
	}
	size := 24.0
	if len(lines) > 2 {
		size = 17
		lines = append(lines[:1], d.fit(strings.Join(lines[1:], " "), textW))
	}
	for _, l := range lines {
		d.textAt(marginL, y, textW, l, "L", size)
		y += lineH(size)
	}
	d.font("", 10.5)
	d.textColour(rgb{206, 220, 232})
	d.textAt(marginL, y+2, textW, longDate(a.GeneratedAt)+" · prepared with whyk8s "+a.ToolVersion, "L", 10.5)

	d.f.SetY(bandH + 6)
	d.para(scopeText(a.Scope), "", 8.2, colMuted, 0)
	d.gap(4)

	// The verdict panel: what to do, and why, in the client's own numbers. It keeps room
	// for the key figures and the fit chart below; a rationale longer than that shows the
	// sentences that fit and says where the rest is.
	const below = 28 + 12 + 6*6.6 + 4
	d.font("B", 16)
	titleLines := d.wrap(a.Verdict.Title, contentW-14)
	if len(titleLines) > 2 {
		titleLines = append(titleLines[:1], d.fit(strings.Join(titleLines[1:], " "), contentW-14))
	}
	d.font("", 9.6)
	py := d.f.GetY()
	panelH := 8 + lineH(8) + 1.5 + float64(len(titleLines))*lineH(16) + 3 + 4
	var ratLines [][]string
	for i, s := range a.Verdict.Rationale {
		ls := d.wrap(s, contentW-19)
		h := float64(len(ls))*lineH(9.6) + 1.4
		if py+panelH+h+lineH(9.6)+1.4 > bottomY-below {
			left := len(a.Verdict.Rationale) - i
			ratLines = append(ratLines, []string{"The other " + plural(left, "reason", "reasons") + " are in report.md."})
			panelH += lineH(9.6) + 1.4
			break
		}
		ratLines = append(ratLines, ls)
		panelH += h
	}
	d.verdictPanel(py, panelH, titleLines, ratLines)
	d.keyFigures()
}

// verdictPanel draws the verdict's title and rationale in a tinted panel at y.
func (d *pdfDoc) verdictPanel(py, panelH float64, titleLines []string, ratLines [][]string) {
	d.fillColour(colPanel)
	d.f.Rect(marginL, py, contentW, panelH, "F")
	d.fillColour(colNavy)
	d.f.Rect(marginL, py, 1.6, panelH, "F")
	d.font("B", 8)
	d.textColour(colAccent)
	d.textAt(marginL+7, py+6, contentW-14, "VERDICT", "L", 8)
	ty := py + 6 + lineH(8) + 1.5
	d.font("B", 16)
	d.textColour(colNavy)
	ty = d.lines(marginL+7, ty, contentW-14, titleLines, 16)
	ty += 3
	d.font("", 9.6)
	for _, ls := range ratLines {
		d.fillColour(colAccent)
		d.f.Rect(marginL+7.5, ty+lineH(9.6)/2-0.7, 1.4, 1.4, "F")
		d.textColour(colInk)
		ty = d.lines(marginL+12, ty, contentW-19, ls, 9.6)
		ty += 1.4
	}
	d.f.SetY(py + panelH + 6)
}

// keyFigures draws the summary's tiles and the chart of workloads per fit category.
func (d *pdfDoc) keyFigures() {
	a := d.a
	r := a.Readiness
	readiness := tile{label: "READINESS", value: "Not assessed", note: "no questionnaire answers"}
	if r.Assessed {
		readiness = tile{label: "READINESS", value: r.Level, note: fmt.Sprintf("%d/100 · confidence %d%%", r.Score, r.Confidence)}
	}
	// An average of no workloads is not zero: say there is none.
	average := tile{label: "AVERAGE CONTAINER FIT", value: "—", note: "no workloads in scope"}
	if a.Summary.Workloads > 0 && judged(a) == 0 {
		average.note = "no workload could be judged"
	}
	if judged(a) > 0 {
		average = tile{label: "AVERAGE CONTAINER FIT", value: strconv.Itoa(a.Summary.AverageScore) + "/100", note: "0 = poor, 100 = excellent"}
	}
	critical, high := 0, 0
	for _, f := range a.Findings {
		switch strings.ToLower(f.Severity) {
		case "critical":
			critical++
		case "high":
			high++
		}
	}
	d.tiles([]tile{
		readiness,
		{label: "WORKLOADS ASSESSED", value: thousands(a.Summary.Workloads), note: thousands(a.Summary.NonProduction) + " non-production"},
		average,
		{label: "FINDINGS TO ACT ON", value: thousands(len(a.Findings)), note: fmt.Sprintf("%d critical · %d high", critical, high)},
	})
	d.gap(6)

	d.heading("Workloads by container fit")
	var items []barRow
	total := 0
	for _, c := range a.Summary.ByCategory {
		total += c.Count
	}
	for _, c := range a.Summary.ByCategory {
		note := ""
		if total > 0 {
			note = fmt.Sprintf("  (%d%%)", (c.Count*100+total/2)/total)
		}
		items = append(items, barRow{label: c.Category, value: c.Count, note: note, fill: categoryColour(c.Category)})
	}
	d.bars(items)
}

type tile struct{ label, value, note string }

// tiles draws a row of key figures.
func (d *pdfDoc) tiles(ts []tile) {
	const gap, h = 4.0, 22.0
	w := (contentW - gap*float64(len(ts)-1)) / float64(len(ts))
	d.need(h)
	y := d.f.GetY()
	for i, t := range ts {
		x := marginL + float64(i)*(w+gap)
		d.drawColour(colRule)
		d.f.SetLineWidth(0.25)
		d.f.Rect(x, y, w, h, "D")
		d.fillColour(colAccent)
		d.f.Rect(x, y, w, 0.9, "F")
		d.font("B", 6.4)
		d.textColour(colMuted)
		d.textAt(x+3, y+3, w-6, d.fit(t.label, w-6), "L", 6.4)
		// The value shrinks, then wraps onto two lines, rather than lose its end.
		size := 15.0
		d.font("B", size)
		if d.f.GetStringWidth(t.value) > w-6 {
			size = 11.5
			d.font("B", size)
		}
		d.textColour(colNavy)
		if d.f.GetStringWidth(t.value) <= w-6 {
			d.textAt(x+3, y+7.6, w-6, t.value, "L", size)
		} else {
			size = 9.2
			d.font("B", size)
			lines := d.wrap(t.value, w-6)
			if len(lines) > 2 {
				lines = append(lines[:1], d.fit(strings.Join(lines[1:], " "), w-6))
			}
			for k, l := range lines {
				d.textAt(x+3, y+7+float64(k)*lineH(size), w-6, l, "L", size)
			}
		}
		d.font("", 7.2)
		d.textColour(colMuted)
		d.textAt(x+3, y+h-3-lineH(7.2), w-6, d.fit(t.note, w-6), "L", 7.2)
	}
	d.f.SetY(y + h)
}

// waveCards draws the migration waves side by side (up to four), or as a table.
func (d *pdfDoc) waveCards() {
	waves := d.a.Waves
	if len(waves) == 0 {
		d.para("No workload is planned into a migration wave.", "", 9.5, colInk, 0)
		return
	}
	if len(waves) > 4 {
		d.waveTable()
		return
	}
	const gap, pad = 4.0, 3.0
	n := float64(len(waves))
	w := (contentW - gap*(n-1)) / n
	type card struct{ name, why, list []string }
	cards := make([]card, len(waves))
	bodyH := 0.0
	for i, wv := range waves {
		d.font("B", 9.2)
		cards[i].name = d.wrap(wv.Name, w-2*pad)
		d.font("", 7.8)
		cards[i].why = d.wrap(wv.Rationale, w-2*pad)
		cards[i].list = d.wrap(d.workloadList(wv.Workloads, 6), w-2*pad)
		h := float64(len(cards[i].name))*lineH(9.2) + 2 + float64(len(cards[i].why))*lineH(7.8) + 3 + lineH(7) + float64(len(cards[i].list))*lineH(7.8)
		bodyH = max(bodyH, h)
	}
	const stripH = 8.0
	h := stripH + pad + bodyH + pad
	if h > maxCardH {
		d.waveTable()
		return
	}
	d.need(h)
	y := d.f.GetY()
	for i, wv := range waves {
		x := marginL + float64(i)*(w+gap)
		d.fillColour(colPanel)
		d.f.Rect(x, y, w, h, "F")
		d.fillColour(colNavy)
		d.f.Rect(x, y, w, stripH, "F")
		d.font("B", 8.2)
		d.textColour(colWhite)
		d.textAt(x+pad, y+stripH/2-lineH(8.2)/2, w-2*pad, "WAVE "+strconv.Itoa(wv.Number), "L", 8.2)
		d.font("", 8.2)
		d.textAt(x+pad, y+stripH/2-lineH(8.2)/2, w-2*pad, plural(len(wv.Workloads), "workload", "workloads"), "R", 8.2)
		cy := y + stripH + pad
		d.font("B", 9.2)
		d.textColour(colNavy)
		cy = d.lines(x+pad, cy, w-2*pad, cards[i].name, 9.2)
		cy += 2
		d.font("", 7.8)
		d.textColour(colInk)
		cy = d.lines(x+pad, cy, w-2*pad, cards[i].why, 7.8)
		cy += 3
		d.font("B", 6.4)
		d.textColour(colMuted)
		d.textAt(x+pad, cy, w-2*pad, "WORKLOADS", "L", 6.4)
		cy += lineH(7)
		d.font("", 7.8)
		d.textColour(colInk)
		d.lines(x+pad, cy, w-2*pad, cards[i].list, 7.8)
		if i < len(waves)-1 {
			// An arrow between cards says "then".
			d.fillColour(colAccent)
			ax, ay := x+w+gap/2, y+stripH/2
			d.f.Polygon([]fpdf.PointType{{X: ax - 1.2, Y: ay - 1.8}, {X: ax + 1.4, Y: ay}, {X: ax - 1.2, Y: ay + 1.8}}, "F")
		}
	}
	d.f.SetY(y + h + 4)
}

// maxCardH is the tallest the wave cards may be; longer rationales read better in a table.
const maxCardH = 110.0

// waveTable lists the waves as a table, for plans that do not fit side by side.
func (d *pdfDoc) waveTable() {
	var rows [][]tcell
	for _, w := range d.a.Waves {
		rows = append(rows, []tcell{{text: strconv.Itoa(w.Number) + ". " + w.Name, bold: true}, tc(w.Rationale), tc(thousands(len(w.Workloads)) + ": " + d.workloadList(w.Workloads, 6))})
	}
	d.table([]column{{title: "Wave", width: 25}, {title: "Why this wave", width: 40}, {title: "Workloads", width: 35}}, rows)
}

// workloadList names up to n workloads and says how many more there are.
func (d *pdfDoc) workloadList(ids []string, n int) string {
	var names []string
	for i, id := range ids {
		if i == n {
			break
		}
		if wl, ok := d.index[id]; ok {
			names = append(names, wl.Name)
		} else {
			names = append(names, id)
		}
	}
	s := strings.Join(names, ", ")
	if len(ids) > n {
		s += ", and " + thousands(len(ids)-n) + " more"
	}
	if s == "" {
		return "none"
	}
	return s
}
