package iac

import (
	"context"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

// maxModuleDepth stops a module that calls itself, directly or through others.
const maxModuleDepth = 8

// tfDir is one folder of Terraform files: a module definition, before it is called.
type tfDir struct {
	dir       string // evidence path of the folder
	resources []*tfResourceDef
	data      map[string]*tfResourceDef // "aws_ami.ubuntu"
	variables map[string]*tfVariable
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	modules   []*tfModuleCall
	providers []*hcl.Block
	tfvars    map[string]*hcl.Attribute
	hasConfig bool // holds .tf or .tf.json files, not only tfvars
}

type tfVariable struct {
	name       string
	defaultVal *hcl.Attribute
	// typ is the type constraint, with optional() defaults, when one is written.
	typ *hcl.Attribute
	// secret: the variable is marked sensitive or named for a secret (db_password). Its
	// value is never read, so that it cannot flow into a tag, a name or user data and on
	// into a report.
	secret bool
}

// tfResourceDef is a resource block as written.
type tfResourceDef struct {
	typ, name string
	block     *hcl.Block
	count     *hcl.Attribute
	forEach   *hcl.Attribute
	provider  *hcl.Attribute
}

func (d *tfResourceDef) key() string { return d.typ + "." + d.name }

// tfModuleCall is a module block as written.
type tfModuleCall struct {
	name    string
	source  string
	version string
	block   *hcl.Block
	attrs   map[string]*hcl.Attribute
}

var topSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
}}

var metaSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}, {Name: "provider"}}}

// parseTerraform parses every Terraform file into folders. A file that does not parse is
// one gap and is left out whole: half a file would give half-true facts.
func parseTerraform(ctx context.Context, files []*sourceFile, gaps *[]inventory.CoverageGap) (map[string]*tfDir, error) {
	dirs := map[string]*tfDir{}
	get := func(dir string) *tfDir {
		d := dirs[dir]
		if d == nil {
			d = &tfDir{dir: dir, data: map[string]*tfResourceDef{}, variables: map[string]*tfVariable{}, locals: map[string]*hcl.Attribute{},
				outputs: map[string]*hcl.Attribute{}, tfvars: map[string]*hcl.Attribute{}}
			dirs[dir] = d
		}
		return d
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var (
			file  *hcl.File
			diags hcl.Diagnostics
		)
		switch f.kind {
		case kindTF, kindTFVars, kindTFJSON, kindTFVarsJSON:
			if err := checkFile(f); err != nil {
				*gaps = append(*gaps, limitGap(f.rel, err))
				continue
			}
		}
		switch f.kind {
		case kindTF:
			var dropped []inventory.CoverageGap
			file, dropped, diags = parseRecovering(f.src, f.rel)
			*gaps = append(*gaps, dropped...)
		case kindTFVars:
			file, diags = hclsyntax.ParseConfig(f.src, f.rel, hcl.InitialPos)
		case kindTFJSON, kindTFVarsJSON:
			file, diags = hcljson.Parse(f.src, f.rel)
		default:
			continue
		}
		if diags.HasErrors() {
			*gaps = append(*gaps, diagGap(f.rel, diags))
			continue
		}
		hookBody(file.Body)
		d := get(f.dir)
		if f.kind == kindTFVars || f.kind == kindTFVarsJSON {
			attrs, diags := file.Body.JustAttributes()
			if diags.HasErrors() {
				*gaps = append(*gaps, diagGap(f.rel, diags))
			}
			for name, a := range attrs {
				// terraform.tfvars loads before *.auto.tfvars, which load in name order; files
				// come sorted, but terraform.tfvars sorts after "a…auto.tfvars".
				if prev, ok := d.tfvars[name]; ok && path.Base(f.rel) == "terraform.tfvars" && path.Base(prev.Range.Filename) != "terraform.tfvars" {
					continue
				}
				d.tfvars[name] = a
			}
			continue
		}
		d.hasConfig = true
		content, _, diags := file.Body.PartialContent(topSchema)
		if diags.HasErrors() {
			*gaps = append(*gaps, diagGap(f.rel, diags))
		}
		for _, b := range content.Blocks {
			readTopBlock(d, b, gaps)
		}
	}
	return dirs, nil
}

// maxRecover bounds how many times a file is parsed again without a block that does not
// parse.
const maxRecover = 8

