package manifests

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	sigsyaml "sigs.k8s.io/yaml"

	"whyk8s/inventory"
)

// EvidenceAnnotation is the annotation every generated object carries: one line per field
// that comes from a fact, with the rule that reads the same fact and where it was seen.
const EvidenceAnnotation = "whyk8s/evidence"

// Placeholder is the value of every field the estate cannot say. It is not a valid image
// reference, role ARN or host, so an object applied without it being replaced fails
// loudly instead of running with a guess.
const Placeholder = "FILL-IN"

// note says where one field of an object comes from, or that a person must fill it in. It
// becomes a line of the object's evidence annotation and a comment above the field.
type note struct {
	// Path is the field in the object as the YAML has it: "spec.replicas",
	// "spec.template.spec.containers[0].image".
	Path string
	// Rule is the catalogue rule that reads the same fact, when one does.
	Rule     string
	Evidence []inventory.Evidence
	// Text is what a person reading the file should know, in words.
	Text string
	// Fill marks a placeholder a person must replace (or a decision they must make).
	Fill bool
}

// object is one generated file: a Kubernetes object with the notes on its fields.
type object struct {
	File  string
	Kind  string
	Name  string
	Obj   any
	Notes []note
}

func (o *object) note(n note) { o.Notes = append(o.Notes, n) }

// from records that the field at path comes from the evidence, read by rule.
func (o *object) from(path, rule, text string, ev ...inventory.Evidence) {
	o.note(note{Path: path, Rule: rule, Evidence: ev, Text: text})
}

// fill records that the field at path is a placeholder, and what to put there.
func (o *object) fill(path, text string, ev ...inventory.Evidence) {
	o.note(note{Path: path, Evidence: ev, Text: text, Fill: true})
}

// render serialises the object with sigs.k8s.io/yaml — the JSON tags of the API types
// decide every field name and what is omitted — then adds the comments through yaml.v3's
// node tree, where a comment belongs to the node of its field and cannot drift to another
// line the way a text pass over the output could.
func render(o *object) ([]byte, error) {
	if m, ok := o.Obj.(metav1.Object); ok {
		if a := evidenceAnnotation(o.Notes); a != "" {
			ann := m.GetAnnotations()
			if ann == nil {
				ann = map[string]string{}
			}
			ann[EvidenceAnnotation] = a
			m.SetAnnotations(ann)
		}
	}
	data, err := sigsyaml.Marshal(o.Obj)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.File, err)
	}
	var doc docNode
	if err := yaml.Unmarshal(data, &doc.Node); err != nil {
		return nil, fmt.Errorf("%s: %w", o.File, err)
	}
	root := doc.root()
	// Status is the cluster's to write, and an empty strategy is the default said twice:
	// in a manifest both are noise.
	deleteKey(root, "status")
	dropEmpty(root, "strategy", "metadata")
	for _, n := range o.Notes {
		target, err := find(root, n.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: comment for %s: %w", o.File, n.Path, err)
		}
		target.HeadComment = joinComment(target.HeadComment, commentText(n))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc.Node); err != nil {
		return nil, fmt.Errorf("%s: %w", o.File, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", o.File, err)
	}
	return buf.Bytes(), nil
}

