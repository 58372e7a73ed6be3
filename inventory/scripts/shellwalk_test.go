package scripts

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// TestWalkTreeAsSyntaxWalk: walkTree visits the nodes syntax.Walk visits, comments aside,
// in the same order, and prunes where the visitor says: over the shell of the test
// repository and every fuzz seed that parses.
func TestWalkTreeAsSyntaxWalk(t *testing.T) {
	var texts []string
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		if _, seed, ok := strings.Cut(string(b), "[]byte("); ok && strings.Contains(p, "FuzzShellDepth") {
			if s, err := strconv.Unquote(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(seed), ")"))); err == nil {
				texts = append(texts, s)
			}
			return nil
		}
		texts = append(texts, string(b)) // scripts and user data; what does not parse is left
		return nil
	})
	// Every way shell nests (guard_test.go), two at a time.
	for _, a := range nestings {
		for _, b := range nestings {
			texts = append(texts, a[0]+b[0]+"x"+b[1]+a[1]+"\n")
		}
	}
	parsed := 0
	for _, text := range texts {
		f, err := syntax.NewParser().Parse(strings.NewReader(text), "")
		if err != nil {
			continue
		}
		parsed++
		for _, prune := range []bool{false, true} {
			// With prune, neither walk goes below a command substitution.
			visit := func(out *[]string) func(syntax.Node) bool {
				return func(n syntax.Node) bool {
					if _, ok := n.(*syntax.Comment); ok || n == nil {
						return true
					}
					*out = append(*out, fmt.Sprintf("%T@%s", n, n.Pos()))
					_, subst := n.(*syntax.CmdSubst)
					return !(prune && subst)
				}
			}
			var want, got []string
			syntax.Walk(f, visit(&want))
			walkTree(f, visit(&got))
			if !slices.Equal(got, want) {
				t.Fatalf("prune %v: walkTree visits\n%q\nsyntax.Walk\n%q\nfor %q", prune, got, want, text)
			}
		}
	}
	if parsed < 5000 {
		t.Fatalf("only %d texts parsed: the test reads too little", parsed)
	}
}

// TestWalkTreeLeavesNoTree: the stack a walk gives back holds no node, however high a
// walk before raised it, so that the pool keeps no parsed script alive.
func TestWalkTreeLeavesNoTree(t *testing.T) {
	parse := func(src string) *syntax.File {
		f, err := syntax.NewParser().Parse(strings.NewReader(src), "")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	large := parse(strings.Repeat("echo a b c $(d e) \"$f\"\n", 500))
	small := parse("echo $(x)\n")
	b := &walkBuf{stack: make([]syntax.Node, 0, 4)}
	for k, tree := range []*syntax.File{large, small, large, small} {
		visited := 0
		b.walk(tree, func(syntax.Node) bool { visited++; return true })
		if visited < 3 {
			t.Fatalf("walk %d: %d nodes visited", k, visited)
		}
		if len(b.stack) != 0 {
			t.Fatalf("walk %d: the stack left %d long", k, len(b.stack))
		}
		for i, n := range b.stack[:cap(b.stack)] {
			if n != nil {
				t.Fatalf("walk %d: the stack holds %T at %d of %d", k, n, i, cap(b.stack))
			}
		}
	}
}
