package report_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"whyk8s/report"
)

// openWorkbook writes a's workbook and opens it back with excelize.
func openWorkbook(t *testing.T, raw []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWorkbookSheets(t *testing.T) {
	a := report.Sample()
	a.Workloads[1].Name = "=HYPERLINK(\"http://evil.example\",\"click\")"
	raw := writeOne(t, a, "xlsx", report.Options{})
	f := openWorkbook(t, raw)
	want := []string{"Workloads", "Blockers", "Signals", "Findings", "Waves", "Readiness", "Coverage gaps", "Scripts", "Script links", "Crosswalk", "About"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	rows, err := f.GetRows("Workloads")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(a.Workloads)+1 {
		t.Fatalf("Workloads has %d rows, want a header and %d workloads", len(rows), len(a.Workloads))
	}
	header := strings.Join(rows[0], "|")
	for _, col := range []string{"Role", "Score", "Category", "Top blockers", "Google Migration Center", "Azure Migrate (AKS)", "Konveyor risk", "7 Rs"} {
		if !strings.Contains(header, col) {
			t.Errorf("the Workloads sheet has no %q column: %s", col, header)
		}
	}
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q", name)
		return -1
	}
	first := rows[1]
	if first[col("Workload")] != a.Workloads[0].Name || first[col("Role")] != "role not assessed" || first[col("Google Migration Center")] != a.Workloads[0].Crosswalk.MigrationCenter {
		t.Errorf("first workload row = %q", first)
	}
	// Numbers are numbers: a filter sorts 9 before 10.
	cell, _ := excelize.CoordinatesToCellName(col("Score")+1, 2)
	if typ, _ := f.GetCellType("Workloads", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("score cell %s has type %v, want a number", cell, typ)
	}
	if v, _ := f.GetCellValue("Workloads", cell); v != "72" {
		t.Errorf("score cell %s = %q, want 72", cell, v)
	}
	// Every signal of every workload is a row, with its points and its place.
	sig, _ := f.GetRows("Signals")
	n := 0
	for _, wl := range a.Workloads {
		n += len(wl.Signals)
	}
	if len(sig) != n+1 {
		t.Errorf("Signals has %d rows, want %d signals and a header", len(sig)-1, n)
	}
	if !strings.Contains(strings.Join(sig[1], "|"), "packer/orders.pkr.hcl:12") {
		t.Errorf("the first signal row has no place: %q", sig[1])
	}
	blk, _ := f.GetRows("Blockers")
	if len(blk) < 2 || !strings.Contains(strings.Join(blk[1], "|"), "Keep session state in a shared store") {
		t.Errorf("the Blockers sheet does not carry the remediation: %q", blk)
	}
	// The sheet XML: a frozen header, a table (filters) on every sheet, no formula
	// anywhere, and the formula-like name is a text cell.
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	tables := 0
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		switch {
		case strings.HasPrefix(zf.Name, "xl/worksheets/sheet"):
			if !bytes.Contains(body, []byte(`state="frozen"`)) {
				t.Errorf("%s: the header row is not frozen", zf.Name)
			}
			if bytes.Contains(body, []byte("<f>")) {
				t.Errorf("%s holds a formula", zf.Name)
			}
		case strings.HasPrefix(zf.Name, "xl/tables/table"):
			tables++
			if !bytes.Contains(body, []byte("<autoFilter")) {
				t.Errorf("%s has no filter", zf.Name)
			}
		case zf.Name == "docProps/core.xml":
			if !bytes.Contains(body, []byte("2025-03-14T09:30:00Z")) {
				t.Errorf("docProps are not dated by the assessment: %s", body)
			}
		}
	}
	if tables != len(want) {
		t.Errorf("%d tables, want one per sheet (%d)", tables, len(want))
	}
	evil, _ := excelize.CoordinatesToCellName(col("Workload")+1, 3)
	if typ, _ := f.GetCellType("Workloads", evil); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("a formula-like name is stored as %v, want text", typ)
	}
	if style, _ := f.GetCellStyle("Workloads", evil); style == 0 {
		t.Error("a formula-like name has no text format")
	}
	if bytes.Contains(raw, []byte(report.SampleSecret)) {
		t.Error("the workbook contains a secret value")
	}
}

func TestWorkbookDeterministic(t *testing.T) {
	a := report.Synthetic(60)
	first := writeOne(t, a, "xlsx", report.Options{})
	if again := writeOne(t, a, "xlsx", report.Options{}); !bytes.Equal(first, again) {
		t.Fatal("two workbooks of the same assessment differ")
	}
}

func TestWorkbookEmptyEstate(t *testing.T) {
	f := openWorkbook(t, writeOne(t, minimal(), "xlsx", report.Options{}))
	rows, _ := f.GetRows("Findings")
	if len(rows) != 2 || rows[1][0] != "No findings." {
		t.Errorf("an empty Findings sheet reads %q, want a header and \"No findings.\"", rows)
	}
}
