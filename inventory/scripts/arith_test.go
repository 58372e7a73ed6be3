package scripts

import (
	"runtime/debug"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"

	"whyk8s/inventory"
)

// TestDeepArithmeticWalkedWithoutRecursion: the nesting guard is the first defence against
// a tree too deep to walk; the walk is the second. An arithmetic chain of 300,000
// operators, with a command substitution at its deepest point, is read with the goroutine
// stack held to 32 MB: syntax.Walk's recursion needs about 270 MB for it and would kill
// the process, as the guard's gaps once let it (a stack overflow at 960 MB). The fact in
// the substitution is still found.
func TestDeepArithmeticWalkedWithoutRecursion(t *testing.T) {
	const depth = 300000
	p := syntax.NewParser()
	inner, err := p.Parse(strings.NewReader("echo $(apt-get install -y redis-server)\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	word := inner.Stmts[0].Cmd.(*syntax.CallExpr).Args[1] // $( … )
	var x syntax.ArithmExpr = word
	for i := 0; i < depth; i++ {
		x = &syntax.BinaryArithm{Op: syntax.Quo, X: x, Y: &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: "1"}}}}
	}
	f := &syntax.File{Stmts: []*syntax.Stmt{{Cmd: &syntax.ArithmCmd{X: x}}}}

	res := &fileResult{script: inventory.Script{Path: "deep.sh", Kind: inventory.ScriptShell}}
	d := newDoc(res, "deep.sh", "echo\n")
	old := debug.SetMaxStack(32 << 20)
	defer debug.SetMaxStack(old)
	done := make(chan struct{})
	go func() { // a stack of its own, so the limit is this walk's
		defer close(done)
		(&shellReader{d: d, base: 1}).walk(f)
	}()
	<-done
	found := false
	for _, f := range res.script.Facts {
		found = found || f.Kind == inventory.FactDatabase && f.Service == "redis"
	}
	if !found {
		t.Errorf("the database installed in the substitution was not read: %+v", res.script.Facts)
	}
}
