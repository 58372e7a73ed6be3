package scripts

import (
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/internal/limits"
)

// yamlError is a YAML text that does not parse, with the line the parser names.
type yamlError struct {
	line int
	msg  string
	// limit is set when the text parses but is over a limit (nesting, alias expansion).
	limit *limits.Error
}

func (e *yamlError) Error() string { return e.msg }

func (e *yamlError) Unwrap() error {
	if e.limit == nil {
		return nil
	}
	return e.limit
}

var reYAMLLine = regexp.MustCompile(`line (\d+)`)

// parseYAML decodes every document of a YAML text into nodes, which keep their lines. A
// document nested deeper than limits.Depth, or whose aliases expand to more than
// limits.Nodes nodes, is refused before any reader walks it (see guard.go).
func parseYAML(text string) ([]*yaml.Node, error) {
	return parseYAMLWithin(text, limits.Nodes)
}

// parseYAMLExpanding is parseYAML for a reader that bounds what it builds from aliases
// itself (the CloudFormation reader renders at most maxCFNText per value): aliases that
// multiply are its to cut short, so that the rest of the document is still read. Depth and
// aliases that hold themselves are refused as in parseYAML.
func parseYAMLExpanding(text string) ([]*yaml.Node, error) {
	return parseYAMLWithin(text, math.MaxInt64/4)
}

// parseYAMLWithin is parseYAML with aliases allowed to add up to aliasNodes nodes.
func parseYAMLWithin(text string, aliasNodes int64) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			msg := strings.TrimPrefix(err.Error(), "yaml: ")
			line := 1 // yaml.v3 leaves out a mark on the first line
			if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				if isParserProblem(msg) {
					line++ // yaml.v3 prints parser (not scanner) marks 0-based
				}
			}
			return docs, &yamlError{line: line, msg: msg}
		}
		// What is written was parsed already, at a cost the file size bounds; aliases may
		// add limits.Nodes more before a reader that follows them is refused. A document
		// without aliases can only be refused for its depth, which the walk that counts its
		// nodes measures: limits.YAML, whose bookkeeping of anchors costs a map operation
		// per node, runs only when it may find something.
		nodes, deepest, aliases := writtenNodes(&n)
		if aliases || deepest > limits.Depth {
			if err := limits.YAML(&n, limits.Depth, aliasNodes+nodes); err != nil {
				var le *limits.Error
				errors.As(err, &le)
				return docs, &yamlError{line: le.Line, msg: limitText(le), limit: le}
			}
		}
		docs = append(docs, &n)
	}
}

// writtenNodes counts the nodes of a document as written, aliases not followed, and
// says how deep they nest (the document is level 1, as limits.YAML counts) and whether
// any is an alias.
func writtenNodes(doc *yaml.Node) (n int64, deepest int, aliases bool) {
	// A frame for each open node, with the index of its next child: the walk holds as
	// many frames as the document is deep, not as wide, and an ordinary document's fit
	// the array (a list of 500 tasks took 500 entries, grown by copying, in every file).
	type frame struct {
		n    *yaml.Node
		next int
	}
	var buf [32]frame
	stack := append(buf[:0], frame{n: doc})
	n, deepest, aliases = 1, 1, doc.Kind == yaml.AliasNode
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next == len(top.n.Content) {
			stack = stack[:len(stack)-1]
			continue
		}
		c := top.n.Content[top.next]
		top.next++
		if c == nil {
			continue
		}
		n++
		aliases = aliases || c.Kind == yaml.AliasNode
		stack = append(stack, frame{n: c})
		deepest = max(deepest, len(stack))
	}
	return n, deepest, aliases
}

// parserProblems are the problems yaml.v3's parser (not its scanner) reports.
var parserProblems = []string{
	"did not find expected <document start>", "did not find expected <stream-start>", "found undefined tag handle",
	"did not find expected node content", "did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "found duplicate %YAML directive",
	"found incompatible YAML document", "found duplicate %TAG directive",
}

func isParserProblem(msg string) bool {
	for _, p := range parserProblems {
		if strings.HasSuffix(msg, p) {
			return true
		}
	}
	return false
}

// resolve looks through a document node and one alias.
func resolve(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// pairs returns a mapping's key/value pairs, with merge keys (<<: *anchor) expanded once.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([][2]*yaml.Node, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" {
			if m := resolve(v); m != nil && m.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(m.Content); j += 2 {
					out = append(out, [2]*yaml.Node{m.Content[j], m.Content[j+1]})
				}
			}
			continue
		}
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

// mapGet is the value of key in a mapping (merge keys expanded, as pairs does), or nil.
func mapGet(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" {
			if m := resolve(v); m != nil && m.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(m.Content); j += 2 {
					if m.Content[j].Value == key {
						return resolve(m.Content[j+1])
					}
				}
			}
			continue
		}
		if k.Value == key {
			return resolve(v)
		}
	}
	return nil
}

func scalar(n *yaml.Node) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

func items(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// truthy reads YAML 1.1 and Ansible booleans.
func truthy(n *yaml.Node) bool {
	s, ok := scalar(n)
	return ok && truthyText(s)
}

// truthyText is truthy for a value already read as text (a k=v argument).
func truthyText(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on", "y", "1":
		return true
	}
	return false
}

// blockText reports where a scalar's text lines sit in the file: a literal block (|) keeps
// its lines one for one after the indicator line; anything else is folded onto one line.
func blockText(n *yaml.Node, base int) (line int, flat bool) {
	line = base + n.Line - 1
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		return line + 1, false
	case n.Style&yaml.FoldedStyle != 0:
		return line + 1, true
	}
	return line, true
}

// walkScalars visits every value scalar (not mapping keys) under n without following
// aliases, so a document of nested anchors cannot blow up the walk.
func walkScalars(n *yaml.Node, key string, fn func(key string, n *yaml.Node)) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			walkScalars(c, key, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			walkScalars(n.Content[i+1], n.Content[i].Value, fn)
		}
	case yaml.ScalarNode:
		fn(key, n)
	}
}
