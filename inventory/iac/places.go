package iac

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// Where each field of a record is written, from the parsers' own positions: the argument,
// key or block, and, when the argument only passes a value on (var.x, local.y, a dynamic
// block's iterator, !Ref Parameter), where that value is written for this instance — the
// variable's default or tfvars entry, the module argument, the Terragrunt input, the
// parameter's Default or the parent stack's Parameters entry. Evidence then points at the
// construct's own line, not at the resource's first one.

// maxOrigin bounds how many hops a value is followed back through.
const maxOrigin = 12

func toPlace(at place) inventory.Place {
	if at.via == nil {
		return inventory.Place{File: at.path, Line: at.line}
	}
	return withOrigin(inventory.Place{File: at.path, Line: at.line}, *at.via, true)
}

// newPlaces starts a record's places with the resource's own definition.
func newPlaces(at place) inventory.Places {
	return inventory.Places{"": toPlace(at)}
}

// setPlace records where p writes the argument name, as field; nothing when it does not.
func setPlace(ps inventory.Places, field string, p props, name string) {
	if at, ok := p.placeOf(name); ok {
		ps[field] = at
	}
}

// setBlock records a nested block's own place as field.
func setBlock(ps inventory.Places, field string, p props) {
	if at := p.where(); at.path != "" {
		ps[field] = toPlace(at)
	}
}

// origin is where a value passed on is written, and how it gets there (ValueFrom…).
type origin struct {
	at  place
	how string
}

// withOrigin is the place of an argument written at, with the place its value comes from
// when that is elsewhere.
func withOrigin(at inventory.Place, from origin, ok bool) inventory.Place {
	if ok && (from.at.path != at.File || from.at.line != at.Line) {
		at.ValueFile, at.ValueLine, at.ValueFrom = from.at.path, from.at.line, from.how
	}
	return at
}

func (p *tfProps) placeOf(name string) (inventory.Place, bool) {
	if a := p.attrs[name]; a != nil {
		at := inventory.Place{File: a.Range.Filename, Line: a.Range.Start.Line}
		from, ok := p.m.origin(a.Expr, p.iters, 0)
		return withOrigin(at, from, ok), true
	}
	if bs := p.blocks[name]; len(bs) > 0 {
		return toPlace(bs[0].where()), true
	}
	return inventory.Place{}, false
}

func (p valueProps) placeOf(name string) (inventory.Place, bool) {
	if _, _, ok := p.get(name); !ok {
		return inventory.Place{}, false
	}
	if e := p.item(name); e != nil {
		rng := e.Range()
		at := inventory.Place{File: rng.Filename, Line: rng.Start.Line}
		if p.m != nil {
			from, ok := p.m.origin(e, nil, 0)
			at = withOrigin(at, from, ok)
		}
		return at, true
	}
	return toPlace(p.at), p.at.path != ""
}

func (p cfnProps) placeOf(name string) (inventory.Place, bool) {
	if p.node == nil {
		if _, _, ok := p.get(name); ok && p.at.path != "" {
			return toPlace(p.at), true
		}
		return inventory.Place{}, false
	}
	k, v := lookupPair(p.node, name)
	if k == nil {
		return inventory.Place{}, false
	}
	at := inventory.Place{File: p.t.rel, Line: k.Line}
	from, ok := p.t.origin(v, 0)
	return withOrigin(at, from, ok), true
}

