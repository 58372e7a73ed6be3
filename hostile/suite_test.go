//go:build linux

package hostile_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/tabwriter"
)

// The canaries: no output may ever hold one.
const (
	// outsideCanary is in every file of the folder beside the one given to whyk8s.
	outsideCanary = "OUTSIDE-CANARY-d41c"
	// secretCanary is the value of a password in the good files beside the bad ones.
	secretCanary = "HostileSecret-Canary-8812"
)

// hostileCase is one hostile input and what the README promises about it.
type hostileCase struct {
	// name is unique: the key of the known-failures list.
	name string
	// entry is the entry point the input reaches, for the summary table.
	entry string
	// setup writes the case's files — as data, never run — and returns the command line.
	setup func(e *caseEnv) []string
	// codes are the exit codes the README allows for this input (0 when empty).
	codes []int
	// says is what the terminal or a report must say: the file's name and the problem.
	// An element "a|b" is satisfied by either.
	says []string
	// saysIf is what must be said when the run ends with a given code (a file that may be
	// read, or reported: when it is reported, it is named).
	saysIf map[int][]string
	// keeps is what the good input beside the bad one gives, in some output: proof the
	// rest was still read.
	keeps []string
	// raw are byte strings that must not reach the terminal, Markdown or CSV unescaped
	// (escape sequences and newlines from names).
	raw []string
	// asRoot, when set, is why the case cannot be exercised by root (who reads any file).
	asRoot string
}

// caseEnv is a case's folder.
type caseEnv struct {
	t       *testing.T
	root    string // the working directory and HOME of the run
	in      string // root/in: what whyk8s is given
	outside string // root/outside: never given; every file in it holds outsideCanary
	out     string // root/out: reports and snapshots
}

