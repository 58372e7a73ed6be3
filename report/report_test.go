package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"whyk8s/report"
)

func readDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// every returns the files a run with the name prefix writes by default, sorted as a folder
// lists them, without the ones in except. Tests that mean "every format" ask the registry,
// so that adding a format does not mean editing them.
func every(t *testing.T, prefix string, except ...string) []string {
	t.Helper()
	files, err := report.Options{Name: prefix}.Files()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !slices.Contains(except, f) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

func TestFormats(t *testing.T) {
	formats := report.Formats()
	// The four the README documents; a format added later joins them.
	for _, f := range []string{"md", "pdf", "json", "csv"} {
		if !slices.Contains(formats, f) {
			t.Errorf("Formats() = %v lacks %q", formats, f)
		}
	}
	files, err := report.Options{}.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(formats) {
		t.Fatalf("Files() = %v for formats %v: want one file per format", files, formats)
	}
	seen := map[string]bool{}
	for i, f := range formats {
		if f != strings.ToLower(f) || strings.ContainsAny(f, ", ") {
			t.Errorf("format %q: names are lower case, with no comma or space (--format md,pdf)", f)
		}
		if seen[f] || seen["file "+files[i]] {
			t.Errorf("format %q or its file %q is registered twice", f, files[i])
		}
		seen[f], seen["file "+files[i]] = true, true
		if one, err := (report.Options{Formats: []string{f}}).Files(); err != nil || !reflect.DeepEqual(one, files[i:i+1]) {
			t.Errorf("--format %s writes %v (%v), want %v", f, one, err, files[i])
		}
	}
}

func TestWriteNamesAndFormats(t *testing.T) {
	tests := []struct {
		name    string
		opts    report.Options
		want    []string
		wantErr string
	}{
		{name: "all formats by default", want: every(t, "")},
		{name: "prefix", opts: report.Options{Name: "acme"}, want: every(t, "acme")},
		{name: "subset, any case, duplicates", opts: report.Options{Formats: []string{"CSV", " json", "csv"}}, want: []string{"assessment.json", "workloads.csv"}},
		{name: "unknown format", opts: report.Options{Formats: []string{"md", "docx"}}, wantErr: `unknown format "docx" (valid formats: ` + strings.Join(report.Formats(), ", ") + ")"},
		{name: "name is a path", opts: report.Options{Name: "../x"}, wantErr: "must be a file-name prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out", "nested")
			tt.opts.Dir = dir
			paths, err := report.Write(context.Background(), report.Sample(), tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, report.ErrBadOption) {
					t.Fatalf("err = %v, want ErrBadOption saying %q", err, tt.wantErr)
				}
				if len(paths) != 0 {
					t.Errorf("bad options still wrote %v", paths)
				}
				if err := tt.opts.Check(); err == nil {
					t.Error("Check accepts options Write refuses")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range tt.want {
				want = append(want, filepath.Join(dir, n))
			}
			if !reflect.DeepEqual(paths, want) {
				t.Errorf("paths = %v, want %v", paths, want)
			}
			if got := readDir(t, dir); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("folder holds %v, want exactly %v (no temporary files left)", got, tt.want)
			}
		})
	}
}

// TestWriteCarriesOnPastABadInput checks that a bad logo or template costs only what it
// must, and says so.
func TestWriteCarriesOnPastABadInput(t *testing.T) {
	tests := []struct {
		name    string
		opts    report.Options
		want    []string
		wantErr string
	}{
		{name: "missing logo: PDF without it", opts: report.Options{Logo: "no-such-logo.png"},
			want:    every(t, ""),
			wantErr: "logo no-such-logo.png: no such file or directory; the PDF is written without it"},
		{name: "logo that is not an image", opts: report.Options{Logo: "report_test.go"},
			want:    every(t, ""),
			wantErr: "logo report_test.go: not a PNG or JPEG image"},
		{name: "missing template: no Markdown", opts: report.Options{Template: "no-such.tmpl"},
			want:    every(t, "", "report.md"),
			wantErr: "no-such.tmpl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Dir = t.TempDir()
			if err := tt.opts.Check(); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Check() = %v, want it to say %q", err, tt.wantErr)
			}
			paths, err := report.Write(context.Background(), report.Sample(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, report.ErrBadOption) {
				t.Errorf("err = %v, want ErrBadOption saying %q", err, tt.wantErr)
			}
			if got := readDir(t, tt.opts.Dir); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("folder holds %v, want %v", got, tt.want)
			}
			if len(paths) != len(tt.want) {
				t.Errorf("paths = %v, want the %d files written", paths, len(tt.want))
			}
		})
	}
}

