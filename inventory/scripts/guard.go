package scripts

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

// The parsers behind the readers recurse once per level of nesting (mvdan.cc/sh, hclsyntax,
// hcl/json, this package's JSON reader) or follow YAML aliases wherever they lead (the
// Ansible reader), so a few hundred kilobytes of brackets overflow the stack and a couple of
// kilobytes of aliases never finish. Every text is checked first, in linear time and
// without recursion (internal/limits, and shellDepth below for shell): over a limit, the
// text becomes one gap of kind "limit" naming the file, the line and the limit, is not
// parsed, and the scan goes on with the next file. A file also has a time budget, which the
// readers' long loops look at, and the scan's context ends it as soon as it is cancelled.

// fileTime is how long the readers may spend on one file. The largest honest file (10 MB
// of shell) is read in well under a second. A variable so that a test can shorten it.
var fileTime = 10 * time.Second

// limitError is a text refused by a limits check before it was parsed. line is the file
// line the limit was crossed on (0 when unknown), already placed by the reader that knew
// where the text sits in the file.
type limitError struct {
	line int
	err  *limits.Error
}

func (e *limitError) Error() string { return limitText(e.err) }
func (e *limitError) Unwrap() error { return e.err }

// limitText is a limit's message without the line, which the gap carries.
func limitText(le *limits.Error) string {
	return le.Detail + ": over the " + le.Limit + " limit"
}

// atFileLine places an error of a check made before parsing at a file line, given how the
// text's lines map to the file's: a limits error becomes a limitError, a shellError (a
// text no parser should see) moves to the file's line; anything else is returned as it is.
func atFileLine(err error, fileLine func(textLine int) int) error {
	if se := (*shellError)(nil); errors.As(err, &se) {
		return &shellError{line: fileLine(se.line), msg: se.msg}
	}
	var le *limits.Error
	if !errors.As(err, &le) {
		return err
	}
	line := 0
	if le.Line > 0 {
		line = fileLine(le.Line)
	}
	return &limitError{line: line, err: le}
}

// gapKind is the kind of gap for a text a reader could not read: a limit, or a parse error.
func gapKind(err error) string {
	if limits.IsLimit(err) {
		return inventory.GapLimit
	}
	return inventory.GapParse
}

// problem is how a gap says what was wrong with a text: "is not valid shell: …" for a
// parse error, "not read: …" for a text over a limit, which may be perfectly valid.
func problem(what string, err error) string {
	var le *limits.Error
	if errors.As(err, &le) {
		return what + " not read: " + limitText(le)
	}
	return what + " is not valid shell: " + errMsg(err)
}

// shellGap records a gap for a shell text that could not be read; def is the line used when
// the error does not carry one.
func (d *doc) shellGap(err error, def int, what string) {
	line := def
	var se *shellError
	var le *limitError
	switch {
	case errors.As(err, &le) && le.line > 0:
		line = le.line
	case errors.As(err, &se):
		line = se.line
	}
	d.gap(gapKind(err), line, problem(what, err))
}

// stopped reports whether the file's time budget is spent or the scan cancelled, so that a
// long loop of a reader stops; it costs a counter increment most of the time. The reason
// is recorded once, as a gap, by the scan.
func (r *fileResult) stopped() bool {
	return r != nil && r.budget != nil && r.budget.Tick() != nil
}

// Kinds of nesting shellDepth keeps on its stack.
const (
	shCode         = iota // commands: the file, $( … ), ( … ), <( … )
	shBrace               // { …; }
	shKeyword             // if … fi, while/until/for/select … done
	shCase                // case … esac: a ) there ends a pattern, not a level
	shBacktick            // ` … `
	shDouble              // " … "
	shParam               // ${ … }
	shArith               // $(( … )) and (( … ))
	shArithParen          // ( … ) inside arithmetic
	shArithBracket        // $[ … ], the old form of arithmetic, and a[ … ] inside arithmetic
	shTest                // [[ … ]]
	shHeredoc             // the body of an unquoted here-document
)

type shFrame struct {
	kind int
	// chain counts the nodes the parser nests at this level for the expression being read:
	// every operator in arithmetic and in tests, the statement that time, coproc and a
	// function declaration take. It is an upper bound: operators the parser reads in a
	// loop are counted too, as the tree it builds from them is walked by recursion.
	chain int
	// ops counts the pipes, && and || of a command list at this level: the parser reads
	// them in a loop, but the tree it builds (and the walk over it) is as deep as the list
	// is long, so every eight are a level.
	ops int
	// elses counts the elif and else branches of an if frame: the parser nests each in the
	// one before.
	elses int
	// inner is the deepest level reached in the frame's expression so far: its own, its
	// chains' and its closed frames'. An operator's node is above it. reach is the deepest
	// reached anywhere in the frame, every statement of it: what it adds to the expression
	// around it when it closes.
	inner, reach int
	// closer is the keyword that ends a keyword frame ("fi", "done").
	closer string
	// outer is the state of the statement the frame opened in, back when it closes.
	outer stmtState
	// delim and dash describe a here-document frame: its terminating line, and whether
	// leading tabs are stripped (<<-).
	delim string
	dash  bool
	// pattern says a case frame is reading patterns: its words are not keywords. headed
	// says its in has been read: a later in is a command's word (case x in a) in & …).
	pattern, headed bool
	// escaped says a backquote frame was opened by \` inside backquotes.
	escaped bool
	// paren says a test frame is ( … ) in a test, which its ) closes.
	paren bool
	// array says a code frame holds an array's elements, a=( … ): an element may start
	// with an index, [ … ]=, which is arithmetic.
	array bool
	// inWord says the frame was opened inside a word — $( … ), $(( … )), <( … ), the index
	// of NAME[ … ]= — which goes on after it closes: a # right after is a letter, not a
	// comment, and after an index the assignment's value follows.
	inWord bool
	// cmd is whether a command's name could stand where an index frame opened: what the
	// index reads ($, a substitution) cannot take that place away from the assignment.
	cmd bool
}

// stmtState is what shellDepth knows of the statement being read.
type stmtState struct {
	inLet    bool // the arguments of let are arithmetic: << there is a shift
	inCoproc bool // in the statement of a coproc, whose first word may be a name
	// afterCoproc: the next word is coproc's first, maybe its name: { coproc } { x; } }
	// names the coprocess "}", which closes nothing.
	afterCoproc bool
	inDecl      bool // among the arguments of declare, local, export…: assignments
}

