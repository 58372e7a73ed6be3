//go:build linux

package hostile_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

const account = "111122223333"

// allCases is every case of the suite: each folder variant through the entry points that
// read such folders, then the named inputs.
func allCases() []hostileCase {
	var cases []hostileCase
	for _, v := range scriptVariants {
		cases = append(cases, scanCase(v, "text"))
		if strings.HasPrefix(v.name, "name-") {
			cases = append(cases, scanCase(v, "md"), scanCase(v, "json"))
		}
		cases = append(cases, assessScriptsCase(v))
	}
	for _, v := range iacVariants {
		// The snapshot holds what the reports leave out (tags): both entries, every time.
		cases = append(cases, iacCase(v, "assess"), iacCase(v, "inventory"))
	}
	cases = append(cases, namedInputCases()...)
	return cases
}

func gapCodes(g gapWant, partial int) []int {
	switch g {
	case gapYes:
		return []int{partial}
	case gapEither, gapDecode:
		return []int{0, partial}
	}
	return []int{0}
}

// expect sets what a folder case must say: always, or only when the run reports the file
// (a file the readers may read or report).
func expect(c *hostileCase, v variant, partial int) {
	switch v.gap {
	case gapEither:
		c.saysIf = map[int][]string{partial: v.says}
	default:
		c.says = v.says
	}
}

func scanCase(v variant, format string) hostileCase {
	name := "scan/" + v.name
	if format != "text" {
		name += "/" + format
	}
	c := hostileCase{
		name: name, entry: "scan", asRoot: v.asRoot, raw: v.raw,
		codes: gapCodes(v.gap, 3), keeps: []string{goodScriptName, "redis-server"},
	}
	expect(&c, v, 3)
	c.setup = func(e *caseEnv) []string {
		v.make(e)
		e.write(goodScriptName, goodScript)
		return []string{"scan", "in", "--format", format}
	}
	return c
}

func assessScriptsCase(v variant) hostileCase {
	// A script that cannot be read is listed in the report; the AWS facts are whole, so
	// the run is not partial.
	c := hostileCase{
		name: "assess-scripts/" + v.name, entry: "assess --scripts", asRoot: v.asRoot, raw: v.raw,
		codes: []int{0}, keeps: []string{goodScriptName},
	}
	expect(&c, v, 0)
	c.setup = func(e *caseEnv) []string {
		v.make(e)
		e.write(goodScriptName, goodScript)
		return []string{"assess", "--snapshot", baseSnapshot(e.t), "--scripts", "in", "--out", "out", "--format", "json,md,csv"}
	}
	return c
}

func iacCase(v variant, cmd string) hostileCase {
	c := hostileCase{
		name: cmd + "-iac/" + v.name, entry: cmd + " --iac", asRoot: v.asRoot, raw: v.raw,
		codes: gapCodes(v.gap, 3), keeps: []string{goodGroup},
	}
	expect(&c, v, 3)
	c.setup = func(e *caseEnv) []string {
		v.make(e)
		e.write("good.tf", tfGroup("goodweb", goodGroup))
		if cmd == "inventory" {
			return []string{"inventory", "--iac", "in", "--iac-account", account, "--out", "out/estate.json"}
		}
		return []string{"assess", "--iac", "in", "--iac-account", account, "--out", "out", "--format", "json,md,csv"}
	}
	return c
}

// badFile is one way a named input can be wrong.
type badFile struct {
	name  string
	make  func(e *caseEnv, file string) string // writes the bad input and returns its path
	says  []string
	codes []int // when not the command's default
}

