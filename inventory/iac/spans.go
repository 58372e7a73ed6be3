package iac

import (
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// User data's lines, where they are written. User data is rendered from heredocs,
// file() and templatefile(), a data "template_file", the parts of a cloud-init config,
// Fn::Sub and Fn::Join; the script reader finds a fact on line 12 of the rendered text,
// and a person needs the line of the repository file that writes it. The renderer here
// renders the same text as the evaluator, piece by piece, remembering where each piece
// is written; the spans are kept only when its text has the lines of the user data read.

// maxSpanDepth bounds how many references and calls the renderer follows.
const maxSpanDepth = 16

// maxSpanText is the longest user data whose lines are placed.
const maxSpanText = 1 << 20

// spanText is text rendered from code with, for each piece of it, where it is written.
type spanText struct {
	text strings.Builder
	segs []segment
}

// segment is a piece of a spanText from start on: written at file:line, line for line
// when exact (a heredoc, a file), else all of it counted at that line (a value computed
// there, a quoted string with \n escapes).
type segment struct {
	start int
	file  string
	line  int
	exact bool
}

func (t *spanText) String() string { return t.text.String() }

// add appends s, written at file:line.
func (t *spanText) add(s, file string, line int, exact bool) {
	if s == "" {
		return
	}
	t.segs = append(t.segs, segment{start: t.text.Len(), file: file, line: line, exact: exact})
	t.text.WriteString(s)
}

// addText appends another rendered text with its places.
func (t *spanText) addText(o *spanText) {
	base := t.text.Len()
	for _, s := range o.segs {
		s.start += base
		t.segs = append(t.segs, s)
	}
	t.text.WriteString(o.text.String())
}

// slice is the text from byte from to byte to, with its places.
func (t *spanText) slice(from, to int) *spanText {
	s := t.String()
	out := &spanText{}
	out.text.WriteString(s[from:to])
	for i, seg := range t.segs {
		end := len(s)
		if i+1 < len(t.segs) {
			end = t.segs[i+1].start
		}
		if end <= from || seg.start >= to {
			continue
		}
		if seg.start < from {
			if seg.exact {
				seg.line += strings.Count(s[seg.start:from], "\n")
			}
			seg.start = from
		}
		seg.start -= from
		out.segs = append(out.segs, seg)
	}
	return out
}

// lineAt is where one line of a rendered text is written.
type lineAt struct {
	file string
	line int
}

// origins is where each line of the text is written, by the piece its first character
// is in; a line of no known place has a zero lineAt.
func (t *spanText) origins() []lineAt {
	s := t.String()
	var out []lineAt
	seg := -1
	for off := 0; off < len(s); {
		// A line is where its text is: the blanks it starts with may be the tail of the
		// piece before (a heredoc's indent before a directive that strips what follows).
		p := off
		for p < len(s) && (s[p] == ' ' || s[p] == '\t') {
			p++
		}
		if p == len(s) || s[p] == '\n' || s[p] == '\r' {
			p = off
		}
		for seg+1 < len(t.segs) && t.segs[seg+1].start <= p {
			seg++
		}
		var at lineAt
		if seg >= 0 && t.segs[seg].file != "" {
			sg := t.segs[seg]
			at = lineAt{sg.file, sg.line}
			if sg.exact {
				at.line += strings.Count(s[sg.start:p], "\n")
			}
		}
		out = append(out, at)
		nl := strings.IndexByte(s[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	return out
}

// spans are the origins as runs of consecutive lines of one file.
func (t *spanText) spans() []inventory.TextSpan {
	var out []inventory.TextSpan
	for i, at := range t.origins() {
		if at.file == "" {
			continue
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.File == at.file && last.Line+last.Lines == i+1 && last.FileLine+last.Lines == at.line {
				last.Lines++
				continue
			}
		}
		out = append(out, inventory.TextSpan{Line: i + 1, Lines: 1, File: at.file, FileLine: at.line})
	}
	return out
}

// lineCount is how many lines a text has, as the origins count them.
func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1
}

// spanEnv is where an expression is evaluated, for the renderer: a Terraform module
// instance or a Terragrunt configuration.
type spanEnv interface {
	evalExpr(e hcl.Expression) cty.Value
	// fileRel is the evidence path of a path given to file() or templatefile().
	fileRel(p string) string
	readRel(rel string) ([]byte, error)
	// follow is the expression a reference's value is written as, and where it is
	// evaluated: a variable's argument or default, a local.
	follow(t hcl.Traversal) (hcl.Expression, spanEnv, bool)
	// tmplFuncs are the functions a template rendered there may call.
	tmplFuncs() map[string]function.Function
}

// render renders an expression with the places of its pieces; ok is false when the
// expression is not one it follows (the caller then places the value at the expression).
func render(env spanEnv, e hcl.Expression, depth int) (*spanText, bool) {
	if depth > maxSpanDepth || e == nil {
		return nil, false
	}
	switch x := unhook(e).(type) {
	case *hclsyntax.TemplateWrapExpr:
		return render(env, x.Wrapped, depth+1)
	case *hclsyntax.TemplateExpr:
		out := &spanText{}
		for _, part := range x.Parts {
			if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok {
				s, _ := asString(lit.Val)
				r := lit.Range()
				line, exact := r.Start.Line, strings.Count(s, "\n") == r.End.Line-r.Start.Line
				if src, err := env.readRel(r.Filename); !exact && err == nil && r.Start.Byte < r.End.Byte && r.End.Byte <= len(src) {
					// A strip marker (~) took blanks from the literal: it is where its text is.
					line, exact = literalPlace(string(src[r.Start.Byte:r.End.Byte]), s, line)
				}
				out.add(s, r.Filename, line, exact)
				continue
			}
			if sub, ok := render(env, part, depth+1); ok {
				out.addText(sub)
				continue
			}
			out.add(valueText(env, part), part.Range().Filename, part.Range().Start.Line, false)
		}
		return out, true
	case *hclsyntax.TemplateJoinExpr:
		// A for directive, pass by pass, each with its iterators in scope.
		if fe, ok := unhook(x.Tuple).(*hclsyntax.ForExpr); ok {
			if te, ok := env.(tfEnv); ok {
				return te.renderFor(fe, depth)
			}
		}
	case *hclsyntax.ScopeTraversalExpr:
		if te, ok := env.(tfEnv); ok {
			if r, ok := te.templateFile(x.Traversal, depth); ok {
				return r, true
			}
		}
		if next, nenv, ok := env.follow(x.Traversal); ok {
			return render(nenv, next, depth+1)
		}
	case *hclsyntax.RelativeTraversalExpr:
		// data.template_file.x[0].rendered parses as an index, then .rendered.
		if src, ok := x.Source.(*hclsyntax.IndexExpr); ok {
			if te, ok := env.(tfEnv); ok {
				if r, ok := te.indexedTemplateFile(src, x.Traversal, depth); ok {
					return r, true
				}
			}
		}
	case *hclsyntax.ConditionalExpr:
		c := env.evalExpr(x.Condition)
		if b, ok := asBool(c); ok && isKnown(c) {
			if b {
				return render(env, x.TrueResult, depth+1)
			}
			return render(env, x.FalseResult, depth+1)
		}
	case *hclsyntax.ParenthesesExpr:
		return render(env, x.Expression, depth+1)
	case *hclsyntax.FunctionCallExpr:
		return renderCall(env, x, depth)
	}
	return nil, false
}

// valueText is an expression's value as text, or the expression as written in ${…} when it
// cannot be known: what the evaluator keeps in a template rendered in part.
func valueText(env spanEnv, e hcl.Expression) string {
	v := env.evalExpr(e)
	if s, ok := asString(v); ok && isKnown(v) {
		return s
	}
	r := e.Range()
	if src, err := env.readRel(r.Filename); err == nil && r.End.Byte <= len(src) && r.Start.Byte < r.End.Byte {
		return "${" + string(src[r.Start.Byte:r.End.Byte]) + "}"
	}
	return ""
}

// renderCall renders the functions that carry text through: encodings, trims, files,
// templates and joins of written-out lists.
func renderCall(env spanEnv, x *hclsyntax.FunctionCallExpr, depth int) (*spanText, bool) {
	arg := func(i int) (*spanText, bool) {
		if i >= len(x.Args) {
			return nil, false
		}
		return render(env, x.Args[i], depth+1)
	}
	switch x.Name {
	case "base64encode", "base64gzip", "sensitive", "nonsensitive", "textencodebase64":
		if len(x.Args) >= 1 {
			return arg(0)
		}
	case "chomp", "trimspace":
		t, ok := arg(0)
		if !ok || len(x.Args) != 1 {
			return nil, false
		}
		s := t.String()
		to := len(strings.TrimRight(s, "\r\n"))
		from := 0
		if x.Name == "trimspace" {
			to = len(strings.TrimRight(s, " \t\r\n"))
			from = len(s) - len(strings.TrimLeft(s, " \t\r\n"))
			if from > to {
				from = to
			}
		}
		return t.slice(from, to), true
	// filebase64 is the same text, encoded as a launch template wants it.
	case "file", "filebase64":
		if len(x.Args) != 1 {
			return nil, false
		}
		p, ok := asString(env.evalExpr(x.Args[0]))
		if !ok {
			return nil, false
		}
		rel := env.fileRel(p)
		src, err := env.readRel(rel)
		if err != nil {
			return nil, false
		}
		out := &spanText{}
		out.add(string(src), rel, 1, true)
		return out, true
	case "templatefile":
		if len(x.Args) != 2 {
			return nil, false
		}
		p, ok := asString(env.evalExpr(x.Args[0]))
		if !ok {
			return nil, false
		}
		rel := env.fileRel(p)
		src, err := env.readRel(rel)
		if err != nil {
			return nil, false
		}
		return renderTemplateSpans(env, src, rel, func(l int) lineAt { return lineAt{rel, l} }, env.evalExpr(x.Args[1]))
	case "join":
		if len(x.Args) != 2 {
			return nil, false
		}
		sep, ok := asString(env.evalExpr(x.Args[0]))
		list, isList := x.Args[1].(*hclsyntax.TupleConsExpr)
		if !ok || !isList {
			return nil, false
		}
		out := &spanText{}
		for i, el := range list.Exprs {
			if i > 0 {
				out.add(sep, x.Range().Filename, x.Range().Start.Line, false)
			}
			if sub, ok := render(env, el, depth+1); ok {
				out.addText(sub)
				continue
			}
			v := env.evalExpr(el)
			s, ok := asString(v)
			if !ok || !isKnown(v) {
				return nil, false
			}
			out.add(s, el.Range().Filename, el.Range().Start.Line, false)
		}
		return out, true
	}
	return nil, false
}

// renderTemplateSpans renders template text, as templatefile and data "template_file" do,
// with each piece placed through origin (template line → where it is written).
func renderTemplateSpans(env spanEnv, src []byte, name string, origin func(int) lineAt, vars cty.Value) (*spanText, bool) {
	expr, err := parseTemplateText(src, name)
	if err != nil {
		return nil, false
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: env.tmplFuncs()}
	if keys, vals := keyed(vars); len(keys) > 0 {
		for _, k := range keys {
			ctx.Variables[k] = vals[k]
		}
	}
	out := &spanText{}
	passes := maxTemplatePasses
	renderTemplatePart(out, src, expr, ctx, origin, &passes, 0)
	return out, true
}

// maxTemplatePasses bounds the passes of a template's for directives, all of them, that are
// placed line by line; past it a directive's text is placed at its first line.
const maxTemplatePasses = 1000

// renderTemplatePart renders one part of a template. The branch an if directive takes and
// each pass of a for directive are rendered part by part, so that their lines keep the
// lines they are written on; a literal whose blanks a strip marker (~) took is placed where
// its text is.
func renderTemplatePart(out *spanText, src []byte, part hclsyntax.Expression, ctx *hcl.EvalContext, origin func(int) lineAt, passes *int, depth int) {
	r := part.Range()
	inner, _ := unhook(part).(hclsyntax.Expression) // the meter's hooks wrap parts and for bodies
	switch x := inner.(type) {
	case *hclsyntax.TemplateExpr:
		for _, p := range x.Parts {
			renderTemplatePart(out, src, p, ctx, origin, passes, depth)
		}
		return
	case *hclsyntax.LiteralValueExpr:
		s, _ := asString(x.Val)
		line, n := r.Start.Line, strings.Count(s, "\n")
		exact := n == r.End.Line-r.Start.Line
		if r.Start.Byte < r.End.Byte && r.End.Byte <= len(src) && !exact {
			line, exact = literalPlace(string(src[r.Start.Byte:r.End.Byte]), s, line)
		}
		at := origin(line)
		out.add(s, at.file, at.line, exact && origin(line+n).line == at.line+n)
		return
	case *hclsyntax.ConditionalExpr:
		if depth < maxSpanDepth {
			if c, d := x.Condition.Value(ctx); !d.HasErrors() && c.IsKnown() && !c.IsNull() && c.Type() == cty.Bool {
				branch := x.FalseResult
				if c.True() {
					branch = x.TrueResult
				}
				renderTemplatePart(out, src, branch, ctx, origin, passes, depth+1)
				return
			}
		}
	case *hclsyntax.TemplateJoinExpr:
		if fe, ok := x.Tuple.(*hclsyntax.ForExpr); ok && depth < maxSpanDepth && renderTemplateFor(out, src, fe, ctx, origin, passes, depth) {
			return
		}
	}
	at := origin(r.Start.Line)
	v, d := part.Value(ctx)
	if s, ok := asString(v); ok && !d.HasErrors() && isKnown(v) {
		out.add(s, at.file, at.line, false)
		return
	}
	if r.End.Byte <= len(src) && r.Start.Byte < r.End.Byte {
		out.add("${"+string(src[r.Start.Byte:r.End.Byte])+"}", at.file, at.line, false)
	}
}

// literalPlace finds where a template literal's text s is written in raw, the bytes its
// range covers from line on, when a strip marker (~) took blanks and newlines from either
// end: the line its text starts on, and whether its lines follow the written ones. $${
// and %%{ are written doubled, so the text is found by what comes before the first $ or %.
func literalPlace(raw, s string, line int) (int, bool) {
	lead := s
	if i := strings.IndexAny(s, "$%"); i >= 0 {
		lead = s[:i]
	}
	if strings.TrimSpace(lead) == "" {
		return line, false
	}
	k := strings.Index(raw, lead)
	if k < 0 {
		return line, false
	}
	// Escapes hold no newline: the text's lines are the written ones when both count as
	// many, blanks a marker took from the end aside.
	trim := func(t string) string { return strings.TrimRight(t, " \t\r\n") }
	return line + strings.Count(raw[:k], "\n"), strings.Count(trim(raw[k:]), "\n") == strings.Count(trim(s), "\n")
}

// renderTemplateFor renders a template's for directive pass by pass, when what it goes
// over is known; it reports false, having added nothing, otherwise.
func renderTemplateFor(out *spanText, src []byte, fe *hclsyntax.ForExpr, ctx *hcl.EvalContext, origin func(int) lineAt, passes *int, depth int) bool {
	coll, d := fe.CollExpr.Value(ctx)
	if d.HasErrors() || !coll.IsWhollyKnown() || coll.IsNull() || !coll.CanIterateElements() || coll.LengthInt() > *passes {
		return false
	}
	var todo []*hcl.EvalContext // a scope for each pass the directive makes
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		child := ctx.NewChild()
		child.Variables = map[string]cty.Value{fe.ValVar: v}
		if fe.KeyVar != "" {
			child.Variables[fe.KeyVar] = k
		}
		if fe.CondExpr != nil {
			c, d := fe.CondExpr.Value(child)
			if d.HasErrors() || !c.IsKnown() || c.IsNull() || c.Type() != cty.Bool {
				return false
			}
			if c.False() {
				continue
			}
		}
		todo = append(todo, child)
	}
	*passes -= len(todo)
	for _, child := range todo {
		renderTemplatePart(out, src, fe.ValExpr, child, origin, passes, depth+1)
	}
	return true
}

// tfEnv is a module instance with the count, each or iterators in scope.
type tfEnv struct {
	m     *tfModule
	extra map[string]cty.Value
}

func (e tfEnv) evalExpr(x hcl.Expression) cty.Value { return e.m.eval(x, e.extra) }

// renderFor renders a for directive of a template written in the code (a heredoc), pass
// by pass, when what it goes over is known.
func (e tfEnv) renderFor(fe *hclsyntax.ForExpr, depth int) (*spanText, bool) {
	coll := e.evalExpr(fe.CollExpr)
	if !coll.IsWhollyKnown() || coll.IsNull() || !coll.CanIterateElements() || coll.LengthInt() > maxTemplatePasses || fe.CondExpr != nil {
		return nil, false
	}
	out := &spanText{}
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		extra := make(map[string]cty.Value, len(e.extra)+2)
		for n, val := range e.extra {
			extra[n] = val
		}
		extra[fe.ValVar] = v
		if fe.KeyVar != "" {
			extra[fe.KeyVar] = k
		}
		sub, ok := render(tfEnv{m: e.m, extra: extra}, unhook(fe.ValExpr), depth+1)
		if !ok {
			return nil, false
		}
		out.addText(sub)
	}
	return out, true
}
func (e tfEnv) fileRel(p string) string { return path.Clean(path.Join(e.m.rt.dir, p)) }
func (e tfEnv) tmplFuncs() map[string]function.Function {
	return e.m.rt.templateFunctions()
}

func (e tfEnv) readRel(rel string) ([]byte, error) {
	if src, ok := e.m.rt.src[rel]; ok {
		return src, nil
	}
	return e.m.rt.tree.readText(rel)
}

func (e tfEnv) follow(t hcl.Traversal) (hcl.Expression, spanEnv, bool) {
	m := e.m
	names := attrNames(t)
	if len(names) == 0 {
		return nil, nil, false
	}
	switch t.RootName() {
	case "local":
		if a := m.def.locals[names[0]]; a != nil && len(names) == 1 {
			return a.Expr, tfEnv{m: m}, true
		}
	case "var":
		if len(names) != 1 || m.def.variables[names[0]] == nil {
			return nil, nil, false
		}
		return m.variableExpr(names[0])
	}
	return nil, nil, false
}

// templateFile renders data.template_file.NAME.rendered (or NAME[i].rendered) with places:
// its template's, through the template attribute (a file() gives the file's lines).
func (e tfEnv) templateFile(t hcl.Traversal, depth int) (*spanText, bool) {
	var steps []string
	index := -1
	for _, st := range t {
		switch s := st.(type) {
		case hcl.TraverseRoot:
			steps = append(steps, s.Name)
		case hcl.TraverseAttr:
			steps = append(steps, s.Name)
		case hcl.TraverseIndex:
			i, ok := asInt(s.Key)
			if !ok || index >= 0 {
				return nil, false
			}
			index = i
		default:
			return nil, false
		}
	}
	if len(steps) != 4 || steps[0] != "data" || steps[3] != "rendered" {
		return nil, false
	}
	switch steps[1] {
	case "template_file":
		return e.renderTemplateFile(steps[2], index, depth)
	case "cloudinit_config", "template_cloudinit_config":
		if index < 0 {
			return e.cloudinitSpans(steps[2], depth)
		}
	case "ct_config":
		if index < 0 {
			return e.ctConfigSpans(steps[2], depth)
		}
	}
	return nil, false
}

func (e tfEnv) indexedTemplateFile(src *hclsyntax.IndexExpr, rest hcl.Traversal, depth int) (*spanText, bool) {
	coll, ok := src.Collection.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(rest) != 1 {
		return nil, false
	}
	if a, ok := rest[0].(hcl.TraverseAttr); !ok || a.Name != "rendered" {
		return nil, false
	}
	names := attrNames(coll.Traversal)
	if coll.Traversal.RootName() != "data" || len(names) != 2 || names[0] != "template_file" {
		return nil, false
	}
	i, ok := asInt(e.evalExpr(src.Key))
	if !ok {
		return nil, false
	}
	return e.renderTemplateFile(names[1], i, depth)
}

func (e tfEnv) renderTemplateFile(name string, index, depth int) (*spanText, bool) {
	def := e.m.def.data["template_file."+name]
	if def == nil {
		return nil, false
	}
	var extra map[string]cty.Value
	if index >= 0 {
		extra = map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(index))})}
	}
	attrs := looseAttrs(def.block.Body)
	ta := attrs["template"]
	if ta == nil {
		return nil, false
	}
	env := tfEnv{m: e.m, extra: extra}
	tt, ok := render(env, ta.Expr, depth+1)
	if !ok {
		return nil, false
	}
	origins := tt.origins()
	origin := func(l int) lineAt {
		if l >= 1 && l <= len(origins) {
			return origins[l-1]
		}
		return lineAt{}
	}
	vars := cty.EmptyObjectVal
	if va := attrs["vars"]; va != nil {
		vars = env.evalExpr(va.Expr)
	}
	return renderTemplateSpans(env, []byte(tt.String()), "data.template_file."+name, origin, vars)
}