// parseRecovering parses a .tf file; when a block does not parse — Terraform 0.11's
// trailing comma after an argument, an argument set twice — that block is left out, one gap
// each, and the rest of the file is read: a file of twenty resources is not lost to one
// comma. An error outside any block still costs the file.
func parseRecovering(src []byte, rel string) (*hcl.File, []inventory.CoverageGap, hcl.Diagnostics) {
	file, diags := hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	if !diags.HasErrors() {
		return file, nil, diags
	}
	first := diags
	blocks := topBlocks(src, rel)
	work := append([]byte(nil), src...)
	var gaps []inventory.CoverageGap
	dropped := map[int]bool{}
	for round := 0; round < maxRecover && diags.HasErrors(); round++ {
		progress := false
		for _, d := range diags {
			if d.Severity != hcl.DiagError || d.Subject == nil {
				continue
			}
			i := blockAt(blocks, d.Subject.Start.Byte)
			if i < 0 {
				return nil, nil, first
			}
			if dropped[i] {
				continue
			}
			dropped[i], progress = true, true
			b := blocks[i]
			for k := b.start; k < b.end; k++ {
				if work[k] != '\n' {
					work[k] = ' '
				}
			}
			gaps = append(gaps, inventory.CoverageGap{Path: rel, Line: b.line, Kind: inventory.GapParse,
				Message: b.header + " (lines " + itoa(b.line) + "–" + itoa(b.endLine) + ") is not read: " + diagText(d) +
					" (line " + itoa(d.Subject.Start.Line) + "); the rest of the file is read"})
		}
		if !progress {
			return nil, nil, first
		}
		file, diags = hclsyntax.ParseConfig(work, rel, hcl.InitialPos)
	}
	if diags.HasErrors() {
		return nil, nil, first
	}
	return file, gaps, diags
}

// topBlock is a top-level block of a file, by bytes, found by its braces.
type topBlock struct {
	start, end    int
	line, endLine int
	header        string // `resource "aws_instance" "web"`
}

// topBlocks finds the top-level blocks of a file that may not parse: the words on a line
// at depth 0 up to a brace, to the brace that closes it.
func topBlocks(src []byte, rel string) []topBlock {
	toks, _ := hclsyntax.LexConfig(src, rel, hcl.InitialPos)
	var out []topBlock
	var cur topBlock
	var head []string
	depth, open := 0, false
	headStart, headLine := 0, 0
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOBrace:
			if depth == 0 && len(head) > 0 {
				cur, open = topBlock{start: headStart, line: headLine, header: strings.Join(head, " ")}, true
			}
			depth++
		case hclsyntax.TokenCBrace:
			if depth > 0 {
				depth--
			}
			if depth == 0 && open {
				cur.end, cur.endLine = t.Range.End.Byte, t.Range.End.Line
				out = append(out, cur)
				open, head = false, nil
			}
		case hclsyntax.TokenNewline:
			if depth == 0 {
				head = nil
			}
		case hclsyntax.TokenIdent, hclsyntax.TokenQuotedLit:
			if depth == 0 {
				if len(head) == 0 {
					headStart, headLine = t.Range.Start.Byte, t.Range.Start.Line
				}
				text := string(t.Bytes)
				if t.Type == hclsyntax.TokenQuotedLit {
					text = strconv.Quote(text)
				}
				head = append(head, text)
			}
		}
	}
	return out
}

// blockAt is the index of the block holding byte b, or -1.
func blockAt(blocks []topBlock, b int) int {
	for i, bl := range blocks {
		if b >= bl.start && b < bl.end {
			return i
		}
	}
	return -1
}

