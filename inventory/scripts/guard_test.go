package scripts

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/syntax"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

func nestText(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

func TestShellDepth(t *testing.T) {
	tests := []struct {
		name string
		src  string
		min  int // the depth is at least this
		max  int // and at most this
		over bool
	}{
		{name: "plain commands", src: "#!/bin/bash\nset -e\napt-get install -y nginx\nsystemctl enable nginx\n", max: 0},
		{name: "a substitution", src: "v=$(cat /etc/os-release | grep ID)\n", min: 1, max: 2},
		{name: "nested substitutions", src: "echo $(a $(b $(c)))\n", min: 3, max: 3},
		{name: "backquotes", src: "echo `uname -r`\n", min: 1, max: 1},
		// $[ … ] is bash's old arithmetic; its brackets nest like $(( … )).
		// <<< is a here-string: its word is read, never skipped as a here-document body.
		// A keyword ends at ( as at any metacharacter: [[( is a test and its group.
		{name: "a test opening with a group", src: "[[(0)]]\n", min: 2, max: 3},
		{name: "double-quoted here-document delimiter", src: "cat <<\"EOF\"\nbody\nEOF\n", min: 1, max: 1},
		{name: "here-string", src: "cat <<<\"$(date)\"\n", min: 2, max: 3},
		{name: "old-style arithmetic", src: "n=$[ (1 + $[ (2) ]) ]\n", min: 2, max: 6},
		{name: "parens in a single-quoted string are text", src: "echo '((((((((((((((((((('\n", max: 0},
		{name: "parens in a double-quoted string are text", src: "echo \"((((((((((((((((\"\n", max: 1},
		{name: "closers in strings do not hide a level", src: "echo $(echo ')' \")\" \\) $(true))\n", min: 2, max: 3},
		{name: "comment", src: "# $( $( $( ( ( {\ntrue\n", max: 0},
		{name: "hash inside a word is not a comment", src: "echo a#$(b)\n", min: 1, max: 1},
		{name: "quoted heredoc body is text", src: "cat <<'EOF'\n$( $( $( ( ( ( { { {\nEOF\necho $(x)\n", min: 1, max: 1},
		{name: "unquoted heredoc expands", src: "cat <<EOF\n$(a $(b))\n(((((\nEOF\ntrue\n", min: 3, max: 3},
		{name: "tab-stripped heredoc", src: "if true; then\n\tcat <<-EOF\n\t)))) fi fi\n\tEOF\nfi\n", min: 2, max: 2},
		{name: "two heredocs on a line", src: "cat <<A <<'B'\n$(x)\nA\n$( $( $(\nB\necho ok\n", min: 2, max: 2},
		{name: "case patterns do not close a level", src: "x=$(case $1 in a) echo a;; (b) echo b;; esac)\n", min: 2, max: 2},
		{name: "function bodies", src: "f() {\n  if [[ -n $1 ]]; then\n    echo $1\n  fi\n}\nfunction g {\n  true\n}\n", min: 3, max: 5},
		{name: "brace expansion is a word", src: "mkdir -p /opt/{a,b,c}\n", max: 0},
		{name: "let shifts are no heredoc", src: "let x=1<<2\n{ { true; }; }\n", min: 2, max: 3},
		{name: "arithmetic", src: "echo $(( (1 + 2) * 3 ))\n", min: 2, max: 5},
		{name: "elif chains nest", src: "if a; then b; elif c; then d; elif e; then f; else g; fi\n", min: 4, max: 4},
		{name: "a # after a substitution goes on with the word", src: "echo $(a)#$(b $(c)) $((1))#$(d)\n", min: 2, max: 2},
		{name: "a # after an extended glob goes on with the word", src: "ls !(a)#$(b $(c))\n", min: 2, max: 2},
		{name: "an escaped double quote in backquotes in double quotes", src: "echo \"`\\\"'\"` $(a $(b))\"\n", min: 3, max: 3},
		{name: "commands in braces", src: "x=${ { ''& }; } \"${|if a; then b; fi; }\"\n", min: 3, max: 3},
		{name: "quotes in an expansion in double quotes", src: "echo \"${0#'}'`a`}\"\n", min: 3, max: 3},
		{name: "an ANSI-C string in an expansion in double quotes", src: "echo \"${x:-$'\\''`a`}\"\n", min: 3, max: 5},
		{name: "an extended glob is text to its )", src: "ls !(')$(a $(b)) @(\"#`)\n", min: 2, max: 2},
		{name: "an extended glob is no arithmetic", src: "!(()#)$(a $(b))\n", min: 2, max: 2},
		{name: "a # in an extended glob is a letter", src: "ls !(#)$(b $(c))\n", min: 2, max: 2},
		{name: "a comment in backquotes ends at the backquote", src: "echo ` #x` $(a $(b)) `#'``${0}`\n", min: 2, max: 2},
		{name: "parentheses among let's arguments", src: "let(0)((0))\n", min: 2, max: 2},
		{name: "an offset in parentheses", src: "echo \"${0:((1))}\" ${v/(/x}\n", min: 4, max: 5},
		{name: "time takes a statement", src: "time time -p time x\n", min: 3, max: 3},
		{name: "coproc takes a statement after its name", src: "coproc a coproc \"b\" coproc { x; }\n", min: 4, max: 4},
		{name: "function declarations take a statement", src: "a() b ( ) function c() x\n", min: 3, max: 4},
		{name: "an empty array is no function", src: "a=() b=( ) c=() d=()\nlocal e=()\n", max: 1},
		{name: "deep time prefixes", src: strings.Repeat("time -p ", 1000) + "x\n", over: true},
		{name: "deep coproc prefixes", src: strings.Repeat("coproc \"a\" ", 1000) + "x\n", over: true},
		{name: "deep function declarations", src: strings.Repeat("a() ", 1000) + "x\n", over: true},
		{name: "deep function declarations over lines", src: strings.Repeat("a()\n\n# c\nfunction b\n", 500) + "x\n", over: true},
		{name: "a function's body after a newline", src: "f()\n(0)\nfunction g\n{ :; }\n", min: 2, max: 2},
		{name: "every arithmetic operator is a node", src: "echo $((1/2%3<4>5&6|7^8,9)) ${a[1/2]} ${b:1/2:3}\n", min: 9, max: 9},
		{name: "an assignment's index is arithmetic", src: "a[1 / 2 < 3]=x b[(4)]=y declare c[5/6]\nd=([7/8]=z)\n", min: 3, max: 4},
		{name: "let's words are arithmetic", src: "let x=1/2&3|4<5 y=6\n", min: 6, max: 7},
		{name: "a C-style for is arithmetic", src: "for ((i=0; i<1/2; i++)); do :; done\n", min: 3, max: 9},
		{name: "a test's expression is a node", src: "[[ -n a ]]\n", min: 2, max: 2},
		{name: "an operator is above its left operand", src: "(( ((1)) % 1 ))\n", min: 4, max: 4},
		{name: "let goes on after a substitution's statements", src: "let a=$(b; c)+(1+(2))\n", min: 5, max: 7},
		{name: "a here-document after let", src: "let x=1 <<E\n$(a $(b))\nE\n", min: 3, max: 4},
		{name: "for NAME do", src: "for i do for j do if a; then (b); fi; done; done\n", min: 4, max: 4},
		{name: "} closes commands in braces inside a word", src: "(( a ? a[1+${|(( b )); }]=x : 1 ))\n", min: 7, max: 8},
		{name: "a substitution among let's words holds commands", src: "let x=$( ( { { a; }; } ) )\n", min: 5, max: 6},
		{name: "a keyword before a closing backquote", src: "(( a ? `for x in $(x); do :; done` : 1 ))\n", min: 6, max: 7},
		{name: "an escaped backslash in backquotes escapes what follows", src: "echo `\\\\'`\necho $(a $(b))\n", min: 2, max: 2},
		{name: "\\$ in backquotes is an expansion", src: "echo `echo \\${a:-\\${b:-x}}`\n", min: 3, max: 7},
		{name: "three backslashes in backquotes escape a $", src: "echo `echo \\\\\\${a:-x}` $(a)\n", min: 1, max: 1},
		{name: "an escaped backslash before a double quote in backquotes in double quotes", src: "echo \"`echo \\\\\"; ( ( x ) ); echo \\\\\"`\"\n", min: 4, max: 4},
		{name: "a quoted here-document no line closes", src: "cat <<''E\n$(a $(b))E", min: 2, max: 3},
		{name: "an escaped blank goes on let's word", src: "let x\\ &1\\ &1\\ <1\n", min: 3, max: 4},
		{name: "a function named like an assignment", src: "0=() a-b=() $(x)\n", min: 3, max: 3},
		{name: "backslashes before a backquote in backquotes", src: "echo `\\\\`\\`$(a)\\``\n", min: 3, max: 3},
		{name: "a # after an escaped blank is a letter", src: "echo a\\ #$(a $(b))\n", min: 2, max: 2},
		// The parser takes a here-document as quoted by the last part of its word only.
		{name: "a here-document word ending in letters after quotes is expanded", src: "cat <<''E\n$(a $(b))\nE\ncat <<\"x\"EOF\n$(c)\nEOF\n", min: 2, max: 3},
		{name: "a here-document word ending in quotes or escapes is not", src: "cat <<E''\n$(a $(b))\nE\ncat <<\\EOF\n$(c)\nEOF\ncat <<'a'\\b\n$(d)\nab\n", max: 0},
		{name: "deep nesting in a here-document whose word ends in letters", src: "cat <<''E\n" + nestText("$(", "x", ")", 1000) + "\nE\n", over: true},
		{name: "a # after an escaped operator is a letter", src: "echo a\\;#$(a $(b)) \\&#$(c) \\\\;#$(d)\n", min: 2, max: 2},
		{name: "a # after an escaped & in let is arithmetic", src: "let \\&#!0\n", min: 1, max: 2},
		{name: "deep nesting after an escaped operator and a #", src: "echo a\\&#" + nestText("$(", "x", ")", 1000) + "\n", over: true},
		{name: "a quoted here-document closed by the text's last line", src: "cat <<''E\n$(a $(b))\nE", min: 2, max: 3},
		{name: "a group in a test is of the test", src: "[[(0&&! 0)]]\n", min: 4, max: 5},
		{name: "deep division", src: "echo $((1" + strings.Repeat("/1", 1000) + "))\n", over: true},
		{name: "deep commas", src: "((1" + strings.Repeat(",1", 1000) + "))\n", over: true},
		{name: "deep index", src: "a[1" + strings.Repeat(" / 1", 1000) + "]=x\n", over: true},
		// An assignment keeps the place of a command's name: an index may follow it.
		{name: "deep index after an assignment", src: "A= B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		// The parser takes 0=[ for an assignment, though 0 is no name.
		{name: "deep index after a word the parser takes for an assignment", src: "0=[ B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		// A redirection's target and its descriptor are no command's name: assignments
		// may still follow them.
		{name: "deep index after a redirection", src: ">0 B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		{name: "deep index after a descriptor's redirection", src: "2>err B[1" + strings.Repeat("%1", 1000) + "]=x\n", over: true},
		{name: "deep index after a here-string", src: "<<<w B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		// A target read as a word ($0, "$f", $(…)) keeps the place of a command's name as well.
		{name: "deep index after a redirection to an expansion", src: ">$0 B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		{name: "deep index after a redirection to a quoted name", src: "2>\"$log\" B[1" + strings.Repeat("%1", 1000) + "]=x\n", over: true},
		{name: "deep index after a here-string of a substitution", src: "<<<$(date) B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		// An assignment's value read on ($0, quotes, $( … )) keeps the place of a command's name.
		{name: "deep index after an assignment of an expansion", src: "A=$0 B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		{name: "deep index after an assignment of a quoted string", src: "A=\"$HOME\"/x B[1" + strings.Repeat("%1", 1000) + "]=x\n", over: true},
		{name: "deep index after an assignment in an assignment's substitution", src: "x=$(A=$0 B[1" + strings.Repeat("/1", 1000) + "]=x) C=1\n", over: true},
		{name: "deep index after a word the parser takes for an assignment, read on", src: "0=[$x B[1" + strings.Repeat("/1", 1000) + "]=y\n", over: true},
		// The parser reads a word begun where a command starts as one literal, escapes and all,
		// and takes it for an assignment when it holds an = and a [ follows: \0=[ and a\b=[x.
		{name: "deep index after an escaped word the parser takes for an assignment", src: "\\0=[ B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		{name: "deep index after a word with an escape the parser takes for an assignment", src: "a\\b=[x B[1" + strings.Repeat("%1", 1000) + "]=y\n", over: true},
		{name: "an escaped command's name: the index is an argument's", src: "\\ls B[1" + strings.Repeat("/1", 100) + "]=x\n", min: 0, max: 101},
		// An indexed assignment's value read on ($, quotes) keeps the place too.
		{name: "deep index after an indexed assignment of a lone $", src: "A[0]=$ B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		{name: "deep index after an indexed assignment of a quoted string", src: "A[0]=\"$x\" B[1" + strings.Repeat("%1", 1000) + "]=y\n", over: true},
		// What an index reads ($, a substitution) does not take the assignment's place away.
		{name: "deep index after an assignment whose index reads $", src: "A[$]= B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: true},
		{name: "deep index after an assignment whose index holds a substitution", src: "A[$(i)]=1 B[1" + strings.Repeat("%1", 1000) + "]=x\n", over: true},
		// A comment in backquotes ends at the backquote that closes them, not at an escaped
		// one in its text (which would open backquotes inside them, outside a comment).
		{name: "a comment in backquotes holding an escaped backquote", src: "`#\\```\\`\\``\n", min: 2, max: 2},
		// A backslash left before a backquote escapes nothing in a comment: #\\` ends there.
		{name: "a comment in backquotes ending after an escaped backslash", src: "`#\\\\``\\`\\``\n", min: 2, max: 2},
		// In backquotes \\ is one backslash: \\& escapes the &, and the # after it is a letter.
		{name: "a # after a byte escaped in backquotes", src: "`\\\\&#\\`\\``\n", min: 2, max: 2},
		{name: "a # after a backquote escaped in backquotes", src: "`\\\\`#\\`\\``\n", min: 2, max: 2},
		// A coproc's first word may be its name, even one that looks like a closer.
		{name: "groups in coprocesses named }", src: strings.Repeat("{ coproc } { ", 300) + "x" + strings.Repeat("; } }", 300) + "\n", over: true},
		{name: "an index after an assignment and a command is an argument's", src: "A=$0 cmd B[1" + strings.Repeat("/1", 1000) + "]=x\n", min: 0, max: 3},
		// In a test a # is a comment only after a blank: (# and &&# are words.
		{name: "deep test chain after a # in a test's group", src: "[[ (#" + strings.Repeat("&&0", 1000) + ") ]]\n", over: true},
		{name: "a comment after a blank in a test", src: "[[ a #" + strings.Repeat("&&0", 1000) + "\n]]\n", min: 1, max: 3},
		{name: "an argument's index after a redirection is no assignment", src: "echo >$0 B[1" + strings.Repeat("/1", 1000) + "]=x\n", over: false},
		{name: "deep index in an expansion", src: "echo ${a[1" + strings.Repeat("<1", 1000) + "]}\n", over: true},
		{name: "deep element index", src: "a=([1" + strings.Repeat("%1", 1000) + "]=x)\n", over: true},
		{name: "deep declared index", src: "local a[1" + strings.Repeat("^1", 1000) + "]\n", over: true},
		{name: "deep let", src: "let x=1" + strings.Repeat("&1", 1000) + "\n", over: true},
		{name: "deep C-style for", src: "for ((i=1" + strings.Repeat("/1", 1000) + ";;)); do :; done\n", over: true},
		{name: "deep substitutions", src: "echo " + nestText("$(", "true", ")", 200000), over: true},
		{name: "deep groups", src: nestText("{ ", "true", "; }", 200000), over: true},
		{name: "deep arithmetic", src: "echo $((" + nestText("(", "1", ")", 100000) + "))\n", over: true},
		{name: "deep ifs", src: nestText("if true; then ", "true", "; fi", 50000), over: true},
		{name: "deep subshells", src: nestText("(", "true", ")", 1000), over: true},
		{name: "deep backquotes in strings", src: "echo \"" + nestText("$(echo \"", "x", "\")", 1000) + "\"", over: true},
		{name: "deep process substitution", src: "cat " + nestText("<(cat ", "x", ")", 1000), over: true},
		{name: "deep parameter expansion", src: "echo " + nestText("${x:-", "y", "}", 1000), over: true},
		{name: "unary chain in arithmetic", src: "echo $((" + strings.Repeat("!", 100000) + "1))", over: true},
		{name: "a long pipeline", src: strings.Repeat("a | ", 100000) + "a\n", over: true},
		{name: "a long && list", src: strings.Repeat("a && ", 100000) + "a\n", over: true},
		{name: "a long list over lines", src: strings.Repeat("a &&\n b ||\n # c\n d |\n", 30000) + "a\n", over: true},
		{name: "a long && list with redirections", src: strings.Repeat("a >&2 && b &>/dev/null && c |& d && ", 30000) + "a\n", over: true},
		{name: "elif chain", src: "if a; then b; " + strings.Repeat("elif c; then d; ", 1000) + "fi\n", over: true},
		{name: "deep case in case", src: nestText("case x in a) ", "true", ";; esac ", 1000), over: true},
		// A command named in, in a case item, is a command: only the in after the subject
		// starts the patterns.
		{name: "a command named in inside a case item", src: "case 0 in 0) in & case 1 in 1) $(a) ;; esac ;; esac\n", min: 3, max: 3},
		{name: "deep case in case behind commands named in", src: nestText("case x in a) in & ", "true", ";; esac ", 1000), over: true},
		{name: "deep tests", src: "[[ " + nestText("( ", "a", " )", 1000) + " ]]", over: true},
		{name: "deep negated tests", src: "[[ " + strings.Repeat("! ", 1000) + "a ]]", over: true},
		{name: "closers in quotes cannot undo nesting", src: strings.Repeat("$(echo ')' \")\" `)` \\) ", 1000), over: true},
		{name: "case patterns cannot undo nesting", src: strings.Repeat("$(case x in a) ", 1000), over: true},
		{name: "stray closers cannot undo nesting", src: strings.Repeat("{ echo fi done esac ]] '}' \\) ; ", 1000), over: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, line := shellDepth(tc.src, 256)
			if tc.over {
				if d <= 256 {
					t.Fatalf("depth %d: a file mvdan.cc/sh nests deeper than 256 passes", d)
				}
				if line < 1 {
					t.Errorf("line %d", line)
				}
				return
			}
			if d < tc.min || d > tc.max {
				t.Errorf("depth %d, want %d to %d", d, tc.min, tc.max)
			}
		})
	}
}

// astLevels is the deepest nesting of the nodes shellDepth counts as levels, measured on the
// parsed tree: an upper bound must never be below it.
func astLevels(f *syntax.File) int {
	return treeDepth(f, func(n syntax.Node) int {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Short {
			return 0 // $x is a leaf, not a level
		}
		switch n.(type) {
		case *syntax.CmdSubst, *syntax.Subshell, *syntax.Block, *syntax.IfClause, *syntax.WhileClause,
			*syntax.ForClause, *syntax.CaseClause, *syntax.ArithmExp, *syntax.ArithmCmd, *syntax.ParenArithm,
			*syntax.TestClause, *syntax.ParenTest, *syntax.ParamExp, *syntax.ProcSubst, *syntax.DblQuoted,
			*syntax.FuncDecl, *syntax.TimeClause, *syntax.CoprocClause,
			*syntax.BinaryArithm, *syntax.UnaryArithm, *syntax.BinaryTest, *syntax.UnaryTest:
			return 1
		}
		return 0
	})
}

// treeDepth is the deepest sum of level(n) over the nodes on a path from the root of f.
func treeDepth(f *syntax.File, level func(syntax.Node) int) int {
	deepest := 0
	var visit func(n syntax.Node, d int)
	visit = func(n syntax.Node, d int) {
		d += level(n)
		deepest = max(deepest, d)
		syntax.Walk(n, func(c syntax.Node) bool {
			if c != n && c != nil {
				visit(c, d)
			}
			return c == n
		})
	}
	visit(f, 0)
	return deepest
}

// checkDepthBound parses src and holds shellDepth to FuzzShellDepth's two properties: the
// count is never below the parsed tree's levels, and whatever the kinds of node, the tree
// the readers walk by recursion is at most a bounded number of nodes deep per level
// counted (a list's operators are a level every eight, two nodes each), so a construct
// that nests without being counted at all fails once it repeats a few times. It reports
// whether src parsed.
func checkDepthBound(t *testing.T, src string) bool {
	t.Helper()
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return false
	}
	got, _ := shellDepth(src, 1<<30)
	if want := astLevels(file); got < want {
		t.Errorf("shellDepth %d below the parsed tree's %d levels for %q", got, want, src)
	}
	if want := astLevels(file); want > len(src) {
		// checkShell lets a text no longer than the limit through unscanned.
		t.Errorf("the parsed tree has %d levels in %d bytes for %q", want, len(src), src)
	}
	if deep := astDepth(file); deep > 20*(got+1) {
		t.Errorf("the parsed tree is %d nodes deep, shellDepth %d levels, for %q", deep, got, src)
	}
	return true
}

// nestings are the ways shell nests, each written as what opens and what closes it (empty
// when the statement that follows is nested): TestShellDepthNestings crosses them.
var nestings = [][2]string{
	{"$(", ")"}, {"`", "`"}, {"(", ")"}, {"{ ", "; }"}, {"if a; then ", "; fi"}, {"while a; do ", "; done"},
	{"until a; do ", "; done"}, {"for i in a; do ", "; done"}, {"select i in a; do ", "; done"},
	{"case a in b) ", ";; esac"}, {"if a; then :; elif ", "; fi"}, {"f() { ", "; }"}, {"function f { ", "; }"},
	{"f()\n{ ", "; }"}, {"time ", ""}, {"coproc ", ""}, {"! ", ""}, {"a && ", ""}, {"a || ", ""}, {"a | ", ""},
	{"a |& ", ""}, {"a >&2 && ", ""}, {"a &&\n", ""}, {"\"$(", ")\""}, {"${a:-", "}"}, {"\"${a:-", "}\""},
	{"${a/", "/b}"}, {"${a#", "}"}, {"${!", "}"}, {"${#", "}"}, {"${a[", "]}"}, {"${a:", "}"}, {"$((", "))"},
	{"((", "))"}, {"$[", "]"}, {"$(( 1 + ", " ))"}, {"$(( -", " ))"}, {"(( a ? ", " : 1 ))"}, {"let x=1+", ""},
	{"a[1+", "]=x"}, {"declare -a a[", "]=1"}, {"local a[", "]"}, {"a=([0]=", ")"}, {"x=$(", ")"}, {"a=(", ")"},
	{"<(", ")"}, {">(", ")"}, {"[[ ( ", " ) ]]"}, {"[[ ! ", " ]]"}, {"[[ a && ", " ]]"}, {"[[ -n $(", ") ]]"}, {"[[ -n \"$(", ")\" ]]"}, {"if [[ -z $(", ") ]]; then :; fi"},
	{"cat <<E\n$(", ")\nE\n"}, {"echo $'a' $(", ")"}, {"echo $\"", "\""}, {"eval \"", "\""}, {"@(", ")"},
	{"\"`", "`\""}, {"$\"$(", ")\""}, {"cat <<<$(", ")"}, {"${a:-\"$(", ")\"}"}, {"case a in (b) ", ";; esac"},
	{"for ((;;)) do ", "; done"}, {"[[ a =~ $(", ") ]]"}, {"a=( $(", ") )"}, {"${ ", "; }"}, {"${|", "; }"},
	{"a=$[ 1 + ", " ]"}, {"b=${a[$((", "))]}"}, {"cat <<-E\n\t$(", ")\n\tE\n"}, {"`echo \\`", "\\``"},
	{"case a in b|c) ", ";; esac"}, {"${a:-`", "`}"}, {"x=( [1]=$(", ") )"}, {"a=$(( b[", "] ))"},
	{"a |\n", ""}, {"a ||\n# c\n", ""}, {"time -p ", ""}, {"coproc c { ", "; }"}, {"f() (", ")"},
	{"for i do ", "; done"}, {"select i do ", "; done"}, {"let x=1+(", ")"}, {"let x=$(a; b)+(", ")"},
	{"declare a=$(b; c) d[1+", "]=1"}, {"let x=1 <<E\n$(", ")\nE\n"},
	{"cat > >(", ")"}, {"a+=(", ")"}, {"x=${a[@]:", "}"}, {"case $(", ") in a) ;; esac"}, {"for x in $(", "); do :; done"},
	{"while read; do :; done < <(", ")"}, {"if ! ", "; then :; fi"}, {"{ ", "; } 2>&1 | cat"}, {"$((a[$(", ")]))"},
	{"x=$(<", ")"}, {"echo ${a@Q} $(", ")"}, {"[[ $(", ") ]]"}, {"exec 3< <(", ")"}, {"a=${b:-$(", ")}"},
	{"\"${a[", "]}\""}, {"\"$((", "))\""}, {"\"`echo \\\"", "\\\"`\""}, {"$( (", ") )"}, {"case a in *) ", ";; esac"},
	{"case a in\n b)\n ", "\n;;\nesac"}, {"if a\nthen\n", "\nfi"}, {"f() {\n", "\n}"}, {"echo \"${a:-\"$(", ")\"}\""},
	{"[[ a == @(", ") ]]"}, {"echo !(", ")"}, {"`echo \\$(", ")`"}, {"`echo \\${a:-", "}`"}, {"`echo \\\\' $(", ") \\\\'`"},
	{"`echo \\`echo \\\\$(", ")\\``"}, {"\"`echo \\\"$(", ")\\\"`\""}, {"case a in b) in & ", ";; esac"},
	{"echo a\\;#$(", ")"}, {"cat <<''E\n$(", ")\nE\n"}, {"A= B[1+", "]=x"}, {"0=[ B[1+", "]=x"}, {">0 B[1+", "]=x"}, {">$0 B[1+", "]=x"}, {">\"$f\" $(", ")"}, {"[[ (#&&", ") ]]"}, {"A=$0 B[1+", "]=x"}, {"0=[$x B[1+", "]=y"}, {"0=[$x $(", ")"}, {"\\0=[ B[1+", "]=x"}, {"a\\b=[x B[1+", "]=y"}, {"\\0=[ $(", ")"}, {"A[0]=$ B[1+", "]=x"}, {"A[0]=$ B=$(", ")"}, {"A[$]= B[1+", "]=x"}, {"A[$]= B=$(", ")"}, {"`#\\`` $(", ")"}, {"`#\\\\` $(", ")"}, {"A[0]=\"$x\" B=\"$(", ")\""}, {"a\\b=[x $(", ")"}, {"\\0=[ x $(", ")"}, {"a\\b=[x \"$(", ")\""}, {"{ coproc } { ", "; } }"}, {"if coproc fi { ", "; }; then :; fi"}, {"A=\"$0\" $(", ")"}, {"[[ -n $(", ") ]]"}, {"[[ -n \"$(", ")\" ]]"}, {"if [[ -z $(", ") ]]; then :; fi"}, {"2>&1 <<<$(", ")"},
}

// TestShellDepthNestings crosses every two ways of nesting, three deep and twenty-five deep
// in turn: the count is never below the levels of the parsed tree, and the tree is never
// far deeper than the count (FuzzShellDepth's two properties, on the constructs the
// fuzzer took longest to find).
func TestShellDepthNestings(t *testing.T) {
	parsed := 0
	for _, a := range nestings {
		for _, b := range nestings {
			for _, n := range []int{3, 25} {
				src := strings.Repeat(a[0]+b[0], n) + "x" + strings.Repeat(b[1]+a[1], n) + "\n"
				if checkDepthBound(t, src) {
					parsed++
				}
			}
		}
	}
	if parsed < len(nestings)*len(nestings) {
		t.Errorf("only %d of the %d texts parse: the list of nestings has gone wrong", parsed, 2*len(nestings)*len(nestings))
	}
	// Three at a time, a fixed sample: 20,000 texts, of which about half parse.
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 20000; k++ {
		a, b, c := nestings[rng.IntN(len(nestings))], nestings[rng.IntN(len(nestings))], nestings[rng.IntN(len(nestings))]
		n := 1 + rng.IntN(4)
		src := strings.Repeat(a[0]+b[0]+c[0], n) + "x" + strings.Repeat(c[1]+b[1]+a[1], n) + "\n"
		checkDepthBound(t, src)
	}
}

// astDepth is the depth of the parsed tree, every node a level.
func astDepth(f *syntax.File) int {
	return treeDepth(f, func(n syntax.Node) int {
		if n == syntax.Node(f) {
			return 0 // the file is the root, not a level
		}
		return 1
	})
}

// TestCheckShellNUL: the parser reads past a NUL byte ("i\x00f" is if, "$\x00{" opens an
// expansion) and yet decides !(\x00) by the raw bytes, so a text holding one is refused,
// at its line, before the nesting scan and the parser see it.
func TestCheckShellNUL(t *testing.T) {
	for _, src := range []string{"echo a\ni\x00f true; then echo; fi\n", "echo a\necho " + nestText("$\x00{x:-", "", "}", 3) + "\n", "true\n!(\x00)#$($())\n"} {
		var se *shellError
		if err := checkShell(src); !errors.As(err, &se) || se.line != 2 || !strings.Contains(se.msg, "NUL byte") {
			t.Errorf("checkShell(%q) = %v, want a shell error at line 2 naming the NUL byte", src, err)
		}
	}
	if err := checkShell("echo a\n"); err != nil {
		t.Errorf("checkShell of plain text: %v", err)
	}
}

// FuzzShellDepth checks that shellDepth is an upper bound on the nesting mvdan.cc/sh
// builds, whatever the text: a text that fools it would reach the parser unchecked.
func FuzzShellDepth(f *testing.F) {
	seedFiles(f, ".sh", ".bash", ".j2")
	for _, s := range []string{
		"echo $(a $(b))\n", "cat <<E\n$(x)\nE\n", "x=$(case a in b) c;; esac)\n", "echo \"${a:-'$(b)'}\"\n",
		"echo $(( (1) ))\n", "[[ ( a ) && ! b ]]\n", "f() { g; }\n", "let x=1<<2\n(a)\n", "if a; then b; elif c; then d; else e; fi\n",
		"echo `a \\`b\\``\n", "cat <(a) >(b)\n", "for i in a b; do (c); done\n",
		"time -p coproc a f() x\n",
	} {
		f.Add([]byte(s))
	}
	for _, n := range nestings {
		f.Add([]byte(n[0] + n[0] + "x" + n[1] + n[1] + "\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		src := string(data)
		if strings.IndexByte(src, 0) >= 0 {
			return // checkShell refuses a NUL byte before shellDepth runs (TestCheckShellNUL)
		}
		checkDepthBound(t, src)
	})
}

func TestFileBudget(t *testing.T) {
	playbook := []byte("- hosts: all\n  tasks:\n" + strings.Repeat("    - name: install\n      apt: name=nginx state=present\n    - service: name=nginx state=started enabled=yes\n", 5000))
	full, _, verdict := readFilePacked(context.Background(), "site.yml", "", "", playbook, 1<<24, "", true)
	if verdict != verdictRead || full == nil {
		t.Fatalf("verdict %d: the playbook is not read", verdict)
	}
	t.Run("a cancelled scan stops the readers", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res, _, _ := readFilePacked(ctx, "site.yml", "", "", playbook, 1<<24, "", true)
		if res != nil && len(res.facts()) >= len(full.facts()) {
			t.Errorf("%d facts read after the scan was cancelled, as many as without (%d)", len(res.facts()), len(full.facts()))
		}
	})
	t.Run("out of time is a gap", func(t *testing.T) {
		defer func(d time.Duration) { fileTime = d }(fileTime)
		fileTime = time.Nanosecond
		_, gaps, verdict := readFilePacked(context.Background(), "site.yml", "", "", playbook, 1<<24, "", true)
		if verdict != verdictFailed {
			t.Errorf("verdict %d: a file read only in part is not a failure", verdict)
		}
		found := false
		for _, g := range gaps {
			if g.Path == "site.yml" && g.Kind == inventory.GapLimit && strings.Contains(g.Message, "time budget limit") {
				found = true
			}
		}
		if !found {
			t.Errorf("no time budget gap: %+v", gaps)
		}
	})
}

// TestYAMLDepthWithoutAliases checks the walk that lets a document without aliases skip
// limits.YAML: a document as deep as the limit is read, one level deeper is refused with
// the line limits.YAML gives, as is one with aliases.
func TestYAMLDepthWithoutAliases(t *testing.T) {
	// A document, a mapping, levels-3 nested flow sequences and a scalar: levels in all.
	nested := func(levels int) string {
		return "x: " + strings.Repeat("[", levels-3) + "1" + strings.Repeat("]", levels-3) + "\n"
	}
	for _, tc := range []struct {
		name, text string
		refused    bool
	}{
		{"at the limit", nested(limits.Depth), false},
		{"one level deeper", nested(limits.Depth + 1), true},
		{"deeper, on line 3", "a: 1\nb: 2\n" + nested(limits.Depth+5), true},
		{"aliases", "a: &x [1, 2]\nb: *x\n", false},
		{"an alias that holds itself", "a: &x [1, *x]\n", true},
	} {
		docs, err := parseYAML(tc.text)
		var want error
		for _, d := range docs {
			if want == nil {
				want = limits.YAML(d, limits.Depth, limits.Nodes)
			}
		}
		var ye *yamlError
		switch {
		case tc.refused && (!errors.As(err, &ye) || ye.limit == nil):
			t.Errorf("%s: %v, want a limit", tc.name, err)
		case !tc.refused && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.refused && want != nil:
			t.Errorf("%s: read, but limits.YAML says %v", tc.name, want)
		}
	}
	// The line is the one limits.YAML gives for the same document.
	var n yaml.Node
	text := "a: 1\nb: 2\n" + nested(limits.Depth+5)
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		t.Fatal(err)
	}
	want := limits.YAML(&n, limits.Depth, limits.Nodes).(*limits.Error)
	_, err := parseYAML(text)
	var ye *yamlError
	if !errors.As(err, &ye) || ye.line != want.Line || ye.limit == nil || ye.limit.Error() != want.Error() {
		t.Errorf("refused with %v, want %v", err, want)
	}
}

// writtenNodes counts a document's nodes as written and its depth as limits.YAML does (the
// document is level 1), however wide or deep it is.
func TestWrittenNodes(t *testing.T) {
	wide := "[" + strings.Repeat("1, ", 999) + "1]\n"
	for _, tc := range []struct {
		name, text string
		nodes      int64
		deepest    int
		aliases    bool
	}{
		{"mapping", "a: [1, 2]\nb: {c: 3}\n", 10, 4, false},
		{"a thousand items", wide, 1002, 3, false},
		{"forty levels", nestText("[", "1", "]", 40), 42, 42, false},
		{"an alias", "a: &x [1]\nb: *x\n", 7, 4, true},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tc.text), &doc); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n, deepest, aliases := writtenNodes(&doc)
		if n != tc.nodes || deepest != tc.deepest || aliases != tc.aliases {
			t.Errorf("%s: %d nodes, %d deep, aliases %v; want %d, %d, %v", tc.name, n, deepest, aliases, tc.nodes, tc.deepest, tc.aliases)
		}
	}
}