// variableExpr is the expression var.name takes its value from, in the order variable()
// takes it, and where to evaluate it.
func (m *tfModule) variableExpr(name string) (hcl.Expression, spanEnv, bool) {
	def := m.def.variables[name]
	if m.parent == nil {
		if u := m.rt.unit; u != nil {
			if d := m.rt.dirs[u.dir]; d != nil && d != m.def && d.tfvars[name] != nil {
				return d.tfvars[name].Expr, tfEnv{m: m}, true
			}
		}
		if a := m.def.tfvars[name]; a != nil {
			return a.Expr, tfEnv{m: m}, true
		}
		if u := m.rt.unit; u != nil {
			if x, ok := u.inputExpr[name]; ok {
				return x, tgEnv{c: u.inputIn[name]}, true
			}
			if _, ok := u.inputs[name]; ok {
				return nil, nil, false
			}
		}
	} else if a := m.call.attrs[name]; a != nil {
		return a.Expr, tfEnv{m: m.parent, extra: m.callVars()}, true
	}
	if def.defaultVal != nil {
		return def.defaultVal.Expr, tfEnv{m: m}, true
	}
	return nil, nil, false
}

// tgEnv is a Terragrunt configuration.
type tgEnv struct{ c *tgConfig }

func (e tgEnv) evalExpr(x hcl.Expression) cty.Value     { return e.c.eval(x) }
func (e tgEnv) fileRel(p string) string                 { return tgPath(e.c.ctxDir, p) }
func (e tgEnv) tmplFuncs() map[string]function.Function { return e.c.ev.rt.templateFunctions() }
func (e tgEnv) readRel(rel string) ([]byte, error) {
	if sf := e.c.ev.all[rel]; sf != nil {
		return sf.src, nil
	}
	return e.c.ev.rt.tree.readText(rel)
}

