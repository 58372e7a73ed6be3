package iac

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"whyk8s/inventory"
)

// tfModule is one module instance: a folder of Terraform called with its inputs. The root
// module is the instance with no parent.
type tfModule struct {
	rt        *tfRoot
	def       *tfDir
	parent    *tfModule
	call      *tfModuleCall
	addr      string // "" for the root, "module.web_a", "module.web_a.module.sg"
	depth     int
	resources map[string]*tfResource
	children  map[string]*tfModule
	calls     map[string]*tfModuleCall
	// repeats are the local module calls with count or for_each, expanded on first use.
	repeats map[string]*tfRepeat
	// inst is the instance of a repeated module call this module is, with the count or
	// each its call's arguments see; nil for a call that does not repeat or is read as one.
	inst      *tfInstance
	providers map[string]providerConfig
	memo      memo
	names     map[string]*tfName // resource key → its name, once worked out
}

// memo evaluates each named value once and answers "unknown" to a reference cycle rather
// than recursing forever.
type memo struct {
	vals map[string]cty.Value
	busy map[string]bool
	// sizes are the values' sizes (see valueSize), or an upper bound of them, once known.
	sizes map[string]int64
}

// setSize records the size of the value of key, or an upper bound of it.
func (mm *memo) setSize(key string, n int64) {
	if mm.sizes == nil {
		mm.sizes = map[string]int64{}
	}
	mm.sizes[key] = n
}

func (mm *memo) get(key string, compute func() cty.Value) cty.Value {
	if v, ok := mm.vals[key]; ok {
		return v
	}
	if mm.busy[key] {
		return unknownBecause(key + " refers to itself")
	}
	mm.busy[key] = true
	v := compute()
	delete(mm.busy, key)
	mm.vals[key] = v
	return v
}

// where names the module in messages.
func (m *tfModule) where() string {
	if m.addr == "" {
		return m.def.dir
	}
	return m.addr
}

// eval evaluates an expression in the module. Every reference it makes is resolved on
// demand (variables, locals, other resources, module outputs), so definitions may come in
// any order, as in Terraform. extra holds count, each and dynamic-block iterators.
//
// Each evaluation is a level of the root's meter (references followed through references
// go no deeper than its bound), and its value is no larger than maxValue.
func (m *tfModule) eval(expr hcl.Expression, extra map[string]cty.Value) cty.Value {
	v, _ := m.evalSized(expr, extra)
	return v
}

// evalSized is eval with an upper bound of the value's size (see valueSize): what it
// refers to, each time it does, what the meter counted it build, and what is written.
// The value is walked to be sure only when the bound is past maxValue, so that a value is
// walked once, where it is built, however often it is used.
func (m *tfModule) evalSized(expr hcl.Expression, extra map[string]cty.Value) (cty.Value, int64) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType), 1
	}
	rt := m.rt
	at := func() place { return rangePlace(expr.Range()) }
	expr = rt.tree.native(expr)
	// A condition known here picks its branch, as Terraform does. HCL evaluates both and
	// merges their marks into the result, and with them the reasons of an unknown and the
	// image lookup that only the branch not taken holds (var.arch == "arm64" ?
	// data.aws_ami.arm[0].image_id : data.aws_ami.x86.image_id is the x86 lookup).
	if c, ok := expr.(*hclsyntax.ConditionalExpr); ok {
		cond, _ := m.evalSized(c.Condition, extra)
		cond, _ = cond.UnmarkDeep()
		if cond.IsWhollyKnown() && !cond.IsNull() {
			if b, err := convert.Convert(cond, cty.Bool); err == nil {
				if b.True() {
					return m.evalSized(c.TrueResult, extra)
				}
				return m.evalSized(c.FalseResult, extra)
			}
		}
	}
	if err := rt.meter.enter(at); err != nil {
		// What is written out costs nothing to build: a group's literal name is still read
		// when the time ran out on a local beside it.
		if v, ok := literalValue(expr); ok {
			return v, int64(expr.Range().End.Byte-expr.Range().Start.Byte) + 1
		}
		return unknownBecause(rt.rangeText(expr.Range()) + " is not evaluated: " + err.Error()), 1
	}
	defer rt.meter.leave()
	vars, bound := m.variablesFor(expr.Variables(), extra)
	ctx := &hcl.EvalContext{Variables: vars, Functions: rt.functions()}
	used := rt.meter.budget.Used()
	v, diags := expr.Value(ctx)
	rt.meter.check(at)
	rt.meter.noticeDiags(diags)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				return unknownBecause(rt.diagReason(d)), 1
			}
		}
	}
	r := expr.Range()
	bound += rt.meter.budget.Used() - used + int64(r.End.Byte-r.Start.Byte) + 1
	if bound > maxValue {
		n, err := sizeWithin(v)
		if err != nil {
			rt.meter.notice(err, at)
			return unknownBecause(err.Error()), 1
		}
		bound = n
	}
	return v, bound
}

// rangePlace is the place a range starts at.
func rangePlace(r hcl.Range) place { return place{path: r.Filename, line: r.Start.Line} }

// diagReason says in plain words why an expression could not be evaluated: what, as
// written, and why, rather than HCL's own diagnostic.
func (rt *tfRoot) diagReason(d *hcl.Diagnostic) string {
	what := ""
	rs := []*hcl.Range{d.Context, d.Subject}
	if d.Expression != nil {
		r := d.Expression.Range()
		rs = append([]*hcl.Range{&r}, rs...)
	}
	for _, r := range rs {
		if r != nil {
			if what = rt.rangeText(*r); what != "" {
				break
			}
		}
	}
	if what == "" {
		what = "an expression"
	}
	detail, _, _ := strings.Cut(d.Detail, "\n")
	detail = strings.TrimSuffix(strings.TrimSpace(detail), ".")
	quoted := ""
	if i := strings.Index(detail, `"`); i >= 0 {
		if j := strings.Index(detail[i+1:], `"`); j >= 0 {
			quoted = detail[i : i+j+2]
		}
	}
	switch {
	case d.Summary == "Unsupported attribute" && quoted != "":
		return what + " cannot be evaluated: what it refers to has no attribute " + quoted + " in the code read"
	case d.Summary == "Invalid index" || d.Summary == "Missing map element":
		return what + " cannot be evaluated: what it refers to has no such element in the code read"
	case d.Summary == "Call to unknown function":
		return what + " cannot be evaluated: whyk8s does not evaluate this function"
	case d.Summary == "Unknown variable" || d.Summary == "Variables not allowed":
		return what + " cannot be evaluated: it refers to something whyk8s does not know"
	}
	if _, rest, ok := strings.Cut(detail, " failed: "); ok && d.Summary == "Error in function call" {
		detail = rest
	}
	why := detail
	if why == "" {
		why = d.Summary
	}
	if why != "" {
		why = strings.ToLower(why[:1]) + why[1:]
	}
	return what + " cannot be evaluated: " + why
}