// special files: what every named input is tried with.
var specialFiles = []badFile{
	{name: "fifo", says: []string{"named pipe"}, make: func(e *caseEnv, file string) string { return e.fifo(e.root, file) }},
	{name: "dev-zero", says: []string{"/dev/zero", "not a regular file"}, make: func(*caseEnv, string) string { return "/dev/zero" }},
	{name: "link-to-dev-urandom", says: []string{"not a regular file"}, make: func(e *caseEnv, file string) string { return e.link(e.root, file, "/dev/urandom") }},
	{name: "folder", says: []string{"folder|directory"}, make: func(e *caseEnv, file string) string {
		return filepath.Dir(e.put(e.root, file+"/x", ""))
	}},
	{name: "sparse-huge", says: []string{"limit"}, make: func(e *caseEnv, file string) string { return e.sparse(e.root, file, 300<<20) }},
	{name: "binary", says: []string{""}, make: func(e *caseEnv, file string) string { return e.putBytes(e.root, file, randomBytes(8192, 7)) }},
	{name: "missing", says: []string{"no such file"}, make: func(e *caseEnv, file string) string { return filepath.Join(e.root, "missing-"+file) }},
}

// fix makes the file argument of a badFile a path relative to the run's folder when it is
// inside it, so messages name it as a person would type it.
func rel(e *caseEnv, p string) string {
	if r, err := filepath.Rel(e.root, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

func namedInputCases() []hostileCase {
	var cases []hostileCase
	// Snapshots: assess, inventory and merge read them.
	snapBad := append(append([]badFile{}, specialFiles...),
		badFile{name: "empty", says: []string{"empty|end of JSON"}, make: func(e *caseEnv, f string) string { return e.put(e.root, f, "") }},
		badFile{name: "deep-json", make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, `{"schemaVersion":1,"x":`+nest("[", "", "]", 200000)+"}")
		}},
		badFile{name: "utf16", make: func(e *caseEnv, f string) string {
			return e.putBytes(e.root, f, utf16Text(`{"schemaVersion":1}`, false))
		}},
		badFile{name: "future-schema", says: []string{"schemaVersion"}, make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, `{"schemaVersion":999,"collectedAt":"2026-01-01T00:00:00Z"}`)
		}},
		badFile{name: "link-to-fifo", says: []string{"named pipe"}, make: func(e *caseEnv, f string) string {
			e.fifo(e.root, "real-pipe")
			return e.link(e.root, f, "real-pipe")
		}},
	)
	for _, b := range snapBad {
		cases = append(cases,
			namedCase("assess --snapshot", "snapshot/"+b.name, b, "estate.json", []int{2}, func(e *caseEnv, p string) []string {
				return []string{"assess", "--snapshot", p, "--out", "out", "--format", "json"}
			}),
			namedCase("merge", "merge/"+b.name, b, "part.json", []int{2}, func(e *caseEnv, p string) []string {
				return []string{"merge", baseSnapshot(e.t), p, "--out", "out/merged.json"}
			}))
	}
	for _, b := range snapBad[:3] {
		cases = append(cases, namedCase("inventory --snapshot", "inventory-snapshot/"+b.name, b, "estate.json", []int{2}, func(e *caseEnv, p string) []string {
			return []string{"inventory", "--snapshot", p, "--out", "out/estate.json"}
		}))
	}
	// Assessments: diff reads two; the history folder many.
	assessBad := append(append([]badFile{}, specialFiles...),
		badFile{name: "empty", says: []string{"empty"}, make: func(e *caseEnv, f string) string { return e.put(e.root, f, "") }},
		badFile{name: "deep-json", make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, `{"schemaVersion":1,"x":`+nest("[", "", "]", 200000)+"}")
		}},
	)
	for _, b := range assessBad {
		cases = append(cases, namedCase("diff", "diff/"+b.name, b, "new.json", []int{2}, func(e *caseEnv, p string) []string {
			return []string{"diff", baseAssessment(e.t), p}
		}))
	}
	for _, b := range assessBad {
		if b.name == "missing" || b.name == "dev-zero" {
			continue // a history folder holds files, not paths to elsewhere
		}
		b := b
		cases = append(cases, hostileCase{
			name: "history/" + b.name, entry: "assess --history", codes: []int{0},
			says: []string{"history|" + "assessment-bad.json"}, keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string {
				os.MkdirAll(filepath.Join(e.root, "hist"), 0o755)
				b.make(e, "hist/assessment-bad.json")
				return []string{"assess", "--snapshot", baseSnapshot(e.t), "--history", "hist", "--out", "out", "--format", "json"}
			},
		})
	}
	// Questionnaire answers.
	answersBad := append(append([]badFile{}, specialFiles...),
		badFile{name: "empty", says: []string{"empty"}, make: func(e *caseEnv, f string) string { return e.put(e.root, f, "") }},
		badFile{name: "deep-yaml", make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, "factors: "+nest("[", "", "]", 200000)+"\n")
		}},
		badFile{name: "alias-bomb", codes: []int{0, 2}, make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, yamlAliasBomb(9, 9)+"factors:\n  ORG-CICD:\n    answer: *a9\n")
		}},
		badFile{name: "latin1", codes: []int{0, 2}, make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, "client: Soci\xe9t\xe9\nfactors: {}\n")
		}},
		badFile{name: "utf16", codes: []int{0, 2}, make: func(e *caseEnv, f string) string {
			return e.putBytes(e.root, f, utf16Text("client: Example\nfactors: {}\n", false))
		}},
	)
	for _, b := range answersBad {
		cases = append(cases, namedCase("assess --answers", "answers/"+b.name, b, "org.yaml", []int{2}, func(e *caseEnv, p string) []string {
			return []string{"assess", "--snapshot", baseSnapshot(e.t), "--answers", p, "--out", "out", "--format", "json"}
		}))
	}
	// Waivers.
	waiversBad := append(append([]badFile{}, specialFiles...),
		badFile{name: "alias-bomb", codes: []int{0, 2}, make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, yamlAliasBomb(9, 9)+"waivers: *a9\n")
		}},
		badFile{name: "deep-yaml", make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, "waivers: "+nest("[", "", "]", 200000)+"\n")
		}},
	)
	for _, b := range waiversBad {
		cases = append(cases, namedCase("assess --waivers", "waivers/"+b.name, b, "waivers.yaml", []int{2}, func(e *caseEnv, p string) []string {
			return []string{"assess", "--snapshot", baseSnapshot(e.t), "--waivers", p, "--out", "out", "--format", "json"}
		}))
	}
	// Configuration: named, and found in the working directory by every command.
	configBad := append(append([]badFile{}, specialFiles...),
		badFile{name: "deep-yaml", make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, "client: "+nest("[", "", "]", 200000)+"\n")
		}},
		badFile{name: "alias-bomb", make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, yamlAliasBomb(9, 9)+"client: *a9\n")
		}},
	)
	for _, b := range configBad {
		cases = append(cases, namedCase("--config", "config/"+b.name, b, "my.yaml", []int{2}, func(e *caseEnv, p string) []string {
			return []string{"config", "--config", p}
		}))
	}
	for _, b := range configBad {
		if b.name == "missing" || b.name == "dev-zero" {
			continue // found by name in the working directory: there is nothing to name
		}
		for _, command := range []string{"version", "rules"} {
			b, command := b, command
			cases = append(cases, hostileCase{
				name: "whyk8s.yaml/" + b.name + "/" + command, entry: "./whyk8s.yaml", codes: []int{2},
				says: append([]string{"whyk8s.yaml"}, b.says...),
				setup: func(e *caseEnv) []string {
					b.make(e, "whyk8s.yaml")
					return []string{command}
				},
			})
		}
	}
	// Report template and logo.
	templateBad := append(append([]badFile{}, specialFiles...),
		badFile{name: "deep-ifs", codes: []int{0, 2}, make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, nest("{{if true}}", "x", "{{end}}", 50000))
		}},
		badFile{name: "recursive", codes: []int{1, 2}, make: func(e *caseEnv, f string) string {
			return e.put(e.root, f, `{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}`)
		}},
	)
	for _, b := range templateBad {
		codes := []int{2}
		if b.name == "binary" {
			codes = []int{0, 2} // random bytes may parse as a template of plain text
		}
		cases = append(cases, namedCase("--template", "template/"+b.name, b, "report.tmpl", codes, func(e *caseEnv, p string) []string {
			return []string{"assess", "--snapshot", baseSnapshot(e.t), "--template", p, "--out", "out", "--format", "md"}
		}))
	}
	logoBad := append(append([]badFile{}, specialFiles...),
		badFile{name: "empty", make: func(e *caseEnv, f string) string { return e.put(e.root, f, "") }},
		badFile{name: "png-bomb-header", says: []string{"pixels"}, make: func(e *caseEnv, f string) string {
			return e.putBytes(e.root, f, pngHeader(100000, 100000))
		}},
		badFile{name: "truncated-png", make: func(e *caseEnv, f string) string {
			return e.putBytes(e.root, f, pngHeader(64, 64)[:30])
		}},
	)
	for _, b := range logoBad {
		cases = append(cases, namedCase("--logo", "logo/"+b.name, b, "logo.png", []int{2}, func(e *caseEnv, p string) []string {
			return []string{"assess", "--snapshot", baseSnapshot(e.t), "--logo", p, "--out", "out", "--format", "pdf"}
		}))
	}
	cases = append(cases, otherEdgeCases()...)
	return cases
}