func TestWriteReplacesExistingFiles(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "workloads.csv")
	if err := os.WriteFile(old, []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := report.Write(context.Background(), report.Sample(), report.Options{Dir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(old)
	if !bytes.HasPrefix(data, []byte("workload,name,")) {
		t.Errorf("workloads.csv was not replaced: %q", data)
	}
}

func TestWriteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	_, err := report.Write(ctx, report.Sample(), report.Options{Dir: dir})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got := readDir(t, dir); len(got) != 0 {
		t.Errorf("a cancelled run left %v", got)
	}
}

func TestCSV(t *testing.T) {
	a := report.Sample()
	a.Workloads[5].Name = "=HYPERLINK(\"http://evil.example\")"
	rows, err := csv.NewReader(bytes.NewReader(writeOne(t, a, "csv", report.Options{}))).ReadAll()
	if err != nil {
		t.Fatalf("workloads.csv does not parse: %v", err)
	}
	if len(rows) != 1+len(a.Workloads) {
		t.Fatalf("workloads.csv has %d rows, want a header and one per workload (%d)", len(rows), len(a.Workloads))
	}
	want := [][]string{
		{"workload", "name", "environment", "account", "region", "score", "category", "confidence", "effort", "wave", "wave name", "recommendation", "blockers", "top blockers", "role", "role confidence", "from code"},
		{"111111111111/eu-central-1/Zürich-Ölhafen", "Zürich-Ölhafen", "production", "111111111111", "eu-central-1", "41", "Needs major work", "85", "L", "3", "Stateful after remediation",
			"Containerise only after the s3fs mount and the local data volume are gone.", "2", "FIT-S3FS-MOUNT: s3fs mount; FIT-DATA-VOLUME: Extra EBS data volume", "", "", ""},
	}
	if !reflect.DeepEqual(rows[0], want[0]) {
		t.Errorf("header = %q\nwant     %q", rows[0], want[0])
	}
	if !reflect.DeepEqual(rows[5], want[1]) {
		t.Errorf("Zürich row = %q\nwant         %q", rows[5], want[1])
	}
	if got := rows[6][1]; got != `'=HYPERLINK("http://evil.example")` {
		t.Errorf("a formula-like name is written as %q; a spreadsheet would run it", got)
	}
	if got := rows[6][9]; got != "" {
		t.Errorf("a workload in no wave has wave %q, want an empty cell", got)
	}
}

// Prepare renders without touching the folder, so that the command line can store the
// run's history before the reports change; Publish then replaces the set, Discard drops it.
func TestPrepareChangesNothingUntilPublish(t *testing.T) {
	dir := t.TempDir()
	lastMonth := []string{"assessment.json", "report.md", "report.pdf", "workloads.csv"}
	for _, n := range lastMonth {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("last month"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	unchanged := func(when string) {
		t.Helper()
		for _, n := range lastMonth {
			if b, err := os.ReadFile(filepath.Join(dir, n)); err != nil || string(b) != "last month" {
				t.Errorf("%s: %s is %q (%v), want last month's", when, n, b, err)
			}
		}
	}

	dropped, err := report.Prepare(context.Background(), report.Sample(), report.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	unchanged("after Prepare")
	dropped.Discard()
	unchanged("after Discard")
	if got := readDir(t, dir); !reflect.DeepEqual(got, lastMonth) {
		t.Errorf("after Discard the folder holds %v, want %v", got, lastMonth)
	}

	p, err := report.Prepare(context.Background(), report.Sample(), report.Options{Dir: dir, Formats: []string{"json", "csv"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Discard()
	unchanged("after a second Prepare")
	paths, err := p.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "assessment.json"), filepath.Join(dir, "workloads.csv")}; !reflect.DeepEqual(paths, want) {
		t.Errorf("Publish() = %v, want %v", paths, want)
	}
	// Last month's Markdown and PDF would disagree with this month's JSON: they go.
	if got, want := readDir(t, dir), []string{"assessment.json", "workloads.csv"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after Publish the folder holds %v, want %v", got, want)
	}
}
