// Package corpus_test measures whyk8s on real provisioning code nobody here wrote: the
// hand-labelled corpus in ../shared/corpus (see its README). It runs the built binary the
// way a consultant would — `scan --format json` on each file and each estate, `assess` on
// each estate — counts what ../shared/corpus/score.py counts, prints the per-signal table,
// and holds the figures above the floors below, so a regression names itself.
//
// The corpus is third-party code kept beside the project, not in it; without the folder the
// test says so and skips.
package corpus_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// floors are the figures the tool must hold on the corpus. They only ever go up: raise one
// when a change lifts the figure for good. The targets of issues 13 and 14 are in the
// comments.
var floors = struct {
	scriptsRecall, scriptsPrecision, scriptsLineExact float64
	estateGroupsFound, estateSignalsRecall            float64
	estateInvented                                    int // at most
	estateBands, estateRoles, codeOnlyVerdicts        float64
}{
	scriptsRecall: 0.92, // target 0.90: reached
	// Precision is 95/105 = 90.5%. Of the ten unlabelled pairs, six are pairs the labels
	// or the scorer's mapping do not count: cfn-init run at boot in 049, 050 and 052 (the
	// corpus README counts it as boot-config-mgmt; those files carry no such label) and
	// FIT-CONFIG-STORE, a favourable read from SSM or Secrets Manager, which score.py's
	// regex maps to embedded-secret by the word "Secrets" in its title (012, 034, 035).
	// cfn-init in 051 and 053 runs on the instance the groups' image is made of: image
	// build, not boot.
	scriptsPrecision:    0.90,      // target 0.90: reached
	scriptsLineExact:    0.93,      // target 0.85: reached
	estateGroupsFound:   19.0 / 19, // target every group: reached
	estateSignalsRecall: 0.80,      // target 0.80: reached
	estateInvented:      0,
	estateBands:         18.0 / 19, // target 0.80: reached; e03 WorkerSet wants high with an EFS mount, which caps at Needs minor work (see FIT-NFS-MOUNT)
	// Paired by whole words of the address (see below): score.py, pairing by substring,
	// counts 17 of these 19, comparing two of e11's groups with another group's labels.
	estateRoles: 19.0 / 19, // target 0.85: reached
	// 49, not 50: 050 (mu's service-ec2 template, labelled high as "a generic stateless
	// service deployed with CodeDeploy") is Insufficient data since the application a
	// CodeDeploy agent deploys is judged unknown, not absent: the file installs the agent
	// (050-service-ec2.yml:308) and a logs agent, and no application of its own.
	codeOnlyVerdicts: 49.0 / 68, // target 0.70: reached
}

// workload is what the measurement reads of an assessment's workload.
type workload struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Fit  struct {
		Category string `json:"category"`
	} `json:"fit"`
	Role json.RawMessage `json:"role"`
}

// band is the readiness band of a workload's category, as score.py's band_of reads it:
// Excellent/Good fit high, Needs minor/major work medium, Poor fit or a category saying the
// workload stays or is not a candidate low; Insufficient data matches nothing.
func (w workload) band() string {
	c := strings.ToLower(w.Fit.Category)
	switch {
	case strings.Contains(c, "insufficient"):
		return "none"
	case regexp.MustCompile(`excellent|good`).MatchString(c):
		return "high"
	case regexp.MustCompile(`minor|major|moderate|minimal`).MatchString(c):
		return "medium"
	case regexp.MustCompile(`poor|no fit|not a (migration )?candidate|keep|stay|retain`).MatchString(c):
		return "low"
	}
	return "none"
}

// role is the workload's role: a string, or an object with a name.
func (w workload) role() (string, bool) {
	var s string
	if json.Unmarshal(w.Role, &s) == nil && s != "" {
		return s, true
	}
	var o struct{ Name, Role string }
	if json.Unmarshal(w.Role, &o) == nil {
		if o.Name != "" {
			return o.Name, true
		}
		if o.Role != "" {
			return o.Role, true
		}
	}
	return "", false
}

