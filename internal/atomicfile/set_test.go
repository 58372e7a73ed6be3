package atomicfile_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

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

// A run killed while it was publishing is finished by the next one, whichever step it had
// got to. The child process publishes a complete run, then starts another and kills itself
// with SIGKILL right after step n of its publication (the journal written, then each
// rename), so the states checked are the ones the real code leaves.
func TestSetFinishesAPublicationKilledAtEachStep(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	// The journal, four files out, two files in: seven steps, and one past the last.
	for n := 1; n <= 8; n++ {
		t.Run(fmt.Sprintf("killed after step %d", n), func(t *testing.T) {
			dir := t.TempDir()
			put(t, dir, map[string]string{"notes.txt": "the consultant's own notes"})
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), killStepChild+"="+dir, killStepN+"="+strconv.Itoa(n))
			out, err := cmd.CombinedOutput()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			finished := err == nil
			if !finished && (!ok || !ws.Signaled()) {
				t.Fatalf("child: %v: %s", err, out)
			}
			if finished != (n == 8) {
				t.Fatalf("child finished = %v after step %d: %s", finished, n, out)
			}
			assertOneRun(t, folder(t, dir))

			set, err := atomicfile.NewSet(dir, setNames)
			if err != nil {
				t.Fatal(err)
			}
			set.Discard()
			want := map[string]string{"assessment.json": "new json", "report.md": "new md", "notes.txt": "the consultant's own notes"}
			if got := folder(t, dir); !reflect.DeepEqual(got, want) {
				t.Errorf("after the next run's tidying the folder holds %v\nwant %v", got, want)
			}
		})
	}
}

// killStepChild and killStepN are set in the processes TestSetFinishesAPublicationKilledAtEachStep
// starts.
const (
	killStepChild = "WHYK8S_ATOMICFILE_STEP_CHILD"
	killStepN     = "WHYK8S_ATOMICFILE_STEP_N"
)

// publishThenDie publishes last month's set into dir, then this month's, and dies by
// SIGKILL after step n of the second publication.
func publishThenDie(dir string, n int) error {
	for _, run := range []struct {
		files map[string]string
		die   bool
	}{
		{files: map[string]string{"assessment.json": "old json", "report.md": "old md", "report.pdf": "old pdf", "workloads.csv": "old csv"}},
		{files: map[string]string{"assessment.json": "new json", "report.md": "new md"}, die: true},
	} {
		if run.die {
			steps := 0
			atomicfile.SetTestStep(func() {
				if steps++; steps == n {
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
					select {} // the signal is on its way
				}
			})
		}
		set, err := atomicfile.NewSet(dir, setNames)
		if err != nil {
			return err
		}
		for _, name := range setNames {
			if content, ok := run.files[name]; ok {
				if err := set.Write(name, 0o644, text(content)); err != nil {
					return err
				}
			}
		}
		if err := set.Publish(); err != nil {
			return err
		}
	}
	return nil
}

// assertOneRun fails if the report files in files come from more than one run: contents
// start with the run's name ("old …", "new …", "run 4242-7: …").
func assertOneRun(t *testing.T, files map[string]string) {
	t.Helper()
	runs := map[string][]string{}
	for _, n := range setNames {
		if c, ok := files[n]; ok {
			run, _, _ := strings.Cut(c, ":")
			if !strings.HasPrefix(c, "run ") {
				run, _, _ = strings.Cut(c, " ")
			}
			runs[run] = append(runs[run], n)
		}
	}
	if len(runs) > 1 {
		t.Errorf("report files of %d runs side by side: %v", len(runs), runs)
	}
}

// killChild is set in the process TestSetSurvivesKill starts: it publishes sets in a loop
// until it is killed.
const killChild = "WHYK8S_ATOMICFILE_KILL_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(killStepChild); dir != "" {
		n, _ := strconv.Atoi(os.Getenv(killStepN))
		if err := publishThenDie(dir, n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if dir := os.Getenv(killChild); dir != "" {
		for run := 1; ; run++ {
			set, err := atomicfile.NewSet(dir, setNames)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			for _, n := range setNames {
				// Sizes vary so that writes take a varying share of the time.
				body := fmt.Sprintf("run %d-%d: %s\n%s", os.Getpid(), run, n, strings.Repeat("x", (run*len(n)*977)%200000))
				if err := set.Write(n, 0o644, text(body)); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			if err := set.Publish(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
	os.Exit(m.Run())
}

// TestSetSurvivesKill kills a process that publishes sets in a loop at random moments with
// SIGKILL, as a scheduler or the OOM killer would, and checks after each kill that the
// folder holds files of one run only, and after the next run's tidying that the set is
// whole and nothing temporary is left.
func TestSetSurvivesKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	if testing.Short() {
		t.Skip("starts and kills 25 processes")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for kill := 0; kill < 25; kill++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), killChild+"="+dir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rng.IntN(80)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill %d: the publishing process ended by itself (%v): %s", kill, err, stderr.String())
		}
		assertOneRun(t, folder(t, dir))

		if err := atomicfile.Tidy(dir, setNames); err != nil {
			t.Fatalf("kill %d: tidy: %v", kill, err)
		}
		got := folder(t, dir)
		var names []string
		for n := range got {
			names = append(names, n)
		}
		sort.Strings(names)
		if len(names) != 0 && !reflect.DeepEqual(names, setNames) {
			t.Fatalf("kill %d: after tidying the folder holds %v, want the whole set %v or nothing", kill, names, setNames)
		}
		assertOneRun(t, got)
	}
}