func (e tgEnv) follow(t hcl.Traversal) (hcl.Expression, spanEnv, bool) {
	names := attrNames(t)
	if t.RootName() != "local" || len(names) != 1 {
		return nil, nil, false
	}
	for _, b := range e.c.body.Blocks {
		if b.Type == "locals" && b.Body.Attributes[names[0]] != nil {
			return b.Body.Attributes[names[0]].Expr, e, true
		}
	}
	return nil, nil, false
}

// userDataLines is where each line of user data read from an argument is written, when
// the renderer renders the same lines as were read; nil otherwise.
func userDataLines(p props, name, userData string) []inventory.TextSpan {
	// Past AWS's own limit (16 KB, before base64) many times over, the renderer would
	// build the text again at every reference it follows: the lines are not worth it.
	if userData == "" || len(userData) > maxSpanText {
		return nil
	}
	var t *spanText
	switch x := p.(type) {
	case *tfProps:
		a := x.attrs[name]
		if a == nil {
			return nil
		}
		env := tfEnv{m: x.m, extra: x.extra}
		r, ok := render(env, a.Expr, 0)
		if !ok {
			// A value computed in place (format(), a data source) is at the argument.
			r = &spanText{}
			r.add(userData, a.Range.Filename, a.Range.Start.Line, false)
		}
		t = r
	case valueProps:
		if x.m == nil || x.src == nil {
			return nil
		}
		r, ok := render(tfEnv{m: x.m}, x.src, 0)
		if !ok {
			return nil
		}
		t = r
	case cfnProps:
		t = x.userDataSpans(name)
	}
	if t == nil {
		return nil
	}
	// Another resource's id is shown as ${address}, as the evaluator does: same lines.
	if lineCount(t.String()) != lineCount(userData) {
		return nil
	}
	return t.spans()
}

