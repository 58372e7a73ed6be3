// Package history keeps every assessment of a client in one folder, one immutable file per
// run, so that the next run can say what moved since the last one and draw the trend.
//
// The folder is the whole database: files are named by their UTC timestamp, written
// atomically, never rewritten, and read back in GeneratedAt order. Anything in the folder
// that is not a readable assessment is skipped with a warning, so one bad file never stops
// a scheduled run.
package history

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"whyk8s/assess"
	"whyk8s/internal/atomicfile"
	"whyk8s/internal/inputfile"
)

// OldestSchemaVersion is the oldest assessment.json version Load still reads. Versions from
// it up to assess.SchemaVersion are read; anything else is skipped with a warning.
const OldestSchemaVersion = 1

// TimeLayout is the UTC timestamp in a history file's name: assessment-20250201T060000Z.json.
const TimeLayout = "20060102T150405Z"

// maxFileSize bounds what Load reads into memory: an assessment of thousands of workloads is
// tens of megabytes; a larger file in the folder is something else.
const maxFileSize = inputfile.MaxAssessment

// Run is one assessment read from the history folder.
type Run struct {
	// Path is the file the run was read from.
	Path       string             `json:"path"`
	Assessment *assess.Assessment `json:"assessment"`
}

// canonical is 1 when the run's file has the name Store gives its time, else 0.
func (r Run) canonical() int {
	if filepath.Base(r.Path) == FileName(r.Assessment.GeneratedAt) {
		return 1
	}
	return 0
}

// Warning is a file in the history folder that Load skipped, and why.
type Warning struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func (w Warning) String() string { return w.Path + ": " + w.Reason }

// FileName returns the name Store gives the assessment made at t.
func FileName(t time.Time) string {
	return "assessment-" + t.UTC().Format(TimeLayout) + ".json"
}