// assessWorkloads assesses with args and returns the workloads of assessment.json.
func assessWorkloads(t *testing.T, args ...string) []workload {
	t.Helper()
	out := t.TempDir()
	args = append(append([]string{"assess"}, args...), "--out", out, "--format", "json")
	if _, code := runCode(t, args...); code != 0 && code != 3 {
		t.Errorf("whyk8s %s: exit %d", strings.Join(args, " "), code)
	}
	var a struct {
		Workloads []workload `json:"workloads"`
	}
	if data, err := os.ReadFile(filepath.Join(out, "assessment.json")); err == nil {
		if err := json.Unmarshal(data, &a); err != nil {
			t.Errorf("assess %v: assessment.json: %v", args, err)
		}
	}
	return a.Workloads
}

const corpusDir = "../../shared/corpus"

// labelPatterns map a finding (its rule id, title, kind and signal) to a label name, as
// score.py's MAP does.
var labelPatterns = []struct {
	name string
	rx   *regexp.Regexp
}{
	{"sticky-sessions", regexp.MustCompile(`(?i)sticky|stickiness|affinity`)},
	{"local-database", regexp.MustCompile(`(?i)database|mysql|postgres|mariadb|mongo|redis-server|oracle|\bdb\b|datastore|search engine|message broker`)},
	{"extra-volumes", regexp.MustCompile(`(?i)volume|\bebs\b|mkfs|block.?device|\bdisk`)},
	{"network-filesystem", regexp.MustCompile(`(?i)\bnfs|\befs\b|gluster|network.?file|cifs|smb`)},
	{"s3fs", regexp.MustCompile(`(?i)s3fs|goofys|mountpoint.?s3|fuse`)},
	{"windows", regexp.MustCompile(`(?i)windows|powershell|winrm`)},
	{"gpu", regexp.MustCompile(`(?i)gpu|nvidia|cuda|accelerat`)},
	{"cron", regexp.MustCompile(`(?i)cron|timer`)},
	{"multi-service", regexp.MustCompile(`(?i)multi.?service|several.?service|multiple.?(service|process)|services.?per`)},
	{"kernel-tuning", regexp.MustCompile(`(?i)kernel|sysctl|modprobe|grub`)},
	{"hardcoded-ip", regexp.MustCompile(`(?i)hard.?coded.?ip|literal.?ip|ip.?address`)},
	{"embedded-secret", regexp.MustCompile(`(?i)secret|password|credential|private.?key|access.?key|token`)},
	{"ansible-provisioner", regexp.MustCompile(`(?i)ansible.?provisioner|provisioner.{0,12}ansible|ansible.?local|packer.{0,30}ansible`)},
	{"health-check", regexp.MustCompile(`(?i)health`)},
	{"target-tracking-scaling", regexp.MustCompile(`(?i)target.?tracking|\bhpa\b`)},
	{"scheduled-scaling", regexp.MustCompile(`(?i)schedul`)},
	{"spot", regexp.MustCompile(`(?i)spot|mixed.?instance`)},
	{"immutable-image", regexp.MustCompile(`(?i)immutable|packer|baked|ami.?build|golden.?image|image.?build`)},
	{"docker-already", regexp.MustCompile(`(?i)docker|container.?runtime|compose|containerd|podman`)},
	{"boot-config-mgmt", regexp.MustCompile(`(?i)ansible.?pull|chef.?client|puppet|salt.?call|cfn.?init|config(uration)?.?management|boot.?config`)},
}

// judged labels are judgements, not constructs a scanner shows.
var judged = map[string]bool{"stateless-web": true}

type finding struct {
	Rule, Title, Kind, Signal, File string
	Line                            int
}