func readTopBlock(d *tfDir, b *hcl.Block, gaps *[]inventory.CoverageGap) {
	switch b.Type {
	case "resource":
		meta, _, _ := b.Body.PartialContent(metaSchema)
		d.resources = append(d.resources, &tfResourceDef{typ: b.Labels[0], name: b.Labels[1], block: b,
			count: meta.Attributes["count"], forEach: meta.Attributes["for_each"], provider: meta.Attributes["provider"]})
	case "data":
		meta, _, _ := b.Body.PartialContent(metaSchema)
		d.data[b.Labels[0]+"."+b.Labels[1]] = &tfResourceDef{typ: b.Labels[0], name: b.Labels[1], block: b,
			count: meta.Attributes["count"], forEach: meta.Attributes["for_each"], provider: meta.Attributes["provider"]}
	case "variable":
		c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}, {Name: "sensitive"}}})
		d.variables[b.Labels[0]] = &tfVariable{name: b.Labels[0], defaultVal: c.Attributes["default"], typ: c.Attributes["type"],
			secret: scripts.SecretName(b.Labels[0]) || sensitive(c.Attributes["sensitive"])}
	case "locals":
		attrs, diags := b.Body.JustAttributes()
		if diags.HasErrors() {
			*gaps = append(*gaps, diagGap(b.DefRange.Filename, diags))
		}
		for n, a := range attrs {
			d.locals[n] = a
		}
	case "output":
		c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}}})
		if a := c.Attributes["value"]; a != nil {
			d.outputs[b.Labels[0]] = a
		}
	case "module":
		attrs := looseAttrs(b.Body)
		call := &tfModuleCall{name: b.Labels[0], block: b, attrs: attrs}
		if a := attrs["source"]; a != nil {
			if v, diags := staticValue(a.Expr); !diags.HasErrors() {
				call.source, _ = asString(v)
			}
		}
		if a := attrs["version"]; a != nil {
			if v, diags := staticValue(a.Expr); !diags.HasErrors() {
				call.version, _ = asString(v)
			}
		}
		d.modules = append(d.modules, call)
	case "provider":
		d.providers = append(d.providers, b)
	}
}

// looseAttrs returns a body's attributes without a schema: the top-level arguments of a
// resource whose nested blocks we do not map.
func looseAttrs(body hcl.Body) map[string]*hcl.Attribute {
	if sb, ok := body.(*hclsyntax.Body); ok {
		out := make(map[string]*hcl.Attribute, len(sb.Attributes))
		for n, a := range sb.Attributes {
			out[n] = a.AsHCLAttribute()
		}
		return out
	}
	attrs, _ := body.JustAttributes()
	return attrs
}

// diagGap is the gap for a file that did not parse: its first error, with the line.
func diagGap(rel string, diags hcl.Diagnostics) inventory.CoverageGap {
	g := inventory.CoverageGap{Path: rel, Kind: inventory.GapParse}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject != nil {
			g.Line = d.Subject.Start.Line
		}
		g.Message = diagText(d)
		break
	}
	return g
}