// rangeText is the source text of a range, on one line and short.
func (rt *tfRoot) rangeText(rng hcl.Range) string {
	src := rt.src[rng.Filename]
	if rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return ""
	}
	s := strings.Join(strings.Fields(string(src[rng.Start.Byte:rng.End.Byte])), " ")
	if len(s) > 80 {
		s = s[:80] + " …"
	}
	return s
}

// refTree builds the nested objects an EvalContext wants from resolved references.
type refTree struct {
	leaf *cty.Value
	kids map[string]*refTree
}

func (t *refTree) put(path []string, v cty.Value) {
	if t.leaf != nil {
		return
	}
	if len(path) == 0 {
		t.leaf, t.kids = &v, nil
		return
	}
	if t.kids == nil {
		t.kids = map[string]*refTree{}
	}
	k := t.kids[path[0]]
	if k == nil {
		k = &refTree{}
		t.kids[path[0]] = k
	}
	k.put(path[1:], v)
}

func (t *refTree) value() cty.Value {
	if t.leaf != nil {
		return *t.leaf
	}
	attrs := make(map[string]cty.Value, len(t.kids))
	for n, k := range t.kids {
		attrs[n] = k.value()
	}
	return cty.ObjectVal(attrs)
}

// variablesFor resolves the references of an expression, with the sum of their sizes, a
// reference counted each time it is made.
func (m *tfModule) variablesFor(refs []hcl.Traversal, extra map[string]cty.Value) (map[string]cty.Value, int64) {
	root := &refTree{}
	var size int64
	for _, t := range refs {
		name := t.RootName()
		if v, ok := extra[name]; ok {
			root.put([]string{name}, v)
			size += m.refSize("", v)
			continue
		}
		path, v := m.resolve(t)
		root.put(path, v)
		size += m.refSize(memoKey(t), v)
	}
	out := map[string]cty.Value{}
	for n, k := range root.kids {
		out[n] = k.value()
	}
	return out, size
}

// memoKey is the key in a module's memo of what a reference resolves to, or "".
func memoKey(t hcl.Traversal) string {
	names := attrNames(t)
	switch root := t.RootName(); {
	case len(names) == 0:
		return ""
	case root == "var" || root == "local":
		return root + "." + names[0]
	case root == "module":
		if len(names) > 1 {
			return "module." + names[0] + "." + names[1]
		}
		return "module." + names[0]
	case root == "data" || root == "path" || root == "terraform" || root == "count" || root == "each" || root == "self":
		return ""
	default:
		return "resource:" + root + "." + names[0]
	}
}

// refSize is the size of a referenced value: known from where it was built, or walked
// (no further than maxValue) and kept under key when there is one.
func (m *tfModule) refSize(key string, v cty.Value) int64 {
	if key != "" {
		if n, ok := m.memo.sizes[key]; ok {
			return n
		}
	}
	n, over, err := valueSize(v, maxValue)
	if over || err != nil {
		n = maxValue + 1
	}
	if key != "" {
		m.memo.setSize(key, n)
	}
	return n
}

// attrNames are the attribute names a traversal starts with after its root.
func attrNames(t hcl.Traversal) []string {
	var out []string
	for _, step := range t[1:] {
		a, ok := step.(hcl.TraverseAttr)
		if !ok {
			break
		}
		out = append(out, a.Name)
	}
	return out
}

// resolve finds the value a reference points at and the path it sits at in the context.
func (m *tfModule) resolve(t hcl.Traversal) ([]string, cty.Value) {
	root := t.RootName()
	names := attrNames(t)
	need := func(n int) bool { return len(names) >= n }
	switch root {
	case "var":
		if !need(1) {
			return []string{root}, unknownBecause("var used as a whole")
		}
		return []string{root, names[0]}, m.variable(names[0])
	case "local":
		if !need(1) {
			return []string{root}, unknownBecause("local used as a whole")
		}
		return []string{root, names[0]}, m.local(names[0])
	case "path":
		return []string{root}, cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal(m.pathModule()), "root": cty.StringVal("."), "cwd": cty.StringVal("."),
		})
	case "terraform":
		ws := unknownBecause("terraform.workspace: the workspace is chosen when Terraform runs")
		if m.rt.opts.Workspace != "" {
			ws = cty.StringVal(m.rt.opts.Workspace)
		}
		return []string{root}, cty.ObjectVal(map[string]cty.Value{"workspace": ws})
	case "count", "each", "self":
		return []string{root}, unknownBecause(root + " used outside a resource that sets it")
	case "data":
		if !need(2) {
			return []string{root}, unknownBecause("data used as a whole")
		}
		key := "data." + names[0] + "." + names[1]
		def := m.def.data[names[0]+"."+names[1]]
		why := key + " is looked up when Terraform runs"
		switch {
		case names[0] == "terraform_remote_state":
			why = key + " reads another state's outputs, which are not in the code"
		case def == nil:
			why = key + " is not defined in " + m.where()
		case names[0] == "aws_ami" || names[0] == "aws_ssm_parameter":
			return []string{root, names[0], names[1]}, m.imageData(def)
		case names[0] == "template_file":
			return []string{root, names[0], names[1]}, m.templateData(def)
		case names[0] == "cloudinit_config" || names[0] == "template_cloudinit_config":
			return []string{root, names[0], names[1]}, m.cloudinitData(def)
		case names[0] == "ct_config":
			return []string{root, names[0], names[1]}, m.ctConfigData(def)
		}
		return []string{root, names[0], names[1]}, unknownBecause(why)
	case "module":
		if !need(1) {
			return []string{root}, unknownBecause("module used as a whole")
		}
		// A call expanded per instance is a list (count) or an object (for_each) of its
		// instances: the expression indexes it, as in module.web["a"].name.
		if need(2) && !m.expandedCall(names[0]) {
			return []string{root, names[0], names[1]}, m.moduleOutput(names[0], names[1])
		}
		return []string{root, names[0]}, m.moduleOutputs(names[0])
	}
	if !need(1) {
		return []string{root}, unknownBecause(root + " is not a value Terraform knows")
	}
	r := m.resources[root+"."+names[0]]
	if r == nil {
		return []string{root, names[0]}, unknownBecause(root + "." + names[0] + " is not defined in " + m.where())
	}
	v := r.value()
	if len(names) > 1 {
		// An attribute the code does not write (random_string.x.result, an instance's
		// private_ip) is computed when the resource is created: unknown on its own, not
		// an error that would make everything built from it unknown.
		if u := plain(v); u.IsKnown() && !u.IsNull() && u.Type().IsObjectType() && !u.Type().HasAttribute(names[1]) {
			return []string{root, names[0], names[1]}, unknownBecause(root + "." + names[0] + "." + names[1] + " is not written in the code: it is known only once the resource is created, if it exists at all")
		}
	}
	return []string{root, names[0]}, v
}