func newCaseEnv(t *testing.T) *caseEnv {
	e := &caseEnv{t: t, root: t.TempDir()}
	e.in = filepath.Join(e.root, "in")
	e.outside = filepath.Join(e.root, "outside")
	e.out = filepath.Join(e.root, "out")
	for _, d := range []string{e.in, e.outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// What a link or a path out of the folder would reach.
	e.put(e.outside, "secret.txt", outsideCanary+"\n")
	e.put(e.outside, "outside.sh", "#!/bin/bash\napt-get install -y "+outsideCanary+"\n")
	e.put(e.outside, "outside.tf", tfGroup("outside", outsideCanary))
	e.put(e.outside, "outside.yml", "- hosts: all\n  tasks:\n    - apt: name="+outsideCanary+"\n")
	e.put(e.outside, "mod/main.tf", tfGroup("outsidemod", outsideCanary+"-mod"))
	e.put(e.outside, "dir/inner.sh", "#!/bin/bash\nyum install -y "+outsideCanary+"\n")
	e.put(e.outside, "stack.yaml", cfnGroup("Outside", outsideCanary))
	e.put(e.outside, "terragrunt.hcl", "inputs = {\n  name = \""+outsideCanary+"\"\n}\n")
	return e
}

func (e *caseEnv) put(dir, rel, content string) string {
	return e.putBytes(dir, rel, []byte(content))
}

func (e *caseEnv) putBytes(dir, rel string, data []byte) string {
	e.t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// write puts a file into the folder given to whyk8s.
func (e *caseEnv) write(rel, content string) string { return e.put(e.in, rel, content) }

// fifo makes a named pipe (nobody ever writes to it).
func (e *caseEnv) fifo(dir, rel string) string {
	e.t.Helper()
	p := filepath.Join(dir, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// link makes a symbolic link at dir/rel pointing at target.
func (e *caseEnv) link(dir, rel, target string) string {
	e.t.Helper()
	p := filepath.Join(dir, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.Symlink(target, p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// sparse makes a file of size bytes that takes no room on disk.
func (e *caseEnv) sparse(dir, rel string, size int64) string {
	e.t.Helper()
	p := e.put(dir, rel, "")
	if err := os.Truncate(p, size); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// verdict is what became of one case.
type verdict struct {
	c        hostileCase
	problems []string
	known    string // the reason, for a listed case
	skipped  string
	res      result
}

func (v verdict) status() string {
	switch {
	case v.skipped != "":
		return "skipped"
	case len(v.problems) == 0 && v.known != "":
		return "passes now"
	case len(v.problems) == 0:
		return "pass"
	case v.known != "":
		return "known"
	}
	return "FAIL"
}

func TestHostileInputs(t *testing.T) {
	whyk8s(t)
	cases := allCases()
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("two cases are named %q", c.name)
		}
		seen[c.name] = true
	}
	for name := range knownFailures {
		if !seen[name] && !strings.HasPrefix(name, "canary/") {
			t.Errorf("knownFailures lists %q, which is not a case", name)
		}
	}
	if len(cases) < 150 {
		t.Errorf("%d cases; the suite promises at least 150", len(cases))
	}

	var mu sync.Mutex
	var verdicts []verdict
	slots := make(chan struct{}, 2) // two runs at a time: the machine has two cores
	t.Run("case", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				slots <- struct{}{}
				defer func() { <-slots }()
				v := runCase(t, c)
				kept := v
				kept.res.stdout, kept.res.stderr = nil, nil // the summary needs neither
				mu.Lock()
				verdicts = append(verdicts, kept)
				mu.Unlock()
				switch v.status() {
				case "FAIL":
					t.Errorf("%s\n%s", strings.Join(v.problems, "\n"), v.res)
				case "passes now":
					t.Errorf("listed as a known failure (%s) but passes now: delete its line from knownFailures in known_test.go", v.known)
				case "known":
					t.Logf("known failure (%s): %s", v.known, strings.Join(v.problems, "; "))
				case "skipped":
					t.Skip(v.skipped)
				}
			})
		}
	})
	t.Log("\n" + summary(verdicts))
}

// runCase runs one case and checks every promise.
func runCase(t *testing.T, c hostileCase) verdict {
	v := verdict{c: c, known: knownFailures[c.name]}
	if c.asRoot != "" && os.Geteuid() == 0 {
		v.skipped = "running as root: " + c.asRoot
		return v
	}
	e := newCaseEnv(t)
	args := c.setup(e)
	timeout := caseTimeout
	if v.known != "" {
		timeout = knownTimeout
	}
	r := runWhyk8s(t, e.root, timeout, childEnv(e.root), args...)
	v.res = r
	bad := func(format string, a ...any) { v.problems = append(v.problems, fmt.Sprintf(format, a...)) }

	switch {
	case r.timedOut:
		bad("hung: no answer after %s", timeout)
	case r.killedForRSS:
		bad("memory: killed over %d MB resident", killRSS>>20)
	}
	if sign := runtimeDump(append(append([]byte{}, r.stdout...), r.stderr...)); sign != "" {
		bad("crashed: Go runtime dump (%q) on the terminal", sign)
	}
	if r.peakRSS > maxRSS && !r.killedForRSS {
		bad("memory: peak RSS %d MB, over %d MB", r.peakRSS>>20, maxRSS>>20)
	}
	codes := c.codes
	if len(codes) == 0 {
		codes = []int{0}
	}
	if !r.timedOut && !slices.Contains(codes, r.code) {
		bad("exit %d; want %v", r.code, codes)
	}
	outs := collectOutputs(t, r, e.out, e.root+"/home-out")
	if !r.timedOut && !r.killedForRSS && r.code >= 0 {
		for _, s := range append(append([]string{}, c.says...), c.saysIf[r.code]...) {
			if !anyOf(outs, s) {
				bad("no message saying %q", s)
			}
		}
		for _, s := range c.keeps {
			if !anyOf(outs, s) {
				bad("the good input beside was not read: no %q in any output", s)
			}
		}
	}
	if leaks := outs.leaks(outsideCanary, secretCanary); len(leaks) > 0 {
		bad("leak: %s", strings.Join(leaks, "; "))
	}
	for name, data := range outs {
		if name != "stdout" && name != "stderr" && !strings.HasSuffix(name, ".md") && !strings.HasSuffix(name, ".csv") {
			continue
		}
		for _, s := range c.raw {
			if bytes.Contains(data, []byte(s)) {
				bad("%s holds %q unescaped", name, s)
			}
		}
	}
	return v
}

func anyOf(o outputs, alternatives string) bool {
	for _, s := range strings.Split(alternatives, "|") {
		if o.contains(s) {
			return true
		}
	}
	return false
}

// summary is a table of cases by entry point, then the known failures with their reasons.
func summary(vs []verdict) string {
	type row struct{ cases, pass, known, fail, skipped int }
	rows := map[string]*row{}
	var entries []string
	total := &row{}
	for _, v := range vs {
		r := rows[v.c.entry]
		if r == nil {
			r = &row{}
			rows[v.c.entry] = r
			entries = append(entries, v.c.entry)
		}
		for _, x := range []*row{r, total} {
			x.cases++
			switch v.status() {
			case "pass":
				x.pass++
			case "known":
				x.known++
			case "skipped":
				x.skipped++
			default:
				x.fail++
			}
		}
	}
	slices.Sort(entries)
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entry point\tcases\tpass\tknown\tfail\tskipped\t")
	for _, name := range entries {
		r := rows[name]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", name, r.cases, r.pass, r.known, r.fail, r.skipped)
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t\n", total.cases, total.pass, total.known, total.fail, total.skipped)
	tw.Flush()
	slices.SortFunc(vs, func(a, b verdict) int { return strings.Compare(a.c.name, b.c.name) })
	for _, list := range []struct{ title, status string }{
		{"failures", "FAIL"},
		{"listed as known failures but passing now (delete their lines in known_test.go)", "passes now"},
		{"known failures (known_test.go)", "known"},
	} {
		var lines []string
		for _, v := range vs {
			if v.status() != list.status {
				continue
			}
			line := fmt.Sprintf("  %-48s %s", v.c.name, strings.Join(v.problems, "; "))
			if v.known != "" {
				line = fmt.Sprintf("  %-48s %s — %s", v.c.name, v.known, strings.Join(v.problems, "; "))
			}
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			fmt.Fprintf(&b, "\n%s:\n%s\n", list.title, strings.Join(lines, "\n"))
		}
	}
	return b.String()
}
