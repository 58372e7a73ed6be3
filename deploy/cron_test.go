package deploy_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	"mvdan.cc/sh/v3/syntax"
)

const wrapper = "cron/whyk8s-monthly.sh"

// TestCronFile reads deploy/cron/whyk8s.cron as /etc/cron.d reads it: variable lines, and
// job lines of five schedule fields, a user and a command.
func TestCronFile(t *testing.T) {
	f, err := os.Open("cron/whyk8s.cron")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	envLine := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	jobs := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || envLine.MatchString(line) {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 7 {
			t.Errorf("whyk8s.cron:%d: %q: want minute hour day month weekday user command", n, line)
			continue
		}
		jobs++
		spec := strings.Join(fields[:5], " ")
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			t.Errorf("whyk8s.cron:%d: schedule %q: %v", n, spec, err)
			continue
		}
		first := sched.Next(time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC))
		if gap := sched.Next(first).Sub(first); gap < 28*24*time.Hour || gap > 31*24*time.Hour {
			t.Errorf("whyk8s.cron:%d: schedule %q runs %s apart; want monthly", n, spec, gap)
		}
		if user := fields[5]; user == "root" {
			t.Errorf("whyk8s.cron:%d: runs as root; a read-only assessment needs no privilege", n)
		}
		// The command is the wrapper in this folder, installed without its .sh.
		if cmd := filepath.Base(fields[6]); cmd+".sh" != filepath.Base(wrapper) {
			t.Errorf("whyk8s.cron:%d: runs %s; want the wrapper %s", n, fields[6], wrapper)
		}
	}
	if jobs != 1 {
		t.Errorf("whyk8s.cron has %d job lines; want 1", jobs)
	}
}

func TestCronWrapperIsPOSIXShell(t *testing.T) {
	data, err := os.ReadFile(wrapper)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("#!/bin/sh\n")) {
		t.Errorf("%s does not start with #!/bin/sh", wrapper)
	}
	if _, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(bytes.NewReader(data), wrapper); err != nil {
		t.Errorf("%s is not POSIX shell: %v", wrapper, err)
	}
	if info, err := os.Stat(wrapper); err != nil || info.Mode()&0o111 == 0 {
		t.Errorf("%s is not executable", wrapper)
	}
}

