package report

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/assess"
)

// failingWriter writes part of a report and then fails, like a renderer that hits a bad
// value halfway through.
type failingWriter struct{}

func (failingWriter) file() string { return "report.md" }

func (failingWriter) write(_ context.Context, w io.Writer, _ *assess.Assessment) error {
	if _, err := io.WriteString(w, strings.Repeat("half a report\n", 10000)); err != nil {
		return err
	}
	return errors.New("renderer failed halfway")
}

func TestWriteFileFailsCleanly(t *testing.T) {
	tests := []struct {
		name     string
		existing string // content already at the path; "" for none
	}{
		{name: "no previous report"},
		{name: "previous report kept", existing: "# last month's report\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.md")
			if tt.existing != "" {
				if err := os.WriteFile(path, []byte(tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := writeFile(context.Background(), path, failingWriter{}, Sample())
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "renderer failed halfway") {
				t.Fatalf("err = %v, want the path and the cause", err)
			}
			entries, _ := os.ReadDir(dir)
			switch {
			case tt.existing == "" && len(entries) != 0:
				t.Errorf("a failed write left %v", entries)
			case tt.existing != "":
				got, _ := os.ReadFile(path)
				if string(got) != tt.existing || len(entries) != 1 {
					t.Errorf("the previous report was not kept intact: %q, folder %v", got, entries)
				}
			}
		})
	}
}

// TestWriteCarriesOnPastAFailedFormat checks that one format failing does not cost the
// others, and that the error names the file that failed.
func TestWriteCarriesOnPastAFailedFormat(t *testing.T) {
	dir := t.TempDir()
	// A folder where the Markdown report should go makes its rename fail.
	if err := os.Mkdir(filepath.Join(dir, "report.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.md", "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	paths, err := Write(context.Background(), Sample(), Options{Dir: dir, Formats: []string{"md", "csv", "json"}})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "report.md")) {
		t.Errorf("err = %v, want it to name report.md", err)
	}
	want := []string{filepath.Join(dir, "assessment.json"), filepath.Join(dir, "workloads.csv")}
	if strings.Join(paths, ",") != strings.Join(want, ",") {
		t.Errorf("paths = %v, want %v", paths, want)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "whyk8s-tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
