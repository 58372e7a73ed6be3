package scripts

import (
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Packer templates are sometimes kept as YAML and turned into JSON by a wrapper before
// `packer build` (YAML takes comments; JSON does not). Two shapes are read: Packer's own
// (builders, provisioners, post-processors written in YAML), and a wrapper's file named for
// Packer that holds one builder's settings under a key of its own (ami: {source_ami: …,
// instance_type: …}) — an amazon builder, since those settings are its.

// packerBuilderKeys are settings only a Packer amazon builder has.
var packerBuilderKeys = []string{"source_ami", "source_ami_filter", "ami_name"}

// looksPackerYAML reports a YAML document that is a Packer template, in either shape.
func looksPackerYAML(disp string, docs []*yaml.Node) bool {
	for _, root := range docs {
		n := resolve(root)
		if n == nil || n.Kind != yaml.MappingNode {
			continue
		}
		for _, b := range items(mapGet(n, "builders")) {
			if mapGet(resolve(b), "type") != nil {
				return true
			}
		}
		if wrapperBuilder(disp, n) != nil {
			return true
		}
	}
	return false
}

// wrapperBuilder is the key of a wrapper's builder settings in a file named for Packer.
func wrapperBuilder(disp string, n *yaml.Node) *yaml.Node {
	if !strings.Contains(strings.ToLower(path.Base(disp)), "packer") {
		return nil
	}
	for _, kv := range pairs(n) {
		for _, k := range packerBuilderKeys {
			if mapGet(resolve(kv[1]), k) != nil {
				return kv[0]
			}
		}
	}
	return nil
}

// readPackerYAML reads a Packer template written as YAML whose first line is file line
// base.
func (d *doc) readPackerYAML(text string, base int) error {
	docs, err := parseYAML(text)
	if err != nil {
		return err
	}
	for _, root := range docs {
		n := resolve(root)
		if n == nil || n.Kind != yaml.MappingNode {
			continue
		}
		tree := yamlTree(n, base)
		if mapGet(n, "builders") == nil {
			key := wrapperBuilder(d.file, n)
			if key == nil {
				continue
			}
			b := yamlTree(resolve(mapGet(n, key.Value)), base)
			// The builder's type is what its settings say; it is cited at the key that
			// holds them.
			b.keys = append(b.keys, "type")
			b.keyLines = append(b.keyLines, base+key.Line-1)
			b.elems = append(b.elems, &jsonVal{kind: '"', s: "amazon-ebs", line: base + key.Line - 1})
			tree = &jsonVal{kind: '{', line: b.line, keys: []string{"builders"}, keyLines: []int{b.line},
				elems: []*jsonVal{{kind: '[', line: b.line, elems: []*jsonVal{b}}}}
		}
		d.readPackerTree(tree)
	}
	return nil
}

// yamlTree is a YAML node as the tree the Packer JSON reader reads, each value with its
// file line.
func yamlTree(n *yaml.Node, base int) *jsonVal {
	n = resolve(n)
	if n == nil {
		return nil
	}
	v := &jsonVal{line: base + n.Line - 1}
	switch n.Kind {
	case yaml.MappingNode:
		v.kind = '{'
		for _, kv := range pairs(n) {
			v.keys = append(v.keys, kv[0].Value)
			v.keyLines = append(v.keyLines, base+kv[0].Line-1)
			v.elems = append(v.elems, yamlTree(kv[1], base))
		}
	case yaml.SequenceNode:
		v.kind = '['
		for _, it := range n.Content {
			v.elems = append(v.elems, yamlTree(it, base))
		}
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			v.kind = 'n'
		case "!!bool":
			v.kind, v.s = 'b', strings.ToLower(n.Value)
		case "!!int", "!!float":
			v.kind, v.s = '0', n.Value
		default:
			v.kind, v.s = '"', n.Value
		}
	}
	return v
}