// stubWhyk8s is what this test binary does when the cron wrapper runs it in whyk8s's
// place (TestMain sees WHYK8S_DEPLOY_STUB=1): it records its arguments, writes a report
// folder when asked, logs a line and exits with the code it is given. A stand-in written in
// Go, so that no test writes a shell script and runs it.
func stubWhyk8s(args []string) int {
	if err := os.WriteFile(os.Getenv("STUB_ARGS"), []byte(strings.Join(args, "\n")+"\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out := ""
	for i, a := range args {
		if a == "--out" && i+1 < len(args) {
			out = args[i+1]
		}
	}
	if os.Getenv("STUB_WRITES") == "yes" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := os.WriteFile(filepath.Join(out, "report.md"), []byte("report\n"), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	fmt.Fprintln(os.Stderr, `{"level":"INFO","msg":"stub"}`)
	code, _ := strconv.Atoi(os.Getenv("STUB_EXIT"))
	return code
}

type wrapperRun struct {
	code           int
	stdout, stderr string
	args           []string // what whyk8s was called with; nil if it was not called
	home           string
}

func runWrapper(t *testing.T, exit string, writes bool, holdLock bool) wrapperRun {
	t.Helper()
	for _, tool := range []string{"sh", "flock", "date", "ln"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed; the cron wrapper needs it on the host it runs on", tool)
		}
	}
	dir := t.TempDir()
	bin, err := os.Executable() // this test binary, as stubWhyk8s
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	argsFile := filepath.Join(dir, "args")
	if holdLock {
		if err := os.MkdirAll(home, 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(filepath.Join(home, ".lock"), os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			t.Fatal(err)
		}
	}
	abs, err := filepath.Abs(wrapper)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(abs)
	cmd.Dir = dir
	writesFlag := "no"
	if writes {
		writesFlag = "yes"
	}
	// cron's environment is nearly empty: PATH and the variables of the cron file.
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "WHYK8S_BIN=" + bin, "WHYK8S_HOME=" + home,
		"WHYK8S_CONFIG=" + filepath.Join(dir, "whyk8s.yaml"), "WHYK8S_DEPLOY_STUB=1",
		"STUB_ARGS=" + argsFile, "STUB_EXIT=" + exit, "STUB_WRITES=" + writesFlag}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r := wrapperRun{home: home}
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running %s: %v", wrapper, err)
		}
		r.code = ee.ExitCode()
	}
	r.stdout, r.stderr = stdout.String(), stderr.String()
	if data, err := os.ReadFile(argsFile); err == nil {
		r.args = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
	return r
}

func TestCronWrapper(t *testing.T) {
	t.Run("success is silent and points latest at the new report", func(t *testing.T) {
		r := runWrapper(t, "0", true, false)
		if r.code != 0 || r.stdout != "" || r.stderr != "" {
			t.Errorf("exit %d, stdout %q, stderr %q; want 0 and silence (cron mails any output)", r.code, r.stdout, r.stderr)
		}
		flags := flagValues(r.args)
		out := flags["--out"]
		if r.args[0] != "assess" || flags["--history"] != filepath.Join(r.home, "history") || !strings.HasPrefix(out, filepath.Join(r.home, "reports")+"/") {
			t.Errorf("whyk8s called with %q", r.args)
		}
		for _, f := range []string{"--aws", "--fail-on-regression", "--log-format", "--config"} {
			if _, ok := flags[f]; !ok {
				t.Errorf("whyk8s called without %s: %q", f, r.args)
			}
		}
		if target, err := os.Readlink(filepath.Join(r.home, "reports", "latest")); err != nil || target != filepath.Base(out) {
			t.Errorf("reports/latest -> %q (%v); want %s", target, err, filepath.Base(out))
		}
		logs, _ := filepath.Glob(filepath.Join(r.home, "logs", "*.log"))
		if len(logs) != 1 {
			t.Fatalf("logs: %q; want one log file for the run", logs)
		}
		if data, _ := os.ReadFile(logs[0]); !strings.Contains(string(data), `"msg":"stub"`) {
			t.Errorf("whyk8s's stderr did not reach %s: %q", logs[0], data)
		}
	})
	t.Run("regression exits 3 with one line saying where to look", func(t *testing.T) {
		r := runWrapper(t, "3", true, false)
		if r.code != 3 || !strings.Contains(r.stderr, "worse than last month") || !strings.Contains(r.stderr, "report.md") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("exit %d, stderr %q; want 3 and one line naming the report", r.code, r.stderr)
		}
	})
	t.Run("failure keeps whyk8s's code and the last good report", func(t *testing.T) {
		r := runWrapper(t, "1", false, false)
		if r.code != 1 || !strings.Contains(r.stderr, "failed (exit 1)") {
			t.Errorf("exit %d, stderr %q; want 1 and a line saying it failed", r.code, r.stderr)
		}
		if _, err := os.Lstat(filepath.Join(r.home, "reports", "latest")); err == nil {
			t.Errorf("reports/latest points at a run that wrote no report")
		}
	})
	t.Run("a run already under way stands the new one down", func(t *testing.T) {
		r := runWrapper(t, "0", true, true)
		if r.code != 75 || r.args != nil || !strings.Contains(r.stderr, "another run holds") {
			t.Errorf("exit %d, whyk8s args %q, stderr %q; want 75, whyk8s not started", r.code, r.args, r.stderr)
		}
	})
}

// TestCronWrapperArgsAreAcceptedByWhyk8s hands the arguments the wrapper passes to the
// real binary's config command, which rejects unknown flags.
func TestCronWrapperArgsAreAcceptedByWhyk8s(t *testing.T) {
	bin := buildBinary(t)
	r := runWrapper(t, "0", true, false)
	configFile := filepath.Join(t.TempDir(), "whyk8s.yaml")
	if err := os.WriteFile(configFile, []byte("client: Example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"config"}, r.args[1:]...)
	if i := slices.Index(args, "--config"); i >= 0 {
		args[i+1] = configFile
	}
	if out := runConfig(t, bin, args); !strings.Contains(out, "fail_on_regression: true") {
		t.Errorf("configuration in force lacks fail_on_regression: true:\n%s", out)
	}
}