type heredoc struct {
	delim          string
	dash, expanded bool
}

// shellDepth is an upper bound on how deeply mvdan.cc/sh nests when it parses src, and on
// how deep the tree it builds is, which the readers walk by recursion: command
// substitutions, subshells, groups, compound commands, backquotes, quotes, parameter
// expansions, arithmetic and tests, each a level, and chains of operators and of
// statements (time, coproc, function declarations) the parser nests. It follows bash's
// quoting (single and double quotes, backslashes, comments, here-document bodies) so that a
// bracket in a string is not a level, and closes a level only on the closer of its own
// kind, so that a stray closer cannot hide real nesting. Where it cannot tell two readings
// apart it takes the one that counts more. It stops as soon as limit is passed and returns
// the depth reached and the (1-based) line.
func shellDepth(src string, limit int) (int, int) {
	// Frames start in an array of their own: an ordinary script nests a few levels, and
	// growing the stack from one frame cost a fifth of the scan.
	var frames [16]shFrame
	stack := append(frames[:0], shFrame{kind: shCode})
	extra := 0 // chains of every open frame, summed
	deepest, at := 0, 0
	cmdPos := true // at the start of a command, where keywords and { are words of the grammar
	var pending []heredoc
	var st stmtState // of the statement being read; a frame keeps its opener's
	push := func(f shFrame, i int) bool {
		f.outer = st
		switch f.kind {
		case shCode, shBrace, shBacktick, shKeyword, shCase:
			st = stmtState{} // commands of their own: $( … ), { …; }, if … fi
		}
		f.inner = len(stack) + extra
		f.reach = f.inner
		stack = append(stack, f)
		if f.inner > deepest {
			deepest, at = f.inner, i
		}
		return deepest > limit
	}
	pop := func() {
		if len(stack) > 1 {
			child := &stack[len(stack)-1]
			extra -= child.chain + child.elses
			st = child.outer // a ; in $( … ) ended its own statement, not the one around
			stack = stack[:len(stack)-1]
			parent := &stack[len(stack)-1]
			parent.inner = max(parent.inner, child.reach)
			parent.reach = max(parent.reach, child.reach)
		}
	}
	chain := func(i int) bool {
		top := &stack[len(stack)-1]
		top.chain++
		extra++
		// The operator's node sits above all of its expression read so far: (((1)))%1
		// is as deep as its parentheses and one more.
		top.inner = max(len(stack)-1+extra, top.inner+1)
		top.reach = max(top.reach, top.inner)
		if top.inner > deepest {
			deepest, at = top.inner, i
		}
		return deepest > limit
	}
	resetChain := func() {
		top := &stack[len(stack)-1]
		extra -= top.chain
		top.chain, top.ops = 0, 0
		top.inner = len(stack) - 1 + extra
	}
	listOp := func(i int) bool {
		top := &stack[len(stack)-1]
		if top.ops++; top.ops%8 != 0 {
			return false
		}
		return chain(i)
	}
	// toBody is where a function's body starts after its name or parentheses: the parser
	// reads past blank lines and comments to it, so the level the declaration opened must
	// not end at the newline. With here-documents pending, their bodies come first.
	toBody := func(i int) int {
		if len(pending) > 0 {
			return i
		}
		for i < len(src) {
			switch c := src[i]; {
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				i++
			case c == '#':
				for i < len(src) && src[i] != '\n' {
					i++
				}
			default:
				return i
			}
		}
		return i
	}
	// listGoesOn says the last token was &&, || or |: the list goes on past a newline (and
	// comments), the parser nesting each operator as on one line.
	listGoesOn := false
	wordGoesOn := -1 // the index after a frame opened inside a word closed
	// cmdWordAt is where a word that began where a command starts goes on after an escape
	// (\0=[, a\b=[x): the parser reads such a word as one literal, and takes it for an
	// assignment when it holds an = and a [ follows, whatever its name.
	cmdWordAt := -1
	lineOf := func(i int) int { return strings.Count(src[:min(i, len(src))], "\n") + 1 }
	// startBodies begins the here-documents whose operators are on the line that ended just
	// before i: a quoted one's body is skipped, an unquoted one's is read for expansions.
	startBodies := func(i int) (int, bool) {
		for len(pending) > 0 {
			h := pending[0]
			pending = pending[1:]
			if !h.expanded {
				if end, closed := skipHeredoc(src, i, h.delim, h.dash); closed {
					i = end
					continue
				}
				// A quoted body no line closes is read as an unquoted one: the parser
				// expands some (<<''E with the text ending in E).
			}
			return i, push(shFrame{kind: shHeredoc, delim: h.delim, dash: h.dash}, i)
		}
		return i, false
	}

	// keeps are the words being read that keep the place of a command's name (redirWord),
	// innermost last: A=$(B=$0 C[1]=x) D[2]=y.
	var keepsArr [8]redirWord
	keeps := keepsArr[:0]
	keep := func() {
		if n := len(keeps); n == 0 || keeps[n-1].depth < len(stack) {
			keeps = append(keeps, redirWord{cmdPos: cmdPos, depth: len(stack)})
		}
	}
	i := 0
	for i < len(src) {
		top := &stack[len(stack)-1]
		c := src[i]
		for len(keeps) > 0 {
			k := keeps[len(keeps)-1]
			if len(stack) < k.depth {
				keeps = keeps[:len(keeps)-1] // the frame it was in closed: so did the word
				continue
			}
			if len(stack) == k.depth && (isShellSpace(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == ')' || c == '<' || c == '>') {
				// Before the case below reads the byte: a ; or a newline then starts a
				// command as it always does.
				cmdPos = k.cmdPos
				keeps = keeps[:len(keeps)-1]
			}
			break
		}
		if c == '\\' && len(stack) > 1 {
			if n, dquoted := backquoteLevels(stack); n > 0 {
				// In backquotes the parser drops backslashes before $, ` and \ (and " in
				// double quotes) first: \$ there is an expansion, and \\' an escaped
				// quote. A single \` is read below.
				j, left, dropped := backslashRun(src, i, n, dquoted)
				if j < len(src) && src[j] == '`' && j > i+1 {
					// A run before a backquote: the backquote is a letter when an odd
					// number of backslashes is left before it; it closes the innermost
					// backquotes when fewer than n were dropped right before it, and
					// opens backquotes inside them when n were (mvdan's backquoteEnd).
					switch {
					case left%2 == 1:
						i = j + 1
						// A letter: the word goes on, and a # right after it is one too.
						wordGoesOn, cmdPos = i, false
					case dropped < n:
						if top.kind == shBacktick {
							pop()
						}
						i = j + 1
						cmdPos = false
					default:
						if push(shFrame{kind: shBacktick, escaped: true}, j) {
							return deepest, lineOf(at)
						}
						i = j + 1
						cmdPos = true
					}
					continue
				}
				if j < len(src) && src[j] != '`' {
					runAt := i
					i = j
					if left%2 == 1 { // the byte after the run is escaped
						i++
						// The word goes on: a # right after the escaped byte is a letter,
						// as after \& outside backquotes (`\\&#…`: \\ is one backslash here).
						wordGoesOn = i
						if top.kind != shDouble && top.kind != shHeredoc {
							if cmdPos || runAt == cmdWordAt {
								cmdWordAt = i // the word goes on, as after an escape below
							}
							cmdPos = false
						}
					}
					continue
				}
			}
		}
		switch top.kind {
		case shHeredoc:
			if i == 0 || src[i-1] == '\n' {
				if end, ok := heredocEnd(src, i, top.delim, top.dash); ok {
					pop()
					var over bool
					if i, over = startBodies(end); over {
						return deepest, lineOf(at)
					}
					continue
				}
			}
			fallthrough
		case shDouble:
			if !quotedMeta[c] {
				// Text: only the bytes quotedMeta marks change anything in quotes or a
				// here-document body, and a newline is where a body may end.
				for i++; i < len(src) && !quotedMeta[src[i]]; i++ {
				}
				continue
			}
			switch {
			case c == '\\' && i+1 < len(src) && src[i+1] == '"' && top.kind == shDouble && dquotedBackquotes(stack):
				i++ // \" is " in backquotes inside double quotes: it closes these quotes
				continue
			case c == '\\':
				i += 2
				continue
			case c == '"' && top.kind == shDouble:
				pop()
				i++
				continue
			case c == '`':
				if push(shFrame{kind: shBacktick}, i) {
					return deepest, lineOf(at)
				}
				cmdPos = true
				i++
				continue
			case c == '$':
				n, over := dollar(src, i, true, push, &cmdPos)
				if over {
					return deepest, lineOf(at)
				}
				i = n
				continue
			}
			i++
			continue
		case shParam:
			switch c {
			case '\\':
				i += 2
				continue
			case '}':
				pop()
				i++
				continue
			case '(', '[', '!', '~', '-', '+', '=', '?', '*', '/', '%', '<', '>', '&', '|', '^', ':', ',':
				// ${a[i]} and ${v:1:2}: an index or an offset is arithmetic, where a
				// parenthesis, a bracket and an operator are each a level (see the
				// arithmetic frames). Counted as chains of the expansion, closed with it:
				// the same bytes in a pattern or a default (${v/(/x}, ${v:-a/b}) only
				// count a level more each.
				if chain(i) {
					return deepest, lineOf(at)
				}
			case '\'':
				// A quote, in double quotes too: the parser reads ${v:-'…'} and
				// ${v#'…'} as quoted words wherever the expansion is.
				i = skipSingle(src, i+1)
				continue
			case '"':
				if push(shFrame{kind: shDouble}, i) {
					return deepest, lineOf(at)
				}
				i++
				continue
			case '`':
				if push(shFrame{kind: shBacktick}, i) {
					return deepest, lineOf(at)
				}
				cmdPos = true
				i++
				continue
			case '$':
				n, over := dollar(src, i, false, push, &cmdPos)
				if over {
					return deepest, lineOf(at)
				}
				i = n
				continue
			}
			i++
			continue
		case shArith, shArithParen, shArithBracket:
			switch c {
			case '\\':
				i += 2
				continue
			case '(':
				if push(shFrame{kind: shArithParen}, i) {
					return deepest, lineOf(at)
				}
			case '[':
				if push(shFrame{kind: shArithBracket}, i) {
					return deepest, lineOf(at)
				}
			case ']':
				if top.kind == shArithBracket {
					if top.inWord {
						wordGoesOn = i + 1 // NAME[ … ]=value: the assignment goes on
						cmdPos = top.cmd   // and keeps the place it had (A[$]= B[…]=x)
					}
					pop()
				}
			case ')':
				closedCommand := false
				if top.kind == shArithParen {
					pop()
				} else {
					inWord := top.inWord
					closedCommand = top.kind == shArith && !inWord
					if i+1 < len(src) && src[i+1] == ')' {
						i++
					} // else $(( … ) ): not arithmetic after all; either way one level ends
					pop()
					if inWord {
						wordGoesOn = i + 1
					}
				}
				// After (( … )) and for (( … )) a keyword may follow (do, {, then, fi);
				// after $(( … )) the word goes on.
				cmdPos = closedCommand
			case '!', '~', '-', '+', '=', '?', '*', '/', '%', '<', '>', '&', '|', '^', ':', ',':
				// Every operator is a node of the expression: right-associative ones
				// nest as the parser recurses, left-associative ones (1/1/1, 1,1,1) in a
				// tree as deep, built in a loop but walked by recursion.
				if chain(i) {
					return deepest, lineOf(at)
				}
			case '"':
				if push(shFrame{kind: shDouble}, i) {
					return deepest, lineOf(at)
				}
			case '\'':
				i = skipSingle(src, i+1)
				continue
			case '`':
				if push(shFrame{kind: shBacktick}, i) {
					return deepest, lineOf(at)
				}
				cmdPos = true
			case '$':
				n, over := dollar(src, i, false, push, &cmdPos)
				if over {
					return deepest, lineOf(at)
				}
				i = n
				continue
			}
			i++
			continue
		}

		// Commands: the file, $( … ), ( … ), { …; }, compound commands, backquotes, tests.
		if st.inCoproc {
			// coproc NAME stmt: the parser reads a statement after the name, whatever the
			// name is written as, and no scan short of parsing tells a name from the
			// command's first word. Every word of the statement is taken as where a
			// command may start: a keyword among its arguments is only a level more.
			cmdPos = true
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '#' {
			listGoesOn = false // a command, or another token: the list did not end a line
		}
		switch c {
		case ' ', '\t', '\r':
			i++
			continue
		case '\n':
			i++
			st = stmtState{}
			if top.kind != shTest && !listGoesOn && len(pending) == 0 {
				// The statement ends here, unless its list goes on, or here-document
				// bodies follow: the parser puts them in the statement, under its time,
				// coproc and operators.
				resetChain()
			}
			cmdPos = true
			if top.kind == shCase && top.pattern {
				cmdPos = false
			}
			if len(pending) > 0 {
				var over bool
				if i, over = startBodies(i); over {
					return deepest, lineOf(at)
				}
			}
			continue
		case '#':
			// A comment where a word starts, right after a backquote that opens too; inside a
			// word (a#b, $(b)#c) it is a letter. In backquotes a comment ends at the next
			// backquote: the parser reads what they enclose before it reads the comment.
			// In a test ([[ … ]]) only a blank before it makes it a comment: (#, &&# and !#
			// are words there, as mvdan's lexer reads testExpr.
			if i != wordGoesOn && (i == 0 || isShellSpace(src[i-1]) && !inWordAt(src, i) ||
				top.kind != shTest && (src[i-1] == ';' || src[i-1] == '&' || src[i-1] == '|' || src[i-1] == '(' || src[i-1] == ')') && !escapedAt(src, i-1) ||
				src[i-1] == '`' && top.kind == shBacktick) {
				quoted := inBackquotes(stack)
			comment:
				for i < len(src) && src[i] != '\n' && !(quoted && src[i] == '`') {
					if quoted && src[i] == '\\' {
						// A run of backslashes before a backquote: the comment ends where the
						// backquote ends backquotes, fewer than n backslashes dropped right
						// before it (mvdan's backquoteEnd), and closes the innermost ones. A
						// backslash left before it escapes nothing in a comment: #\\` ends
						// there. One that would open backquotes inside is the comment's text.
						n, dq := backquoteLevels(stack)
						if j, _, dropped := backslashRun(src, i, n, dq); j < len(src) && src[j] == '`' {
							if dropped < n {
								if top.kind == shBacktick {
									pop()
								}
								i = j + 1
								cmdPos = false
								break comment
							}
							i = j + 1
							continue
						}
					}
					i++
				}
				continue
			}
		case '\\':
			if i+1 < len(src) && src[i+1] == '"' && dquotedBackquotes(stack) {
				i++ // \" is " in backquotes inside double quotes: it opens quotes
				continue
			}
			if i+1 < len(src) && src[i+1] == '`' && inBackquotes(stack) {
				// \` inside backquotes opens or closes backquotes nested in them.
				if top.kind == shBacktick && top.escaped {
					pop()
					cmdPos = false
				} else {
					if push(shFrame{kind: shBacktick, escaped: true}, i) {
						return deepest, lineOf(at)
					}
					cmdPos = true
				}
				i += 2
				continue
			}
			if cmdPos || i == cmdWordAt {
				cmdWordAt = i + 2
			}
			i += 2
			cmdPos = false
			continue
		case '\'':
			i = skipSingle(src, i+1)
			cmdPos = false
			continue
		case '"':
			if push(shFrame{kind: shDouble}, i) {
				return deepest, lineOf(at)
			}
			i++
			cmdPos = false
			continue
		case '`':
			if top.kind == shBacktick && !top.escaped {
				pop()
				cmdPos = false
			} else {
				if push(shFrame{kind: shBacktick}, i) {
					return deepest, lineOf(at)
				}
				cmdPos = true
			}
			i++
			continue
		case '$':
			n, over := dollar(src, i, false, push, &cmdPos)
			if over {
				return deepest, lineOf(at)
			}
			i = n
			continue
		case ';':
			i++
			if top.kind == shCase && i < len(src) && (src[i] == ';' || src[i] == '&') {
				top.pattern = true // ;; ;& ;;& end a case item: patterns follow
				for i < len(src) && (src[i] == ';' || src[i] == '&') {
					i++
				}
				cmdPos = false
				resetChain()
				continue
			}
			if top.kind != shTest {
				resetChain()
			}
			st = stmtState{}
			cmdPos = true
			continue
		case '&', '|':
			if st.inLet && inWordAt(src, i) {
				// Inside a word of let, & and | are arithmetic (let x=1&1), each a level
				// as in the arithmetic frames; after a blank they end the command.
				if chain(i) {
					return deepest, lineOf(at)
				}
				i++
				continue
			}
			st.inLet, st.inDecl = false, false
			if c == '&' {
				st.inCoproc = false
			}
			if i+1 < len(src) && src[i+1] == c {
				// && and ||: a node per operator, of a test (the parser recurses) or of a
				// command list (the tree is as deep).
				over := false
				if top.kind == shTest {
					over = chain(i)
				} else {
					over = listOp(i)
				}
				if over {
					return deepest, lineOf(at)
				}
				i += 2
				cmdPos, listGoesOn = true, true
				continue
			}
			// A single | is a pipe, another operator of the list. A single & ends a
			// statement run in the background, or is part of a redirection (>&2, &>, |&)
			// that the list goes on after: the chain is not reset at it, which can only
			// count more.
			if c == '|' && top.kind != shTest {
				if listOp(i) {
					return deepest, lineOf(at)
				}
				listGoesOn = true
			}
			i++
			cmdPos = true
			continue
		case '(':
			if !st.inLet && extGlobAt(src, i) {
				// ?( … ) *( … ) +( … ) @( … ) !( … ): an extended glob, which the parser
				// reads as text up to the matching ) — quotes, # and $ included — inside
				// a word. Its parentheses are counted as levels, which it is not: more.
				// Among let's words +( is arithmetic, a sum and a group.
				open := 0
				for ; i < len(src); i++ {
					if src[i] == '(' {
						open++
						if push(shFrame{kind: shCode}, i) {
							return deepest, lineOf(at)
						}
					} else if src[i] == ')' {
						pop()
						if open--; open == 0 {
							i++
							break
						}
					}
				}
				wordGoesOn, cmdPos = i, false
				continue
			}
			// (( at the start of a command is arithmetic, one level for both; among let's
			// arguments, which are arithmetic already, each ( is a level of its own.
			if cmdPos && i+1 < len(src) && src[i+1] == '(' && top.kind != shTest && !st.inLet {
				if push(shFrame{kind: shArith}, i) {
					return deepest, lineOf(at)
				}
				i += 2
				continue
			}
			if top.kind == shCase && top.pattern {
				i++ // (a) pattern: its ( opens nothing
				continue
			}
			array := arrayAt(src, i)
			if j := skipBlanks(src, i+1); j < len(src) && src[j] == ')' && !array {
				// NAME ( ): a function declaration (a=( ) is an empty array). Its body is
				// a statement the parser nests in the declaration, compound or not: a() a()
				// … x is as deep as it is long. A level, as a chain of the statement.
				if chain(i) {
					return deepest, lineOf(at)
				}
				i = toBody(j + 1)
				cmdPos = true
				continue
			}
			if st.inLet {
				// ( … ) among let's words is arithmetic, blanks and all: read as in
				// $(( … )), where &&, | and < are operators.
				if push(shFrame{kind: shArithParen}, i) {
					return deepest, lineOf(at)
				}
				i++
				continue
			}
			if top.kind == shTest {
				// ( … ) in a test groups an expression of the test: &&, || and ! in it
				// nest as they do outside it.
				if push(shFrame{kind: shTest, paren: true}, i) {
					return deepest, lineOf(at)
				}
				i++
				continue
			}
			if push(shFrame{kind: shCode, array: array}, i) {
				return deepest, lineOf(at)
			}
			i++
			cmdPos = true
			continue
		case ')':
			switch {
			case top.kind == shCase && top.pattern:
				top.pattern = false
			case top.kind == shCode && len(stack) > 1:
				if top.inWord {
					wordGoesOn = i + 1
				}
				pop()
			case top.kind == shTest && top.paren:
				pop()
			}
			i++
			cmdPos = true // f() { …; }: a compound command follows
			continue
		case '<', '>':
			if st.inLet && inWordAt(src, i) {
				// let x=1<1, let x=1<<2: arithmetic, a level each (see & and |).
				if chain(i) {
					return deepest, lineOf(at)
				}
				i++
				continue
			}
			if c == '<' && i+2 < len(src) && src[i+1] == '<' && src[i+2] == '<' {
				// <<< word: a here-string, whose word is read like any other; its second
				// < must not be taken for a here-document's <<. A plain word is the
				// redirection's, and leaves the place of a command's name as it was.
				var read bool
				if i, read = redirTarget(src, i+3); read {
					keep()
				}
				continue
			}
			// (Among let's words a < inside a word was taken above: one after a blank is
			// a redirection, and << a here-document, as for any command.)
			if c == '<' && i+2 < len(src) && src[i+1] == '<' && src[i+2] != '<' && top.kind != shTest {
				h, n := heredocOp(src, i+2)
				if strings.Contains(src[i+2:n], "\"") {
					// A double-quoted delimiter is a quoted word in the tree: one level.
					if push(shFrame{kind: shDouble}, i) {
						return deepest, lineOf(at)
					}
					pop()
				}
				pending = append(pending, h)
				i = n
				continue
			}
			if i+1 < len(src) && src[i+1] == '(' {
				// <( … ) and >( … ): a process substitution, a level like $( … ).
				if push(shFrame{kind: shCode, inWord: true}, i) {
					return deepest, lineOf(at)
				}
				i += 2
				cmdPos = true
				continue
			}
			// A redirection (> f, >> f, 2>&1, &> f): its target is no command's name, and
			// assignments may still follow it (>0 A[1%2]=x).
			j := i + 1
			for j < len(src) && (src[j] == '>' || src[j] == '&' || src[j] == '|') {
				j++
			}
			var read bool
			if i, read = redirTarget(src, j); read {
				keep()
			}
			continue
		}

		// A word.
		start := i
		for i < len(src) && !isShellMeta(src[i]) {
			i++
		}
		if i == start {
			i++ // a character no case above takes: one byte on
			continue
		}
		word := src[start:i]
		if i < len(src) && (src[i] == '<' || src[i] == '>') && allDigits(word) {
			continue // 2>err: the descriptor of a redirection, no command's name
		}
		wholeWord := i == len(src) || isShellSpace(src[i]) || src[i] == ';' || src[i] == '&' || src[i] == '|' || src[i] == ')' || src[i] == '(' || src[i] == '\n' || src[i] == '<' || src[i] == '>' ||
			src[i] == '`' && inBackquotes(stack) // `… done`: the backquote ends what it encloses
		if start == cmdWordAt {
			// The rest of a word begun where a command starts, after an escape: with an =
			// it is an assignment (the parser takes \0=[ for one), and a command's name or
			// another assignment may still follow it, as after A=x.
			cmdWordAt = -1
			if strings.IndexByte(word, '=') >= 0 {
				cmdPos = true
				if !wholeWord {
					keep()
				}
			} else if !wholeWord {
				cmdWordAt = i
			}
			continue
		}
		if top.kind != shTest && !(top.kind == shCase && top.pattern) {
			// NAME[ … ] where an assignment may be (where a command starts, among declare's
			// arguments) and [ … ] starting an array's element: the parser reads the index
			// as arithmetic up to its ], blanks, < and parentheses included. Read here as
			// arithmetic too, from the [.
			if n := indexAt(word, cmdPos || st.inDecl, top.array); n >= 0 {
				if push(shFrame{kind: shArithBracket, inWord: true, cmd: cmdPos}, start+n) {
					return deepest, lineOf(at)
				}
				i = start + n + 1
				continue
			}
			if start == wordGoesOn && (strings.HasPrefix(word, "=") || strings.HasPrefix(word, "+=")) {
				// The value of NAME[ … ]=: a command may still follow, and when the value goes
				// on ($x, quotes, even a lone $) it keeps that place as A=$x does.
				if cmdPos && !wholeWord {
					keep()
				}
				continue
			}
		}
		if st.inLet {
			// let's words are arithmetic: each operator is a level (see the arithmetic
			// frames).
			for k := 0; k < len(word); k++ {
				if arithOp[word[k]] && chain(start+k) {
					return deepest, lineOf(at)
				}
			}
		}
		if top.kind == shBrace && top.inWord && cmdPos && word[0] == '}' {
			// } closes ${ cmd; } where a command starts, even with more of the word
			// after it (${ a; }b): the word the substitution is in goes on.
			pop()
			i = start + 1
			wordGoesOn, cmdPos = i, false
			continue
		}
		if top.kind == shCase && top.pattern {
			if word == "esac" && wholeWord {
				pop()
				cmdPos = false
			}
			continue
		}
		if top.kind == shCase && !top.headed && word == "in" && wholeWord {
			top.pattern, top.headed = true, true
			cmdPos = false
			continue
		}
		if top.kind == shTest {
			if word == "]]" && wholeWord {
				pop()
				cmdPos = false
			} else if word == "!" {
				if chain(start) {
					return deepest, lineOf(at)
				}
			}
			continue
		}
		if !cmdPos || !wholeWord {
			// Any word with an = is taken for an assignment, as below: the parser reads some
			// that are no name's (0=[$x is one).
			assign := strings.IndexByte(word, '=') > 0
			if cmdPos && !wholeWord {
				cmdWordAt = i // a\b=[x: the word goes on after the escape
			}
			if cmdPos && !wholeWord && assign {
				// A=$x, A="…": what the value reads ($, quotes) is the assignment's; where it
				// ends a command's name or another assignment may still follow (A=$0 B[1/1]=x).
				keep()
			}
			cmdPos = assign && cmdPos
			continue
		}
		named := st.afterCoproc
		st.afterCoproc = false
		switch word {
		case "if":
			if push(shFrame{kind: shKeyword, closer: "fi"}, start) {
				return deepest, lineOf(at)
			}
		case "while", "until", "for", "select":
			if push(shFrame{kind: shKeyword, closer: "done"}, start) {
				return deepest, lineOf(at)
			}
			cmdPos = word == "while" || word == "until"
			if j := skipBlanks(src, i); word == "for" && strings.HasPrefix(src[j:], "((") {
				// for (( …; …; … )): arithmetic, as (( … )) is.
				if push(shFrame{kind: shArith}, j) {
					return deepest, lineOf(at)
				}
				i = j + 2
			} else if word == "for" || word == "select" {
				// for NAME do …: do may follow the name, as in and ; may.
				for i = j; i < len(src) && !isShellMeta(src[i]); i++ {
				}
				cmdPos = true
			}
			continue
		case "declare", "local", "export", "readonly", "typeset", "nameref":
			st.inDecl = true
			cmdPos = false
			continue
		case "case":
			if push(shFrame{kind: shCase}, start) {
				return deepest, lineOf(at)
			}
			cmdPos = false
			continue
		case "{":
			if push(shFrame{kind: shBrace}, start) {
				return deepest, lineOf(at)
			}
		case "[[":
			// The test and the expression in it, a node below (a == b, -n a): a level
			// each; &&, || and ! nest more (chains of the test).
			if push(shFrame{kind: shTest}, start) || chain(start) {
				return deepest, lineOf(at)
			}
			cmdPos = false
			continue
		case "}":
			if top.kind == shBrace && !named {
				pop()
			}
			cmdPos = false
			continue
		case "fi", "done":
			if top.kind == shKeyword && top.closer == word && !named {
				pop()
			}
			cmdPos = false
			continue
		case "function":
			// function NAME { …; }: the body's brace comes after the name. The body is a
			// statement nested in the declaration, as after NAME ( ): a level.
			if chain(start) {
				return deepest, lineOf(at)
			}
			for i < len(src) && isShellSpace(src[i]) {
				i++
			}
			for i < len(src) && !isShellMeta(src[i]) {
				i++
			}
			i = toBody(i)
			continue
		case "elif", "else":
			if top.kind == shKeyword && top.closer == "fi" {
				top.elses++
				extra++
				if d := len(stack) - 1 + extra; d > deepest {
					deepest, at = d, start
					if deepest > limit {
						return deepest, lineOf(at)
					}
				}
			}
		case "let":
			st.inLet = true
			cmdPos = false
			continue
		case "time", "coproc":
			// Each takes a statement, which the parser nests in its own: time time … x
			// and coproc coproc … x are as deep as they are long. A level each, as a
			// chain of the statement; time's -p option comes before it.
			if chain(start) {
				return deepest, lineOf(at)
			}
			if word == "time" {
				if j := skipBlanks(src, i); strings.HasPrefix(src[j:], "-p") && (j+2 == len(src) || isShellMeta(src[j+2])) {
					i = j + 2
				}
			} else {
				st.inCoproc, st.afterCoproc = true, true
			}
		case "then", "do", "!":
		default:
			// A command's name: its arguments follow. An assignment is not one: more
			// assignments may follow it (A= B[1%2]=x), indexes and all. Any word with an =
			// is taken as one: the parser reads some that are no name's (0=[ is), and
			// reading on as if a command may start can only count more.
			cmdPos = strings.IndexByte(word, '=') > 0
			continue
		}
		cmdPos = true
	}
	return deepest, lineOf(at)
}

// dollar reads what follows a $ at i: $( opens commands, $(( arithmetic, ${ a parameter
// expansion, $'…' is a string; anything else is a plain expansion.
func dollar(src string, i int, quoted bool, push func(shFrame, int) bool, cmdPos *bool) (int, bool) {
	if i+1 >= len(src) {
		return i + 1, false
	}
	switch src[i+1] {
	case '(':
		if i+2 < len(src) && src[i+2] == '(' {
			return i + 3, push(shFrame{kind: shArith, inWord: true}, i)
		}
		*cmdPos = true
		return i + 2, push(shFrame{kind: shCode, inWord: true}, i)
	case '{':
		if i+2 < len(src) && (src[i+2] == ' ' || src[i+2] == '\t' || src[i+2] == '\n' || src[i+2] == '|') {
			// ${ cmd; } and ${|cmd; }: commands in braces (bash 5.3), which the parser reads
			// as a substitution that a } at the start of a command closes.
			*cmdPos = true
			return i + 3, push(shFrame{kind: shBrace, inWord: true}, i)
		}
		return i + 2, push(shFrame{kind: shParam}, i)
	case '[':
		// $[ … ]: arithmetic, as bash still accepts it.
		return i + 2, push(shFrame{kind: shArithBracket}, i)
	case '\'':
		if quoted {
			break // in double quotes $' is a dollar and a quote
		}
		// $'…' takes backslash escapes.
		j := i + 2
		for j < len(src) && src[j] != '\'' {
			if src[j] == '\\' {
				j++
			}
			j++
		}
		*cmdPos = false
		return j + 1, false
	}
	*cmdPos = false
	return i + 1, false
}

// extGlobAt reports whether the ( at i opens an extended glob as the parser reads one: after
// ? * + @ or ! that is not a parameter ($!, $?) or escaped, and not empty (!() is taken for
// a function).
func extGlobAt(src string, i int) bool {
	return i > 0 && strings.IndexByte("?*+@!", src[i-1]) >= 0 && (i < 2 || src[i-2] != '$' && src[i-2] != '\\') &&
		i+1 < len(src) && src[i+1] != ')'
}

// skipSingle is the index after the single quote that closes a string opened before i.
func skipSingle(src string, i int) int {
	for i < len(src) && src[i] != '\'' {
		i++
	}
	return i + 1
}

// heredocOp reads a here-document operator's word after << (at i): - for stripped tabs,
// then the delimiter, quoted or not. It returns the index after the word.
//
// The parser takes the body as quoted (not expanded) when the word's last part is: a
// quoted string, or a run of letters holding a backslash. <<""E and <<"E"OF expand their
// bodies, <<E"" and <<\EOF do not (mvdan.cc/sh's unquotedWordBytes keeps only the last
// part's answer); the scan reads them the same way.
func heredocOp(src string, i int) (heredoc, int) {
	h := heredoc{}
	if i < len(src) && src[i] == '-' {
		h.dash = true
		i++
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	var delim []byte
	lastQuoted, runEscaped := false, false // the last part a quoted string; the last run of letters holding a backslash
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\'' || c == '"':
			lastQuoted, runEscaped = true, false
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				delim = append(delim, src[j])
				j++
			}
			i = j + 1
			continue
		case c == '\\':
			lastQuoted, runEscaped = false, true
			if i+1 < len(src) {
				delim = append(delim, src[i+1])
			}
			i += 2
			continue
		case isShellMeta(c):
		default:
			lastQuoted = false
			delim = append(delim, c)
			i++
			continue
		}
		break
	}
	h.expanded = !lastQuoted && !runEscaped
	h.delim = string(delim)
	return h, min(i, len(src))
}