func diagText(d *hcl.Diagnostic) string {
	msg := d.Summary
	if detail, _, _ := strings.Cut(d.Detail, "\n"); detail != "" {
		msg += ": " + detail
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}

// localSource resolves a module source that is a folder beside the caller.
func localSource(callerDir, source string) (string, bool) {
	if !strings.HasPrefix(source, "./") && !strings.HasPrefix(source, "../") {
		return "", false
	}
	return path.Clean(path.Join(callerDir, source)), true
}

// callDir is the folder of the tree a module call reads: its local source, or, for a
// remote source whose subfolder is a folder of the tree with Terraform in it, that folder
// (sameRepoFolder); remote says which.
func callDir(dirs map[string]*tfDir, callerDir string, c *tfModuleCall) (dir string, ok, remote bool) {
	if dir, ok := localSource(callerDir, c.source); ok {
		return dir, true, false
	}
	has := func(d string) bool { return dirs[d] != nil && dirs[d].hasConfig }
	if dir, ok := sameRepoFolder(c.source, callerDir+"/", has); ok {
		return dir, true, true
	}
	return "", false, false
}

// registryModule is the registry address of a module source without host and subfolder,
// "terraform-aws-modules/autoscaling/aws".
func registryModule(source string) string {
	s := strings.TrimPrefix(source, "registry.terraform.io/")
	s, _, _ = strings.Cut(s, "//")
	s, _, _ = strings.Cut(s, "?")
	return strings.ToLower(s)
}

// readTerraform reads every root module found in the folders: a folder of .tf files that no
// other folder calls as a module.
func readTerraform(ctx context.Context, files []*sourceFile, tr *tree, opts Options, b *builder) error {
	start := len(b.gaps)
	defer func() { b.gaps = append(b.gaps[:start], mergeInstanceGaps(b.gaps[start:])...) }()
	dirs, err := parseTerraform(ctx, files, &b.gaps)
	if err != nil {
		return err
	}
	// A folder another folder calls is a module, read through its callers; a folder that
	// calls itself is still a root (the call is a cycle, noted where it is read).
	called := map[string]bool{}
	for _, d := range dirs {
		for _, c := range d.modules {
			if dir, ok, _ := callDir(dirs, d.dir, c); ok && dir != d.dir {
				called[dir] = true
			}
		}
	}
	src := map[string][]byte{}
	for _, f := range files {
		src[f.rel] = f.src
	}
	// Terragrunt units: a module a unit deploys is read through the unit, with its inputs,
	// and not also alone (see terragrunt.go).
	tgRoot := &tfRoot{dirs: dirs, dir: ".", src: src, opts: opts, b: b, ctx: ctx, tree: tr, meter: newMeter(ctx, opts.Bounds)}
	units := readTerragrunt(files, tgRoot, &b.gaps)
	if err := tgRoot.meter.cancelled(); err != nil {
		return err
	}
	b.gaps = append(b.gaps, tgRoot.meter.gaps("the Terragrunt files")...)
	var reads []rootRead
	for _, u := range units {
		if u.source == nil {
			if d := dirs[u.dir]; d != nil && d.hasConfig {
				// No source: Terragrunt runs Terraform in the unit's own folder.
				reads = append(reads, rootRead{dir: u.dir, unit: u})
				called[u.dir] = true
			} else if !u.included {
				b.gaps = append(b.gaps, inventory.CoverageGap{Path: u.rel, Kind: inventory.GapUnresolved,
					Message: "Terragrunt configuration with no terraform source and no Terraform files beside it: nothing to read"})
			}
			continue
		}
		at := place{path: u.source.Range.Filename, line: u.source.Range.Start.Line}
		rt0 := &tfRoot{src: src}
		s, why := sourceText(u.srcVal, u.source.Expr, rt0)
		excerpt := rt0.excerpt(u.source.Expr)
		hasConfig := func(dir string) bool { return dirs[dir] != nil && dirs[dir].hasConfig }
		dir, local := u.localModule(s)
		if !local && s != "" {
			if d, ok := sameRepoFolder(s, u.rel, hasConfig); ok {
				b.gaps = append(b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
					Message: "Terragrunt module " + sameRepoNote(s, d, why)})
				dir, local, why = d, true, nil
			}
		}
		if len(why) > 0 {
			b.gaps = append(b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
				Message: "Terragrunt module source = " + excerpt + ": " + strings.Join(why, "; ") + "; the module is not read"})
			continue
		}
		switch {
		case !local:
			b.gaps = append(b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
				Message: "Terragrunt module source " + s + " is not local; not read"})
		case dirs[dir] == nil || !dirs[dir].hasConfig:
			b.gaps = append(b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapNotFound,
				Message: "Terragrunt module source " + s + ": no Terraform files in " + dir})
		default:
			reads = append(reads, rootRead{dir: dir, unit: u})
			called[dir] = true
		}
	}
	for dir, d := range dirs {
		if d.hasConfig && !called[dir] {
			reads = append(reads, rootRead{dir: dir})
		}
	}
	sort.SliceStable(reads, func(i, j int) bool {
		if reads[i].dir != reads[j].dir {
			return reads[i].dir < reads[j].dir
		}
		return reads[i].unit != nil && reads[j].unit != nil && reads[i].unit.stack < reads[j].unit.stack
	})
	unreachedModules(dirs, reads, &b.gaps)
	for _, r := range reads {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Each root is an evaluation of its own, with its own budget: one root over it
		// costs that root, not the others.
		rt := &tfRoot{dirs: dirs, dir: r.dir, stack: r.dir, tree: tr, src: src, opts: opts, b: b, ctx: ctx, meter: newMeter(ctx, opts.Bounds)}
		if r.unit != nil {
			rt.unit, rt.stack = r.unit, r.unit.stack
		}
		m := rt.instantiate(dirs[r.dir], nil, nil, "", nil)
		rt.mapModule(m)
		if err := rt.meter.cancelled(); err != nil {
			return err
		}
		b.gaps = append(b.gaps, rt.meter.gaps(rt.what())...)
	}
	return ctx.Err()
}

// what names the root in messages: its folder, or the Terragrunt unit that deploys it.
func (rt *tfRoot) what() string {
	if rt.stack == "." {
		return "the root module"
	}
	return rt.stack
}

