package limits

import (
	yaml "go.yaml.in/yaml/v3"
)

// YAML checks a parsed YAML document before anything reads it: nested no deeper than
// maxDepth, and no more than maxNodes nodes once its aliases are expanded. yaml.v3 keeps
// an alias as a pointer to its anchor, so parsing costs nothing; a reader that follows
// aliases (an evaluator, a decoder into Go values) visits an alias of an alias of a list
// as many times as it doubles, and an alias to a node that holds it without end.
func YAML(doc *yaml.Node, maxDepth int, maxNodes int64) error {
	if doc == nil {
		return nil
	}
	type frame struct {
		n     *yaml.Node
		next  int   // the next child to visit
		total int64 // nodes below, aliases expanded, so far
	}
	// done holds the expanded size of each anchored node already counted: an alias to
	// it adds that many without visiting it again. open are the nodes being counted.
	done := map[*yaml.Node]int64{}
	open := map[*yaml.Node]bool{doc: true}
	stack := []frame{{n: doc}}
	add := func(a, b int64) int64 {
		if a+b > maxNodes {
			return maxNodes + 1
		}
		return a + b
	}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(top.n.Content) {
			c := top.n.Content[top.next]
			top.next++
			if c == nil {
				continue
			}
			if c.Kind == yaml.AliasNode && c.Alias != nil {
				if open[c.Alias] {
					return &Error{Limit: "alias expansion", Max: maxNodes, Line: c.Line,
						Detail: "a YAML alias refers to a node that holds it, so it expands without end"}
				}
				if n, ok := done[c.Alias]; ok {
					top.total = add(top.total, n)
					if top.total > maxNodes {
						return tooManyNodes(maxNodes, c.Line)
					}
					continue
				}
				c = c.Alias // not seen yet (anchors come first in a document): count it here
			}
			if len(stack) >= maxDepth {
				return deepError(maxDepth, c.Line)
			}
			open[c] = true
			stack = append(stack, frame{n: c})
			continue
		}
		n := add(top.total, 1)
		node := top.n
		delete(open, node)
		if node.Anchor != "" {
			done[node] = n
		}
		stack = stack[:len(stack)-1]
		if len(stack) > 0 {
			parent := &stack[len(stack)-1]
			parent.total = add(parent.total, n)
			if parent.total > maxNodes {
				return tooManyNodes(maxNodes, node.Line)
			}
		}
	}
	return nil
}

func tooManyNodes(max int64, line int) *Error {
	return &Error{Limit: "alias expansion", Max: max, Line: line,
		Detail: "YAML aliases expand to more than " + itoa(int(max)) + " nodes"}
}