// heredocEnd reports whether the line at i ends a here-document, and where the next line
// starts.
func heredocEnd(src string, i int, delim string, dash bool) (int, bool) {
	j := i
	if dash {
		for j < len(src) && src[j] == '\t' {
			j++
		}
	}
	end := j
	for end < len(src) && src[end] != '\n' {
		end++
	}
	line := src[j:end]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if line != delim {
		return i, false
	}
	return min(end+1, len(src)), true
}

// skipHeredoc is the index after the terminating line of a body that starts at i, or the
// end of the text and false when no line terminates it. A terminating line the text ends
// on, without a newline, is taken as none, and the body read as expanded: the count can
// only be higher. (The parser's own reason for expanding <<""E bodies is the word's last
// part: see heredocOp.)
func skipHeredoc(src string, i int, delim string, dash bool) (int, bool) {
	for i < len(src) {
		if end, ok := heredocEnd(src, i, delim, dash); ok {
			if end == len(src) && src[len(src)-1] != '\n' {
				return len(src), false
			}
			return end, true
		}
		for i < len(src) && src[i] != '\n' {
			i++
		}
		i++
	}
	return len(src), false
}

func isShellSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// arithOp are the bytes that are operators in arithmetic, each a node of the expression.
var arithOp = [256]bool{'!': true, '~': true, '-': true, '+': true, '=': true, '?': true, '*': true, '/': true,
	'%': true, '<': true, '>': true, '&': true, '|': true, '^': true, ':': true, ',': true}

