package scripts

import (
	"runtime/debug"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"

	"whyk8s/inventory"
)

// TestDeepTreesWalkedWithoutRecursion: the nesting guard is the first defence against a
// tree too deep to walk; the walk is the second. Two trees the guard once let through —
// an arithmetic chain of 300,000 operators and 40,000 groups in coprocesses named } —
// are read with the goroutine stack held to 32 MB: syntax.Walk's recursion needs
// hundreds of megabytes for them and killed the process (a stack overflow at 880–960 MB).
// What the innermost command installs is still found.
func TestDeepTreesWalkedWithoutRecursion(t *testing.T) {
	const install = "apt-get install -y redis-server"
	parse := func(src string) *syntax.File {
		f, err := syntax.NewParser().Parse(strings.NewReader(src), "")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	arith := func() *syntax.File {
		word := parse("echo $(" + install + ")\n").Stmts[0].Cmd.(*syntax.CallExpr).Args[1]
		var x syntax.ArithmExpr = word
		for i := 0; i < 300000; i++ {
			x = &syntax.BinaryArithm{Op: syntax.Quo, X: x, Y: &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: "1"}}}}
		}
		return &syntax.File{Stmts: []*syntax.Stmt{{Cmd: &syntax.ArithmCmd{X: x}}}}
	}
	tests := []struct {
		name string
		tree *syntax.File
	}{
		{"arithmetic chain", arith()},
		{"groups in coprocesses named }", parse(strings.Repeat("{ coproc } { ", 40000) + install + strings.Repeat("; } }", 40000) + "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &fileResult{script: inventory.Script{Path: "deep.sh", Kind: inventory.ScriptShell}}
			d := newDoc(res, "deep.sh", "echo\n")
			old := debug.SetMaxStack(32 << 20)
			done := make(chan struct{})
			go func() { // a stack of its own, held to the limit
				defer close(done)
				(&shellReader{d: d, base: 1}).walk(tt.tree)
			}()
			<-done
			debug.SetMaxStack(old)
			found := false
			for _, f := range res.script.Facts {
				found = found || f.Kind == inventory.FactDatabase && f.Service == "redis"
			}
			if !found {
				t.Errorf("the database installed at the bottom was not read: %+v", res.script.Facts)
			}
		})
	}
}
