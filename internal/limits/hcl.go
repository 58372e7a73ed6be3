package limits

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// EstimateTokens is an upper bound on the number of tokens a parser of HCL, JSON or YAML
// makes of src, counted without allocating: every newline, every punctuation byte and
// every run of letters and digits is taken for a token, even inside comments and
// strings, where a parser makes fewer. It stops counting past max.
func EstimateTokens(src []byte, max int) int {
	n := 1 // the end of the file
	inWord := false
	for _, c := range src {
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			inWord = false
		case c == '\n':
			inWord = false
			n++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_':
			if !inWord {
				n++
				inWord = true
			}
		default:
			// Punctuation, and each byte of a character that is not ASCII.
			inWord = false
			n++
		}
		if n > max {
			return n
		}
	}
	return n
}

// OverTokens reports whether EstimateTokens(src, max) is over max. No byte makes more than
// one token, so a text of max bytes or fewer is not read: every file of ordinary size.
func OverTokens(src []byte, max int) bool {
	return len(src)+1 > max && EstimateTokens(src, max) > max
}

// tooManyTokens is the error for a file whose estimate is over max.
func tooManyTokens(max int) *Error {
	return &Error{Limit: "size", Max: int64(max), Detail: "more than " + itoa(max) + " tokens in one file"}
}

// HCL checks a native-syntax HCL configuration (a .tf, .tfvars, .hcl or .pkr.hcl file)
// before it is parsed: no more than maxTokens tokens, nested no deeper than maxDepth.
func HCL(src []byte, filename string, maxDepth, maxTokens int) error {
	return checkHCL(src, filename, maxDepth, maxTokens, modeConfig)
}

// HCLTemplate checks an HCL template (what templatefile() renders) before it is parsed.
func HCLTemplate(src []byte, filename string, maxDepth, maxTokens int) error {
	return checkHCL(src, filename, maxDepth, maxTokens, modeTemplate)
}

// HCLExpression checks a lone HCL expression (a type constraint written as a JSON string)
// before it is parsed.
func HCLExpression(src []byte, filename string, maxDepth, maxTokens int) error {
	return checkHCL(src, filename, maxDepth, maxTokens, modeExpression)
}

type lexMode int

const (
	modeConfig lexMode = iota
	modeTemplate
	modeExpression
)

func checkHCL(src []byte, filename string, maxDepth, maxTokens int, mode lexMode) error {
	if OverTokens(src, maxTokens) {
		return tooManyTokens(maxTokens)
	}
	toks := lex(src, filename, mode)
	if depth, line := tokenDepth(toks, mode, maxDepth); depth > maxDepth {
		return deepError(maxDepth, line)
	}
	if line := largeNumberIn(toks); line > 0 {
		return largeNumberError(line)
	}
	if line, n := longTemplateRun(toks, TemplateLines); line > 0 {
		return &Error{Limit: "template size", Max: TemplateLines, Line: line,
			Detail: "template text of " + itoa(n) + " lines in a row, more than the parser joins in time"}
	}
	return nil
}

// longTemplateRun finds the run of literal template tokens (a heredoc's lines, a rendered
// file's) that takes the file's runs, each counted as its length squared, past max lines
// squared: hclsyntax's meldConsecutiveStringLiterals joins a run in time quadratic in its
// length. It returns the line the run starts on and its length, or 0.
func longTemplateRun(toks hclsyntax.Tokens, max int) (line, n int) {
	budget := int64(max) * int64(max)
	var cost int64
	start := -1
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && (toks[i].Type == hclsyntax.TokenStringLit || toks[i].Type == hclsyntax.TokenQuotedLit) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			run := int64(i - start)
			if cost += run * run; cost > budget {
				return toks[start].Range.Start.Line, i - start
			}
			start = -1
		}
	}
	return 0, 0
}

// lex tokenizes src as hclsyntax does for mode. The lexer keeps its state on the heap,
// whatever the nesting; only the parser recurses.
func lex(src []byte, filename string, mode lexMode) hclsyntax.Tokens {
	var toks hclsyntax.Tokens
	switch mode {
	case modeConfig:
		toks, _ = hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	case modeTemplate:
		toks, _ = hclsyntax.LexTemplate(src, filename, hcl.InitialPos)
	default:
		toks, _ = hclsyntax.LexExpression(src, filename, hcl.InitialPos)
	}
	return toks
}