// indexAt is where an arithmetic index starts in a word, or -1: after NAME when the word
// may be an assignment (NAME[ … ]=), at the start of an array's element ([ … ]=).
func indexAt(word string, assignment, element bool) int {
	if element && word[0] == '[' {
		return 0
	}
	if !assignment {
		return -1
	}
	n := 0
	for n < len(word) && (word[n] == '_' || word[n] >= 'a' && word[n] <= 'z' || word[n] >= 'A' && word[n] <= 'Z' || n > 0 && word[n] >= '0' && word[n] <= '9') {
		n++
	}
	if n > 0 && n < len(word) && word[n] == '[' {
		return n
	}
	return -1
}

// arrayAt reports whether the ( at i opens an array's elements: it ends an assignment's
// word (a=, a+=). After a word that only looks like one (0=, a-b=) it is a function's.
func arrayAt(src string, i int) bool {
	j := i
	for j > 0 && !isShellMeta(src[j-1]) {
		j--
	}
	return i > 0 && src[i-1] == '=' && isAssignment(src[j:i])
}

// inWordAt reports whether the byte at i goes on a word: the byte before it is not a
// blank, or is one a backslash escapes.
func inWordAt(src string, i int) bool {
	return i > 0 && (!isShellSpace(src[i-1]) || i > 1 && src[i-2] == '\\')
}

