// Package limits holds the bounds a reader keeps when its input may be hostile: how deep
// and how large a file may be before a parser is given it, and a budget of work, depth
// and time for evaluating what was parsed.
//
// The parsers whyk8s uses recurse once per level of nesting (hclsyntax, hcl/json, the
// evaluators over their trees) and keep every token of a file in memory: seventy
// thousand brackets in a 140 KB file overflow the stack, and a few megabytes of commas
// take more than a gigabyte. The checks here run first, in linear time and with little
// memory, so that such a file becomes one coverage gap naming the file and the limit it
// crossed, and the run goes on. Over a limit is an *Error; a reader turns it into a gap.
package limits

import (
	"errors"
	"fmt"
)

// Defaults a reader uses unless it has a reason of its own.
const (
	// Depth is how deeply a file may nest: brackets, braces, parentheses, quoted strings,
	// template interpolations and directives, and chains of operators, counted together.
	// Real code stays under forty; the parsers need about 15 KB of stack per level.
	Depth = 256
	// Tokens is how many tokens (an upper estimate) one file may hold: about a megabyte of
	// dense HCL, YAML or JSON, which the parsers hold in memory at a few hundred bytes a
	// token while they parse.
	Tokens = 400_000
	// TotalTokens is how many tokens all the files of one read may hold together: their
	// syntax trees stay in memory until the read is done.
	TotalTokens = 2_000_000
	// Nodes is how many nodes a YAML document may have once its aliases are expanded:
	// an alias of an alias of a list doubles at every level.
	Nodes = 200_000
	// TemplateLines is how many lines of literal text the templates of one HCL file may
	// hold in a row (a heredoc, a file templatefile renders). hclsyntax joins a template's
	// lines one pair at a time, each join copying all before it: 40,000 lines take 6 s
	// and 90,000 lines 21 s, in one call nothing can interrupt. The runs of a file count
	// together, each as its length squared, so that many long heredocs cost no more than
	// one of this many lines (about half a second).
	TemplateLines = 15_000
)

// Error is input over one of the limits.
type Error struct {
	// Limit names what was exceeded, as a person reads it: "nesting depth",
	// "evaluation budget".
	Limit string
	// Max is the limit's value, in the unit the message gives.
	Max int64
	// Line is the line of the file where the limit was crossed, when a scan knows it.
	Line int
	// Detail says what the input does, in a few words: "nested deeper than 256 levels".
	Detail string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s (line %d): over the %s limit", e.Detail, e.Line, e.Limit)
	}
	return fmt.Sprintf("%s: over the %s limit", e.Detail, e.Limit)
}

// IsLimit reports whether err is, or wraps, an *Error.
func IsLimit(err error) bool {
	var le *Error
	return errors.As(err, &le)
}