// userDataSpans renders a CloudFormation property as the evaluator does, with the places
// of its pieces: literal blocks line for line, Fn::Sub's text around its placeholders,
// each element of an Fn::Join at its own line.
func (p cfnProps) userDataSpans(name string) *spanText {
	if p.node == nil {
		return nil
	}
	n := lookupKey(p.node, name)
	if n == nil {
		return nil
	}
	out, ok := p.t.renderNode(n, 0)
	if !ok {
		return nil
	}
	return out
}

// scalarStart is the line a scalar's text starts at and whether its lines are the file's
// one for one: a literal block (|) starts on the line after its indicator.
func scalarStart(n *yaml.Node) (int, bool) {
	if n.Style&yaml.LiteralStyle != 0 {
		return n.Line + 1, true
	}
	return n.Line, !strings.Contains(n.Value, "\n")
}

func (t *cfnTemplate) renderNode(n *yaml.Node, depth int) (*spanText, bool) {
	n = resolveAlias(n)
	if n == nil || depth > maxSpanDepth {
		return nil, false
	}
	out := &spanText{}
	fn, arg, isFn := intrinsic(n)
	if !isFn {
		if n.Kind != yaml.ScalarNode {
			return nil, false
		}
		line, exact := scalarStart(n)
		out.add(n.Value, t.rel, line, exact)
		return out, true
	}
	args := t.args(arg)
	switch fn {
	case "Fn::Base64":
		return t.renderNode(arg, depth+1)
	case "Fn::If":
		if len(args) == 3 {
			c := t.condition(args[0].Value)
			if b, ok := asBool(c); ok && isKnown(c) {
				if b {
					return t.renderNode(args[1], depth+1)
				}
				return t.renderNode(args[2], depth+1)
			}
		}
		return nil, false
	case "Fn::Sub":
		tmpl, vars := arg, map[string]cty.Value(nil)
		if arg.Kind != yaml.ScalarNode {
			if len(args) != 2 {
				return nil, false
			}
			tmpl, vars = args[0], map[string]cty.Value{}
			forEachPair(args[1], func(k, v *yaml.Node) { vars[k.Value] = t.eval(v) })
		}
		if tmpl.Kind != yaml.ScalarNode {
			return nil, false
		}
		line, exact := scalarStart(tmpl)
		s := tmpl.Value
		prev := 0
		for _, loc := range subVar.FindAllStringIndex(s, -1) {
			out.add(s[prev:loc[0]], t.rel, line+strings.Count(s[:prev], "\n"), exact)
			text, _ := t.subPart(s[loc[0]:loc[1]], vars)
			out.add(text, t.rel, line+strings.Count(s[:loc[0]], "\n"), false)
			prev = loc[1]
		}
		out.add(s[prev:], t.rel, line+strings.Count(s[:prev], "\n"), exact)
		return out, true
	case "Fn::Join":
		if len(args) != 2 {
			return nil, false
		}
		delim, ok := asString(t.eval(args[0]))
		items := t.args(args[1])
		if !ok || items == nil {
			return nil, false
		}
		// The evaluator's join: known text, ${Ref} or ${…} for what is not known, and
		// nothing for AWS::NoValue.
		joined := t.join(cty.StringVal(delim), args[1])
		first := true
		for _, it := range items {
			v := t.eval(it)
			if ids := identitiesOf(v); len(ids) > 0 {
				v = unknownBecause(ids[0].addr)
			}
			if plain(v).IsNull() && isKnown(v) {
				continue
			}
			if !first {
				out.add(delim, t.rel, it.Line, false)
			}
			first = false
			if sub, ok := t.renderNode(it, depth+1); ok && isKnown(v) {
				out.addText(sub)
				continue
			}
			text := str(v)
			if !isKnown(v) {
				if f, a, ok := intrinsic(it); ok && f == "Ref" {
					text = "${" + a.Value + "}"
				} else {
					text = "${" + nodeText(it) + "}"
				}
			}
			out.add(text, t.rel, it.Line, false)
		}
		if out.String() != str(joined) {
			return nil, false
		}
		return out, true
	}
	v := t.eval(n)
	s, ok := asString(v)
	if !ok {
		return nil, false
	}
	out.add(s, t.rel, n.Line, false)
	return out, true
}
