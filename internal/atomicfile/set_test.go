package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"whyk8s/internal/atomicfile"
)

var setNames = []string{"assessment.json", "report.md", "report.pdf", "workloads.csv"}

// folder returns every entry of dir with its content ("<dir>" for a folder).
func folder(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			out[e.Name()] = "<dir>"
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

func put(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// lastMonth is a complete earlier run, plus files that are no report of it.
func lastMonth() map[string]string {
	return map[string]string{
		"assessment.json": "old json", "report.md": "old md", "report.pdf": "old pdf", "workloads.csv": "old csv",
		"notes.txt": "the consultant's own notes",
	}
}

func TestSet(t *testing.T) {
	boom := errors.New("renderer failed halfway")
	tests := []struct {
		name    string
		write   map[string]string // name → content; "boom" makes that write fail
		publish bool
		wantErr bool
		want    map[string]string
	}{
		{
			name:    "publish replaces the whole set",
			write:   map[string]string{"report.md": "new md", "report.pdf": "new pdf", "assessment.json": "new json", "workloads.csv": "new csv"},
			publish: true,
			want: map[string]string{"assessment.json": "new json", "report.md": "new md", "report.pdf": "new pdf", "workloads.csv": "new csv",
				"notes.txt": "the consultant's own notes"},
		},
		{
			// Last month's PDF beside this month's JSON would tell two stories.
			name:    "a format not written this time is removed, not kept from last month",
			write:   map[string]string{"assessment.json": "new json"},
			publish: true,
			want:    map[string]string{"assessment.json": "new json", "notes.txt": "the consultant's own notes"},
		},
		{
			name:  "discarded: the previous run stays whole",
			write: map[string]string{"report.md": "new md", "report.pdf": "new pdf"},
			want:  lastMonth(),
		},
		{
			name:    "a write that fails: the previous run stays whole",
			write:   map[string]string{"report.md": "new md", "report.pdf": "boom"},
			wantErr: true,
			want:    lastMonth(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			put(t, dir, lastMonth())
			set, err := atomicfile.NewSet(dir, setNames)
			if err != nil {
				t.Fatal(err)
			}
			defer set.Discard()
			var werr error
			for _, name := range setNames {
				content, ok := tt.write[name]
				if !ok {
					continue
				}
				fill := text(content)
				if content == "boom" {
					fill = func(w io.Writer) error { io.WriteString(w, "half"); return boom }
				}
				if werr = set.Write(name, 0o644, fill); werr != nil {
					break
				}
			}
			if (werr != nil) != tt.wantErr {
				t.Fatalf("write error %v, want error %v", werr, tt.wantErr)
			}
			if werr != nil && (!errors.Is(werr, boom) || !strings.Contains(werr.Error(), filepath.Join(dir, "report.pdf"))) {
				t.Errorf("error %v does not wrap the cause and name the file where it goes", werr)
			}
			if tt.publish {
				if err := set.Publish(); err != nil {
					t.Fatal(err)
				}
			} else {
				set.Discard()
			}
			if got := folder(t, dir); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("folder holds %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestSetPaths(t *testing.T) {
	dir := t.TempDir()
	set, err := atomicfile.NewSet(dir, setNames)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Discard()
	for _, n := range []string{"report.md", "assessment.json"} {
		if err := set.Write(n, 0o600, text(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := set.Write("other.txt", 0o644, text("x")); err == nil {
		t.Error("a name outside the set was written")
	}
	want := []string{filepath.Join(dir, "report.md"), filepath.Join(dir, "assessment.json")}
	if got := set.Paths(); !reflect.DeepEqual(got, want) {
		t.Errorf("Paths() = %v, want %v", got, want)
	}
	if err := set.Publish(); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(filepath.Join(dir, "report.md")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("published file: %v, %v; want mode 0600", info, err)
	}
	if err := set.Publish(); err == nil {
		t.Error("a set was published twice")
	}
}

// A folder where a report goes cannot be replaced; nothing may change then.
func TestSetPublishRefusesAFolderInTheWay(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, map[string]string{"report.md": "old md"})
	if err := os.Mkdir(filepath.Join(dir, "report.pdf"), 0o755); err != nil {
		t.Fatal(err)
	}
	set, err := atomicfile.NewSet(dir, setNames)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"report.md", "report.pdf"} {
		if err := set.Write(n, 0o644, text("new")); err != nil {
			t.Fatal(err)
		}
	}
	err = set.Publish()
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "report.pdf")) {
		t.Fatalf("Publish() = %v, want an error naming report.pdf", err)
	}
	if got, want := folder(t, dir), map[string]string{"report.md": "old md", "report.pdf": "<dir>"}; !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
}

// Two runs writing to one folder at once would interleave their files; the second is
// refused while the first holds the folder.
func TestSetIsExclusive(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("folders are not locked on Windows (no advisory locks on folders)")
	}
	dir := t.TempDir()
	first, err := atomicfile.NewSet(dir, setNames)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := atomicfile.NewSet(dir, setNames); !errors.Is(err, atomicfile.ErrBusy) {
		t.Errorf("second NewSet = %v, want ErrBusy", err)
	}
	first.Discard()
	second, err := atomicfile.NewSet(dir, setNames)
	if err != nil {
		t.Fatalf("after the first set is done: %v", err)
	}
	second.Discard()
}

// What a killed run leaves behind is cleaned by the next one: staging folders that never
// published (or were killed writing their journal) and the temporary files of the set's
// names. Other files are not ours to touch.
func TestSetTidiesAKilledRun(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, lastMonth())
	put(t, dir, map[string]string{
		".report.pdf.123456.whyk8s-tmp": "half a pdf",      // left by a run of an earlier version
		".estate.json.99.whyk8s-tmp":    "another command", // not a report: not ours
	})
	stale := filepath.Join(dir, ".whyk8s-staging-4242")
	if err := os.Mkdir(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	put(t, stale, map[string]string{"report.md": "a killed run's markdown", ".report.pdf.1.whyk8s-tmp": "half"})
	// Killed while writing its journal: nothing had moved, so nothing is published.
	torn := filepath.Join(dir, ".whyk8s-staging-4343")
	if err := os.Mkdir(torn, 0o755); err != nil {
		t.Fatal(err)
	}
	put(t, torn, map[string]string{"report.md": "another killed run's markdown", ".whyk8s-publish": `{"replace":["assessment.json","rep`})

	set, err := atomicfile.NewSet(dir, setNames)
	if err != nil {
		t.Fatal(err)
	}
	set.Discard()
	want := lastMonth()
	want[".estate.json.99.whyk8s-tmp"] = "another command"
	if got := folder(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v\nwant %v", got, want)
	}
}