// escapedAt reports whether the byte at j is escaped: an odd run of backslashes stands
// before it (\& goes on a word, so a # after it is a letter, not a comment).
func escapedAt(src string, j int) bool {
	n := 0
	for k := j - 1; k >= 0 && src[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

// redirTarget is where reading goes on after a redirection operator ending before i: past
// its target when that is a plain word (letters, digits, - . / : = and the like), which the
// scan then need not read as a command's name; at the target otherwise (a quote, an
// expansion), which is read as any word is, and read says so.
func redirTarget(src string, i int) (next int, read bool) {
	i = skipBlanks(src, i)
	j := i
	for j < len(src) && !isShellMeta(src[j]) && src[j] != '#' && src[j] != '[' && src[j] != ']' {
		j++
	}
	if j < len(src) && !isShellSpace(src[j]) && src[j] != ';' && src[j] != '&' && src[j] != '|' && src[j] != ')' && src[j] != '<' && src[j] != '>' {
		return i, true // the word goes on with something the scan must read
	}
	return j, false
}

// redirWord is a word the scan reads on (its expansions, its quotes) that keeps the place
// of a command's name: a redirection's target ($f, "$dir"/x) or an assignment's value
// (A=$x). Where it ends, at a blank or an operator in the frame it started in, that place
// is what it was before the word (>$0 A[1/1]=x and A=$0 A[1/1]=x: A[…]= is still an
// assignment).
type redirWord struct {
	cmdPos bool
	depth  int
}

func allDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// skipBlanks is the index of the first byte at or after i that is not a blank: a space, a
// tab or a carriage return, which the parser reads as blanks.
func skipBlanks(src string, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
		i++
	}
	return i
}

// isShellMeta is a byte that ends an unquoted word. A table, not a switch: shellDepth asks
// it of nearly every byte of every script a scan reads.
func isShellMeta(c byte) bool { return shellMeta[c] }

// quotedMeta are the bytes shellDepth reads in double quotes and here-document bodies.
var quotedMeta = [256]bool{'\\': true, '"': true, '`': true, '$': true, '\n': true}

var shellMeta = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, ';': true, '&': true, '|': true,
	'(': true, ')': true, '<': true, '>': true, '\'': true, '"': true, '`': true, '$': true, '\\': true}