// namedCase is one bad named input given to a command.
func namedCase(entry, name string, b badFile, file string, codes []int, args func(e *caseEnv, path string) []string) hostileCase {
	if b.codes != nil {
		codes = b.codes
	}
	says := []string{}
	for _, s := range b.says {
		if s != "" {
			says = append(says, s)
		}
	}
	c := hostileCase{name: name, entry: entry, codes: codes}
	c.setup = func(e *caseEnv) []string {
		p := rel(e, b.make(e, file))
		return args(e, p)
	}
	// The message names the file: its name, whichever way it was given.
	if b.name != "dev-zero" {
		says = append([]string{file}, says...)
	}
	c.says = says
	if slices.Contains(codes, 0) { // read after all: nothing to say then
		c.says, c.saysIf = nil, map[int][]string{}
		for _, code := range codes {
			if code != 0 {
				c.saysIf[code] = says
			}
		}
	}
	return c
}

var (
	assessOnce sync.Once
	assessPath string
	assessErr  string
)

// baseAssessment is an assessment.json of the base snapshot, written by the binary.
func baseAssessment(t *testing.T) string {
	t.Helper()
	snap := baseSnapshot(t)
	assessOnce.Do(func() {
		dir := filepath.Dir(snap)
		r := runWhyk8s(t, dir, caseTimeout, childEnv(dir), "assess", "--snapshot", snap, "--out", "assessed", "--format", "json")
		assessPath = filepath.Join(dir, "assessed", "assessment.json")
		if r.code != 0 {
			assessErr = r.String()
		}
	})
	if assessErr != "" {
		t.Fatalf("writing the base assessment failed:\n%s", assessErr)
	}
	return assessPath
}

