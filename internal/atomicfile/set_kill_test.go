//go:build unix

package atomicfile_test

// Tests that kill a process with SIGKILL while it publishes, and check what it left.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"whyk8s/internal/atomicfile"
)

// A run killed while it was publishing is finished by the next one, whichever step it had
// got to. The child process publishes a complete run, then starts another and kills itself
// with SIGKILL right after step n of its publication (the journal written, then each
// rename), so the states checked are the ones the real code leaves.
func TestSetFinishesAPublicationKilledAtEachStep(t *testing.T) {
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