// isAssignment is a word of the form NAME=value, after which a command may still follow.
func isAssignment(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '=' || c == '+' && i+1 < len(w) && w[i+1] == '=':
			return i > 0
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return false
}

// checkShell checks a shell text before it is parsed.
func checkShell(src string) error {
	if i := strings.IndexByte(src, 0); i >= 0 {
		// The parser reads past a NUL byte, as bash does ("i\x00f" is if, "$\x00{" opens an
		// expansion), yet decides some constructs by the raw bytes around one (!(\x00) is an
		// extended glob): no scan can follow both. No script holds one; an escape a reader
		// decoded (YAML "\0", JSON "\u0000") can put one in a command.
		return &shellError{line: strings.Count(src[:i], "\n") + 1, msg: "a NUL byte, which no shell script holds"}
	}
	if len(src) <= limits.Depth {
		// Each level the parser nests is at least one byte of text: a text this short
		// cannot pass the limit, and is not scanned (most are: a -c string, a Packer
		// inline command, an Ansible shell task, a unit's ExecStart).
		return nil
	}
	if d, line := shellDepth(src, limits.Depth); d > limits.Depth {
		return &limits.Error{Limit: "nesting depth", Max: limits.Depth, Line: line,
			Detail: "nested deeper than " + strconv.Itoa(limits.Depth) + " levels"}
	}
	return nil
}

