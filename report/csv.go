package report

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"whyk8s/assess"
	"whyk8s/internal/printable"
)

// csvWriter writes one row per workload: the overview columns plus the blockers, for
// spreadsheets.
type csvWriter struct{}

var csvHeader = []string{
	"workload", "name", "environment", "account", "region",
	"score", "category", "confidence", "effort", "wave", "wave name",
	"recommendation", "blockers", "top blockers", "role", "role confidence", "from code",
}

// csvTopBlockers is how many blockers the "top blockers" cell lists; the "blockers" column
// carries the full count.
const csvTopBlockers = 3

func (csvWriter) write(ctx context.Context, w io.Writer, a *assess.Assessment) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	waves := waveNames(a)
	for i := range a.Workloads {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		wl := &a.Workloads[i]
		var top []string
		for j, b := range wl.Blockers {
			if j == csvTopBlockers {
				break
			}
			top = append(top, b.Rule+": "+b.Title)
		}
		row := []string{
			csvText(wl.ID), csvText(wl.Name), csvText(wl.Environment), csvText(wl.Account), csvText(wl.Region),
			strconv.Itoa(wl.Fit.Score), csvText(wl.Fit.Category), strconv.Itoa(wl.Fit.Confidence),
			csvText(wl.Effort), waveNumber(wl.Wave), csvText(waves[wl.Wave]),
			csvText(wl.Recommendation.Text), strconv.Itoa(len(wl.Blockers)), csvText(strings.Join(top, "; ")),
			csvText(wl.Role.Name), wl.Role.Confidence, fromCodeCell(wl.FromCode),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// fromCodeCell names the script a provisional workload was assessed from; empty for a
// workload read from AWS or infrastructure code.
func fromCodeCell(o *assess.CodeOrigin) string {
	if o == nil {
		return ""
	}
	return csvText(o.Path)
}

// csvText defuses cells a spreadsheet would run as a formula. Names and tags come from the
// client's estate, and a tag value of "=HYPERLINK(…)" must not become a live link in the
// consultant's spreadsheet; a leading apostrophe makes the cell plain text.
//
// Control characters and newlines are escaped as %q does: a name carrying an escape
// sequence or a line break must not act on the terminal that shows the file, nor split a
// row for a reader that takes lines for rows.
func csvText(s string) string {
	s = printable.Escape(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// waveNumber renders a wave for a cell: workloads outside every wave (0) get an empty cell
// rather than a wave "0" that does not exist.
func waveNumber(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}
