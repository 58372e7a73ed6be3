package scripts

import (
	"bytes"

	"whyk8s/internal/limits"
)

// limits.HCL lexes a whole file with hclsyntax to measure how deeply it nests, and then
// hclsyntax lexes it again to parse it: for a Packer template the check costs as much as
// the parse's own lexing. Most templates are written plainly enough that a byte scan can
// follow their structure exactly, and such a scan can bound the nesting from above
// without lexing: hclShallow does, and a file it proves shallow skips the lexing check.
// Any file it cannot follow exactly goes to limits.HCL as before.
//
// The bound follows limits.HCL's measure (frames, operator chains) and counts more,
// never less: every bracket, brace, parenthesis, quoted string and interpolation is a
// frame, as a token of the lexer is; every byte an operator token can hold adds to the
// chain of its frame, and every bracket adds one more (an index); a chain is reset only
// by a comma, or a newline in a body or braces, where the lexer's measure resets it too.
// A closing byte closes a frame only outside strings and comments, and only the frame it
// matches. So the scan's frames
// are the lexer's where the two read a file alike, which is why a file with anything whose
// lexing has more than one reading is left to the lexer: a byte outside ASCII, a carriage
// return, a heredoc (<<), a block comment (/*), a template directive or escape (%{, $${,
// %%{), a strip marker (~), a backslash other than a plain escape (\" \\ \n \r \t \u \U),
// a dollar outside a string, a newline or a comment inside a string or its
// interpolation.

// Kinds of frame hclShallow keeps, as limits.HCL counts them.
const (
	hdBody     = iota // the file's body: a newline ends an expression
	hdBrace           // { … }: a newline ends an item
	hdParen           // ( … )
	hdBrack           // [ … ]
	hdTemplate        // a quoted string
	hdInterp          // ${ … } inside a string
)

// hclShallow reports whether src, native HCL syntax, is nested no deeper than max by
// limits.HCL's measure; false when the scan cannot tell (see above) or the bound passes
// max. bound is the bound when ok.
func hclShallow(src []byte, max int) (bound int, ok bool) {
	for _, bad := range [...]string{"<<", "/*", "%{", "$${", "%%{", "~", "\r"} {
		if bytes.Contains(src, []byte(bad)) {
			return 0, false
		}
	}
	type frame struct{ kind, chain int }
	stack := []frame{{kind: hdBody}}
	chains := 0 // the chains of every open frame, summed
	quoted := 0 // strings open: a newline or a comment inside one is left to the lexer
	deepest := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c >= 0x80 {
			return 0, false
		}
		top := &stack[len(stack)-1]
		plain := &hclPlainCode
		if top.kind == hdTemplate {
			plain = &hclPlainText
		}
		if plain[c] {
			// A run of bytes that opens, closes and chains nothing (a string's text, a
			// name, spaces) leaves the depth as it is.
			for i+1 < len(src) && plain[src[i+1]] {
				i++
			}
			continue
		}
		if top.kind == hdTemplate {
			switch c {
			case '"':
				stack = stack[:len(stack)-1]
				quoted--
			case '\\':
				if i+1 >= len(src) || bytes.IndexByte([]byte(`"\nrtuU`), src[i+1]) < 0 {
					return 0, false
				}
				i++ // the escaped byte is text
			case '\n':
				return 0, false
			case '$':
				if i+1 < len(src) && src[i+1] == '{' {
					stack = append(stack, frame{kind: hdInterp})
					i++
				}
			}
		} else {
			switch c {
			case '#', '/':
				if c == '#' || i+1 < len(src) && src[i+1] == '/' {
					if quoted > 0 {
						return 0, false
					}
					// A line comment is one token with its newline: the newline ends
					// no expression, so it resets nothing.
					for i < len(src) && src[i] != '\n' {
						i++
					}
					continue
				}
				top.chain++
				chains++
			case '"':
				stack = append(stack, frame{kind: hdTemplate})
				quoted++
			case '{':
				stack = append(stack, frame{kind: hdBrace})
			case '[':
				top.chain++ // an index is one more level on the value before it
				chains++
				stack = append(stack, frame{kind: hdBrack})
			case '(':
				stack = append(stack, frame{kind: hdParen})
			case ']', ')', '}':
				// A closer that does not match its frame is read differently by the
				// lexer (which ends an interpolation at a brace) and by the measure
				// (which closes whatever is open): left to the lexer.
				switch {
				case c == ']' && top.kind == hdBrack, c == ')' && top.kind == hdParen,
					c == '}' && (top.kind == hdBrace || top.kind == hdInterp):
					chains -= top.chain
					stack = stack[:len(stack)-1]
				default:
					return 0, false
				}
			case '!', '-', '+', '*', '%', '<', '>', '=', '&', '|', '?', '.', ':':
				top.chain++
				chains++
			case ',':
				chains -= top.chain
				top.chain = 0
			case '\n':
				if quoted > 0 {
					return 0, false
				}
				if top.kind == hdBody || top.kind == hdBrace {
					chains -= top.chain
					top.chain = 0
				}
			case '$', '\\':
				return 0, false
			}
		}
		if d := len(stack) - 1 + chains; d > deepest {
			if deepest = d; deepest > max {
				return deepest, false
			}
		}
	}
	return deepest, true
}

// hclPlainCode and hclPlainText are the bytes hclShallow passes over without a change:
// outside strings, letters, digits, _ and blanks; in a string's text, all but what ends
// the text, an escape, an interpolation and a newline. No byte of 0x80 or above is plain:
// the scan gives up on those.
var hclPlainCode, hclPlainText = func() (code, text [256]bool) {
	for c := byte(0); c < 0x80; c++ {
		code[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ' ' || c == '\t'
		text[c] = c != '"' && c != '\\' && c != '\n' && c != '$'
	}
	return code, text
}()

// packerHCLShallow is the cheap half of checkPackerHCL: true when src is certainly within
// limits.HCL's bounds, so that lexing it to check is not needed.
func packerHCLShallow(src []byte) bool {
	if limits.OverTokens(src, limits.Tokens) {
		return false
	}
	_, ok := hclShallow(src, limits.Depth)
	return ok
}
