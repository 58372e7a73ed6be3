package history_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"whyk8s/assess"
	"whyk8s/history"
)

func month(m time.Month) time.Time { return time.Date(2025, m, 1, 6, 0, 0, 0, time.UTC) }

// run is a small hand-built assessment: the engine is not under test here.
func run(at time.Time, readiness int, categories ...string) *assess.Assessment {
	a := &assess.Assessment{
		SchemaVersion: assess.SchemaVersion,
		GeneratedAt:   at,
		ToolVersion:   "test",
		Client:        "Northwind",
		Readiness:     assess.Readiness{Assessed: true, Score: readiness},
	}
	for i, c := range categories {
		a.Workloads = append(a.Workloads, assess.Workload{ID: "1/eu-west-1/g" + string(rune('a'+i)), Fit: assess.Fit{Category: c}})
	}
	return a
}

func store(t *testing.T, dir string, a *assess.Assessment) string {
	t.Helper()
	path, err := history.Store(dir, a)
	if err != nil {
		t.Fatalf("Store: %v", err)
	}
	return path
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStoreNamesWritesAndReadsBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet") // a missing folder is created
	a := run(time.Date(2025, 2, 1, 7, 4, 5, 0, time.FixedZone("CET", 3600)), 58, assess.CategoryGood)
	path := store(t, dir, a)
	if want := filepath.Join(dir, "assessment-20250201T060405Z.json"); path != want {
		t.Errorf("Store path = %s, want %s (UTC timestamp)", path, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || !bytes.Contains(data, []byte("\n  \"schemaVersion\": 1,")) {
		t.Errorf("stored file is not indented JSON with a trailing newline:\n%.200s", data)
	}
	runs, warnings, err := history.Load(context.Background(), dir)
	if err != nil || len(warnings) != 0 || len(runs) != 1 {
		t.Fatalf("Load: %d runs, warnings %v, err %v; want 1 run", len(runs), warnings, err)
	}
	if !runs[0].Assessment.GeneratedAt.Equal(a.GeneratedAt) || runs[0].Assessment.Readiness.Score != 58 || runs[0].Path != path {
		t.Errorf("read back %s at %v readiness %d", runs[0].Path, runs[0].Assessment.GeneratedAt, runs[0].Assessment.Readiness.Score)
	}
	if a.GeneratedAt.Location().String() != "CET" {
		t.Errorf("Store changed its input's time zone")
	}
}

func TestStoreIsImmutable(t *testing.T) {
	dir := t.TempDir()
	a := run(month(3), 50, assess.CategoryPoor)
	path := store(t, dir, a)
	original, _ := os.ReadFile(path)

	// The same run stored again (a retried job) is accepted and changes nothing.
	if again, err := history.Store(dir, a); err != nil || again != path {
		t.Errorf("Store of identical content: %s, %v; want %s, nil", again, err, path)
	}
	// A different assessment for the same moment is refused, naming the file.
	b := run(month(3), 90, assess.CategoryExcellent)
	_, err := history.Store(dir, b)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "never overwritten") {
		t.Errorf("Store of different content at the same time: err = %v; want a refusal naming %s", err, path)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, original) {
		t.Errorf("history file was modified")
	}
	assertOnlyFiles(t, dir, filepath.Base(path))
}

// TestStoreConcurrentWritersNeverOverwrite races writers of different content for one file
// name: exactly one wins, the others are refused, and the file holds the winner's bytes
// whole — what an atomic, never-overwriting store must guarantee.
func TestStoreConcurrentWritersNeverOverwrite(t *testing.T) {
	dir := t.TempDir()
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			a := run(month(4), i*10, assess.CategoryGood)
			_, errs[i] = history.Store(dir, a)
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Errorf("writers %d and %d both succeeded", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("no writer succeeded: %v", errs)
	}
	runs, warnings, err := history.Load(context.Background(), dir)
	if err != nil || len(warnings) != 0 || len(runs) != 1 {
		t.Fatalf("Load after race: %d runs, %v, %v", len(runs), warnings, err)
	}
	if got := runs[0].Assessment.Readiness.Score; got != winner*10 {
		t.Errorf("stored readiness %d, but writer %d (readiness %d) is the one that succeeded", got, winner, winner*10)
	}
	assertOnlyFiles(t, dir, history.FileName(month(4)))
}

func TestStoreRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	if _, err := history.Store(dir, &assess.Assessment{}); err == nil || !strings.Contains(err.Error(), "generatedAt") {
		t.Errorf("Store without generatedAt: %v; want an error naming generatedAt", err)
	}
	if _, err := history.Store(dir, nil); err == nil {
		t.Errorf("Store(nil) succeeded")
	}
	// A history path that is a file, not a folder: a clear error, nothing written.
	file := filepath.Join(dir, "history")
	write(t, file, "x")
	if _, err := history.Store(file, run(month(1), 1)); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("Store into a file: %v; want an error naming %s", err, file)
	}
	assertOnlyFiles(t, dir, "history")
}