// pathModule is path.module: the module's folder relative to the root module's, as
// Terraform gives it, so file() and templatefile() find what the code means.
func (m *tfModule) pathModule() string {
	if m.parent == nil {
		return "."
	}
	rel := relPath(m.rt.dir, m.def.dir)
	return rel
}

// relPath is the slash path from folder a to folder b, both evidence paths.
func relPath(a, b string) string {
	as, bs := splitDir(a), splitDir(b)
	i := 0
	for i < len(as) && i < len(bs) && as[i] == bs[i] {
		i++
	}
	var parts []string
	for range as[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, bs[i:]...)
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

func splitDir(d string) []string {
	if d == "." || d == "" {
		return nil
	}
	return strings.Split(d, "/")
}

// variable is var.NAME: in the root module from tfvars or the default; in a called module
// from the call's argument or the default.
func (m *tfModule) variable(name string) cty.Value {
	return m.memo.get("var."+name, func() cty.Value {
		def := m.def.variables[name]
		if def == nil {
			return unknownBecause("var." + name + " is not declared in " + m.where())
		}
		return def.typed(m.variableValue(def))
	})
}

// typed is a variable's value as Terraform gives it to the module: optional() attributes
// a caller leaves out filled with their defaults (or null), and converted to the type
// constraint ("3" to 3, a tuple to a list). A value that does not convert is kept as it
// is: Terraform would refuse it, and whyk8s reads what is written.
func (def *tfVariable) typed(v cty.Value) cty.Value {
	if def.typ == nil {
		return v
	}
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(def.typ.Expr)
	if diags.HasErrors() || ty == cty.DynamicPseudoType {
		return v
	}
	u, pvm := v.UnmarkDeepWithPaths()
	if defaults != nil && !u.IsNull() && u.IsKnown() {
		u = defaults.Apply(u)
	}
	cv, err := convert.Convert(u, ty)
	if err != nil {
		return v
	}
	return cv.MarkWithPaths(pvm)
}

// variableValue is var.NAME before its type: see variable.
func (m *tfModule) variableValue(def *tfVariable) cty.Value {
	name := def.name
	if def.secret {
		return unknownBecause("var." + name + " holds a secret: its value is not read")
	}
	if m.parent == nil {
		if u := m.rt.unit; u != nil {
			// tfvars beside the unit are copied beside the module, and rank above the
			// unit's inputs, which Terragrunt passes as TF_VAR_ values.
			if d := m.rt.dirs[u.dir]; d != nil && d != m.def {
				if a := d.tfvars[name]; a != nil {
					if v, diags := staticValue(a.Expr); !diags.HasErrors() {
						return v
					}
				}
			}
		}
		if a := m.def.tfvars[name]; a != nil {
			v, diags := staticValue(a.Expr)
			if !diags.HasErrors() {
				return v
			}
		}
		if u := m.rt.unit; u != nil {
			if v, ok := u.inputs[name]; ok {
				return v
			}
			if u.inputsUnknown != cty.NilVal {
				return u.inputsUnknown
			}
		}
	} else if a := m.call.attrs[name]; a != nil {
		return m.parent.eval(a.Expr, m.callVars())
	}
	if def.defaultVal != nil {
		v, diags := staticValue(def.defaultVal.Expr)
		if !diags.HasErrors() {
			return v
		}
	}
	if m.parent == nil {
		return unknownBecause("var." + name + " has no default or tfvars value")
	}
	return unknownBecause(m.addr + " input " + name + " is not given and has no default")
}

func (m *tfModule) local(name string) cty.Value {
	return m.memo.get("local."+name, func() cty.Value {
		a := m.def.locals[name]
		if a == nil {
			return unknownBecause("local." + name + " is not defined in " + m.where())
		}
		v, n := m.evalSized(a.Expr, nil)
		m.memo.setSize("local."+name, n)
		return v
	})
}

// callExtra is count/each for the arguments of a module call that repeats: read as one.
func (m *tfModule) callExtra(c *tfModuleCall) map[string]cty.Value {
	return m.repeatExtra(c.attrs["count"], c.attrs["for_each"], nil)
}

// callVars is the count or each the arguments of the call that made the module see: its
// instance's, or for a call read as one, the first instance's.
func (m *tfModule) callVars() map[string]cty.Value {
	if m.inst != nil {
		return m.inst.extra
	}
	return m.parent.callExtra(m.call)
}

// tfRepeat is a local module call with count or for_each: one module per instance when
// the number (at most maxExpand) or every key is known, else one module read as one.
type tfRepeat struct {
	call     *tfModuleCall
	def      *tfDir
	state    int  // 0 not expanded yet, 1 expanding, 2 expanded
	expanded bool // mods are the instances, in index or key order; else mods[0] stands for all
	count    bool
	mods     []*tfModule
}

// repeat expands a local module call with count or for_each the first time it is needed:
// what its instances are may depend on anything else in the module. It is nil for a call
// that does not repeat.
func (m *tfModule) repeat(name string) *tfRepeat {
	r := m.repeats[name]
	if r == nil || r.state != 0 {
		return r
	}
	r.state = 1
	c := r.call
	base := joinAddr(m.addr, "module."+c.name)
	if insts, ok := m.repeatInstances(c.attrs["count"], c.attrs["for_each"]); ok {
		r.expanded, r.count = true, c.attrs["count"] != nil
		for _, in := range insts {
			if !m.rt.newInstance() {
				m.rt.b.gaps = append(m.rt.b.gaps, inventory.CoverageGap{Path: c.block.DefRange.Filename, Line: c.block.DefRange.Start.Line, Kind: inventory.GapLimit,
					Message: "module." + c.name + ": the root makes more than " + itoa(maxModuleInstances) + " module instances; the rest are not read"})
				break
			}
			r.mods = append(r.mods, m.rt.instantiate(r.def, m, c, base+in.suffix, in))
		}
	} else {
		one := m.rt.instantiate(r.def, m, c, base, nil)
		r.mods = []*tfModule{one}
		m.children[name] = one
	}
	r.state = 2
	return r
}

// expandedCall says whether module.NAME is a call with count or for_each read instance by
// instance: its value is then a list or object of its instances.
func (m *tfModule) expandedCall(name string) bool {
	if r := m.repeat(name); r != nil {
		return r.expanded
	}
	if c := m.calls[name]; c != nil && registryModule(c.source) == autoscalingModule {
		_, ok := m.callInstances(c)
		return ok
	}
	return false
}

// outputs is the object of a module instance's outputs.
func (m *tfModule) outputs() cty.Value {
	outs := map[string]cty.Value{}
	for n, a := range m.def.outputs {
		outs[n] = m.eval(a.Expr, nil)
	}
	return cty.ObjectVal(outs)
}

func (m *tfModule) moduleOutput(name, output string) cty.Value {
	return m.memo.get("module."+name+"."+output, func() cty.Value {
		m.repeat(name) // a call read as one becomes a child
		if child := m.children[name]; child != nil {
			a := child.def.outputs[output]
			if a == nil {
				return unknownBecause("module." + name + " has no output " + output)
			}
			return child.eval(a.Expr, nil)
		}
		return attr(m.moduleOutputs(name), output)
	})
}

func (m *tfModule) moduleOutputs(name string) cty.Value {
	return m.memo.get("module."+name, func() cty.Value {
		if r := m.repeat(name); r != nil {
			switch {
			case r.state == 1:
				return unknownBecause("module." + name + " count or for_each refers to the module itself")
			case r.expanded && r.count:
				if len(r.mods) == 0 {
					return cty.EmptyTupleVal
				}
				vals := make([]cty.Value, len(r.mods))
				for i, in := range r.mods {
					vals[i] = in.outputs()
				}
				return cty.TupleVal(vals)
			case r.expanded:
				vals := make(map[string]cty.Value, len(r.mods))
				for _, in := range r.mods {
					vals[in.inst.key] = in.outputs()
				}
				return cty.ObjectVal(vals)
			case r.call.attrs["count"] != nil:
				// Read as one: the instance stands for all, as for a resource.
				return cty.TupleVal([]cty.Value{r.mods[0].outputs()})
			}
			k, _ := firstEach(m.eval(r.call.attrs["for_each"].Expr, nil))
			if s, ok := asString(k); ok && isKnown(k) {
				return cty.ObjectVal(map[string]cty.Value{s: r.mods[0].outputs()})
			}
			return unknownBecause(joinAddr(m.addr, "module."+name) + " for_each keys are not known")
		}
		if child := m.children[name]; child != nil {
			return child.outputs()
		}
		c := m.calls[name]
		if c == nil {
			return unknownBecause("module." + name + " is not defined in " + m.where())
		}
		if registryModule(c.source) == autoscalingModule {
			return m.rt.autoscalingModuleOutputs(m, c)
		}
		return unknownBecause("module." + name + " comes from " + c.source + ", which is not read")
	})
}

// repeatExtra gives count.index and each.key/value for a resource or module call with
// count or for_each: whyk8s reads it as one instance, the first.
func (m *tfModule) repeatExtra(count, forEach *hcl.Attribute, extra map[string]cty.Value) map[string]cty.Value {
	out := map[string]cty.Value{}
	for k, v := range extra {
		out[k] = v
	}
	if count != nil {
		out["count"] = cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(0)})
	}
	if forEach != nil {
		v := m.eval(forEach.Expr, extra)
		key, val := firstEach(v)
		out["each"] = cty.ObjectVal(map[string]cty.Value{"key": key, "value": val})
	}
	return out
}