// unreachedModules reports the folders of Terraform that are neither read as a root nor
// called, directly or not, by one that is: folders that only call each other, in a cycle
// no root enters. Terraform cannot apply them; they are named, not read.
func unreachedModules(dirs map[string]*tfDir, reads []rootRead, gaps *[]inventory.CoverageGap) {
	seen := map[string]bool{}
	var queue []string
	for _, r := range reads {
		if !seen[r.dir] {
			seen[r.dir] = true
			queue = append(queue, r.dir)
		}
	}
	for len(queue) > 0 {
		d := dirs[queue[0]]
		queue = queue[1:]
		if d == nil {
			continue
		}
		for _, c := range d.modules {
			if dir, ok, _ := callDir(dirs, d.dir, c); ok && !seen[dir] {
				seen[dir] = true
				queue = append(queue, dir)
			}
		}
	}
	var left []string
	for dir, d := range dirs {
		if d.hasConfig && !seen[dir] {
			left = append(left, dir)
		}
	}
	sort.Strings(left)
	for _, dir := range left {
		*gaps = append(*gaps, inventory.CoverageGap{Path: dir, Kind: inventory.GapUnresolved,
			Message: "module folder called only by modules that call one another in a cycle, and by no root: not read"})
	}
}

// rootRead is a root module to read, and the Terragrunt unit that deploys it, if one does.
type rootRead struct {
	dir  string
	unit *tgUnit
}

// instanceIndex is the instance part of an address in a message: ["key"] or [0] after a
// name.
var instanceIndex = regexp.MustCompile(`([A-Za-z0-9_-])\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\]`)

// mergeInstanceGaps records once a gap that every instance of a repeated resource or
// module has: the same file, line and message once, and messages that differ only by the
// instance in their addresses as the first one, "(for each of N instances)".
func mergeInstanceGaps(gaps []inventory.CoverageGap) []inventory.CoverageGap {
	type key struct {
		path      string
		line      int
		kind, msg string
	}
	at := map[key]int{}
	msgs := map[key]map[string]bool{}
	out := gaps[:0:0]
	for _, g := range gaps {
		k := key{g.Path, g.Line, g.Kind, instanceIndex.ReplaceAllString(g.Message, "$1[*]")}
		if _, ok := at[k]; ok {
			msgs[k][g.Message] = true
			continue
		}
		at[k], msgs[k] = len(out), map[string]bool{g.Message: true}
		out = append(out, g)
	}
	for k, i := range at {
		if n := len(msgs[k]); n > 1 {
			out[i].Message += " (for each of " + itoa(n) + " instances)"
		}
	}
	return out
}

// tfRoot is one root module being read, with everything its modules share.
type tfRoot struct {
	ctx  context.Context
	dirs map[string]*tfDir
	dir  string // evidence path of the root folder
	// stack is what the records of the root are told apart by: the root folder, or the
	// folder of the Terragrunt unit that deploys it.
	stack string
	unit  *tgUnit           // the Terragrunt unit that deploys the root, if one does
	tree  *tree             // the folders given: file() reads from them, relative to dir
	src   map[string][]byte // evidence path → file text, for excerpts
	opts  Options
	b     *builder
	funcs map[string]function.Function
	// tmplFuncs are the functions a template rendered by templatefile() may call: all but
	// templatefile itself, as in Terraform, so that a template cannot render itself.
	tmplFuncs map[string]function.Function
	// meter is the budget of the root's evaluation.
	meter *meter
	// instances counts the module instances made, against maxModuleInstances.
	instances int
}

// instantiate makes a module instance and its local children. parent and call are nil for
// the root; inst is the instance of a repeated call the module is, or nil. Calls with count
// or for_each are expanded when first needed (see repeat).
func (rt *tfRoot) instantiate(def *tfDir, parent *tfModule, call *tfModuleCall, addr string, inst *tfInstance) *tfModule {
	m := &tfModule{rt: rt, def: def, parent: parent, call: call, addr: addr, inst: inst,
		resources: map[string]*tfResource{}, children: map[string]*tfModule{}, calls: map[string]*tfModuleCall{},
		repeats: map[string]*tfRepeat{}, memo: memo{vals: map[string]cty.Value{}, busy: map[string]bool{}}}
	if parent != nil {
		m.depth = parent.depth + 1
	}
	for _, r := range def.resources {
		m.resources[r.key()] = &tfResource{def: r, mod: m}
	}
	for _, c := range def.modules {
		m.calls[c.name] = c
	}
	m.providers = rt.providersOf(m)
	for _, c := range def.modules {
		dir, local, remote := callDir(rt.dirs, def.dir, c)
		if !local {
			continue
		}
		child := rt.dirs[dir]
		at := place{path: c.block.DefRange.Filename, line: c.block.DefRange.Start.Line}
		if remote {
			rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
				Message: "module." + c.name + " " + sameRepoNote(c.source, dir, nil)})
		}
		cycle := m.callPath(dir)
		switch {
		case child == nil || !child.hasConfig:
			rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapNotFound,
				Message: "module." + c.name + " source " + c.source + ": no Terraform files in " + dir})
		case cycle != "":
			// Terraform cannot apply a module that calls itself: there is nothing more to
			// read than the module once, which is read.
			rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
				Message: "module." + c.name + " source " + c.source + ": " + dir + " calls itself (" + cycle + "): not read again"})
		case m.depth >= maxModuleDepth:
			rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapLimit,
				Message: "module." + c.name + " source " + c.source + ": modules nested deeper than " + itoa(maxModuleDepth) + " are not read"})
		case !rt.newInstance():
			rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapLimit,
				Message: "module." + c.name + ": the root makes more than " + itoa(maxModuleInstances) + " module instances; the rest are not read"})
		case c.attrs["count"] != nil || c.attrs["for_each"] != nil:
			m.repeats[c.name] = &tfRepeat{call: c, def: child}
		default:
			m.children[c.name] = rt.instantiate(child, m, c, joinAddr(addr, "module."+c.name), nil)
		}
	}
	return m
}

