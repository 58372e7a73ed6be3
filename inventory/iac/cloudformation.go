package iac

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	yaml "go.yaml.in/yaml/v3"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

// cfnTemplate is one CloudFormation template, YAML or JSON, with what its intrinsic
// functions need: parameters, mappings, conditions and the resources they may refer to.
type cfnTemplate struct {
	rel        string
	opts       Options
	params     map[string]*yaml.Node
	paramLines map[string]int
	mappings   *yaml.Node
	conditions map[string]*yaml.Node
	resources  map[string]*cfnResource
	order      []string
	memo       memo
	src        []byte
	// top is the template's parsed document, shared by every stack made from it.
	top *yaml.Node
	// meter is the budget of the stack's evaluation, shared with its nested stacks;
	// stacks counts the stacks made from its entry point, against maxStacks.
	meter  *meter
	stacks *int

	// A template read as the child of an AWS::CloudFormation::Stack: via names the stack
	// resource that creates it ("master.yaml:ECS", "master.yaml:ECS/Inner"), given holds the
	// Parameters the parent passes (evaluated in the parent), by name, and parent is the
	// template that does.
	via   string
	path  string // the stack resources from the entry point down: "Cluster/WebStack"
	given map[string]cty.Value
	// givenAt are the key and value nodes of each parameter the parent passes, in the parent.
	givenAt map[string][2]*yaml.Node
	parent  *cfnTemplate
	depth   int

	// byRel are the templates of the tree, for nested stacks; children are the nested
	// stacks this one creates, by resource; outputs are its Outputs, by name.
	byRel    map[string]*cfnTemplate
	children map[string]*cfnTemplate
	outputs  map[string]*yaml.Node

	// entry is the name the template gives itself as an entry point in its Metadata
	// (QuickStartDocumentation: EntrypointName, AWS Quick Start's convention): a template
	// people are meant to launch, as opposed to a part or a wrapper around one.
	entry string
}

// stack is what the template's records are told apart by: the file, or for a nested
// stack the parent's stack resource that creates it.
func (t *cfnTemplate) stack() string {
	if t.via != "" {
		return t.via
	}
	return t.rel
}

type cfnResource struct {
	id        string // logical id
	typ       string
	props     *yaml.Node
	line      int
	condition string
}

// evidence is the resource's stable identifier: iac:templates/web.yaml:LINE:WebTargetGroup.
// A nested stack's resource is named by the stack that creates it first, as a module's
// resource is by its root: iac:master.yaml:ECS:ECSAutoScalingGroup@infrastructure/ecs.yaml:LINE.
func (r *cfnResource) evidence(t *cfnTemplate) string {
	if t.via != "" {
		return "iac:" + t.via + ":" + r.id + "@" + t.rel + ":" + itoa(r.line)
	}
	return evidenceID(t.rel, r.line, r.id)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// maxStackDepth bounds nested stacks (and a template that creates itself).
const maxStackDepth = 5

// readCloudFormation reads every file that is a CloudFormation template by its content.
//
// Nested stacks: an AWS::CloudFormation::Stack whose TemplateURL ends in the path of a
// template in the tree (its last two segments, "infrastructure/ecs-cluster.yaml") creates
// that template as a stack of its own, with the Parameters the parent passes over the
// child's defaults; each reference is one stack. A template some other template creates
// so is read only through its parents, never also alone with its defaults: it is a part,
// not a stack anyone deploys by itself. A TemplateURL that names no template in the tree
// is a gap at its line.
func readCloudFormation(ctx context.Context, files []*sourceFile, opts Options, b *builder) error {
	var tops []*cfnTemplate
	byRel := map[string]*cfnTemplate{}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.kind != kindCFN {
			continue
		}
		t, gap := parseTemplate(f.rel, f.src, opts)
		if gap != nil {
			b.gaps = append(b.gaps, *gap)
			continue
		}
		if t != nil {
			t.src = f.src
			// Each template that may be read as a stack is an evaluation of its own.
			t.meter, t.stacks = newMeter(ctx, opts.Bounds), new(int)
			tops = append(tops, t)
			byRel[t.rel] = t
		}
	}
	for _, t := range entryPoints(tops, byRel, &b.gaps) {
		if err := ctx.Err(); err != nil {
			return err
		}
		readStack(t, byRel, b)
		if err := t.meter.cancelled(); err != nil {
			return err
		}
		b.gaps = append(b.gaps, t.meter.gaps("the stack of "+t.rel)...)
	}
	// The templates read only as nested stacks spent on their own meters finding which
	// are nested: their gaps too.
	for _, t := range tops {
		if err := t.meter.cancelled(); err != nil {
			return err
		}
	}
	return nil
}

// maxStacks bounds the nested stacks made from one entry point: a template of a hundred
// stacks of a hundred stacks, five deep, asks for 10^10.
const maxStacks = 500