// firstEach is each.key and each.value of the first instance of a for_each, in key order.
func firstEach(v cty.Value) (cty.Value, cty.Value) {
	if !isKnown(v) {
		return v, v
	}
	u, marks := v.Unmark()
	if u.IsNull() || u.LengthInt() == 0 {
		why := unknownBecause("for_each is empty")
		return why, why
	}
	if keys, vals := keyed(u); len(keys) > 0 {
		return cty.StringVal(keys[0]).WithMarks(marks), vals[keys[0]]
	}
	var first cty.Value
	var firstS string
	for it := u.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, _ := asString(e)
		if first == cty.NilVal || s < firstS {
			first, firstS = e, s
		}
	}
	return first.WithMarks(marks), first.WithMarks(marks)
}

// tfResource is one resource block in one module instance, or one instance of a resource
// with count or for_each that is read instance by instance (inst is set then).
type tfResource struct {
	def  *tfResourceDef
	mod  *tfModule
	inst *tfInstance
}

// tfInstance is one instance of a repeated resource: its address suffix (["key"] or [0])
// and the count or each it sees.
type tfInstance struct {
	suffix string
	key    string // the for_each key, "" with count
	extra  map[string]cty.Value
}

// maxExpand is the most instances a count or for_each is read as, one by one; beyond it,
// or when the number or the keys are not known, the resource is read as one, with a gap.
const maxExpand = 50

// key is the resource's key among its module's: aws_autoscaling_group.web["items"].
func (r *tfResource) key() string {
	if r.inst != nil {
		return r.def.key() + r.inst.suffix
	}
	return r.def.key()
}

// addr is the resource's Terraform address: module.web_a.aws_autoscaling_group.this.
func (r *tfResource) addr() string { return joinAddr(r.mod.addr, r.key()) }

// instances lists the instances of a resource with count or for_each when their number
// (at most maxExpand) or every key is known; ok is false when it must be read as one. A
// resource that does not repeat is its own only instance.
func (r *tfResource) instances() (out []*tfResource, ok bool) {
	if r.inst != nil || (r.def.count == nil && r.def.forEach == nil) {
		return []*tfResource{r}, true
	}
	insts, ok := r.mod.repeatInstances(r.def.count, r.def.forEach)
	if !ok {
		return nil, false
	}
	for _, in := range insts {
		out = append(out, &tfResource{def: r.def, mod: r.mod, inst: in})
	}
	return out, true
}