// maxModuleInstances bounds the module instances of one root: a module that calls the
// next a hundred times, eight deep, asks for 10^16.
const maxModuleInstances = 5000

// newInstance counts a module instance about to be made; false past maxModuleInstances.
func (rt *tfRoot) newInstance() bool {
	if rt.instances >= maxModuleInstances {
		return false
	}
	rt.instances++
	return true
}

// callPath is the chain of folders from where m's folder first appears above it to dir,
// when m or a module above it is made from dir: a call of dir from m is a cycle then.
func (m *tfModule) callPath(dir string) string {
	chain := []string{dir}
	for mm := m; mm != nil; mm = mm.parent {
		chain = append(chain, mm.def.dir)
		if mm.def.dir == dir {
			for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
				chain[i], chain[j] = chain[j], chain[i]
			}
			return strings.Join(chain, " → ")
		}
	}
	return ""
}

func joinAddr(parent, part string) string {
	if parent == "" {
		return part
	}
	return parent + "." + part
}

// mapModule maps the module's resources and module calls, then its children's.
func (rt *tfRoot) mapModule(m *tfModule) {
	if rt.ctx.Err() != nil {
		return
	}
	for _, d := range m.def.resources {
		if mapFn := resourceMappers[d.typ]; mapFn != nil {
			r := m.resources[d.key()]
			if !r.exists() {
				continue
			}
			// Each instance of a count or for_each whose instances are known is a resource
			// of its own; otherwise the resource is read as one (open notes it).
			insts, ok := r.instances()
			if !ok {
				insts = []*tfResource{r}
			}
			for _, in := range insts {
				mapFn(rt, in)
			}
		}
	}
	for _, c := range m.def.modules {
		if _, local, _ := callDir(rt.dirs, m.def.dir, c); local {
			continue
		}
		at := place{path: c.block.DefRange.Filename, line: c.block.DefRange.Start.Line}
		if registryModule(c.source) == autoscalingModule {
			rt.mapAutoscalingModule(m, c)
			continue
		}
		rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
			Message: "module." + c.name + ": module source " + c.source + " is not local; not read"})
	}
	// A call with count or for_each is mapped once per instance, in index or key order; a
	// call read as one is noted at its count or for_each.
	names := make([]string, 0, len(m.children)+len(m.repeats))
	for n := range m.children {
		if m.repeats[n] == nil { // a call read as one is a child too
			names = append(names, n)
		}
	}
	for n := range m.repeats {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := m.repeat(n)
		if r == nil {
			rt.mapModule(m.children[n])
			continue
		}
		if !r.expanded {
			c := r.call
			rt.repeatGap(m, joinAddr(m.addr, "module."+c.name), c.block.DefRange.Filename, c.attrs["count"], c.attrs["for_each"], "module instance")
		}
		for _, in := range r.mods {
			rt.mapModule(in)
		}
	}
}

// sensitive reads a variable's sensitive argument: true only when it is written as true
// (or "true", which Terraform converts).
func sensitive(a *hcl.Attribute) bool {
	if a == nil {
		return false
	}
	v, diags := staticValue(a.Expr)
	return !diags.HasErrors() && isTrue(v)
}