// checkPackerHCL checks a Packer template or variables file, native or JSON syntax, before
// hcl parses it. The file is read whole, so its lines are the file's.
func checkPackerHCL(src []byte, name string, jsonSyntax bool) error {
	var err error
	if jsonSyntax {
		err = limits.HCLJSON(src, name, limits.Depth, limits.Tokens)
	} else if !packerHCLShallow(src) || limits.MayHoldLargeNumber(src) {
		// A file the byte scans prove shallow, and without a number too large to render,
		// is not lexed twice (hcldepth.go, limits.MayHoldLargeNumber).
		err = limits.HCL(src, name, limits.Depth, limits.Tokens)
	}
	return atFileLine(err, func(l int) int { return l })
}

// notRegular records a named pipe, socket or device the walk found where a file was
// expected: it is never opened (opening a pipe waits for a writer, reading a device never
// ends). A name that is never a script's is counted as skipped, as a regular file of that
// name would be.
func (s *scanner) notRegular(ri int, rel, roleRoot string, mode fs.FileMode) {
	disp := s.display(ri, rel)
	if hint, _ := nameHint(disp, roleRoot); hint == "skip" {
		s.mu.Lock()
		s.stats.FilesSeen++
		s.stats.FilesSkipped++
		s.mu.Unlock()
		return
	}
	what := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeIrregular != 0:
		what = "an irregular file"
	}
	s.mu.Lock()
	s.stats.FilesSeen++
	s.stats.FilesFailed++
	s.mu.Unlock()
	s.addGap(inventory.CoverageGap{Path: disp, Kind: inventory.GapUnreadable, Message: what + ", not a regular file: not read"})
}