// entryPoints are the templates read as stacks of their own: those no other template
// creates as a nested stack. Where templates say which of them people launch (AWS Quick
// Start's Metadata QuickStartDocumentation EntrypointName), a documented entry point is one
// even when a wrapper nests it, unless another documented entry point nests it too; and a
// template that is not documented but wraps a documented one (a variant that fixes some of
// its parameters) is not also read: the repository describes one deployment, through its
// documented entry, and the wrapper's stacks would be the same groups twice. It is a gap.
func entryPoints(tops []*cfnTemplate, byRel map[string]*cfnTemplate, gaps *[]inventory.CoverageGap) []*cfnTemplate {
	children := map[string][]string{}
	nestedBy := map[string][]string{}
	documented := false
	for _, t := range tops {
		documented = documented || t.entry != ""
		for _, id := range t.order {
			if r := t.resources[id]; r.typ == "AWS::CloudFormation::Stack" {
				if child, _, _ := t.childTemplate(r, byRel); child != "" && child != t.rel {
					children[t.rel] = append(children[t.rel], child)
					nestedBy[child] = append(nestedBy[child], t.rel)
				}
			}
		}
	}
	// wrapped is the documented entry point a template creates, directly or below, if any.
	wrapped := func(rel string) string {
		seen := map[string]bool{}
		var walk func(string, int) string
		walk = func(r string, depth int) string {
			if seen[r] || depth > maxStackDepth {
				return ""
			}
			seen[r] = true
			for _, c := range children[r] {
				if byRel[c].entry != "" {
					return c
				}
				if e := walk(c, depth+1); e != "" {
					return e
				}
			}
			return ""
		}
		return walk(rel, 0)
	}
	var out []*cfnTemplate
	for _, t := range tops {
		parents := nestedBy[t.rel]
		switch {
		case !documented:
			if len(parents) == 0 {
				out = append(out, t)
			}
		case t.entry != "":
			underEntry := false
			for _, p := range parents {
				underEntry = underEntry || byRel[p].entry != ""
			}
			if !underEntry {
				out = append(out, t)
			}
		case len(parents) == 0:
			if e := wrapped(t.rel); e != "" {
				*gaps = append(*gaps, inventory.CoverageGap{Path: t.rel, Kind: inventory.GapUnresolved,
					Message: "creates the documented entry point " + e + " (" + strconv.Quote(byRel[e].entry) +
						") with parameters of its own: read through " + e + ", not also as a deployment of its own"})
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

// readStack maps a template and the nested stacks it creates.
func readStack(t *cfnTemplate, byRel map[string]*cfnTemplate, b *builder) {
	t.byRel = byRel
	mapTemplate(t, b)
	for _, id := range t.order {
		r := t.resources[id]
		if r.typ != "AWS::CloudFormation::Stack" || !t.created(r, b) {
			continue
		}
		child, at, why := t.childTemplate(r, byRel)
		if child == "" {
			b.gaps = append(b.gaps, inventory.CoverageGap{Path: t.rel, Line: at, Kind: inventory.GapUnresolved, Message: r.id + " " + why})
			continue
		}
		if t.depth+1 >= maxStackDepth {
			b.gaps = append(b.gaps, inventory.CoverageGap{Path: t.rel, Line: at, Kind: inventory.GapUnresolved,
				Message: r.id + ": stacks nested deeper than " + itoa(maxStackDepth) + " are not read"})
			continue
		}
		if _, made := t.children[r.id]; !made && *t.stacks >= maxStacks {
			b.gaps = append(b.gaps, inventory.CoverageGap{Path: t.rel, Line: at, Kind: inventory.GapLimit,
				Message: r.id + ": the entry point makes more than " + itoa(maxStacks) + " nested stacks; the rest are not read"})
			continue
		}
		c := t.child(r, child)
		if c == nil {
			continue
		}
		readStack(c, byRel, b)
	}
}

// child is the nested stack a stack resource creates from the template rel, with the
// Parameters the resource passes; one per resource, shared by the reading of the stack and
// the Fn::GetAtt of its outputs, so both name its resources alike.
func (t *cfnTemplate) child(r *cfnResource, rel string) *cfnTemplate {
	if c, ok := t.children[r.id]; ok {
		return c
	}
	if t.children == nil {
		t.children = map[string]*cfnTemplate{}
	}
	t.children[r.id] = nil // a stack whose parameters need its own outputs finds nothing
	src := t.byRel[rel]
	if src == nil || *t.stacks >= maxStacks {
		return nil
	}
	*t.stacks++
	c := newTemplate(src.rel, src.top, src.opts)
	if c == nil {
		return nil
	}
	c.src, c.parent, c.depth, c.byRel = src.src, t, t.depth+1, t.byRel
	c.meter, c.stacks = t.meter, t.stacks
	c.path = r.id
	if t.path != "" {
		c.path = t.path + "/" + r.id
	}
	c.via = t.rel + ":" + r.id
	if t.via != "" {
		c.via = t.via + "/" + r.id
	}
	c.given, c.givenAt = map[string]cty.Value{}, map[string][2]*yaml.Node{}
	if params := lookupKey(r.props, "Parameters"); params != nil {
		if plainMap(params) {
			forEachPair(params, func(k, v *yaml.Node) {
				c.given[k.Value] = t.eval(v)
				c.givenAt[k.Value] = [2]*yaml.Node{k, v}
			})
		} else {
			keys, vals := keyed(t.eval(params))
			for _, k := range keys {
				c.given[k] = vals[k]
			}
		}
	}
	t.children[r.id] = c
	return c
}

// stackOutput is Fn::GetAtt Stack.Outputs.NAME: the output's value as the nested stack,
// read from its template in the tree, gives it.
func (t *cfnTemplate) stackOutput(r *cfnResource, name string) cty.Value {
	return t.memo.get("output:"+r.id+"."+name, func() cty.Value {
		why := r.id + ".Outputs." + name + " is known only once the stack is deployed"
		if t.byRel == nil || t.depth+1 >= maxStackDepth {
			return unknownBecause(why)
		}
		if r.condition != "" {
			if c := t.condition(r.condition); !isKnown(c) || !isTrue(c) {
				return unknownBecause(why + " (the stack is created only if " + r.condition + ")")
			}
		}
		rel, _, _ := t.childTemplate(r, t.byRel)
		if rel == "" {
			return unknownBecause(why + ": its template is not in the folders read")
		}
		c := t.child(r, rel)
		if c == nil {
			return unknownBecause(why)
		}
		n := lookupKey(c.outputs[name], "Value")
		if n == nil {
			return unknownBecause(r.id + " has no output " + name + " in " + rel)
		}
		return c.eval(n)
	})
}

func isTrue(v cty.Value) bool {
	b, ok := asBool(v)
	return ok && b
}

// created reports whether a resource is created: its Condition is true, or cannot be
// decided (with a gap, read as created).
func (t *cfnTemplate) created(r *cfnResource, b *builder) bool {
	if r.condition == "" {
		return true
	}
	c := t.condition(r.condition)
	if !isKnown(c) {
		b.gaps = append(b.gaps, inventory.CoverageGap{Path: t.rel, Line: r.line, Kind: inventory.GapUnresolved,
			Message: r.id + " is created only if condition " + r.condition + ", which cannot be decided: " + strings.Join(reasonsOf(c), "; ") + "; read as created"})
		return true
	}
	ok, _ := asBool(c)
	return ok
}

// childTemplate is the template in the tree a stack resource's TemplateURL names, by the
// URL's last two path segments; "" with the line and why when there is none.
func (t *cfnTemplate) childTemplate(r *cfnResource, byRel map[string]*cfnTemplate) (rel string, line int, why string) {
	n := lookupKey(r.props, "TemplateURL")
	if n == nil {
		return "", r.line, "has no TemplateURL; the nested stack is not read"
	}
	line = n.Line
	v := t.eval(n)
	u, ok := asString(v)
	if !ok {
		return "", line, "TemplateURL = " + nodeText(n) + ": " + strings.Join(whyUnknown(v), "; ") + "; the nested stack is not read"
	}
	u, _, _ = strings.Cut(u, "?")
	var segs []string
	for _, s := range strings.Split(u, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	if len(segs) > 2 {
		segs = segs[len(segs)-2:]
	}
	suffix := strings.Join(segs, "/")
	if suffix == "" || strings.Contains(suffix, "${") {
		return "", line, "TemplateURL = " + nodeText(n) + ": the template's path is not known (" + strings.Join(whyUnknown(v), "; ") + "); the nested stack is not read"
	}
	var found []string
	for r := range byRel {
		if r == suffix || strings.HasSuffix(r, "/"+suffix) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return "", line, "TemplateURL " + u + ": no template " + suffix + " in the folders read; the nested stack is not read"
	case 1:
		return found[0], line, ""
	}
	sort.Strings(found)
	return "", line, "TemplateURL " + u + ": several templates end in " + suffix + " (" + strings.Join(found, ", ") + "); the nested stack is not read"
}

// parseTemplate returns the template, nil when the file is not CloudFormation, or a gap
// when it looks like CloudFormation but does not parse.
func parseTemplate(rel string, src []byte, opts Options) (*cfnTemplate, *inventory.CoverageGap) {
	looksCFN := bytes.Contains(src, []byte("AWSTemplateFormatVersion")) || bytes.Contains(src, []byte("AWS::"))
	// YAML accepts JSON with trailing commas and other slips that CloudFormation refuses;
	// a JSON template is checked as JSON first so that a broken one is reported as broken.
	if trimmed := bytes.TrimSpace(src); len(trimmed) > 0 && trimmed[0] == '{' {
		var v any
		if err := json.Unmarshal(src, &v); err != nil {
			if !looksCFN {
				return nil, nil
			}
			g := &inventory.CoverageGap{Path: rel, Kind: inventory.GapParse, Message: "json: " + err.Error()}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				g.Line = bytes.Count(src[:min(int(se.Offset), len(src))], []byte("\n")) + 1
			}
			return nil, g
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil && !(looksCFN && parsesRendered(src, &doc)) {
		if !looksCFN {
			return nil, nil
		}
		g := &inventory.CoverageGap{Path: rel, Kind: inventory.GapParse, Message: err.Error()}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			g.Line, _ = strconv.Atoi(m[1])
		}
		return nil, g
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	// Aliases are pointers here; everything that reads the template follows them.
	if err := limits.YAML(&doc, limits.Depth, limits.Nodes); err != nil {
		if !looksCFN {
			return nil, nil
		}
		g := limitGap(rel, err)
		return nil, &g
	}
	return newTemplate(rel, resolveAlias(doc.Content[0]), opts), nil
}

// reStatementLine matches a line that holds only template statements: Go text/template
// actions ({{with .Env}}, {{- range $k, $v := .}}, {{end}}, {{/* … */}}) or Jinja statements
// and comments ({% if x %}, {#- … #}). Teams render such templates into CloudFormation
// before deploying them; the statements disappear and the YAML around them is what
// CloudFormation reads.
var reStatementLine = regexp.MustCompile(`^[ \t]*(?:(?:\{\{-?\s*(?:(?:if|else|end|range|with|define|template|block|break|continue)\b|/\*).*?-?\}\}|\{%.*?%\}|\{#.*?#\})[ \t]*)+\r?$`)

// parsesRendered parses into doc the template as its statements render it away: each line
// that is only a statement becomes an empty line, so every other line keeps its number.
// It reports false when there is no such line or the result still does not parse.
// Expressions ({{ .Name }}) stay as written: inside a value they are text with a
// placeholder, which is what the code says until it is rendered.
func parsesRendered(src []byte, doc *yaml.Node) bool {
	if !bytes.Contains(src, []byte("{{")) && !bytes.Contains(src, []byte("{%")) && !bytes.Contains(src, []byte("{#")) {
		return false
	}
	lines := bytes.Split(src, []byte("\n"))
	blanked := false
	for i, l := range lines {
		if reStatementLine.Match(l) {
			lines[i] = nil
			blanked = true
		}
	}
	if !blanked {
		return false
	}
	var d yaml.Node
	if yaml.Unmarshal(bytes.Join(lines, []byte("\n")), &d) != nil {
		return false
	}
	*doc = d
	return true
}

// newTemplate reads a template's sections from its parsed document; nil when it is not
// CloudFormation. The nodes are shared: a template made again for each stack that nests
// it is parsed once.
func newTemplate(rel string, top *yaml.Node, opts Options) *cfnTemplate {
	if top == nil || top.Kind != yaml.MappingNode {
		return nil
	}
	t := &cfnTemplate{rel: rel, opts: opts, params: map[string]*yaml.Node{}, paramLines: map[string]int{}, conditions: map[string]*yaml.Node{},
		resources: map[string]*cfnResource{}, memo: memo{vals: map[string]cty.Value{}, busy: map[string]bool{}}, top: top}
	isCFN := false
	forEachPair(top, func(k, v *yaml.Node) {
		switch k.Value {
		case "AWSTemplateFormatVersion":
			isCFN = true
		case "Parameters":
			forEachPair(v, func(pk, pv *yaml.Node) {
				t.params[pk.Value] = pv
				t.paramLines[pk.Value] = pk.Line
			})
		case "Mappings":
			t.mappings = v
		case "Metadata":
			if n := lookupKey(lookupKey(v, "QuickStartDocumentation"), "EntrypointName"); n != nil && n.Kind == yaml.ScalarNode {
				t.entry = strings.TrimSpace(n.Value)
			}
		case "Conditions":
			forEachPair(v, func(ck, cv *yaml.Node) { t.conditions[ck.Value] = cv })
		case "Outputs":
			t.outputs = map[string]*yaml.Node{}
			forEachPair(v, func(ok, ov *yaml.Node) { t.outputs[ok.Value] = ov })
		case "Resources":
			forEachPair(v, func(rk, rv *yaml.Node) {
				r := &cfnResource{id: rk.Value, line: rk.Line}
				forEachPair(rv, func(fk, fv *yaml.Node) {
					switch fk.Value {
					case "Type":
						r.typ = fv.Value
					case "Properties":
						r.props = fv
					case "Condition":
						r.condition = fv.Value
					}
				})
				if strings.HasPrefix(r.typ, "AWS::") {
					isCFN = true
				}
				if _, dup := t.resources[r.id]; !dup {
					t.order = append(t.order, r.id)
				}
				t.resources[r.id] = r
			})
		}
	})
	if !isCFN {
		return nil
	}
	return t
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// forEachPair calls fn for each key and value of a mapping node.
func forEachPair(n *yaml.Node, fn func(k, v *yaml.Node)) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(resolveAlias(n.Content[i]), resolveAlias(n.Content[i+1]))
	}
}

func lookupKey(n *yaml.Node, key string) *yaml.Node {
	var out *yaml.Node
	forEachPair(n, func(k, v *yaml.Node) {
		if out == nil && k.Value == key {
			out = v
		}
	})
	return out
}

// intrinsic returns the function name and argument when the node is an intrinsic function:
// a short-form tag (!Sub) or a one-key map ({"Fn::Sub": …}, {"Ref": …}).
func intrinsic(n *yaml.Node) (string, *yaml.Node, bool) {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name := strings.TrimPrefix(n.Tag, "!")
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		arg := *n
		arg.Tag = ""
		switch n.Kind {
		case yaml.ScalarNode:
			arg.Tag = "!!str"
		case yaml.SequenceNode:
			arg.Tag = "!!seq"
		case yaml.MappingNode:
			arg.Tag = "!!map"
		}
		return name, &arg, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, resolveAlias(n.Content[1]), true
		}
	}
	return "", nil, false
}

// plainMap reports whether n is a mapping of properties rather than a function call.
func plainMap(n *yaml.Node) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	_, _, fn := intrinsic(n)
	return !fn
}

// eval evaluates a node: scalars are strings (CloudFormation converts them as each
// property needs), intrinsic functions are applied, AWS::NoValue is null.
func (t *cfnTemplate) eval(n *yaml.Node) cty.Value {
	n = resolveAlias(n)
	if n == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	mt := t.meter
	at := func() place { return place{path: t.rel, line: n.Line} }
	// A list, a map or a function builds a value each time it is evaluated; a scalar is
	// its text, already there.
	if n.Kind != yaml.ScalarNode || n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") {
		if err := mt.spend(1); err != nil {
			mt.notice(err, at)
			return unknownBecause(t.rel + ":" + itoa(n.Line) + " is not evaluated: " + err.Error())
		}
	}
	if err := mt.enter(at); err != nil {
		return unknownBecause(t.rel + ":" + itoa(n.Line) + " is not evaluated: " + err.Error())
	}
	defer mt.leave()
	if fn, arg, ok := intrinsic(n); ok {
		v := t.call(fn, arg)
		// The innermost function the budget ran out in (Fn::Sub, Fn::Join) is where.
		mt.check(at)
		if fv, err := fit(v); err != nil {
			mt.notice(err, at)
			return fv
		}
		return v
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		if m := ssmReference.FindStringSubmatch(n.Value); m != nil {
			// A dynamic reference is replaced by the parameter's value when the stack is
			// deployed; one of AWS's image parameters still says which image it is.
			why := n.Value + " is read from SSM when the stack is deployed"
			if lk := ssmLookup(evidenceID(t.rel, n.Line, n.Value), m[1]); lk != nil {
				lk.image.Places = inventory.Places{"": {File: t.rel, Line: n.Line}, "Name": {File: t.rel, Line: n.Line}}
				lk.why = why + ": the AMI id is unknown, the image is known only by the public parameter " + m[1]
				return lk.value()
			}
			return unknownBecause(why)
		}
		return cty.StringVal(n.Value)
	case yaml.SequenceNode:
		var out []cty.Value
		for _, c := range n.Content {
			if v := t.eval(c); !plain(v).IsNull() || !isKnown(v) {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(out)
	case yaml.MappingNode:
		attrs := map[string]cty.Value{}
		forEachPair(n, func(k, v *yaml.Node) {
			if ev := t.eval(v); !plain(ev).IsNull() || !isKnown(ev) {
				attrs[k.Value] = ev
			}
		})
		return cty.ObjectVal(attrs)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

func (t *cfnTemplate) args(n *yaml.Node) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolveAlias(c)
	}
	return out
}

// call applies one intrinsic function.
func (t *cfnTemplate) call(fn string, arg *yaml.Node) cty.Value {
	args := t.args(arg)
	switch fn {
	case "Ref":
		return t.ref(arg.Value)
	case "Fn::GetAtt":
		var res, at string
		switch {
		case len(args) == 2:
			res, at = args[0].Value, str(t.eval(args[1]))
		case arg.Kind == yaml.ScalarNode:
			res, at, _ = strings.Cut(arg.Value, ".")
		}
		return t.getAtt(res, at)
	case "Fn::Sub":
		if arg.Kind == yaml.ScalarNode {
			return t.sub(arg.Value, nil)
		}
		if len(args) == 2 {
			vars := map[string]cty.Value{}
			forEachPair(args[1], func(k, v *yaml.Node) { vars[k.Value] = t.eval(v) })
			return t.sub(args[0].Value, vars)
		}
	case "Fn::Base64":
		// The user data readers want text; base64 is only how CloudFormation passes it.
		return t.eval(arg)
	case "Fn::Join":
		if len(args) == 2 {
			return t.join(t.eval(args[0]), args[1])
		}
	case "Fn::Select":
		if len(args) == 2 {
			idx, ok := asInt(t.eval(args[0]))
			list := t.eval(args[1])
			if !isKnown(list) {
				return list
			}
			if es := elements(list); ok && idx >= 0 && idx < len(es) {
				return es[idx]
			}
			return unknownBecause("Fn::Select index out of range")
		}
	case "Fn::Split":
		if len(args) == 2 {
			d, s := t.eval(args[0]), t.eval(args[1])
			if !isKnown(d) || !isKnown(s) {
				return unknownBecause(strings.Join(append(reasonsOf(d), reasonsOf(s)...), "; "))
			}
			if err := t.meter.spend(int64(strings.Count(str(s), str(d)) + 1 + len(str(s)))); err != nil {
				return unknownBecause("Fn::Split is not evaluated: " + err.Error())
			}
			parts := strings.Split(str(s), str(d))
			var out []cty.Value
			for _, part := range parts {
				out = append(out, cty.StringVal(part))
			}
			return cty.TupleVal(out)
		}
	case "Fn::If":
		if len(args) == 3 {
			c := t.condition(args[0].Value)
			if !isKnown(c) {
				return c
			}
			if b, _ := asBool(c); b {
				return t.eval(args[1])
			}
			return t.eval(args[2])
		}
	case "Fn::FindInMap":
		if len(args) >= 3 {
			m := lookupKey(t.mappings, str(t.eval(args[0])))
			k1, k2 := t.eval(args[1]), t.eval(args[2])
			if !isKnown(k1) || !isKnown(k2) {
				return unknownBecause(strings.Join(append(reasonsOf(k1), reasonsOf(k2)...), "; "))
			}
			if v := lookupKey(lookupKey(m, str(k1)), str(k2)); v != nil {
				return t.eval(v)
			}
			return unknownBecause("mapping " + str(t.eval(args[0])) + " has no " + str(k1) + "/" + str(k2))
		}
	case "Fn::ImportValue":
		return unknownBecause("Fn::ImportValue " + str(t.eval(arg)) + " comes from another stack's export")
	case "Fn::GetAZs":
		return unknownBecause("Fn::GetAZs lists the zones when the stack is deployed")
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition":
		return t.logic(fn, arg)
	}
	return unknownBecause(fn + " is not evaluated")
}

func str(v cty.Value) string {
	s, _ := asString(v)
	return s
}

// ref resolves Ref: a pseudo parameter, a parameter's default or a resource's identifier.
func (t *cfnTemplate) ref(name string) cty.Value {
	switch name {
	case "AWS::NoValue":
		return cty.NullVal(cty.DynamicPseudoType)
	case "AWS::Region":
		if t.opts.DefaultRegion != "" {
			return cty.StringVal(t.opts.DefaultRegion)
		}
	case "AWS::AccountId":
		if t.opts.DefaultAccount != "" {
			return cty.StringVal(t.opts.DefaultAccount)
		}
	case "AWS::Partition":
		return cty.StringVal("aws")
	case "AWS::URLSuffix":
		return cty.StringVal("amazonaws.com")
	}
	if strings.HasPrefix(name, "AWS::") {
		return unknownBecause(name + " is set when the stack is deployed")
	}
	if p, ok := t.params[name]; ok {
		return t.param(name, p)
	}
	if r, ok := t.resources[name]; ok {
		return t.refValue(r)
	}
	return unknownBecause(name + " is not defined in " + t.rel)
}

func (t *cfnTemplate) param(name string, p *yaml.Node) cty.Value {
	typ := ""
	if tn := lookupKey(p, "Type"); tn != nil {
		typ = tn.Value
	}
	if v, ok := t.given[name]; ok {
		// The parent stack passes it: a string, split when the type is a list.
		if s, ok := asString(v); ok && (strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList") {
			var out []cty.Value
			for _, part := range strings.Split(s, ",") {
				out = append(out, cty.StringVal(strings.TrimSpace(part)))
			}
			return cty.TupleVal(out).WithMarks(marksOf(v))
		}
		return v
	}
	def := lookupKey(p, "Default")
	if def != nil && (scripts.SecretName(name) || isNoEcho(p)) {
		// A secret's default is never read: it would flow wherever the template refers
		// to the parameter (a tag, user data) and on into a report.
		return unknownBecause("parameter " + name + " holds a secret: its value is not read")
	}
	if def == nil {
		if t.via != "" {
			return unknownBecause("parameter " + name + " has no Default and " + t.via + " does not pass it")
		}
		return unknownBecause("parameter " + name + " has no Default")
	}
	v := t.eval(def)
	if inner, ok := strings.CutPrefix(typ, "AWS::SSM::Parameter::Value<"); ok {
		// The Default names an SSM parameter; its value is read when the stack is deployed.
		path, _ := asString(v)
		why := "parameter " + name + " is read from the SSM parameter " + path + " when the stack is deployed"
		if !isKnown(v) || path == "" {
			return unknownBecause("parameter " + name + " is read from SSM when the stack is deployed")
		}
		if inner == "AWS::EC2::Image::Id>" || inner == "String>" {
			if lk := ssmLookup(evidenceID(t.rel, t.paramLines[name], name), path); lk != nil {
				lk.image.Places = inventory.Places{"": {File: t.rel, Line: t.paramLines[name]}, "Name": {File: t.rel, Line: def.Line}}
				lk.why = why + ": the AMI id is unknown, the image is known only by that public parameter"
				return lk.value()
			}
		}
		return unknownBecause(why)
	}
	if s, ok := asString(v); ok && (strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList") {
		var out []cty.Value
		for _, part := range strings.Split(s, ",") {
			out = append(out, cty.StringVal(strings.TrimSpace(part)))
		}
		return cty.TupleVal(out)
	}
	return v
}

// refValue is what Ref returns for a resource: its name for groups, launch configurations
// and classic load balancers, its identifier (standing for id or ARN) otherwise. A name
// the template does not fix is generated when the stack is created; the identifier stands
// for it, so the reference joins the resource of this template and no other.
func (t *cfnTemplate) refValue(r *cfnResource) cty.Value {
	switch r.typ {
	case "AWS::AutoScaling::AutoScalingGroup", "AWS::AutoScaling::LaunchConfiguration", "AWS::ElasticLoadBalancing::LoadBalancer",
		"AWS::CodeDeploy::Application":
		return t.nameRef(r)
	}
	return identityVal(r.evidence(t), r.id)
}

// nameRef is the resource's name when the template fixes it, else its identifier.
func (t *cfnTemplate) nameRef(r *cfnResource) cty.Value {
	if s, known := t.naming(r); known {
		return cty.StringVal(s)
	}
	return identityVal(r.evidence(t), r.id)
}

// nameProps are the properties that name each resource type.
var nameProps = map[string]string{
	"AWS::AutoScaling::AutoScalingGroup":        "AutoScalingGroupName",
	"AWS::AutoScaling::LaunchConfiguration":     "LaunchConfigurationName",
	"AWS::EC2::LaunchTemplate":                  "LaunchTemplateName",
	"AWS::ElasticLoadBalancing::LoadBalancer":   "LoadBalancerName",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "Name",
	"AWS::ElasticLoadBalancingV2::TargetGroup":  "Name",
	"AWS::AutoScaling::LifecycleHook":           "LifecycleHookName",
	"AWS::CodeDeploy::DeploymentGroup":          "DeploymentGroupName",
	"AWS::CodeDeploy::Application":              "ApplicationName",
}

// name is the resource's name: its name property when known, its known prefix and "…"
// when only part of it is, else its logical id, after the nested stacks that create it
// ("WebStack/AutoScalingGroup"): AWS names such a resource after its stack and logical id,
// and so do people.
func (t *cfnTemplate) name(r *cfnResource) string {
	s, _ := t.naming(r)
	return s
}

func (t *cfnTemplate) naming(r *cfnResource) (string, bool) {
	v := t.memo.get("name:"+r.id, func() cty.Value {
		if n := lookupKey(r.props, nameProps[r.typ]); n != nil && nameProps[r.typ] != "" {
			v := t.eval(n)
			s, ok := asString(v)
			switch {
			case !ok || s == "":
			case isKnown(v) && len(reasonsOf(v)) == 0 && len(identitiesOf(v)) == 0:
				return cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(s), "known": cty.True})
			default:
				// Fn::Sub and Fn::Join keep what they cannot render as ${…}.
				if p, ok := knownPrefix(s, strings.Index(s, "${")); ok && len(identitiesOf(v)) == 0 {
					return cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(p), "known": cty.False})
				}
			}
		}
		return cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(t.logicalName(r)), "known": cty.False})
	})
	s, ok := asString(attr(v, "name"))
	if !ok {
		return t.logicalName(r), false
	}
	known, _ := asBool(attr(v, "known"))
	return s, known
}