// Store writes a into dir as assessment-<GeneratedAt in UTC>.json and returns its path. The
// folder is created if missing. The file is written atomically and never replaced: if one
// with the same name exists, Store succeeds only when its bytes are the ones it would
// write (a retried run), and otherwise refuses with an error naming the file.
//
// a must carry GeneratedAt, which is the run's identity in the history; a zero SchemaVersion
// is written as the current one.
func Store(dir string, a *assess.Assessment) (string, error) {
	if a == nil {
		return "", errors.New("history: store: no assessment")
	}
	if a.GeneratedAt.IsZero() {
		return "", fmt.Errorf("history: store in %s: assessment has no generatedAt", dir)
	}
	data, err := encode(a)
	if err != nil {
		return "", fmt.Errorf("history: store in %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	path := filepath.Join(dir, FileName(a.GeneratedAt))

	// The content is first made durable under a unique hidden name, then hard-linked to its
	// final name: link never replaces an existing file, so two runs racing for the same
	// second cannot overwrite each other — a plain rename could.
	staged := filepath.Join(dir, "."+filepath.Base(path)+"."+randomSuffix()+".staged")
	if err := atomicfile.WriteFile(staged, data, 0o644); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	defer os.Remove(staged)
	err = os.Link(staged, path)
	switch {
	case err == nil:
		return path, nil
	case errors.Is(err, fs.ErrExist):
		return path, sameContent(path, data)
	}
	// Some filesystems (certain network or FUSE mounts) have no hard links. Fall back to
	// check-then-rename, which is atomic for readers but not against a concurrent writer.
	if _, statErr := os.Lstat(path); statErr == nil {
		return path, sameContent(path, data)
	}
	if err := os.Rename(staged, path); err != nil {
		return "", fmt.Errorf("history: store %s: %w", path, err)
	}
	return path, nil
}

// sameContent accepts an existing history file only if it already holds data.
func sameContent(path string, data []byte) error {
	existing, err := inputfile.Read(path, maxFileSize)
	if err != nil {
		return fmt.Errorf("history: store %s: %w", path, err)
	}
	if !bytes.Equal(existing, data) {
		return fmt.Errorf("history: store %s: a different assessment with the same time is already stored; history files are never overwritten", path)
	}
	return nil
}

func randomSuffix() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// encode gives the bytes Store writes: indented JSON with a trailing newline, the same shape
// as the report's assessment.json, so a history file can be diffed by hand.
func encode(a *assess.Assessment) ([]byte, error) {
	if a.SchemaVersion == 0 {
		c := *a
		c.SchemaVersion = assess.SchemaVersion
		a = &c
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("encode assessment: %w", err)
	}
	return buf.Bytes(), nil
}

// Load reads every assessment in dir, oldest first (by GeneratedAt, then file name). A
// missing folder is an empty history. Each file that cannot be used — not JSON, not an
// assessment, a schema version this build does not read, too large, unreadable, or a
// second file for a time already seen — is skipped with a warning naming it and the
// reason. Hidden files (a writer's temporary files) and subfolders (lost+found on a fresh
// volume) are ignored. err is returned only when the folder itself cannot be listed or ctx
// ends.
func Load(ctx context.Context, dir string) (runs []Run, warnings []Warning, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	for _, e := range entries { // ReadDir sorts by name, so warnings come out in name order
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("history: load %s: %w", dir, err)
		}
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		a, reason := readFile(path)
		if reason != "" {
			warnings = append(warnings, Warning{Path: path, Reason: reason})
			continue
		}
		runs = append(runs, Run{Path: path, Assessment: a})
	}
	slices.SortStableFunc(runs, func(x, y Run) int {
		return cmp.Or(
			x.Assessment.GeneratedAt.Compare(y.Assessment.GeneratedAt),
			cmp.Compare(y.canonical(), x.canonical()), // Store's own name first
			cmp.Compare(x.Path, y.Path))
	})
	// Two files of the same moment are one run copied; counting both would put a double
	// point in the trend. The one under Store's own name stays, else the first by name.
	kept := runs[:0]
	for _, r := range runs {
		if n := len(kept); n > 0 && kept[n-1].Assessment.GeneratedAt.Equal(r.Assessment.GeneratedAt) {
			warnings = append(warnings, Warning{Path: r.Path, Reason: "same generatedAt as " + filepath.Base(kept[n-1].Path) + "; skipped as a copy"})
			continue
		}
		kept = append(kept, r)
	}
	slices.SortStableFunc(warnings, func(x, y Warning) int { return cmp.Compare(x.Path, y.Path) })
	return kept, warnings, nil
}

// ErrNotAssessment is wrapped by ReadFile's errors when the file is not a usable assessment.
var ErrNotAssessment = errors.New("not a usable assessment")

// ReadFile reads one assessment.json (from a history folder or a report folder) with the
// same checks Load applies, for commands that compare two given files.
func ReadFile(path string) (*assess.Assessment, error) {
	a, reason := readFile(path)
	if reason != "" {
		return nil, fmt.Errorf("%s: %s: %w", path, reason, ErrNotAssessment)
	}
	return a, nil
}

// readFile reads one history file, or says in a few words why it cannot be used.
func readFile(path string) (*assess.Assessment, string) {
	// Only a regular file is opened (a named pipe in the folder must not hang the run), and
	// no more than the limit is read.
	data, err := inputfile.Read(path, maxFileSize)
	var refused *inputfile.Error
	switch {
	case errors.As(err, &refused):
		return nil, refused.Problem
	case err != nil:
		return nil, "unreadable: " + pathless(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "empty file"
	}
	// One full decode on the common path: parsing a header first would read every file
	// twice. Unknown fields are allowed, since a newer build may add fields without bumping
	// the version. The header is read only to explain a failure or a zero version.
	var a assess.Assessment
	if err := json.Unmarshal(data, &a); err != nil {
		if reason := headProblem(data); reason != "" {
			return nil, reason // a newer version's shape fails for its version, not its fields
		}
		return nil, jsonProblem(data, err)
	}
	if a.SchemaVersion == 0 || a.SchemaVersion > assess.SchemaVersion || a.GeneratedAt.IsZero() {
		if reason := headProblem(data); reason != "" {
			return nil, reason
		}
	}
	// When a version is retired, its upgrade to the current shape belongs here.
	return &a, ""
}

// headProblem checks the two fields every assessment has and says what is wrong with them,
// or returns "" when they are fine (or the file is not even JSON: jsonProblem says that).
func headProblem(data []byte) string {
	var head struct {
		SchemaVersion *int       `json:"schemaVersion"`
		GeneratedAt   *time.Time `json:"generatedAt"`
	}
	if json.Unmarshal(data, &head) != nil {
		return ""
	}
	switch v := head.SchemaVersion; {
	case v == nil:
		return "not a whyk8s assessment: no schemaVersion"
	case *v > assess.SchemaVersion:
		return fmt.Sprintf("written by a newer whyk8s (schemaVersion %d; this build reads %d to %d)", *v, OldestSchemaVersion, assess.SchemaVersion)
	case *v < OldestSchemaVersion:
		return fmt.Sprintf("schemaVersion %d is no longer read (this build reads %d to %d)", *v, OldestSchemaVersion, assess.SchemaVersion)
	}
	if head.GeneratedAt == nil || head.GeneratedAt.IsZero() {
		// An inventory snapshot has a schemaVersion too; generatedAt tells them apart.
		return "not a whyk8s assessment: no generatedAt (an inventory snapshot?)"
	}
	return ""
}

// jsonProblem names what is wrong with a JSON file and, where the decoder knows, the line.
func jsonProblem(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && syn.Offset >= int64(len(data)):
		return fmt.Sprintf("truncated JSON: the file ends at line %d before the document does", lineAt(data, syn.Offset))
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON: line %d: %v", lineAt(data, syn.Offset), syn)
	case errors.As(err, &typ) && typ.Field == "":
		return "not a whyk8s assessment: the file is a JSON " + typ.Value + ", not an object"
	case errors.As(err, &typ):
		return fmt.Sprintf("corrupt assessment: line %d: field %q: expected %s, found JSON %s", lineAt(data, typ.Offset), typ.Field, typ.Type, typ.Value)
	}
	return "corrupt assessment: " + err.Error()
}

func lineAt(data []byte, offset int64) int {
	offset = min(offset, int64(len(data)))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// pathless drops the path from an *fs.PathError: the warning names the file already.
func pathless(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Previous returns the latest run made strictly before now, or nil if there is none. The
// current run may already be in runs (stored before the history was read); strictly
// before keeps a run from being compared with itself.
func Previous(runs []Run, now time.Time) *Run {
	var prev *Run
	for i := range runs {
		at := runs[i].Assessment.GeneratedAt
		if at.Before(now) && (prev == nil || !at.Before(prev.Assessment.GeneratedAt)) {
			prev = &runs[i]
		}
	}
	return prev
}

// Trend returns one point per run, oldest first, ending with current. Runs made at or
// after current's time are left out — current stands for its own moment, and a history
// written by a later run (re-rendering an old report) must not draw the future. With a nil
// current, every run is a point.
func Trend(runs []Run, current *assess.Assessment) []assess.TrendPoint {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(x, y Run) int { return x.Assessment.GeneratedAt.Compare(y.Assessment.GeneratedAt) })
	points := []assess.TrendPoint{}
	for _, r := range sorted {
		if current != nil && !r.Assessment.GeneratedAt.Before(current.GeneratedAt) {
			continue
		}
		points = append(points, point(r.Assessment))
	}
	if current != nil {
		points = append(points, point(current))
	}
	return points
}

func point(a *assess.Assessment) assess.TrendPoint {
	p := assess.TrendPoint{GeneratedAt: a.GeneratedAt, Assessed: a.Readiness.Assessed, ByCategory: byCategory(a)}
	if a.Readiness.Assessed {
		p.Readiness = a.Readiness.Score
	}
	return p
}

// byCategory counts workloads in every category in report order, zeros included, so that
// every point of the trend has the same series. It trusts Summary.ByCategory when the run
// has one and counts the workloads otherwise; a category an older build used and this one
// does not know is kept after the known ones, by name.
func byCategory(a *assess.Assessment) []assess.CategoryCount {
	counts := map[string]int{}
	if len(a.Summary.ByCategory) > 0 {
		for _, c := range a.Summary.ByCategory {
			counts[c.Category] += c.Count
		}
	} else {
		for _, w := range a.Workloads {
			counts[w.Fit.Category]++
		}
	}
	out := make([]assess.CategoryCount, 0, len(assess.Categories))
	for _, c := range assess.Categories {
		out = append(out, assess.CategoryCount{Category: c, Count: counts[c]})
		delete(counts, c)
	}
	var other []string
	for c, n := range counts {
		if n > 0 && c != "" {
			other = append(other, c)
		}
	}
	slices.Sort(other)
	for _, c := range other {
		out = append(out, assess.CategoryCount{Category: c, Count: counts[c]})
	}
	return out
}