// openRegular opens a file the walk found regular, without waiting on it if it has since
// become a named pipe, and refuses it unless it is still a regular file.
func openRegular(p string) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: p, Err: errors.New("not a regular file")}
	}
	return f, nil
}

// backquoteLevels is how many backquotes are open on the stack, escaped ones nested in
// others included, and how many of them were opened right inside double quotes: in those
// the parser also drops a backslash before a double quote.
func backquoteLevels(stack []shFrame) (n, dquoted int) {
	for i := 1; i < len(stack); i++ {
		if stack[i].kind == shBacktick {
			n++
			if stack[i-1].kind == shDouble {
				dquoted++
			}
		}
	}
	return n, dquoted
}

// backslashRun reads a run of backslashes at i inside n levels of backquotes, dbl of them
// opened in double quotes, as mvdan.cc/sh's rune() takes it: for each character it takes,
// it first drops up to n backslashes that stand before a $, a ` or another backslash (up
// to dbl before a "). j is the index after the run, left how many of its backslashes were
// taken as backslashes (an odd number escapes the byte at j), and dropped how many were
// dropped right before that byte (mvdan's backquoteEnd counts them for a backquote).
func backslashRun(src string, i, n, dbl int) (j, left, dropped int) {
	j = i
	for j < len(src) && src[j] == '\\' {
		j++
	}
	if j == len(src) {
		return j, 0, 0
	}
	for p := i; p < j; {
		drops := 0
		for ; p < j; drops, p = drops+1, p+1 {
			next := src[p+1]
			if !(drops < n && (next == '\\' || next == '$' || next == '`') || drops < dbl && next == '"') {
				break
			}
		}
		if p == j {
			return j, left, drops // every backslash before the byte was dropped
		}
		left++ // a backslash taken
		p++
	}
	return j, left, 0
}

// innermostBackquotes is the index in stack of the innermost backquote frame, or 0 (the
// bottom frame is the text itself, never a backquote).
func innermostBackquotes(stack []shFrame) int {
	for i := len(stack) - 1; i > 0; i-- {
		if stack[i].kind == shBacktick {
			return i
		}
	}
	return 0
}

// inBackquotes reports a backquote frame open on the stack.
func inBackquotes(stack []shFrame) bool { return innermostBackquotes(stack) > 0 }

// dquotedBackquotes reports whether the innermost backquotes are inside double quotes,
// where the parser reads \" as " ("backquotes within double quotes also escape double
// quotes").
func dquotedBackquotes(stack []shFrame) bool {
	for j := innermostBackquotes(stack) - 1; j > 0; j-- {
		if stack[j].kind == shDouble {
			return true
		}
	}
	return false
}
