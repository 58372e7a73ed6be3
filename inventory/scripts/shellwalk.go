package scripts

import (
	"slices"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// walkTree visits a shell syntax tree in the order syntax.Walk does — a node, then its
// children left to right when f returns true — with a stack of its own rather than
// recursion. The nesting guard (guard.go) refuses text nested too deep before it is
// parsed; the walk is the second defence. Each time the guard fell short (an index, a
// coprocess named }, a chain of operators), syntax.Walk recursed down the tree a million
// levels and the process died of a stack overflow, which no recover catches. Comments are
// not visited: nothing reads them.
func walkTree(root syntax.Node, f func(syntax.Node) bool) {
	// The stacks come from a pool: a scan walks every script and user data, and a walk
	// may start another (a word's substitution read on its own).
	b := walkBufs.Get().(*walkBuf)
	if b.walk(root, f) {
		walkBufs.Put(b)
	}
}

// walk is walkTree over b's stack, which it leaves empty and cleared; it reports whether
// the stack is small enough to keep.
func (b *walkBuf) walk(root syntax.Node, f func(syntax.Node) bool) bool {
	stack := append(b.stack[:0], root)
	// The highest the stack rose: what is left in it past that was cleared by the walk
	// that used it last. Clearing all it can hold instead cost as much as walking a small
	// tree (a -c string's) after a large one had grown it, its pointers cleared one by one
	// through the write barrier while a collection runs.
	hi := 1
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !f(n) {
			continue
		}
		// The children go on the stack as they come and are turned round there, the
		// first on top.
		from := len(stack)
		stack = children(n, stack)
		slices.Reverse(stack[from:])
		hi = max(hi, len(stack))
	}
	clear(stack[:hi]) // no tree kept alive by the pool
	b.stack = stack[:0]
	return cap(stack) <= maxPooledWalk
}

// walkBuf is walkTree's stack, kept between walks.
type walkBuf struct{ stack []syntax.Node }

var walkBufs = sync.Pool{New: func() any { return &walkBuf{stack: make([]syntax.Node, 0, 64)} }}

// maxPooledWalk is the largest stack kept: one grown by a hostile file is let go.
const maxPooledWalk = 1 << 14

// children appends n's children, in syntax.Walk's order, to out. A child that is absent
// (a nil pointer, a nil interface) is left out.
func children(n syntax.Node, out []syntax.Node) []syntax.Node {
	switch n := n.(type) {
	case *syntax.File:
		out = list(out, n.Stmts)
	case *syntax.Stmt:
		out = iface(out, n.Cmd)
		out = list(out, n.Redirs)
	case *syntax.Assign:
		out = one(out, n.Name)
		out = one(out, n.Value)
		out = iface(out, n.Index)
		out = one(out, n.Array)
	case *syntax.Redirect:
		out = one(out, n.N)
		out = one(out, n.Word)
		out = one(out, n.Hdoc)
	case *syntax.CallExpr:
		out = list(out, n.Assigns)
		out = list(out, n.Args)
	case *syntax.Subshell:
		out = list(out, n.Stmts)
	case *syntax.Block:
		out = list(out, n.Stmts)
	case *syntax.IfClause:
		out = list(out, n.Cond)
		out = list(out, n.Then)
		out = one(out, n.Else)
	case *syntax.WhileClause:
		out = list(out, n.Cond)
		out = list(out, n.Do)
	case *syntax.ForClause:
		out = iface(out, n.Loop)
		out = list(out, n.Do)
	case *syntax.WordIter:
		out = one(out, n.Name)
		out = list(out, n.Items)
	case *syntax.CStyleLoop:
		out = iface(out, n.Init)
		out = iface(out, n.Cond)
		out = iface(out, n.Post)
	case *syntax.BinaryCmd:
		out = one(out, n.X)
		out = one(out, n.Y)
	case *syntax.FuncDecl:
		out = one(out, n.Name)
		out = list(out, n.Names)
		out = one(out, n.Body)
	case *syntax.Word:
		out = ifaces(out, n.Parts)
	case *syntax.DblQuoted:
		out = ifaces(out, n.Parts)
	case *syntax.CmdSubst:
		out = list(out, n.Stmts)
	case *syntax.ParamExp:
		out = one(out, n.Flags)
		out = one(out, n.Param)
		out = iface(out, n.NestedParam)
		out = iface(out, n.Index)
		if n.Slice != nil {
			out = iface(out, n.Slice.Offset)
			out = iface(out, n.Slice.Length)
		}
		if n.Repl != nil {
			out = one(out, n.Repl.Orig)
			out = one(out, n.Repl.With)
		}
		if n.Exp != nil {
			out = one(out, n.Exp.Word)
		}
	case *syntax.ArithmExp:
		out = iface(out, n.X)
	case *syntax.ArithmCmd:
		out = iface(out, n.X)
	case *syntax.BinaryArithm:
		out = iface(out, n.X)
		out = iface(out, n.Y)
	case *syntax.BinaryTest:
		out = iface(out, n.X)
		out = iface(out, n.Y)
	case *syntax.UnaryArithm:
		out = iface(out, n.X)
	case *syntax.UnaryTest:
		out = iface(out, n.X)
	case *syntax.ParenArithm:
		out = iface(out, n.X)
	case *syntax.FlagsArithm:
		out = one(out, n.Flags)
		out = iface(out, n.X)
	case *syntax.ParenTest:
		out = iface(out, n.X)
	case *syntax.CaseClause:
		out = one(out, n.Word)
		out = list(out, n.Items)
	case *syntax.CaseItem:
		out = list(out, n.Patterns)
		out = list(out, n.Stmts)
	case *syntax.TestClause:
		out = iface(out, n.X)
	case *syntax.DeclClause:
		out = list(out, n.Args)
	case *syntax.ArrayExpr:
		out = list(out, n.Elems)
	case *syntax.ArrayElem:
		out = iface(out, n.Index)
		out = one(out, n.Value)
	case *syntax.ExtGlob:
		out = one(out, n.Pattern)
	case *syntax.ProcSubst:
		out = list(out, n.Stmts)
	case *syntax.TimeClause:
		out = one(out, n.Stmt)
	case *syntax.CoprocClause:
		out = one(out, n.Name)
		out = one(out, n.Stmt)
	case *syntax.LetClause:
		out = ifaces(out, n.Exprs)
	case *syntax.TestDecl:
		out = one(out, n.Description)
		out = one(out, n.Body)
	}
	return out
}

// one appends a child held by pointer, when there is one.
func one[P interface {
	*T
	syntax.Node
}, T any](out []syntax.Node, p P) []syntax.Node {
	if p != nil {
		out = append(out, p)
	}
	return out
}

// list appends children held by pointer.
func list[P interface {
	*T
	syntax.Node
}, T any](out []syntax.Node, ps []P) []syntax.Node {
	for _, p := range ps {
		out = one(out, p)
	}
	return out
}

// iface appends a child held by interface (a command, an expression), when there is one.
func iface(out []syntax.Node, n syntax.Node) []syntax.Node {
	if n != nil {
		out = append(out, n)
	}
	return out
}

// ifaces appends children held by interface.
func ifaces[N syntax.Node](out []syntax.Node, ns []N) []syntax.Node {
	for _, n := range ns {
		out = iface(out, n)
	}
	return out
}