// logicalName is the resource's logical id after the nested stacks that create it.
func (t *cfnTemplate) logicalName(r *cfnResource) string {
	if t.path == "" {
		return r.id
	}
	return t.path + "/" + r.id
}

func (t *cfnTemplate) getAtt(res, at string) cty.Value {
	r, ok := t.resources[res]
	if !ok {
		return unknownBecause(res + " is not defined in " + t.rel)
	}
	switch at {
	case "LatestVersionNumber":
		return cty.StringVal("$Latest")
	case "DefaultVersionNumber":
		return cty.StringVal("$Default")
	case "Arn", "TargetGroupArn", "LoadBalancerArn", "LaunchTemplateId", "ListenerArn":
		return identityVal(r.evidence(t), r.id+"."+at)
	case "TargetGroupName", "LoadBalancerName", "LaunchTemplateName":
		return t.nameRef(r)
	}
	if name, ok := strings.CutPrefix(at, "Outputs."); ok && r.typ == "AWS::CloudFormation::Stack" {
		return t.stackOutput(r, name)
	}
	return unknownBecause(res + "." + at + " is known only once the stack is deployed")
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// sub renders Fn::Sub: known placeholders are replaced, unknown ones kept as written and
// the result marked with why; ${!Literal} is the escape for a literal ${Literal}.
func (t *cfnTemplate) sub(s string, vars map[string]cty.Value) cty.Value {
	var marks []cty.ValueMarks
	// What it builds is counted as it builds it: two thousand ${Big} over a parameter of a
	// megabyte is two gigabytes.
	over := t.meter.spend(int64(len(s)))
	out := subVar.ReplaceAllStringFunc(s, func(m string) string {
		if over != nil {
			return ""
		}
		text, mk := t.subPart(m, vars)
		if over = t.meter.spend(int64(len(text))); over != nil {
			return ""
		}
		marks = append(marks, mk)
		return text
	})
	if over != nil {
		return unknownBecause("Fn::Sub is not evaluated: " + over.Error())
	}
	v := cty.StringVal(out)
	for _, m := range marks {
		v = v.WithMarks(m)
	}
	return v
}

// subPart is what Fn::Sub puts for one placeholder ("${Name}"), with the marks it brings.
func (t *cfnTemplate) subPart(m string, vars map[string]cty.Value) (string, cty.ValueMarks) {
	name := strings.TrimSpace(m[2 : len(m)-1])
	if strings.HasPrefix(name, "!") {
		return "${" + name[1:] + "}", nil
	}
	var v cty.Value
	if vv, ok := vars[name]; ok {
		v = vv
	} else if res, at, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
		v = t.getAtt(res, at)
	} else {
		v = t.ref(name)
	}
	if s, ok := asString(v); ok && isKnown(v) && len(identitiesOf(v)) == 0 {
		return s, marksOf(v)
	}
	if len(identitiesOf(v)) > 0 {
		// Only a stand-in for what is known once the stack exists: kept as written.
		return m, cty.NewValueMarks(reason(name + " is known only once the stack is deployed"))
	}
	return m, marksOf(v)
}