// evidenceAnnotation lists the notes that carry evidence, one line each, in path order.
func evidenceAnnotation(notes []note) string {
	var lines []string
	for _, n := range notes {
		if len(n.Evidence) == 0 {
			continue
		}
		l := n.Path + ":"
		if n.Rule != "" {
			l += " " + n.Rule
		}
		l += " " + evidenceList(n.Evidence)
		lines = append(lines, l)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// evidenceList joins evidence places, naming each ARN once: "arn:… TargetGroup.Port=8080,
// TargetGroup.HealthCheckPath=/healthz; app.sh:12".
func evidenceList(ev []inventory.Evidence) string {
	var parts []string
	byARN := map[string]int{}
	seen := map[string]bool{}
	for _, e := range ev {
		s := e.String()
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		if e.File == "" && e.ARN != "" && e.Field != "" {
			field := e.Field
			if e.Value != "" {
				field += "=" + e.Value
			}
			if i, ok := byARN[e.ARN]; ok {
				parts[i] += ", " + field
				continue
			}
			byARN[e.ARN] = len(parts)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func commentText(n note) string {
	var b strings.Builder
	if n.Fill {
		b.WriteString("FILL IN: ")
		b.WriteString(n.Text)
		if len(n.Evidence) > 0 {
			b.WriteString("\nsee: " + evidenceList(n.Evidence))
		}
		return b.String()
	}
	if len(n.Evidence) == 0 {
		return n.Text
	}
	b.WriteString("from: " + evidenceList(n.Evidence))
	if n.Text != "" {
		b.WriteString("\n" + n.Text)
	}
	return b.String()
}

func joinComment(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// docNode wraps the document node of a parsed file.
type docNode struct{ Node yaml.Node }

func (d *docNode) root() *yaml.Node {
	if d.Node.Kind == yaml.DocumentNode && len(d.Node.Content) > 0 {
		return d.Node.Content[0]
	}
	return &d.Node
}

// find returns the node a comment for path belongs to: the key node of a mapping entry,
// or the item node of a sequence element. A comment on the first key of a sequence item
// goes on the item, above its dash, where it reads as the item's.
func find(root *yaml.Node, path string) (*yaml.Node, error) {
	cur := root
	var last, item *yaml.Node
	for _, part := range splitPath(path) {
		if part.index >= 0 {
			if cur.Kind != yaml.SequenceNode || part.index >= len(cur.Content) {
				return nil, fmt.Errorf("no element %d", part.index)
			}
			cur = cur.Content[part.index]
			last, item = cur, cur
			continue
		}
		if cur.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s is not in a mapping", part.key)
		}
		found := false
		parentItem := item
		item = nil
		for i := 0; i+1 < len(cur.Content); i += 2 {
			if cur.Content[i].Value == part.key {
				last = cur.Content[i]
				if i == 0 && parentItem != nil {
					item = parentItem
				}
				cur = cur.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("no field %s", part.key)
		}
	}
	if last == nil {
		return nil, fmt.Errorf("empty path")
	}
	if item != nil {
		return item, nil
	}
	return last, nil
}

// dropEmpty removes, anywhere in the tree, the given keys whose value is an empty mapping:
// the types write an empty strategy or pod-template metadata that says nothing.
func dropEmpty(n *yaml.Node, keys ...string) {
	if n.Kind == yaml.MappingNode {
		for _, k := range keys {
			if v := valueOf(n, k); v != nil && v.Kind == yaml.MappingNode && len(v.Content) == 0 {
				deleteKey(n, k)
			}
		}
	}
	for _, c := range n.Content {
		dropEmpty(c, keys...)
	}
}

// valueOf returns the value of key in mapping m, or nil.
func valueOf(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

type pathPart struct {
	key   string
	index int
}

// splitPath splits "spec.containers[0].ports[1].name" into keys and indexes. A key may
// hold dots when written in brackets: metadata.annotations[some.domain/key].
func splitPath(path string) []pathPart {
	var parts []pathPart
	for path != "" {
		var seg string
		if strings.HasPrefix(path, "[") {
			end := strings.Index(path, "]")
			if end < 0 {
				parts = append(parts, pathPart{key: path, index: -1})
				break
			}
			seg, path = path[1:end], path[end+1:]
			if n, err := strconv.Atoi(seg); err == nil {
				parts = append(parts, pathPart{index: n})
			} else {
				parts = append(parts, pathPart{key: seg, index: -1})
			}
			path = strings.TrimPrefix(path, ".")
			continue
		}
		end := strings.IndexAny(path, ".[")
		if end < 0 {
			seg, path = path, ""
		} else {
			seg, path = path[:end], strings.TrimPrefix(path[end:], ".")
		}
		parts = append(parts, pathPart{key: seg, index: -1})
	}
	return parts
}

func deleteKey(m *yaml.Node, key string) {
	if m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// lineOf returns the line of the field at path in rendered YAML, for the README's list of
// what to fill in; 0 when it cannot be found.
func lineOf(data []byte, path string) int {
	var doc docNode
	if err := yaml.Unmarshal(data, &doc.Node); err != nil {
		return 0
	}
	n, err := find(doc.root(), path)
	if err != nil {
		return 0
	}
	return n.Line
}