// origin is where the value of expr is written when expr only passes on a value written
// elsewhere: a variable, a local, a dynamic block's iterator, each or count, or such a
// reference as a whole template ("${var.x}"); ok is false when expr itself is where the
// value is written. The place is the last one followed to; how is the first variable's
// (a local or an iterator only passes the value on within the module).
func (m *tfModule) origin(expr hcl.Expression, iters map[string]hcl.Expression, depth int) (origin, bool) {
	if depth > maxOrigin || expr == nil {
		return origin{}, false
	}
	if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		expr = w.Wrapped
	}
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return origin{}, false
	}
	root := st.Traversal.RootName()
	names := attrNames(st.Traversal)
	// follow goes on from an expression written at a place: that place, or further.
	follow := func(mod *tfModule, e hcl.Expression, at hcl.Range, it map[string]hcl.Expression, how string) (origin, bool) {
		if further, ok := mod.origin(e, it, depth+1); ok {
			if how != inventory.ValueFromLocal {
				further.how = how
			}
			return further, true
		}
		return origin{at: place{path: at.Filename, line: at.Start.Line}, how: how}, true
	}
	if e, ok := iters[root]; ok {
		return follow(m, e, e.Range(), iters, inventory.ValueFromLocal)
	}
	switch root {
	case "local":
		if len(names) > 0 {
			if a := m.def.locals[names[0]]; a != nil {
				return follow(m, a.Expr, a.Range, nil, inventory.ValueFromLocal)
			}
		}
	case "var":
		if len(names) > 0 {
			return m.variableOrigin(names[0], depth)
		}
	case "each", "count":
		if m.inst != nil && m.call != nil && m.parent != nil {
			// A module instance's each: the call's for_each or count, in the caller.
			for _, k := range []string{"for_each", "count"} {
				if a := m.call.attrs[k]; a != nil {
					return follow(m.parent, a.Expr, a.Range, nil, inventory.ValueFromArgument)
				}
			}
		}
	}
	return origin{}, false
}

// variableOrigin is where var.name gets its value, in the order variable() takes it.
func (m *tfModule) variableOrigin(name string, depth int) (origin, bool) {
	def := m.def.variables[name]
	if def == nil {
		return origin{}, false
	}
	at := func(r hcl.Range, how string) (origin, bool) {
		return origin{at: place{path: r.Filename, line: r.Start.Line}, how: how}, true
	}
	if m.parent == nil {
		if u := m.rt.unit; u != nil {
			if d := m.rt.dirs[u.dir]; d != nil && d != m.def {
				if a := d.tfvars[name]; a != nil {
					return at(a.Range, inventory.ValueFromTFVars)
				}
			}
		}
		if a := m.def.tfvars[name]; a != nil {
			return at(a.Range, inventory.ValueFromTFVars)
		}
		if u := m.rt.unit; u != nil {
			if r, ok := u.inputAt[name]; ok {
				return at(r, inventory.ValueFromInput)
			}
		}
	} else if a := m.call.attrs[name]; a != nil {
		if further, ok := m.parent.origin(a.Expr, nil, depth+1); ok {
			further.how = inventory.ValueFromArgument
			return further, true
		}
		return at(a.Range, inventory.ValueFromArgument)
	}
	if def.defaultVal != nil {
		return at(def.defaultVal.Range, inventory.ValueFromDefault)
	}
	return origin{}, false
}

// lookupPair is the key and value nodes of a mapping's entry.
func lookupPair(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	var kn, vn *yaml.Node
	forEachPair(n, func(k, v *yaml.Node) {
		if kn == nil && k.Value == key {
			kn, vn = k, v
		}
	})
	return kn, vn
}

// origin is where the value of a CloudFormation node is written when the node is a Ref
// to a parameter: the parent stack's Parameters entry that passes it (followed on in the
// parent), else the parameter's Default.
func (t *cfnTemplate) origin(n *yaml.Node, depth int) (origin, bool) {
	if depth > maxOrigin || n == nil {
		return origin{}, false
	}
	fn, arg, ok := intrinsic(resolveAlias(n))
	if !ok || fn != "Ref" || arg.Kind != yaml.ScalarNode {
		return origin{}, false
	}
	p, isParam := t.params[arg.Value]
	if !isParam {
		return origin{}, false
	}
	if gn, ok := t.givenAt[arg.Value]; ok && t.parent != nil {
		if further, ok := t.parent.origin(gn[1], depth+1); ok {
			further.how = inventory.ValueFromArgument
			return further, true
		}
		return origin{at: place{path: t.parent.rel, line: gn[0].Line}, how: inventory.ValueFromArgument}, true
	}
	if k, _ := lookupPair(p, "Default"); k != nil {
		return origin{at: place{path: t.rel, line: k.Line}, how: inventory.ValueFromDefault}, true
	}
	return origin{}, false
}
