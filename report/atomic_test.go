package report

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"whyk8s/assess"
)

// failingWriter writes part of a report and then fails, like a renderer that hits a bad
// value halfway through.
type failingWriter struct{}

func (failingWriter) write(_ context.Context, w io.Writer, _ *assess.Assessment) error {
	if _, err := io.WriteString(w, strings.Repeat("half a report\n", 10000)); err != nil {
		return err
	}
	return errors.New("renderer failed halfway")
}

// withFormats replaces the format registry for one test.
func withFormats(t *testing.T, fs []format) {
	t.Helper()
	saved := formats
	formats = fs
	t.Cleanup(func() { formats = saved })
}

// folderFiles returns the names and contents of the files in dir, and fails on anything
// else in it (a staging folder, a temporary file).
func folderFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("%s left in the report folder", e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

func names(files map[string]string) []string {
	var out []string
	for n := range files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// A renderer that fails between files — after the Markdown report, before the rest — must
// leave the folder holding only the previous run's complete set: a new Markdown report
// beside last month's PDF would tell two stories.
func TestWriteFailingBetweenFilesKeepsThePreviousSet(t *testing.T) {
	dir := t.TempDir()
	lastMonth := Sample()
	lastMonth.Client = "Last Month Ltd"
	if _, err := Write(context.Background(), lastMonth, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	before := folderFiles(t, dir)
	if len(before) != len(formats) {
		t.Fatalf("the first run wrote %v, want one file per format", names(before))
	}

	// The PDF is second: the Markdown report is written before it fails.
	broken := slices.Clone(formats)
	for i := range broken {
		if broken[i].name == "pdf" {
			broken[i].open = always(failingWriter{})
		}
	}
	withFormats(t, broken)
	paths, err := Write(context.Background(), Sample(), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "report.pdf")) || !strings.Contains(err.Error(), "renderer failed halfway") {
		t.Errorf("err = %v, want it to name report.pdf and the cause", err)
	}
	if len(paths) != 0 {
		t.Errorf("a failed run reports %v as written", paths)
	}
	if after := folderFiles(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("the folder changed: it holds %v, want the previous run's %v untouched", names(after), names(before))
	}
}

// A run killed at any moment leaves a staging folder or temporary files; the next run in
// that folder removes them, and finishes a publication the killed run had begun.
func TestWriteCleansWhatAKilledRunLeft(t *testing.T) {
	dir := t.TempDir()
	leftovers := map[string]string{
		".whyk8s-staging-12345/report.md":                "# a killed run's report\n",
		".whyk8s-staging-12345/.report.pdf.9.whyk8s-tmp": "%PDF half",
		".report.pdf.777.whyk8s-tmp":                     "%PDF half, from an earlier version of whyk8s",
		".acme-workloads.csv.3.whyk8s-tmp":               "workload,name",
	}
	for name, content := range leftovers {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The prefix "acme" owns acme-workloads.csv; a run without a prefix leaves its
	// temporary alone, a run with it removes it.
	for _, name := range []string{"", "acme"} {
		if _, err := Write(context.Background(), Sample(), Options{Dir: dir, Name: name, Formats: []string{"json"}}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := names(folderFiles(t, dir)), []string{"acme-assessment.json", "assessment.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the folder holds %v, want %v and nothing a killed run left", got, want)
	}
}

// A folder where a report should go cannot be replaced: the run fails, naming it, and
// replaces nothing.
func TestWriteRefusesAFolderInTheWay(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "workloads.csv"), []byte("last month"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "report.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	paths, err := Write(context.Background(), Sample(), Options{Dir: dir, Formats: []string{"md", "csv", "json"}})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "report.md")) {
		t.Errorf("err = %v, want it to name report.md", err)
	}
	if len(paths) != 0 {
		t.Errorf("paths = %v, want none", paths)
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if want := []string{"report.md", "workloads.csv"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the folder holds %v, want %v as it was", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "workloads.csv")); string(b) != "last month" {
		t.Errorf("workloads.csv was replaced: %q", b)
	}
}