// repeatInstances lists the instances of a count or for_each, evaluated in the module,
// when their number (at most maxExpand) or every key is known; ok is false when the
// block must be read as one. count = 0 or an empty for_each is no instance.
func (m *tfModule) repeatInstances(count, forEach *hcl.Attribute) (out []*tfInstance, ok bool) {
	if count != nil {
		v := m.eval(count.Expr, nil)
		n, known := asInt(v)
		if !known || !isKnown(v) || n < 0 || n > maxExpand {
			return nil, false
		}
		for i := 0; i < n; i++ {
			out = append(out, &tfInstance{suffix: "[" + itoa(i) + "]",
				extra: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})}})
		}
		return out, true
	}
	if forEach == nil {
		return nil, false
	}
	keys, vals, known := eachKeys(m.eval(forEach.Expr, nil))
	if !known || len(keys) > maxExpand {
		return nil, false
	}
	for _, k := range keys {
		out = append(out, &tfInstance{suffix: "[" + strconv.Quote(k) + "]", key: k,
			extra: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(k), "value": vals[k]})}})
	}
	return out, true
}

// eachKeys lists the keys of a for_each value, sorted, and each one's value, when every
// key is known: a map or object whose values need not be known (an instance of another
// resource keeps its known attributes beside unknown ones), or a set of known strings.
func eachKeys(v cty.Value) ([]string, map[string]cty.Value, bool) {
	u, marks := v.Unmark()
	if u.IsNull() || !u.IsKnown() {
		return nil, nil, false
	}
	t := u.Type()
	switch {
	case t.IsMapType() || t.IsObjectType():
		keys, vals := keyed(u)
		for k, e := range vals {
			vals[k] = e.WithMarks(marks)
		}
		return keys, vals, true
	case t.IsSetType() || t.IsListType() || t.IsTupleType():
		// Terraform takes only sets (toset()) of strings; a list is an error there, but the
		// intent is the same.
		vals := map[string]cty.Value{}
		var keys []string
		for it := u.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if !isKnown(e) {
				return nil, nil, false
			}
			s, ok := asString(e)
			if !ok {
				return nil, nil, false
			}
			if _, dup := vals[s]; !dup {
				keys = append(keys, s)
			}
			vals[s] = cty.StringVal(s).WithMarks(marks)
		}
		sort.Strings(keys)
		return keys, vals, true
	}
	return nil, nil, false
}

func (r *tfResource) at() place {
	rng := r.def.block.DefRange
	return place{path: rng.Filename, line: rng.Start.Line}
}

// id is the resource's stable evidence identifier, standing for its ARN and id.
func (r *tfResource) id() string { return r.mod.evidence(r.at(), r.addr()) }

// evidence is the evidence identifier of something defined at a place in this module
// instance. In the root module the file pins it down: iac:FILE:LINE:ADDRESS. A module's
// file may be called from several roots, each call a different resource, so there the
// identifier names the root first: iac:ROOT:ADDRESS@FILE:LINE.
func (m *tfModule) evidence(at place, addr string) string {
	if m.parent == nil && m.rt.unit == nil {
		return evidenceID(at.path, at.line, addr)
	}
	// A Terragrunt unit deploys its module as a root: the unit names it, as a root names
	// the modules it calls.
	return "iac:" + m.rt.stack + ":" + addr + "@" + at.path + ":" + itoa(at.line)
}

func (r *tfResource) extra() map[string]cty.Value {
	if r.inst != nil {
		return r.inst.extra
	}
	return r.mod.repeatExtra(r.def.count, r.def.forEach, nil)
}

// exists is false for a resource switched off with count = 0 or an empty for_each.
func (r *tfResource) exists() bool {
	if r.inst != nil {
		return true
	}
	if r.def.count != nil {
		if n, ok := asInt(r.mod.eval(r.def.count.Expr, nil)); ok && n == 0 {
			return false
		}
	}
	if r.def.forEach != nil {
		v := plain(r.mod.eval(r.def.forEach.Expr, nil))
		if v.IsKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == 0 {
			return false
		}
	}
	return true
}

// noteRepeat records that a repeated resource is read as one.
func (rt *tfRoot) noteRepeat(r *tfResource) {
	if r.inst != nil {
		return
	}
	rt.repeatGap(r.mod, r.addr(), r.at().path, r.def.count, r.def.forEach, "resource")
}

// repeatGap records why a block with count or for_each, evaluated in module m, is read as
// one: what is "resource" or "module instance".
func (rt *tfRoot) repeatGap(m *tfModule, addr, path string, count, forEach *hcl.Attribute, what string) {
	note := func(kind string, a *hcl.Attribute) {
		v := m.eval(a.Expr, nil)
		msg := fmt.Sprintf("%s %s = %s: read as one %s", addr, kind, rt.excerpt(a.Expr), what)
		if !isKnown(v) {
			if why := reasonsOf(v); len(why) > 0 {
				msg += " (" + strings.Join(why, "; ") + ")"
			}
		} else if n, ok := asInt(v); ok {
			msg = fmt.Sprintf("%s has count = %d, more than the %d instances read one by one: read as one %s", addr, n, maxExpand, what)
		} else if keys, _, ok := eachKeys(v); ok {
			msg = fmt.Sprintf("%s has for_each over %d keys, more than the %d instances read one by one: read as one %s, each.key = %q",
				addr, len(keys), maxExpand, what, keys[0])
		} else if k, _ := firstEach(v); isKnown(k) {
			s, _ := asString(k)
			msg = fmt.Sprintf("%s for_each = %s: its keys are not known; read as one %s, each.key = %q", addr, rt.excerpt(a.Expr), what, s)
		}
		rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: path, Line: a.Range.Start.Line, Kind: inventory.GapUnresolved, Message: msg})
	}
	if count != nil {
		note("count", count)
	}
	if forEach != nil {
		note("for_each", forEach)
	}
}

// tfName is a resource's name as AWS would show it.
type tfName struct {
	// display is the name when the code fixes it (name, else name_prefix), its known
	// prefix and "…" when part of it is known only once applied, else the address.
	display string
	known   bool
	why     []string       // why it is not known, when it is written but not known
	attr    *hcl.Attribute // the name or name_prefix argument, when written
}