// editedSnapshot writes the base snapshot with its first group changed by edit.
func editedSnapshot(e *caseEnv, name string, edit func(doc, group map[string]any)) string {
	e.t.Helper()
	data, err := os.ReadFile(baseSnapshot(e.t))
	if err != nil {
		e.t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		e.t.Fatal(err)
	}
	groups, _ := doc["autoScalingGroups"].([]any)
	if len(groups) == 0 {
		e.t.Fatalf("the base snapshot has no group")
	}
	edit(doc, groups[0].(map[string]any))
	out, err := json.Marshal(doc)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.putBytes(e.root, name, out)
}

// otherEdgeCases: folders that are not folders, names from the command line and the
// snapshot, files written where something already is.
func otherEdgeCases() []hostileCase {
	assessMD := func(e *caseEnv, extra ...string) []string {
		return append([]string{"assess", "--snapshot", baseSnapshot(e.t), "--out", "out", "--format", "md,csv,json"}, extra...)
	}
	return []hostileCase{
		{name: "scan/folder-is-fifo", entry: "scan", codes: []int{2}, says: []string{"pipe"},
			setup: func(e *caseEnv) []string { e.fifo(e.root, "pipe"); return []string{"scan", "pipe"} }},
		{name: "scan/folder-is-dev-null", entry: "scan", codes: []int{2}, says: []string{"/dev/null"},
			setup: func(e *caseEnv) []string { return []string{"scan", "/dev/null"} }},
		{name: "scan/folder-is-file", entry: "scan", codes: []int{2}, says: []string{"in/x.sh", "not a directory"},
			setup: func(e *caseEnv) []string { e.write("x.sh", "#!/bin/bash\n"); return []string{"scan", "in/x.sh"} }},
		{name: "assess-scripts/folder-is-fifo", entry: "assess --scripts", codes: []int{2}, says: []string{"pipe"},
			setup: func(e *caseEnv) []string {
				e.fifo(e.root, "pipe")
				return []string{"assess", "--snapshot", baseSnapshot(e.t), "--scripts", "pipe", "--out", "out"}
			}},
		{name: "assess-iac/folder-is-dev-zero", entry: "assess --iac", codes: []int{2}, says: []string{"/dev/zero"},
			setup: func(e *caseEnv) []string { return []string{"assess", "--iac", "/dev/zero", "--out", "out"} }},
		{name: "client/escape-sequences", entry: "--client", raw: []string{"\x1b[2J", "\x1b]0;", "evil\nclient"},
			keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string { return assessMD(e, "--client", "\x1b[2J\x1b]0;title\x07evil\nclient") }},
		{name: "client/secret-looking", entry: "--client", keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string { return assessMD(e, "--client", "Acme password="+secretCanary) }},
		{name: "snapshot/group-name-escapes", entry: "assess --snapshot", raw: []string{"\x1b[31m", "two\nlines"},
			keeps: []string{"two"},
			setup: func(e *caseEnv) []string {
				p := editedSnapshot(e, "estate.json", func(doc, g map[string]any) {
					g["name"] = "two\nlines\x1b[31m"
					doc["client"] = "Client\x1b[2J"
				})
				return []string{"assess", "--snapshot", rel(e, p), "--out", "out", "--format", "md,csv,json"}
			}},
		{name: "snapshot/secret-tags", entry: "assess --snapshot", keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string {
				p := editedSnapshot(e, "estate.json", func(doc, g map[string]any) {
					g["tags"] = map[string]any{"DbPassword": secretCanary, "AccessKey": secretCanary + "A", "Token": secretCanary + "T", "app": "web"}
				})
				return []string{"assess", "--snapshot", rel(e, p), "--out", "out", "--format", "md,csv,json"}
			}},
		{name: "inventory-snapshot/secret-tags", entry: "inventory --snapshot", keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string {
				p := editedSnapshot(e, "estate.json", func(doc, g map[string]any) {
					g["tags"] = map[string]any{"db_password": secretCanary, "SlackToken": secretCanary + "T"}
				})
				return []string{"inventory", "--snapshot", rel(e, p), "--out", "out/estate.json"}
			}},
		{name: "snapshot/huge-user-data", entry: "assess --snapshot", codes: []int{0, 2}, keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string {
				p := editedSnapshot(e, "estate.json", func(doc, g map[string]any) {
					launch, _ := g["launch"].(map[string]any)
					if launch == nil {
						launch = map[string]any{}
						g["launch"] = launch
					}
					launch["userData"] = "#!/bin/bash\n" + strings.Repeat("echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 20<<20/43)
				})
				return []string{"assess", "--snapshot", rel(e, p), "--out", "out", "--format", "json"}
			}},
		{name: "answers/escape-sequences", entry: "assess --answers", raw: []string{"\x1b[2J", "\x1b[31m"}, keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string {
				e.put(e.root, "org.yaml", "client: \"Evil\\e[2J Client\"\nfactors:\n  ORG-LEADTIME:\n    answer: 3\n    notes: \"two\\nlines \\e[31mred\"\n")
				return assessMD(e, "--answers", "org.yaml")
			}},
		{name: "diff/workload-name-escapes", entry: "diff", raw: []string{"\x1b[31m", "\x1b]0;"}, keeps: []string{"evil"},
			setup: func(e *caseEnv) []string {
				data, err := os.ReadFile(baseAssessment(e.t))
				if err != nil {
					e.t.Fatal(err)
				}
				var doc map[string]any
				if err := json.Unmarshal(data, &doc); err != nil {
					e.t.Fatal(err)
				}
				w := doc["workloads"].([]any)[0].(map[string]any)
				w["id"], w["name"] = "111122223333/eu-west-1/evil\x1b[31m", "evil\x1b[31m\x1b]0;title\x07"
				out, _ := json.Marshal(doc)
				e.putBytes(e.root, "new.json", out)
				return []string{"diff", baseAssessment(e.t), "new.json"}
			}},
		{name: "manifests/out-readme-is-fifo", entry: "manifests", codes: []int{2}, says: []string{"k8s"},
			setup: func(e *caseEnv) []string {
				e.fifo(e.root, "k8s/README.md")
				return []string{"manifests", "--snapshot", baseSnapshot(e.t), "--out", "k8s"}
			}},
		{name: "manifests/scripts-with-hostile-names", entry: "manifests", raw: []string{"\x1b[31m"}, keeps: []string{"base-asg"},
			setup: func(e *caseEnv) []string {
				e.write("evil\x1b[31m.sh", "#!/bin/bash\nDB_PASSWORD="+secretCanary+"\nmount -t nfs 10.0.0.6:/e /e\n")
				return []string{"manifests", "--snapshot", baseSnapshot(e.t), "--scripts", "in", "--out", "out/k8s", "--format", "md"}
			}},
		{name: "questionnaire/out-is-fifo", entry: "questionnaire", codes: []int{2}, says: []string{"org.yaml"},
			setup: func(e *caseEnv) []string {
				e.fifo(e.root, "org.yaml")
				return []string{"questionnaire", "--out", "org.yaml"}
			}},
		{name: "questionnaire/out-is-folder", entry: "questionnaire", codes: []int{1, 2}, says: []string{"org.yaml"},
			setup: func(e *caseEnv) []string {
				e.put(e.root, "org.yaml/x", "")
				return []string{"questionnaire", "--out", "org.yaml", "--force"}
			}},
		{name: "questionnaire/out-in-missing-folder", entry: "questionnaire", codes: []int{1}, says: []string{"nowhere/org.yaml"},
			setup: func(e *caseEnv) []string { return []string{"questionnaire", "--out", "nowhere/org.yaml"} }},
		{name: "assess/out-is-a-file", entry: "assess --out", codes: []int{1}, says: []string{"out"},
			setup: func(e *caseEnv) []string { e.put(e.root, "out", "not a folder\n"); return assessMD(e) }},
		{name: "history/fifo-at-the-name-it-stores", entry: "assess --history", codes: []int{1}, says: []string{"named pipe"},
			setup: func(e *caseEnv) []string {
				var doc struct {
					CollectedAt string `json:"collectedAt"`
				}
				data, _ := os.ReadFile(baseSnapshot(e.t))
				json.Unmarshal(data, &doc)
				stamp := strings.NewReplacer("-", "", ":", "").Replace(strings.TrimSuffix(doc.CollectedAt, "Z"))
				e.fifo(e.root, "hist/assessment-"+stamp+"Z.json")
				return []string{"assess", "--snapshot", baseSnapshot(e.t), "--history", "hist", "--out", "out", "--format", "json"}
			}},
	}
}
