//go:build linux

package hostile_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	// The suite runs the binary built from these packages. Importing them makes go test
	// compile them before it starts this package's tests, with the flags it uses for every
	// package, so the `go build` below only compiles the main package and links, instead
	// of compiling the AWS SDK a second time beside go test (what pushed a cold CI run on a
	// busy machine past its timeout).
	_ "whyk8s/assess"
	_ "whyk8s/history"
	_ "whyk8s/inventory/aws"
	_ "whyk8s/inventory/gather"
	_ "whyk8s/inventory/iac"
	_ "whyk8s/inventory/scripts"
	_ "whyk8s/manifests"
	_ "whyk8s/report"

	_ "github.com/spf13/cobra"
	_ "github.com/spf13/viper"
)

// Limits every run of the binary is held to.
const (
	// caseTimeout is how long one run may take. The slowest honest case (a 10 MB file, the
	// whole pipeline) takes a few seconds on a busy 2-core machine.
	caseTimeout = 30 * time.Second
	// knownTimeout is the leash of a case listed as a known failure: most of them hang, and
	// waiting the full timeout for each would blow the suite's budget. When the fix lands
	// the case leaves the list and gets caseTimeout.
	knownTimeout = 3 * time.Second
	// maxRSS is the promise: peak resident memory under 512 MB whatever the input.
	maxRSS = 512 << 20
	// killRSS ends a run that has gone well past maxRSS, so a memory bomb fails the case
	// quickly instead of taking the machine's memory.
	killRSS = 768 << 20
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	scratch   string // the build's folder, removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if scratch != "" {
		os.RemoveAll(scratch)
	}
	os.Exit(code)
}

// whyk8s builds ./cmd/whyk8s once per test run and returns the binary's path. It uses the
// flags and environment go test itself runs with (CGO_ENABLED, GOFLAGS from .ci/run), so
// the packages are compiled once for both.
func whyk8s(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: builds and runs the whyk8s binary on every hostile case")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "whyk8s-hostile-")
		if err != nil {
			buildErr = err
			return
		}
		scratch = dir
		binPath = filepath.Join(dir, "whyk8s")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/whyk8s")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/whyk8s: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// result is what one run of the binary did.
type result struct {
	args           []string
	code           int
	stdout, stderr []byte
	elapsed        time.Duration
	peakRSS        int64 // bytes
	timedOut       bool
	killedForRSS   bool
}

// childEnv is the environment of every run: no configuration, credentials or AWS
// settings of the machine running the tests, a fixed report date.
func childEnv(home string, extra ...string) []string {
	env := []string{
		"PATH=/usr/bin:/bin",
		"HOME=" + home,
		"LANG=C.UTF-8",
		"SOURCE_DATE_EPOCH=1767225600", // 2026-01-01
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "aws-credentials"),
	}
	return append(env, extra...)
}

// runWhyk8s runs the binary in dir with args, within timeout and a memory watchdog.
func runWhyk8s(t *testing.T, dir string, timeout time.Duration, env []string, args ...string) result {
	t.Helper()
	bin := whyk8s(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 2 * time.Second
	r := result{args: args}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start whyk8s: %v", err)
	}
	// A backstop on address space (the Go runtime reserves about 2 GB of it at start, so
	// the limit is well above that), and a watchdog on resident memory.
	limitAddressSpace(cmd.Process.Pid, 8<<30)
	stopWatch := make(chan struct{})
	watched := make(chan memWatch)
	go func() { watched <- watchRSS(cmd.Process, stopWatch) }()
	err := cmd.Wait()
	close(stopWatch)
	w := <-watched
	r.killedForRSS, r.peakRSS = w.killed, w.peak
	r.elapsed = time.Since(start)
	r.stdout, r.stderr = stdout.Bytes(), stderr.Bytes()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.timedOut = true
		r.code = -1
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("run whyk8s %q: %v", args, err)
	}
	return r
}

// limitAddressSpace sets RLIMIT_AS of a running process (prlimit(2)).
func limitAddressSpace(pid int, limit uint64) {
	lim := syscall.Rlimit{Cur: limit, Max: limit}
	syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_AS, uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
}

// memWatch is what the watchdog saw of a run's memory.
type memWatch struct {
	peak   int64 // the high-water mark of resident memory (VmHWM), bytes
	killed bool  // ended for going over killRSS
}

// watchRSS samples p's memory until stop, and kills p when its resident memory goes over
// killRSS. The peak is the kernel's high-water mark of the process itself: the rusage of a
// child started with vfork also counts the parent's memory at the time of the exec.
func watchRSS(p *os.Process, stop <-chan struct{}) memWatch {
	var w memWatch
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	status := "/proc/" + strconv.Itoa(p.Pid) + "/status"
	for {
		select {
		case <-stop:
			return w
		case <-tick.C:
		}
		data, err := os.ReadFile(status)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			name, rest, ok := strings.Cut(line, ":")
			if !ok || (name != "VmRSS" && name != "VmHWM") {
				continue
			}
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			switch {
			case name == "VmHWM" && kb*1024 > w.peak:
				w.peak = kb * 1024
			case name == "VmRSS" && kb*1024 > killRSS && !w.killed:
				p.Kill()
				w.killed = true
			}
		}
	}
}

// runtimeDump names the first sign of a Go runtime crash report in out, or "".
func runtimeDump(out []byte) string {
	for _, sign := range []string{"goroutine ", "panic:", "fatal error:", "SIGSEGV", "runtime stack:"} {
		if bytes.Contains(out, []byte(sign)) {
			return sign
		}
	}
	return ""
}

// outputs is every stream and file a run produced, by name.
type outputs map[string][]byte

// collectOutputs gathers stdout, stderr and every file under the given folders (recursively;
// links are not followed).
func collectOutputs(t *testing.T, r result, dirs ...string) outputs {
	t.Helper()
	out := outputs{"stdout": r.stdout, "stderr": r.stderr}
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !e.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(p)
			if err == nil {
				rel, _ := filepath.Rel(d, p)
				out[filepath.Base(d)+"/"+rel] = data
			}
			return nil
		})
	}
	return out
}

// leaks lists the outputs holding one of the canaries, as is or base64-encoded.
func (o outputs) leaks(canaries ...string) []string {
	var found []string
	for name, data := range o {
		for _, c := range canaries {
			for _, form := range []string{c, base64.StdEncoding.EncodeToString([]byte(c))} {
				if bytes.Contains(data, []byte(form)) {
					found = append(found, fmt.Sprintf("%s holds %q", name, c))
				}
			}
		}
	}
	return found
}

// contains reports whether any output holds s.
func (o outputs) contains(s string) bool {
	for _, data := range o {
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}

func (r result) String() string {
	return fmt.Sprintf("whyk8s %s: exit %d after %s, peak RSS %d MB\nstdout:\n%s\nstderr:\n%s",
		strings.Join(quoteArgs(r.args), " "), r.code, r.elapsed.Round(time.Millisecond), r.peakRSS>>20, clip(r.stdout), clip(r.stderr))
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if strings.ContainsAny(a, " \t\n\"'\\$") || a == "" {
			out[i] = strconv.Quote(a)
		}
	}
	return out
}

// clip keeps the head and the tail of a long output for a failure message.
func clip(b []byte) string {
	const keep = 1500
	if len(b) <= 2*keep {
		return string(b)
	}
	return string(b[:keep]) + fmt.Sprintf("\n… %d bytes …\n", len(b)-2*keep) + string(b[len(b)-keep:])
}