func deepError(max, line int) *Error {
	return &Error{Limit: "nesting depth", Max: int64(max), Line: line, Detail: "nested deeper than " + itoa(max) + " levels"}
}

// Kinds of nesting a tokenDepth frame opens.
const (
	frameBody     = iota // a configuration body: newlines end expressions
	frameBrace           // { … }: newlines end items, as in a body
	frameGroup           // ( … ) and [ … ]: newlines mean nothing
	frameTemplate        // a quoted string or a heredoc
	frameSequence        // ${ … } or %{ … } inside a template
)

type depthFrame struct {
	kind int
	// chain counts the operators, dots and postfix indexes of the expression being read at
	// this level: hclsyntax nests an expression node per operator (a + b + c is a tree as
	// deep as it is long, and so are ! ! ! x and a ? b : c ? d : e), and evaluating it
	// recurses as deep.
	chain int
	// directives counts the template directives open in a template (%{ if } %{ for }).
	directives int
}

// tokenDepth measures how deeply the tokens nest, counting every kind of nesting the
// parser and the evaluator recurse on, and returns the deepest level with the line it is
// reached on. It stops as soon as max is passed.
func tokenDepth(toks hclsyntax.Tokens, mode lexMode, max int) (int, int) {
	first := frameBody
	switch mode {
	case modeTemplate:
		first = frameTemplate
	case modeExpression:
		first = frameGroup
	}
	stack := []depthFrame{{kind: first}}
	extra := 0 // the chains and directives of every open frame, summed
	deepest, deepestLine := 0, 0
	prev := hclsyntax.TokenNil
	afterControl := false
	resetChain := func() {
		top := &stack[len(stack)-1]
		extra -= top.chain
		top.chain = 0
	}
	for _, t := range toks {
		top := &stack[len(stack)-1]
		switch t.Type {
		case hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOBrace,
			hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if t.Type == hclsyntax.TokenOBrack && endsValue(prev) {
				// x[i][j][k]: each index is a node around the last.
				top.chain++
				extra++
			}
			kind := frameGroup
			switch t.Type {
			case hclsyntax.TokenOBrace:
				kind = frameBrace
			case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
				kind = frameTemplate
			case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
				kind = frameSequence
			}
			stack = append(stack, depthFrame{kind: kind})
		case hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCBrace,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			if len(stack) > 1 {
				extra -= top.chain + top.directives
				stack = stack[:len(stack)-1]
			}
		case hclsyntax.TokenBang, hclsyntax.TokenMinus, hclsyntax.TokenPlus, hclsyntax.TokenStar,
			hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual,
			hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThan,
			hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenQuestion,
			hclsyntax.TokenDot, hclsyntax.TokenDoubleColon, hclsyntax.TokenEllipsis:
			top.chain++
			extra++
		case hclsyntax.TokenComma, hclsyntax.TokenEqual, hclsyntax.TokenFatArrow:
			// A new item or argument: its expression starts afresh. (A colon does not: the
			// false branch of a ? b : c nests.)
			resetChain()
		case hclsyntax.TokenNewline:
			if top.kind == frameBody || top.kind == frameBrace {
				resetChain()
			}
		case hclsyntax.TokenIdent:
			if afterControl && len(stack) > 1 {
				// The keyword of a directive: if and for open a level in the template around
				// the %{ … }, endif and endfor close one.
				tmpl := &stack[len(stack)-2]
				switch string(t.Bytes) {
				case "if", "for":
					tmpl.directives++
					extra++
				case "endif", "endfor":
					if tmpl.directives > 0 {
						tmpl.directives--
						extra--
					}
				}
			}
		}
		afterControl = t.Type == hclsyntax.TokenTemplateControl
		if d := len(stack) - 1 + extra; d > deepest {
			deepest, deepestLine = d, t.Range.Start.Line
			if deepest > max {
				return deepest, deepestLine
			}
		}
		if t.Type != hclsyntax.TokenComment {
			prev = t.Type
		}
	}
	return deepest, deepestLine
}

// endsValue reports whether a token of that type can end a value, so that a bracket after
// it is an index rather than a tuple.
func endsValue(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
		hclsyntax.TokenCBrace, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
		return true
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