// join renders Fn::Join; an unknown element is kept as a ${…} placeholder naming it, like
// Fn::Sub does, so user data assembled with Join still shows what it runs.
func (t *cfnTemplate) join(delim cty.Value, list *yaml.Node) cty.Value {
	if !isKnown(delim) {
		return delim
	}
	items := t.args(list)
	if items == nil {
		lv := t.eval(list)
		if !isKnown(lv) {
			return lv
		}
		var parts []string
		for _, e := range elements(lv) {
			p := str(e)
			if err := t.meter.spend(int64(len(p) + len(str(delim)))); err != nil {
				return unknownBecause("Fn::Join is not evaluated: " + err.Error())
			}
			parts = append(parts, p)
		}
		return cty.StringVal(strings.Join(parts, str(delim))).WithMarks(marksOf(lv))
	}
	var parts []string
	var marks []cty.ValueMarks
	for _, it := range items {
		v := t.eval(it)
		if s, ok := asString(v); ok {
			if err := t.meter.spend(int64(len(s) + len(str(delim)))); err != nil {
				return unknownBecause("Fn::Join is not evaluated: " + err.Error())
			}
		}
		if ids := identitiesOf(v); len(ids) > 0 {
			v = unknownBecause(ids[0].addr + " is known only once the stack is deployed")
		}
		marks = append(marks, marksOf(v))
		if s, ok := asString(v); ok && isKnown(v) {
			parts = append(parts, s)
			continue
		}
		if plain(v).IsNull() && isKnown(v) {
			continue
		}
		if fn, arg, ok := intrinsic(it); ok && fn == "Ref" {
			parts = append(parts, "${"+arg.Value+"}")
		} else {
			parts = append(parts, "${"+nodeText(it)+"}")
		}
	}
	out := cty.StringVal(strings.Join(parts, str(delim)))
	for _, m := range marks {
		out = out.WithMarks(m)
	}
	return out
}

