package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's generated sections")

// The README documents the rule catalogue and the IAM policy; both are generated from the
// code (whyk8s rules --format md, whyk8s iam-policy) and this test fails when they drift.
// Run `go test ./cmd/whyk8s -run README -update` after changing a rule or an AWS call.
func TestREADMEGeneratedSections(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sections := []struct {
		name string
		args []string
		wrap func(string) string
	}{
		{"rules", []string{"rules", "--format", "md"}, func(s string) string { return s }},
		{"iam-policy", []string{"iam-policy"}, func(s string) string { return "```json\n" + s + "```\n" }},
	}
	got := readme
	for _, s := range sections {
		code, out, errs := runIn(t, "", s.args...)
		if code != exitOK {
			t.Fatalf("whyk8s %v: exit %d: %s", s.args, code, errs)
		}
		re := regexp.MustCompile(`(?s)(<!-- BEGIN ` + s.name + ` -->\n).*?(<!-- END ` + s.name + ` -->)`)
		if !re.Match(got) {
			t.Fatalf("README.md has no <!-- BEGIN %s --> … <!-- END %s --> section", s.name, s.name)
		}
		body := s.wrap(out)
		got = re.ReplaceAllFunc(got, func(m []byte) []byte {
			sub := re.FindSubmatch(m)
			return append(append(append([]byte{}, sub[1]...), body...), sub[2]...)
		})
	}
	if bytes.Equal(got, readme) {
		return
	}
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's generated sections are out of date with 'whyk8s rules --format md' / 'whyk8s iam-policy'; run: go test ./cmd/whyk8s -run README -update")
}

// Every command the README's command table names exists, and every command exists in the
// table: a user reading the README must be able to run what it says.
func TestREADMENamesEveryCommand(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	root := newRootCmd(&app{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if !strings.Contains(string(readme), "| `whyk8s "+c.Name()) {
			t.Errorf("README.md's command table does not list 'whyk8s %s'", c.Name())
		}
	}
}

// The README lists the keys of 'whyk8s rules --format json' for script writers; the list
// and the output must not drift apart.
func TestREADMEDescribesTheRulesJSON(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)`rules` prints a list of `\\{(.*?)\\}`").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md no longer says what `rules` prints as JSON")
	}
	var documented []string
	for _, k := range regexp.MustCompile(`"(\w+)"`).FindAllSubmatch(m[1], -1) {
		documented = append(documented, string(k[1]))
	}
	code, out, errs := runIn(t, "", "rules", "--format", "json")
	if code != exitOK {
		t.Fatalf("whyk8s rules --format json: exit %d: %s", code, errs)
	}
	var rules []json.RawMessage
	if err := json.Unmarshal([]byte(out), &rules); err != nil || len(rules) == 0 {
		t.Fatalf("rules --format json is not a list of rules: %v", err)
	}
	// The keys of the first rule, in the order printed.
	dec := json.NewDecoder(bytes.NewReader(rules[0]))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var printed []string
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		printed = append(printed, key.(string))
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(printed, ",") != strings.Join(documented, ",") {
		t.Errorf("README.md documents the rule keys %v, 'whyk8s rules --format json' prints %v", documented, printed)
	}
}