func (f finding) labels() []string {
	text := strings.Join([]string{f.Rule, f.Title, f.Kind, f.Signal}, " ")
	var out []string
	for _, p := range labelPatterns {
		if p.rx.MatchString(text) {
			out = append(out, p.name)
		}
	}
	return out
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// whyk8s builds the command once for the whole test.
func whyk8s(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "whyk8s-corpus-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "whyk8s")
		out, err := exec.Command("go", "build", "-o", binary, "../cmd/whyk8s").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// runTool runs the command and returns its stdout; an exit code other than 0 (done) or 3
// (partial) fails the test.
func runTool(t *testing.T, args ...string) []byte {
	t.Helper()
	out, code := runCode(t, args...)
	if code != 0 && code != 3 {
		t.Errorf("whyk8s %s: exit %d", strings.Join(args, " "), code)
	}
	return out
}

func runCode(t *testing.T, args ...string) ([]byte, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout bytes.Buffer
	cmd := exec.CommandContext(ctx, whyk8s(t), args...)
	cmd.Stdout = &stdout
	cmd.Stderr = io.Discard
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=0")
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("whyk8s %s: timed out", strings.Join(args, " "))
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return stdout.Bytes(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("whyk8s %s: %v", strings.Join(args, " "), err)
	}
	return stdout.Bytes(), 0
}

func scanFindings(t *testing.T, dir string) []finding {
	t.Helper()
	var out struct {
		Findings []finding `json:"findings"`
	}
	if err := json.Unmarshal(runTool(t, "scan", "--format", "json", dir), &out); err != nil {
		t.Errorf("scan %s: not JSON: %v", dir, err)
	}
	return out.Findings
}

func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		out = append(out, m)
	}
	return out
}

var (
	reScriptLabel = regexp.MustCompile(`^([a-z0-9-]+)\[(\d+)\]$`)
	reEstateLabel = regexp.MustCompile(`^([a-z0-9-]+)@(.+):(\d+)$`)
)

// tally is labelled, found and line-exact counts per signal.
type tally map[string]*[3]int

func (tl tally) add(signal string, found, exact bool) {
	c := tl[signal]
	if c == nil {
		c = &[3]int{}
		tl[signal] = c
	}
	c[0]++
	if found {
		c[1]++
	}
	if exact {
		c[2]++
	}
}

func (tl tally) table(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n  %-26s %8s %6s %6s\n", title, "signal", "labelled", "found", "exact")
	var names []string
	for k := range tl {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		c := tl[k]
		fmt.Fprintf(&b, "  %-26s %8d %6d %6d\n", k, c[0], c[1], c[2])
	}
	return b.String()
}

func near(lines []int, want int) bool {
	for _, l := range lines {
		if l >= want-2 && l <= want+2 {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("no corpus at %s (it lives beside the project, in ../shared/corpus): %v", corpusDir, err)
	}
	if testing.Short() {
		t.Skip("-short: runs the built binary over every corpus file and estate")
	}
	t.Run("scripts", testScripts)
	t.Run("estates", testEstates)
}

func testScripts(t *testing.T) {
	rows := readTSV(t, filepath.Join(corpusDir, "scripts", "labels.tsv"))
	per := tally{}
	var labelled, found, exact, mapped, unlabelled int
	var misses, extras, disagree []string
	agree := 0
	for _, r := range rows {
		dir := t.TempDir()
		data, err := os.ReadFile(filepath.Join(corpusDir, "scripts", "files", r["file"]))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, r["file"]), data, 0o644); err != nil {
			t.Fatal(err)
		}
		label, _, _ := strings.Cut(r["verdict"], ":")
		bands := map[string]bool{}
		for _, w := range assessWorkloads(t, "--scripts", dir) {
			bands[w.band()] = true
		}
		if len(bands) == 1 && bands[strings.TrimSpace(label)] {
			agree++
		} else {
			var b []string
			for k := range bands {
				b = append(b, k)
			}
			sort.Strings(b)
			if len(b) == 0 {
				b = []string{"no workload"}
			}
			disagree = append(disagree, fmt.Sprintf("%s %s->%s", r["id"], strings.TrimSpace(label), strings.Join(b, "/")))
		}
		got := map[string][]int{}
		for _, f := range scanFindings(t, dir) {
			for _, l := range f.labels() {
				got[l] = append(got[l], f.Line)
			}
		}
		want := map[string]int{}
		for _, part := range strings.Split(r["signals"], ";") {
			if m := reScriptLabel.FindStringSubmatch(strings.TrimSpace(part)); m != nil && !judged[m[1]] {
				if _, dup := want[m[1]]; !dup {
					want[m[1]], _ = strconv.Atoi(m[2])
				}
			}
		}
		for signal, line := range want {
			labelled++
			lines, ok := got[signal]
			x := ok && near(lines, line)
			per.add(signal, ok, x)
			if ok {
				found++
			} else {
				misses = append(misses, fmt.Sprintf("%s %s[%d]", r["id"], signal, line))
			}
			if x {
				exact++
			}
		}
		for signal, lines := range got {
			mapped++
			if _, ok := want[signal]; !ok {
				unlabelled++
				extras = append(extras, fmt.Sprintf("%s %s at %v", r["id"], signal, lines))
			}
		}
	}
	sort.Strings(misses)
	sort.Strings(extras)
	recall, precision, lineExact := ratio(found, labelled), ratio(mapped-unlabelled, mapped), ratio(exact, found)
	verdicts := ratio(agree, len(rows))
	report := fmt.Sprintf("%s  missed: %s\n  unlabelled: %s\n  verdicts from code only (id label->tool): %s\nscripts: recall %.0f%% (%d/%d), precision %.0f%% (%d/%d), line-exact %.0f%% over %d files; verdict from code only agrees on %d/%d",
		per.table("scripts, per signal:"), strings.Join(misses, ", "), strings.Join(extras, ", "), strings.Join(disagree, ", "),
		100*recall, found, labelled, 100*precision, mapped-unlabelled, mapped, 100*lineExact, len(rows), agree, len(rows))
	t.Log("\n" + report)
	check(t, "scripts recall", recall, floors.scriptsRecall)
	check(t, "scripts precision", precision, floors.scriptsPrecision)
	check(t, "scripts line-exact", lineExact, floors.scriptsLineExact)
	check(t, "scripts verdicts from code only", verdicts, floors.codeOnlyVerdicts)
}