// condition evaluates a named condition.
func (t *cfnTemplate) condition(name string) cty.Value {
	return t.memo.get("condition:"+name, func() cty.Value {
		n, ok := t.conditions[name]
		if !ok {
			return unknownBecause("condition " + name + " is not defined")
		}
		return t.eval(n)
	})
}

func (t *cfnTemplate) logic(fn string, arg *yaml.Node) cty.Value {
	if fn == "Condition" {
		return t.condition(arg.Value)
	}
	args := t.args(arg)
	vals := make([]cty.Value, len(args))
	var why []string
	for i, a := range args {
		vals[i] = t.eval(a)
		if !isKnown(vals[i]) {
			why = append(why, reasonsOf(vals[i])...)
		}
	}
	if len(why) > 0 {
		return unknownBecause(strings.Join(sortedUnique(why), "; "))
	}
	switch fn {
	case "Fn::Equals":
		if len(vals) == 2 {
			return cty.BoolVal(str(vals[0]) == str(vals[1]))
		}
	case "Fn::Not":
		if len(vals) == 1 {
			b, _ := asBool(vals[0])
			return cty.BoolVal(!b)
		}
	case "Fn::And", "Fn::Or":
		and := fn == "Fn::And"
		res := and
		for _, v := range vals {
			b, _ := asBool(v)
			if and {
				res = res && b
			} else {
				res = res || b
			}
		}
		return cty.BoolVal(res)
	}
	return unknownBecause(fn + " has the wrong arguments")
}

