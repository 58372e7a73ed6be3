package scripts

import (
	"fmt"
	"strings"
	"testing"
)

// hostileSeeds adds to a fuzz target's corpus the shapes of the hostile-input suite
// (hostile/): deep nesting in each syntax and YAML aliases that multiply, at a depth the
// readers read and at one just past limits.Depth, which the guards (guard.go) refuse with a
// gap, and aliases doubling forty times as the suite has them. The suite's full sizes
// (200,000 $( in shell, 70,000 brackets in HCL) are in TestScanHostile: as seeds they slow
// every mutation the fuzzer makes of them.
func hostileSeeds(f *testing.F, syntax string) {
	f.Helper()
	for _, depth := range []int{100, 300} {
		hostileSeedsAt(f, syntax, depth)
	}
	if syntax == "yaml" {
		f.Add([]byte(aliasDoubling(40)))
		f.Add([]byte(aliasFanout(9, 9)))
	}
}

func hostileSeedsAt(f *testing.F, syntax string, depth int) {
	nest := func(open, inner, close string) []byte {
		return []byte(strings.Repeat(open, depth) + inner + strings.Repeat(close, depth))
	}
	switch syntax {
	case "shell":
		f.Add(append([]byte("#!/bin/bash\necho "), nest("$(", "true", ")")...))
		f.Add(append([]byte("#!/bin/bash\n"), nest("{ ", "true", "; }")...))
		f.Add(append([]byte("#!/bin/bash\necho $(("), nest("(", "1", ")")...))
		f.Add(append([]byte("#!/bin/bash\n"), nest("if true; then ", "true", "; fi")...))
	case "yaml":
		f.Add(append([]byte("- hosts: all\n  vars:\n    x: "), nest("[", "", "]")...))
		f.Add([]byte(aliasDoubling(8)))
		f.Add([]byte(aliasFanout(4, 4)))
	case "hcl":
		f.Add(append([]byte("locals {\n  x = "), append(nest("[", "", "]"), "\n}\n"...)...))
		f.Add(append([]byte("locals {\n  x = "), append(nest("{a=", "1", "}"), "\n}\n"...)...))
		f.Add(append([]byte("locals {\n  x = "), append(nest("(", "1", ")"), "\n}\n"...)...))
	case "json":
		f.Add(append([]byte(`{"builders":[{"type":"amazon-ebs"}],"variables":{"x":`), append(nest("[", "", "]"), "}}"...)...))
	}
}

// aliasDoubling is a playbook whose every block holds the previous one twice.
func aliasDoubling(levels int) string {
	var b strings.Builder
	b.WriteString("- hosts: all\n  tasks:\n    - &b0 {name: base, apt: {name: nginx}}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "    - &b%d {name: b%d, block: [*b%d, *b%d]}\n", i, i, i-1, i-1)
	}
	return b.String()
}

// aliasFanout is a document whose last key is fanout^levels copies of one string.
func aliasFanout(levels, fanout int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [\"lol\"]\n")
	for i := 1; i <= levels; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), fanout), ", ")
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, refs)
	}
	return b.String()
}