// naming works out the resource's name once. References to .name and the mapped record
// agree because both use it.
func (r *tfResource) naming() *tfName {
	key := r.key()
	if n := r.mod.names[key]; n != nil {
		return n
	}
	if r.mod.names == nil {
		r.mod.names = map[string]*tfName{}
	}
	n := &tfName{display: r.addr()}
	r.mod.names[key] = n // a name that refers to itself finds the address
	attrs := looseAttrs(r.def.block.Body)
	for _, k := range []string{"name", "name_prefix"} {
		a := attrs[k]
		if a == nil {
			continue
		}
		s, known, why := r.mod.nameOf(a.Expr, r.extra())
		n.attr, n.why = a, why
		switch {
		case known && k == "name_prefix":
			// AWS adds a unique suffix to the prefix: the name is known only that far.
			n.display, n.why = s+ellipsis, []string{"AWS adds a unique suffix to name_prefix when it creates the resource"}
		case known:
			n.display, n.known = s, true
		case s != "":
			n.display = s
		}
		break
	}
	return n
}

// name is the resource's name for the records: see tfName.display.
func (r *tfResource) name() string { return r.naming().display }

// nameRef is what a reference to the resource's name (or id, for resources AWS identifies
// by name) gives: the name when the code fixes it, else the evidence identifier, which
// joins but never shows.
func (r *tfResource) nameRef() cty.Value {
	if n := r.naming(); n.known {
		return cty.StringVal(n.display)
	}
	return identityVal(r.id(), r.addr()+".name")
}

// nameOf evaluates a name. A name that is not wholly known is cut at its first unknown
// part: "example-asg-…"; known is false then, and why says what is missing. A name known
// only as far as an identifier (a random_pet, another resource's id) is cut there too:
// the identifier is a stand-in, not what AWS will call it.
func (m *tfModule) nameOf(expr hcl.Expression, extra map[string]cty.Value) (name string, known bool, why []string) {
	const cut = "\x00"
	sentinel := func(string) string { return cut }
	v := m.eval(expr, extra)
	if s, ok := asString(v); ok && isKnown(v) && len(reasonsOf(v)) == 0 {
		h, why := humanText(s, v, sentinel)
		if len(why) == 0 {
			return s, s != "", nil
		}
		p, _ := knownPrefix(h, strings.Index(h, cut))
		return p, false, why
	}
	why = reasonsOf(v)
	if len(why) == 0 {
		why = []string{"not known until the infrastructure is applied"}
	}
	var sb strings.Builder
	e := expr
	if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = w.Wrapped
	}
	if te, ok := e.(*hclsyntax.TemplateExpr); ok {
		for _, part := range te.Parts {
			pv := m.eval(part, extra)
			s, ok := asString(pv)
			if !ok || !isKnown(pv) || len(reasonsOf(pv)) > 0 {
				break
			}
			h, _ := humanText(s, pv, sentinel)
			if i := strings.Index(h, cut); i >= 0 {
				sb.WriteString(h[:i])
				break
			}
			sb.WriteString(s)
		}
	}
	p, _ := knownPrefix(sb.String(), sb.Len())
	return p, false, sortedUnique(why)
}

// value is the object other expressions see for aws_x.name: its arguments as written, and
// the attributes AWS computes that the mapping needs (arn and id as the evidence
// identifier, names, the launch template version keywords). An argument that cannot be
// known is unknown on its own: the object keeps every other attribute. A resource with
// count is a list of its instances, with for_each an object of them by key.
func (r *tfResource) value() cty.Value {
	return r.mod.memo.get("resource:"+r.key(), func() cty.Value {
		if r.inst != nil || (r.def.count == nil && r.def.forEach == nil) {
			return r.object()
		}
		insts, ok := r.instances()
		switch {
		case ok && r.def.count != nil:
			if len(insts) == 0 {
				return cty.EmptyTupleVal
			}
			vals := make([]cty.Value, len(insts))
			for i, in := range insts {
				vals[i] = in.value()
			}
			return cty.TupleVal(vals)
		case ok:
			vals := make(map[string]cty.Value, len(insts))
			for _, in := range insts {
				k, _ := asString(in.inst.extra["each"].GetAttr("key"))
				vals[k] = in.value()
			}
			return cty.ObjectVal(vals)
		case r.def.count != nil:
			// Read as one: the instance stands for all.
			return cty.TupleVal([]cty.Value{r.object()})
		}
		k, _ := firstEach(r.mod.eval(r.def.forEach.Expr, nil))
		s, ok := asString(k)
		if !ok || !isKnown(k) {
			return unknownBecause(r.addr() + " for_each keys are not known")
		}
		return cty.ObjectVal(map[string]cty.Value{s: r.object()})
	})
}

// object is the value of one instance (or of the resource read as one).
func (r *tfResource) object() cty.Value {
	attrs := map[string]cty.Value{}
	extra := r.extra()
	for n, a := range looseAttrs(r.def.block.Body) {
		switch n {
		case "count", "for_each", "provider", "depends_on", "lifecycle":
			continue
		}
		attrs[n] = r.mod.eval(a.Expr, extra)
	}
	id := identityVal(r.id(), r.addr())
	attrs["arn"], attrs["id"] = id, id
	switch r.def.typ {
	case "aws_autoscaling_group", "aws_launch_configuration", "aws_elb":
		// AWS identifies these by name: their Terraform id is the name.
		attrs["id"] = r.nameRef()
		attrs["name"] = r.nameRef()
	case "aws_launch_template":
		attrs["name"] = r.nameRef()
		attrs["latest_version"] = cty.StringVal("$Latest")
		attrs["default_version"] = cty.StringVal("$Default")
	case "aws_lb", "aws_alb", "aws_lb_target_group", "aws_alb_target_group":
		attrs["name"] = r.nameRef()
		for _, n := range []string{"arn_suffix", "dns_name", "zone_id"} {
			attrs[n] = unknownBecause(r.addr() + "." + n + " is known only once created")
		}
	}
	return cty.ObjectVal(attrs)
}

// excerpt is the first line of an expression's source, short, for a gap message.
func (rt *tfRoot) excerpt(expr hcl.Expression) string {
	rng := expr.Range()
	src := rt.src[rng.Filename]
	if rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return ""
	}
	s := string(src[rng.Start.Byte:rng.End.Byte])
	s, _, cut := strings.Cut(s, "\n")
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		s, cut = s[:80], true
	}
	if cut {
		s += " …"
	}
	return s
}

// schema is the arguments and nested blocks a mapper reads from a resource.
type schema struct {
	attrs  []string
	blocks map[string]*schema
}