func TestLoadSkipsCorruptAndForeignFiles(t *testing.T) {
	dir := t.TempDir()
	// Three good runs, stored out of order.
	mar := store(t, dir, run(month(3), 60))
	jan := store(t, dir, run(month(1), 40))
	feb := store(t, dir, run(month(2), 50))
	// A run written under a name that does not sort with the others is still read by time.
	renamed := filepath.Join(dir, "zz-first-run.json")
	data, _ := json.Marshal(run(time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), 30))
	write(t, renamed, string(data))

	corrupt := filepath.Join(dir, "assessment-20250401T060000Z.json")
	write(t, corrupt, "{\n  \"schemaVersion\": 1,\n  \"generatedAt\": \"2025-04-01T06:00:00Z\",\n  \"workloads\": [\n")
	notJSON := filepath.Join(dir, "README.txt")
	write(t, notJSON, "history of the monthly whyk8s runs\n")
	snapshot := filepath.Join(dir, "estate.json")
	write(t, snapshot, `{"schemaVersion": 1, "collectedAt": "2025-01-01T00:00:00Z", "autoScalingGroups": []}`)
	future := filepath.Join(dir, "assessment-20250501T060000Z.json")
	// A newer shape that no longer decodes is refused for its version, not its fields.
	write(t, future, `{"schemaVersion": 99, "generatedAt": "2025-05-01T06:00:00Z", "workloads": {"by": "id"}}`)
	ancient := filepath.Join(dir, "assessment-20200101T000000Z.json")
	write(t, ancient, `{"schemaVersion": 0, "generatedAt": "2020-01-01T00:00:00Z"}`)
	array := filepath.Join(dir, "list.json")
	write(t, array, `[1, 2]`)
	wrongType := filepath.Join(dir, "typed.json")
	write(t, wrongType, "{\"schemaVersion\": 1, \"generatedAt\": \"2025-06-01T00:00:00Z\",\n\"workloads\": \"none\"}")
	empty := filepath.Join(dir, "empty.json")
	write(t, empty, "")
	janCopy := filepath.Join(dir, "assessment-20250101T060000Z (copy).json")
	orig, _ := os.ReadFile(jan)
	write(t, janCopy, string(orig))
	// Ignored without a word: a writer's leftover temporary file and lost+found.
	write(t, filepath.Join(dir, ".assessment-x.json.123.whyk8s-tmp"), "{")
	if err := os.Mkdir(filepath.Join(dir, "lost+found"), 0o700); err != nil {
		t.Fatal(err)
	}

	runs, warnings, err := history.Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var paths []string
	for _, r := range runs {
		paths = append(paths, r.Path)
	}
	if want := []string{renamed, jan, feb, mar}; !slices.Equal(paths, want) {
		t.Errorf("runs read:\n %s\nwant, oldest first:\n %s", strings.Join(paths, "\n "), strings.Join(want, "\n "))
	}
	// Sorted by path, byte order.
	want := []history.Warning{
		{Path: notJSON, Reason: "not valid JSON: line 1: invalid character 'h' looking for beginning of value"},
		{Path: ancient, Reason: "schemaVersion 0 is no longer read (this build reads 1 to 1)"},
		{Path: janCopy, Reason: "same generatedAt as assessment-20250101T060000Z.json; skipped as a copy"},
		{Path: corrupt, Reason: "truncated JSON: the file ends at line 5 before the document does"},
		{Path: future, Reason: "written by a newer whyk8s (schemaVersion 99; this build reads 1 to 1)"},
		{Path: empty, Reason: "empty file"},
		{Path: snapshot, Reason: "not a whyk8s assessment: no generatedAt (an inventory snapshot?)"},
		{Path: array, Reason: "not a whyk8s assessment: the file is a JSON array, not an object"},
		{Path: wrongType, Reason: "corrupt assessment: line 2: field \"workloads\": expected []assess.Workload, found JSON string"},
	}
	if !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings:\n %s\nwant:\n %s", joinWarnings(warnings), joinWarnings(want))
	}
}