// nodeText is a short rendering of a node for a gap message, as written: "!Ref MaxSize",
// "[!Ref SecurityGroup]", "!FindInMap [AWSRegionToAMI, !Ref AWS::Region, AMI]".
func nodeText(n *yaml.Node) string {
	budget := 120
	s := renderNode(n, &budget)
	s, _, cut := strings.Cut(s, "\n")
	if len(s) > 80 {
		s, cut = s[:80], true
	}
	if cut {
		s += " …"
	}
	return s
}

// renderNode renders a node on one line in YAML's flow style, short forms for intrinsic
// functions; budget stops a deep or aliased node early.
func renderNode(n *yaml.Node, budget *int) string {
	n = resolveAlias(n)
	if n == nil {
		return ""
	}
	if *budget--; *budget < 0 {
		return "…"
	}
	if fn, arg, ok := intrinsic(n); ok {
		short := strings.TrimPrefix(fn, "Fn::")
		if arg.Kind == yaml.ScalarNode {
			// !GetAZs '' is written with an empty argument: no stray space after the name.
			return strings.TrimSpace("!" + short + " " + arg.Value)
		}
		return "!" + short + " " + renderNode(arg, budget)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value
	case yaml.SequenceNode:
		parts := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			parts = append(parts, renderNode(c, budget))
			if *budget < 0 {
				break
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case yaml.MappingNode:
		var parts []string
		forEachPair(n, func(k, v *yaml.Node) {
			if *budget >= 0 {
				parts = append(parts, k.Value+": "+renderNode(v, budget))
			}
		})
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "…"
}

// cfnProps reads a resource's Properties, or any nested map of them, for the mappers.
type cfnProps struct {
	t    *cfnTemplate
	node *yaml.Node // a plain mapping, or nil when the properties came from a function
	val  cty.Value
	name string
	at   place
}

func (p cfnProps) get(name string) (cty.Value, place, bool) {
	if p.node != nil {
		n := lookupKey(p.node, name)
		if n == nil {
			return cty.NullVal(cty.DynamicPseudoType), place{}, false
		}
		v := p.t.eval(n)
		at := place{path: p.t.rel, line: n.Line, text: nodeText(n)}
		return v, at, !plain(v).IsNull() || !isKnown(v)
	}
	v := attr(p.val, name)
	return v, p.at, !plain(v).IsNull() || !isKnown(v)
}

func (p cfnProps) subs(name string) []props {
	sub := func(n *yaml.Node) props {
		at := place{path: p.t.rel, line: n.Line}
		if plainMap(n) {
			return cfnProps{t: p.t, node: n, name: p.name + " " + name, at: at}
		}
		return cfnProps{t: p.t, val: p.t.eval(n), name: p.name + " " + name, at: at}
	}
	if p.node != nil {
		n := lookupKey(p.node, name)
		if n == nil {
			return nil
		}
		if _, _, fn := intrinsic(n); n.Kind == yaml.SequenceNode && !fn {
			var out []props
			for _, c := range n.Content {
				c = resolveAlias(c)
				if _, _, fn := intrinsic(c); fn {
					v := p.t.eval(c)
					if plain(v).IsNull() && isKnown(v) {
						continue
					}
				}
				out = append(out, sub(c))
			}
			return out
		}
		if plainMap(n) {
			return []props{sub(n)}
		}
		v := p.t.eval(n)
		var out []props
		for _, e := range elements(v) {
			out = append(out, cfnProps{t: p.t, val: e, name: p.name + " " + name, at: place{path: p.t.rel, line: n.Line}})
		}
		return out
	}
	v, at, ok := p.get(name)
	if !ok {
		return nil
	}
	var out []props
	for _, e := range elements(v) {
		out = append(out, cfnProps{t: p.t, val: e, name: p.name + " " + name, at: at})
	}
	return out
}

func (p cfnProps) label() string { return p.name }
func (p cfnProps) where() place  { return p.at }

// isNoEcho reports a parameter marked NoEcho, whose value CloudFormation itself hides.
func isNoEcho(p *yaml.Node) bool {
	n := lookupKey(p, "NoEcho")
	return n != nil && strings.EqualFold(strings.Trim(n.Value, `"'`), "true")
}