func (s *schema) hcl() *hcl.BodySchema {
	hs := &hcl.BodySchema{}
	for _, a := range s.attrs {
		hs.Attributes = append(hs.Attributes, hcl.AttributeSchema{Name: a})
	}
	names := make([]string, 0, len(s.blocks))
	for n := range s.blocks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		hs.Blocks = append(hs.Blocks, hcl.BlockHeaderSchema{Type: n})
	}
	hs.Blocks = append(hs.Blocks, hcl.BlockHeaderSchema{Type: "dynamic", LabelNames: []string{"type"}})
	return hs
}

// tfProps is a Terraform block read through its schema, with dynamic blocks expanded.
type tfProps struct {
	m      *tfModule
	attrs  map[string]*hcl.Attribute
	blocks map[string][]props
	extra  map[string]cty.Value
	// iters are the for_each expressions of the dynamic blocks the block is generated by,
	// by iterator name: what an iterator's value passes on.
	iters map[string]hcl.Expression
	name  string
	at    place
	vals  map[string]cty.Value // arguments evaluated so far
	// dynUnknown are the block types a dynamic block generates over what is not known,
	// with that dynamic block's place: the blocks read are not all there are.
	dynUnknown map[string]place
}

// unknownBlocks reports whether p's blocks of that type are not all known: a dynamic
// block generates them over a collection that is not.
func unknownBlocks(p props, typ string) bool {
	_, ok := unknownDynamic(p, typ)
	return ok
}

// unknownDynamic is the place of the dynamic block that generates p's blocks of that type
// over a collection that is not known: the code may write such a block, or not, and a
// value it does not determine decides. The first such dynamic block when there are several.
func unknownDynamic(p props, typ string) (place, bool) {
	tp, ok := p.(*tfProps)
	if !ok {
		return place{}, false
	}
	at, ok := tp.dynUnknown[typ]
	return at, ok
}

var dynamicSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each"}, {Name: "iterator"}, {Name: "labels"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
}

func (m *tfModule) decode(body hcl.Body, s *schema, extra map[string]cty.Value, name string, at place) *tfProps {
	return m.decodeIn(body, s, extra, nil, name, at)
}

func (m *tfModule) decodeIn(body hcl.Body, s *schema, extra map[string]cty.Value, iters map[string]hcl.Expression, name string, at place) *tfProps {
	p := &tfProps{m: m, attrs: map[string]*hcl.Attribute{}, blocks: map[string][]props{}, extra: extra, iters: iters, name: name, at: at}
	content, _, _ := body.PartialContent(s.hcl())
	for n, a := range content.Attributes {
		p.attrs[n] = a
	}
	for _, b := range content.Blocks {
		bat := place{path: b.DefRange.Filename, line: b.DefRange.Start.Line}
		if b.Type != "dynamic" {
			p.blocks[b.Type] = append(p.blocks[b.Type], m.decodeIn(b.Body, s.blocks[b.Type], extra, iters, name+" "+b.Type, bat))
			continue
		}
		typ := b.Labels[0]
		sub := s.blocks[typ]
		if sub == nil {
			continue
		}
		dc, _, _ := b.Body.PartialContent(dynamicSchema)
		fe := dc.Attributes["for_each"]
		if fe == nil || len(dc.Blocks) == 0 {
			continue
		}
		iter := typ
		if it := dc.Attributes["iterator"]; it != nil {
			if kw := hcl.ExprAsKeyword(it.Expr); kw != "" {
				iter = kw
			}
		}
		coll := m.eval(fe.Expr, extra)
		if !isKnown(coll) {
			if p.dynUnknown == nil {
				p.dynUnknown = map[string]place{}
			}
			if _, seen := p.dynUnknown[typ]; !seen {
				p.dynUnknown[typ] = place{path: b.DefRange.Filename, line: b.DefRange.Start.Line}
			}
			m.rt.b.gaps = append(m.rt.b.gaps, inventory.CoverageGap{Path: fe.Range.Filename, Line: fe.Range.Start.Line, Kind: inventory.GapUnresolved,
				Message: fmt.Sprintf("%s dynamic %q for_each = %s: %s; its blocks are not read", name, typ, m.rt.excerpt(fe.Expr), strings.Join(reasonsOf(coll), "; "))})
			continue
		}
		it := map[string]hcl.Expression{iter: fe.Expr}
		for k, e := range iters {
			if k != iter {
				it[k] = e
			}
		}
		// The content's own place: its arguments are what the block writes.
		cat := place{path: dc.Blocks[0].DefRange.Filename, line: dc.Blocks[0].DefRange.Start.Line}
		if o, ok := m.origin(fe.Expr, iters, 0); ok {
			cat.via = &o
		}
		for _, kv := range iterate(coll) {
			x := map[string]cty.Value{}
			for k, v := range extra {
				x[k] = v
			}
			x[iter] = cty.ObjectVal(map[string]cty.Value{"key": kv[0], "value": kv[1]})
			p.blocks[typ] = append(p.blocks[typ], m.decodeIn(dc.Blocks[0].Body, sub, x, it, name+" "+typ, cat))
		}
	}
	return p
}

// iterate lists the key and value of each element of a known collection, in order.
func iterate(v cty.Value) [][2]cty.Value {
	u, marks := v.Unmark()
	if u.IsNull() || !u.CanIterateElements() {
		return nil
	}
	var out [][2]cty.Value
	set := u.Type().IsSetType()
	for it := u.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if set {
			k = e
		}
		out = append(out, [2]cty.Value{k.WithMarks(marks), e.WithMarks(marks)})
	}
	return out
}

func (p *tfProps) get(name string) (cty.Value, place, bool) {
	a := p.attrs[name]
	if a == nil {
		return cty.NullVal(cty.DynamicPseudoType), place{}, false
	}
	at := place{path: a.Range.Filename, line: a.Range.Start.Line, text: p.m.rt.excerpt(a.Expr)}
	v, ok := p.vals[name]
	if !ok {
		// The mappers ask for an argument several times (its value, whether it is
		// known, its place); it is evaluated once.
		v = p.m.eval(a.Expr, p.extra)
		if name == "user_data" && !isKnown(v) {
			v = p.m.partial(a.Expr, p.extra, v)
		}
		if p.vals == nil {
			p.vals = map[string]cty.Value{}
		}
		p.vals[name] = v
	}
	if plain(v).IsNull() {
		return v, at, false
	}
	return v, at, true
}

