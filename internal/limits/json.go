package limits

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// JSON checks a JSON document before it is parsed: no more than maxTokens tokens, nested
// no deeper than maxDepth. Syntax errors are left to the parser, which reports them
// better.
func JSON(src []byte, maxDepth, maxTokens int) error {
	return checkJSON(src, "", maxDepth, maxTokens, false)
}

// HCLJSON checks a file of HCL's JSON syntax (.tf.json) before it is parsed. Its strings
// are HCL too — templates when they are evaluated, expressions when they are types or
// references — and hcl/json parses them as it evaluates them, so each string's own
// nesting counts on top of the JSON around it.
func HCLJSON(src []byte, filename string, maxDepth, maxTokens int) error {
	return checkJSON(src, filename, maxDepth, maxTokens, true)
}

func checkJSON(src []byte, filename string, maxDepth, maxTokens int, hclStrings bool) error {
	if OverTokens(src, maxTokens) {
		return tooManyTokens(maxTokens)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	depth := 0
	line := func() int { return 1 + bytes.Count(src[:min(int(dec.InputOffset()), len(src))], []byte("\n")) }
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// Not JSON, or not only: the parser says what is wrong.
			return nil
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
				if depth > maxDepth {
					return deepError(maxDepth, line())
				}
			} else {
				depth--
			}
		case json.Number:
			if NumberTooLarge([]byte(t)) {
				return largeNumberError(line())
			}
		case string:
			if !hclStrings || depth >= maxDepth {
				continue
			}
			s := []byte(t)
			// The string is a template when evaluated, an expression when read as a
			// type or a reference: both must fit in what is left. As a template, a number
			// in an interpolation is rendered too (as an expression it renders none). The
			// template is lexed once for both.
			room := maxDepth - depth
			tmpl := nestingTokens(s, filename, modeTemplate)
			if MayHoldLargeNumber(s) && largeNumberIn(tmpl) > 0 {
				return largeNumberError(line())
			}
			if d, _ := tokenDepth(tmpl, modeTemplate, room); d > room {
				return deepError(maxDepth, line())
			}
			if d, _ := tokenDepthOf(s, filename, modeExpression, room); d > room {
				return deepError(maxDepth, line())
			}
		}
	}
}

// tokenDepthOf lexes src as mode and measures its nesting (see tokenDepth).
func tokenDepthOf(src []byte, filename string, mode lexMode, max int) (int, int) {
	return tokenDepth(nestingTokens(src, filename, mode), mode, max)
}

// nestingTokens lexes src as mode; nil when src has none of the bytes that open a level,
// an operator or an interpolation, and so nothing tokenDepth or largeNumberIn would find.
func nestingTokens(src []byte, filename string, mode lexMode) hclsyntax.Tokens {
	if !bytes.ContainsAny(src, "([{\"!-+*/%<>=&|?.:") {
		return nil
	}
	return lex(src, filename, mode)
}