func check(t *testing.T, what string, got, floor float64) {
	t.Helper()
	if got+1e-9 < floor {
		t.Errorf("%s %.1f%% fell below its floor %.1f%%", what, 100*got, 100*floor)
	}
}

// addressTokens are the words of a group's address that must all appear in a workload's
// identity for the two to be the same group (score.py's tokens()).
func addressTokens(address string) []string {
	var out []string
	for _, tok := range regexp.MustCompile(`[/.\[\]"' ]+`).Split(address, -1) {
		if regexp.MustCompile(`\w`).MatchString(tok) && tok != "aws_autoscaling_group" {
			out = append(out, strings.ToLower(tok))
		}
	}
	return out
}

var (
	reArnPlace = regexp.MustCompile(`@(.+):(\d+)$`)
	reHayWords = regexp.MustCompile(`[/.\[\]"' :@]+`)
	reIaCPlace = regexp.MustCompile(`^iac:(.+?):(\d+):`)
)

func placeOf(arn string) string {
	if m := reArnPlace.FindStringSubmatch(arn); m != nil {
		return m[1] + ":" + m[2]
	}
	if m := reIaCPlace.FindStringSubmatch(arn); m != nil {
		return m[1] + ":" + m[2]
	}
	return ""
}

func testEstates(t *testing.T) {
	base := filepath.Join(corpusDir, "estates")
	truth := readTSV(t, filepath.Join(base, "asgs.tsv"))
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	per := tally{}
	var groups, groupsFound, invented, sigN, sigF, sigX, bands, roles int
	var lines, estateMisses []string
	for _, ent := range entries {
		e := ent.Name()
		if !ent.IsDir() || !regexp.MustCompile(`^e\d+$`).MatchString(e) {
			continue
		}
		root := filepath.Join(base, e)
		got := map[[2]string][]int{}
		for _, f := range scanFindings(t, root) {
			p := filepath.ToSlash(f.File)
			if filepath.IsAbs(f.File) {
				if rel, err := filepath.Rel(root, f.File); err == nil {
					p = filepath.ToSlash(rel)
				}
			}
			for _, l := range f.labels() {
				got[[2]string{p, l}] = append(got[[2]string{p, l}], f.Line)
			}
		}
		var rows []map[string]string
		want := map[[2]string]int{}
		for _, r := range truth {
			if r["estate"] != e {
				continue
			}
			rows = append(rows, r)
			for _, part := range strings.Split(r["signals"], ";") {
				if m := reEstateLabel.FindStringSubmatch(strings.TrimSpace(part)); m != nil && !judged[m[1]] {
					k := [2]string{m[2], m[1]}
					if _, dup := want[k]; !dup {
						want[k], _ = strconv.Atoi(m[3])
					}
				}
			}
		}
		for k, line := range want {
			sigN++
			g, ok := got[k]
			x := ok && near(g, line)
			per.add(k[1], ok, x)
			if ok {
				sigF++
			} else {
				estateMisses = append(estateMisses, fmt.Sprintf("%s %s@%s:%d", e, k[1], k[0], line))
			}
			if x {
				sigX++
			}
		}

		free := assessWorkloads(t, "--iac", root, "--scripts", root, "--iac-region", "us-east-1")
		snap := filepath.Join(t.TempDir(), "estate.json")
		runTool(t, "inventory", "--iac", root, "--iac-region", "us-east-1", "--out", snap)
		arns := map[string]string{}
		var estate struct {
			Groups []struct{ Account, Region, Name, ARN string } `json:"autoScalingGroups"`
		}
		if data, err := os.ReadFile(snap); err == nil && json.Unmarshal(data, &estate) == nil {
			for _, g := range estate.Groups {
				arns[g.Account+"/"+g.Region+"/"+g.Name] = g.ARN
			}
		}
		for _, r := range rows {
			groups++
			toks := addressTokens(r["address"])
			hit := -1
			for i, w := range free {
				// Whole words of the address, where score.py looks for substrings: there
				// the row for examples/terragrunt/stacks/stateful-asg-service takes the
				// group of …/multi-env-stateful-asg-services (its name holds the other's),
				// and two of e11's groups are compared with another group's labels. The
				// note quotes both figures.
				hay := map[string]bool{}
				for _, tok := range reHayWords.Split(strings.ToLower(strings.Join([]string{w.ID, w.Name, arns[w.ID]}, " ")), -1) {
					hay[tok] = true
				}
				all := true
				for _, tok := range toks {
					if !hay[tok] {
						all = false
						break
					}
				}
				if all {
					hit = i
					break
				}
			}
			if hit < 0 {
				for i, w := range free {
					if placeOf(arns[w.ID]) == r["file"]+":"+r["line"] {
						hit = i
						break
					}
				}
			}
			if hit < 0 {
				lines = append(lines, fmt.Sprintf("  %s %s: not found", e, r["address"]))
				continue
			}
			groupsFound++
			w := free[hit]
			free = append(free[:hit], free[hit+1:]...)
			role, _ := w.role()
			if w.band() == r["band"] {
				bands++
			}
			if role == r["role"] {
				roles++
			}
			lines = append(lines, fmt.Sprintf("  %s %s: band %s (want %s), role %q (want %s)", e, r["address"], w.band(), r["band"], role, r["role"]))
		}
		for _, w := range free {
			invented++
			lines = append(lines, fmt.Sprintf("  %s: workload not in the truth: %s %s", e, w.ID, arns[w.ID]))
		}
	}
	recall := ratio(sigF, sigN)
	sort.Strings(estateMisses)
	lines = append(lines, "  missed: "+strings.Join(estateMisses, ", "))
	t.Logf("\n%s%s\nestates: groups found %d/%d (%d not in the truth), band agreement %d/%d, role agreement %d/%d; signals recall %.0f%% (%d/%d), line-exact %.0f%%",
		per.table("estates, per signal:"), strings.Join(lines, "\n"), groupsFound, groups, invented, bands, groups, roles, groups, 100*recall, sigF, sigN, 100*ratio(sigX, sigF))
	check(t, "estate band agreement", ratio(bands, groups), floors.estateBands)
	check(t, "estate role agreement", ratio(roles, groups), floors.estateRoles)
	check(t, "estate groups found", ratio(groupsFound, groups), floors.estateGroupsFound)
	check(t, "estate signals recall", recall, floors.estateSignalsRecall)
	if invented > floors.estateInvented {
		t.Errorf("%d workloads not in the truth (at most %d)", invented, floors.estateInvented)
	}
}