func (p *tfProps) subs(name string) []props {
	if bs := p.blocks[name]; len(bs) > 0 {
		return bs
	}
	// JSON syntax and list-of-object arguments (the old tags list) arrive as values.
	if v, at, ok := p.get(name); ok && isKnown(v) {
		var out []props
		for _, e := range elements(v) {
			out = append(out, valueProps{v: e, at: at, name: p.name + " " + name, rt: p.m.rt, m: p.m, src: elementExpr(p.argExpr(name), len(out))})
		}
		return out
	}
	return nil
}

// argExpr is the expression written for an argument, or nil.
func (p *tfProps) argExpr(name string) hcl.Expression {
	if a := p.attrs[name]; a != nil {
		return a.Expr
	}
	return nil
}

func (p *tfProps) label() string { return p.name }
func (p *tfProps) where() place  { return p.at }

// arg is a module argument or resource attribute as a value, with the expression it is
// written as, so that the entries of a map written out each have their own line.
func (p *tfProps) arg(name string) (valueProps, bool) {
	v, at, ok := p.get(name)
	if !ok {
		return valueProps{}, false
	}
	vp := valueProps{v: v, at: at, name: p.name + " " + name, rt: p.m.rt, m: p.m}
	if a := p.attrs[name]; a != nil {
		vp.src = a.Expr
	}
	return vp, true
}

var templateFileSchema = &schema{attrs: []string{"template", "vars"}}

// templateData is the value of a data "template_file" (the legacy template provider, which
// much code still uses for user data): its rendered attribute is the template rendered
// with vars, as templatefile() would. With count it is a list of that many instances, so
// that data.template_file.x[*] and length() see what Terraform sees; with for_each, a map.
func (m *tfModule) templateData(def *tfResourceDef) cty.Value {
	key := "data." + def.key()
	return m.memo.get(key, func() cty.Value {
		at := place{path: def.block.DefRange.Filename, line: def.block.DefRange.Start.Line}
		addr := joinAddr(m.addr, key)
		one := func(extra map[string]cty.Value) cty.Value {
			p := m.decode(def.block.Body, templateFileSchema, extra, addr, at)
			tmpl, _, ok := p.get("template")
			vars, _, _ := p.get("vars")
			rendered := tmpl
			switch s, known := asString(tmpl); {
			case !ok:
				rendered = unknownBecause(addr + " has no template")
			case known && isKnown(tmpl):
				r, err := m.rt.renderTemplate([]byte(s), addr+" template", vars)
				if err != nil {
					rendered = unknownBecause(err.Error())
				} else {
					rendered = r.WithMarks(marksOf(tmpl))
				}
			}
			return cty.ObjectVal(map[string]cty.Value{"id": identityVal(m.evidence(at, addr), addr),
				"rendered": rendered, "template": tmpl, "vars": vars})
		}
		switch {
		case def.count != nil:
			cv := m.eval(def.count.Expr, nil)
			n, ok := asInt(cv)
			if !ok || !isKnown(cv) {
				return unknownBecause(addr + " count = " + m.rt.excerpt(def.count.Expr) + " is not known: " + strings.Join(reasonsOf(cv), "; "))
			}
			var out []cty.Value
			for i := 0; i < n && i < maxInstances; i++ {
				out = append(out, one(map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})}))
			}
			if len(out) == 0 {
				return cty.EmptyTupleVal
			}
			return cty.TupleVal(out)
		case def.forEach != nil:
			fe := m.eval(def.forEach.Expr, nil)
			if !isKnown(fe) {
				return unknownBecause(addr + " for_each is not known: " + strings.Join(reasonsOf(fe), "; "))
			}
			out := map[string]cty.Value{}
			for i, kv := range iterate(fe) {
				k, _ := asString(kv[0])
				if i < maxInstances {
					out[k] = one(map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": kv[0], "value": kv[1]})})
				}
			}
			return cty.ObjectVal(out)
		}
		return one(nil)
	})
}

// maxInstances caps the instances of a repeated data source that are rendered.
const maxInstances = 64

// partial renders a template expression whose value is not wholly known part by part,
// keeping each unknown interpolation as written: user data with one unresolved
// placeholder still shows what the instance runs.
func (m *tfModule) partial(expr hcl.Expression, extra map[string]cty.Value, whole cty.Value) cty.Value {
	switch e := expr.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return m.partial(e.Wrapped, extra, whole)
	case *hclsyntax.FunctionCallExpr:
		// base64encode(<<EOF … EOF) and the like: render the argument, and let the
		// user data reader decode what the function would have encoded.
		switch e.Name {
		case "base64encode", "base64gzip", "chomp", "trimspace":
			if len(e.Args) == 1 {
				inner := m.eval(e.Args[0], extra)
				if isKnown(inner) {
					return inner
				}
				return m.partial(e.Args[0], extra, inner)
			}
		}
	case *hclsyntax.TemplateExpr:
		var sb strings.Builder
		var reasons []string
		for _, part := range e.Parts {
			v := m.eval(part, extra)
			if s, ok := asString(v); ok && isKnown(v) {
				sb.WriteString(s)
				continue
			}
			reasons = append(reasons, reasonsOf(v)...)
			src := m.rt.src[part.Range().Filename]
			r := part.Range()
			if r.End.Byte <= len(src) && r.Start.Byte < r.End.Byte {
				sb.WriteString("${" + string(src[r.Start.Byte:r.End.Byte]) + "}")
			}
		}
		out := cty.StringVal(sb.String())
		for _, r := range sortedUnique(reasons) {
			out = out.Mark(reason(r))
		}
		return out
	}
	return whole
}

func itoa(i int) string { return strconv.Itoa(i) }

// literalValue is the value of an expression made only of literals (strings without
// interpolations, numbers, tuples and objects of them), which is no larger than its text;
// false for anything that refers, calls or iterates.
func literalValue(expr hcl.Expression) (cty.Value, bool) {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return cty.NilVal, false
	}
	literal := true
	hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n.(type) {
		case *hclsyntax.LiteralValueExpr, *hclsyntax.TemplateExpr, *hclsyntax.TemplateWrapExpr,
			*hclsyntax.TupleConsExpr, *hclsyntax.ObjectConsExpr, *hclsyntax.ObjectConsKeyExpr:
		default:
			literal = false
		}
		return nil
	})
	if !literal {
		return cty.NilVal, false
	}
	v, diags := se.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	return v, true
}