func TestLoadEmptyAndCancelled(t *testing.T) {
	runs, warnings, err := history.Load(context.Background(), filepath.Join(t.TempDir(), "missing"))
	if err != nil || runs != nil || warnings != nil {
		t.Errorf("Load of a missing folder: %v, %v, %v; want an empty history", runs, warnings, err)
	}
	dir := t.TempDir()
	store(t, dir, run(month(1), 1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := history.Load(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: %v; want context.Canceled", err)
	}
	notDir := filepath.Join(dir, history.FileName(month(1)))
	if _, _, err := history.Load(context.Background(), notDir); err == nil || !strings.Contains(err.Error(), notDir) {
		t.Errorf("Load of a file as folder: %v; want an error naming it", err)
	}
}

func TestPrevious(t *testing.T) {
	runs := []history.Run{
		{Path: "jan", Assessment: run(month(1), 1)},
		{Path: "mar", Assessment: run(month(3), 3)},
		{Path: "feb", Assessment: run(month(2), 2)},
	}
	tests := []struct {
		now  time.Time
		want string
	}{
		{month(4), "mar"},
		{month(3), "feb"}, // the current run is already stored: not compared with itself
		{month(3).Add(time.Second), "mar"},
		{month(1), ""},
	}
	for _, tt := range tests {
		got := history.Previous(runs, tt.now)
		name := ""
		if got != nil {
			name = got.Path
		}
		if name != tt.want {
			t.Errorf("Previous(now=%s) = %q, want %q", tt.now.Format(time.DateOnly), name, tt.want)
		}
	}
	if history.Previous(nil, month(1)) != nil {
		t.Errorf("Previous of an empty history is not nil")
	}
}

func TestTrend(t *testing.T) {
	unassessed := run(month(2), 0, assess.CategoryPoor)
	unassessed.Readiness = assess.Readiness{}
	withSummary := run(month(1), 40)
	withSummary.Summary.ByCategory = []assess.CategoryCount{{Category: assess.CategoryGood, Count: 2}, {Category: "Legacy grade", Count: 1}}
	runs := []history.Run{
		{Assessment: run(month(3), 60, assess.CategoryGood, assess.CategoryGood, assess.CategoryInsufficient)},
		{Assessment: unassessed},
		{Assessment: withSummary},
		{Assessment: run(month(6), 99)}, // after the current run: not drawn
	}
	current := run(month(4), 65, assess.CategoryExcellent)
	got := history.Trend(runs, current)

	counts := func(excellent, good, minor, major, poor, insufficient int, extra ...assess.CategoryCount) []assess.CategoryCount {
		return append([]assess.CategoryCount{
			{Category: assess.CategoryExcellent, Count: excellent}, {Category: assess.CategoryGood, Count: good},
			{Category: assess.CategoryMinorWork, Count: minor}, {Category: assess.CategoryMajorWork, Count: major},
			{Category: assess.CategoryPoor, Count: poor}, {Category: assess.CategoryInsufficient, Count: insufficient},
		}, extra...)
	}
	want := []assess.TrendPoint{
		{GeneratedAt: month(1), Readiness: 40, Assessed: true, ByCategory: counts(0, 2, 0, 0, 0, 0, assess.CategoryCount{Category: "Legacy grade", Count: 1})},
		{GeneratedAt: month(2), Readiness: 0, Assessed: false, ByCategory: counts(0, 0, 0, 0, 1, 0)},
		{GeneratedAt: month(3), Readiness: 60, Assessed: true, ByCategory: counts(0, 2, 0, 0, 0, 1)},
		{GeneratedAt: month(4), Readiness: 65, Assessed: true, ByCategory: counts(1, 0, 0, 0, 0, 0)},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("Trend:\n%s\nwant:\n%s", g, w)
	}
	// The current run already stored in the history is one point, not two.
	stored := append(slices.Clone(runs[:3]), history.Run{Assessment: current})
	if n := len(history.Trend(stored, current)); n != 4 {
		t.Errorf("Trend with the current run stored: %d points, want 4", n)
	}
	if n := len(history.Trend(runs, nil)); n != 4 {
		t.Errorf("Trend without a current run: %d points, want every run (4)", n)
	}
}

func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("files in %s: %q; want only %q (no temporary or staged files left)", dir, got, names)
	}
}

func joinWarnings(ws []history.Warning) string {
	var s []string
	for _, w := range ws {
		s = append(s, w.String())
	}
	return strings.Join(s, "\n ")
}

// BenchmarkLoad reads five years of monthly runs of a 500-workload estate.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	for m := range 60 {
		a := run(time.Date(2021, time.Month(1+m), 1, 6, 0, 0, 0, time.UTC), m)
		for i := range 500 {
			a.Workloads = append(a.Workloads, assess.Workload{
				ID: "111122223333/eu-west-1/group-" + string(rune('a'+i%26)) + "-" + time.Duration(i).String(), Name: "group",
				Fit:     assess.Fit{Score: 70, Category: assess.CategoryGood, Confidence: 90, Dimensions: make([]assess.Dimension, 6)},
				Signals: make([]assess.Signal, 8), Blockers: make([]assess.Blocker, 1),
			})
		}
		if _, err := history.Store(dir, a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		runs, _, err := history.Load(context.Background(), dir)
		if err != nil || len(runs) != 60 {
			b.Fatalf("Load: %d runs, %v", len(runs), err)
		}
	}
}
